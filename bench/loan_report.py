"""The micro-loan benchmark's results and how they are shown. Free of Django, so the command line
that runs one child process per database can gather and print them."""

from dataclasses import dataclass

TARGET_P95_MS = 150


@dataclass
class DailyMeasurement:
    """One `teten daily --date ... --only loan_payouts --only loan_reminders`."""

    database: str
    run: str
    seconds: float
    open_loans: int
    reminders: int
    duties: str  # each duty's own seconds, from its DailyRun row

    @property
    def loans_per_second(self) -> float:
        return self.open_loans / self.seconds

    @property
    def letters_per_second(self) -> float | None:
        return self.reminders / self.seconds if self.reminders else None


@dataclass
class PageMeasurement:
    database: str
    scenario: str
    cases: int
    requests: int
    median_ms: float
    p95_ms: float
    queries: str
    cpu_median_ms: float | None = None  # this process's CPU time a request (process_time)
    cpu_p95_ms: float | None = None
    server_cpu_ms: float | None = None  # PostgreSQL's backend, a mean a request; None on SQLite

    @property
    def meets_target(self) -> bool:
        return self.p95_ms <= TARGET_P95_MS


def daily_table(results: list[DailyMeasurement]) -> str:
    """A Markdown table, ready for bench/README.md."""
    lines = [
        "| database | run | seconds | open loans | loans / s | reminders sent | letters / s | per duty |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        letters = f"{r.letters_per_second:.1f}" if r.letters_per_second else "–"
        lines.append(
            f"| {r.database} | {r.run} | {r.seconds:.2f} | {r.open_loans:,} | {r.loans_per_second:,.0f} "
            f"| {r.reminders:,} | {letters} | {r.duties} |"
        )
    return "\n".join(lines)


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 1000 else f"{value:.1f}"


def page_table(results: list[PageMeasurement]) -> str:
    lines = [
        f"| database | programme page | cases | requests | median ms | p95 ms | queries | p95 ≤ {TARGET_P95_MS} ms "
        "| CPU median ms | CPU p95 ms | server CPU ms |",
        "|---|---|---:|---:|---:|---:|---:|:---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.database} | {r.scenario} | {r.cases:,} | {r.requests} | {_ms(r.median_ms)} | {_ms(r.p95_ms)} "
            f"| {r.queries} | {'yes' if r.meets_target else 'NO'} | {_ms(r.cpu_median_ms)} | {_ms(r.cpu_p95_ms)} "
            f"| {_ms(r.server_cpu_ms)} |"
        )
    return "\n".join(lines)
