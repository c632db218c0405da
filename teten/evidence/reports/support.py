"""Table 3 of seed 004: the share of each group on public support, month by month.

A share is of the group's members with an observation that month (the register extract normally
has every member). Drawn cohorts are split into those who took part and those who did not, and
the pooled control group has its own row: intention to treat compares the drawn with the control.

Counting reads `OutcomeSummary` (each member's months of a year as bit sets), one query per
group, and counts the bits by month (`summary.by_month`); a drawn cohort's row is the sum of its
two sub-groups, so each member's summary is read once per row they belong to at most.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from teten.evidence.groups import Group, Kind, groups
from teten.evidence.reports import SMALL, Row, Table, count, month_text, percent
from teten.evidence.summary import by_month_each


@dataclass
class Series:
    label: str
    kind: str
    indented: bool
    size: int
    by_month: dict[datetime.date, tuple[int, int]] = field(default_factory=dict)  # month → (observed, on support)
    cohort_name: str = ""

    @property
    def full_label(self) -> str:
        """`Fase 4 … took part`: a sub-group's label alone does not say whose part it is."""
        return f"{self.cohort_name} {self.label}" if self.indented and self.cohort_name else self.label

    @property
    def suppressed(self) -> bool:
        return 0 < self.size <= SMALL

    def share(self, month: datetime.date):
        observed, on = self.by_month.get(month, (0, 0))
        return percent(on, observed)


@dataclass
class Support:
    month: datetime.date | None  # the month the table shows
    months: list[datetime.date]
    series: list[Series]

    def table(self) -> Table:
        title = _("Share on public support, %(month)s") % {"month": month_text(self.month)} if self.month else ""
        table = Table(
            title or _("Share on public support"),
            [_("Group"), _("Number"), _("With data that month"), _("On public support"), _("Share on public support")],
            name="forsoergelse",
            note=_("A share is of the members with data that month. A group of 1-2 citizens is not shown."),
        )
        for s in self.series:
            observed, on = s.by_month.get(self.month, (0, 0))
            if s.suppressed:
                cells = [count(None), count(None), count(None), percent(0, 0)]
            else:
                cells = [count(s.size), count(observed), count(on), percent(on, observed)]
            table.rows.append(Row(s.label, cells, s.indented))
        return table

    def months_table(self) -> Table:
        shown = [s for s in self.series if not s.suppressed]
        table = Table(
            _("Share on public support, month by month"),
            [_("Month")] + [s.full_label for s in shown],
            name="maaned",
        )
        for month in self.months:
            table.rows.append(Row(month_text(month), [s.share(month) for s in shown]))
        return table

    def tables(self) -> list[Table]:
        return [self.table(), self.months_table()]


def _sum(a: dict, b: dict) -> dict:
    return {m: (a.get(m, (0, 0))[0] + b.get(m, (0, 0))[0], a.get(m, (0, 0))[1] + b.get(m, (0, 0))[1]) for m in a | b}


def _counts(municipality, rows: list[Group]) -> list[dict]:
    """Each group's counts by month; a cohort split into two sub-groups is their sum. The groups
    counted from the summary are counted together (`by_month_each`)."""
    sums: dict[int, tuple[int, int]] = {}  # a row that is the sum of the two rows after it
    for i, g in enumerate(rows):
        if g.kind in (Kind.TOOK_PART, Kind.DECLINED):
            continue
        parts = rows[i + 1 : i + 3]
        split = (
            g.kind == Kind.COHORT
            and [p.kind for p in parts] == [Kind.TOOK_PART, Kind.DECLINED]
            and set(parts[0].starts) | set(parts[1].starts) == set(g.starts)
            and not set(parts[0].starts) & set(parts[1].starts)
        )
        if split:
            sums[i] = (i + 1, i + 2)
    counted = [i for i in range(len(rows)) if i not in sums]
    found = by_month_each(municipality, [rows[i].citizen_ids for i in counted])
    result: list[dict] = [{} for _ in rows]
    for i, by_month in zip(counted, found, strict=True):
        result[i] = by_month
    for i, (a, b) in sums.items():
        result[i] = _sum(result[a], result[b])
    return result


def support(programme, cohort=None, month: datetime.date | None = None) -> Support:
    rows = groups(programme, cohort, dates=False)
    counts = _counts(programme.municipality, rows)
    series = [
        Series(g.label, g.kind, g.indented, g.size, c, g.cohort.name if g.cohort else "")
        for g, c in zip(rows, counts, strict=True)
    ]
    months = sorted({m for s in series for m in s.by_month})
    if month is None or month not in months:
        month = months[-1] if months else None
    return Support(month, months, series)
