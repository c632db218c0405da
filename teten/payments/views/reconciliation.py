from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from teten.accounts.access import get_for_staff
from teten.accounts.decorators import staff_view
from teten.core.clock import today
from teten.core.forms import add_validation_error
from teten.payments.forms import ReconciliationForm
from teten.payments.models import LineOutcome, ReconciliationImport
from teten.payments.reconciliation import reconciliation_import


@staff_view("payments.reconcile")
@require_http_methods(["GET", "POST"])
def reconciliation_upload(request):
    form = ReconciliationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = reconciliation_import(
                actor=request.user, content=upload.read(), filename=upload.name, business_date=today()
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The file has been read."))
            if request.htmx:
                return HttpResponseClientRedirect(reverse("payments:reconciliation", args=[result.pk]))
            return redirect("payments:reconciliation", reconciliation_id=result.pk)
    recent = ReconciliationImport.objects.for_municipality(request.user.municipality).select_related("uploaded_by")[:20]
    return render(request, "payments/reconciliation_upload.html", {"form": form, "recent": recent, "nav": "reconcile"})


@staff_view("payments.reconcile")
def reconciliation_detail(request, reconciliation_id: int):
    result = get_for_staff(
        ReconciliationImport, user=request.user, permission="payments.reconcile", pk=reconciliation_id
    )
    lines = list(result.lines.select_related("payment"))
    settled = [line for line in lines if line.outcome in (LineOutcome.PAID, LineOutcome.FAILED)]
    problems = [line for line in lines if line not in settled]
    return render(
        request,
        "payments/reconciliation_detail.html",
        {"result": result, "settled": settled, "problems": problems, "nav": "reconcile"},
    )
