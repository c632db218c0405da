"""Receipts for money paid to the citizen: due within the programme's deadline after the payment,
uploaded in the portal (a photo or a PDF), accepted by the consultant, who also records when the
original paper receipt arrived. A reminder letter goes out once — never before the deadline."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from teten.accounts.access import require
from teten.audit.services import decision_record
from teten.budgets import letters
from teten.budgets.models import BudgetPlan, BudgetSettings, Receipt, ReceiptReminder, ReceiptStatus
from teten.budgets.offers import budget_settings
from teten.core.clock import now as clock_now
from teten.documents.uploads import upload_store
from teten.payments.models import Payee, Payment, PaymentStatus
from teten.programmes.models import Programme

PAID_OUT = (PaymentStatus.SENT, PaymentStatus.PAID)


def receipt_due(payment: Payment, *, deadlines: dict[int, int] | None = None) -> datetime.date | None:
    """The last day to hand in the receipt: the payment date plus the programme's deadline.

    For many payments pass one `deadlines` dict (programme id → days): each programme's settings are
    then read once, not once per payment."""
    if payment.payee != Payee.CITIZEN or payment.sent_on is None:
        return None
    deadlines = {} if deadlines is None else deadlines
    programme_id = payment.commitment.programme_id
    if programme_id not in deadlines:
        deadlines[programme_id] = budget_settings(payment.commitment.programme).receipt_deadline_days
    return payment.sent_on + datetime.timedelta(days=deadlines[programme_id])


def citizen_payments(plan: BudgetPlan):
    """Money paid out to the citizen in this budget, i.e. the payments that need receipts."""
    return Payment.objects.for_municipality(plan.municipality).filter(
        commitment__budget_line__plan=plan, payee=Payee.CITIZEN, status__in=PAID_OUT
    )


def _with_receipt(payments, *statuses):
    return payments.annotate(has_receipt=Exists(Receipt.objects.filter(payment=OuterRef("pk"), status__in=statuses)))


def missing_receipts(plan: BudgetPlan) -> list[Payment]:
    """Payments to the citizen without an accepted receipt."""
    return [p for p in _with_receipt(citizen_payments(plan), ReceiptStatus.ACCEPTED) if not p.has_receipt]


@transaction.atomic
def receipt_upload(*, citizen, payment: Payment, uploaded_file) -> Receipt:
    """The citizen hands in a receipt for a payment they received."""
    if payment.citizen_id != citizen.pk or payment.payee != Payee.CITIZEN:
        raise ValidationError(_("This payment is not one you received."))
    if payment.status not in PAID_OUT:
        raise ValidationError(_("Receipts are handed in after the money has been paid."))
    stored = upload_store(municipality=payment.municipality, uploaded_file=uploaded_file, uploaded_by_citizen=citizen)
    receipt = Receipt.objects.create(payment=payment, file=stored)
    decision_record(
        actor=None,
        municipality=payment.municipality,
        kind="receipt.uploaded",
        obj=payment,
        citizen=citizen,
        after={"receipt": receipt.pk, "file": stored.original_name},
    )
    return receipt


@transaction.atomic
def receipt_review(
    *, actor, receipt: Receipt, accept: bool, comment: str = "", original_received_on: datetime.date | None = None
) -> Receipt:
    """Accept the receipt (and note when the paper original arrived) or say what is wrong."""
    require(actor, "budgets.receipts", receipt.payment)
    if not accept and not comment.strip():
        raise ValidationError({"comment": _("Tell the citizen what is wrong with the receipt.")})
    receipt.status = ReceiptStatus.ACCEPTED if accept else ReceiptStatus.REJECTED
    receipt.comment, receipt.reviewed_by, receipt.reviewed_at = comment.strip(), actor, clock_now()
    if original_received_on:
        receipt.original_received_on = original_received_on
    receipt.save()
    decision_record(
        actor=actor,
        municipality=receipt.payment.municipality,
        kind=f"receipt.{receipt.status}",
        obj=receipt.payment,
        citizen=receipt.payment.citizen,
        note=comment,
    )
    return receipt


@transaction.atomic
def receipt_original_received(*, actor, receipt: Receipt, on: datetime.date) -> Receipt:
    require(actor, "budgets.receipts", receipt.payment)
    receipt.original_received_on = on
    receipt.save(update_fields=["original_received_on"])
    return receipt


def _overdue_candidates(municipality):
    """Payments to citizens in personal budgets, paid out, with no receipt handed in (uploaded or
    accepted): overdue once their receipt deadline has passed."""
    scope = (
        Payment.objects.all_municipalities() if municipality is None else Payment.objects.for_municipality(municipality)
    )
    handed_in = Receipt.objects.filter(
        payment=OuterRef("pk"), status__in=[ReceiptStatus.UPLOADED, ReceiptStatus.ACCEPTED]
    )
    payments = scope.filter(payee=Payee.CITIZEN, status__in=PAID_OUT, commitment__budget_line__isnull=False)
    return payments.exclude(Exists(handed_in))


def overdue_payments(municipality, *, on: datetime.date) -> list[Payment]:
    """Payments to citizens in personal budgets whose receipt deadline has passed with no receipt
    handed in (uploaded or accepted), each with its `receipt_due`: the reminder list (None: every
    municipality). Each comes with what its reminder letter reads: it is sent from the plan's
    municipality and consultant to the citizen, and stored with the payment's municipality."""
    payments = _overdue_candidates(municipality).select_related(
        "citizen", "commitment__programme", "commitment__budget_line__plan", "municipality"
    )
    deadlines, overdue = _receipt_deadlines(municipality), []
    for payment in payments:
        payment.receipt_due = receipt_due(payment, deadlines=deadlines)
        if payment.receipt_due is not None and payment.receipt_due < on:
            overdue.append(payment)
    return overdue


def overdue_for_consultant(municipality, *, on: datetime.date, consultant) -> list[dict]:
    """The overdue payments (as `overdue_payments`) in `consultant`'s plans, as their worklist shows
    them: plain rows with the citizen's `name` and `citizen_id`, the `plan_id` to link to, the
    payment's `description` and `amount`, and `receipt_due`."""
    rows = (
        _overdue_candidates(municipality)
        .filter(commitment__budget_line__plan__consultant=consultant)
        .values_list(
            "citizen_id",
            "citizen__first_name",
            "citizen__last_name",
            "commitment__budget_line__plan_id",
            "commitment__programme_id",
            "description",
            "amount",
            "sent_on",
        )
    )
    deadlines, overdue = _receipt_deadlines(municipality), []
    for citizen_id, first_name, last_name, plan_id, programme_id, description, amount, sent_on in rows:
        if sent_on is None:
            continue
        if programme_id not in deadlines:
            programme = Programme.objects.for_municipality(municipality).get(pk=programme_id)
            deadlines[programme_id] = budget_settings(programme).receipt_deadline_days
        due = sent_on + datetime.timedelta(days=deadlines[programme_id])
        if due < on:
            overdue.append(
                {
                    "name": f"{first_name} {last_name}",
                    "citizen_id": citizen_id,
                    "plan_id": plan_id,
                    "description": description,
                    "amount": amount,
                    "receipt_due": due,
                }
            )
    return overdue


def _receipt_deadlines(municipality) -> dict[int, int]:
    """The receipt deadline of every programme with settings (programme id → days), in one query;
    `receipt_due` reads any other programme's itself."""
    rows = (
        BudgetSettings.objects.all_municipalities()
        if municipality is None
        else BudgetSettings.objects.for_municipality(municipality)
    )
    return dict(rows.values_list("programme_id", "receipt_deadline_days"))


def reminder_send(*, payment: Payment, business_date: datetime.date) -> ReceiptReminder | None:
    """One reminder letter per payment, only once the deadline has passed; idempotent."""
    due = receipt_due(payment)
    if due is None or due >= business_date or ReceiptReminder.objects.filter(payment=payment).exists():
        return None
    try:
        with transaction.atomic():
            letter = letters.receipt_reminder_letter(payment=payment, due=due, on=business_date)
            return ReceiptReminder.objects.create(payment=payment, business_date=business_date, letter=letter)
    except IntegrityError:
        return None
