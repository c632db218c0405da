import datetime

import pytest
from django.core.exceptions import ValidationError

from teten.ledger.models import LedgerTransaction
from teten.ledger.services import balances
from teten.payments import postings
from teten.payments.batches import batch_approve, batch_create, batch_export
from teten.payments.models import LineOutcome, Payee, Payment, PaymentStatus, ReconciliationLine
from teten.payments.reconciliation import parse_confirmation_file, reconciliation_import
from teten.payments.services import payment_create, payment_reissue
from teten.payments.tests.conftest import TODAY

PAY_DAY = datetime.date(2026, 11, 24)


@pytest.fixture
def sent(caseworker, finance, finance2, grant):
    """Three payments sent to the bank, with known references."""
    payments = []
    for i, amount in enumerate([100000, 250050, 80000]):
        p = payment_create(
            actor=caseworker,
            commitment=grant,
            amount=amount,
            payee=Payee.CITIZEN,
            due_date=TODAY,
            description=f"Rate {i + 1}",
            business_date=TODAY,
            key=f"p{i}",
        )
        Payment.objects.all_municipalities().filter(pk=p.pk).update(reference=f"TT-REF-{i + 1}")
        payments.append(p)
    batch = batch_create(actor=finance, payment_date=PAY_DAY, key="b")
    batch_approve(actor=finance2, batch=batch)
    batch_export(actor=finance, batch=batch)
    return payments


def _file(*rows, header="reference;beløb;dato;status"):
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def _import(finance, content):
    return reconciliation_import(actor=finance, content=content, filename="bank.csv", business_date=PAY_DAY)


def _status(payment):
    return Payment.objects.all_municipalities().get(pk=payment.pk).status


def test_matching_rows_settle_payments_and_post_to_the_bank(finance, sent, muni_a):
    result = _import(finance, _file("TT-REF-1;1.000,00;24.11.2026;betalt", "TT-REF-2;2500,50;24.11.2026;betalt"))
    outcomes = list(result.lines.values_list("row_number", "outcome"))
    assert outcomes == [(2, LineOutcome.PAID), (3, LineOutcome.PAID)]
    assert _status(sent[0]) == PaymentStatus.PAID
    assert balances(muni_a)[postings.system_account(muni_a, "bank").pk] == -(100000 + 250050)


def test_seeded_mismatches_are_listed_with_their_difference_and_change_nothing(finance, sent, muni_a):
    before = balances(muni_a)
    result = _import(
        finance,
        _file(
            "TT-UKENDT;100,00;24.11.2026;betalt",  # unknown reference
            "TT-REF-2;2500,00;24.11.2026;betalt",  # 50 øre short
            "TT-REF-3;800,00;24.11.2026;betalt",  # matches
            "TT-REF-3;800,00;24.11.2026;betalt",  # the same confirmation twice
            "TT-REF-1;1.000,005;24.11.2026;betalt",  # three decimals
            "TT-REF-1;1000;2026-13-01;betalt",  # no such date
            "TT-REF-1;1000;24.11.2026;måske",  # unknown status
            "kun;to",  # too few columns
        ),
    )
    lines = {line.row_number: line for line in result.lines.all()}
    assert lines[2].outcome == LineOutcome.UNKNOWN_REFERENCE
    assert (lines[3].outcome, lines[3].difference) == (LineOutcome.WRONG_AMOUNT, -50)
    assert "2.500,00 kr." in lines[3].message and "2.500,50 kr." in lines[3].message
    assert lines[4].outcome == LineOutcome.PAID
    assert lines[5].outcome == LineOutcome.DUPLICATE
    assert [lines[n].outcome for n in (6, 7, 8, 9)] == [LineOutcome.INVALID] * 4
    assert "højst have to decimaler" in lines[6].message
    assert "DD.MM.ÅÅÅÅ" in lines[7].message
    assert "ukendt status" in lines[8].message
    assert "for få kolonner" in lines[9].message
    assert _status(sent[0]) == PaymentStatus.SENT and _status(sent[1]) == PaymentStatus.SENT
    after = balances(muni_a)
    bank = postings.system_account(muni_a, "bank").pk
    assert after[bank] - before.get(bank, 0) == -80000  # only the matching row moved money


def test_importing_the_same_file_again_settles_nothing_twice(finance, sent, muni_a):
    content = _file("TT-REF-1;1000,00;24.11.2026;betalt")
    _import(finance, content)
    again = _import(finance, content)
    assert list(again.lines.values_list("outcome", flat=True)) == [LineOutcome.DUPLICATE]
    paid = LedgerTransaction.objects.for_municipality(muni_a).filter(key=f"payment:{sent[0].pk}:paid")
    assert paid.count() == 1


def test_failed_payment_is_reversed_and_can_be_reissued(finance, caseworker, sent, muni_a, grant):
    _import(finance, _file("TT-REF-1;1000,00;24.11.2026;afvist"))
    failed = Payment.objects.all_municipalities().get(pk=sent[0].pk)
    assert failed.status == PaymentStatus.FAILED
    spending = postings.spending_account(failed)
    # The failed payment's spending was reversed: only the two others remain.
    assert balances(muni_a)[spending.pk] == 250050 + 80000
    again = payment_reissue(actor=caseworker, payment=failed, due_date=PAY_DAY, business_date=PAY_DAY, key="re")
    assert again.reissue_of == failed and again.amount == failed.amount and again.status == PaymentStatus.APPROVED
    assert payment_reissue(actor=caseworker, payment=failed, due_date=PAY_DAY, business_date=PAY_DAY, key="re") == again


def test_an_error_half_way_leaves_no_partial_rows(finance, sent, muni_a, monkeypatch):
    """Raise after each write in turn: every time, nothing of the import is left."""
    content = _file("TT-REF-1;1000,00;24.11.2026;betalt", "TT-REF-2;2500,50;24.11.2026;betalt")
    original = ReconciliationLine.objects.create
    calls = {"n": 0}
    ledger_before = LedgerTransaction.objects.for_municipality(muni_a).count()
    for fail_at in (1, 2):
        calls["n"] = 0

        def create(*args, _fail_at=fail_at, **kwargs):
            calls["n"] += 1
            line = original(*args, **kwargs)
            if calls["n"] == _fail_at:
                raise RuntimeError("crash after a write")
            return line

        monkeypatch.setattr(ReconciliationLine.objects, "create", create)
        with pytest.raises(RuntimeError):
            _import(finance, content)
        assert not ReconciliationLine.objects.exists()
        assert {_status(p) for p in sent} == {PaymentStatus.SENT}
        assert LedgerTransaction.objects.for_municipality(muni_a).count() == ledger_before


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "Filen er tom"),
        (b"a;b;c\n1;2;3\n", "Første linje skal navngive kolonnerne"),
        (b"\xff\xfe\x00\x00binary", "Første linje"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(content, message):
    with pytest.raises(ValidationError) as exc:
        parse_confirmation_file(content)
    assert message in exc.value.messages[0]


def test_english_headers_and_commas_are_read():
    rows = parse_confirmation_file(b'reference,amount,date,status\nTT-1,"1,234.50",2026-11-24,paid\n')
    assert (rows[0].reference, rows[0].amount, rows[0].paid) == ("TT-1", 123450, True)
