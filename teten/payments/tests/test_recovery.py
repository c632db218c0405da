import pytest
from django.core.exceptions import ValidationError

from teten.ledger.services import balances
from teten.payments import postings
from teten.payments.models import ClaimReason
from teten.payments.recovery import claim_create, claim_outstanding, claim_payment_register, claim_write_off
from teten.payments.tests.conftest import TODAY


@pytest.fixture
def claim(caseworker, citizen, grant):
    return claim_create(
        actor=caseworker,
        citizen=citizen,
        amount=1_500_000,
        reason=ClaimReason.MISUSE,
        description="Brugt til privatforbrug",
        decided_on=TODAY,
        key="claim-1",
        commitment=grant,
    )


def _balance(muni, key):
    return balances(muni).get(postings.system_account(muni, key).pk, 0)


def test_claim_is_a_receivable(claim, muni_a):
    assert _balance(muni_a, "recovery_receivable") == 1_500_000
    assert claim_outstanding(claim) == 1_500_000


def test_payments_and_write_off_reduce_it_to_zero(claim, caseworker, muni_a):
    claim_payment_register(actor=caseworker, claim=claim, amount=500000, on=TODAY, key="pay-1")
    claim_payment_register(actor=caseworker, claim=claim, amount=500000, on=TODAY, key="pay-1")  # same key
    assert claim_outstanding(claim) == 1_000_000
    claim_write_off(actor=caseworker, claim=claim, amount=1_000_000, on=TODAY, reason="Borgeren er død", key="wo")
    assert claim_outstanding(claim) == 0
    assert _balance(muni_a, "recovery_receivable") == 0
    assert _balance(muni_a, "bank") == 500000
    assert _balance(muni_a, "recovery_written_off") == 1_000_000


def test_cannot_settle_more_than_is_outstanding(claim, caseworker):
    with pytest.raises(ValidationError) as exc:
        claim_payment_register(actor=caseworker, claim=claim, amount=1_500_001, on=TODAY, key="x")
    assert "Der udestår kun 15.000,00 kr." in str(exc.value)


def test_write_off_needs_a_reason(claim, caseworker):
    with pytest.raises(ValidationError):
        claim_write_off(actor=caseworker, claim=claim, amount=100, on=TODAY, reason=" ", key="x")
    assert claim_outstanding(claim) == 1_500_000
