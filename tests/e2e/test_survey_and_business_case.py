"""The end-of-programme survey and the business case, in the browser.

Hanne has finished her personal budget. The coordinator opens the survey; Hanne finds it on My
pages on her phone, answers some questions (skipping the rest) and cannot answer again. The
coordinator reads the results. Then the coordinator opens the business case, sees the source's
183.800 kr. / 43.474 kr. / about 3 months, changes the budget per citizen and watches the result
follow as she types (htmx), and types letters into a field to get a Danish message at the field.
Screenshots: test-output/e2e/<test>/.
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.test_journeys import horizontal_overflow, staff_login
from teten.accounts.models import Role
from teten.budgets.models import BudgetPlan, Offer, OfferStatus, PlanStatus
from teten.portal.identity import OneTimeLinkProvider
from teten.programmes.models import Programme, ProgrammeKind

pytestmark = pytest.mark.e2e


@pytest.fixture
def finished_programme(muni_a, citizen, consultant):
    programme = Programme.objects.create(
        municipality=muni_a, name="Langtidsledige tager teten", kind=ProgrammeKind.PERSONAL_BUDGET
    )
    offer = Offer.objects.create(
        municipality=muni_a, programme=programme, citizen=citizen, offered_by=consultant, status=OfferStatus.ACCEPTED
    )
    BudgetPlan.objects.create(
        municipality=muni_a,
        offer=offer,
        citizen=citizen,
        programme=programme,
        consultant=consultant,
        status=PlanStatus.CLOSED,
    )
    return programme


def test_survey_opened_answered_once_and_read(new_page, shot, make_staff, muni_a, citizen, finished_programme):
    make_staff(muni_a, Role.COORDINATOR, username="birgitte")
    staff = new_page()
    staff_login(staff, "birgitte")
    staff.goto("/undersoegelser/")
    staff.get_by_label("Projekt").select_option(label="Langtidsledige tager teten")
    shot(staff, "survey-list")
    staff.get_by_role("button", name="Åbn spørgeskemaet").click()
    expect(staff.get_by_text("Spørgeskemaet er åbent. 1 borgere")).to_be_visible()

    phone = new_page(viewport=PHONE)
    phone.goto(OneTimeLinkProvider.issue_link(citizen))
    phone.get_by_role("button", name="Log ind", exact=True).click()
    expect(phone.get_by_role("heading", name="Hvad synes du?")).to_be_visible()
    phone.get_by_role("link", name="Svar på spørgeskemaet").click()
    first = phone.get_by_role("group", name="1. Har din deltagelse i forløbet givet dig en større tro")
    first.get_by_label("I høj grad").check()
    phone.get_by_role("group", name="3. Har din deltagelse").get_by_label("Det havde jeg i forvejen").check()
    shot(phone, "survey-answer")
    assert horizontal_overflow(phone) == 0
    phone.get_by_role("button", name="Send mine svar").click()
    expect(phone.get_by_text("Du har svaret på spørgeskemaet.")).to_be_visible()
    shot(phone, "survey-answered")

    staff.reload()
    expect(staff.get_by_text("1 gyldig besvarelse af 1 inviterede borgere")).to_be_visible()
    expect(staff.get_by_text("for få til at vise svarene").first).to_be_visible()
    shot(staff, "survey-results")


def test_business_case_from_the_sources_figures(page, shot, make_staff, muni_a):
    make_staff(muni_a, Role.COORDINATOR, username="birgitte")
    staff_login(page, "birgitte")
    page.goto("/evidens/business-case/")
    expect(page.get_by_text("183.800,00 kr.")).to_be_visible()
    expect(page.get_by_text("43.474,00 kr.", exact=True)).to_be_visible()
    expect(page.get_by_text("ca. 3 måneder")).to_be_visible()
    shot(page, "business-case")

    # htmx recalculates as she types; without JavaScript the Beregn button does the same.
    page.get_by_label("Personligt budget pr. borger").fill("20.000")
    expect(page.get_by_text("21.374,00 kr.", exact=True)).to_be_visible()
    expect(page.get_by_label("Personligt budget pr. borger")).to_be_focused()

    page.get_by_label("Kontanthjælp om året").fill("mange")
    expect(page.get_by_role("link", name="Kontanthjælp om året")).to_be_visible()  # named in the results
    page.get_by_role("button", name="Beregn").click()
    expect(page.get_by_text("Skriv beløbet i kroner, for eksempel 1.234,56.").first).to_be_visible()
    expect(page.get_by_label("Kontanthjælp om året")).to_have_attribute("aria-invalid", "true")
    shot(page, "business-case-error")
