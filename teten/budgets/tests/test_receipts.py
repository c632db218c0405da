"""Receipts: handed in against a payment to the citizen, checked, and reminded of — never before
the deadline, once."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from teten.budgets import changes, receipts, review
from teten.budgets.models import BudgetLine, LineStatus, MisuseKind, ReceiptReminder, ReceiptStatus
from teten.documents.models import Letter
from teten.payments.batches import batch_approve, batch_create, batch_export
from teten.payments.models import Payee, Payment, RecoveryClaim
from teten.payments.services import payment_create
from teten.portal.identity import OneTimeLinkProvider

PAY_DAY = datetime.date(2026, 11, 24)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 30), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def paid(submitted, consultant, finance, finance2, make_staff, muni_a):
    """The plan approved and 3.000 kr. paid to the citizen for the course on 24.11.2026."""
    from teten.accounts.models import Role

    for line in BudgetLine.objects.filter(plan=submitted, status=LineStatus.PENDING):
        review.line_review(actor=consultant, line=line, decision=LineStatus.APPROVED)
    review.plan_approve(actor=consultant, plan=submitted)
    course = BudgetLine.objects.get(plan=submitted, category__code="course")
    caseworker = make_staff(muni_a, Role.BENEFITS_CASEWORKER)
    payment = payment_create(
        actor=caseworker,
        commitment=course.commitment,
        amount=300000,
        payee=Payee.CITIZEN,
        due_date=PAY_DAY,
        description="Bogholderkursus, 1. rate",
        business_date=PAY_DAY,
        key="r1",
    )
    batch = batch_create(actor=finance, payment_date=PAY_DAY, key="b")
    batch_approve(actor=finance2, batch=batch)
    batch_export(actor=finance, batch=batch)
    return Payment.objects.for_municipality(muni_a).get(pk=payment.pk)


def test_receipt_is_due_after_the_programmes_deadline(paid):
    assert receipts.receipt_due(paid) == PAY_DAY + datetime.timedelta(days=30)


def test_reminder_never_before_the_deadline_and_only_once(paid):
    due = receipts.receipt_due(paid)
    call_command("daily", date=due.isoformat(), only=["receipt_reminders"])
    assert not ReceiptReminder.objects.exists()
    day_after = due + datetime.timedelta(days=1)
    call_command("daily", date=day_after.isoformat(), only=["receipt_reminders"])
    call_command("daily", date=day_after.isoformat(), only=["receipt_reminders"])
    [reminder] = ReceiptReminder.objects.all()
    assert reminder.letter.kind == "receipt_reminder"
    assert Letter.objects.all_municipalities().filter(kind="receipt_reminder").count() == 1


def test_a_handed_in_receipt_stops_the_reminder(paid, citizen):
    receipts.receipt_upload(citizen=citizen, payment=paid, uploaded_file=SimpleUploadedFile("k.png", _png()))
    call_command("daily", date=(PAY_DAY + datetime.timedelta(days=60)).isoformat(), only=["receipt_reminders"])
    assert not ReceiptReminder.objects.exists()


def test_consultant_accepts_and_records_the_paper_original(paid, citizen, consultant):
    receipt = receipts.receipt_upload(citizen=citizen, payment=paid, uploaded_file=SimpleUploadedFile("k.png", _png()))
    receipts.receipt_review(
        actor=consultant, receipt=receipt, accept=True, original_received_on=datetime.date(2026, 12, 1)
    )
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.ACCEPTED and receipt.original_received_on == datetime.date(2026, 12, 1)
    assert receipts.missing_receipts(paid.commitment.budget_line.plan) == []


def test_overdue_receipts_are_on_the_consultants_worklist(paid, client, consultant, monkeypatch):
    monkeypatch.setattr("teten.budgets.selectors.today", lambda: PAY_DAY + datetime.timedelta(days=31))
    client.force_login(consultant)
    page = client.get(reverse("budgets:worklist")).content.decode()
    assert "Kvitteringer over fristen" in page and "Bogholderkursus, 1. rate" in page


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "kvittering.pdf",
            b"<html><body><script>alert(1)</script></body></html>",
            "Vi kan kun modtage PDF-filer og billeder",
        ),
        ("stor.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024), "Filen er for stor"),
    ],
)
def test_upload_hardening_in_the_portal(paid, client, citizen, name, content, message):
    client.post(re.sub(r"^https?://[^/]+", "", OneTimeLinkProvider.issue_link(citizen)))
    response = client.post(reverse("portal:receipt", args=[paid.pk]), {"file": SimpleUploadedFile(name, content)})
    assert message in response.content.decode()
    assert not paid.receipts.exists()


def test_a_path_like_filename_is_neutralised_and_the_file_is_never_served_inline(paid, client, citizen, consultant):
    client.post(re.sub(r"^https?://[^/]+", "", OneTimeLinkProvider.issue_link(citizen)))
    upload = SimpleUploadedFile("../../etc/passwd.png", _png())
    assert client.post(reverse("portal:receipt", args=[paid.pk]), {"file": upload}).status_code == 302
    receipt = paid.receipts.get()
    assert "/" not in receipt.file.original_name and ".." not in receipt.file.storage_name
    client.logout()
    client.force_login(consultant)
    plan = paid.commitment.budget_line.plan
    response = client.get(reverse("budgets:receipt_file", args=[plan.pk, receipt.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"


def test_misuse_becomes_a_recovery_claim(paid, consultant, muni_a):
    changes.misuse_record(actor=consultant, payment=paid, amount=100000, kind=MisuseKind.PRIVATE, note="Brugt på ferie")
    claim = RecoveryClaim.objects.for_municipality(muni_a).get()
    assert (claim.amount, claim.reason) == (100000, "misuse")
    with pytest.raises(ValidationError):
        changes.misuse_record(actor=consultant, payment=paid, amount=200001, kind=MisuseKind.PRIVATE, note="igen")


@pytest.mark.parametrize(
    "on, shown",
    [(PAY_DAY - datetime.timedelta(days=1), "udbetales 24.11.2026"), (PAY_DAY, "udbetalt 24.11.2026")],
)
def test_the_citizen_is_told_the_money_is_paid_only_from_the_payment_date(
    paid, client, citizen, monkeypatch, on, shown
):
    """A batch sent today pays on its payment date (usually the next business day)."""
    monkeypatch.setattr("teten.portal.budget.today", lambda: on)
    client.post(re.sub(r"^https?://[^/]+", "", OneTimeLinkProvider.issue_link(citizen)))
    assert shown in client.get(reverse("portal:budget")).content.decode()
    assert shown in client.get(reverse("portal:receipt", args=[paid.pk])).content.decode()
