import datetime

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from teten.ledger.models import AccountType, LedgerLeg, LedgerTransaction
from teten.ledger.services import (
    AlreadyReversed,
    IdempotencyConflict,
    LedgerError,
    Leg,
    account_get_or_create,
    balance,
    balances,
    post,
    reverse,
)

D = datetime.date


@pytest.fixture
def accounts(muni_a):
    def make(key, type_):
        return account_get_or_create(municipality=muni_a, key=key, code=key.upper(), name=key, type=type_)

    return {
        "bank": make("bank", AccountType.ASSET),
        "expense": make("expense", AccountType.EXPENSE),
        "payable": make("payable", AccountType.LIABILITY),
    }


TODAY = D(2026, 11, 23)


def _pay(muni, accounts, key="k1", amount=123456, on=TODAY):
    return post(
        municipality=muni,
        key=key,
        booked_on=on,
        description="Kursus",
        legs=[Leg.debit(accounts["expense"], amount), Leg.credit(accounts["bank"], amount)],
        citizen_id=7,
    )


def test_balanced_transaction_is_posted(muni_a, accounts):
    tx = _pay(muni_a, accounts)
    assert sorted(tx.legs.values_list("amount", flat=True)) == [-123456, 123456]
    assert balance(accounts["expense"]) == 123456
    assert balance(accounts["bank"]) == -123456


def test_same_key_twice_returns_the_first_transaction(muni_a, accounts):
    first = _pay(muni_a, accounts)
    again = _pay(muni_a, accounts)
    assert again.pk == first.pk
    assert LedgerTransaction.objects.for_municipality(muni_a).count() == 1
    assert balance(accounts["expense"]) == 123456


def test_same_key_for_a_different_posting_is_refused(muni_a, accounts):
    _pay(muni_a, accounts)
    with pytest.raises(IdempotencyConflict):
        _pay(muni_a, accounts, amount=1)


@pytest.mark.parametrize(
    "legs",
    [
        lambda a: [Leg.debit(a["expense"], 100), Leg.credit(a["bank"], 99)],
        lambda a: [Leg.debit(a["expense"], 100)],
        lambda a: [Leg.debit(a["expense"], 0), Leg.credit(a["bank"], 0)],
        lambda a: [Leg(a["expense"], 100.0), Leg(a["bank"], -100.0)],
    ],
)
def test_bad_transactions_are_refused_and_nothing_is_written(muni_a, accounts, legs):
    with pytest.raises(LedgerError):
        post(municipality=muni_a, key="bad", booked_on=D(2026, 1, 1), description="x", legs=legs(accounts))
    assert LedgerTransaction.objects.for_municipality(muni_a).count() == 0
    assert LedgerLeg.objects.count() == 0


def test_legs_on_another_municipalitys_accounts_are_refused(muni_a, muni_b, accounts):
    foreign = account_get_or_create(municipality=muni_b, key="bank", code="B", name="b", type=AccountType.ASSET)
    with pytest.raises(LedgerError):
        post(
            municipality=muni_a,
            key="x",
            booked_on=D(2026, 1, 1),
            description="x",
            legs=[Leg.debit(accounts["expense"], 5), Leg.credit(foreign, 5)],
        )


def test_reversal_mirrors_and_points_at_the_original(muni_a, accounts):
    original = _pay(muni_a, accounts)
    reversal = reverse(original=original, key="k1:reversed", booked_on=D(2026, 11, 24), description="Fejl")
    assert reversal.reverses == original
    assert balance(accounts["expense"]) == 0 and balance(accounts["bank"]) == 0
    # The same reversal again is the same transaction; a second, different one is refused.
    assert reverse(original=original, key="k1:reversed", booked_on=D(2026, 11, 24), description="Fejl") == reversal
    with pytest.raises(AlreadyReversed):
        reverse(original=original, key="other", booked_on=D(2026, 11, 24), description="igen")
    with pytest.raises(LedgerError):
        reverse(original=reversal, key="r-of-r", booked_on=D(2026, 11, 24), description="x")


def test_balances_as_of_any_date(muni_a, accounts):
    _pay(muni_a, accounts, key="a", amount=1000, on=D(2026, 1, 10))
    _pay(muni_a, accounts, key="b", amount=500, on=D(2026, 2, 10))
    assert balance(accounts["expense"], as_of=D(2026, 1, 9)) == 0
    assert balance(accounts["expense"], as_of=D(2026, 1, 10)) == 1000
    assert balance(accounts["expense"], as_of=D(2026, 2, 10)) == 1500
    all_balances = balances(muni_a)
    assert all_balances[accounts["expense"].pk] == 1500 and sum(all_balances.values()) == 0


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_ledgerleg SET amount = amount + 1",
        "DELETE FROM ledger_ledgerleg",
        "UPDATE ledger_ledgertransaction SET description = 'x'",
        "DELETE FROM ledger_ledgertransaction",
    ],
)
def test_posted_transactions_cannot_be_changed_even_with_sql(muni_a, accounts, sql):
    _pay(muni_a, accounts)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert balance(accounts["expense"]) == 123456


@pytest.mark.postgres
def test_postgres_refuses_an_unbalanced_transaction_written_with_raw_sql(muni_a, accounts):
    if connection.vendor != "postgresql":
        pytest.skip("the deferred constraint trigger is PostgreSQL's")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_ledgertransaction (municipality_id, key, booked_on, created_at, description, reference)"
            " VALUES (%s, 'raw', '2026-01-01', now(), 'raw', '') RETURNING id",
            [muni_a.pk],
        )
        tx_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO ledger_ledgerleg (transaction_id, account_id, amount) VALUES (%s, %s, 100), (%s, %s, -99)",
            [tx_id, accounts["expense"].pk, tx_id, accounts["bank"].pk],
        )
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # what COMMIT would do
    assert not LedgerTransaction.objects.for_municipality(muni_a).filter(key="raw").exists()


@pytest.mark.postgres
def test_postgres_refuses_a_transaction_without_legs(muni_a):
    if connection.vendor != "postgresql":
        pytest.skip("the deferred constraint trigger is PostgreSQL's")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_ledgertransaction (municipality_id, key, booked_on, created_at, description, reference)"
            " VALUES (%s, 'empty', '2026-01-01', now(), 'raw', '')",
            [muni_a.pk],
        )
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
