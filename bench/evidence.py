"""The evidence benchmark's measurements: the monthly outcome import and the Table 3 report.

1. The import: 1,000,000 rows (every citizen's five new months) through the real import
   (`import_upload(..., background=False)`, which stores the file and runs `import_run`), against
   a raw bulk insert of exactly the rows the import writes into the same table (PostgreSQL COPY,
   SQLite executemany). Then the same file again: every row replaces itself.
2. The report: `support(programme)` and the whole page (`evidence:report_support`) as the
   coordinator, over 12 million outcome rows.

Measuring leaves the data as it was loaded: the five imported months are deleted afterwards (the
import jobs, their files and their access-log rows stay: the audit tables refuse deletes).
"""

import random
import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.evidence_data import (
    BENEFIT_TEXT,
    COORDINATOR,
    OUTCOME_COLUMNS,
    PROGRAMME_NAME,
    Person,
    insert_rows,
    month_list,
    outcome_row,
    placeholder_import,
)
from bench.plan import EvidencePlan
from teten.accounts.models import User
from teten.citizens.models import Citizen
from teten.core.clock import acting_on
from teten.evidence import imports as evidence_imports
from teten.evidence.imports import import_upload
from teten.evidence.models import ImportStatus, OutcomeMonth
from teten.evidence.reports.support import support
from teten.evidence.summary import summary_differences
from teten.programmes.models import Cohort, Programme

HEADER = "cpr;maaned;forsoerget;ydelse;timer;selvstaendig;aktivering;gift;oprindelse"


@dataclass
class ImportMeasurement:
    database: str
    step: str
    rows: int
    seconds: float
    import_run_seconds: float | None = None  # import_run alone, without storing the upload
    ratio: float | None = None  # to the raw bulk insert


@dataclass
class ReportMeasurement:
    database: str
    scenario: str
    requests: int
    median_ms: float
    p95_ms: float
    queries: int | None
    target_ms: float = 2000

    @property
    def meets_target(self) -> bool:
        return self.p95_ms <= self.target_ms


def import_data(plan: EvidencePlan, municipality_id: int, source_id: int) -> tuple[str, list[tuple]]:
    """The file's text and the rows the import should make of it (the raw insert's rows), from
    the same random numbers. `source_id` is only for the raw rows."""
    months = month_list(plan.import_from, plan.import_months)
    citizens = Citizen.objects.all_municipalities().order_by("pk").values_list("pk", "cpr")
    rng = random.Random(plan.seed + 1)
    lines, rows = [HEADER], []
    for pk, number in citizens.iterator(chunk_size=10_000):
        person = Person(pk, number, 0.3, rng.random() < 0.4, rng.random() < 0.8)
        married, origin = ("ja" if person.married else "nej"), ("dansk" if person.danish else "ikke-dansk")
        for month in months:
            on, benefit, hours, own, activation = outcome_row(person, month, rng)
            lines.append(
                f"{number};{month:%Y-%m};{'ja' if on else 'nej'};{BENEFIT_TEXT.get(benefit, '')};"
                f"{str(hours).replace('.', ',')};{'ja' if own else 'nej'};"
                f"{'ordinaer' if activation else 'ingen'};{married};{origin}"
            )
            rows.append(
                (municipality_id, pk, month, on, benefit, hours, own, activation, person.married, person.danish)
                + (source_id,)
            )
    return "\n".join(lines) + "\n", rows


def _delete_imported(plan: EvidencePlan) -> float:
    started = time.perf_counter()
    OutcomeMonth.objects.all_municipalities().filter(month__gte=plan.import_from).delete()
    return time.perf_counter() - started


def imports(plan: EvidencePlan, *, workdir: Path, progress=print) -> list[ImportMeasurement]:
    vendor = connection.vendor
    coordinator = User.objects.get(username=COORDINATOR)
    municipality = coordinator.municipality
    source = placeholder_import(municipality, coordinator, f"raw-{time.time_ns()}.csv")
    text, rows = import_data(plan, municipality.pk, source.pk)
    path = workdir / f"bench-evidence-outcomes-{vendor}.csv"  # one a database: both may run at once
    path.write_text(text, encoding="utf-8")
    del text
    progress(f"  {vendor}: file of {len(rows):,} rows, {path.stat().st_size / 1e6:.0f} MB")
    _delete_imported(plan)  # a measurement stopped half-way may have left some

    started = time.perf_counter()
    with transaction.atomic():
        insert_rows(OutcomeMonth._meta.db_table, OUTCOME_COLUMNS, rows)
    raw = time.perf_counter() - started
    results = [ImportMeasurement(vendor, "raw bulk insert (COPY / executemany)", len(rows), raw, None, 1.0)]
    progress(f"  {vendor}: raw insert {raw:.1f} s; deleting them took {_delete_imported(plan):.1f} s")
    expected = sorted(r[:-1] for r in rows)
    del rows

    for step in ("import", "the same file again"):
        started = time.perf_counter()
        with acting_on(plan.business_date), path.open("rb") as handle, _timing_import_run() as run_seconds:
            job = import_upload(actor=coordinator, uploaded_file=File(handle, name=path.name), background=False)
        seconds = time.perf_counter() - started
        if job.status != ImportStatus.DONE or job.rows_imported != len(expected) or job.rows_rejected:
            raise RuntimeError(f"import {job.pk}: {job.status} {job.rows_imported} imported, {job.error}")
        run = run_seconds[0]
        results.append(ImportMeasurement(vendor, step, job.rows_imported, seconds, run, seconds / raw))
        progress(f"  {vendor}: {step}: {seconds:.1f} s ({run:.1f} s reading the file), {seconds / raw:.2f} × raw")
    got = sorted(
        OutcomeMonth.objects.all_municipalities()
        .filter(month__gte=plan.import_from)
        .values_list(*(c.removesuffix("_id") for c in OUTCOME_COLUMNS[:-1]))
    )
    if got != expected:
        raise RuntimeError("the imported rows differ from the raw insert's")
    if differences := summary_differences(plan.import_from.year):
        raise RuntimeError(f"the outcome summary differs from the imported rows in {differences:,} rows")
    _delete_imported(plan)
    path.unlink()
    return results


@contextmanager
def _timing_import_run():
    """`import_upload` stores the file, then calls `import_run`: time the second part on its own."""
    original, seconds = evidence_imports.import_run, []

    def timed(job_id):
        started = time.perf_counter()
        try:
            return original(job_id)
        finally:
            seconds.append(time.perf_counter() - started)

    evidence_imports.import_run = timed
    try:
        yield seconds
    finally:
        evidence_imports.import_run = original


def _timed(fn, *, iterations: int, warmup: int, budget: float) -> list[float]:
    for _ in range(warmup):
        fn()
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < iterations and (len(times) < 3 or time.perf_counter() - started < budget):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def reports(plan: EvidencePlan, *, iterations: int, warmup: int, budget: float) -> list[ReportMeasurement]:
    vendor = connection.vendor
    programme = Programme.objects.all_municipalities().get(name=PROGRAMME_NAME)
    last = Cohort.objects.all_municipalities().filter(programme=programme).order_by("-starts_on").first()
    month = month_list(plan.history_from, plan.history_months)[-7]
    coordinator = User.objects.get(username=COORDINATOR)
    client = Client()
    client.force_login(coordinator)
    url = reverse("evidence:report_support")
    one_cohort = f"program={programme.pk}&hold={last.pk}&maaned={month:%Y-%m}"

    def page(query: str):
        def get():
            response = client.get(f"{url}?{query}")
            if response.status_code != 200 or b"Kontrolgruppe" not in response.content:
                raise RuntimeError(f"{url}?{query}: {response.status_code}")

        return get

    scenarios = [
        ("support(): whole programme, latest month", lambda: support(programme)),
        (f"support(): cohort {last.name}, {month:%Y-%m}", lambda: support(programme, last, month)),
        ("page: whole programme", page(f"program={programme.pk}")),
        (f"page: cohort {last.name}, {month:%Y-%m}", page(one_cohort)),
    ]
    results = []
    for name, fn in scenarios:
        times = _timed(fn, iterations=iterations, warmup=warmup, budget=budget)
        with CaptureQueriesContext(connection) as queries:
            fn()
        results.append(ReportMeasurement(vendor, name, len(times), statistics.median(times), _p95(times), len(queries)))
        print(f"  {vendor}: {name}: median {results[-1].median_ms:.0f} ms, p95 {results[-1].p95_ms:.0f} ms")
    return results


def import_table(results: list[ImportMeasurement]) -> str:
    lines = [
        "| database | step | rows | seconds | of which reading the file | rows / s | × raw insert | ≤ 3 × |",
        "|---|---|---:|---:|---:|---:|---:|:---:|",
    ]
    for r in results:
        run = f"{r.import_run_seconds:.1f}" if r.import_run_seconds is not None else "–"
        met = "–" if r.step.startswith("raw") else ("yes" if r.ratio <= 3 else "NO")
        lines.append(
            f"| {r.database} | {r.step} | {r.rows:,} | {r.seconds:.1f} | {run} | {r.rows / r.seconds:,.0f} "
            f"| {r.ratio:.2f} | {met} |"
        )
    return "\n".join(lines)


def report_table(results: list[ReportMeasurement]) -> str:
    lines = [
        "| database | scenario | requests | median ms | p95 ms | queries | p95 ≤ 2 s |",
        "|---|---|---:|---:|---:|---:|:---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.database} | {r.scenario} | {r.requests} | {r.median_ms:,.0f} | {r.p95_ms:,.0f} | {r.queries} "
            f"| {'yes' if r.meets_target else 'NO'} |"
        )
    return "\n".join(lines)


def profile_report(top: int = 25) -> str:
    """cProfile of one `support()` for the whole programme, by cumulative and by own time."""
    import cProfile
    import io
    import pstats

    programme = Programme.objects.all_municipalities().get(name=PROGRAMME_NAME)
    profiler = cProfile.Profile()
    profiler.runcall(support, programme)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()
