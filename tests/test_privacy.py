"""A CPR number never appears in a URL, a page title or a log line."""

import logging
import re

import pytest
from django.urls import reverse

from tests.test_outsider_crawl import SESSION_ENDERS, _url, all_routes
from tests.worlds import budget_world, documents_world, evidence_world, loan_world, money_world, survey_world
from teten.accounts.models import Role
from teten.core.logging import CprRedactingFilter

URL_ATTRIBUTES = re.compile(r'(?:href|action|src|hx-get|hx-post|hx-put|hx-delete)="([^"]*)"')
TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def _cpr_shapes(cpr: str) -> list[str]:
    return [cpr, f"{cpr[:6]}-{cpr[6:]}", cpr[:6]]


@pytest.fixture
def power_user(make_staff, muni_a):
    """A member of staff holding every role, so every page renders."""
    return make_staff(muni_a, *Role.values, username="alle-roller")


def test_no_url_or_title_on_any_page_contains_a_cpr(client, power_user, citizen, consultant, make_staff, muni_a):
    client.force_login(power_user)
    samples = {
        "citizen_id": citizen.pk,
        "period_id": citizen.benefit_periods.get().pk,
        "user_id": consultant.pk,
        "token": "x",
        **(money := money_world(muni_a, citizen, make_staff)),
        **documents_world(citizen, make_staff),
        **budget_world(muni_a, citizen, make_staff, money["programme_id"]),
        **loan_world(muni_a, citizen, make_staff),
        **survey_world(muni_a, citizen, make_staff),
        **evidence_world(muni_a, citizen, make_staff),
    }
    pages = []
    for name, kwargs in all_routes():
        if name in SESSION_ENDERS:
            continue
        url = _url(name, kwargs, samples)
        for cpr_shape in _cpr_shapes(citizen.cpr):
            assert cpr_shape not in url, name
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append((name, response.content.decode()))
    # The pages that show a citizen, and the search with a CPR typed in.
    pages.append(("reveal", client.post(reverse("citizens:reveal_cpr", args=[citizen.pk])).content.decode()))
    pages.append(("search", client.post(reverse("citizens:search"), {"q": "150380-1234"}).content.decode()))
    assert any(citizen.full_name in body for _, body in pages)
    for name, body in pages:
        for link in URL_ATTRIBUTES.findall(body):
            for cpr_shape in _cpr_shapes(citizen.cpr):
                assert cpr_shape not in link, f"{name}: {link}"
        title = TITLE.search(body).group(1)
        for cpr_shape in _cpr_shapes(citizen.cpr) + [citizen.masked_cpr]:
            assert cpr_shape not in title, f"{name}: {title}"


def test_search_is_posted_so_the_criterion_never_reaches_a_url(client, consultant, citizen):
    client.force_login(consultant)
    page = client.get(reverse("citizens:search")).content.decode()
    assert re.search(r'<form method="post"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken"', page)
    assert client.get(reverse("citizens:search") + "?q=150380-1234").status_code == 200
    assert citizen.full_name not in client.get(reverse("citizens:search") + "?q=150380-1234").content.decode()


def test_log_lines_have_cpr_numbers_masked(caplog):
    record = logging.LogRecord("teten", logging.ERROR, __file__, 1, "lookup failed for %s", ("150380-1234",), None)
    CprRedactingFilter().filter(record)
    assert record.getMessage() == "lookup failed for 150380-XXXX"


def test_every_configured_handler_redacts(settings):
    for name, handler in settings.LOGGING["handlers"].items():
        assert "redact_cpr" in handler.get("filters", []), name


def test_requests_log_no_cpr(client, consultant, citizen, caplog):
    client.force_login(consultant)
    with caplog.at_level(logging.DEBUG):
        client.post(reverse("citizens:search"), {"q": "1503801234"})
        client.get(reverse("citizens:detail", args=[citizen.pk]))
        client.get(reverse("citizens:detail", args=[999999]))  # a 404 is logged with its path
    for record in caplog.records:
        for cpr_shape in _cpr_shapes(citizen.cpr)[:2]:
            assert cpr_shape not in record.getMessage()
