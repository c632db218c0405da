"""Payment batches: assembled by one finance officer, approved by another, exported once.

A payment is in at most one batch (a single foreign key, and the database ties the batch to the
payment's state); it is moved into a batch, and out to "sent", by conditional updates, so two
batches can never take the same payment and an export can never send it twice.
"""

import datetime
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from teten.accounts.access import require
from teten.audit.models import AccessKind
from teten.audit.services import access_record, decision_record
from teten.core.clock import now as clock_now
from teten.payments import exports, postings
from teten.payments.models import BatchFile, BatchFileKind, BatchStatus, Payment, PaymentBatch, PaymentStatus
from teten.payments.services import PaymentConflict, _record, transition

PURPOSE_EXPORT = gettext_lazy("Payment: batch sent to the bank (NemKonto by CPR)")


class FourEyesViolation(PermissionDenied):
    pass


def batch_totals(batch: PaymentBatch) -> dict:
    return (
        Payment.objects.for_municipality(batch.municipality)
        .filter(batch=batch)
        .aggregate(count=Count("id"), total=Sum("amount", default=0))
    )


@transaction.atomic
def batch_create(*, actor, payment_date: datetime.date, key: str) -> PaymentBatch:
    """Put every approved payment due by `payment_date`, and in no batch yet, into a new batch."""
    require(actor, "payments.batch")
    municipality = actor.municipality
    existing = PaymentBatch.objects.for_municipality(municipality).filter(key=key).first()
    if existing is not None:
        return existing
    due = Payment.objects.for_municipality(municipality).filter(
        status=PaymentStatus.APPROVED, batch__isnull=True, due_date__lte=payment_date
    )
    if not due.exists():
        raise ValidationError(_("No approved payments are due by %(date)s.") % {"date": f"{payment_date:%d.%m.%Y}"})
    batch = PaymentBatch.objects.create(municipality=municipality, key=key, payment_date=payment_date, created_by=actor)
    moved = due.update(batch=batch, status=PaymentStatus.IN_BATCH)
    totals = batch_totals(batch)
    decision_record(
        actor=actor, municipality=municipality, kind="batch.created", obj=batch, after={**totals, "moved": moved}
    )
    return batch


@transaction.atomic
def batch_remove_payment(*, actor, batch: PaymentBatch, payment: Payment) -> None:
    """Take a payment out of a batch that is still awaiting approval."""
    require(actor, "payments.batch", batch)
    if batch.status != BatchStatus.OPEN or payment.batch_id != batch.pk:
        raise ValidationError(_("Payments can only be taken out of a batch that is awaiting approval."))
    transition(payment, PaymentStatus.APPROVED, batch=None)
    _record(payment, actor, "payment.removed_from_batch", before={"batch": batch.pk})


@transaction.atomic
def batch_approve(*, actor, batch: PaymentBatch) -> PaymentBatch:
    """The second pair of eyes: never the person who assembled the batch."""
    require(actor, "payments.batch", batch)
    if batch.created_by_id == actor.pk:
        raise FourEyesViolation(_("Another finance officer must approve a batch you assembled yourself."))
    if not Payment.objects.for_municipality(batch.municipality).filter(batch=batch).exists():
        raise ValidationError(_("The batch is empty."))
    now = clock_now()
    updated = PaymentBatch.objects.filter(
        municipality_id=batch.municipality_id, pk=batch.pk, status=BatchStatus.OPEN
    ).update(status=BatchStatus.APPROVED, approved_by=actor, approved_at=now)
    if updated != 1:
        raise PaymentConflict(_("The batch has already been approved or sent."))
    batch.status, batch.approved_by, batch.approved_at = BatchStatus.APPROVED, actor, now
    decision_record(
        actor=actor, municipality=batch.municipality, kind="batch.approved", obj=batch, after=batch_totals(batch)
    )
    return batch


def _store(batch: PaymentBatch, kind: BatchFileKind, filename: str, content_type: str, content: bytes) -> BatchFile:
    return BatchFile.objects.create(
        batch=batch,
        kind=kind,
        filename=filename,
        content_type=content_type,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
    )


@transaction.atomic
def batch_export(*, actor, batch: PaymentBatch) -> list[BatchFile]:
    """Send an approved batch: its payments become sent and are posted, and the payment list and
    the posting file are produced and kept exactly as produced. All or nothing."""
    require(actor, "payments.batch", batch)
    now = clock_now()
    updated = PaymentBatch.objects.filter(
        municipality_id=batch.municipality_id, pk=batch.pk, status=BatchStatus.APPROVED
    ).update(status=BatchStatus.EXPORTED, exported_by=actor, exported_at=now)
    if updated != 1:
        raise PaymentConflict(_("Only an approved batch that has not been sent can be sent."))
    batch.status, batch.exported_by, batch.exported_at = BatchStatus.EXPORTED, actor, now
    payments = list(
        Payment.objects.for_municipality(batch.municipality)
        .filter(batch=batch)
        .select_related("citizen", "commitment__funding_source", "commitment__programme")
        .order_by("id")
    )
    for payment in payments:
        transition(payment, PaymentStatus.SENT, sent_on=batch.payment_date)
        postings.payment_sent(payment, on=batch.payment_date, actor=actor)
    writer = exports.posting_writer()
    files = [
        _store(
            batch,
            BatchFileKind.CSV,
            f"udbetalinger-bundt-{batch.pk}-{batch.payment_date:%Y%m%d}.csv",
            "text/csv; charset=utf-8",
            exports.payment_list_csv(batch, payments),
        ),
        _store(
            batch,
            BatchFileKind.POSTING,
            writer.filename(batch),
            writer.content_type,
            writer.render(exports.posting_lines(batch, payments)),
        ),
    ]
    citizens = {p.citizen_id for p in payments if p.payee == "citizen"}
    if citizens:
        access_record(
            actor=actor,
            municipality=batch.municipality,
            kind=AccessKind.EXPORT,
            purpose=PURPOSE_EXPORT,
            citizens=citizens,
        )
    decision_record(
        actor=actor, municipality=batch.municipality, kind="batch.exported", obj=batch, after=batch_totals(batch)
    )
    return files
