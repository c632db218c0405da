from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from teten.accounts.access import get_for_staff
from teten.accounts.decorators import staff_view
from teten.core.forms import add_validation_error
from teten.evidence import outcome_format
from teten.evidence.forms import OutcomeUploadForm
from teten.evidence.imports import import_upload
from teten.evidence.models import ImportStatus, OutcomeImport, OutcomeProblem

PROBLEMS_SHOWN = 500


@staff_view("evidence.manage")
@require_http_methods(["GET", "POST"])
def import_list(request):
    form = OutcomeUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_upload(actor=request.user, uploaded_file=form.cleaned_data["file"])
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The file is received and is being read."))
            return redirect("evidence:import", job.pk)
    return render(
        request,
        "evidence/imports.html",
        {
            "form": form,
            "imports": OutcomeImport.objects.for_municipality(request.user.municipality).select_related("uploaded_by")[
                :50
            ],
            "columns": _columns(),
            "nav": "evidence",
        },
    )


def _columns():
    return [(name, name in outcome_format.REQUIRED) for name in outcome_format.COLUMNS]


@staff_view("evidence.manage")
def import_detail(request, import_id: int):
    """One import: a progress bar while it runs (polled with HTMX), then its result and bad rows."""
    job = get_for_staff(OutcomeImport, user=request.user, permission="evidence.manage", pk=import_id)
    running = job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
    context = {"job": job, "running": running, "nav": "evidence"}
    if not running:
        problems = OutcomeProblem.objects.filter(outcome_import=job)
        context.update(problems=problems[:PROBLEMS_SHOWN], more_problems=max(0, job.rows_rejected - PROBLEMS_SHOWN))
    if request.htmx:
        return render(request, "evidence/_import_status.html", context)
    return render(request, "evidence/import_detail.html", context)
