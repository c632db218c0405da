"""Reading citizens. Every function here authorises the staff member and writes exactly one
access-log row naming the citizens whose data was used (Datatilsynet's logging requirement)."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from teten.accounts.access import get_for_staff, require
from teten.audit.models import AccessKind
from teten.audit.services import access_record
from teten.citizens.models import BenefitPeriod, Citizen
from teten.core.cpr import SearchTerm

SEARCH_LIMIT = 50
WORKLIST_PAGE_SIZE = 25

PURPOSE_CASEWORK = _("Casework: the citizen's record")
PURPOSE_EDIT = _("Casework: changing the citizen's record")
PURPOSE_SEARCH = _("Casework: finding a citizen")
PURPOSE_WORKLIST = _("Casework: the consultant's list of citizens")


def _with_history(queryset: QuerySet[Citizen]) -> QuerySet[Citizen]:
    return queryset.select_related("assigned_consultant").prefetch_related(
        Prefetch("benefit_periods", queryset=BenefitPeriod.objects.order_by("-start_date", "-id"))
    )


def citizen_get_for_action(*, user, citizen_id: int, permission: str) -> Citizen:
    """Fetch and authorise without logging: for actions whose service logs the use itself
    (a change, an export, showing the CPR), so each use is exactly one access-log row."""
    return get_for_staff(_with_history(Citizen.objects.all()), user=user, permission=permission, pk=citizen_id)


def citizen_log_view(*, user, citizen: Citizen, purpose=PURPOSE_CASEWORK) -> None:
    access_record(actor=user, municipality=user.municipality, kind=AccessKind.VIEW, purpose=purpose, citizens=[citizen])


def citizen_get(*, user, citizen_id: int, permission: str = "citizens.view", purpose=PURPOSE_CASEWORK) -> Citizen:
    """One citizen for one staff member: 404 outside their municipality, 403 without the role,
    and one access-log row for the look."""
    citizen = citizen_get_for_action(user=user, citizen_id=citizen_id, permission=permission)
    citizen_log_view(user=user, citizen=citizen, purpose=purpose)
    return citizen


def citizen_search(*, user, text: str) -> list[Citizen]:
    """Search the user's municipality by name, whole CPR or birth date (DDMMYY).

    The criterion is logged with any CPR masked; the citizens found are the log row's subjects.
    """
    require(user, "citizens.search")
    term = SearchTerm.parse(text)
    queryset = Citizen.objects.for_municipality(user.municipality).select_related("assigned_consultant")
    if term.cpr:
        queryset = queryset.filter(cpr=term.cpr)
    elif term.birth_prefix:
        queryset = queryset.filter(cpr__startswith=term.birth_prefix)
    else:
        for word in normalise_name(term.name or "").split():
            queryset = queryset.filter(search_name__contains=word)
    results = list(queryset.order_by("last_name", "first_name", "id")[:SEARCH_LIMIT])
    access_record(
        actor=user,
        municipality=user.municipality,
        kind=AccessKind.SEARCH,
        purpose=PURPOSE_SEARCH,
        criterion=term.masked(),
        citizens=results,
    )
    return results


def normalise_name(name: str) -> str:
    """Casefolded, single-spaced: the form `Citizen.search_name` is stored in."""
    return " ".join(name.casefold().split())


@dataclass
class Worklist:
    page: Page
    total: int


def worklist(*, user, page_number: int | str = 1) -> Worklist:
    """The citizens assigned to this consultant, a page at a time; the page shown is logged."""
    require(user, "citizens.view")
    queryset = _with_history(
        Citizen.objects.for_municipality(user.municipality).filter(assigned_consultant=user)
    ).order_by("last_name", "first_name", "id")
    page = Paginator(queryset, WORKLIST_PAGE_SIZE).get_page(page_number)
    access_record(
        actor=user,
        municipality=user.municipality,
        kind=AccessKind.LIST,
        purpose=PURPOSE_WORKLIST,
        citizens=list(page.object_list),
    )
    return Worklist(page=page, total=page.paginator.count)
