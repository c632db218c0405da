import pytest

from teten.accounts.models import Role
from teten.documents.letters import LetterRecipient, letter_issue
from teten.documents.tests.samples import decision_content


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads go to a fresh folder per test, never into the working copy."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def caseworker(make_staff, muni_a):
    return make_staff(muni_a, Role.BENEFITS_CASEWORKER, username="lise", first_name="Lise", last_name="Sagsbehandler")


@pytest.fixture
def issue(caseworker):
    """Issue a decision-like letter to a citizen, about the citizen record itself."""

    def make(citizen, *, actor=caseworker, kind="grant_decision"):
        content = decision_content(recipient=LetterRecipient.for_citizen(citizen), masked_cpr=citizen.masked_cpr)
        return letter_issue(
            municipality=citizen.municipality, citizen=citizen, kind=kind, content=content, actor=actor, obj=citizen
        )

    return make
