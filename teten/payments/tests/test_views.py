"""The money screens as the people using them see them."""

import datetime

import pytest
from django.urls import reverse

from teten.audit.models import AccessKind, AccessLog
from teten.payments.batches import batch_approve, batch_create, batch_export
from teten.payments.models import BatchStatus, Payment, PaymentBatch, PaymentStatus
from teten.payments.services import payment_create
from teten.payments.tests.conftest import TODAY


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def _payment_form(**overrides):
    data = {
        "key": "form-key-1",
        "payee": "supplier",
        "amount": "12.345,00",
        "due_date": "2026-11-23",
        "description": "Regnskabskursus",
        "supplier_name": "AOF Aarhus",
        "supplier_cvr": "13585628",
        "invoice_number": "F-1",
        "ean": "",
    }
    data.update(overrides)
    return data


def test_pool_overview_shows_committed_paid_and_left(as_user, finance, grant):
    page = as_user(finance).get(reverse("payments:pools")).content.decode()
    assert "Fondsmidler" in page
    assert "100.000,00 kr." in page  # the pool
    assert "20.000,00 kr." in page  # committed, not yet paid
    assert "80.000,00 kr." in page  # left


def test_caseworker_pays_an_invoice_from_the_decision_page(as_user, caseworker, grant, muni_a):
    client = as_user(caseworker)
    url = reverse("payments:commitment", args=[grant.pk])
    response = client.post(url, _payment_form())
    assert response.status_code == 302
    [payment] = Payment.objects.for_municipality(muni_a)
    assert (payment.amount, payment.ean, payment.status) == (1_234_500, "5798000416604", PaymentStatus.APPROVED)
    # Pressing "send" twice with the same form does it once.
    client.post(url, _payment_form())
    assert Payment.objects.for_municipality(muni_a).count() == 1


def test_citizen_payment_above_the_maximum_becomes_monthly_tranches(as_user, caseworker, grant, muni_a):
    response = as_user(caseworker).post(
        reverse("payments:commitment", args=[grant.pk]), _payment_form(payee="citizen", amount="12000", key="k2")
    )
    assert response.status_code == 302
    amounts = list(Payment.objects.for_municipality(muni_a).order_by("due_date").values_list("amount", flat=True))
    assert amounts == [400000, 400000, 400000]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("amount", "-5", "Beløbet kan ikke være negativt"),
        ("amount", "0", "Beløbet skal være mere end 0 kr."),
        ("amount", "1.234,567", "højst have to decimaler"),
        ("amount", "25.000,01", "Kun 20.000,00 kr. af afgørelsen"),
        ("supplier_cvr", "13585627", "kontrolcifferet passer ikke"),
        ("invoice_number", "", "Skriv fakturanummeret"),
        ("ean", "579800041660", "13 cifre"),
    ],
)
def test_bad_payment_input_is_explained_at_the_field_and_nothing_is_lost(
    as_user, caseworker, grant, muni_a, field, value, message
):
    response = as_user(caseworker).post(
        reverse("payments:commitment", args=[grant.pk]), _payment_form(**{field: value})
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert 'value="Regnskabskursus"' in body and 'value="AOF Aarhus"' in body
    assert not Payment.objects.for_municipality(muni_a).exists()


def test_coordinator_sees_payments_but_cannot_create_them(as_user, make_staff, muni_a, grant):
    from teten.accounts.models import Role

    coordinator = make_staff(muni_a, Role.COORDINATOR)
    client = as_user(coordinator)
    url = reverse("payments:commitment", args=[grant.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, _payment_form()).status_code == 403
    assert not Payment.objects.for_municipality(muni_a).exists()


def test_batch_screens_enforce_four_eyes(as_user, caseworker, finance, finance2, grant, muni_a):
    payment_create(
        actor=caseworker,
        commitment=grant,
        amount=100000,
        payee="citizen",
        due_date=TODAY,
        description="Rate",
        business_date=TODAY,
        key="p",
    )
    client = as_user(finance)
    response = client.post(reverse("payments:batches"), {"key": "b1", "payment_date": "2026-11-24"})
    batch = PaymentBatch.objects.for_municipality(muni_a).get()
    assert response["Location"] == reverse("payments:batch", args=[batch.pk])
    page = client.get(reverse("payments:batch", args=[batch.pk])).content.decode()
    assert "en anden økonomimedarbejder skal godkende det" in page
    client.post(reverse("payments:batch_approve", args=[batch.pk]))
    assert PaymentBatch.objects.for_municipality(muni_a).get().status == BatchStatus.OPEN
    client = as_user(finance2)
    client.post(reverse("payments:batch_approve", args=[batch.pk]))
    client.post(reverse("payments:batch_export", args=[batch.pk]))
    assert PaymentBatch.objects.for_municipality(muni_a).get().status == BatchStatus.EXPORTED
    download = client.get(reverse("payments:batch_csv", args=[batch.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert "150380-1234" in download.content.decode()
    # Downloading a file with CPR numbers is logged as an export.
    assert AccessLog.objects.filter(kind=AccessKind.EXPORT).count() == 2


def test_reconciliation_upload_shows_the_result_table(as_user, caseworker, finance, finance2, grant, muni_a):
    payment = payment_create(
        actor=caseworker,
        commitment=grant,
        amount=100000,
        payee="citizen",
        due_date=TODAY,
        description="Rate",
        business_date=TODAY,
        key="p",
    )
    batch = batch_create(actor=finance, payment_date=TODAY, key="b")
    batch_approve(actor=finance2, batch=batch)
    batch_export(actor=finance, batch=batch)
    reference = Payment.objects.for_municipality(muni_a).get(pk=payment.pk).reference
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = f"reference;beløb;dato;status\n{reference};1.000,00;24.11.2026;betalt\nTT-X;5,00;24.11.2026;betalt\n"
    upload = SimpleUploadedFile("bank.csv", content.encode(), content_type="text/csv")
    client = as_user(finance)
    response = client.post(reverse("payments:reconcile"), {"file": upload}, follow=True)
    page = response.content.decode()
    assert "1 udbetaling afstemt" in page and "1 række skal ses efter" in page
    assert "Ukendt reference" in page
    assert Payment.objects.for_municipality(muni_a).get(pk=payment.pk).status == PaymentStatus.PAID


def test_a_fake_or_huge_confirmation_file_is_refused_with_a_message(as_user, finance):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_user(finance)
    huge = SimpleUploadedFile("bank.csv", b"x" * (5 * 1024 * 1024 + 1), content_type="text/csv")
    assert "Filen er større end 5 MB" in client.post(reverse("payments:reconcile"), {"file": huge}).content.decode()
    png = SimpleUploadedFile("bank.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, content_type="text/csv")
    assert (
        "Første linje skal navngive kolonnerne"
        in client.post(reverse("payments:reconcile"), {"file": png}).content.decode()
    )


def test_citizen_money_page_shows_the_ledger_and_is_logged(as_user, caseworker, grant, citizen):
    payment_create(
        actor=caseworker,
        commitment=grant,
        amount=100000,
        payee="citizen",
        due_date=TODAY,
        description="Rate 1",
        business_date=TODAY,
        key="p",
    )
    page = as_user(caseworker).get(reverse("payments:citizen_money", args=[citizen.pk])).content.decode()
    assert "Kursus i regnskab" in page and "Rate 1" in page
    assert "Skyldige udbetalinger til borgere" in page
    assert AccessLog.objects.filter(kind=AccessKind.VIEW, subjects__citizen=citizen).count() == 1


def test_claim_raised_paid_and_written_off_through_the_pages(as_user, caseworker, citizen, muni_a):
    client = as_user(caseworker)
    client.post(
        reverse("payments:claim_create", args=[citizen.pk]),
        {"key": "c1", "reason": "misuse", "amount": "1.000,00", "description": "Privatforbrug"},
    )
    from teten.payments.models import RecoveryClaim

    claim = RecoveryClaim.objects.for_municipality(muni_a).get()
    client.post(
        reverse("payments:claim_payment", args=[claim.pk]),
        {"key": "e1", "amount": "400", "on": "2026-11-23", "note": ""},
    )
    response = client.post(
        reverse("payments:claim_write_off", args=[claim.pk]),
        {"key": "e2", "amount": "600", "on": "2026-11-23", "note": ""},
    )
    assert "Skriv, hvorfor kravet afskrives" in response.content.decode()
    client.post(
        reverse("payments:claim_write_off", args=[claim.pk]),
        {"key": "e3", "amount": "600", "on": datetime.date(2026, 11, 23).isoformat(), "note": "Borgeren er udrejst"},
    )
    page = client.get(reverse("payments:citizen_money", args=[citizen.pk])).content.decode()
    assert "0,00 kr." in page and "Registrér indbetaling" not in page
