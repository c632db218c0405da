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

    @property
    def meets_target(self) -> bool:
        return self.p95_ms <= TARGET_P95_MS


def table(results: list[Measurement]) -> str:
    """A Markdown table, ready for bench/README.md."""
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
