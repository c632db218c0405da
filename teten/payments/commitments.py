"""Reserving and releasing money in funding pools.

A decision (a grant plan approved, a loan granted) reserves its amount in the pool the booking rule
names; a cancelled or underspent decision releases what will not be paid. A pool is never
over-committed: the decision that would exceed it is refused with the amounts in plain Danish.

These functions are called by the decision services, which check that the decider may decide;
they run inside the decision's transaction.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from teten.accounts.access import require
from teten.audit.services import decision_record
from teten.core.money import format_kroner
from teten.payments.models import (
    LIVE_STATUSES,
    Commitment,
    CommitmentEntry,
    CommitmentEntryKind,
    MoneyKind,
    Payment,
    PaymentStatus,
)
from teten.programmes.models import FundingSource, Programme


class PoolExhausted(ValidationError):
    pass


def _signed_sum(entries) -> int:
    totals = dict(entries.values("kind").annotate(total=Sum("amount")).values_list("kind", "total"))
    return (totals.get(CommitmentEntryKind.RESERVE) or 0) - (totals.get(CommitmentEntryKind.RELEASE) or 0)


def committed_in_pool(source: FundingSource) -> int:
    return _signed_sum(CommitmentEntry.objects.filter(commitment__funding_source=source))


def commitment_amount(commitment: Commitment) -> int:
    return _signed_sum(CommitmentEntry.objects.filter(commitment=commitment))


def commitment_used(commitment: Commitment) -> int:
    """What payments already take from the commitment (failed and cancelled ones give it back)."""
    total = (
        Payment.objects.for_municipality(commitment.municipality)
        .filter(commitment=commitment, status__in=LIVE_STATUSES)
        .aggregate(total=Sum("amount"))["total"]
    )
    return total or 0


@dataclass(frozen=True)
class PoolStatus:
    source: FundingSource
    amount: int
    committed: int  # reserved by decisions, paid or not
    disbursed: int  # sent to the bank or paid
    remaining: int  # not yet committed

    @property
    def committed_not_disbursed(self) -> int:
        return self.committed - self.disbursed

    def _share(self, part: int) -> str:
        """A percentage of the pool for drawing the bar ("37.5"), never above 100."""
        return f"{min(100, 100 * part / self.amount):.1f}" if self.amount else "0"

    @property
    def disbursed_share(self) -> str:
        return self._share(self.disbursed)

    @property
    def committed_share(self) -> str:
        return self._share(self.committed_not_disbursed)


def pool_statuses(municipality) -> list[PoolStatus]:
    """Every funding source's numbers, in three queries whatever the number of pools."""
    sources = list(FundingSource.objects.for_municipality(municipality).order_by("name"))
    reserved = dict(
        CommitmentEntry.objects.filter(commitment__municipality=municipality)
        .values("commitment__funding_source")
        .annotate(
            total=Sum("amount", filter=Q(kind=CommitmentEntryKind.RESERVE), default=0)
            - Sum("amount", filter=Q(kind=CommitmentEntryKind.RELEASE), default=0)
        )
        .values_list("commitment__funding_source", "total")
    )
    disbursed = dict(
        Payment.objects.for_municipality(municipality)
        .filter(status__in=[PaymentStatus.SENT, PaymentStatus.PAID])
        .values("commitment__funding_source")
        .annotate(total=Sum("amount"))
        .values_list("commitment__funding_source", "total")
    )
    return [
        PoolStatus(
            source=s,
            amount=s.amount,
            committed=reserved.get(s.pk, 0),
            disbursed=disbursed.get(s.pk, 0),
            remaining=s.amount - reserved.get(s.pk, 0),
        )
        for s in sources
    ]


def _lock_source(source: FundingSource) -> FundingSource:
    # PostgreSQL locks the pool row until the decision commits; SQLite's IMMEDIATE transactions
    # already let only one writer in at a time.
    return FundingSource.objects.for_municipality(source.municipality).select_for_update().get(pk=source.pk)


@transaction.atomic
def commitment_reserve(
    *,
    actor,
    programme: Programme,
    funding_source: FundingSource,
    citizen,
    kind: MoneyKind,
    reference: str,
    amount: int,
    description: str,
    decided_on: datetime.date,
    key: str,
    legal_basis: str = "",
) -> Commitment:
    """Reserve `amount` øre in the pool for the decision `reference` (idempotent by `key`)."""
    existing = CommitmentEntry.objects.filter(key=key).select_related("commitment").first()
    if existing is not None:
        return existing.commitment
    if amount <= 0:
        raise ValidationError(_("The amount must be more than 0 kr."))
    if not (programme.municipality_id == funding_source.municipality_id == citizen.municipality_id):
        raise ValidationError(_("Programme, pool and citizen must belong to the same municipality."))
    source = _lock_source(funding_source)
    remaining = source.amount - committed_in_pool(source)
    if amount > remaining:
        raise PoolExhausted(
            _("%(pool)s has only %(remaining)s left; this decision needs %(amount)s, so nothing has been reserved.")
            % {"pool": source.name, "remaining": format_kroner(remaining), "amount": format_kroner(amount)}
        )
    commitment, created = Commitment.objects.for_municipality(source.municipality).get_or_create(
        municipality=source.municipality,
        reference=reference,
        defaults={
            "funding_source": source,
            "programme": programme,
            "citizen": citizen,
            "kind": kind,
            "description": description,
            "legal_basis": legal_basis,
        },
    )
    if not created and (commitment.funding_source_id, commitment.kind) != (source.pk, kind):
        raise ValidationError(_("A decision keeps its pool and its kind (grant or loan) when it is changed."))
    before = 0 if created else commitment_amount(commitment)
    CommitmentEntry.objects.create(
        commitment=commitment,
        kind=CommitmentEntryKind.RESERVE,
        amount=amount,
        key=key,
        decided_on=decided_on,
        actor=actor,
        reason=description,
    )
    decision_record(
        actor=actor,
        municipality=source.municipality,
        kind="commitment.reserved",
        obj=commitment,
        citizen=citizen,
        legal_basis=legal_basis,
        before={"amount": before},
        after={"amount": before + amount, "pool": source.name, "kind": kind},
    )
    return commitment


@transaction.atomic
def commitment_release(
    *, actor, commitment: Commitment, amount: int | None, reason: str, decided_on: datetime.date, key: str
) -> int:
    """Give back to the pool what will not be paid (all of it when `amount` is None). Money
    already paid or on its way cannot be released. Returns the amount released."""
    existing = CommitmentEntry.objects.filter(key=key).first()
    if existing is not None:
        return existing.amount
    _lock_source(commitment.funding_source)
    unused = commitment_amount(commitment) - commitment_used(commitment)
    amount = unused if amount is None else amount
    if amount <= 0:
        return 0
    if amount > unused:
        raise ValidationError(
            _("Only %(unused)s of this decision is unused and can be released.") % {"unused": format_kroner(unused)}
        )
    before = commitment_amount(commitment)
    CommitmentEntry.objects.create(
        commitment=commitment,
        kind=CommitmentEntryKind.RELEASE,
        amount=amount,
        key=key,
        decided_on=decided_on,
        actor=actor,
        reason=reason,
    )
    decision_record(
        actor=actor,
        municipality=commitment.municipality,
        kind="commitment.released",
        obj=commitment,
        citizen=commitment.citizen,
        legal_basis=commitment.legal_basis,
        before={"amount": before},
        after={"amount": before - amount},
        note=reason,
    )
    return amount


@transaction.atomic
def funding_source_save(*, actor, source: FundingSource) -> FundingSource:
    """Create or change a funding source (coordinators). Its amount can never drop below what
    decisions have already committed from it."""
    require(actor, "programmes.manage")
    source.municipality = actor.municipality
    before = {}
    if not source._state.adding:
        locked = _lock_source(source)
        committed = committed_in_pool(locked)
        if source.amount < committed:
            raise ValidationError(
                {
                    "amount": _("%(committed)s is already committed from this pool; the amount cannot be lower.")
                    % {"committed": format_kroner(committed)}
                }
            )
        before = {"name": locked.name, "amount": locked.amount}
    source.full_clean()
    source.save()
    decision_record(
        actor=actor,
        municipality=actor.municipality,
        kind="funding_source.saved",
        obj=source,
        before=before,
        after={"name": source.name, "amount": source.amount},
    )
    return source
