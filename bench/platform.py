"""The platform benchmark: citizen search and the consultant's worklist on the scale data.

Each scenario is a whole request through Django's test client, as a logged-in job consultant in
the largest municipality: middleware, session, permission checks, the selector, the access-log
row it writes, and the rendered page. That is what a consultant waits for, less the network.
The queries of a further 20 requests per scenario are counted with CaptureQueriesContext.
"""

import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.report import Measurement
from bench.scale_data import probe_usernames
from teten.accounts.models import User
from teten.citizens.models import Citizen
from teten.citizens.selectors import SEARCH_LIMIT, WORKLIST_PAGE_SIZE

# A row on either page links to the citizen's record.
ROW_LINK = re.compile(rb'href="/borgere/\d+/"')


@dataclass(frozen=True)
class Scenario:
    name: str
    consultant: User
    search: str | None = None  # None: the worklist, page 1
    rows: int | None = None  # the rows the page must show, when known in advance


def scenarios() -> list[Scenario]:
    """The questions a consultant asks, with search terms taken from the data itself."""
    long_name, short_name = probe_usernames()
    long_list = User.objects.get(username=long_name)
    short_list = User.objects.get(username=short_name)
    citizens = Citizen.objects.for_municipality(long_list.municipality)
    surname = citizens.values("last_name").annotate(n=Count("id")).order_by("-n", "last_name")[0]
    someone = citizens.order_by("id")[citizens.count() // 2]
    worklist_rows = min(WORKLIST_PAGE_SIZE, citizens.filter(assigned_consultant=long_list).count())
    return [
        Scenario(f"search: common surname ({surname['last_name']})", long_list, surname["last_name"], SEARCH_LIMIT),
        Scenario("search: full name", long_list, someone.full_name),
        Scenario("search: whole CPR", long_list, f"{someone.cpr[:6]}-{someone.cpr[6:]}", 1),
        Scenario("search: birth date (DDMMYY)", long_list, someone.cpr[:6]),
        Scenario("search: name, no match", long_list, "Jnesen Hnasen", 0),
        Scenario(f"worklist page 1 ({worklist_rows} rows)", long_list, rows=worklist_rows),
        Scenario(f"worklist page 1 ({citizens.filter(assigned_consultant=short_list).count()} rows)", short_list),
    ]


def _request(client: Client, scenario: Scenario):
    if scenario.search is None:
        return client.get(reverse("citizens:worklist"))
    return client.post(reverse("citizens:search"), {"q": scenario.search})


def _percentile(samples: list[float], percent: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[percent - 1]


def measure(scenario: Scenario, *, iterations: int, warmup: int, counted: int = 20) -> Measurement:
    """Time `iterations` requests after `warmup`, then count the queries of `counted` more.

    The timed requests are not instrumented: on SQLite, CaptureQueriesContext quotes every
    parameter with an extra query, which would slow what it measures.
    """
    client = Client()
    client.force_login(scenario.consultant)
    for _ in range(warmup):
        _request(client, scenario)
    timings, rows = [], set()
    for _ in range(iterations):
        started = time.perf_counter()
        response = _request(client, scenario)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{scenario.name}: HTTP {response.status_code}")
        rows.add(len(ROW_LINK.findall(response.content)))
    if len(rows) != 1 or (scenario.rows is not None and rows != {scenario.rows}):
        raise RuntimeError(f"{scenario.name}: expected {scenario.rows} rows, the page showed {sorted(rows)}")
    query_counts = Counter()
    for _ in range(counted):
        with CaptureQueriesContext(connection) as queries:
            _request(client, scenario)
        query_counts[len(queries)] += 1
    return Measurement(
        database=connection.vendor,
        scenario=scenario.name,
        rows=rows.pop(),
        median_ms=statistics.median(timings),
        p95_ms=_percentile(timings, 95),
        queries=_describe(query_counts),
    )


def _describe(query_counts: Counter) -> str:
    """The usual count, and any other seen, e.g. "11 (12 in 1 of 20)" when the once-a-minute
    session write fell among the counted requests."""
    usual = query_counts.most_common(1)[0][0]
    others = [f"{q} in {n} of {query_counts.total()}" for q, n in sorted(query_counts.items()) if q != usual]
    return f"{usual} ({', '.join(others)})" if others else str(usual)


def run(*, iterations: int, warmup: int, progress=print) -> list[Measurement]:
    results = []
    for scenario in scenarios():
        result = measure(scenario, iterations=iterations, warmup=warmup)
        progress(f"  {result.scenario}: median {result.median_ms:.1f} ms, p95 {result.p95_ms:.1f} ms")
        results.append(result)
    return results
