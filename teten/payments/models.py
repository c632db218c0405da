"""Money out and back: commitments against funding pools, payments (tranches and invoices), payment
batches and their export files, reconciliation of bank confirmations, and recovery claims.

Every krone that moves is posted to the ledger by `teten.payments.postings`; the tables here hold
what was decided and what happened, the ledger holds the money.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from teten.core.tenancy import TenantModel


class MoneyKind(models.TextChoices):
    """A grant (tilskud) is spent; a loan (lån) is a receivable. Never mix them: the kind is set by
    the decision on the commitment and every payment inherits it."""

    GRANT = "grant", _("Grant")
    LOAN = "loan", _("Loan")


class Commitment(TenantModel):
    """Money reserved in a funding pool when a grant or loan is decided. Its amount is the sum of its
    entries (reservations minus releases)."""

    funding_source = models.ForeignKey("programmes.FundingSource", on_delete=models.PROTECT, related_name="commitments")
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="commitments")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="commitments")
    kind = models.CharField(_("kind"), max_length=8, choices=MoneyKind.choices)
    reference = models.CharField(max_length=100, help_text="The decision it belongs to, e.g. budgets.GrantLine:12")
    description = models.CharField(_("what for"), max_length=300)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("commitment")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "reference"], name="commitment_reference_unique")
        ]

    def __str__(self) -> str:
        return self.description


class CommitmentEntryKind(models.TextChoices):
    RESERVE = "reserve", _("Reserved")
    RELEASE = "release", _("Released")


class CommitmentEntry(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=8, choices=CommitmentEntryKind.choices)
    amount = models.BigIntegerField(help_text="øre, always positive; a release subtracts")
    key = models.CharField(max_length=200, unique=True)
    reason = models.CharField(max_length=300, blank=True)
    decided_on = models.DateField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="commitment_entry_positive")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"

    @property
    def signed_amount(self) -> int:
        return self.amount if self.kind == CommitmentEntryKind.RESERVE else -self.amount


class Payee(models.TextChoices):
    CITIZEN = "citizen", _("The citizen (NemKonto)")
    SUPPLIER = "supplier", _("A supplier (invoice)")


class PaymentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    APPROVED = "approved", _("Approved")
    IN_BATCH = "in_batch", _("In a batch")
    SENT = "sent", _("Sent")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


# Payments in these states count against the commitment; failed and cancelled ones do not.
LIVE_STATUSES = (
    PaymentStatus.SCHEDULED,
    PaymentStatus.APPROVED,
    PaymentStatus.IN_BATCH,
    PaymentStatus.SENT,
    PaymentStatus.PAID,
)


def new_payment_reference() -> str:
    """What the bank file carries: unguessable, unique, easy to read aloud (no 0/O, 1/I)."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    code = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"TT-{code[:5]}-{code[5:]}"


class Payment(TenantModel):
    """One payment: a tranche to the citizen's NemKonto (by CPR — Teten stores no bank account) or
    an invoice from a supplier to the municipality's EAN. It always draws on a commitment."""

    reference = models.CharField(_("payment reference"), max_length=20, default=new_payment_reference)
    key = models.CharField(max_length=200, help_text="Idempotency key of the request that created it")
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="payments")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("kind"), max_length=8, choices=MoneyKind.choices, editable=False)
    payee = models.CharField(_("paid to"), max_length=8, choices=Payee.choices)
    supplier_name = models.CharField(_("supplier"), max_length=150, blank=True)
    supplier_cvr = models.CharField(_("supplier's CVR number"), max_length=8, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=50, blank=True)
    ean = models.CharField(_("EAN number invoiced"), max_length=13, blank=True)
    amount = models.BigIntegerField(_("amount"))
    due_date = models.DateField(_("due"))
    description = models.CharField(_("text"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=PaymentStatus.choices)
    batch = models.ForeignKey("PaymentBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="payments")
    reissue_of = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reissued_as"
    )
    failure_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_on = models.DateField(null=True, blank=True)
    settled_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "reference"], name="payment_reference_unique"),
            models.UniqueConstraint(fields=["municipality", "key"], name="payment_key_unique"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive"),
            # Once in a batch a payment stays tied to that one batch; before, it is in none.
            models.CheckConstraint(
                condition=(
                    models.Q(status__in=["scheduled", "approved", "cancelled"], batch__isnull=True)
                    | models.Q(status__in=["in_batch", "sent", "paid", "failed"], batch__isnull=False)
                ),
                name="payment_batch_matches_status",
            ),
            models.CheckConstraint(
                condition=models.Q(payee="citizen")
                | (~models.Q(supplier_cvr="") & ~models.Q(invoice_number="") & ~models.Q(ean="")),
                name="invoice_has_cvr_number_and_ean",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "status", "due_date"], name="payment_muni_status_due"),
            models.Index(fields=["citizen", "due_date"], name="payment_citizen_due"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.description}"


class BatchStatus(models.TextChoices):
    OPEN = "open", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    EXPORTED = "exported", _("Sent to the bank")


class PaymentBatch(TenantModel):
    """Payments sent together. One finance officer assembles it, another approves it (four eyes)."""

    key = models.CharField(max_length=200)
    payment_date = models.DateField(_("payment date"))
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    exported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("payment batch")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "key"], name="batch_key_unique"),
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True) | ~models.Q(approved_by=models.F("created_by")),
                name="batch_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return _("Batch %(number)s") % {"number": self.pk}


class BatchFileKind(models.TextChoices):
    CSV = "csv", _("Payment list (CSV)")
    POSTING = "posting", _("Posting file")


class BatchFile(models.Model):
    """The export exactly as it was produced, so a second download is the same file."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(max_length=10, choices=BatchFileKind.choices)
    filename = models.CharField(max_length=100)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "kind"], name="one_file_per_kind")]

    def __str__(self) -> str:
        return self.filename


class BatchReminder(models.Model):
    """A reminder the daily job sent about a batch waiting too long (once per batch and state)."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="reminders")
    status = models.CharField(max_length=10, choices=BatchStatus.choices)
    business_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "status"], name="one_reminder_per_batch_state")]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.status} {self.business_date}"


class ReconciliationImport(TenantModel):
    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    business_date = models.DateField()

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.filename


class LineOutcome(models.TextChoices):
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed, reversed")
    UNKNOWN_REFERENCE = "unknown", _("Unknown reference")
    WRONG_AMOUNT = "amount", _("Wrong amount")
    DUPLICATE = "duplicate", _("Already confirmed")
    NOT_SENT = "not_sent", _("Not sent yet")
    INVALID = "invalid", _("Row could not be read")


SETTLING_OUTCOMES = (LineOutcome.PAID, LineOutcome.FAILED)


class ReconciliationLine(models.Model):
    reconciliation = models.ForeignKey(ReconciliationImport, on_delete=models.PROTECT, related_name="lines")
    row_number = models.PositiveIntegerField()
    reference = models.CharField(max_length=100, blank=True)
    amount = models.BigIntegerField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=LineOutcome.choices)
    difference = models.BigIntegerField(null=True, blank=True, help_text="øre: file amount minus payment amount")
    message = models.CharField(max_length=300, blank=True)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="confirmations")

    class Meta:
        ordering = ["row_number"]
        constraints = [
            # A payment is settled (paid or failed) by exactly one confirmation, ever.
            models.UniqueConstraint(
                fields=["payment"], condition=models.Q(outcome__in=["paid", "failed"]), name="payment_settled_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.row_number}: {self.outcome}"


class ClaimReason(models.TextChoices):
    MISUSE = "misuse", _("Misuse of funds")
    UNSPENT = "unspent", _("Unspent funds")
    OTHER = "other", _("Other")


class RecoveryClaim(TenantModel):
    """A claim for repayment (tilbagebetalingskrav) against a citizen: a receivable in the ledger."""

    key = models.CharField(max_length=200)
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="recovery_claims")
    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, null=True, blank=True, related_name="recovery_claims"
    )
    reason = models.CharField(_("reason"), max_length=10, choices=ClaimReason.choices)
    description = models.CharField(_("description"), max_length=300)
    amount = models.BigIntegerField(_("amount"))
    decided_on = models.DateField(_("decided on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recovery claim")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "key"], name="claim_key_unique"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="claim_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.description


class RecoveryEntryKind(models.TextChoices):
    PAYMENT = "payment", _("Payment received")
    WRITE_OFF = "write_off", _("Written off")


class RecoveryEntry(models.Model):
    claim = models.ForeignKey(RecoveryClaim, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=10, choices=RecoveryEntryKind.choices)
    amount = models.BigIntegerField()
    on = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    key = models.CharField(max_length=200, unique=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="recovery_entry_positive")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"
