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
    ChangeKind,
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
from teten.budgets.receipts import overdue_for_consultant
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
    """The worklist's rows: dicts with the citizen's `name` and `citizen_id`, the `plan_id` to link
    to, and what the section shows (see `worklist`)."""

    to_review: list[dict]
    with_citizen: list[dict]
    change_requests: list[dict]
    receipts_to_check: list[dict]
    overdue: list[dict]

    def citizen_ids(self) -> set[int]:
        return {row["citizen_id"] for section in self.sections() for row in section}

    def sections(self) -> tuple[list[dict], ...]:
        return (self.to_review, self.with_citizen, self.change_requests, self.receipts_to_check, self.overdue)


def _rows(query, citizen: str, plan_id: str, **fields: str) -> list[dict]:
    """The rows of a `values()` query as the worklist shows them: the citizen's name and id (the
    citizen reached by the path `citizen`), the plan's id, and `fields` renamed."""
    names = {
        "first": f"{citizen}__first_name",
        "last": f"{citizen}__last_name",
        "citizen_id": f"{citizen}_id",
        "plan_id": plan_id,
    }
    rows = []
    for row in query.values(*names.values(), *fields.values()):
        shown = {key: row[path] for key, path in fields.items()}
        shown["name"] = f"{row[names['first']]} {row[names['last']]}"
        shown["citizen_id"], shown["plan_id"] = row[names["citizen_id"]], row[plan_id]
        rows.append(shown)
    return rows


def worklist(*, user) -> Worklist:
    """What waits for this consultant: plans to review, requests to answer, receipts to check
    and receipts that are overdue.

    Each section is one query whatever its length, and selects only what the page shows, as plain
    rows rather than model instances: the citizen's name and the plan to link to (the plan id is on
    the budget line)."""
    require(user, "budgets.work")
    m = user.municipality
    waiting = [PlanStatus.SUBMITTED, PlanStatus.DRAFT, PlanStatus.CHANGES_REQUESTED]
    plans = _rows(
        BudgetPlan.objects.for_municipality(m).filter(consultant=user, status__in=waiting).order_by("updated_at"),
        "citizen",
        "id",
        status="status",
        version="version",
        updated_at="updated_at",
    )
    statuses, kinds = dict(PlanStatus.choices), dict(ChangeKind.choices)
    for plan in plans:
        plan["status_display"] = statuses.get(plan["status"], plan["status"])
    requests = _rows(
        ChangeRequest.objects.filter(plan__municipality=m, plan__consultant=user, status=RequestStatus.PENDING),
        "plan__citizen",
        "plan_id",
        kind="kind",
        line_id="line_id",
        line_description="line__description",
    )
    for request in requests:
        request["kind_display"] = kinds.get(request["kind"], request["kind"])
    result = Worklist(
        to_review=[plan for plan in plans if plan["status"] == PlanStatus.SUBMITTED],
        with_citizen=[plan for plan in plans if plan["status"] != PlanStatus.SUBMITTED],
        change_requests=requests,
        receipts_to_check=_rows(
            Receipt.objects.filter(
                payment__municipality=m,
                payment__commitment__budget_line__plan__consultant=user,
                status=ReceiptStatus.UPLOADED,
            ),
            "payment__citizen",
            "payment__commitment__budget_line__plan_id",
            description="payment__description",
            amount="payment__amount",
        ),
        overdue=overdue_for_consultant(m, on=today(), consultant=user),
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
