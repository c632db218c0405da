import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from teten.accounts.decorators import staff_view
from teten.citizens import selectors, services
from teten.citizens.benefits import current_period, months_on_benefit
from teten.citizens.export import citizen_export
from teten.citizens.forms import BenefitPeriodForm, CitizenCreateForm, CitizenEditForm, SearchForm
from teten.citizens.models import BenefitPeriod, BenefitType
from teten.core.clock import today
from teten.core.cpr import SearchTerm
from teten.core.forms import add_validation_error


@staff_view("citizens.view")
def worklist(request):
    result = selectors.worklist(user=request.user, page_number=request.GET.get("side", 1))
    on = today()
    rows = [
        {
            "citizen": citizen,
            "age": citizen.age(on),
            "current": current_period(citizen.benefit_periods.all(), on=on),
            "months_cash": months_on_benefit(
                citizen.benefit_periods.all(), benefit_type=BenefitType.CASH_BENEFIT, as_of=on
            ),
        }
        for citizen in result.page.object_list
    ]
    return render(
        request, "citizens/worklist.html", {"page": result.page, "rows": rows, "total": result.total, "nav": "worklist"}
    )


@staff_view("citizens.search")
@require_http_methods(["GET", "POST"])
def search(request):
    """Search is a POST so that a CPR number typed in the box never lands in a URL or a log."""
    form = SearchForm(request.POST or None)
    results, by_number = None, False
    if request.method == "POST" and form.is_valid():
        results = selectors.citizen_search(user=request.user, text=form.cleaned_data["q"])
        by_number = SearchTerm.parse(form.cleaned_data["q"]).name is None
    context = {"form": form, "results": results, "searched_by_number": by_number, "nav": "search"}
    return render(request, "citizens/search.html", context)


def _record_context(citizen):
    on = today()
    periods = list(citizen.benefit_periods.all())
    return {
        "citizen": citizen,
        "age": citizen.age(on),
        "periods": periods,
        "current": current_period(periods, on=on),
        "months_cash": months_on_benefit(periods, benefit_type=BenefitType.CASH_BENEFIT, as_of=on),
        **_participation(citizen),
    }


def _participation(citizen) -> dict:
    """The citizen's offers of a personal budget and micro-loan cases, to link to from the record."""
    from teten.budgets.models import Offer
    from teten.loans.models import LoanCase

    municipality = citizen.municipality_id
    return {
        "offers": Offer.objects.for_municipality(municipality)
        .filter(citizen=citizen)
        .select_related("programme", "plan"),
        "loan_cases": LoanCase.objects.for_municipality(municipality)
        .filter(citizen=citizen)
        .select_related("programme"),
    }


@staff_view("citizens.view")
def detail(request, citizen_id: int):
    citizen = selectors.citizen_get(user=request.user, citizen_id=citizen_id)
    return render(request, "citizens/detail.html", _record_context(citizen))


@staff_view("citizens.reveal_cpr")
@require_POST
def reveal_cpr(request, citizen_id: int):
    citizen = selectors.citizen_get_for_action(
        user=request.user, citizen_id=citizen_id, permission="citizens.reveal_cpr"
    )
    full_cpr = services.citizen_reveal_cpr(actor=request.user, citizen=citizen)
    if request.htmx:
        return render(request, "citizens/detail.html#cpr", {"citizen": citizen, "full_cpr": full_cpr})
    return render(request, "citizens/detail.html", {**_record_context(citizen), "full_cpr": full_cpr})


@staff_view("citizens.change")
@require_http_methods(["GET", "POST"])
def create(request):
    form = CitizenCreateForm(request.POST or None, municipality=request.user.municipality)
    if request.method == "POST" and form.is_valid():
        try:
            citizen = services.citizen_create(actor=request.user, **form.citizen_fields())
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("%(name)s has been registered.") % {"name": citizen.full_name})
            return redirect("citizens:detail", citizen_id=citizen.pk)
    return render(request, "citizens/citizen_form.html", {"form": form, "creating": True})


@staff_view("citizens.change")
@require_http_methods(["GET", "POST"])
def edit(request, citizen_id: int):
    citizen = selectors.citizen_get_for_action(user=request.user, citizen_id=citizen_id, permission="citizens.change")
    form = CitizenEditForm(request.POST or None, instance=citizen, municipality=request.user.municipality)
    if request.method == "POST" and form.is_valid():
        try:
            services.citizen_update(actor=request.user, citizen=citizen, **form.citizen_fields())
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("citizens:detail", citizen_id=citizen.pk)
    # The record is on the page (again): that is a look, logged once.
    selectors.citizen_log_view(user=request.user, citizen=citizen, purpose=selectors.PURPOSE_EDIT)
    return render(request, "citizens/citizen_form.html", {"form": form, "citizen": citizen})


@staff_view("citizens.change")
@require_http_methods(["GET", "POST"])
def benefit_period(request, citizen_id: int, period_id: int | None = None):
    citizen = selectors.citizen_get_for_action(user=request.user, citizen_id=citizen_id, permission="citizens.change")
    period = BenefitPeriod(citizen=citizen)
    if period_id is not None:
        period = next((p for p in citizen.benefit_periods.all() if p.pk == period_id), None)
        if period is None:
            raise Http404
    form = BenefitPeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        try:
            services.benefit_period_save(actor=request.user, citizen=citizen, period=form.instance)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The benefit history has been updated."))
            return redirect("citizens:detail", citizen_id=citizen.pk)
    selectors.citizen_log_view(user=request.user, citizen=citizen, purpose=services.PURPOSE_HISTORY)
    return render(request, "citizens/benefit_period_form.html", {"form": form, "citizen": citizen, "period": period})


@staff_view("citizens.export")
@require_POST
def export(request, citizen_id: int):
    citizen = selectors.citizen_get_for_action(user=request.user, citizen_id=citizen_id, permission="citizens.export")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="borger-{citizen.pk}.csv"'
    writer = csv.writer(response, delimiter=";")
    for row in citizen_export(actor=request.user, citizen=citizen):
        writer.writerow(row)
    return response
