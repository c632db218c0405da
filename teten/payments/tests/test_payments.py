import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from teten.audit.models import DecisionEvent
from teten.ledger.models import LedgerTransaction
from teten.ledger.services import balances
from teten.payments import postings
from teten.payments.commitments import (
    PoolExhausted,
    commitment_amount,
    commitment_release,
    commitment_reserve,
    pool_statuses,
)
from teten.payments.models import MoneyKind, Payee, Payment, PaymentStatus
from teten.payments.services import (
    IllegalTransition,
    payment_cancel,
    payment_create,
    payment_make_due,
    payment_plan_create,
    payment_reissue,
    payment_settle,
    split_into_tranches,
    transition,
)
from teten.payments.tests.conftest import TODAY


def _pay(caseworker, grant, amount=300000, key="p1", due=TODAY, **kw):
    return payment_create(
        actor=caseworker,
        commitment=grant,
        amount=amount,
        payee=kw.pop("payee", Payee.CITIZEN),
        due_date=due,
        description="Kursus",
        business_date=TODAY,
        key=key,
        **kw,
    )


def _account_balance(muni, key):
    account = postings.system_account(muni, key)
    return balances(muni).get(account.pk, 0)


def test_pool_cannot_be_over_committed(caseworker, programme, pool, citizen):
    with pytest.raises(PoolExhausted) as exc:
        commitment_reserve(
            actor=caseworker,
            programme=programme,
            funding_source=pool,
            citizen=citizen,
            kind=MoneyKind.GRANT,
            reference="x",
            amount=10_000_001,
            description="for meget",
            decided_on=TODAY,
            key="k",
        )
    assert "har kun 100.000,00 kr. tilbage" in exc.value.messages[0]
    assert "100.000,01 kr." in exc.value.messages[0]
    [status] = pool_statuses(pool.municipality)
    assert status.committed == 0 and status.remaining == 10_000_000


def test_reserve_is_idempotent_and_recorded(grant, caseworker, programme, pool, citizen):
    again = commitment_reserve(
        actor=caseworker,
        programme=programme,
        funding_source=pool,
        citizen=citizen,
        kind=MoneyKind.GRANT,
        reference="test.Grant:1",
        amount=2_000_000,
        description="Kursus i regnskab",
        decided_on=TODAY,
        key="grant-1",
    )
    assert again == grant and commitment_amount(grant) == 2_000_000
    event = DecisionEvent.objects.get(kind="commitment.reserved")
    assert event.after["amount"] == 2_000_000 and event.legal_basis.startswith("LAB § 32")


def test_release_gives_back_only_what_is_unused(grant, caseworker):
    _pay(caseworker, grant, amount=500000)
    with pytest.raises(ValidationError):
        commitment_release(actor=caseworker, commitment=grant, amount=1_600_000, reason="x", decided_on=TODAY, key="r1")
    released = commitment_release(
        actor=caseworker, commitment=grant, amount=None, reason="Ubrugt", decided_on=TODAY, key="r2"
    )
    assert released == 1_500_000
    [status] = pool_statuses(grant.municipality)
    assert status.committed == 500000 and status.remaining == 9_500_000


def test_payment_to_citizen_posts_expense_and_payable(grant, caseworker, muni_a):
    payment = _pay(caseworker, grant)
    assert payment.status == PaymentStatus.APPROVED and payment.kind == MoneyKind.GRANT
    spending = postings.spending_account(payment)
    assert balances(muni_a)[spending.pk] == 300000
    assert _account_balance(muni_a, "payable_citizens") == -300000


def test_payment_over_the_tranche_maximum_is_refused(grant, caseworker):
    with pytest.raises(ValidationError) as exc:
        _pay(caseworker, grant, amount=500001)
    assert "Del det op i rater" in str(exc.value)


def test_payment_beyond_the_commitment_is_refused(grant, caseworker):
    for i in range(4):
        _pay(caseworker, grant, amount=500000, key=f"p{i}")
    with pytest.raises(ValidationError) as exc:
        _pay(caseworker, grant, amount=1, key="one-too-many")
    assert "Kun 0,00 kr. af afgørelsen" in str(exc.value)


def test_same_key_returns_the_same_payment(grant, caseworker, muni_a):
    first = _pay(caseworker, grant)
    assert _pay(caseworker, grant) == first
    assert Payment.objects.for_municipality(muni_a).count() == 1


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"supplier_cvr": "13585627", "invoice_number": "F1", "supplier_name": "AOF"}, "supplier_cvr"),
        ({"supplier_cvr": "1234", "invoice_number": "F1", "supplier_name": "AOF"}, "supplier_cvr"),
        ({"supplier_cvr": "13585628", "invoice_number": "", "supplier_name": "AOF"}, "invoice_number"),
        ({"supplier_cvr": "13585628", "invoice_number": "F1", "supplier_name": "AOF", "ean": "5798000416605"}, "ean"),
    ],
)
def test_bad_invoices_are_refused_at_the_field(grant, caseworker, fields, field):
    with pytest.raises(ValidationError) as exc:
        _pay(caseworker, grant, payee=Payee.SUPPLIER, **fields)
    assert field in exc.value.message_dict


def test_invoice_without_any_ean_is_refused(grant, caseworker, muni_a):
    muni_a.ean = ""
    muni_a.save()
    grant.municipality.ean = ""
    with pytest.raises(ValidationError) as exc:
        _pay(caseworker, grant, payee=Payee.SUPPLIER, supplier_cvr="13585628", invoice_number="F1", supplier_name="AOF")
    assert "EAN" in exc.value.message_dict["ean"][0]


def test_invoice_to_municipality_ean_may_exceed_the_citizen_tranche(grant, caseworker, muni_a):
    payment = _pay(
        caseworker,
        grant,
        amount=1_200_000,
        payee=Payee.SUPPLIER,
        supplier_cvr="13585628",
        invoice_number="F-2026-17",
        supplier_name="AOF Aarhus",
    )
    assert payment.ean == "5798000416604"
    assert _account_balance(muni_a, "payable_suppliers") == -1_200_000


@pytest.mark.parametrize(
    "total, maximum, tranches",
    [
        (1_000_000, 300000, [250000, 250000, 250000, 250000]),
        (1_000_001, 500000, [333334, 333334, 333333]),
        (400000, 500000, [400000]),
        (400000, None, [400000]),
    ],
)
def test_split_into_tranches(total, maximum, tranches):
    assert split_into_tranches(total, maximum) == tranches
    assert sum(split_into_tranches(total, maximum)) == total


def test_payment_plan_makes_monthly_tranches_on_business_days(grant, caseworker):
    plan = payment_plan_create(
        actor=caseworker,
        commitment=grant,
        total=1_200_000,
        first_due=datetime.date(2026, 11, 23),
        description="Kørekort",
        business_date=TODAY,
        key="plan",
    )
    assert [p.amount for p in plan] == [400000, 400000, 400000]
    # 23.12 is fine; 23.01.2027 is a Saturday, so the 25th.
    assert [p.due_date for p in plan] == [
        datetime.date(2026, 11, 23),
        datetime.date(2026, 12, 23),
        datetime.date(2027, 1, 25),
    ]
    assert [p.status for p in plan] == [PaymentStatus.APPROVED, PaymentStatus.SCHEDULED, PaymentStatus.SCHEDULED]
    assert plan[1].description == "Kørekort (2/3)"


def test_scheduled_payment_is_posted_when_it_falls_due(grant, caseworker, muni_a):
    payment = _pay(caseworker, grant, due=datetime.date(2026, 12, 1))
    assert payment.status == PaymentStatus.SCHEDULED
    assert not LedgerTransaction.objects.for_municipality(muni_a).filter(reference__startswith="payments.").exists()
    assert payment_make_due(payment=payment, business_date=datetime.date(2026, 11, 30)) is False
    assert payment_make_due(payment=payment, business_date=datetime.date(2026, 12, 1)) is True
    assert payment_make_due(payment=payment, business_date=datetime.date(2026, 12, 2)) is False
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.APPROVED
    tx = LedgerTransaction.objects.for_municipality(muni_a).get(key=f"payment:{payment.pk}:approved")
    assert tx.booked_on == datetime.date(2026, 12, 1)


def test_illegal_transitions_are_refused_and_change_nothing(grant, caseworker):
    payment = _pay(caseworker, grant)
    for target in (PaymentStatus.SENT, PaymentStatus.PAID, PaymentStatus.FAILED, PaymentStatus.SCHEDULED):
        with pytest.raises(IllegalTransition):
            transition(payment, target)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.APPROVED
    with pytest.raises(IllegalTransition):
        payment_settle(payment=payment, paid=True, on=TODAY)
    with pytest.raises(IllegalTransition):
        payment_reissue(actor=caseworker, payment=payment, due_date=TODAY, business_date=TODAY, key="re")


def test_cancelled_payment_is_reversed_and_frees_the_commitment(grant, caseworker, muni_a):
    payment = _pay(caseworker, grant, amount=500000)
    payment_cancel(actor=caseworker, payment=payment, reason="Borgeren fik job", business_date=TODAY)
    assert payment.status == PaymentStatus.CANCELLED
    assert all(v == 0 for v in balances(muni_a).values())
    for i in range(4):
        _pay(caseworker, grant, amount=500000, key=f"again{i}")


def test_roles_without_payment_rights_are_refused(grant, make_staff, muni_a):
    from teten.accounts.models import Role

    consultant = make_staff(muni_a, Role.JOB_CONSULTANT)
    with pytest.raises(PermissionDenied):
        _pay(consultant, grant)
    assert not Payment.objects.for_municipality(muni_a).exists()


def test_loan_commitment_pays_into_a_receivable_never_spending(caseworker, programme, pool, citizen, muni_a):
    loan = commitment_reserve(
        actor=caseworker,
        programme=programme,
        funding_source=pool,
        citizen=citizen,
        kind=MoneyKind.LOAN,
        reference="test.Loan:1",
        amount=3_000_000,
        description="Mikrolån",
        decided_on=TODAY,
        key="loan-1",
    )
    payment = payment_create(
        actor=caseworker,
        commitment=loan,
        amount=3_000_000,
        payee=Payee.SUPPLIER,
        due_date=TODAY,
        description="Udbetaling af lån",
        business_date=TODAY,
        key="lp",
        supplier_cvr="13585628",
        invoice_number="L1",
        supplier_name="X",
    )
    account = postings.spending_account(payment)
    assert account.type == "asset" and account.key.startswith("loans:")
    assert payment.kind == MoneyKind.LOAN
