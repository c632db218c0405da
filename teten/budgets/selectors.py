"""Reading budgets for staff: every read is authorised and the citizens shown are logged."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from teten.accounts.access import get_for_staff, require
from teten.audit.models import AccessKind
from teten.audit.services import access_record
from teten.budgets.models import (
    BudgetLine,
    BudgetPlan,
    ChangeRequest,
    CourseCost,
    CourseParticipant,
    LineStatus,
    Misuse,
    Offer,
    OfferStatus,
    PlanStatus,
    Receipt,
    ReceiptStatus,
    RequestStatus,
)
from teten.budgets.receipts import overdue_payments
from teten.core.clock import today
from teten.payments.models import Payment, PaymentStatus

PURPOSE_PLAN = _("Casework: the citizen's personal budget")
PURPOSE_WORKLIST = _("Casework: the consultant's budget worklist")


def plan_get(*, user, plan_id: int, permission: str = "budgets.view", log: bool = True) -> BudgetPlan:
    plan = get_for_staff(
        BudgetPlan.objects.select_related("citizen", "programme", "consultant", "offer", "municipality"),
        user=user,
        permission=permission,
        pk=plan_id,
    )
    if log:
        access_record(
            actor=user,
            municipality=user.municipality,
            kind=AccessKind.VIEW,
            purpose=PURPOSE_PLAN,
            citizens=[plan.citizen_id],
        )
    return plan


@dataclass
class Worklist:
    to_review: list
    with_citizen: list
    change_requests: list
    receipts_to_check: list
    overdue: list

    def citizen_ids(self) -> set[int]:
        ids = {p.citizen_id for p in self.to_review + self.with_citizen}
        ids |= {r.plan.citizen_id for r in self.change_requests}
        ids |= {r.payment.citizen_id for r in self.receipts_to_check}
        ids |= {p.citizen_id for p in self.overdue}
        return ids


def worklist(*, user) -> Worklist:
    """What waits for this consultant: plans to review, requests to answer, receipts to check
    and receipts that are overdue.

    Each section is one query whatever its length, and selects only what the page shows: the
    citizen's name and the plan to link to (the plan id is on the budget line)."""
    require(user, "budgets.work")
    m = user.municipality
    waiting = [PlanStatus.SUBMITTED, PlanStatus.DRAFT, PlanStatus.CHANGES_REQUESTED]
    plans = list(
        BudgetPlan.objects.for_municipality(m)
        .filter(consultant=user, status__in=waiting)
        .select_related("citizen")
        .order_by("updated_at")
    )
    result = Worklist(
        to_review=[plan for plan in plans if plan.status == PlanStatus.SUBMITTED],
        with_citizen=[plan for plan in plans if plan.status != PlanStatus.SUBMITTED],
        change_requests=list(
            ChangeRequest.objects.filter(
                plan__municipality=m, plan__consultant=user, status=RequestStatus.PENDING
            ).select_related("plan__citizen", "line")
        ),
        receipts_to_check=list(
            Receipt.objects.filter(
                payment__municipality=m,
                payment__commitment__budget_line__plan__consultant=user,
                status=ReceiptStatus.UPLOADED,
            ).select_related("payment__citizen", "payment__commitment__budget_line")
        ),
        overdue=overdue_payments(m, on=today(), consultant=user),
    )
    ids = result.citizen_ids()
    if ids:
        access_record(actor=user, municipality=m, kind=AccessKind.LIST, purpose=PURPOSE_WORKLIST, citizens=ids)
    return result


@dataclass
class ProgrammeStats:
    offered: int
    accepted: int
    declined: int
    plans_by_status: dict
    granted: int
    disbursed: int
    misused: int
    participants: int
    course_cost: int

    @property
    def misuse_rate(self) -> str:
        """Misused ÷ disbursed, as the source reports it (3.7 % of granted funds)."""
        return f"{100 * self.misused / self.disbursed:.1f}".replace(".", ",") if self.disbursed else "0,0"

    @property
    def cost_per_participant(self) -> int:
        return (self.granted // self.participants if self.participants else 0) + self.course_cost


def programme_stats(programme) -> ProgrammeStats:
    m = programme.municipality
    offers = Offer.objects.for_municipality(m).filter(programme=programme)
    counts = offers.aggregate(
        offered=Count("id"),
        accepted=Count("id", filter=Q(status=OfferStatus.ACCEPTED)),
        declined=Count("id", filter=Q(status=OfferStatus.DECLINED)),
    )
    plans = BudgetPlan.objects.for_municipality(m).filter(programme=programme)
    by_status = dict(plans.values("status").annotate(n=Count("id")).values_list("status", "n"))
    payments = Payment.objects.for_municipality(m).filter(commitment__programme=programme)
    granted = BudgetLine.objects.filter(plan__programme=programme, status=LineStatus.APPROVED).aggregate(
        total=Sum("amount", default=0)
    )["total"]
    disbursed = payments.filter(status__in=[PaymentStatus.SENT, PaymentStatus.PAID]).aggregate(
        total=Sum("amount", default=0)
    )["total"]
    misused = Misuse.objects.filter(payment__commitment__programme=programme).aggregate(total=Sum("amount", default=0))[
        "total"
    ]
    participants = plans.exclude(status__in=[PlanStatus.DRAFT]).filter(approved_at__isnull=False).count()
    course_cost = _course_cost_per_participant(programme)
    return ProgrammeStats(
        counts["offered"],
        counts["accepted"],
        counts["declined"],
        by_status,
        granted,
        disbursed,
        misused,
        participants,
        course_cost,
    )


def _course_cost_per_participant(programme) -> int:
    """Average course cost per participant: the sum over courses of (cost per citizen × places
    taken), divided by everyone who took part in a course."""
    costs = CourseCost.objects.filter(course__programme=programme)
    total = 0
    for cost in costs.select_related("course"):
        total += cost.amount_per_citizen * CourseParticipant.objects.filter(course=cost.course).count()
    people = CourseParticipant.objects.filter(course__programme=programme).values("plan").distinct().count()
    return total // people if people else 0
