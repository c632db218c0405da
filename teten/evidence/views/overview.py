from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from teten.accounts.access import get_for_staff
from teten.accounts.decorators import staff_view
from teten.core.forms import add_validation_error
from teten.evidence import cohorts as cohort_services
from teten.evidence import groups as groups_module
from teten.evidence.forms import CohortForm
from teten.evidence.models import Draw, OutcomeImport
from teten.evidence.views.common import programme_for
from teten.programmes.models import Cohort, Programme


@staff_view("evidence.reports")
def index(request):
    """The evidence front page: the programmes with their cohorts and draws, the outcome imports."""
    m = request.user.municipality
    programmes = list(Programme.objects.for_municipality(m).order_by("name"))
    draws = {d.cohort_id: d for d in Draw.objects.for_municipality(m)}
    rows = []
    for programme in programmes:
        sizes = {g.cohort.pk: g.size for g in groups_module.groups(programme, split=False) if g.kind == "cohort"}
        cohorts = [(c, draws.get(c.pk), sizes.get(c.pk, 0)) for c in groups_module.cohorts_of(programme)]
        rows.append((programme, cohorts))
    return render(
        request,
        "evidence/index.html",
        {
            "rows": rows,
            "imports": OutcomeImport.objects.for_municipality(m)[:5],
            "nav": "evidence",
        },
    )


@staff_view("evidence.manage")
@require_http_methods(["GET", "POST"])
def cohort_edit(request, programme_id: int, cohort_id: int | None = None):
    programme = programme_for(request, programme_id, "evidence.manage")
    cohort = (
        get_for_staff(
            Cohort.objects.filter(programme=programme), user=request.user, permission="evidence.manage", pk=cohort_id
        )
        if cohort_id
        else None
    )
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            saved = cohort_services.cohort_save(
                actor=request.user, programme=programme, cohort=cohort, **form.cleaned_data
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The cohort %(name)s is saved.") % {"name": saved.name})
            return redirect("evidence:index")
    return render(
        request,
        "evidence/cohort_form.html",
        {"form": form, "programme": programme, "cohort": cohort, "nav": "evidence"},
    )
