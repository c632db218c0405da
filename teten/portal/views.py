import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teten.audit.selectors import access_log_for_citizen
from teten.citizens.benefits import current_period
from teten.core.clock import today
from teten.loans.views.portal import NEXT_STEP, citizen_case
from teten.portal.budget import current_plan, open_offer
from teten.portal.identity import provider
from teten.portal.session import citizen_logout, citizen_required
from teten.surveys.selectors import open_invitations


def login(request):
    if getattr(request, "citizen", None):
        return redirect("portal:home")
    return provider().login(request)


@require_POST
def logout(request):
    citizen_logout(request)
    return redirect("core:home")


@citizen_required
def home(request):
    citizen = request.citizen
    periods = list(citizen.benefit_periods.all())
    loan_case = citizen_case(citizen)
    return render(
        request,
        "portal/home.html",
        {
            "citizen": citizen,
            "periods": periods,
            "current": current_period(periods, on=today()),
            "offer": open_offer(citizen),
            "plan": current_plan(citizen),
            "loan_case": loan_case,
            "next_loan_step": NEXT_STEP.get(loan_case.stage, "") if loan_case else "",
            "surveys": list(open_invitations(citizen)),
            "nav": "home",
        },
    )


@citizen_required
def access_log(request):
    page = Paginator(access_log_for_citizen(citizen=request.citizen), 50).get_page(request.GET.get("side", 1))
    return render(request, "portal/access_log.html", {"page": page, "nav": "log"})


@citizen_required
def access_log_csv(request):
    """The citizen's copy of who used their data: dates and purposes, no staff names."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="brug-af-mine-oplysninger.csv"'
    response.write("\ufeff")  # so spreadsheet programs read æ, ø and å correctly
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Date"), _("Time"), _("What was done"), _("Purpose"), _("Authority")])
    for entry in access_log_for_citizen(citizen=request.citizen).iterator():
        local = timezone.localtime(entry.at)
        writer.writerow(
            [f"{local:%d.%m.%Y}", f"{local:%H:%M}", entry.citizen_label(), entry.purpose, entry.municipality.name]
        )
    return response
