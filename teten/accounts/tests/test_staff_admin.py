import pytest
from django.urls import reverse

from teten.accounts.models import Role, User
from teten.audit.models import DecisionEvent


@pytest.fixture
def admin(make_staff, muni_a):
    return make_staff(muni_a, Role.ADMINISTRATOR, username="admin")


def test_administrator_creates_a_colleague_with_roles(client, admin, muni_a):
    client.force_login(admin)
    response = client.post(
        reverse("accounts:staff_create"),
        {
            "username": "lise",
            "first_name": "Lise",
            "last_name": "B",
            "email": "lise@k.dk",
            "password": "en-lang-og-god-adgangskode",
            "roles": ["job_consultant", "coach"],
        },
    )
    assert response.status_code == 302
    lise = User.objects.get(username="lise")
    assert lise.municipality == muni_a
    assert lise.roles == {"job_consultant", "coach"}
    event = DecisionEvent.objects.get(kind="staff.created", object_id=str(lise.pk))
    assert event.actor == admin and event.after == {"roles": ["coach", "job_consultant"]}


def test_role_change_is_recorded_before_and_after(client, admin, consultant):
    client.force_login(admin)
    client.post(
        reverse("accounts:staff_edit", args=[consultant.pk]),
        {"first_name": "Mette", "last_name": "K", "email": "", "is_active": "on", "roles": ["coordinator"]},
    )
    consultant.refresh_from_db()
    assert User.objects.get(pk=consultant.pk).roles == {"coordinator"}
    event = DecisionEvent.objects.get(kind="staff.access_changed")
    assert event.before["roles"] == ["job_consultant"] and event.after["roles"] == ["coordinator"]


def test_administrator_cannot_remove_own_admin_role(client, admin):
    client.force_login(admin)
    response = client.post(
        reverse("accounts:staff_edit", args=[admin.pk]),
        {"first_name": "A", "last_name": "B", "email": "", "is_active": "on", "roles": ["coach"]},
    )
    assert "Du kan ikke fjerne din egen administratorrolle" in response.content.decode()
    assert User.objects.get(pk=admin.pk).roles == {"administrator"}


def test_administrator_of_another_municipality_gets_404(client, make_staff, muni_b, consultant):
    other_admin = make_staff(muni_b, Role.ADMINISTRATOR)
    client.force_login(other_admin)
    assert client.get(reverse("accounts:staff_edit", args=[consultant.pk])).status_code == 404


def test_only_administrators_manage_staff(client, consultant):
    client.force_login(consultant)
    assert client.get(reverse("accounts:staff_list")).status_code == 403
    assert client.post(reverse("accounts:staff_create"), {}).status_code == 403


def test_closed_account_cannot_log_in(client, admin, consultant):
    client.force_login(admin)
    client.post(
        reverse("accounts:staff_edit", args=[consultant.pk]),
        {"first_name": "Mette", "last_name": "K", "email": "", "roles": ["job_consultant"]},
    )
    client.logout()
    from conftest import PASSWORD

    response = client.post(reverse("accounts:login"), {"username": "mette", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
