"""The only way money is written: `post()` a balanced transaction, `reverse()` a posted one."""

import datetime
from collections.abc import Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Sum

from teten.ledger.models import AccountType, LedgerAccount, LedgerLeg, LedgerTransaction


class LedgerError(Exception):
    """A posting that the ledger refuses."""


class UnbalancedTransaction(LedgerError):
    pass


class IdempotencyConflict(LedgerError):
    """The key was used before for a different posting."""


class AlreadyReversed(LedgerError):
    pass


@dataclass(frozen=True)
class Leg:
    account: LedgerAccount
    amount: int  # øre; debit positive, credit negative

    @classmethod
    def debit(cls, account: LedgerAccount, amount: int) -> "Leg":
        return cls(account, amount)

    @classmethod
    def credit(cls, account: LedgerAccount, amount: int) -> "Leg":
        return cls(account, -amount)


# (municipality id, key) -> account, while `remembered_accounts()` is in force; None otherwise.
_remembered: ContextVar[dict[tuple[int, str], LedgerAccount] | None] = ContextVar("ledger_accounts", default=None)


@contextmanager
def remembered_accounts():
    """Within the block each account is looked up once, not once per posting: the daily job posts
    thousands of payments to the same few accounts. An account is remembered only once the
    transaction that found or made it has committed, so a first use that was rolled back is never
    reused. Postings need only the account's id, which a renumbering leaves as it is."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def account_get_or_create(*, municipality, key: str, code: str, name: str, type: AccountType) -> LedgerAccount:
    """Teten's system accounts are created on first use; the finance officer may renumber them."""
    remembered = _remembered.get()
    if remembered is not None and (municipality.pk, key) in remembered:
        return remembered[municipality.pk, key]
    account = _account_get_or_create(municipality=municipality, key=key, code=code, name=name, type=type)
    if remembered is not None:
        transaction.on_commit(partial(remembered.__setitem__, (municipality.pk, key), account))
    return account


def _account_get_or_create(*, municipality, key: str, code: str, name: str, type: AccountType) -> LedgerAccount:
    account = LedgerAccount.objects.for_municipality(municipality).filter(key=key).first()
    if account:
        return account
    try:
        with transaction.atomic():
            return LedgerAccount.objects.create(municipality=municipality, key=key, code=code, name=name, type=type)
    except IntegrityError:
        return LedgerAccount.objects.for_municipality(municipality).get(key=key)


def _check_legs(municipality, legs: Sequence[Leg]) -> None:
    if len(legs) < 2:
        raise UnbalancedTransaction("a transaction needs at least two legs")
    for leg in legs:
        if not isinstance(leg.amount, int) or isinstance(leg.amount, bool):
            raise LedgerError(f"leg amounts are integer øre, not {type(leg.amount).__name__}")
        if leg.amount == 0:
            raise LedgerError("a leg of 0 øre is not a posting")
        if leg.account.municipality_id != municipality.pk:
            raise LedgerError("every leg must be on an account of the same municipality")
    total = sum(leg.amount for leg in legs)
    if total != 0:
        raise UnbalancedTransaction(f"legs sum to {total} øre, not 0")


def _same_legs(existing: LedgerTransaction, legs: Sequence[Leg]) -> bool:
    stored = sorted(existing.legs.values_list("account_id", "amount"))
    return stored == sorted((leg.account.pk, leg.amount) for leg in legs)


def _existing(municipality, key: str, legs: Sequence[Leg]) -> LedgerTransaction | None:
    found = LedgerTransaction.objects.for_municipality(municipality).filter(key=key).first()
    if found is not None and not _same_legs(found, legs):
        raise IdempotencyConflict(f"key {key!r} was already used for a different posting")
    return found


def post(
    *,
    municipality,
    key: str,
    booked_on: datetime.date,
    description: str,
    legs: Sequence[Leg],
    reference: str = "",
    citizen_id: int | None = None,
    actor=None,
    reverses: LedgerTransaction | None = None,
) -> LedgerTransaction:
    """Post a balanced transaction once. The same key again returns the first transaction.

    The transaction and its legs are written in one atomic block (a savepoint inside the caller's
    transaction), so they are there together or not at all. The look-up before it needs no
    transaction of its own: a concurrent posting of the same key fails on the unique key and
    returns the one that won."""
    _check_legs(municipality, legs)
    existing = _existing(municipality, key, legs)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            tx = LedgerTransaction.objects.create(
                municipality=municipality,
                key=key,
                booked_on=booked_on,
                description=description[:300],
                reference=reference,
                citizen_id=citizen_id,
                created_by=actor if getattr(actor, "pk", None) else None,
                reverses=reverses,
            )
            LedgerLeg.objects.bulk_create(
                [LedgerLeg(transaction=tx, account=leg.account, amount=leg.amount) for leg in legs]
            )
    except IntegrityError:
        # Another process posted the same key (or reversed the same transaction) at the same time.
        existing = _existing(municipality, key, legs)
        if existing is not None:
            return existing
        if reverses is not None:
            raise AlreadyReversed(f"transaction {reverses.pk} has already been reversed") from None
        raise
    return tx


@transaction.atomic
def reverse(
    *, original: LedgerTransaction, key: str, booked_on: datetime.date, description: str, actor=None
) -> LedgerTransaction:
    """Cancel a posted transaction with its mirror image; each transaction is reversed at most once."""
    if original.reverses_id is not None:
        raise LedgerError("a reversal is not reversed; post a new transaction instead")
    legs = [Leg(leg.account, -leg.amount) for leg in original.legs.select_related("account")]
    previous = getattr(original, "reversed_by", None) if original.pk else None
    if previous is not None and previous.key != key:
        raise AlreadyReversed(f"transaction {original.pk} has already been reversed")
    return post(
        municipality=original.municipality,
        key=key,
        booked_on=booked_on,
        description=description,
        legs=legs,
        reference=original.reference,
        citizen_id=original.citizen_id,
        actor=actor,
        reverses=original,
    )


def balance(account: LedgerAccount, *, as_of: datetime.date | None = None) -> int:
    """The account's balance (debit positive) from every leg booked up to and including `as_of`."""
    legs = LedgerLeg.objects.filter(account=account)
    if as_of is not None:
        legs = legs.filter(transaction__booked_on__lte=as_of)
    return legs.aggregate(total=Sum("amount"))["total"] or 0


def balances(municipality, *, as_of: datetime.date | None = None) -> dict[int, int]:
    """Every account's balance in one query: {account_id: øre}."""
    legs = LedgerLeg.objects.filter(account__municipality=municipality)
    if as_of is not None:
        legs = legs.filter(transaction__booked_on__lte=as_of)
    return dict(legs.values("account_id").annotate(total=Sum("amount")).values_list("account_id", "total"))
