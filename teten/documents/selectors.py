"""Reading letters: for a member of staff (authorised, and logged as a look at the citizen's data)
and for the citizen on My pages (their own letters only)."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from teten.accounts.access import get_for_staff
from teten.audit.models import AccessKind
from teten.audit.services import access_record
from teten.documents.models import Letter

PURPOSE_LETTER = _("Casework: reading a letter sent to the citizen")


def letter_get_for_staff(*, user, letter_id: int) -> Letter:
    """A letter for a member of staff who may see the citizen ("citizens.view"): 404 outside their
    municipality, 403 without the role, and one access-log row naming the citizen."""
    letter = get_for_staff(
        Letter.objects.select_related("citizen"), user=user, permission="citizens.view", pk=letter_id
    )
    access_record(
        actor=user,
        municipality=user.municipality,
        kind=AccessKind.VIEW,
        purpose=PURPOSE_LETTER,
        citizens=[letter.citizen],
    )
    return letter


def letter_list_for_citizen(*, citizen) -> QuerySet[Letter]:
    """The citizen's own letters, newest first, without the PDF bytes."""
    return Letter.objects.for_municipality(citizen.municipality_id).filter(citizen=citizen).defer("pdf")


def letter_get_for_citizen(*, citizen, letter_id: int) -> Letter:
    """One of the citizen's own letters; anyone else's letter is 404, as if it did not exist."""
    letter = Letter.objects.for_municipality(citizen.municipality_id).filter(citizen=citizen, pk=letter_id).first()
    if letter is None:
        raise Http404
    return letter
