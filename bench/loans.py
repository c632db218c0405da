"""The micro-loan benchmark: `teten daily`'s loan duties and the coordinator's programme page.

The daily job runs twice for the business date, as `teten daily --date 2026-11-23 --only
loan_payouts --only loan_reminders` would: the first run sends this month's reminders (each a
real PDF letter, stored with its audit event); the second, the same day, must send none and shows
what scanning the loans costs on an ordinary day. Then the coordinator's page of the largest and
the smallest programme is requested through Django's test client, as a logged-in coordinator,
on the business date, as in the platform benchmark.
"""

import cProfile
import datetime
import io
import pstats
import re
import statistics
import time
from collections import Counter

from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F
from django.test import Client
from django.urls import reverse

from bench.databases import server_cpu
from bench.loan_data import REMINDER_AFTER_DAYS, coordinator_username
from bench.loan_report import DailyMeasurement, PageMeasurement
from bench.platform import _describe, _percentile
from teten.accounts.models import User
from teten.core.clock import acting_on
from teten.core.models import DailyRun
from teten.loans.models import InstalmentReminder, Loan, LoanCase, ScheduledInstalment
from teten.programmes.models import Programme, ProgrammeKind

LOAN_DUTIES = ("loan_payouts", "loan_reminders")
# "Cases (45.298)": the count as the page prints it, with Danish thousands separators.
CASE_COUNT = re.compile(rb'<span class="count">\(([\d.,\s]+)\)</span>')
SLOW_MS = 1000  # a page this slow is warmed up once and its queries counted once
MIN_REQUESTS = 3  # timed requests however long they take


def open_loans() -> int:
    return Loan.objects.all_municipalities().filter(paid_out_on__isnull=False, closed_on__isnull=True).count()


def reminders_due(on: datetime.date) -> int:
    """What the first run must send, counted independently of the duty: instalments of the
    current schedules of open loans, unpaid and at least the programme's days past due, with no
    reminder yet (every programme here reminds after the same number of days)."""
    return ScheduledInstalment.objects.filter(
        schedule__is_current=True,
        schedule__loan__paid_out_on__isnull=False,
        schedule__loan__closed_on__isnull=True,
        due_date__lte=on - datetime.timedelta(days=REMINDER_AFTER_DAYS),
        paid__lt=F("amount"),
        reminder__isnull=True,
    ).count()


def _daily(on: datetime.date, run: str, loans: int, progress) -> DailyMeasurement:
    before = InstalmentReminder.objects.filter(business_date=on).count()
    out = io.StringIO()
    started = time.perf_counter()
    call_command("daily", date=on.isoformat(), only=list(LOAN_DUTIES), stdout=out)
    seconds = time.perf_counter() - started
    sent = InstalmentReminder.objects.filter(business_date=on).count() - before
    runs = DailyRun.objects.filter(business_date=on, duty__in=LOAN_DUTIES).order_by("started_at")
    duties = ", ".join(f"{r.duty} {(r.finished_at - r.started_at).total_seconds():.2f} s" for r in runs)
    progress(f"  daily, {run}: {seconds:.2f} s, {sent:,} reminders ({out.getvalue().strip()!r})")
    return DailyMeasurement(connection.vendor, run, seconds, loans, sent, duties)


def daily(on: datetime.date, *, progress=print) -> list[DailyMeasurement]:
    """Both runs; each must do exactly what the data calls for."""
    loans, due = open_loans(), reminders_due(on)
    if InstalmentReminder.objects.filter(business_date=on).exists():
        raise RuntimeError(f"The daily job has already run for {on}: load the data again")
    first = _daily(on, "1st: this month's reminders", loans, progress)
    second = _daily(on, "2nd: the same day again", loans, progress)
    if (first.reminders, second.reminders) != (due, 0):
        raise RuntimeError(f"expected {due} reminders and then 0, the runs sent {first.reminders}, {second.reminders}")
    return [first, second]


def programmes() -> list[tuple[Programme, int]]:
    """The largest and the smallest micro-loan programme, with their number of cases."""
    rows = (
        LoanCase.objects.all_municipalities()
        .values("programme")
        .annotate(n=Count("id"))
        .order_by("-n", "programme")
        .values_list("programme", "n")
    )
    sizes = list(rows)
    chosen = [sizes[0], sizes[-1]] if len(sizes) > 1 else sizes
    found = Programme.objects.all_municipalities().filter(kind=ProgrammeKind.MICROLOAN).select_related("municipality")
    by_pk = {p.pk: p for p in found}
    return [(by_pk[pk], n) for pk, n in chosen]


def _request(client: Client, programme: Programme, on: datetime.date):
    with acting_on(on):  # the page's "today", for its arrears
        return client.get(reverse("loans:programme", args=[programme.pk]))


def _checked(response, name: str, cases: int) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"{name}: HTTP {response.status_code}")
    shown = CASE_COUNT.search(response.content)
    if shown is None or int(re.sub(rb"\D", b"", shown.group(1))) != cases:
        raise RuntimeError(f"{name}: expected {cases} cases, the page said {shown and shown.group(1)}")


def _counted(client: Client, programme: Programme, on: datetime.date):
    """(statements sent to the database, response) of one request. An execute wrapper rather than
    CaptureQueriesContext, which keeps at most 9,000 and on SQLite adds a query per parameter."""
    executed = 0

    def count(execute, sql, params, many, context):
        nonlocal executed
        executed += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = _request(client, programme, on)
    return executed, response


def page(
    programme: Programme, cases: int, on: datetime.date, *, iterations: int, warmup: int, budget: float
) -> PageMeasurement:
    """Time up to `iterations` requests after `warmup`, stopping after `budget` seconds once
    MIN_REQUESTS are timed; then count the queries of 20 more. A page slower than SLOW_MS is
    warmed up by one request, whose queries are the ones counted."""
    name = programme.municipality.name
    client = Client()
    client.force_login(User.objects.get(username=coordinator_username(programme.municipality.code)))
    query_counts = Counter()
    for _ in range(warmup):
        started = time.perf_counter()
        executed, response = _counted(client, programme, on)
        _checked(response, name, cases)
        query_counts[executed] += 1
        if time.perf_counter() - started > SLOW_MS / 1000:
            break  # one request is warm-up enough for a page this slow, and its queries are counted
    timings: list[float] = []
    cpu: list[float] = []
    server: list[float] = []
    started = time.perf_counter()
    while len(timings) < iterations and (len(timings) < MIN_REQUESTS or time.perf_counter() - started < budget):
        # Wall time is the target; CPU time (this process's, and the PostgreSQL backend's) hardly
        # changes when other jobs share the machine, so it shows what a quiet machine would give.
        server_before = server_cpu()
        before, before_cpu = time.perf_counter(), time.process_time()
        response = _request(client, programme, on)
        cpu.append((time.process_time() - before_cpu) * 1000)
        timings.append((time.perf_counter() - before) * 1000)
        server_after = server_cpu()
        if server_before and server_after and server_before[0] == server_after[0]:
            server.append((server_after[1] - server_before[1]) * 1000)
        _checked(response, name, cases)
    fast = statistics.median(timings) < SLOW_MS
    if fast or not query_counts:
        query_counts = Counter(_counted(client, programme, on)[0] for _ in range(20 if fast else 1))
    return PageMeasurement(
        database=connection.vendor,
        scenario=name,
        cases=cases,
        requests=len(timings),
        median_ms=statistics.median(timings),
        p95_ms=_percentile(timings, 95) if len(timings) > 1 else timings[0],
        queries=_describe(query_counts),
        cpu_median_ms=statistics.median(cpu),
        cpu_p95_ms=_percentile(cpu, 95) if len(cpu) > 1 else cpu[0],
        server_cpu_ms=statistics.fmean(server) if len(server) >= len(timings) // 2 else None,
    )


def pages(on: datetime.date, *, iterations: int, warmup: int, budget: float, progress=print) -> list[PageMeasurement]:
    results = []
    for programme, cases in programmes():
        result = page(programme, cases, on, iterations=iterations, warmup=warmup, budget=budget)
        progress(
            f"  {result.scenario}: {result.requests} requests, median {result.median_ms:,.1f} ms, "
            f"p95 {result.p95_ms:,.1f} ms (CPU {result.cpu_median_ms:,.1f}, {result.cpu_p95_ms:,.1f} ms), "
            f"{result.queries} queries"
        )
        results.append(result)
    return results


def profile_page(on: datetime.date, *, top: int = 30) -> str:
    """cProfile of one request for the largest programme's page (after one to warm up)."""
    programme, cases = programmes()[0]
    client = Client()
    client.force_login(User.objects.get(username=coordinator_username(programme.municipality.code)))
    _request(client, programme, on)
    profiler = cProfile.Profile()
    profiler.enable()
    _request(client, programme, on)
    profiler.disable()
    out = io.StringIO()
    out.write(f"{programme.municipality.name}, {cases:,} cases\n")
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(r"/teten/|shortcuts.py", top)  # Teten's own functions and render()
    stats.strip_dirs().sort_stats("tottime").print_stats(top)  # and where that time is spent, library code included
    return out.getvalue()
