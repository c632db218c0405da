"""The platform's browser journeys: a consultant finds a citizen and shows the CPR; a citizen logs in
with a one-time link and sees only their own data; both on a phone. Screenshots: test-output/e2e/."""

import re

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from tests.e2e.conftest import PHONE
from teten.audit.models import AccessKind, AccessLog
from teten.citizens import selectors, services
from teten.portal.identity import OneTimeLinkProvider

pytestmark = pytest.mark.e2e

MASKED_CPR = "150380-XXXX"
FULL_CPR_SHAPES = ["150380-1234", "1503801234"]
STAFF_LOGIN_URL = re.compile(r"/login/\?next=(/|%2F)borgere(/|%2F)$")


def staff_login(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind", exact=True).click()
    expect(page).to_have_url(re.compile(r"/start/$"))


def search(page: Page, text: str) -> None:
    page.get_by_label("Navn, CPR-nummer eller fødselsdato").fill(text)
    page.get_by_role("button", name="Søg", exact=True).click()
    # The search is a POST: whatever was typed never lands in the address bar.
    expect(page).to_have_url(re.compile(r"/borgere/soeg/$"))


def expect_no_full_cpr(page: Page) -> None:
    for shape in FULL_CPR_SHAPES:
        expect(page.locator("body")).not_to_contain_text(shape)


def reveal_rows(citizen) -> int:
    return AccessLog.objects.filter(kind=AccessKind.REVEAL_CPR, subjects__citizen=citizen).count()


@pytest.fixture
def neighbour(make_citizen, muni_a, consultant):
    """Another citizen of the same municipality, with the same consultant."""
    return make_citizen(
        muni_a, consultant=consultant, first_name="Karsten", last_name="Naboesen", email="karsten@eksempel.dk"
    )


def test_staff_finds_a_citizen_opens_the_record_and_reveals_the_cpr(
    page, shot, consultant, citizen, neighbour, foreign_citizen
):
    page.goto("/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind som medarbejder")
    shot(page, "login")
    staff_login(page, "mette")
    expect(page.locator(".site-header")).to_contain_text("Mette Konsulent")
    shot(page, "start")

    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Find borger").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find borger")
    shot(page, "search-empty")

    # By name: only Hanne, with her CPR masked.
    search(page, "Hanne Østergård")
    expect(page.get_by_role("heading", name="1 borger fundet")).to_be_visible()
    results = page.locator("#search-results tbody tr")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Hanne Østergård")
    expect(results.first).to_contain_text(MASKED_CPR)
    expect(page.locator("#search-results")).not_to_contain_text("Karsten")
    expect_no_full_cpr(page)
    shot(page, "search-by-name")

    # Another municipality's citizen cannot be found, not even by their exact CPR.
    search(page, "220775-1238")
    expect(page.get_by_role("heading", name="0 borgere fundet")).to_be_visible()
    expect(page.locator("#search-results")).not_to_contain_text("Fremmed")
    shot(page, "search-foreign-cpr")

    # By CPR: the same single result.
    search(page, "150380-1234")
    expect(page.get_by_role("heading", name="1 borger fundet")).to_be_visible()
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text(MASKED_CPR)
    shot(page, "search-by-cpr")

    results.first.get_by_role("link", name="Hanne Østergård").click()
    expect(page).to_have_url(re.compile(rf"/borgere/{citizen.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hanne Østergård")
    expect(page.get_by_test_id("cpr-masked")).to_have_text(MASKED_CPR)
    expect_no_full_cpr(page)
    assert reveal_rows(citizen) == 0
    shot(page, "record-masked")

    # Showing the CPR swaps it in place (htmx), without loading a new page, and is logged once.
    page.evaluate("window.tetenSamePage = true")
    page.get_by_role("button", name="Vis fuldt CPR-nummer").click()
    expect(page.get_by_test_id("cpr-full")).to_have_text("150380-1234")
    expect(page.locator("#cpr-value")).to_contain_text("Vist fuldt ud. Det er logget.")
    expect(page.get_by_test_id("cpr-masked")).to_have_count(0)
    expect(page.get_by_role("button", name="Vis fuldt CPR-nummer")).to_have_count(0)
    assert page.evaluate("window.tetenSamePage") is True
    expect(page).to_have_url(re.compile(rf"/borgere/{citizen.pk}/$"))
    shot(page, "record-cpr-revealed")
    assert reveal_rows(citizen) == 1
    assert AccessLog.objects.get(kind=AccessKind.REVEAL_CPR).actor == consultant

    page.locator(".site-header").get_by_role("button", name="Log ud").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Velkommen til Teten")
    expect(page.locator(".site-header")).not_to_contain_text("Mette")
    shot(page, "logged-out")

    page.goto("/borgere/")
    expect(page).to_have_url(STAFF_LOGIN_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind som medarbejder")
    assert reveal_rows(citizen) == 1


def test_citizen_logs_in_with_a_one_time_link_and_sees_only_their_own_data(
    page, shot, mailoutbox, consultant, citizen, neighbour, outsider, foreign_citizen
):
    # Staff have used Hanne's data, and another municipality has used someone else's.
    selectors.citizen_get(user=consultant, citizen_id=citizen.pk)
    services.citizen_reveal_cpr(actor=consultant, citizen=citizen)
    selectors.citizen_get(user=outsider, citizen_id=foreign_citizen.pk)

    page.goto("/")
    page.get_by_role("link", name="Log ind på Mine sider").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind på Mine sider")
    shot(page, "login")
    page.get_by_label("Din e-mailadresse").fill("Hanne@Eksempel.dk")
    page.get_by_role("button", name="Send mig et link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tjek din e-mail")
    shot(page, "check-your-email")

    assert [message.to for message in mailoutbox] == [["hanne@eksempel.dk"]]
    link = re.search(r"https?://\S+/mit/login/link/\S+", mailoutbox[0].body).group(0)
    assert link.startswith(page.url.split("/mit/")[0])

    # Opening the link does not log in (mail scanners open links); the button does.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind på Mine sider")
    shot(page, "link-opened")
    page.get_by_role("button", name="Log ind", exact=True).click()
    expect(page).to_have_url(re.compile(r"/mit/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hej Hanne")
    main = page.locator("main")
    expect(main).to_contain_text("Hanne Østergård")
    expect(main).to_contain_text(MASKED_CPR)
    expect(main).to_contain_text("Mette Konsulent")
    for other in ["Karsten", "Naboesen", "Fremmed", "Borgersen", "Slagelse"]:
        expect(page.locator("body")).not_to_contain_text(other)
    expect_no_full_cpr(page)
    shot(page, "home")

    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Brug af dine oplysninger").click()
    expect(page).to_have_url(re.compile(r"/mit/log/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hvem har brugt dine oplysninger")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Så dit fulde CPR-nummer")
    expect(rows.nth(1)).to_contain_text("Så dine oplysninger")
    expect(rows.nth(1)).to_contain_text("Aarhus Kommune")
    # The citizen sees what was done and by which authority, not by whom, and nothing of others.
    for other in ["Mette", "Konsulent", "Slagelse", "Fremmed"]:
        expect(page.locator("main")).not_to_contain_text(other)
    shot(page, "access-log")

    # A citizen's session is no way into the staff pages.
    page.goto("/borgere/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Denne side er til kommunens medarbejdere")
    expect(page.locator("main")).not_to_contain_text("Hanne")
    shot(page, "staff-page-refused")
    page.get_by_role("link", name="Gå til Mine sider").click()
    expect(page).to_have_url(re.compile(r"/mit/$"))

    # The link worked once: used again (after logging out), it explains what to do.
    page.get_by_role("button", name="Log ud").click()
    page.goto(link)
    page.get_by_role("button", name="Log ind", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Linket virker ikke længere")
    shot(page, "link-used-again")


def test_citizen_pages_fit_a_phone(new_page, shot, consultant, citizen):
    selectors.citizen_get(user=consultant, citizen_id=citizen.pk)
    phone = new_page(viewport=PHONE)
    phone.goto(OneTimeLinkProvider.issue_link(citizen))
    shot(phone, "link-opened")
    phone.get_by_role("button", name="Log ind", exact=True).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hej Hanne")
    shot(phone, "home")
    assert horizontal_overflow(phone) == 0
    phone.get_by_role("link", name="Se loggen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Hvem har brugt dine oplysninger")
    expect(phone.locator("main table tbody tr")).to_have_count(1)
    shot(phone, "access-log")
    assert horizontal_overflow(phone) == 0


def test_staff_record_on_a_phone(new_page, shot, consultant, citizen):
    phone = new_page(viewport=PHONE)
    staff_login(phone, "mette")
    shot(phone, "start")
    phone.goto(f"/borgere/{citizen.pk}/")
    expect(phone.get_by_test_id("cpr-masked")).to_have_text(MASKED_CPR)
    shot(phone, "record")
    phone.get_by_role("button", name="Vis fuldt CPR-nummer").tap()
    expect(phone.get_by_test_id("cpr-full")).to_have_text("150380-1234")
    shot(phone, "record-cpr-revealed")
    assert reveal_rows(citizen) == 1


def test_staff_record_has_no_sideways_scrolling_on_a_phone(new_page, consultant, citizen):
    phone = new_page(viewport=PHONE)
    staff_login(phone, "mette")
    phone.goto(f"/borgere/{citizen.pk}/")
    expect(phone.get_by_test_id("cpr-masked")).to_have_text(MASKED_CPR)
    assert horizontal_overflow(phone) == 0


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the screen (0: no sideways scrolling).

    A phone browser widens its layout viewport (window.innerWidth) to fit content that is too wide
    and zooms out, so the width to hold the page to is the screen's, not innerWidth.
    """
    width = page.evaluate("Math.max(document.documentElement.scrollWidth, window.innerWidth)")
    return max(0, width - page.viewport_size["width"])
