"""Changes during the activity window, misuse, stopping the collaboration and closing the case.

Each change the consultant approves is a new decision with its own letter, and the commitments in
the pools follow: more money is reserved, less is released. Misuse becomes a recovery claim; a stop
cancels what is not paid and releases it (seed 004: 7 of 97 misused funds, mostly on private
consumption, and the collaboration was stopped).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from teten.accounts.access import require
from teten.audit.services import decision_record
from teten.budgets import letters
from teten.budgets.models import (
    BudgetLine,
    BudgetPlan,
    ChangeKind,
    ChangeRequest,
    DecisionKind,
    FinalStatus,
    GrantDecision,
    LineStatus,
    Misuse,
    MisuseKind,
    PlanStatus,
    ReceiptStatus,
    RequestStatus,
)
from teten.budgets.offers import budget_settings
from teten.core.clock import today
from teten.core.money import format_kroner
from teten.payments.commitments import commitment_amount, commitment_release, commitment_reserve, commitment_used
from teten.payments.models import LIVE_STATUSES, ClaimReason, Payee, Payment, PaymentStatus
from teten.payments.recovery import claim_create
from teten.payments.services import payment_cancel


def _granted_total(plan: BudgetPlan) -> int:
    return BudgetLine.objects.filter(plan=plan, status=LineStatus.APPROVED).aggregate(total=Sum("amount", default=0))[
        "total"
    ]


def _active(plan: BudgetPlan) -> None:
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError(_("Changes can only be made to an approved budget that is running."))


@transaction.atomic
def change_request_create(
    *,
    citizen,
    plan: BudgetPlan,
    kind: ChangeKind,
    reason: str,
    line: BudgetLine | None = None,
    new_supplier: str = "",
    new_amount: int | None = None,
    new_end: datetime.date | None = None,
) -> ChangeRequest:
    """The citizen asks to change a line (new place, other amount) or for more time."""
    if plan.citizen_id != citizen.pk:
        raise ValidationError(_("This budget is not yours."))
    _active(plan)
    errors = {}
    if not reason.strip():
        errors["reason"] = [_("Tell your consultant why.")]
    if kind == ChangeKind.LINE:
        if line is None or line.plan_id != plan.pk or line.status != LineStatus.APPROVED:
            errors["line"] = [_("Choose one of your approved lines.")]
        elif not new_supplier.strip() and new_amount is None:
            errors["new_amount"] = [_("Write the new place or the new amount.")]
    elif kind == ChangeKind.EXTENSION and (new_end is None or new_end <= plan.window_end):
        errors["new_end"] = [_("Choose a date after %(end)s.") % {"end": f"{plan.window_end:%d.%m.%Y}"}]
    if errors:
        raise ValidationError(errors)
    return ChangeRequest.objects.create(
        plan=plan,
        kind=kind,
        line=line,
        new_supplier=new_supplier.strip(),
        new_amount=new_amount,
        new_end=new_end,
        reason=reason.strip(),
    )


def _new_decision(actor, plan: BudgetPlan, kind: DecisionKind, note: str) -> GrantDecision:
    return GrantDecision.objects.create(
        municipality=plan.municipality,
        plan=plan,
        kind=kind,
        decided_by=actor,
        decided_on=today(),
        total=_granted_total(plan),
        window_start=plan.window_start,
        window_end=plan.window_end,
        note=note,
    )


def _apply_line_change(actor, request: ChangeRequest, decision: GrantDecision) -> dict:
    line = BudgetLine.objects.select_for_update().get(pk=request.line_id)
    before = {"supplier": line.supplier, "amount": line.amount}
    if request.new_amount is not None and request.new_amount != line.amount:
        difference = request.new_amount - line.amount
        if difference > 0:
            cap = budget_settings(line.plan.programme).cap
            if _granted_total(line.plan) + difference > cap:
                raise ValidationError(_("The budget would exceed %(cap)s.") % {"cap": format_kroner(cap)})
            commitment_reserve(
                actor=actor,
                programme=line.plan.programme,
                funding_source=line.funding_source,
                citizen=line.plan.citizen,
                kind=line.commitment.kind,
                reference=line.commitment.reference,
                amount=difference,
                description=line.description,
                decided_on=decision.decided_on,
                key=f"budgets.decision:{decision.pk}:line:{line.pk}",
                legal_basis=line.legal_basis,
            )
        else:
            commitment_release(
                actor=actor,
                commitment=line.commitment,
                amount=-difference,
                reason=request.reason,
                decided_on=decision.decided_on,
                key=f"budgets.decision:{decision.pk}:line:{line.pk}",
            )
        line.amount = request.new_amount
    if request.new_supplier:
        line.supplier = request.new_supplier
    line.save(update_fields=["amount", "supplier"])
    return {"line": line.pk, "before": before, "after": {"supplier": line.supplier, "amount": line.amount}}


@transaction.atomic
def change_request_answer(*, actor, request: ChangeRequest, approve: bool, answer: str = "") -> GrantDecision | None:
    """Approve (a new decision with its letter; commitments follow) or refuse (with the reason)."""
    plan = request.plan
    require(actor, "budgets.work", plan)
    _active(plan)
    if request.status != RequestStatus.PENDING:
        raise ValidationError(_("The request has already been answered."))
    if not approve:
        if not answer.strip():
            raise ValidationError({"answer": _("Tell the citizen why the request is refused.")})
        request.status, request.answer = RequestStatus.REFUSED, answer.strip()
        request.save(update_fields=["status", "answer"])
        decision_record(
            actor=actor,
            municipality=plan.municipality,
            kind="budget.change_refused",
            obj=plan,
            citizen=plan.citizen,
            note=answer,
        )
        return None
    kind = DecisionKind.EXTENSION if request.kind == ChangeKind.EXTENSION else DecisionKind.CHANGE
    decision = _new_decision(actor, plan, kind, request.reason)
    if request.kind == ChangeKind.EXTENSION:
        change = {"before": {"window_end": str(plan.window_end)}, "after": {"window_end": str(request.new_end)}}
        plan.window_end = request.new_end
        plan.save(update_fields=["window_end", "updated_at"])
        decision.window_end = plan.window_end
    else:
        change = _apply_line_change(actor, request, decision)
    decision.total = _granted_total(plan)
    decision.letter = letters.change_letter(decision=decision, request=request)
    decision.save(update_fields=["total", "window_end", "letter"])
    request.status, request.answer, request.decision = RequestStatus.APPROVED, answer.strip(), decision
    request.save(update_fields=["status", "answer", "decision"])
    decision_record(
        actor=actor,
        municipality=plan.municipality,
        kind=f"budget.{kind}",
        obj=plan,
        citizen=plan.citizen,
        before=change["before"],
        after=change["after"],
        note=request.reason,
    )
    return decision


@transaction.atomic
def misuse_record(*, actor, payment: Payment, amount: int, kind: MisuseKind, note: str) -> Misuse:
    """Money spent against the plan: recorded on the payment and claimed back."""
    require(actor, "budgets.work", payment)
    line = getattr(payment.commitment, "budget_line", None)
    if line is None:
        raise ValidationError(_("This payment does not belong to a personal budget."))
    if payment.status not in (PaymentStatus.SENT, PaymentStatus.PAID):
        raise ValidationError(_("Only money that has been paid out can be misused."))
    already = Misuse.objects.filter(payment=payment).aggregate(total=Sum("amount", default=0))["total"]
    if not isinstance(amount, int) or amount <= 0 or already + amount > payment.amount:
        raise ValidationError(
            {
                "amount": _("The amount must be more than 0 kr. and at most what was paid (%(paid)s).")
                % {"paid": format_kroner(payment.amount - already)}
            }
        )
    if not note.strip():
        raise ValidationError({"note": _("Describe what happened.")})
    claim = claim_create(
        actor=actor,
        citizen=payment.citizen,
        amount=amount,
        reason=ClaimReason.MISUSE,
        description=note.strip()[:300],
        decided_on=today(),
        key=f"budgets.misuse:{payment.pk}:{already}",
        commitment=payment.commitment,
        legal_basis=line.legal_basis,
    )
    return Misuse.objects.create(
        payment=payment,
        amount=amount,
        kind=kind,
        note=note.strip(),
        recorded_by=actor,
        recorded_on=today(),
        claim=claim,
    )


@transaction.atomic
def plan_stop(*, actor, plan: BudgetPlan, reason: str) -> GrantDecision:
    """Stop the collaboration: unpaid payments are cancelled, unused money released, the lines not
    yet used are cancelled and the citizen gets a letter."""
    require(actor, "budgets.work", plan)
    _active(plan)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for stopping.")})
    decided_on = today()
    for payment in Payment.objects.for_municipality(plan.municipality).filter(
        commitment__budget_line__plan=plan, status__in=[PaymentStatus.SCHEDULED, PaymentStatus.APPROVED]
    ):
        payment_cancel(actor=actor, payment=payment, reason=reason, business_date=decided_on)
    _release_unused(actor, plan, reason, decided_on, "stop")
    plan.status, plan.stopped_reason = PlanStatus.STOPPED, reason.strip()
    plan.save(update_fields=["status", "stopped_reason", "updated_at"])
    decision = _new_decision(actor, plan, DecisionKind.STOP, reason.strip())
    decision.letter = letters.stop_letter(decision=decision)
    decision.save(update_fields=["letter"])
    decision_record(
        actor=actor,
        municipality=plan.municipality,
        kind="budget.stopped",
        obj=plan,
        citizen=plan.citizen,
        before={"status": PlanStatus.APPROVED},
        after={"status": PlanStatus.STOPPED},
        note=reason,
    )
    return decision


def _release_unused(actor, plan: BudgetPlan, reason: str, on: datetime.date, why: str) -> None:
    for line in BudgetLine.objects.filter(plan=plan, commitment__isnull=False).select_related("commitment"):
        unused = commitment_amount(line.commitment) - commitment_used(line.commitment)
        if unused > 0:
            commitment_release(
                actor=actor,
                commitment=line.commitment,
                amount=unused,
                reason=reason,
                decided_on=on,
                key=f"budgets.{why}:{plan.pk}:line:{line.pk}",
            )
        if (
            not Payment.objects.for_municipality(plan.municipality)
            .filter(commitment=line.commitment, status__in=LIVE_STATUSES)
            .exists()
        ):
            line.status = LineStatus.CANCELLED
            line.save(update_fields=["status"])


ON_THE_WAY = (PaymentStatus.APPROVED, PaymentStatus.IN_BATCH, PaymentStatus.SENT)


def close_blockers(plan: BudgetPlan, on: datetime.date, *, payments: list[Payment] | None = None) -> list[str]:
    """Why the case cannot close yet: the window is still open, money is on its way, receipts missing.

    A caller that has read all the plan's payments with their receipts (prefetched) passes them as
    `payments`: the answer is then worked out from them, without reading the database."""
    from teten.budgets.receipts import PAID_OUT, missing_receipts

    reasons = []
    if plan.window_end and plan.window_end >= on:
        reasons.append(_("the activity window runs until %(end)s") % {"end": f"{plan.window_end:%d.%m.%Y}"})
    if payments is None:
        on_the_way = (
            Payment.objects.for_municipality(plan.municipality)
            .filter(commitment__budget_line__plan=plan, status__in=ON_THE_WAY)
            .exists()
        )
        missing = len(missing_receipts(plan))
    else:
        on_the_way = any(payment.status in ON_THE_WAY for payment in payments)
        missing = sum(
            1
            for payment in payments
            if payment.payee == Payee.CITIZEN
            and payment.status in PAID_OUT
            and not any(receipt.status == ReceiptStatus.ACCEPTED for receipt in payment.receipts.all())
        )
    if on_the_way:
        reasons.append(_("payments are still on their way"))
    if missing:
        reasons.append(_("%(count)s receipts are missing or not accepted") % {"count": missing})
    return reasons


@transaction.atomic
def plan_close(*, actor, plan: BudgetPlan, final_status: FinalStatus) -> GrantDecision:
    """Close the case when the window has ended and receipts are reconciled; unspent money is
    released and the citizen's situation recorded for the evaluation."""
    require(actor, "budgets.work", plan)
    if plan.status not in (PlanStatus.APPROVED, PlanStatus.STOPPED):
        raise ValidationError(_("Only a running or stopped budget can be closed."))
    if final_status not in FinalStatus.values:
        raise ValidationError({"final_status": _("Choose where the citizen is now.")})
    on = today()
    blockers = close_blockers(plan, on) if plan.status == PlanStatus.APPROVED else []
    if blockers:
        raise ValidationError(_("The case cannot be closed yet: %(reasons)s.") % {"reasons": "; ".join(blockers)})
    for payment in Payment.objects.for_municipality(plan.municipality).filter(
        commitment__budget_line__plan=plan, status=PaymentStatus.SCHEDULED
    ):
        payment_cancel(actor=actor, payment=payment, reason=_("The case is closed"), business_date=on)
    _release_unused(actor, plan, _("The case is closed"), on, "close")
    before = plan.status
    plan.status, plan.final_status, plan.closed_on = PlanStatus.CLOSED, final_status, on
    plan.save(update_fields=["status", "final_status", "closed_on", "updated_at"])
    decision = _new_decision(actor, plan, DecisionKind.CLOSE, str(FinalStatus(final_status).label))
    decision_record(
        actor=actor,
        municipality=plan.municipality,
        kind="budget.closed",
        obj=plan,
        citizen=plan.citizen,
        before={"status": before},
        after={"status": PlanStatus.CLOSED, "final_status": final_status},
    )
    return decision
