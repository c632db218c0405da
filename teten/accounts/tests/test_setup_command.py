import pytest
from django.core.management import CommandError, call_command

from teten.accounts.models import User
from teten.core.models import Municipality


def test_setup_creates_municipality_and_first_administrator(db, monkeypatch):
    monkeypatch.setenv("ADMIN_PW", "en-lang-og-god-adgangskode")
    call_command("municipality_setup", name="Aarhus Kommune", code="751", admin="anne", password_env="ADMIN_PW")
    anne = User.objects.get(username="anne")
    assert anne.municipality == Municipality.objects.get(code="751")
    assert anne.roles == {"administrator"}
    assert anne.check_password("en-lang-og-god-adgangskode")


@pytest.mark.parametrize("code, password", [("75", "en-lang-og-god-adgangskode"), ("751", "kort")])
def test_setup_refuses_bad_input_and_leaves_nothing(db, monkeypatch, code, password):
    monkeypatch.setenv("ADMIN_PW", password)
    with pytest.raises(CommandError):
        call_command("municipality_setup", name="Aarhus Kommune", code=code, admin="anne", password_env="ADMIN_PW")
    assert not Municipality.objects.exists() and not User.objects.exists()
