"""Recovery claims (tilbagebetalingskrav): money a citizen must pay back — misused or unspent
funds. A claim is a receivable in the ledger; payments received and write-offs reduce it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from teten.accounts.access import require
from teten.audit.services import decision_record
from teten.core.money import format_kroner
from teten.payments import postings
from teten.payments.models import ClaimReason, RecoveryClaim, RecoveryEntry, RecoveryEntryKind


def claim_outstanding(claim: RecoveryClaim) -> int:
    settled = RecoveryEntry.objects.filter(claim=claim).aggregate(total=Sum("amount", default=0))["total"]
    return claim.amount - settled


@transaction.atomic
def claim_create(
    *,
    actor,
    citizen,
    amount: int,
    reason: ClaimReason,
    description: str,
    decided_on: datetime.date,
    key: str,
    commitment=None,
    legal_basis: str = "",
) -> RecoveryClaim:
    require(actor, "payments.claim", citizen)
    existing = RecoveryClaim.objects.for_municipality(citizen.municipality).filter(key=key).first()
    if existing is not None:
        return existing
    if not isinstance(amount, int) or amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than 0 kr.")})
    claim = RecoveryClaim.objects.create(
        municipality=citizen.municipality,
        key=key,
        citizen=citizen,
        commitment=commitment,
        reason=reason,
        description=description[:300],
        amount=amount,
        decided_on=decided_on,
        created_by=actor,
    )
    postings.claim_raised(claim, actor=actor)
    decision_record(
        actor=actor,
        municipality=claim.municipality,
        kind="recovery_claim.raised",
        obj=claim,
        citizen=citizen,
        legal_basis=legal_basis,
        after={"amount": amount, "reason": reason},
    )
    return claim


@transaction.atomic
def _settle(
    *, actor, claim: RecoveryClaim, kind: RecoveryEntryKind, amount: int, on: datetime.date, note: str, key: str
):
    require(actor, "payments.recover", claim)
    existing = RecoveryEntry.objects.filter(key=key).first()
    if existing is not None:
        return existing
    locked = RecoveryClaim.objects.for_municipality(claim.municipality).select_for_update().get(pk=claim.pk)
    outstanding = claim_outstanding(locked)
    if not isinstance(amount, int) or amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than 0 kr.")})
    if amount > outstanding:
        raise ValidationError(
            {
                "amount": _("Only %(outstanding)s is outstanding on the claim.")
                % {"outstanding": format_kroner(outstanding)}
            }
        )
    entry = RecoveryEntry.objects.create(
        claim=claim, kind=kind, amount=amount, on=on, note=note[:300], key=key, actor=actor
    )
    post = postings.claim_paid if kind == RecoveryEntryKind.PAYMENT else postings.claim_written_off
    post(claim, entry_key=f"entry:{entry.pk}", amount=amount, on=on, actor=actor)
    decision_record(
        actor=actor,
        municipality=claim.municipality,
        kind=f"recovery_claim.{kind}",
        obj=claim,
        citizen=claim.citizen,
        before={"outstanding": outstanding},
        after={"outstanding": outstanding - amount},
        note=note,
    )
    return entry


def claim_payment_register(*, actor, claim, amount: int, on: datetime.date, key: str, note: str = "") -> RecoveryEntry:
    """Record money the citizen has paid back."""
    return _settle(actor=actor, claim=claim, kind=RecoveryEntryKind.PAYMENT, amount=amount, on=on, note=note, key=key)


def claim_write_off(*, actor, claim, amount: int, on: datetime.date, reason: str, key: str) -> RecoveryEntry:
    """Give up (part of) a claim by decision, with the reason."""
    if not reason.strip():
        raise ValidationError({"note": _("Give the reason for writing the claim off.")})
    return _settle(
        actor=actor, claim=claim, kind=RecoveryEntryKind.WRITE_OFF, amount=amount, on=on, note=reason, key=key
    )
