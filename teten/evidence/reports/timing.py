"""Micro-loans: days from the finished course programme to the loan decision and to the payout
(the loans app's `timing`; seed 001 took two months, the target is one). Counts only: the cases
behind the numbers are never named here.
"""

import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from teten.core.db import DaysBetween
from teten.evidence.reports import Row, Table, count, number
from teten.loans import selectors as loan_selectors
from teten.loans.configuration import loan_settings

# Upper bounds in days, inclusive; the last bucket is open.
BUCKETS = (14, 30, 60, 90)


def bucket_labels() -> list[str]:
    labels, low = [], 0
    for high in BUCKETS:
        labels.append(_("%(low)s–%(high)s days") % {"low": low, "high": high})
        low = high + 1
    labels.append(_("over %(days)s days") % {"days": BUCKETS[-1]})
    return labels


def bucket_counts(values: list[int]) -> list[int]:
    counts = [0] * (len(BUCKETS) + 1)
    for v in values:
        counts[next((i for i, high in enumerate(BUCKETS) if v <= high), len(BUCKETS))] += 1
    return counts


@dataclass
class TimingReport:
    target: int
    cases: int  # cases that finished the courses
    to_decision: list[int]
    to_payout: list[int]
    median_to_decision: float | None
    median_to_payout: float | None
    over_target: int

    def table(self) -> Table:
        table = Table(_("Time to decision and payout"), [_("Measure"), _("Value")], name="sagsbehandlingstid")
        table.rows += [
            Row(_("Target: paid within (days)"), [count(self.target)]),
            Row(_("Cases that finished the courses"), [count(self.cases)]),
            Row(_("Cases decided"), [count(len(self.to_decision))]),
            Row(_("Paid out"), [count(len(self.to_payout))]),
            Row(_("Median days to decision"), [_median(self.median_to_decision)]),
            Row(_("Median days to payout"), [_median(self.median_to_payout)]),
            Row(_("Paid later than the target"), [count(self.over_target)]),
        ]
        return table

    def distribution_table(self) -> Table:
        table = Table(_("Days from finished courses"), [_("Days"), _("To decision"), _("To payout")], name="fordeling")
        for label, decided, paid in zip(
            bucket_labels(), bucket_counts(self.to_decision), bucket_counts(self.to_payout), strict=True
        ):
            table.rows.append(Row(label, [count(decided), count(paid)]))
        return table

    def tables(self) -> list[Table]:
        return [self.table(), self.distribution_table()]


def _median(value: float | None):
    return number(None if value is None else Decimal(str(value)), 1)


def case_days(programme, cohort=None) -> list[tuple[int | None, int | None]]:
    """(days to decision, days to payout) for every case that finished the courses: the whole
    programme (the coordinator's own page shows the last 12 months)."""
    cases = loan_selectors.programme_cases(programme, cohort).filter(courses_done_on__isnull=False)
    return list(
        cases.order_by().values_list(
            DaysBetween("courses_done_on", "loan__decided_on"), DaysBetween("courses_done_on", "loan__paid_out_on")
        )
    )


def timing(programme, cohort=None) -> TimingReport:
    rows = case_days(programme, cohort)
    decision = [d for d, _p in rows if d is not None]
    payout = [p for _d, p in rows if p is not None]
    target = loan_settings(programme).decision_target_days
    return TimingReport(
        target=target,
        cases=len(rows),
        to_decision=decision,
        to_payout=payout,
        median_to_decision=statistics.median(decision) if decision else None,
        median_to_payout=statistics.median(payout) if payout else None,
        over_target=sum(1 for p in payout if p > target),
    )
