"""Reports on a micro-loan programme: the funnel, time to decision and payout, arrears, outcomes,
and its cases a page at a time.

A programme may have tens of thousands of cases (København: 45,000 at scale), so every figure is
counted by the database in set-based queries, and only the rows shown on the page become model
instances. The page writes one access-log row naming exactly the citizens it shows."""

import datetime
import statistics
from collections import Counter
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Min, Sum
from django.utils.translation import gettext_lazy

from teten.audit.models import AccessKind
from teten.audit.services import access_record
from teten.loans.balances import AGING_BUCKETS, aging_bucket
from teten.loans.cases import FUNNEL, S
from teten.loans.configuration import loan_settings
from teten.loans.models import Loan, LoanCase, Outcome, OutcomeCheck, ScheduledInstalment

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
    for stage, n in cases.values_list("stage").annotate(n=Count("id")):
        if stage != S.DROPPED_OUT:
            counts[stage, ""] = n
    dropped = cases.filter(stage=S.DROPPED_OUT).values_list("dropped_from").annotate(n=Count("id"))
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


def timing(programme, on: datetime.date, cohort=None) -> Timing:
    """Days from the finished course programme to the decision and to the paid loan (the source
    took two months; the target is one). Over one hold's cases, or, for the whole programme, the
    cases that completed the courses in the last 12 months: a coordinator steers by this year's
    cases, and six years of them would hide a change. Plain dates, not model instances; only the
    slowest cases are loaded, to be named."""
    cases = programme_cases(programme, cohort).filter(courses_done_on__isnull=False)
    since = None if cohort is not None else on - relativedelta(months=TIMING_MONTHS)
    if since is not None:
        cases = cases.filter(courses_done_on__gte=since)
    rows = []
    for pk, done, decided, paid in cases.values_list("pk", "courses_done_on", "loan__decided_on", "loan__paid_out_on"):
        rows.append((pk, (decided - done).days if decided else None, (paid - done).days if paid else None))
    target = loan_settings(programme).decision_target_days
    decision = [d for _pk, d, _p in rows if d is not None]
    payout = [p for _pk, _d, p in rows if p is not None]
    slow = sorted(
        (r for r in rows if r[1] is not None or r[2] is not None),
        key=lambda r: (-(r[2] if r[2] is not None else r[1]), r[0]),
    )[:SLOWEST]
    named = programme_cases(programme).select_related("citizen").in_bulk([pk for pk, *_ in slow])
    return Timing(
        target=target,
        since=since,
        cases=len(rows),
        median_to_decision=statistics.median(decision) if decision else None,
        median_to_payout=statistics.median(payout) if payout else None,
        over_target=sum(1 for p in payout if p > target),
        slowest=[CaseTiming(named[pk], d, p) for pk, d, p in slow],
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


def overdue_since(programme, on: datetime.date, cohort=None) -> dict[int, datetime.date]:
    """For each open loan of the programme in arrears on `on`: the due date of its oldest unpaid
    instalment due before `on`. Only the current schedule counts: when a loan is rescheduled, what
    was still owed moves to the new schedule, so the old version's unpaid instalments are no longer
    owed. One grouped query, answered from the index of unpaid instalments by due date."""
    overdue = ScheduledInstalment.objects.filter(
        schedule__is_current=True,
        schedule__loan__municipality=programme.municipality,
        schedule__loan__case__programme=programme,
        schedule__loan__paid_out_on__isnull=False,
        schedule__loan__closed_on__isnull=True,
        due_date__lt=on,
        paid__lt=F("amount"),
    )
    if cohort is not None:
        overdue = overdue.filter(schedule__loan__case__cohort=cohort)
    rows = overdue.order_by().values_list("schedule__loan_id").annotate(oldest=Min("due_date"))
    return dict(rows)


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
    the oldest of them by name with what is owed on each."""
    since = overdue_since(programme, on, cohort)
    per_bucket = Counter(aging_bucket((on - due).days) for due in since.values())
    labels = [label for _limit, label in AGING_BUCKETS] + ["90+"]
    oldest_ids = sorted(since, key=lambda pk: (since[pk], pk))[:OLDEST_ARREARS]
    loans = Loan.objects.for_municipality(programme.municipality).select_related("case__citizen").in_bulk(oldest_ids)
    amounts = owed(oldest_ids)
    oldest = []
    for pk in oldest_ids:
        days = (on - since[pk]).days
        oldest.append(Arrears(loans[pk], amounts.get(pk, 0), days, aging_bucket(days)))
    return ArrearsOverview(len(since), [(label, per_bucket[label]) for label in labels], oldest)


# --- outcomes ---------------------------------------------------------------------------------

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


# --- the page ---------------------------------------------------------------------------------


def case_page(programme, cohort=None, page_number: int | str = 1) -> Page:
    """The programme's cases, a page at a time, the most recently changed first."""
    cases = programme_cases(programme, cohort).select_related("citizen").order_by("-updated_at", "-id")
    return Paginator(cases, CASES_PER_PAGE).get_page(page_number)


@dataclass
class ProgrammeOverview:
    funnel: list[FunnelStep]
    timing: Timing
    arrears: ArrearsOverview
    outcomes: list[tuple[str, list[tuple[int, int]]]]
    cases: Page


def programme_overview(*, user, programme, on: datetime.date, cohort=None, page_number=1) -> ProgrammeOverview:
    """Everything on the coordinator's programme page, and one access-log row naming the citizens
    it shows: this page of cases, the slowest cases and the oldest arrears."""
    overview = ProgrammeOverview(
        funnel=funnel(programme, cohort),
        timing=timing(programme, on, cohort),
        arrears=arrears(programme, on, cohort),
        outcomes=outcomes(programme, cohort),
        cases=case_page(programme, cohort, page_number),
    )
    shown = [case.citizen_id for case in overview.cases.object_list]
    shown += [row.case.citizen_id for row in overview.timing.slowest]
    shown += [row.loan.case.citizen_id for row in overview.arrears.oldest]
    if shown:
        access_record(
            actor=user, municipality=programme.municipality, kind=AccessKind.LIST, purpose=PURPOSE, citizens=shown
        )
    return overview
