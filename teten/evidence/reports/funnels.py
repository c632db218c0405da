"""The funnel of each programme: how many citizens reached each step.

Personal budgets (seed 004: 206 offered, 97 took part, 32 left cash benefit): offered → accepted →
plan submitted → plan approved → money paid → not on public support in the latest month with data
(counted among those who accepted). Micro-loans reuse the loans app's funnel (referred → … → loan
paid out) and add those whose latest outcome check says self-supporting (from their business, a
job or an education).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Max, OuterRef, Subquery
from django.utils.translation import gettext as _

from teten.budgets.models import BudgetPlan, Offer, OfferStatus
from teten.evidence.models import OutcomeMonth
from teten.evidence.reports import Row, Table, count, members, month_text, percent
from teten.loans import selectors as loan_selectors
from teten.loans.models import Outcome, OutcomeCheck
from teten.payments.models import Payment, PaymentStatus
from teten.programmes.models import ProgrammeKind

SELF_SUPPORTING = (Outcome.BUSINESS, Outcome.JOB_OR_EDUCATION)


@dataclass
class Step:
    label: str
    reached: int


@dataclass
class Funnel:
    steps: list[Step]
    note: str = ""

    @property
    def first(self) -> int:
        return self.steps[0].reached if self.steps else 0

    def table(self) -> Table:
        table = Table(_("Funnel"), [_("Step"), _("Number"), _("Share of the first step")], note=self.note, name="tragt")
        for step in self.steps:
            table.rows.append(Row(step.label, [count(step.reached), percent(step.reached, self.first)]))
        return table


def _off_support(municipality, citizen_ids: list[int]) -> tuple[datetime.date | None, int]:
    """The latest month with data for these citizens, and how many were off public support then."""
    if not citizen_ids:
        return None, 0
    rows = OutcomeMonth.objects.filter(municipality=municipality, citizen_id__in=members(citizen_ids))
    latest = rows.aggregate(latest=Max("month"))["latest"]
    if latest is None:
        return None, 0
    return latest, rows.filter(month=latest, on_support=False).count()


def budget_funnel(programme, cohort=None) -> Funnel:
    m = programme.municipality
    offers = Offer.objects.for_municipality(m).filter(programme=programme)
    if cohort is not None:
        offers = offers.filter(cohort=cohort)
    plans = BudgetPlan.objects.for_municipality(m).filter(offer__in=offers)
    accepted = list(offers.filter(status=OfferStatus.ACCEPTED).values_list("citizen_id", flat=True).distinct())
    paid = (
        Payment.objects.for_municipality(m)
        .filter(commitment__budget_line__plan__in=plans, status=PaymentStatus.PAID)
        .values("citizen_id")
        .distinct()
        .count()
    )
    latest, off = _off_support(m, accepted)
    left = (
        _("Took part and not on public support in %(month)s") % {"month": month_text(latest)}
        if latest
        else _("Took part and not on public support (no outcome data yet)")
    )
    return Funnel(
        [
            Step(_("Offered"), offers.values("citizen_id").distinct().count()),
            Step(_("Accepted"), len(accepted)),
            Step(_("Plan submitted"), plans.filter(version__gte=1).count()),
            Step(_("Plan approved"), plans.filter(approved_at__isnull=False).count()),
            Step(_("Money paid"), paid),
            Step(left, off),
        ],
        note=_("The last step counts those who accepted the offer, in the latest month with outcome data."),
    )


def loan_funnel(programme, cohort=None) -> Funnel:
    steps = [Step(s.label, s.reached) for s in loan_selectors.funnel(programme, cohort)]
    cases = loan_selectors.programme_cases(programme, cohort)
    latest = OutcomeCheck.objects.filter(case=OuterRef("pk")).order_by("-months_after").values("outcome")[:1]
    supporting = cases.annotate(latest=Subquery(latest)).filter(latest__in=SELF_SUPPORTING).count()
    steps.append(Step(_("Self-supporting at the latest outcome check"), supporting))
    return Funnel(
        steps,
        note=_(
            "Self-supporting: the latest check (6, 12 or 24 months after the payout) says self-supporting "
            "from the business, a job or an education."
        ),
    )


def funnel(programme, cohort=None) -> Funnel:
    if programme.kind == ProgrammeKind.MICROLOAN:
        return loan_funnel(programme, cohort)
    return budget_funnel(programme, cohort)
