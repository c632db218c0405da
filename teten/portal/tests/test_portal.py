import datetime
import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from teten.audit.models import AccessKind
from teten.audit.services import access_record
from teten.portal.identity import OneTimeLinkProvider
from teten.portal.models import CitizenLoginToken


def _path(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def test_citizen_asks_for_a_link_and_logs_in_with_it(client, citizen):
    response = client.post(reverse("portal:login"), {"email": "HANNE@eksempel.dk"})
    assert "Tjek din e-mail" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["hanne@eksempel.dk"]
    link = re.search(r"https?://\S+", message.body).group(0)
    confirm = client.get(_path(link))
    assert confirm.status_code == 200 and citizen.cpr not in confirm.content.decode()
    assert "portal_citizen_id" not in client.session  # opening the link alone logs nobody in
    response = client.post(_path(link))
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    home = client.get(reverse("portal:home")).content.decode()
    assert "Hej Hanne" in home and "150380-XXXX" in home
    assert "1503801234" not in home


def test_unknown_address_gets_the_same_answer_and_no_mail(client, citizen):
    response = client.post(reverse("portal:login"), {"email": "nobody@eksempel.dk"})
    assert "Tjek din e-mail" in response.content.decode()
    assert mail.outbox == []


def test_a_link_works_only_once(client, citizen):
    path = _path(OneTimeLinkProvider.issue_link(citizen))
    assert client.post(path).status_code == 302
    client.post(reverse("portal:logout"))
    again = client.post(path)
    assert again.status_code == 400
    assert "Linket virker ikke længere" in again.content.decode()


def test_an_expired_link_does_not_work(client, citizen):
    path = _path(OneTimeLinkProvider.issue_link(citizen))
    CitizenLoginToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.post(path).status_code == 400
    assert "portal_citizen_id" not in client.session


def test_the_token_itself_is_not_stored(citizen):
    link = OneTimeLinkProvider.issue_link(citizen)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert not CitizenLoginToken.objects.filter(token_hash=token).exists()


def test_portal_pages_need_a_citizen_login(client):
    for name in ("portal:home", "portal:access_log", "portal:access_log_csv"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("portal:login")


def test_citizen_sees_only_their_own_data(client, citizen, foreign_citizen, make_citizen, muni_a):
    neighbour = make_citizen(muni_a, first_name="Nabo", last_name="Naboesen")
    client.post(_path(OneTimeLinkProvider.issue_link(citizen)))
    body = client.get(reverse("portal:home")).content.decode()
    assert "Østergård" in body
    assert "Naboesen" not in body and "Borgersen" not in body
    assert neighbour.masked_cpr not in body


def test_citizen_session_gives_no_access_to_staff_pages(client, citizen):
    client.post(_path(OneTimeLinkProvider.issue_link(citizen)))
    response = client.get(reverse("citizens:detail", args=[citizen.pk]))
    assert response.status_code == 403
    assert "Denne side er til kommunens medarbejdere" in response.content.decode()
    assert "Østergård" not in response.content.decode().split("<main", 1)[1]


def test_citizen_downloads_who_used_their_data_without_staff_names(
    client, citizen, consultant, muni_a, foreign_citizen
):
    access_record(
        actor=consultant,
        municipality=muni_a,
        kind=AccessKind.VIEW,
        purpose="Sagsbehandling: borgerens sag",
        citizens=[citizen],
    )
    access_record(
        actor=consultant,
        municipality=muni_a,
        kind=AccessKind.SEARCH,
        purpose="Sagsbehandling: søgning",
        citizens=[citizen, foreign_citizen],
        criterion="hanne",
    )
    client.post(_path(OneTimeLinkProvider.issue_link(citizen)))
    page = client.get(reverse("portal:access_log")).content.decode()
    assert "Sagsbehandling: borgerens sag" in page and "Fandt dig ved en søgning" in page
    response = client.get(reverse("portal:access_log_csv"))
    assert response["Content-Disposition"].startswith("attachment")
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Dato;Tidspunkt;Hvad blev gjort;Formål;Myndighed")
    assert len(lines) == 3
    assert "Aarhus Kommune" in text
    assert "Mette" not in text and "Konsulent" not in text and "hanne" not in text.lower()


def test_citizen_log_does_not_include_other_citizens_uses(client, citizen, foreign_citizen, outsider, muni_b):
    access_record(actor=outsider, municipality=muni_b, kind=AccessKind.VIEW, purpose="x", citizens=[foreign_citizen])
    client.post(_path(OneTimeLinkProvider.issue_link(citizen)))
    text = client.get(reverse("portal:access_log_csv")).content.decode("utf-8-sig")
    assert len(text.strip().splitlines()) == 1
