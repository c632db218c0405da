"""Reports on a micro-loan programme: the funnel, time to decision and payout, arrears, outcomes,
and its cases a page at a time.

A programme may have tens of thousands of cases (København: 45,000 at scale), so every figure is
counted by the database in set-based queries, and only the rows shown on the page become model
instances. The page writes one access-log row naming exactly the citizens it shows."""

import datetime
import heapq
import statistics
from collections import Counter
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy

from teten.audit.models import AccessKind
from teten.audit.services import access_record
from teten.core.db import DaysBetween
from teten.loans.balances import AGING_BUCKETS, aging_bucket
from teten.loans.cases import FUNNEL, S
from teten.loans.configuration import loan_settings
from teten.loans.models import Loan, LoanCase, LoanSettings, Outcome, OutcomeCheck, ScheduledInstalment, Stage

PURPOSE = gettext_lazy("Casework: the micro-loan programme's cases")
CASES_PER_PAGE = 25
OLDEST_ARREARS = 25  # loans in arrears listed by name; the rest are counted per aging bucket
SLOWEST = 5
TIMING_MONTHS = 12  # without a hold, days to decision are over the courses completed this long ago

# Where a case that ended stopped on its way: its furthest stage reached.
ENDED_AT = {S.NOT_SELECTED: S.INTERVIEWED, S.REJECTED: S.RECOMMENDED}
AFTER_PAYOUT = {S.REPAYING, S.REPAID, S.REMITTED, S.WRITTEN_OFF}
ENDED = (S.DROPPED_OUT, S.NOT_SELECTED, S.REJECTED)


def furthest_stage(stage: str, dropped_from: str = "") -> str:
    if stage == S.DROPPED_OUT:
        return dropped_from
    if stage in AFTER_PAYOUT:
        return S.DISBURSED
    return ENDED_AT.get(stage, stage)


def furthest(case: LoanCase) -> str:
    return furthest_stage(case.stage, case.dropped_from)


def programme_cases(programme, cohort=None):
    """The programme's cases, or one hold's (cohort's)."""
    cases = LoanCase.objects.for_municipality(programme.municipality).filter(programme=programme)
    return cases.filter(cohort=cohort) if cohort is not None else cases


# --- the funnel -------------------------------------------------------------------------------


@dataclass
class FunnelStep:
    stage: str
    label: str
    reached: int
    dropped_here: int


def funnel_steps(counts: Counter) -> list[FunnelStep]:
    """The funnel from the number of cases per (stage, dropped_from): how many reached each step
    (their furthest stage is that step or later), and how many ended there."""
    order = {stage: i for i, stage in enumerate(FUNNEL)}
    reached, left = Counter(), Counter()
    for (stage, dropped_from), n in counts.items():
        position = order.get(furthest_stage(stage, dropped_from))
        reached[position or 0] += n
        if stage in ENDED and position is not None:
            left[position] += n
    steps = []
    for i, stage in enumerate(FUNNEL):
        at_or_after = sum(n for position, n in reached.items() if position >= i)
        steps.append(FunnelStep(stage, str(S(stage).label), at_or_after, left[i]))
    return steps


def funnel(programme, cohort=None) -> list[FunnelStep]:
    """How many reached each step, and how many left at it (Mikrolån 2.0: 60 interviewed, 19
    selected, 13 completed the courses, 10 loans). Two grouped queries: the cases per stage (the
    stage index answers it), and those who dropped out per stage they dropped out from."""
    cases = programme_cases(programme, cohort).order_by()
    counts = Counter()
    for stage, n in cases.values_list("stage").annotate(n=Count("*")):
        if stage != S.DROPPED_OUT:
            counts[stage, ""] = n
    dropped = cases.filter(stage=S.DROPPED_OUT).values_list("dropped_from").annotate(n=Count("*"))
    for dropped_from, n in dropped:
        counts[S.DROPPED_OUT, dropped_from] = n
    return funnel_steps(counts)


# --- days from the courses to decision and payout ---------------------------------------------


@dataclass
class CaseTiming:
    case: LoanCase
    to_decision: int | None
    to_payout: int | None


@dataclass
class Timing:
    target: int
    since: datetime.date | None  # the courses completed on or after this day; None: the whole hold
    cases: int
    median_to_decision: float | None
    median_to_payout: float | None
    over_target: int
    slowest: list[CaseTiming]


def timing(programme, on: datetime.date, cohort=None, *, target: int | None = None) -> Timing:
    """Days from the finished course programme to the decision and to the paid loan (the source
    took two months; the target is one). Over one hold's cases, or, for the whole programme, the
    cases that completed the courses in the last 12 months: a coordinator steers by this year's
    cases, and six years of them would hide a change. The database counts the days; only the
    slowest cases are loaded, to be named."""
    cases = programme_cases(programme, cohort).filter(courses_done_on__isnull=False)
    since = None if cohort is not None else on - relativedelta(months=TIMING_MONTHS)
    if since is not None:
        cases = cases.filter(courses_done_on__gte=since)
    to_decision = DaysBetween("courses_done_on", "loan__decided_on")
    to_payout = DaysBetween("courses_done_on", "loan__paid_out_on")
    rows = list(cases.order_by().values_list("pk", to_decision, to_payout))
    if target is None:
        target = loan_settings(programme).decision_target_days
    decision = [d for _pk, d, _p in rows if d is not None]
    payout = [p for _pk, _d, p in rows if p is not None]
    # The slowest: by the days to payout, or to decision for those not paid yet; the first case
    # first among equals.
    waited = ((p if p is not None else d, -pk, d, p) for pk, d, p in rows)
    slow = heapq.nlargest(SLOWEST, (w for w in waited if w[0] is not None))
    named = programme_cases(programme).select_related("citizen").in_bulk([-key for _days, key, _d, _p in slow])
    return Timing(
        target=target,
        since=since,
        cases=len(rows),
        median_to_decision=statistics.median(decision) if decision else None,
        median_to_payout=statistics.median(payout) if payout else None,
        over_target=sum(1 for p in payout if p > target),
        slowest=[CaseTiming(named[-key], d, p) for _days, key, d, p in slow],
    )


# --- arrears ----------------------------------------------------------------------------------


@dataclass
class Arrears:
    loan: Loan
    owed: int
    days: int
    bucket: str


@dataclass
class ArrearsOverview:
    loans: int  # open loans with an instalment past due
    buckets: list[tuple[str, int]]  # (aging bucket, loans), youngest first
    oldest: list[Arrears]


def owed(loan_ids) -> dict[int, int]:
    """What is still owed on these loans: their current schedules' amounts less what was paid."""
    rows = (
        ScheduledInstalment.objects.filter(schedule__loan_id__in=loan_ids, schedule__is_current=True)
        .order_by()
        .values_list("schedule__loan_id")
        .annotate(owed=Sum(F("amount") - F("paid")))
    )
    return dict(rows)


def arrears(programme, on: datetime.date, cohort=None) -> ArrearsOverview:
    """The loans in arrears counted per aging bucket (1-30, 31-60, 61-90, 90+ days past due), and
    the oldest of them by name with what is owed on each.

    A loan is in arrears when the oldest unpaid instalment of its current schedule fell due before
    `on`; its case keeps that date (`balances.first_unpaid_refresh`), so a replaced schedule's
    unpaid instalments do not count, and the programme's loans in arrears are one range of an
    index: counted per bucket in one query, the oldest read in order in another."""
    in_arrears = programme_cases(programme, cohort).filter(first_unpaid_due__lt=on).order_by()
    buckets, newer = {}, on
    for days, label in AGING_BUCKETS:  # 1-30 days past due: fell due in the 30 days before `on`
        older = on - datetime.timedelta(days=days)
        buckets[label] = Count("pk", filter=Q(first_unpaid_due__gte=older, first_unpaid_due__lt=newer))
        newer = older
    buckets["90+"] = Count("pk", filter=Q(first_unpaid_due__lt=newer))
    counts = in_arrears.aggregate(**buckets)
    oldest_cases = in_arrears.select_related("citizen", "loan").order_by("first_unpaid_due", "pk")[:OLDEST_ARREARS]
    amounts = owed([case.loan.pk for case in oldest_cases])
    oldest = []
    for case in oldest_cases:
        days = (on - case.first_unpaid_due).days
        oldest.append(Arrears(case.loan, amounts.get(case.loan.pk, 0), days, aging_bucket(days)))
    return ArrearsOverview(sum(counts.values()), list(counts.items()), oldest)


# --- outcomes ---------------------------------------------------------------------------------

CHECKPOINTS = (6, 12, 24)


def outcomes(programme, cohort=None) -> list[tuple[str, list[tuple[int, int]]]]:
    """At 6, 12 and 24 months: how many in each outcome, as rows of (outcome, [(months, n), ...])."""
    checks = OutcomeCheck.objects.filter(case__municipality=programme.municipality, case__programme=programme)
    if cohort is not None:
        checks = checks.filter(case__cohort=cohort)
    rows = checks.order_by().values("months_after", "outcome").annotate(n=Count("id"))
    counts = {(row["months_after"], row["outcome"]): row["n"] for row in rows}
    return [
        (str(label), [(months, counts.get((months, value), 0)) for months in CHECKPOINTS])
        for value, label in Outcome.choices
    ]


# --- the page ---------------------------------------------------------------------------------


class _Counted:
    """A queryset whose count is already known (the funnel counted every case), for Paginator."""

    def __init__(self, queryset, count: int):
        self.queryset, self._count = queryset, count

    def count(self) -> int:
        return self._count

    def __getitem__(self, key):
        return self.queryset[key]


def case_page(programme, cohort=None, page_number: int | str = 1, *, total: int | None = None) -> Page:
    """The programme's cases, a page at a time, the most recently changed first. The page's keys
    are read from the index first, and only those cases loaded with their citizens, so a page
    far down the list does not load every case (and citizen) before it."""
    cases = programme_cases(programme, cohort).order_by("-updated_at", "-id")
    keys = cases.values_list("pk", flat=True)
    page = Paginator(keys if total is None else _Counted(keys, total), CASES_PER_PAGE).get_page(page_number)
    shown = cases.select_related("citizen").in_bulk(list(page.object_list))
    labels = {value: str(label) for value, label in Stage.choices}
    page.object_list = [shown[pk] for pk in page.object_list]
    for case in page.object_list:
        # get_stage_display() would translate every stage's label again for each row.
        case.stage_label = labels[case.stage]
    return page


@dataclass
class ProgrammeOverview:
    settings: LoanSettings
    funnel: list[FunnelStep]
    timing: Timing
    arrears: ArrearsOverview
    outcomes: list[tuple[str, list[tuple[int, int]]]]
    cases: Page


def programme_overview(*, user, programme, on: datetime.date, cohort=None, page_number=1) -> ProgrammeOverview:
    """Everything on the coordinator's programme page, and one access-log row naming the citizens
    it shows: this page of cases, the slowest cases and the oldest arrears."""
    settings_row = loan_settings(programme)
    steps = funnel(programme, cohort)
    overview = ProgrammeOverview(
        settings=settings_row,
        funnel=steps,
        timing=timing(programme, on, cohort, target=settings_row.decision_target_days),
        arrears=arrears(programme, on, cohort),
        outcomes=outcomes(programme, cohort),
        cases=case_page(programme, cohort, page_number, total=steps[0].reached),
    )
    shown = [case.citizen_id for case in overview.cases.object_list]
    shown += [row.case.citizen_id for row in overview.timing.slowest]
    shown += [row.loan.case.citizen_id for row in overview.arrears.oldest]
    if shown:
        access_record(
            actor=user, municipality=programme.municipality, kind=AccessKind.LIST, purpose=PURPOSE, citizens=shown
        )
    return overview
