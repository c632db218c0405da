"""Keyboard and accessibility smoke test: a staff member logs in without a mouse."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from conftest import PASSWORD

pytestmark = pytest.mark.e2e


def focus_outline(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            return {style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor};
        }"""
    )


def expect_visible_focus(page: Page) -> None:
    outline = focus_outline(page)
    assert outline["style"] not in ("none", "hidden") and outline["width"] >= 2, outline


def tab_to(page: Page, target: Locator, *, key: str = "Tab", limit: int = 20) -> int:
    """Press Tab until `target` has focus; returns how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if target.evaluate("element => element === document.activeElement"):
            return presses
    raise AssertionError(f"{limit} presses of {key} did not reach {target}")


def test_staff_member_logs_in_with_the_keyboard_alone(page, shot, consultant):
    page.goto("/")
    skip_link = page.get_by_role("link", name="Gå til indhold")
    assert tab_to(page, skip_link) == 1, "the skip link must be the first stop"
    expect(skip_link).to_be_in_viewport()
    expect_visible_focus(page)
    shot(page, "landing-skip-link-focused")
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    tab_to(page, page.get_by_role("link", name="Log ind som medarbejder"))
    expect_visible_focus(page)
    shot(page, "landing-staff-login-focused")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/login/$"))

    # The first stop is the skip link again; the username field is labelled and shows its focus.
    skip = page.get_by_role("link", name="Gå til indhold")
    assert tab_to(page, skip) == 1
    username = page.get_by_role("textbox", name="Brugernavn")
    expect(username).to_have_attribute("id", "id_username")
    tab_to(page, username)
    expect(username).to_be_focused()
    expect_visible_focus(page)
    shot(page, "login-username-focused")

    page.keyboard.type("mette")
    page.keyboard.press("Tab")
    password = page.get_by_label("Adgangskode")
    expect(password).to_be_focused()
    expect(password).to_have_attribute("type", "password")
    expect_visible_focus(page)
    page.keyboard.type("forkert-kodeord-123")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Brugernavn eller adgangskode er forkert")
    shot(page, "login-wrong-password")

    tab_to(page, password)
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/start/$"))
    tab_to(page, page.get_by_role("button", name="Log ud"))
    expect_visible_focus(page)
    shot(page, "start-logout-focused")


def test_first_tab_on_the_staff_login_page_reaches_the_skip_link(page):
    page.goto("/login/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Gå til indhold")).to_be_focused(timeout=1000)
