"""The micro-loan pages as the caseworkers, the coach, the coordinator and the citizen use them."""

import re

import pytest
from django.urls import reverse

from teten.accounts.models import Role
from teten.audit.models import AccessKind, AccessLog
from teten.loans import cases
from teten.loans.models import Loan, LoanCase, Stage
from teten.loans.tests.conftest import through_courses
from teten.portal.identity import OneTimeLinkProvider
from teten.programmes.models import Cohort, SelectionMode


@pytest.fixture
def citizen_client(client, citizen):
    link = OneTimeLinkProvider.issue_link(citizen)
    assert client.post(re.sub(r"^https?://[^/]+", "", link)).status_code == 302
    return client


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_caseworker_refers_a_citizen_from_the_citizens_page(client, caseworker, loan_programme, citizen):
    client.force_login(caseworker)
    url = reverse("loans:refer", args=[citizen.pk])
    response = client.post(url, {"programme": loan_programme.pk, "reason": ""})
    assert "Dette felt er påkrævet." in _text(response)
    assert not LoanCase.objects.for_municipality(citizen.municipality).exists()
    response = client.post(url, {"programme": loan_programme.pk, "reason": "Vil starte et cykelværksted."})
    case = LoanCase.objects.for_municipality(citizen.municipality).get()
    assert response["Location"] == reverse("loans:case", args=[case.pk])
    page = _text(client.get(response["Location"]))
    assert "Hanne Østergård" in page and "Vil starte et cykelværksted." in page
    assert "150380-1234" not in page
    assert AccessLog.objects.filter(actor=caseworker, kind=AccessKind.VIEW, subjects__citizen=citizen).exists()
    # The citizen's record links to the case.
    record = _text(client.get(reverse("citizens:detail", args=[citizen.pk])))
    assert f'href="{reverse("loans:case", args=[case.pk])}"' in record and "Henvist" in record


def test_the_interview_form_explains_a_bad_score_and_keeps_what_was_typed(client, referred, caseworker):
    client.force_login(caseworker)
    cases.info_meeting_record(actor=caseworker, case=referred, on=referred.referred_on)
    response = client.post(
        reverse("loans:case_action", args=[referred.pk, "interview"]),
        {"on": "23.11.2026", "idea": "7", "professional": "3", "personal": "4", "notes": "Stærk idé om cykler"},
    )
    page = _text(response)
    assert response.status_code == 200
    assert "Stærk idé om cykler" in page
    assert "Noget skal rettes: se den markerede formular nedenfor." in page
    assert "Marker en gyldig valgmulighed. 7 er ikke en af de tilgængelige valgmuligheder." in page
    referred.refresh_from_db()
    assert referred.stage == Stage.INFO_MEETING and referred.score_idea is None


def test_the_person_who_recommended_cannot_decide_in_the_page(client, referred, caseworker, make_staff, muni_a):
    # One person with both roles: a coach who is also a benefits caseworker.
    both = make_staff(muni_a, Role.COACH, Role.BENEFITS_CASEWORKER, username="begge")
    case = through_courses(referred, caseworker)
    cases.business_plan_submit(
        actor=both,
        case=case,
        business_name="Cykler",
        idea="Værksted",
        expected_revenue=20_000_000,
        expected_costs=5_000_000,
        expected_customers="Naboer",
    )
    client.force_login(both)
    client.post(
        reverse("loans:case_action", args=[case.pk, "recommend"]),
        {
            "customers": "on",
            "health": "on",
            "family": "on",
            "budget": "on",
            "notes": "Holder.",
            "amount": "40.000,00",
            "support_months": "6",
        },
    )
    case.refresh_from_db()
    assert case.stage == Stage.RECOMMENDED and case.recommended_amount == 4_000_000
    response = client.post(reverse("loans:case_action", args=[case.pk, "decide"]), {"approve": "1"})
    assert "Den, der har indstillet til lånet, kan ikke selv træffe afgørelse om det." in _text(response)
    case.refresh_from_db()
    assert case.stage == Stage.RECOMMENDED and not Loan.objects.for_municipality(muni_a).exists()


def test_a_job_consultant_cannot_decide_a_loan(client, recommended, consultant):
    client.force_login(consultant)
    response = client.post(reverse("loans:case_action", args=[recommended.pk, "decide"]), {"approve": "1"})
    assert response.status_code == 403
    recommended.refresh_from_db()
    assert recommended.stage == Stage.RECOMMENDED


def test_another_caseworker_approves_and_the_page_offers_the_letters(client, recommended, central):
    client.force_login(central)
    response = client.post(reverse("loans:case_action", args=[recommended.pk, "decide"]), {"approve": "1"})
    assert response.status_code == 302
    page = _text(client.get(reverse("loans:case", args=[recommended.pk])))
    assert "Afgørelsesbrev (PDF)" in page and "Gældsbrev (PDF)" in page
    assert "30.000,00 kr." in page
    # The payout waits for the citizen's acceptance of the agreement.
    response = client.post(reverse("loans:case_action", args=[recommended.pk, "payout"]), {"on": "23.11.2026"})
    assert "når borgeren har godkendt" in _text(response)


def test_citizen_sees_the_step_reads_the_agreement_and_accepts(citizen_client, approved, citizen):
    home = _text(citizen_client.get(reverse("portal:home")))
    assert reverse("portal:loan") in home
    page = _text(citizen_client.get(reverse("portal:loan")))
    assert "Lån bevilget" in page and "30.000,00 kr." in page and "rente" in page.lower()
    assert "Godkend" in page
    # Without the tick nothing happens; with it the agreement is accepted with a timestamp.
    citizen_client.post(reverse("portal:loan_accept"), {})
    loan = Loan.objects.for_municipality(citizen.municipality).get()
    assert loan.agreement_accepted_at is None
    response = citizen_client.post(reverse("portal:loan_accept"), {"accept": "on"}, follow=True)
    loan.refresh_from_db()
    assert loan.agreement_accepted_at is not None
    assert "udbetalt til din NemKonto" in _text(response)


def test_another_citizen_has_no_loan_page(client, approved, make_citizen, muni_a):
    other = make_citizen(muni_a, first_name="Anden", last_name="Borger", email="anden@eksempel.dk")
    link = OneTimeLinkProvider.issue_link(other)
    client.post(re.sub(r"^https?://[^/]+", "", link))
    assert client.get(reverse("portal:loan")).status_code == 404
    assert client.post(reverse("portal:loan_accept"), {"accept": "on"}).status_code == 404
    approved.refresh_from_db()
    assert approved.agreement_accepted_at is None


def test_the_programme_page_shows_the_funnel_for_one_hold(client, loan_programme, caseworker, make_citizen, muni_a):
    hold_1, hold_2 = (
        Cohort.objects.create(
            municipality=muni_a, programme=loan_programme, name=name, selection_mode=SelectionMode.NOMINATED
        )
        for name in ("Hold 1", "Hold 2")
    )
    for i, cohort in enumerate([hold_1, hold_1, hold_1, hold_2]):
        person = make_citizen(muni_a, first_name=f"Nr{i}", last_name="Borger")
        case = cases.referral_create(
            actor=caseworker, programme=loan_programme, citizen=person, cohort=cohort, reason="Idé"
        )
        if i == 0:
            through_courses(case, caseworker)
    client.force_login(caseworker)
    url = reverse("loans:programme", args=[loan_programme.pk])
    all_holds = _text(client.get(url))
    assert re.search(r"Henvist</th> <td[^>]*>4</td>", all_holds)
    one = _text(client.get(url, {"hold": hold_1.pk}))
    assert re.search(r"Henvist</th> <td[^>]*>3</td>", one)
    assert re.search(r"Kursusforløb gennemført</th> <td[^>]*>1</td>", one)
    assert "Nr3" not in one and "Nr0" in one
    # The most recently changed first.
    assert one.index("Nr2") < one.index("Nr1") < one.index("Nr0")
