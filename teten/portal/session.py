"""The citizen's portal session. It is separate from staff sessions: a citizen never holds a
Django staff login, and nothing a citizen does can reach a staff page."""

from functools import wraps

from django.contrib.auth import logout
from django.shortcuts import redirect

from teten.citizens.models import Citizen

CITIZEN_KEY = "portal_citizen_id"
MUNICIPALITY_KEY = "portal_municipality_id"


def citizen_login(request, citizen: Citizen) -> None:
    """Start a portal session for `citizen` (called by an identity provider once it is sure)."""
    if request.user.is_authenticated:
        logout(request)  # one person per browser session: a staff login ends here
    request.session.cycle_key()
    request.session[CITIZEN_KEY] = citizen.pk
    request.session[MUNICIPALITY_KEY] = citizen.municipality_id
    request.citizen = citizen


def citizen_logout(request) -> None:
    request.session.flush()
    request.citizen = None


def session_citizen(request) -> Citizen | None:
    citizen_id = request.session.get(CITIZEN_KEY)
    municipality_id = request.session.get(MUNICIPALITY_KEY)
    if not citizen_id or not municipality_id:
        return None
    return Citizen.objects.filter(municipality_id=municipality_id, pk=citizen_id).select_related("municipality").first()


def citizen_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not getattr(request, "citizen", None):
            return redirect("portal:login")
        return view(request, *args, **kwargs)

    return wrapped
