import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from teten.audit.models import AccessKind, AccessLog
from teten.ledger.services import balances
from teten.payments import postings
from teten.payments.batches import (
    FourEyesViolation,
    batch_approve,
    batch_create,
    batch_export,
    batch_remove_payment,
)
from teten.payments.models import BatchFileKind, BatchStatus, Payee, Payment, PaymentBatch, PaymentStatus
from teten.payments.services import PaymentConflict, payment_create
from teten.payments.tests.conftest import TODAY

GOLDEN = Path(__file__).parent / "golden"


def _payments(caseworker, grant):
    citizen_payment = payment_create(
        actor=caseworker,
        commitment=grant,
        amount=250050,
        payee=Payee.CITIZEN,
        due_date=TODAY,
        description="Kørekort, 1. rate",
        business_date=TODAY,
        key="c1",
    )
    invoice = payment_create(
        actor=caseworker,
        commitment=grant,
        amount=1_234_500,
        payee=Payee.SUPPLIER,
        due_date=TODAY,
        description="Regnskabskursus",
        business_date=TODAY,
        key="s1",
        supplier_name="AOF Aarhus",
        supplier_cvr="13585628",
        invoice_number="F-2026-17",
    )
    later = payment_create(
        actor=caseworker,
        commitment=grant,
        amount=100000,
        payee=Payee.CITIZEN,
        due_date=datetime.date(2027, 1, 4),
        description="Senere",
        business_date=TODAY,
        key="c2",
    )
    # Fixed references so the export files can be compared with golden files.
    Payment.objects.all_municipalities().filter(pk=citizen_payment.pk).update(reference="TT-AAAAA-11111")
    Payment.objects.all_municipalities().filter(pk=invoice.pk).update(reference="TT-BBBBB-22222")
    return citizen_payment, invoice, later


def test_batch_takes_due_approved_payments_only(caseworker, finance, grant):
    due1, due2, later = _payments(caseworker, grant)
    batch = batch_create(actor=finance, payment_date=TODAY, key="b1")
    assert set(Payment.objects.all_municipalities().filter(batch=batch).values_list("pk", flat=True)) == {
        due1.pk,
        due2.pk,
    }
    later.refresh_from_db()
    assert later.status == PaymentStatus.SCHEDULED and later.batch is None
    assert batch_create(actor=finance, payment_date=TODAY, key="b1") == batch  # same key, same batch
    with pytest.raises(ValidationError):
        batch_create(actor=finance, payment_date=TODAY, key="b2")  # nothing left to take


def test_four_eyes_the_creator_cannot_approve(caseworker, finance, finance2, grant):
    _payments(caseworker, grant)
    batch = batch_create(actor=finance, payment_date=TODAY, key="b1")
    with pytest.raises(FourEyesViolation):
        batch_approve(actor=finance, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.OPEN
    batch_approve(actor=finance2, batch=batch)
    assert batch.status == BatchStatus.APPROVED and batch.approved_by == finance2
    with pytest.raises(PaymentConflict):
        batch_approve(actor=finance2, batch=PaymentBatch.objects.all_municipalities().get(pk=batch.pk))


def test_database_refuses_a_batch_approved_by_its_creator(caseworker, finance, grant):
    _payments(caseworker, grant)
    batch = batch_create(actor=finance, payment_date=TODAY, key="b1")
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatch.objects.all_municipalities().filter(pk=batch.pk).update(
            approved_by=finance, status=BatchStatus.APPROVED
        )


def test_database_refuses_a_payment_in_a_batch_state_without_a_batch(caseworker, grant):
    payment = payment_create(
        actor=caseworker,
        commitment=grant,
        amount=1000,
        payee=Payee.CITIZEN,
        due_date=TODAY,
        description="x",
        business_date=TODAY,
        key="x",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.all_municipalities().filter(pk=payment.pk).update(status=PaymentStatus.SENT)


def test_payment_taken_out_of_an_open_batch(caseworker, finance, grant):
    due1, due2, _ = _payments(caseworker, grant)
    batch = batch_create(actor=finance, payment_date=TODAY, key="b1")
    due1.refresh_from_db()
    batch_remove_payment(actor=finance, batch=batch, payment=due1)
    due1.refresh_from_db()
    assert due1.status == PaymentStatus.APPROVED and due1.batch is None


def test_export_sends_posts_and_keeps_the_files(caseworker, finance, finance2, grant, muni_a):
    _payments(caseworker, grant)
    batch = batch_create(actor=finance, payment_date=TODAY, key="b1")
    batch_approve(actor=finance2, batch=batch)
    files = batch_export(actor=finance, batch=batch)
    assert {f.kind for f in files} == {BatchFileKind.CSV, BatchFileKind.POSTING}
    assert set(Payment.objects.all_municipalities().filter(batch=batch).values_list("status", flat=True)) == {
        PaymentStatus.SENT
    }
    all_balances = balances(muni_a)
    assert all_balances[postings.system_account(muni_a, "in_transit").pk] == -(250050 + 1_234_500)
    assert all_balances.get(postings.system_account(muni_a, "payable_citizens").pk, 0) == 0
    # The CPR numbers in the payment list are an export of personal data: logged once.
    [log] = AccessLog.objects.filter(kind=AccessKind.EXPORT)
    assert log.subject_count == 1
    with pytest.raises(PaymentConflict):
        batch_export(actor=finance, batch=PaymentBatch.objects.all_municipalities().get(pk=batch.pk))


def test_export_files_match_the_golden_files(caseworker, finance, finance2, grant):
    _payments(caseworker, grant)
    batch = batch_create(actor=finance, payment_date=TODAY, key="b1")
    batch_approve(actor=finance2, batch=batch)
    files = {f.kind: f for f in batch_export(actor=finance, batch=batch)}
    expected_csv = (GOLDEN / "payment_list.csv").read_text(encoding="utf-8")
    expected_postings = (GOLDEN / "postings.csv").read_text(encoding="utf-8")
    assert bytes(files[BatchFileKind.CSV].content).decode("utf-8") == expected_csv.replace("\n", "\r\n")
    assert bytes(files[BatchFileKind.POSTING].content).decode("utf-8") == expected_postings.replace("\n", "\r\n")


def test_failed_export_leaves_nothing_behind(caseworker, finance, finance2, grant, muni_a, monkeypatch):
    _payments(caseworker, grant)
    batch = batch_create(actor=finance, payment_date=TODAY, key="b1")
    batch_approve(actor=finance2, batch=batch)
    before = balances(muni_a)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("teten.payments.exports.payment_list_csv", broken)
    with pytest.raises(RuntimeError):
        batch_export(actor=finance, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPROVED
    assert set(Payment.objects.all_municipalities().filter(batch=batch).values_list("status", flat=True)) == {
        PaymentStatus.IN_BATCH
    }
    assert balances(muni_a) == before
    assert not batch.files.exists()
