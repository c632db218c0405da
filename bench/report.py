"""The benchmark's results and how they are shown. Free of Django, so the command line that runs
one child process per database can gather and print them."""

from dataclasses import dataclass

TARGET_P95_MS = 100


@dataclass
class Measurement:
    database: str
    scenario: str
    rows: int
    median_ms: float
    p95_ms: float
    queries: str
    target_ms: float = TARGET_P95_MS
    group: str = ""  # scenarios whose query counts must be equal (the budgets benchmark)
    # The budgets benchmark also reads this process's CPU time per request, and on PostgreSQL the
    # server process's (a mean): the part of the wall time that does not depend on other jobs.
    cpu_median_ms: float | None = None
    cpu_p95_ms: float | None = None
    server_cpu_ms: float | None = None

    @property
    def meets_target(self) -> bool:
        return self.p95_ms <= self.target_ms


def table(results: list[Measurement], *, targets: bool = False) -> str:
    """A Markdown table, ready for bench/README.md; with `targets`, each row's own target."""
    if targets:
        lines = [
            "| database | scenario | rows | median ms | p95 ms | queries | p95 target | met "
            "| CPU median ms | CPU p95 ms | server CPU ms |",
            "|---|---|---:|---:|---:|---:|---:|:---:|---:|---:|---:|",
        ]
        for r in results:
            lines.append(
                f"| {r.database} | {r.scenario} | {r.rows} | {r.median_ms:.1f} | {r.p95_ms:.1f} | {r.queries} "
                f"| ≤ {r.target_ms:g} ms | {'yes' if r.meets_target else 'NO'} "
                f"| {_ms(r.cpu_median_ms)} | {_ms(r.cpu_p95_ms)} | {_ms(r.server_cpu_ms)} |"
            )
        return "\n".join(lines)
    lines = [
        "| database | scenario | rows | median ms | p95 ms | queries | p95 ≤ 100 ms |",
        "|---|---|---:|---:|---:|---:|:---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.database} | {r.scenario} | {r.rows} | {r.median_ms:.1f} | {r.p95_ms:.1f} | {r.queries} "
            f"| {'yes' if r.meets_target else 'NO'} |"
        )
    return "\n".join(lines)


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def query_counts_constant(results: list[Measurement]) -> dict[str, bool]:
    """Per group: do its scenarios (few rows and many) make the same usual number of queries?"""
    usual: dict[str, set[str]] = {}
    for r in results:
        usual.setdefault(r.group, set()).add(r.queries.split(" ")[0])
    return {group: len(counts) == 1 for group, counts in usual.items()}
