"""The money benchmark's results and how they are shown. Free of Django, so the command line that
runs one child process per database can gather and print them."""

from dataclasses import dataclass


@dataclass
class PostingMeasurement:
    """`teten.ledger.services.post(...)` called `postings` times in a row, each its own transaction."""

    database: str
    scenario: str
    postings: int
    seconds: float
    cpu_seconds: float  # this process
    server_cpu_seconds: float | None  # the PostgreSQL backend's, read from /proc
    queries: float  # statements sent per posting

    @property
    def per_second(self) -> float:
        return self.postings / self.seconds


@dataclass
class DailyMeasurement:
    """One `teten daily --date ... --only payments_due --only batch_reminders`."""

    database: str
    run: str
    seconds: float
    cpu_seconds: float
    server_cpu_seconds: float | None
    open_payments: int
    made_due: int
    reminders: int
    queries: int
    duties: str  # each duty's own seconds, from its DailyRun row

    @property
    def payments_per_second(self) -> float:
        return self.open_payments / self.seconds

    @property
    def made_due_per_second(self) -> float | None:
        return self.made_due / self.seconds if self.made_due else None


@dataclass
class PgbenchMeasurement:
    """`pgbench -c 1 -j 1 -T seconds` (TPC-B-like, one client) on its own database."""

    scale: int
    seconds: int
    transactions: int
    tps: float
    latency_ms: float
    load: list[float]  # load average at the start and at the end


def _cpu(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def posting_table(results: list[PostingMeasurement]) -> str:
    """A Markdown table, ready for bench/README.md."""
    lines = [
        "| database | postings | count | seconds | postings / s | ms each | CPU s (Python) | CPU s (server) "
        "| queries each |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.database} | {r.scenario} | {r.postings:,} | {r.seconds:.2f} | {r.per_second:,.0f} "
            f"| {1000 * r.seconds / r.postings:.2f} | {r.cpu_seconds:.1f} | {_cpu(r.server_cpu_seconds)} "
            f"| {r.queries:g} |"
        )
    return "\n".join(lines)


def daily_table(results: list[DailyMeasurement]) -> str:
    lines = [
        "| database | run | seconds | CPU s (Python) | CPU s (server) | open payments | payments / s "
        "| made due | made due / s | reminders | queries | per duty |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        made = f"{r.made_due_per_second:,.0f}" if r.made_due_per_second else "–"
        lines.append(
            f"| {r.database} | {r.run} | {r.seconds:.2f} | {r.cpu_seconds:.1f} | {_cpu(r.server_cpu_seconds)} "
            f"| {r.open_payments:,} | {r.payments_per_second:,.0f} | {r.made_due:,} | {made} | {r.reminders} "
            f"| {r.queries:,} | {r.duties} |"
        )
    return "\n".join(lines)


def pgbench_line(r: PgbenchMeasurement) -> str:
    return (
        f"pgbench -c 1 -j 1 -T {r.seconds} (TPC-B-like, scale {r.scale}): {r.transactions:,} transactions, "
        f"{r.tps:,.0f} tps, latency {r.latency_ms:.2f} ms (load average {r.load[0]:.2f} → {r.load[1]:.2f})"
    )
