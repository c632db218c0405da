"""Payments: created from decided commitments only, moved through a fixed set of states, posted to
the ledger as they move, and impossible to pay twice.

    scheduled ──(due date, daily job)──> approved ──> in batch ──(export)──> sent ──> paid
        │                                  │   ^          │                    └────> failed ──> re-issued
        └──────────> cancelled <───────────┘   └──────────┘ (taken out of an open batch)

Each move is a conditional UPDATE on the current state, so of two people (or processes) moving
the same payment at once exactly one succeeds and the other gets a clean conflict.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from teten.accounts.access import require
from teten.audit.services import decision_record
from teten.core.businessdays import next_business_day
from teten.core.i18n import record_text
from teten.core.identifiers import validate_cvr, validate_ean
from teten.core.money import format_kroner
from teten.payments import postings
from teten.payments.commitments import commitment_amount, commitment_used
from teten.payments.models import Commitment, Payee, Payment, PaymentStatus

S = PaymentStatus
TRANSITIONS: dict[str, set[str]] = {
    S.SCHEDULED: {S.APPROVED, S.CANCELLED},
    S.APPROVED: {S.IN_BATCH, S.CANCELLED},
    S.IN_BATCH: {S.APPROVED, S.SENT},
    S.SENT: {S.PAID, S.FAILED},
    S.PAID: set(),
    S.FAILED: set(),
    S.CANCELLED: set(),
}


class IllegalTransition(ValidationError):
    """The payment is not in a state that allows this."""


class PaymentConflict(IllegalTransition):
    """Someone else changed the payment at the same moment; nothing was done."""


def transition(payment: Payment, to: str, **fields) -> None:
    """Move `payment` to `to` if — and only if — it is still in the state we read."""
    if to not in TRANSITIONS[payment.status]:
        raise IllegalTransition(
            _("A payment that is %(from)s cannot become %(to)s.")
            % {"from": S(payment.status).label.lower(), "to": S(to).label.lower()}
        )
    updated = Payment.objects.filter(
        municipality_id=payment.municipality_id, pk=payment.pk, status=payment.status
    ).update(status=to, **fields)
    if updated != 1:
        raise PaymentConflict(_("The payment was changed by someone else just now. Nothing was done; reload the page."))
    payment.status = to
    for name, value in fields.items():
        setattr(payment, name, value)


def split_into_tranches(total: int, max_tranche: int | None) -> list[int]:
    """Split `total` øre into as few tranches as the maximum allows, as equal as possible; the
    first tranches take the leftover øre. 10.000 kr. with a 3.000 kr. maximum: 4 × 2.500 kr."""
    if total <= 0:
        raise ValueError("total must be positive")
    if not max_tranche or total <= max_tranche:
        return [total]
    count = -(-total // max_tranche)
    base, extra = divmod(total, count)
    return [base + 1 if i < extra else base for i in range(count)]


def _supplier_fields(
    commitment: Commitment, supplier_name: str, supplier_cvr: str, invoice_number: str, ean: str | None
):
    errors = {}
    try:
        supplier_cvr = validate_cvr(supplier_cvr)
    except ValidationError as exc:
        errors["supplier_cvr"] = exc.messages
    if not invoice_number.strip():
        errors["invoice_number"] = [_("Enter the invoice number.")]
    if not supplier_name.strip():
        errors["supplier_name"] = [_("Enter the supplier's name.")]
    ean = ean or commitment.municipality.ean
    if not ean:
        errors["ean"] = [_("An invoice must be sent to the municipality's EAN number, and none is registered.")]
    else:
        try:
            ean = validate_ean(ean)
        except ValidationError as exc:
            errors["ean"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return supplier_name.strip(), supplier_cvr, invoice_number.strip(), ean


@transaction.atomic
def payment_create(
    *,
    actor,
    commitment: Commitment,
    amount: int,
    payee: Payee,
    due_date: datetime.date,
    description: str,
    business_date: datetime.date,
    key: str,
    supplier_name: str = "",
    supplier_cvr: str = "",
    invoice_number: str = "",
    ean: str | None = None,
    reissue_of: Payment | None = None,
) -> Payment:
    """A payment from a decided commitment: a tranche to the citizen (no larger than the
    programme's maximum) or a supplier's invoice to the municipality's EAN. Due today or earlier it
    is approved and posted at once; due later it waits for the daily job."""
    require(actor, "payments.create", commitment)
    existing = Payment.objects.for_municipality(commitment.municipality).filter(key=key).first()
    if existing is not None:
        return existing
    if not isinstance(amount, int) or amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than 0 kr.")})
    supplier = ("", "", "", "")
    if payee == Payee.CITIZEN:
        limit = commitment.programme.max_citizen_tranche
        if limit and amount > limit:
            raise ValidationError(
                {
                    "amount": _("At most %(limit)s can be paid to the citizen at a time. Split it into tranches.")
                    % {"limit": format_kroner(limit)}
                }
            )
    else:
        supplier = _supplier_fields(commitment, supplier_name, supplier_cvr, invoice_number, ean)
    locked = Commitment.objects.for_municipality(commitment.municipality).select_for_update().get(pk=commitment.pk)
    # The same request may have been made at the same moment and committed while we waited for
    # the lock: look again, now that payments on this commitment are serialised.
    existing = Payment.objects.for_municipality(commitment.municipality).filter(key=key).first()
    if existing is not None:
        return existing
    available = commitment_amount(locked) - commitment_used(locked)
    if amount > available:
        raise ValidationError(
            {
                "amount": _("Only %(available)s of the decision is left to pay.")
                % {"available": format_kroner(available)}
            }
        )
    status = S.APPROVED if due_date <= business_date else S.SCHEDULED
    payment = Payment.objects.create(
        municipality=commitment.municipality,
        key=key,
        commitment=commitment,
        citizen=commitment.citizen,
        kind=commitment.kind,
        payee=payee,
        supplier_name=supplier[0],
        supplier_cvr=supplier[1],
        invoice_number=supplier[2],
        ean=supplier[3],
        amount=amount,
        due_date=due_date,
        description=description[:200],
        status=status,
        reissue_of=reissue_of,
        created_by=actor,
    )
    if status == S.APPROVED:
        postings.payment_approved(payment, on=business_date, actor=actor)
    _record(payment, actor, f"payment.{status}", after={"amount": amount, "due_date": due_date.isoformat()})
    return payment


def _record(payment: Payment, actor, kind: str, *, before=None, after=None, note: str = "") -> None:
    decision_record(
        actor=actor,
        municipality=payment.municipality,
        kind=kind,
        obj=payment,
        citizen=payment.citizen,
        legal_basis=payment.commitment.legal_basis,
        before=before or {},
        after=after or {"status": payment.status},
        note=note,
    )


@transaction.atomic
def payment_plan_create(
    *,
    actor,
    commitment: Commitment,
    total: int,
    first_due: datetime.date,
    description: str,
    business_date: datetime.date,
    key: str,
) -> list[Payment]:
    """Pay `total` to the citizen in monthly tranches no larger than the programme's maximum,
    each due on a Danish business day."""
    amounts = split_into_tranches(total, commitment.programme.max_citizen_tranche)
    payments = []
    for index, amount in enumerate(amounts):
        due = next_business_day(first_due + relativedelta(months=index))
        text = f"{description} ({index + 1}/{len(amounts)})" if len(amounts) > 1 else description
        payments.append(
            payment_create(
                actor=actor,
                commitment=commitment,
                amount=amount,
                payee=Payee.CITIZEN,
                due_date=due,
                description=text,
                business_date=business_date,
                key=f"{key}:{index + 1}",
            )
        )
    return payments


@transaction.atomic
def payment_make_due(*, payment: Payment, business_date: datetime.date) -> bool:
    """A scheduled payment whose day has come is approved and posted (the daily job)."""
    if payment.status != S.SCHEDULED or payment.due_date > business_date:
        return False
    transition(payment, S.APPROVED)
    postings.payment_approved(payment, on=payment.due_date)
    _record(payment, None, "payment.approved", before={"status": S.SCHEDULED})
    return True


@transaction.atomic
def payment_cancel(*, actor, payment: Payment, reason: str, business_date: datetime.date) -> Payment:
    """Cancel a payment that has not gone into a batch; what was posted for it is reversed and
    the money is free on the commitment again."""
    require(actor, "payments.create", payment)
    before = payment.status
    transition(payment, S.CANCELLED, failure_reason=reason[:300])
    postings.payment_unwound(
        payment,
        on=business_date,
        reason=record_text(gettext_lazy("Cancelled: %(reason)s"), {"reason": reason}),
        actor=actor,
    )
    _record(payment, actor, "payment.cancelled", before={"status": before}, note=reason)
    return payment


@transaction.atomic
def payment_settle(*, payment: Payment, paid: bool, on: datetime.date, reason: str = "", actor=None) -> Payment:
    """The bank's answer for a sent payment: paid (posted to the bank account) or failed (every
    posting for it is reversed, and it may be re-issued)."""
    if paid:
        transition(payment, S.PAID, settled_on=on)
        postings.payment_paid(payment, on=on, actor=actor)
    else:
        transition(payment, S.FAILED, settled_on=on, failure_reason=reason[:300])
        postings.payment_unwound(
            payment, on=on, reason=record_text(gettext_lazy("Failed: %(reason)s"), {"reason": reason}), actor=actor
        )
    _record(payment, actor, f"payment.{payment.status}", before={"status": S.SENT}, note=reason)
    return payment


@transaction.atomic
def payment_reissue(
    *, actor, payment: Payment, due_date: datetime.date, business_date: datetime.date, key: str
) -> Payment:
    """Pay a failed payment again, as a new payment that points at the failed one (once)."""
    require(actor, "payments.create", payment)
    if payment.status != S.FAILED:
        raise IllegalTransition(_("Only a failed payment can be re-issued."))
    if Payment.objects.for_municipality(payment.municipality).filter(reissue_of=payment).exclude(key=key).exists():
        raise IllegalTransition(_("This payment has already been re-issued."))
    return payment_create(
        actor=actor,
        commitment=payment.commitment,
        amount=payment.amount,
        payee=payment.payee,
        due_date=due_date,
        description=payment.description,
        business_date=business_date,
        key=key,
        supplier_name=payment.supplier_name,
        supplier_cvr=payment.supplier_cvr,
        invoice_number=payment.invoice_number,
        ean=payment.ean or None,
        reissue_of=payment,
    )
