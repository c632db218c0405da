import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from teten.accounts.models import Role
from teten.citizens import services
from teten.citizens.models import BenefitPeriod, BenefitType, Citizen


@pytest.fixture
def client_a(client, consultant):
    client.force_login(consultant)
    return client


def _form(**overrides):
    data = {
        "cpr": "010190-4321",
        "first_name": "Søren",
        "last_name": "Æbelø",
        "address": "Vestergade 1",
        "postal_code": "8000",
        "city": "Aarhus C",
        "phone": "12345678",
        "email": "soren@eksempel.dk",
        "assigned_consultant": "",
    }
    data.update(overrides)
    return data


def test_birth_date_and_gender_are_derived_from_the_cpr(consultant):
    citizen = services.citizen_create(actor=consultant, cpr="010190-4322", first_name="Ida", last_name="Lund")
    assert citizen.birth_date == datetime.date(1990, 1, 1)
    assert citizen.gender == "F"
    assert citizen.search_name == "ida lund"
    assert citizen.cpr == "0101904322"


def test_register_citizen_through_the_page(client_a, consultant, muni_a):
    response = client_a.post(reverse("citizens:create"), _form(assigned_consultant=consultant.pk))
    citizen = Citizen.objects.for_municipality(muni_a).get(cpr="0101904321")
    assert response.status_code == 302
    assert response["Location"] == reverse("citizens:detail", args=[citizen.pk])
    assert citizen.gender == "M" and citizen.assigned_consultant == consultant


@pytest.mark.parametrize(
    "cpr, message",
    [
        ("12345", "Et CPR-nummer er 10 cifre"),
        ("320190-4321", "skal være en rigtig dato"),
        ("", "Dette felt er påkrævet"),
    ],
)
def test_bad_cpr_gives_a_danish_message_and_keeps_what_was_typed(client_a, muni_a, cpr, message):
    response = client_a.post(reverse("citizens:create"), _form(cpr=cpr))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'value="Æbelø"' in body and 'value="Vestergade 1"' in body
    assert not Citizen.objects.for_municipality(muni_a).exists()


def test_cpr_in_the_future_is_refused(client_a, muni_a):
    next_year = datetime.date.today().replace(day=1) + datetime.timedelta(days=400)
    response = client_a.post(reverse("citizens:create"), _form(cpr=f"{next_year:%d%m%y}4001"))
    assert "fødselsdato i fremtiden" in response.content.decode()
    assert not Citizen.objects.for_municipality(muni_a).exists()


def test_duplicate_cpr_in_the_municipality_is_refused(client_a, citizen, muni_a):
    response = client_a.post(reverse("citizens:create"), _form(cpr=citizen.cpr))
    assert "Kommunen har allerede en borger med det CPR-nummer" in response.content.decode()
    assert Citizen.objects.for_municipality(muni_a).count() == 1


def test_same_cpr_may_exist_in_another_municipality(outsider, citizen):
    # People move: each municipality keeps its own record.
    other = services.citizen_create(actor=outsider, cpr=citizen.cpr, first_name="Hanne", last_name="Østergård")
    assert other.municipality_id != citizen.municipality_id


def test_over_long_and_empty_fields_are_explained(client_a, muni_a):
    response = client_a.post(reverse("citizens:create"), _form(first_name="", last_name="x" * 101, postal_code="80"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Dette felt er påkrævet" in body
    assert "højst have 100 tegn" in body
    assert "Et postnummer er fire cifre" in body
    assert not Citizen.objects.for_municipality(muni_a).exists()


def test_consultant_from_another_municipality_cannot_be_assigned(consultant, outsider):
    with pytest.raises(ValidationError) as exc:
        services.citizen_create(
            actor=consultant, cpr="0101904321", first_name="A", last_name="B", assigned_consultant=outsider
        )
    assert "assigned_consultant" in exc.value.message_dict


def test_edit_keeps_cpr_off_the_page_and_can_correct_it(client_a, citizen):
    url = reverse("citizens:edit", args=[citizen.pk])
    page = client_a.get(url).content.decode()
    assert citizen.cpr not in page and "150380-1234" not in page
    data = _form(cpr="", new_cpr="150380-1237", first_name="Hanne", last_name="Østergård")
    response = client_a.post(url, data)
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.cpr == "1503801237" and citizen.first_name == "Hanne"


def test_roles_that_only_read_cannot_register(client, make_staff, muni_a):
    coordinator = make_staff(muni_a, Role.COORDINATOR)
    client.force_login(coordinator)
    assert client.get(reverse("citizens:create")).status_code == 403
    assert client.post(reverse("citizens:create"), _form()).status_code == 403
    assert not Citizen.objects.for_municipality(muni_a).exists()


def test_benefit_period_add_and_overlap_refused(client_a, citizen):
    url = reverse("citizens:benefit_period_create", args=[citizen.pk])
    ok = client_a.post(
        url,
        {
            "benefit_type": BenefitType.SICKNESS_BENEFIT,
            "readiness": "",
            "start_date": "2023-01-01",
            "end_date": "2023-06-30",
        },
    )
    assert ok.status_code == 302
    clash = client_a.post(
        url,
        {
            "benefit_type": BenefitType.CASH_BENEFIT,
            "readiness": "job_ready",
            "start_date": "2025-01-01",
            "end_date": "",
        },
    )
    assert "overlapper en anden periode" in clash.content.decode()
    backwards = client_a.post(
        url, {"benefit_type": BenefitType.OTHER, "readiness": "", "start_date": "2025-01-01", "end_date": "2024-01-01"}
    )
    assert "Slutdatoen skal være" in backwards.content.decode()
    assert BenefitPeriod.objects.filter(citizen=citizen).count() == 2


def test_record_shows_masked_cpr_derived_facts_and_months(client_a, citizen):
    body = client_a.get(reverse("citizens:detail", args=[citizen.pk])).content.decode()
    assert "150380-XXXX" in body
    assert "1503801234" not in body and "150380-1234" not in body
    assert "15.03.1980" in body
    assert "Kontanthjælp" in body
