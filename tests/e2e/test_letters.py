"""A citizen finds the letters the municipality sent, on a phone. Screenshots: test-output/e2e/."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.test_journeys import horizontal_overflow
from teten.documents.letters import LetterRecipient, letter_issue
from teten.documents.tests.samples import decision_content
from teten.portal.identity import OneTimeLinkProvider

pytestmark = pytest.mark.e2e


def test_citizen_opens_a_letter_from_the_menu_on_a_phone(new_page, shot, consultant, citizen):
    content = decision_content(recipient=LetterRecipient.for_citizen(citizen), masked_cpr=citizen.masked_cpr)
    letter = letter_issue(
        municipality=citizen.municipality,
        citizen=citizen,
        kind="grant_decision",
        content=content,
        actor=consultant,
        obj=citizen,
    )
    phone = new_page(viewport=PHONE)
    phone.goto(OneTimeLinkProvider.issue_link(citizen))
    phone.get_by_role("button", name="Log ind", exact=True).click()
    phone.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Dine breve").click()
    expect(phone).to_have_url(re.compile(r"/mit/breve/$"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Dine breve")
    link = phone.get_by_role("link", name="Afgørelse om personligt budget (PDF)")
    expect(link).to_be_visible()
    shot(phone, "letters")
    assert horizontal_overflow(phone) == 0
    # The link gives the exact PDF that was sent (Chromium headless would download it, so fetch it).
    response = phone.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body() == bytes(letter.pdf)
