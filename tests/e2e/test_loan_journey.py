"""The micro-loan from referral to the first look at the repayment schedule, in the browser:
a caseworker refers, a coach interviews, selects, records the courses, the business plan and the
recommendation; another caseworker approves (never the coach); the citizen accepts the agreement on
My pages; the loan is paid out through a batch two finance officers handle; the citizen sees the
schedule. Screenshots: test-output/e2e/test_a_micro_loan_from_referral_to_the_schedule/."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.e2e.test_journeys import staff_login
from teten.core.clock import today
from teten.loans.models import Loan, LoanCase, Stage
from teten.payments.models import Payment, PaymentStatus
from teten.portal.identity import OneTimeLinkProvider

pytestmark = pytest.mark.e2e


def logout(page: Page) -> None:
    page.get_by_role("button", name="Log ud").click()


def act(page: Page, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".message-success")).to_contain_text("Gemt")


def test_a_micro_loan_from_referral_to_the_schedule(
    new_page, shot, citizen, caseworker, central, coach, finance, finance2, loan_programme
):
    day = today()
    page = new_page()

    # The caseworker refers Hanne from her record, with a reason.
    staff_login(page, caseworker.username)
    page.goto(f"/borgere/{citizen.pk}/")
    page.get_by_role("link", name="Henvis til mikrolån").click()
    page.get_by_role("button", name="Henvis").click()
    expect(page.locator(".error-summary")).to_be_visible()
    page.get_by_label("Hvorfor henviser du borgeren?").fill("Vil starte et cykelværksted og har kunder.")
    page.get_by_role("button", name="Henvis").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hanne Østergård")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Henvist")
    shot(page, "referred")
    case_url = page.url
    logout(page)

    # The coach records the meeting, the interview scores and the selection.
    staff_login(page, coach.username)
    page.goto(case_url)
    act(page, "Registrér fremmøde")
    for group, score in (("forretningsidé", "4"), ("faglige", "4"), ("personlige", "5")):
        page.get_by_role("group", name=re.compile(group, re.I)).get_by_label(score, exact=True).check()
    page.get_by_label("Noter").fill("Klar idé; har repareret cykler i mange år.")
    act(page, "Gem samtalen")
    page.get_by_role("group", name=re.compile("Udvalgt", re.I)).get_by_label("Ja").check()
    act(page, "Gem")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Udvalgt")
    # The courses, one module at a time.
    rows = page.locator("section[aria-labelledby=courses-heading] tbody tr")
    expect(rows).to_have_count(7)
    for number in range(7):  # every module of this programme is required
        row = rows.nth(number)
        row.get_by_label("Gange").fill("8")
        row.get_by_label("Gennemført den").fill(day.isoformat())
        row.get_by_role("button", name="Gem").click()
        expect(page.locator(".message-success")).to_contain_text("Gemt")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kursusforløb gennemført")
    shot(page, "courses-done")

    # The business plan and the recommendation.
    page.get_by_label("Virksomhedens navn").fill("Cykelværkstedet")
    page.get_by_label("Idéen").fill("Reparation og salg af brugte cykler")
    page.get_by_label("Forventet omsætning det første år").fill("240.000,00")
    page.get_by_label("Forventede omkostninger det første år").fill("80.000,00")
    page.get_by_label("Forventede kunder").fill("Studerende og pendlere i bydelen")
    act(page, "Gem forretningsplanen")
    for check in ("Der er kunder og et marked", "Helbredet tillader", "Familien bakker op", "Budgettet holder"):
        page.get_by_label(re.compile(check)).check()
    page.get_by_label("Vurdering").fill("Realistisk plan med kunder på hånden.")
    page.get_by_label("Indstillet lånebeløb").fill("40.000,00")
    act(page, "Indstil")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Indstillet til lån")
    # The coach who recommended cannot decide.
    expect(page.get_by_role("button", name="Gem afgørelsen")).to_have_count(0)
    shot(page, "recommended")
    logout(page)

    # A caseworker of the central unit approves; the letters are made.
    staff_login(page, central.username)
    page.goto(case_url)
    page.get_by_label("Bevilg lånet").check()
    act(page, "Gem afgørelsen")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lån bevilget")
    expect(page.get_by_role("link", name="Gældsbrev (PDF)")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Venter på, at borgeren godkender gældsbrevet")
    expect(page.get_by_role("button", name="Udbetal lånet")).to_have_count(0)
    shot(page, "approved")
    logout(page)
    loan = Loan.objects.for_municipality(citizen.municipality).get()
    assert loan.amount == 4_000_000 and loan.decided_by == central

    # Hanne reads the agreement on My pages and accepts it.
    citizen_page = new_page()
    citizen_page.goto(OneTimeLinkProvider.issue_link(citizen))
    citizen_page.get_by_role("button", name="Log ind", exact=True).click()
    citizen_page.get_by_role("link", name=re.compile("mikrolån", re.I)).first.click()
    expect(citizen_page.locator("main")).to_contain_text("40.000,00 kr.")
    expect(citizen_page.get_by_role("link", name="Læs låneaftalen (PDF)")).to_be_visible()
    shot(citizen_page, "citizen-agreement")
    citizen_page.get_by_label(re.compile("Jeg har læst")).check()
    citizen_page.get_by_role("button", name=re.compile("Godkend")).click()
    expect(citizen_page.locator(".message-success")).to_contain_text("NemKonto")
    shot(citizen_page, "citizen-accepted")

    # The caseworker pays the loan out; two finance officers send the batch.
    staff_login(page, central.username)
    page.goto(case_url)
    page.get_by_role("button", name="Udbetal lånet").click()
    expect(page.locator(".message-success")).to_contain_text("Gemt")
    logout(page)
    staff_login(page, finance.username)
    page.goto("/penge/bundter/")
    page.get_by_role("button", name="Saml bundt").click()
    expect(page.locator("main")).to_contain_text(loan.reference)
    batch_url = page.url
    logout(page)
    staff_login(page, finance2.username)
    page.goto(batch_url)
    page.get_by_role("button", name="Godkend bundt").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Send til banken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sendt")
    shot(page, "batch-sent")
    loan.refresh_from_db()
    payment = Payment.objects.for_municipality(citizen.municipality).get(pk=loan.payout_id)
    assert payment.status == PaymentStatus.SENT
    call_command("daily", date=day.isoformat(), only=["loan_payouts"])
    assert LoanCase.objects.for_municipality(citizen.municipality).get().stage == Stage.DISBURSED

    # Hanne sees her loan paid out and the schedule — with no reminder on the day of the payout.
    citizen_page.reload()
    main = citizen_page.locator("main")
    expect(main).to_contain_text("Lån udbetalt")
    expect(main).to_contain_text("Din afdragsplan")
    expect(main).not_to_contain_text("Forfalden")
    shot(citizen_page, "citizen-schedule")
