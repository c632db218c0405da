"""The consultant's review: line by line, the team's traffic light, and the grant decision.

Approving the plan is the grant decision (seed 004): the approved lines are booked on the legal
basis and funding source of the booking rule in force that day, reserved in their pools, the
activity window starts, and a decision letter with the legal basis and how to complain is issued
and kept exactly as sent. All in one transaction: if any line cannot be booked, nothing is decided.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from teten.accounts.access import require
from teten.accounts.models import Role
from teten.audit.services import decision_record
from teten.budgets import letters
from teten.budgets.models import (
    Assessment,
    BudgetLine,
    BudgetPlan,
    Colour,
    DecisionKind,
    GrantDecision,
    LineReview,
    LineStatus,
    PlanStatus,
)
from teten.budgets.offers import budget_settings
from teten.core.clock import now as clock_now
from teten.core.clock import today
from teten.payments.commitments import commitment_reserve
from teten.payments.models import MoneyKind
from teten.programmes.booking import rule_in_force

REVIEW_DECISIONS = (LineStatus.APPROVED, LineStatus.NEEDS_ARGUMENT, LineStatus.REJECTED)


def _reviewable(actor, plan: BudgetPlan) -> None:
    require(actor, "budgets.work", plan)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("The plan is not waiting for review."))


@transaction.atomic
def line_review(*, actor, line: BudgetLine, decision: LineStatus, comment: str = "") -> LineReview:
    """Approve a line, ask for a better argument (with a comment the citizen sees), or reject it."""
    line = BudgetLine.objects.select_for_update().select_related("plan").get(pk=line.pk)
    plan = line.plan
    _reviewable(actor, plan)
    if decision not in REVIEW_DECISIONS:
        raise ValidationError(_("Choose approve, better argument or reject."))
    if decision in (LineStatus.NEEDS_ARGUMENT, LineStatus.REJECTED) and not comment.strip():
        raise ValidationError({"comment": _("Tell the citizen why, in a sentence they can act on.")})
    if line.status not in (LineStatus.PENDING, *REVIEW_DECISIONS):
        raise ValidationError(_("This line is not part of the plan under review."))
    line.status, line.consultant_comment = decision, comment.strip()
    line.save(update_fields=["status", "consultant_comment"])
    return LineReview.objects.create(
        line=line, version=plan.version, decision=decision, comment=comment.strip(), reviewer=actor
    )


def _lines(plan: BudgetPlan) -> list[BudgetLine]:
    return list(
        BudgetLine.objects.filter(plan=plan)
        .exclude(status__in=[LineStatus.CANCELLED, LineStatus.DRAFT])
        .select_related("category")
        .order_by("planned_month", "id")
    )


@transaction.atomic
def plan_return(*, actor, plan: BudgetPlan) -> BudgetPlan:
    """Send the plan back to the citizen to improve the lines that need a better argument."""
    _reviewable(actor, plan)
    lines = _lines(plan)
    if any(line.status == LineStatus.PENDING for line in lines):
        raise ValidationError(_("Give every line your answer before you send the plan back."))
    if not any(line.status == LineStatus.NEEDS_ARGUMENT for line in lines):
        raise ValidationError(_("No line needs a better argument: approve the plan instead."))
    plan.status = PlanStatus.CHANGES_REQUESTED
    plan.save(update_fields=["status", "updated_at"])
    decision_record(
        actor=actor,
        municipality=plan.municipality,
        kind="budget.returned",
        obj=plan,
        citizen=plan.citizen,
        after={
            "version": plan.version,
            "needs_argument": [line.pk for line in lines if line.status == LineStatus.NEEDS_ARGUMENT],
        },
    )
    return plan


@transaction.atomic
def assessment_record(*, actor, plan: BudgetPlan, colour: Colour, comment: str) -> Assessment:
    """A team member's traffic light on the version under review (one per consultant and version)."""
    require(actor, "budgets.work", plan)
    if Role.JOB_CONSULTANT not in actor.roles:
        raise PermissionDenied
    team = budget_settings(plan.programme).team
    if team is not None and actor.team_id != team.pk:
        raise PermissionDenied(_("Only consultants of the programme's team assess plans."))
    if plan.version == 0:
        raise ValidationError(_("The plan has not been sent for review yet."))
    if colour in (Colour.YELLOW, Colour.RED) and not comment.strip():
        raise ValidationError({"comment": _("Say what should change.")})
    try:
        with transaction.atomic():
            return Assessment.objects.create(
                plan=plan, version=plan.version, consultant=actor, colour=colour, comment=comment
            )
    except IntegrityError:
        raise ValidationError(_("You have already assessed this version of the plan.")) from None


def activity_window(start: datetime.date, months: int) -> tuple[datetime.date, datetime.date]:
    """From the decision date, `months` months (to the day before the same date)."""
    return start, start + relativedelta(months=months) - datetime.timedelta(days=1)


@transaction.atomic
def plan_approve(*, actor, plan: BudgetPlan) -> GrantDecision:
    """The grant decision. Lines must all be answered and at least one approved."""
    _reviewable(actor, plan)
    lines = _lines(plan)
    if any(line.status in (LineStatus.PENDING, LineStatus.NEEDS_ARGUMENT) for line in lines):
        raise ValidationError(_("Every line must be approved or rejected before the plan can be approved."))
    approved = [line for line in lines if line.status == LineStatus.APPROVED]
    if not approved:
        raise ValidationError(_("No line is approved."))
    decided_on = today()
    window_start, window_end = activity_window(decided_on, budget_settings(plan.programme).window_months)
    decision = GrantDecision.objects.create(
        municipality=plan.municipality,
        plan=plan,
        kind=DecisionKind.GRANT,
        decided_by=actor,
        decided_on=decided_on,
        total=sum(line.amount for line in approved),
        window_start=window_start,
        window_end=window_end,
    )
    for line in approved:
        book_line(actor=actor, line=line, decision=decision)
    plan.status, plan.approved_at = PlanStatus.APPROVED, clock_now()
    plan.window_start, plan.window_end = window_start, window_end
    plan.save(update_fields=["status", "approved_at", "window_start", "window_end", "updated_at"])
    decision.letter = letters.grant_letter(
        decision=decision, lines=approved, rejected=[line for line in lines if line not in approved]
    )
    decision.save(update_fields=["letter"])
    decision_record(
        actor=actor,
        municipality=plan.municipality,
        kind="budget.granted",
        obj=plan,
        citizen=plan.citizen,
        legal_basis="; ".join(sorted({line.legal_basis for line in approved if line.legal_basis})),
        before={"status": PlanStatus.SUBMITTED},
        after={"status": PlanStatus.APPROVED, "total": decision.total, "window": [str(window_start), str(window_end)]},
    )
    return decision


def book_line(*, actor, line: BudgetLine, decision: GrantDecision) -> None:
    """Book an approved line by the rule in force on the decision date and reserve it in its pool."""
    rule = rule_in_force(programme=line.plan.programme, category=line.category, on=decision.decided_on)
    citation = rule.legal_basis.citation() if rule.legal_basis else _("Without legal basis")
    commitment = commitment_reserve(
        actor=actor,
        programme=line.plan.programme,
        funding_source=rule.funding_source,
        citizen=line.plan.citizen,
        kind=MoneyKind.GRANT,
        reference=f"budgets.BudgetLine:{line.pk}",
        amount=line.amount,
        description=line.description,
        decided_on=decision.decided_on,
        key=f"budgets.decision:{decision.pk}:line:{line.pk}",
        legal_basis=citation,
    )
    line.legal_basis, line.funding_source, line.commitment = citation, rule.funding_source, commitment
    line.save(update_fields=["legal_basis", "funding_source", "commitment"])
