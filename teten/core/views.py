from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from teten.accounts.rules import can


@require_GET
def home(request):
    """Send everyone to where their work is: staff to their start page, citizens to the portal."""
    if request.user.is_authenticated:
        return redirect("accounts:start")
    if getattr(request, "citizen", None):
        return redirect("portal:home")
    return render(request, "core/landing.html")


@require_GET
def accessibility(request):
    return render(request, "core/accessibility.html", {"base": _base_for(request)})


@require_GET
def privacy(request):
    return render(request, "core/privacy.html", {"base": _base_for(request)})


def _base_for(request) -> str:
    if request.user.is_authenticated and can(request.user, "accounts.use_staff_pages"):
        return "staff_base.html"
    return "citizen_base.html"
