"""The budget tool: the citizen writes the plan line by line and sends it for review.

Rules (seed 004): the total is at most the programme's cap *including VAT*; every line says how it
brings the citizen closer to work; activities lie within the activity window (planned months from
this month to the end of the window). Messages are plain Danish and tied to the field.
"""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import formats
from django.utils.translation import gettext as _

from teten.audit.services import decision_record
from teten.budgets.models import BudgetLine, BudgetPlan, BudgetSettings, LineStatus, PlanStatus, PlanVersion
from teten.budgets.offers import budget_settings
from teten.core.clock import today
from teten.core.money import format_kroner
from teten.programmes.models import ExpenseCategory

EDITABLE_PLAN = (PlanStatus.DRAFT, PlanStatus.CHANGES_REQUESTED)
# Lines that count towards the total: everything not turned down or cancelled.
COUNTING = (LineStatus.DRAFT, LineStatus.PENDING, LineStatus.APPROVED, LineStatus.NEEDS_ARGUMENT)
MIN_JUSTIFICATION = 15


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def window_months(plan: BudgetPlan, on: datetime.date | None = None) -> list[datetime.date]:
    """The months a line may be planned for: from this month to the end of the window (before
    approval the window is counted from now; after, it is the decided window)."""
    if plan.window_start and plan.window_end:
        start, end = first_of_month(plan.window_start), first_of_month(plan.window_end)
    else:
        start = first_of_month(on or today())
        end = start + relativedelta(months=budget_settings(plan.programme).window_months - 1)
    months, month = [], start
    while month <= end:
        months.append(month)
        month += relativedelta(months=1)
    return months


@dataclass(frozen=True)
class Totals:
    total: int
    cap: int

    @property
    def left(self) -> int:
        return self.cap - self.total

    @property
    def over(self) -> bool:
        return self.total > self.cap

    @property
    def share(self) -> str:
        return f"{min(100, 100 * self.total / self.cap):.1f}" if self.cap else "0"


def plan_totals(
    plan: BudgetPlan,
    *,
    replacing_id: int | None = None,
    typed_amount: int | None = None,
    settings_row: BudgetSettings | None = None,
) -> Totals:
    """The plan's total against the cap; with `typed_amount`, as if a line being typed were saved
    (replacing the line with id `replacing_id`, if it is one of the plan's lines) —
    for the live total in the budget tool. A caller that has read the programme's settings already
    passes them as `settings_row`."""
    lines = BudgetLine.objects.filter(plan=plan, status__in=COUNTING)
    if replacing_id is not None:
        lines = lines.exclude(pk=replacing_id)
    total = lines.aggregate(total=Sum("amount", default=0))["total"] + (typed_amount or 0)
    return Totals(total=total, cap=(settings_row or budget_settings(plan.programme)).cap)


def lines_totals(lines, settings_row: BudgetSettings) -> Totals:
    """`plan_totals` of lines already read: all the plan's lines, or all but the cancelled ones
    (those that do not count are left out here)."""
    return Totals(total=sum(line.amount for line in lines if line.status in COUNTING), cap=settings_row.cap)


def _month_label(month: datetime.date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def _check_line(plan: BudgetPlan, line: BudgetLine) -> None:
    errors = {}
    if line.category_id and line.category.municipality_id != plan.municipality_id:
        errors["category"] = [_("Choose one of the categories.")]
    if len((line.justification or "").strip()) < MIN_JUSTIFICATION:
        errors["justification"] = [
            _("Write a few sentences about how this brings you closer to work. The consultant decides from this.")
        ]
    months = window_months(plan)
    if line.planned_month not in months:
        errors["planned_month"] = [
            _("Activities must take place within the period: choose a month from %(first)s to %(last)s.")
            % {"first": _month_label(months[0]), "last": _month_label(months[-1])}
        ]
    if line.amount is not None and line.amount > 0:
        totals = plan_totals(plan, replacing_id=line.pk, typed_amount=line.amount)
        if totals.over:
            errors["amount"] = [
                _(
                    "The whole budget may be at most %(cap)s including VAT. With this line it would be %(total)s: "
                    "%(over)s too much."
                )
                % {
                    "cap": format_kroner(totals.cap),
                    "total": format_kroner(totals.total),
                    "over": format_kroner(-totals.left),
                }
            ]
    if errors:
        raise ValidationError(errors)


def _editable(plan: BudgetPlan, citizen) -> None:
    if plan.citizen_id != citizen.pk:
        raise ValidationError(_("This budget is not yours."))
    if plan.status not in EDITABLE_PLAN:
        raise ValidationError(_("The budget cannot be changed now: it is with your job consultant."))


@transaction.atomic
def line_save(
    *,
    citizen,
    plan: BudgetPlan,
    line: BudgetLine | None,
    category: ExpenseCategory,
    description: str,
    supplier: str,
    amount: int,
    planned_month: datetime.date,
    justification: str,
) -> BudgetLine:
    """Add a line or change one the consultant has not approved. A changed line is reviewed again."""
    _editable(plan, citizen)
    if line is not None:
        line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    if line is not None and (line.plan_id != plan.pk or line.status in (LineStatus.APPROVED, LineStatus.CANCELLED)):
        raise ValidationError(_("This line cannot be changed: it has been approved."))
    line = line or BudgetLine(plan=plan)
    line.category, line.description, line.supplier = category, description.strip(), supplier.strip()
    line.amount, line.planned_month, line.justification = amount, first_of_month(planned_month), justification.strip()
    _check_line(plan, line)
    if line.status in (LineStatus.NEEDS_ARGUMENT, LineStatus.REJECTED, LineStatus.PENDING):
        line.status = LineStatus.DRAFT
    line.full_clean(exclude=["plan", "category", "funding_source", "commitment"])
    line.save()
    return line


@transaction.atomic
def line_remove(*, citizen, plan: BudgetPlan, line: BudgetLine) -> None:
    _editable(plan, citizen)
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    if line.plan_id != plan.pk or line.status == LineStatus.APPROVED:
        raise ValidationError(_("An approved line cannot be removed here; ask your consultant for a change."))
    line.status = LineStatus.CANCELLED
    line.save(update_fields=["status"])


@transaction.atomic
def plan_profile_save(*, citizen, plan: BudgetPlan, job_wish: str, education: str, meeting_wish: str) -> BudgetPlan:
    if plan.citizen_id != citizen.pk:
        raise ValidationError(_("This budget is not yours."))
    plan.job_wish, plan.education, plan.meeting_wish = job_wish.strip(), education, meeting_wish
    plan.save(update_fields=["job_wish", "education", "meeting_wish", "updated_at"])
    return plan


def _snapshot(lines) -> list[dict]:
    return [
        {
            "id": line.pk,
            "category": line.category.name,
            "description": line.description,
            "supplier": line.supplier,
            "amount": line.amount,
            "planned_month": line.planned_month.isoformat(),
            "justification": line.justification,
            "status": line.status,
        }
        for line in lines
    ]


@transaction.atomic
def plan_submit(*, citizen, plan: BudgetPlan) -> PlanVersion:
    """Send the plan for review. Every line is checked again; the version is kept as sent."""
    _editable(plan, citizen)
    lines = list(BudgetLine.objects.filter(plan=plan, status__in=COUNTING).select_related("category"))
    if not lines:
        raise ValidationError(_("Add at least one line to your budget before you send it."))
    problems = []
    for line in lines:
        try:
            _check_line(plan, line)
        except ValidationError as exc:
            problems.append(f"{line.description}: {' '.join(m for ms in exc.message_dict.values() for m in ms)}")
    if problems:
        raise ValidationError(problems)
    plan.version += 1
    plan.status = PlanStatus.SUBMITTED
    plan.save(update_fields=["version", "status", "updated_at"])
    BudgetLine.objects.filter(pk__in=[line.pk for line in lines if line.status != LineStatus.APPROVED]).update(
        status=LineStatus.PENDING
    )
    lines = list(BudgetLine.objects.filter(plan=plan, status__in=COUNTING).select_related("category"))
    version = PlanVersion.objects.create(
        plan=plan, number=plan.version, lines=_snapshot(lines), total=sum(line.amount for line in lines)
    )
    decision_record(
        actor=None,
        municipality=plan.municipality,
        kind="budget.submitted",
        obj=plan,
        citizen=plan.citizen,
        after={"version": plan.version, "total": version.total, "lines": len(lines)},
    )
    return version
