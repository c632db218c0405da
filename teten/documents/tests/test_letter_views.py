"""Who may open a letter: the citizen it was sent to, and staff of the municipality who may see the
citizen (and every such look is logged). Everyone else gets 404, as if the letter did not exist."""

import re

import pytest
from django.urls import reverse

from teten.accounts.models import Role
from teten.audit.models import AccessKind, AccessLog, AccessLogSubject
from teten.portal.identity import OneTimeLinkProvider


def citizen_login(client, citizen):
    link = OneTimeLinkProvider.issue_link(citizen)
    assert client.post(re.sub(r"^https?://[^/]+", "", link)).status_code == 302
    return client


@pytest.fixture
def letter(issue, citizen):
    return issue(citizen)


def _assert_pdf(response, letter):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith('inline; filename="afgoerelse-om-personligt-budget-')
    assert response.content == bytes(letter.pdf)


def test_staff_who_may_see_the_citizen_open_the_letter_and_the_look_is_logged(client, consultant, letter, citizen):
    client.force_login(consultant)
    before = AccessLog.objects.count()
    _assert_pdf(client.get(reverse("documents:letter", args=[letter.pk])), letter)
    assert AccessLog.objects.count() == before + 1
    log = AccessLog.objects.order_by("-id").first()
    assert (log.kind, log.actor, log.purpose) == (
        AccessKind.VIEW,
        consultant,
        "Sagsbehandling: læste et brev sendt til borgeren",
    )
    assert list(AccessLogSubject.objects.filter(log=log).values_list("citizen_id", flat=True)) == [citizen.pk]


def test_an_outsider_from_another_municipality_gets_404_and_nothing_is_logged(client, outsider, letter):
    client.force_login(outsider)
    before = AccessLog.objects.count()
    assert client.get(reverse("documents:letter", args=[letter.pk])).status_code == 404
    assert AccessLog.objects.count() == before


def test_staff_without_access_to_citizens_get_403(client, make_staff, muni_a, letter):
    client.force_login(make_staff(muni_a, Role.EVALUATOR))
    assert client.get(reverse("documents:letter", args=[letter.pk])).status_code == 403


def test_an_unknown_letter_is_404(client, consultant, letter):
    client.force_login(consultant)
    assert client.get(reverse("documents:letter", args=[letter.pk + 1000])).status_code == 404


def test_the_citizen_opens_their_own_letter(client, citizen, letter):
    citizen_login(client, citizen)
    _assert_pdf(client.get(reverse("portal:letter", args=[letter.pk])), letter)


def test_a_citizen_gets_404_for_another_citizens_letter(client, make_citizen, muni_a, citizen, issue):
    neighbour = make_citizen(muni_a, first_name="Nabo", last_name="Naboesen")
    theirs = issue(neighbour)
    citizen_login(client, citizen)
    assert client.get(reverse("portal:letter", args=[theirs.pk])).status_code == 404
    assert "Nabo" not in client.get(reverse("portal:letters")).content.decode()


def test_a_citizen_of_another_municipality_gets_404(client, foreign_citizen, letter):
    citizen_login(client, foreign_citizen)
    assert client.get(reverse("portal:letter", args=[letter.pk])).status_code == 404


def test_nobody_logged_in_is_sent_to_log_in(client, letter):
    assert client.get(reverse("portal:letter", args=[letter.pk]))["Location"] == reverse("portal:login")
    assert client.get(reverse("portal:letters"))["Location"] == reverse("portal:login")
    assert client.get(reverse("documents:letter", args=[letter.pk]))["Location"].startswith(reverse("accounts:login"))


def test_the_letters_page_lists_the_citizens_letters_with_links(client, citizen, issue, django_assert_max_num_queries):
    first, second = issue(citizen), issue(citizen, kind="receipt_reminder")
    citizen_login(client, citizen)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("portal:letters")).content.decode()
    assert "<h1>Dine breve</h1>" in page
    assert page.index(f'href="{reverse("portal:letter", args=[second.pk])}"') < page.index(
        f'href="{reverse("portal:letter", args=[first.pk])}"'
    )
    assert "Afgørelse om personligt budget (PDF)</a>" in page and "Sendt " in page
    assert f'href="{reverse("portal:letters")}" aria-current="page">Dine breve</a>' in page
    assert citizen.cpr not in page


def test_a_citizen_without_letters_is_told_so(client, citizen):
    citizen_login(client, citizen)
    page = client.get(reverse("portal:letters")).content.decode()
    assert "Du har ikke fået nogen breve fra kommunen i Teten endnu." in page
    # The menu on every page of My pages leads to the letters.
    home = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("portal:letters")}"' in home
