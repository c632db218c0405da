from teten.accounts.access import get_for_staff
from teten.programmes.models import Cohort, Programme


def programme_for(request, programme_id: int, permission: str) -> Programme:
    return get_for_staff(Programme, user=request.user, permission=permission, pk=programme_id)


def cohort_from(request, programme: Programme) -> Cohort | None:
    """The `hold` GET parameter as one of the programme's cohorts (None: the whole programme)."""
    value = request.GET.get("hold", "")
    if not value.isdigit():
        return None
    return Cohort.objects.for_municipality(programme.municipality).filter(programme=programme, pk=int(value)).first()
