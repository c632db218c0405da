"""Browser journeys: Playwright driving Debian's Chromium against pytest-django's live server.

Run with `make e2e`. Playwright's own browsers are never downloaded: the tests drive the system
Chromium (`/usr/bin/chromium`, or TETEN_CHROMIUM). Every test gets a fresh browser context (so no
cookies leak between journeys) and a `shot(name)` helper that saves a full-page screenshot under
test-output/e2e/<test name>/NN-name.png. A failing test also leaves a `failure.png` there.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

# The personal-budget journey's colleague and programme, shared with the budgets app's own tests.
from teten.budgets.tests.conftest import colleague, pools, programme, team  # noqa: F401

# The micro-loan journey's people and programme, shared with the loans app's own tests.
from teten.loans.tests.conftest import caseworker, central, coach, finance, finance2, loan_programme  # noqa: F401

CHROMIUM = os.environ.get("TETEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OUTPUT_DIR = Path(__file__).resolve().parents[2] / "test-output" / "e2e"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Playwright waits this long for an element or a navigation before failing the test.
TIMEOUT_MS = 10_000


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's report on the item, so the page fixture knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def live_server(request, django_db_setup):
    """pytest-django's live server, started with a MEDIA_URL on another host, after the test database.

    The test database is SQLite in memory; the server's threads must use the test's own connection
    to it. pytest-django hands that connection over only if the test database exists when the
    server starts, hence `django_db_setup` first: otherwise each request opens a connection of its
    own to the shared in-memory database, and two requests at once (a page and its htmx update) fail
    with "database table is locked".

    Django's live server wraps the site in a media-file handler that reads MEDIA_URL when the server
    starts, and fails on every request when it is None, as Teten's is (uploads are never served by
    URL). A MEDIA_URL on another host makes that handler pass every request on, serving nothing.
    """
    from django.db import connection
    from django.test.utils import override_settings
    from django.urls import resolve
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    with override_settings(MEDIA_URL="http://media.invalid/"):
        server = LiveServer(addr)
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        assert server.thread.connections_override, "the live server must share the in-memory test database"
    # Load the URLconf, and with it every view module, now: otherwise the server does it on the
    # browser's first request, and on a cold, busy machine that can use up the page-load timeout.
    # The server thread shares this process's modules and Django's cached resolver.
    resolve("/login/")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"No Chromium at {CHROMIUM}: run `make e2e` (it installs Debian's chromium) or set TETEN_CHROMIUM.")
    # Playwright's sync API keeps an event loop in this thread; Django refuses ORM calls from a
    # thread with a running loop unless told otherwise. `make e2e` sets this too.
    # Screenshots of this run only: none left over from renamed or deleted tests.
    shutil.rmtree(OUTPUT_DIR, ignore_errors=True)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "1"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def output_dir(request) -> Path:
    """test-output/e2e/<test name>/, emptied at the start of the test."""
    directory = OUTPUT_DIR / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return directory


@pytest.fixture
def new_page(browser, live_server, settings, request, output_dir):
    """Opens a page in its own browser context; `new_page(viewport=PHONE)` for a phone."""
    # Login links in e-mails must point at the live server, not at the configured public URL.
    settings.TETEN_PUBLIC_URL = live_server.url
    contexts = []
    problems = []

    def open_page(viewport=DESKTOP):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            locale="da-DK",
            timezone_id="Europe/Copenhagen",
            has_touch=viewport["width"] < 600,
            is_mobile=viewport["width"] < 600,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        # A JavaScript error or a Content-Security-Policy violation is a bug, even if the page looks fine.
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("console", lambda message: _console_problem(message, problems))
        page.on("response", lambda response: _response_problem(response, problems))
        return page

    yield open_page

    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        for number, context in enumerate(contexts, start=1):
            for page in context.pages:
                page.screenshot(path=str(output_dir / f"failure-{number}.png"), full_page=True)
    for context in contexts:
        context.close()
    if report is not None and report.passed:
        assert not problems, "The browser reported problems:\n" + "\n".join(problems)


def _console_problem(message, problems: list[str]) -> None:
    # A failed load is reported (with its address) by _response_problem instead.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        problems.append(f"console {message.type}: {message.text}")


def _response_problem(response, problems: list[str]) -> None:
    # Pages may answer 4xx on purpose (the tests check those); a missing stylesheet, script or icon is a bug.
    if response.status >= 400 and response.request.resource_type != "document":
        problems.append(f"{response.status} for {response.request.resource_type} {response.url}")


@pytest.fixture
def page(new_page):
    """A desktop-sized page."""
    return new_page()


@pytest.fixture
def shot(output_dir):
    """`shot(page, "login")` saves test-output/e2e/<test>/NN-login.png (full page) and returns its path.

    `full_page=False` saves only what is on the screen: a full-page picture draws a sticky element
    (the budget tool's running total) where the screen was scrolled to, over the content below it.
    """
    counter = iter(range(1, 100))

    def take(page, name: str, *, full_page: bool = True) -> Path:
        path = output_dir / f"{next(counter):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
