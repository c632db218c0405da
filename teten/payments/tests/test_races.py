"""Races on PostgreSQL: 16 threads, released together by a barrier, do the same thing at once.

Exactly one may succeed; every other one must get a clean PaymentConflict / IllegalTransition
(never an IntegrityError, a deadlock or any other crash), and the ledger must still balance to the
øre afterwards. SQLite lets one writer in at a time, so these run on PostgreSQL only.
"""

import threading
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Sum

from teten.accounts.models import Role
from teten.audit.models import DecisionEvent
from teten.ledger.models import LedgerLeg, LedgerTransaction
from teten.ledger.services import balances
from teten.payments import postings
from teten.payments.batches import batch_approve, batch_create, batch_export
from teten.payments.models import BatchStatus, Payee, Payment, PaymentBatch, PaymentStatus
from teten.payments.services import IllegalTransition, PaymentConflict, payment_create, payment_settle
from teten.payments.tests.conftest import TODAY

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and real concurrency need PostgreSQL"),
]

THREADS = 16


def race(prepare, act, n=THREADS):
    """Run `prepare(i)` in n threads, wait until all are ready, then `act(i, prepared)` at once.
    Returns each thread's ("ok", result) or ("error", exception)."""
    barrier = threading.Barrier(n, timeout=30)
    results = [None] * n

    def run(i):
        try:
            prepared = prepare(i)
            barrier.wait()
            results[i] = ("ok", act(i, prepared))
        except BaseException as exc:  # noqa: BLE001 — every outcome is inspected by the test
            results[i] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    return results


def errors(results):
    return [value for outcome, value in results if outcome == "error"]


def successes(results):
    return [value for outcome, value in results if outcome == "ok"]


def assert_clean_conflicts(results):
    """Every loser got a clean conflict: not an IntegrityError, deadlock or other crash."""
    unexpected = [exc for exc in errors(results) if not isinstance(exc, IllegalTransition)]
    assert unexpected == [], f"unclean failures: {[f'{type(e).__name__}: {e}' for e in unexpected]}"


def assert_ledger_balances(municipality):
    per_transaction = (
        LedgerLeg.objects.filter(transaction__municipality=municipality)
        .values("transaction")
        .annotate(total=Sum("amount"))
        .values_list("transaction", "total")
    )
    assert [tx for tx, total in per_transaction if total != 0] == []
    assert sum(balances(municipality).values()) == 0


def _sent_payment(caseworker, finance, finance2, grant, amount=250050):
    payment = payment_create(
        actor=caseworker,
        commitment=grant,
        amount=amount,
        payee=Payee.CITIZEN,
        due_date=TODAY,
        description="Kursus",
        business_date=TODAY,
        key="race-payment",
    )
    batch = batch_create(actor=finance, payment_date=TODAY, key="race-batch")
    batch_approve(actor=finance2, batch=batch)
    batch_export(actor=finance, batch=batch)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SENT
    return payment


def test_sixteen_confirmations_of_one_sent_payment_pay_it_once(caseworker, finance, finance2, grant, muni_a):
    payment = _sent_payment(caseworker, finance, finance2, grant)

    def prepare(i):
        # Each thread read the payment while it was still "sent", as a page or a file import would.
        return Payment.objects.for_municipality(muni_a).get(pk=payment.pk)

    def act(i, fresh):
        return payment_settle(payment=fresh, paid=True, on=TODAY, actor=finance)

    results = race(prepare, act)

    assert len(successes(results)) == 1
    assert_clean_conflicts(results)
    assert all(isinstance(exc, PaymentConflict) for exc in errors(results))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    transactions = LedgerTransaction.objects.for_municipality(muni_a)
    assert transactions.filter(key=f"payment:{payment.pk}:paid").count() == 1
    bank = postings.system_account(muni_a, "bank")
    assert LedgerLeg.objects.filter(account=bank).count() == 1
    assert balances(muni_a)[bank.pk] == -250050
    assert balances(muni_a).get(postings.system_account(muni_a, "in_transit").pk, 0) == 0
    assert DecisionEvent.objects.filter(municipality=muni_a, kind="payment.paid").count() == 1
    assert_ledger_balances(muni_a)


def test_sixteen_approvals_of_one_open_batch_approve_it_once(caseworker, finance, grant, muni_a, make_staff):
    payment_create(
        actor=caseworker,
        commitment=grant,
        amount=100000,
        payee=Payee.CITIZEN,
        due_date=TODAY,
        description="Kursus",
        business_date=TODAY,
        key="race-payment",
    )
    batch = batch_create(actor=finance, payment_date=TODAY, key="race-batch")
    # Sixteen other finance officers, none of them the one who assembled the batch.
    officers = [make_staff(muni_a, Role.FINANCE_OFFICER, username=f"okonomi{i}") for i in range(THREADS)]

    def prepare(i):
        return PaymentBatch.objects.for_municipality(muni_a).get(pk=batch.pk)

    def act(i, fresh):
        return batch_approve(actor=officers[i], batch=fresh)

    results = race(prepare, act)

    [winner] = successes(results)
    assert_clean_conflicts(results)
    assert all(isinstance(exc, PaymentConflict) for exc in errors(results))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPROVED
    assert batch.approved_by_id == winner.approved_by.pk != finance.pk
    assert DecisionEvent.objects.filter(municipality=muni_a, kind="batch.approved").count() == 1
    # Approved once, it is sent once.
    batch_export(actor=finance, batch=batch)
    assert LedgerTransaction.objects.for_municipality(muni_a).filter(key__endswith=":sent").count() == 1
    assert_ledger_balances(muni_a)


def test_sixteen_identical_requests_create_one_payment(caseworker, grant, muni_a):
    def prepare(i):
        return None

    def act(i, _):
        return payment_create(
            actor=caseworker,
            commitment=grant,
            amount=300000,
            payee=Payee.CITIZEN,
            due_date=TODAY,
            description="Kursus",
            business_date=TODAY,
            key="the-same-request",
        )

    results = race(prepare, act)

    assert errors(results) == [], [f"{type(e).__name__}: {e}" for e in errors(results)]
    payments = Payment.objects.for_municipality(muni_a)
    assert payments.count() == 1
    [payment] = payments
    # Every request got that one payment back.
    assert Counter(p.pk for p in successes(results)) == {payment.pk: THREADS}
    assert LedgerTransaction.objects.for_municipality(muni_a).count() == 1
    assert DecisionEvent.objects.filter(municipality=muni_a, kind="payment.approved").count() == 1
    assert_ledger_balances(muni_a)
