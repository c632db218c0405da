"""The personal budget from the offer to the first receipt, in the browser.

Hanne accepts the offer on My pages and builds a five-line budget on a phone, watching the running
total against the 50.000,00 kr. cap as she types; the fifth line takes her over the cap, she is told
so at the field with nothing she typed lost, fixes the price and sends the budget. Her job
consultant asks for a better argument on one line; Hanne improves it and sends it again; a second
consultant of the team marks the plan green; the plan is approved, and Hanne reads the decision
letter. A caseworker pays one line to her NemKonto in a tranche, two finance officers send the
batch, Hanne sees the money paid and hands in the receipt from her phone.

Only the set-up (programme, pools, booking rules, the offer) uses services; every step a person
takes is a click on the real pages. Screenshots: test-output/e2e/test_a_personal_budget_from_offer_to_receipt/.
"""

import datetime
import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import PHONE
from tests.e2e.test_journeys import horizontal_overflow, staff_login
from teten.budgets.models import BudgetPlan, LineStatus, PlanStatus
from teten.budgets.offers import offer_create
from teten.core.clock import today
from teten.core.money import format_kroner
from teten.payments.models import Payment, PaymentStatus
from teten.portal.identity import OneTimeLinkProvider

pytestmark = pytest.mark.e2e

CAP = "50.000,00 kr."
# The five lines Hanne writes: (category, what, where, price, why). The last one is typed too high.
LINES = [
    (
        "Kurser og uddannelse",
        "Truckcertifikat",
        "AMU Nord",
        "8.500,00",
        "Lageret ved Salling søger folk med truckcertifikat.",
    ),
    ("Kørekort", "B-kørekort", "Køreskolen Syd", "18.000,00", "Jeg skal bruge kørekort."),
    (
        "Tandbehandling",
        "Tandbehandling",
        "Tandlægerne i Centrum",
        "9.000,00",
        "Jeg smiler ikke til samtaler, fordi jeg skammer mig over mine tænder.",
    ),
    (
        "Computer, telefon og udstyr",
        "Sikkerhedssko og arbejdstøj",
        "Dansk Arbejdstøj",
        "2.500,00",
        "Lagerjob kræver sikkerhedssko, og jeg har ingen.",
    ),
    (
        "Kurser og uddannelse",
        "Bogholderkursus",
        "AOF Aarhus",
        "15.000,00",
        "Med papir på bogholderi kan jeg søge job på kontor.",
    ),
]
BETTER_ARGUMENT = "Skriv gerne, hvilke job du vil søge, som kræver kørekort."
IMPROVED = "Jeg bor i Hjortshøj, og de lagerjob, jeg søger i Skejby og Hasselager, begynder kl. 6, før bussen kører."


@pytest.fixture
def consultant(consultant, team):
    """Mette, in the programme's team like her colleague Jonas."""
    consultant.team = team
    consultant.save(update_fields=["team"])
    return consultant


def logout(page: Page) -> None:
    page.get_by_role("button", name="Log ud").click()


def line_card(page: Page, description: str) -> Locator:
    return page.locator("article.line-card", has=page.get_by_role("heading", name=description, exact=True))


def fill_line(page: Page, category: str, description: str, supplier: str, amount: str, why: str) -> None:
    page.get_by_label("Hvad slags udgift?").select_option(label=category)
    page.get_by_label("Hvad er det?").fill(description)
    page.get_by_label("Hvor? (hvis du ved det)").fill(supplier)
    page.get_by_label("Pris med moms").fill(amount)
    page.get_by_label("Hvornår?").select_option(index=1)
    page.get_by_label("Hvordan bringer det dig tættere på arbejde?").fill(why)


def review_line(page: Page, description: str, answer: str, comment: str = "") -> None:
    """The consultant's answer on one line, saved in place (htmx)."""
    card = line_card(page, description)
    card.get_by_label(answer, exact=True).check()
    if comment:
        card.get_by_label("Kommentar til borgeren").fill(comment)
    card.get_by_role("button", name="Gem svar").click()


def unlabelled(page: Page) -> list[str]:
    """The form controls on the page that have no label tied to them (a screen reader reads nothing)."""
    return page.evaluate(
        """() => [...document.querySelectorAll("input, select, textarea")]
            .filter(el => !["hidden", "submit", "button"].includes(el.type))
            .filter(el => !el.labels.length && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby"))
            .map(el => el.outerHTML)"""
    )


def kroner(text: str) -> int:
    """Whole kroner from a Danish amount such as 8.500,00."""
    return int(text.split(",")[0].replace(".", ""))


def receipt_photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_personal_budget_from_offer_to_receipt(
    new_page, shot, citizen, consultant, colleague, caseworker, finance, finance2, programme
):
    offer_create(actor=consultant, programme=programme, citizen=citizen)

    # Hanne logs in on her phone and reads the offer.
    phone = new_page(viewport=PHONE)
    phone.goto(OneTimeLinkProvider.issue_link(citizen))
    phone.get_by_role("button", name="Log ind", exact=True).click()
    expect(phone.get_by_role("heading", name="Du har et tilbud")).to_be_visible()
    phone.get_by_role("link", name="Læs tilbuddet").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text(CAP)
    shot(phone, "offer")
    assert horizontal_overflow(phone) == 0
    assert unlabelled(phone) == []
    # Signing without the tick is explained; with it she lands in the budget tool.
    phone.get_by_role("button", name="Underskriv og start").click()
    expect(phone.locator(".field-has-error")).to_be_visible()
    phone.get_by_label("Jeg underskriver erklæringen ovenfor på tro og love.").check()
    phone.get_by_role("button", name="Underskriv og start").click()
    expect(phone).to_have_url(re.compile(r"/mit/budget/$"))
    expect(phone.locator(".message-success")).to_contain_text("Velkommen!")
    total = phone.locator("#budget-total")
    expect(total).to_contain_text(f"0,00 kr. af {CAP}")
    shot(phone, "budget-empty")
    assert horizontal_overflow(phone) == 0
    assert unlabelled(phone) == []

    # Four lines; the running total follows the price as she types it, before she saves.
    running = 0
    for number, (category, description, supplier, amount, why) in enumerate(LINES[:4], start=1):
        phone.evaluate("window.tetenSamePage = true")
        fill_line(phone, category, description, supplier, amount, why)
        typed = running + kroner(amount)
        expect(total).to_contain_text(f"Med den post, du er ved at skrive: {format_kroner(typed * 100)} af {CAP}")
        # Swapped in by htmx: the page was not reloaded, and what she typed is still there.
        assert phone.evaluate("window.tetenSamePage") is True
        expect(phone.get_by_label("Hvordan bringer det dig tættere på arbejde?")).to_have_value(why)
        if number == 1:
            shot(phone, "typing-first-line", full_page=False)
        phone.get_by_role("button", name="Gem posten").click()
        expect(phone.locator(".message-success")).to_contain_text("Posten er gemt")
        running = typed
        expect(line_card(phone, description)).to_contain_text(amount + " kr.")
    expect(total).to_contain_text("38.000,00 kr. af 50.000,00 kr. · 12.000,00 kr. tilbage")
    shot(phone, "four-lines")

    # The fifth line takes her over the cap: the live total warns, and saving is refused at the field.
    category, description, supplier, amount, why = LINES[4]
    fill_line(phone, category, description, supplier, amount, why)
    expect(total).to_contain_text("53.000,00 kr. af 50.000,00 kr. · 3.000,00 kr. for meget")
    expect(total).to_have_class(re.compile("budget-total-over"))
    shot(phone, "typing-over-the-cap", full_page=False)
    phone.get_by_role("button", name="Gem posten").click()
    # The form is far down the page: the error summary takes focus, so she sees something is wrong.
    summary = phone.locator(".error-summary")
    expect(summary).to_contain_text("Intet af det, du har skrevet, er gået tabt")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    shot(phone, "cap-error-on-the-screen", full_page=False)
    price = phone.get_by_label("Pris med moms")
    expect(price).to_have_attribute("aria-invalid", "true")
    expect(phone.locator(".field-has-error", has=price)).to_contain_text(
        "Hele budgettet må højst være 50.000,00 kr. med moms. Med denne post bliver det 53.000,00 kr.: "
        "3.000,00 kr. for meget."
    )
    expect(phone.get_by_label("Hvad slags udgift?").locator("option:checked")).to_have_text(category)
    expect(phone.get_by_label("Hvad er det?")).to_have_value(description)
    expect(phone.get_by_label("Hvor? (hvis du ved det)")).to_have_value(supplier)
    expect(price).to_have_value(amount)
    expect(phone.get_by_label("Hvordan bringer det dig tættere på arbejde?")).to_have_value(why)
    expect(phone.get_by_label("Hvornår?")).not_to_have_value("")
    expect(line_card(phone, description)).to_have_count(0)
    shot(phone, "cap-error")
    assert horizontal_overflow(phone) == 0
    assert unlabelled(phone) == []

    # She lowers the price to what is left; the total shows the cap reached exactly.
    price.fill("12.000,00")
    expect(total).to_contain_text("50.000,00 kr. af 50.000,00 kr. · 0,00 kr. tilbage")
    expect(total).not_to_have_class(re.compile("budget-total-over"))
    phone.get_by_role("button", name="Gem posten").click()
    expect(phone.locator(".message-success")).to_contain_text("Posten er gemt")
    expect(phone.locator("article.line-card")).to_have_count(5)
    expect(total).to_contain_text("50.000,00 kr. af 50.000,00 kr. · 0,00 kr. tilbage")
    shot(phone, "five-lines")

    # She sends it (after confirming), and it is locked while the consultant reviews it.
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="Send budgettet til min jobkonsulent").click()
    expect(phone.locator(".message-success")).to_contain_text("Dit budget er sendt til din jobkonsulent")
    expect(phone.get_by_role("button", name="Gem posten")).to_have_count(0)
    expect(phone.locator("main")).to_contain_text("Afventer vurdering")
    shot(phone, "sent")
    plan = BudgetPlan.objects.for_municipality(citizen.municipality).get(citizen=citizen)
    assert plan.status == PlanStatus.SUBMITTED and plan.version == 1

    # Mette finds the plan in her worklist and answers each line in place; one needs a better argument.
    page = new_page()
    staff_login(page, consultant.username)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Budgetter").click()
    page.locator("section", has=page.get_by_role("heading", name=re.compile("Planer til vurdering"))).get_by_role(
        "link", name="Hanne Østergård"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hanne Østergård")
    expect(page.locator("main")).to_contain_text(CAP)
    page.evaluate("window.tetenSamePage = true")
    for _category, description, *_rest in LINES:
        if description == "B-kørekort":
            review_line(page, description, "Bed om en bedre begrundelse", BETTER_ARGUMENT)
            expect(line_card(page, description)).to_contain_text("Kræver en bedre begrundelse")
        else:
            review_line(page, description, "Godkend")
            expect(line_card(page, description).locator(".tag")).to_have_text("Godkendt")
    assert page.evaluate("window.tetenSamePage") is True
    assert unlabelled(page) == []
    shot(page, "consultant-reviewed")
    page.get_by_role("button", name="Send tilbage til borgeren").click()
    expect(page.locator(".message-success")).to_contain_text("Planen er sendt tilbage til borgeren")
    logout(page)

    # Hanne reads the comment on her phone, improves the argument and sends the budget again.
    phone.goto("/mit/")
    phone.get_by_role("link", name="Åbn dit budget").click()
    expect(phone.locator(".status-panel")).to_contain_text("Din jobkonsulent beder dig forbedre nogle poster.")
    licence = line_card(phone, "B-kørekort")
    expect(licence.get_by_role("note")).to_contain_text(f"Din jobkonsulent skriver: {BETTER_ARGUMENT}")
    expect(licence).to_contain_text("Kræver en bedre begrundelse")
    # Approved lines cannot be changed; the one to improve can.
    expect(line_card(phone, "Truckcertifikat").get_by_role("link", name=re.compile("Redigér"))).to_have_count(0)
    shot(phone, "comment-from-consultant")
    licence.get_by_role("link", name="Redigér B-kørekort").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ændre en post")
    expect(phone.get_by_role("note")).to_contain_text(BETTER_ARGUMENT)
    phone.get_by_label("Hvordan bringer det dig tættere på arbejde?").fill(IMPROVED)
    shot(phone, "improving-the-line", full_page=False)
    assert horizontal_overflow(phone) == 0
    assert unlabelled(phone) == []
    phone.get_by_role("button", name="Gem posten").click()
    expect(phone.locator(".message-success")).to_contain_text("Posten er gemt")
    expect(line_card(phone, "B-kørekort")).to_contain_text(IMPROVED)
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="Send budgettet til min jobkonsulent").click()
    expect(phone.locator(".message-success")).to_contain_text("Dit budget er sendt til din jobkonsulent")

    # Mette approves the improved line; Jonas, of the same team, gives the plan a green light.
    staff_login(page, consultant.username)
    page.goto(f"/budgetter/{plan.pk}/")
    expect(line_card(page, "B-kørekort")).to_contain_text(IMPROVED)
    # The comment on the first version is shown beside the line, not carried into the new answer.
    expect(line_card(page, "B-kørekort").get_by_label("Kommentar til borgeren")).to_have_value("")
    review_line(page, "B-kørekort", "Godkend")
    expect(line_card(page, "B-kørekort").locator(".tag")).to_have_text("Godkendt")
    logout(page)
    staff_login(page, colleague.username)
    page.goto(f"/budgetter/{plan.pk}/")
    assessment = page.locator("section", has=page.get_by_role("heading", name="Teamets vurdering"))
    assessment.get_by_label("Grøn: kør bare").check()
    assessment.get_by_role("button", name="Registrér vurdering").click()
    expect(page.locator(".message-success")).to_contain_text("Din vurdering er registreret")
    light = assessment.locator(".traffic-green")
    expect(light).to_have_text("Grøn: kør bare")
    expect(assessment).to_contain_text("Jonas Holm")
    shot(page, "green-light")
    logout(page)

    # Mette sees the green light and approves the plan; the decision letter is made.
    staff_login(page, consultant.username)
    page.goto(f"/budgetter/{plan.pk}/")
    expect(page.locator(".traffic-green")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Godkend planen").click()
    expect(page.locator(".message-success")).to_contain_text("Planen er godkendt")
    expect(page.get_by_role("link", name="Brev (PDF)")).to_be_visible()
    shot(page, "approved")
    logout(page)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert all(line.status == LineStatus.APPROVED for line in plan.lines.all())

    # Hanne sees the approval and opens the decision letter.
    phone.goto("/mit/budget/")
    expect(phone.locator(".status-panel")).to_contain_text("Dit budget er godkendt.")
    letter_link = phone.get_by_role("link", name="Læs brevet (PDF)")
    expect(letter_link).to_be_visible()
    # The request for a better argument has been answered: it no longer shows on the approved line.
    expect(line_card(phone, "B-kørekort").get_by_role("note")).to_have_count(0)
    shot(phone, "citizen-approved")
    assert horizontal_overflow(phone) == 0
    assert unlabelled(phone) == []
    response = phone.request.get(letter_link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    # A caseworker pays the work clothes to Hanne's NemKonto; two finance officers send the batch.
    staff_login(page, caseworker.username)
    page.goto(f"/budgetter/{plan.pk}/")
    line_card(page, "Sikkerhedssko og arbejdstøj").get_by_role("link", name="Udbetalinger til denne post").click()
    assert unlabelled(page) == []
    page.get_by_label("Borgeren (NemKonto)").check()
    page.get_by_label("Beløb inkl. moms").fill("2.500,00")
    page.get_by_role("button", name="Opret udbetaling").click()
    expect(page.locator(".message-success")).to_contain_text("1 udbetaling(er) oprettet")
    shot(page, "tranche-created")
    logout(page)
    staff_login(page, finance.username)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Bundter").click()
    # A same-day transfer, so that Hanne has the money today.
    assert unlabelled(page) == []
    page.get_by_label("Betalingsdato").fill(today().isoformat())
    page.get_by_role("button", name="Saml bundt").click()
    expect(page.locator("main")).to_contain_text("Sikkerhedssko og arbejdstøj")
    batch_url = page.url
    logout(page)
    staff_login(page, finance2.username)
    page.goto(batch_url)
    page.get_by_role("button", name="Godkend bundt").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Send til banken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sendt")
    shot(page, "batch-sent")
    payment = Payment.objects.for_municipality(citizen.municipality).get(commitment__budget_line__plan=plan)
    assert payment.status == PaymentStatus.SENT

    # Hanne sees the money paid and hands in the receipt from her phone.
    phone.reload()
    payments = phone.locator("section", has=phone.get_by_role("heading", name="Udbetalinger"))
    paid = payments.locator("article", has=phone.get_by_role("heading", name="Sikkerhedssko og arbejdstøj"))
    expect(paid).to_contain_text("2.500,00 kr.")
    expect(paid).to_contain_text(f"Til din NemKonto · udbetalt {today():%d.%m.%Y}")
    expect(paid).to_contain_text(f"Aflevér kvitteringen senest {today() + datetime.timedelta(days=30):%d.%m.%Y}.")
    shot(phone, "citizen-paid")
    paid.get_by_role("link", name="Aflevér en kvittering").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Aflevér en kvittering")
    expect(phone.locator("main")).to_contain_text(
        f"Til Sikkerhedssko og arbejdstøj: 2.500,00 kr. udbetalt {today():%d.%m.%Y}."
    )
    phone.get_by_label("Billede eller PDF af kvitteringen").set_input_files(
        {"name": "kvittering.png", "mimeType": "image/png", "buffer": receipt_photo()}
    )
    shot(phone, "receipt-chosen")
    assert horizontal_overflow(phone) == 0
    assert unlabelled(phone) == []
    phone.get_by_role("button", name="Aflevér", exact=True).click()
    expect(phone.locator(".message-success")).to_have_text(
        "Tak! Din kvittering er afleveret. Husk at gemme originalen."
    )
    expect(paid).to_contain_text("Kvittering: Afleveret")
    shot(phone, "receipt-handed-in")
    assert payment.receipts.count() == 1
