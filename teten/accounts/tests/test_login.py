import time

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from teten.core.middleware import SEEN, STARTED


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_staff_logs_in_and_lands_on_the_start_page(client, consultant):
    response = _login(client, "mette", PASSWORD)
    assert response.status_code == 302
    page = client.get(response["Location"], follow=True)
    assert "Hej Mette" in page.content.decode()


def test_wrong_password_gives_a_plain_message(client, consultant):
    response = _login(client, "mette", "wrong")
    assert "Brugernavn eller adgangskode er forkert" in response.content.decode()


def test_staff_without_municipality_cannot_log_in(client, django_user_model):
    django_user_model.objects.create_user(username="lost", password=PASSWORD)
    response = _login(client, "lost", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_that_username_from_that_address(client, consultant):
    for _ in range(5):
        _login(client, "mette", "wrong")
    locked = _login(client, "mette", PASSWORD)
    assert locked.status_code == 429
    assert "For mange forsøg" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_attacker_elsewhere_cannot_lock_a_colleague_out(client, consultant):
    for _ in range(10):
        _login(client, "mette", "wrong", ip="203.0.113.9")
    ok = _login(client, "mette", PASSWORD, ip="10.0.0.1")
    assert ok.status_code == 302


def test_lockout_ends_after_the_cool_off(client, consultant, settings):
    for _ in range(5):
        _login(client, "mette", "wrong")
    assert _login(client, "mette", PASSWORD).status_code == 429
    # Move the failures back past the cool-off period.
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    assert _login(client, "mette", PASSWORD).status_code == 302


def _age_session(client, *, started_ago=0, seen_ago=0):
    session = client.session
    now = int(time.time())
    session[STARTED] = now - started_ago
    session[SEEN] = now - seen_ago
    session.save()


@override_settings(TETEN_SESSION_IDLE_MINUTES=30)
def test_idle_session_is_logged_out(client, consultant):
    client.force_login(consultant)
    client.get(reverse("accounts:start"))
    _age_session(client, started_ago=31 * 60, seen_ago=31 * 60)
    response = client.get(reverse("accounts:start"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


@override_settings(TETEN_SESSION_IDLE_MINUTES=30, TETEN_SESSION_ABSOLUTE_HOURS=10)
def test_busy_session_still_ends_after_the_absolute_limit(client, consultant):
    client.force_login(consultant)
    client.get(reverse("accounts:start"))
    _age_session(client, started_ago=10 * 3600 + 60, seen_ago=60)
    response = client.get(reverse("accounts:start"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_active_session_goes_on(client, consultant):
    client.force_login(consultant)
    client.get(reverse("accounts:start"))
    _age_session(client, started_ago=3600, seen_ago=5 * 60)
    assert client.get(reverse("accounts:start")).status_code == 200


def test_logout_is_a_post_and_ends_the_session(client, consultant):
    client.force_login(consultant)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("password", ["short", "password1234", "123456789012"])
def test_weak_passwords_are_refused_by_djangos_validators(client, make_staff, muni_a, password):
    from teten.accounts.models import Role

    admin = make_staff(muni_a, Role.ADMINISTRATOR)
    client.force_login(admin)
    response = client.post(
        reverse("accounts:staff_create"),
        {
            "username": "ny",
            "first_name": "Ny",
            "last_name": "Kollega",
            "email": "",
            "password": password,
            "roles": ["coach"],
        },
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
