"""Reports on a micro-loan programme: the funnel, time to decision and payout, arrears, outcomes."""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Count

from teten.loans.balances import aging_bucket, days_past_due, outstanding
from teten.loans.cases import FUNNEL, S
from teten.loans.configuration import loan_settings
from teten.loans.models import Loan, LoanCase, Outcome, OutcomeCheck

# Where a case that ended stopped on its way: its furthest stage reached.
ENDED_AT = {S.NOT_SELECTED: S.INTERVIEWED, S.REJECTED: S.RECOMMENDED}
AFTER_PAYOUT = {S.REPAYING, S.REPAID, S.REMITTED, S.WRITTEN_OFF}


def furthest(case: LoanCase) -> str:
    if case.stage == S.DROPPED_OUT:
        return case.dropped_from
    if case.stage in AFTER_PAYOUT:
        return S.DISBURSED
    return ENDED_AT.get(case.stage, case.stage)


@dataclass
class FunnelStep:
    stage: str
    label: str
    reached: int
    dropped_here: int


def programme_cases(programme, cohort=None):
    """The programme's cases, or one hold's (cohort's)."""
    cases = LoanCase.objects.for_municipality(programme.municipality).filter(programme=programme)
    return cases.filter(cohort=cohort) if cohort is not None else cases


def case_order(case: LoanCase) -> tuple:
    """Open cases first, furthest along first; ended cases (not selected, refused, dropped out) last."""
    ended = case.stage in (S.DROPPED_OUT, S.NOT_SELECTED, S.REJECTED)
    position = FUNNEL.index(furthest(case)) if furthest(case) in FUNNEL else len(FUNNEL)
    return (ended, -position, case.citizen.last_name, case.citizen.first_name)


def funnel(programme, cohort=None) -> list[FunnelStep]:
    """How many reached each step, and how many left at it (Mikrolån 2.0: 60 interviewed, 19
    selected, 13 completed the courses, 10 loans)."""
    cases = list(programme_cases(programme, cohort))
    order = {stage: i for i, stage in enumerate(FUNNEL)}
    reached = [order.get(furthest(c), 0) for c in cases]
    steps = []
    for i, stage in enumerate(FUNNEL):
        left = sum(
            1 for c in cases if c.stage in (S.DROPPED_OUT, S.NOT_SELECTED, S.REJECTED) and order.get(furthest(c)) == i
        )
        steps.append(FunnelStep(stage, str(S(stage).label), sum(1 for r in reached if r >= i), left))
    return steps


@dataclass
class CaseTiming:
    case: LoanCase
    to_decision: int | None
    to_payout: int | None


@dataclass
class Timing:
    target: int
    rows: list[CaseTiming]

    def _median(self, attribute: str) -> float | None:
        values = [getattr(r, attribute) for r in self.rows if getattr(r, attribute) is not None]
        return statistics.median(values) if values else None

    @property
    def median_to_decision(self):
        return self._median("to_decision")

    @property
    def median_to_payout(self):
        return self._median("to_payout")

    @property
    def slowest(self) -> list[CaseTiming]:
        return sorted(
            (r for r in self.rows if r.to_payout is not None or r.to_decision is not None),
            key=lambda r: -(r.to_payout if r.to_payout is not None else r.to_decision),
        )[:5]

    @property
    def over_target(self) -> int:
        return sum(1 for r in self.rows if r.to_payout is not None and r.to_payout > self.target)


def timing(programme, cohort=None) -> Timing:
    """Days from the finished course programme to the decision and to the paid loan, per case
    (the source took two months; the target is one)."""
    loans = {
        loan.case_id: loan
        for loan in Loan.objects.for_municipality(programme.municipality).filter(case__programme=programme)
    }
    rows = []
    for case in programme_cases(programme, cohort).filter(courses_done_on__isnull=False).select_related("citizen"):
        loan = loans.get(case.pk)
        rows.append(
            CaseTiming(
                case,
                (loan.decided_on - case.courses_done_on).days if loan else None,
                (loan.paid_out_on - case.courses_done_on).days if loan and loan.paid_out_on else None,
            )
        )
    return Timing(target=loan_settings(programme).decision_target_days, rows=rows)


@dataclass
class Arrears:
    loan: Loan
    owed: int
    days: int
    bucket: str


def arrears(programme, on: datetime.date, cohort=None) -> list[Arrears]:
    result = []
    loans = Loan.objects.for_municipality(programme.municipality).filter(
        case__in=programme_cases(programme, cohort), paid_out_on__isnull=False, closed_on__isnull=True
    )
    for loan in loans.select_related("case__citizen"):
        days = days_past_due(loan, on)
        result.append(Arrears(loan, outstanding(loan), days, aging_bucket(days)))
    return sorted(result, key=lambda a: -a.days)


CHECKPOINTS = (6, 12, 24)


def outcomes(programme, cohort=None) -> list[tuple[str, list[tuple[int, int]]]]:
    """At 6, 12 and 24 months: how many in each outcome, as rows of (outcome, [(months, n), ...])."""
    rows = (
        OutcomeCheck.objects.filter(case__in=programme_cases(programme, cohort))
        .values("months_after", "outcome")
        .annotate(n=Count("id"))
    )
    counts = {(row["months_after"], row["outcome"]): row["n"] for row in rows}
    return [
        (str(label), [(months, counts.get((months, value), 0)) for months in CHECKPOINTS])
        for value, label in Outcome.choices
    ]
