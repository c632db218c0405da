"""`teten daily --date` is idempotent: run twice, or killed half-way and run again, it leaves the
same result as one clean run."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from teten.core.models import DailyRun
from teten.ledger.models import LedgerLeg, LedgerTransaction
from teten.payments.batches import batch_create
from teten.payments.models import BatchReminder, Payee, Payment, PaymentStatus
from teten.payments.services import payment_create
from teten.payments.tests.conftest import TODAY

DEC_1 = datetime.date(2026, 12, 1)


@pytest.fixture
def scheduled(caseworker, grant):
    return [
        payment_create(
            actor=caseworker,
            commitment=grant,
            amount=100000 + i,
            payee=Payee.CITIZEN,
            due_date=DEC_1 - datetime.timedelta(days=i),
            description=f"Rate {i}",
            business_date=TODAY,
            key=f"s{i}",
        )
        for i in range(5)
    ]


def _state(muni):
    payments = sorted(Payment.objects.for_municipality(muni).values_list("pk", "status"))
    legs = sorted(
        LedgerLeg.objects.filter(transaction__municipality=muni).values_list("transaction__key", "account_id", "amount")
    )
    return payments, legs


def test_due_tranches_are_approved_on_their_day_and_not_before(scheduled, muni_a):
    call_command("daily", date="2026-11-27", only=["payments_due"])
    statuses = dict(Payment.objects.for_municipality(muni_a).values_list("key", "status"))
    assert statuses == {"s0": "scheduled", "s1": "scheduled", "s2": "scheduled", "s3": "scheduled", "s4": "approved"}


def test_running_twice_gives_the_same_result_as_once(scheduled, muni_a):
    call_command("daily", date="2026-12-01")
    once = _state(muni_a)
    call_command("daily", date="2026-12-01")
    assert _state(muni_a) == once
    assert {p[1] for p in once[0]} == {PaymentStatus.APPROVED}
    assert DailyRun.objects.get(business_date=DEC_1, duty="payments_due").runs == 2


def test_killed_half_way_then_run_again_equals_one_clean_run(scheduled, muni_a, monkeypatch):
    from teten.payments import services

    original = services.postings.payment_approved
    calls = {"n": 0}

    def crash_on_third(payment, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt("killed")
        return original(payment, **kwargs)

    monkeypatch.setattr(services.postings, "payment_approved", crash_on_third)
    with pytest.raises(KeyboardInterrupt):
        call_command("daily", date="2026-12-01", only=["payments_due"])
    half = Payment.objects.for_municipality(muni_a).filter(status=PaymentStatus.APPROVED).count()
    assert half == 2  # two whole payments done, the third rolled back
    monkeypatch.setattr(services.postings, "payment_approved", original)
    call_command("daily", date="2026-12-01", only=["payments_due"])
    payments, legs = _state(muni_a)
    assert {status for _, status in payments} == {PaymentStatus.APPROVED}
    assert LedgerTransaction.objects.for_municipality(muni_a).filter(key__endswith=":approved").count() == 5
    assert len(legs) == 10


def test_batch_reminder_comes_after_two_business_days_and_only_once(caseworker, finance, grant, muni_a):
    payment_create(
        actor=caseworker,
        commitment=grant,
        amount=1000,
        payee=Payee.CITIZEN,
        due_date=TODAY,
        description="x",
        business_date=TODAY,
        key="x",
    )
    batch = batch_create(actor=finance, payment_date=TODAY, key="b")
    created = batch.created_at.date()
    call_command("daily", date=created.isoformat(), only=["batch_reminders"])
    assert not BatchReminder.objects.exists()
    later = created + datetime.timedelta(days=7)
    call_command("daily", date=later.isoformat(), only=["batch_reminders"])
    call_command("daily", date=later.isoformat(), only=["batch_reminders"])
    assert BatchReminder.objects.count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["henrik@k.dk"]
    assert "venter på godkendelse" in mail.outbox[0].subject


def test_daily_refuses_a_bad_date():
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("daily", date="23.11.2026")


def _schedule(caseworker, grant, due: datetime.date, count: int, prefix: str) -> None:
    for i in range(count):
        payment_create(
            actor=caseworker,
            commitment=grant,
            amount=10_000 + i,
            payee=Payee.CITIZEN,
            due_date=due,
            description=f"Rate {prefix}{i}",
            business_date=TODAY,
            key=f"{prefix}{i}",
        )


def _payments_due_queries(on: datetime.date) -> int:
    with CaptureQueriesContext(connection) as queries:
        call_command("daily", date=on.isoformat(), only=["payments_due"])
    return len(queries)


# Statements for each payment made due, as Django logs them on either database: the BEGIN and
# COMMIT of its own transaction, the approval (UPDATE), the posting (look-up by key, savepoint,
# transaction, legs, release) and the audit event. The ledger accounts are looked up once a run, not
# once a payment, and the pool's municipality comes with the payment (bench/README.md, the money
# benchmark).
PER_PAYMENT_QUERIES = 9


@pytest.mark.django_db(transaction=True)  # real commits: accounts are remembered once committed
def test_each_payment_made_due_costs_the_same_few_statements(caseworker, grant, muni_a):
    payment_create(  # due at once: the accounts exist before the daily job runs
        actor=caseworker,
        commitment=grant,
        amount=5_000,
        payee=Payee.CITIZEN,
        due_date=TODAY,
        description="Nu",
        business_date=TODAY,
        key="now",
    )
    _schedule(caseworker, grant, datetime.date(2026, 11, 27), 2, "a")
    _schedule(caseworker, grant, DEC_1, 5, "b")
    two = _payments_due_queries(datetime.date(2026, 11, 27))
    five = _payments_due_queries(DEC_1)
    assert Payment.objects.for_municipality(muni_a).filter(status=PaymentStatus.APPROVED).count() == 8
    assert (five - two) == 3 * PER_PAYMENT_QUERIES


@pytest.mark.django_db(transaction=True)
def test_an_account_made_in_a_rolled_back_transaction_is_not_remembered(muni_a):
    from django.db import transaction

    from teten.ledger.models import AccountType, LedgerAccount
    from teten.ledger.services import account_get_or_create, remembered_accounts

    def bank():
        return account_get_or_create(municipality=muni_a, key="bank", code="1000", name="Bank", type=AccountType.ASSET)

    with remembered_accounts():
        with pytest.raises(RuntimeError), transaction.atomic():
            bank()
            raise RuntimeError("rolled back")
        assert not LedgerAccount.objects.for_municipality(muni_a).exists()
        made = bank()  # made again, not the rolled-back one
        assert LedgerAccount.objects.for_municipality(muni_a).get().pk == made.pk
        with CaptureQueriesContext(connection) as queries:
            assert bank().pk == made.pk
        assert len(queries) == 0  # remembered once committed
