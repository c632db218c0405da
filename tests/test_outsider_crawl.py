"""Walk every URL pattern Teten defines, as every kind of visitor, and check nobody sees what
they should not. New routes are crawled automatically: a route whose URL needs an object id this
file has no sample for fails the test until one is added to SAMPLES.

Visitors: anonymous; each staff role of municipality A (which owns the data); staff of
municipality B holding every role (the outsider); a citizen of B logged in to the portal.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.worlds import (
    budget_world,
    documents_world,
    evidence_world,
    loan_world,
    money_world,
    route_samples,
    survey_world,
)
from teten.accounts.models import Role
from teten.accounts.rules import can
from teten.portal.identity import OneTimeLinkProvider

# Routes anyone may open. Adding to this list is a decision: say why in the review.
PUBLIC = {
    "core:home",
    "core:accessibility",
    "core:privacy",
    "accounts:login",
    "portal:login",
    "portal:login_link",
    "set_language",
}
# Routes that end a session (crawled last for a visitor, and only with POST).
SESSION_ENDERS = {"accounts:logout", "portal:logout"}


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _patterns(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", list(entry.pattern.converters)


def all_routes():
    return sorted({(name, tuple(kwargs)) for name, kwargs in _patterns(get_resolver())})


@pytest.fixture
def world(citizen, foreign_citizen, make_staff, muni_a, muni_b, consultant):
    period = citizen.benefit_periods.get()
    money = money_world(muni_a, citizen, make_staff)
    budget = budget_world(muni_a, citizen, make_staff, money["programme_id"])
    return {
        "citizen": citizen,
        "samples": {
            "citizen_id": citizen.pk,
            "period_id": period.pk,
            "user_id": consultant.pk,
            "token": "not-a-real-token",
            **money,
            **documents_world(citizen, make_staff),
            **budget,
            **loan_world(muni_a, citizen, make_staff),
            **survey_world(muni_a, citizen, make_staff),
            **evidence_world(muni_a, citizen, make_staff),
        },
        "markers": [
            citizen.full_name,
            citizen.last_name,
            citizen.masked_cpr,
            citizen.cpr,
            f"{citizen.cpr[:6]}-{citizen.cpr[6:]}",
            citizen.email,
        ],
        "roles_a": {role: make_staff(muni_a, role) for role in Role.values},
        "outsider": make_staff(muni_b, *Role.values, username="outsider-all-roles"),
        "foreign_citizen": foreign_citizen,
    }


def _url(name, kwargs, samples):
    samples = route_samples(name, samples)
    missing = [k for k in kwargs if k not in samples]
    assert not missing, f"{name}: add a sample for URL kwarg(s) {missing} to the crawl"
    return reverse(name, kwargs={k: samples[k] for k in kwargs})


def _requests(client, name, url):
    methods = ["post"] if name in SESSION_ENDERS else ["get", "post"]
    for method in methods:
        yield method, getattr(client, method)(url)


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _assert_no_markers(response, markers, context):
    body = _text(response)
    for marker in markers:
        assert marker not in body, f"{context}: shows {marker!r}"


def test_every_route_is_crawled():
    names = {name for name, _ in all_routes()}
    assert {"citizens:detail", "citizens:search", "portal:home", "accounts:staff_edit"} <= names


def test_anonymous_is_sent_to_a_login_page(client, world):
    for name, kwargs in all_routes():
        url = _url(name, kwargs, world["samples"])
        for method, response in _requests(client, name, url):
            context = f"anonymous {method.upper()} {name}"
            assert response.status_code < 500, context
            _assert_no_markers(response, world["markers"], context)
            if name in PUBLIC:
                continue
            assert response.status_code == 302, context
            if name in SESSION_ENDERS:
                continue
            assert response["Location"].startswith((reverse("accounts:login"), reverse("portal:login"))), context


def test_outsider_with_every_role_gets_404_for_foreign_objects(client, world):
    client.force_login(world["outsider"])
    for name, kwargs in all_routes():
        if name in SESSION_ENDERS:
            continue
        url = _url(name, kwargs, world["samples"])
        for method, response in _requests(client, name, url):
            context = f"outsider {method.upper()} {name}"
            assert response.status_code < 500, context
            _assert_no_markers(response, world["markers"], context)
            if kwargs and name not in PUBLIC and response.status_code != 405:
                if name.startswith("portal:"):
                    # A staff login is no citizen session: My pages ask for a citizen's login.
                    assert response.status_code == 302, f"{context}: {response.status_code}"
                    assert response["Location"].startswith(reverse("portal:login")), context
                    continue
                assert response.status_code == 404, f"{context}: {response.status_code}"


def test_each_role_gets_what_its_rules_allow_and_nothing_else(client, world):
    for role, user in world["roles_a"].items():
        client.force_login(user)
        for name, kwargs in all_routes():
            if name in SESSION_ENDERS:
                continue
            url = _url(name, kwargs, world["samples"])
            for method, response in _requests(client, name, url):
                context = f"{role} {method.upper()} {name}"
                assert response.status_code in {200, 302, 400, 403, 405}, f"{context}: {response.status_code}"
                if not can(user, "citizens.view"):
                    _assert_no_markers(response, world["markers"], context)


def test_citizen_of_another_municipality_reaches_no_staff_page_and_no_foreign_data(client, world):
    path = OneTimeLinkProvider.issue_link(world["foreign_citizen"]).split("://", 1)[1].split("/", 1)[1]
    assert client.post("/" + path).status_code == 302
    for name, kwargs in all_routes():
        if name in SESSION_ENDERS:
            continue
        url = _url(name, kwargs, world["samples"])
        for method, response in _requests(client, name, url):
            context = f"foreign citizen {method.upper()} {name}"
            assert response.status_code < 500, context
            _assert_no_markers(response, world["markers"], context)
            if name.startswith("portal:") and kwargs and name not in PUBLIC:
                assert response.status_code in (404, 405), f"{context}: {response.status_code}"
            if not name.startswith("portal:") and name not in PUBLIC:
                assert response.status_code in (403, 405), context
                if response.status_code == 403:
                    assert "Denne side er til kommunens medarbejdere" in _text(response), context
