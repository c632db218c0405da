from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from teten.accounts.access import get_for_staff
from teten.accounts.decorators import staff_view
from teten.audit.models import AccessKind
from teten.audit.services import access_record
from teten.core.businessdays import add_business_days
from teten.core.clock import today
from teten.core.forms import add_validation_error
from teten.payments import batches
from teten.payments.forms import BatchCreateForm
from teten.payments.models import BatchFile, BatchStatus, Payment, PaymentBatch, PaymentStatus

PURPOSE_BATCH = gettext_lazy("Payment: checking a payment batch")


@staff_view("payments.batch")
@require_http_methods(["GET", "POST"])
def batch_list(request):
    m = request.user.municipality
    form = BatchCreateForm(request.POST or None, initial={"payment_date": add_business_days(today(), 1)})
    if request.method == "POST" and form.is_valid():
        try:
            batch = batches.batch_create(
                actor=request.user, payment_date=form.cleaned_data["payment_date"], key=form.cleaned_data["key"]
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Batch %(number)s has been assembled.") % {"number": batch.pk})
            return redirect("payments:batch", batch_id=batch.pk)
    rows = []
    for batch in PaymentBatch.objects.for_municipality(m).select_related("created_by", "approved_by")[:100]:
        rows.append({"batch": batch, **batches.batch_totals(batch)})
    waiting = Payment.objects.for_municipality(m).filter(status=PaymentStatus.APPROVED).count()
    return render(
        request, "payments/batch_list.html", {"rows": rows, "form": form, "waiting": waiting, "nav": "batches"}
    )


@staff_view("payments.batch")
def batch_detail(request, batch_id: int):
    batch = get_for_staff(
        PaymentBatch.objects.select_related("created_by", "approved_by", "exported_by"),
        user=request.user,
        permission="payments.batch",
        pk=batch_id,
    )
    payments = list(
        Payment.objects.for_municipality(request.user.municipality)
        .filter(batch=batch)
        .select_related("citizen", "commitment__funding_source")
        .order_by("id")
    )
    if payments:
        access_record(
            actor=request.user,
            municipality=request.user.municipality,
            kind=AccessKind.LIST,
            purpose=PURPOSE_BATCH,
            citizens=[p.citizen_id for p in payments],
        )
    return render(
        request,
        "payments/batch_detail.html",
        {
            "batch": batch,
            "payments": payments,
            "totals": batches.batch_totals(batch),
            "files": BatchFile.objects.filter(batch=batch).defer("content").order_by("kind"),
            "may_approve": batch.status == BatchStatus.OPEN and batch.created_by_id != request.user.pk,
            "nav": "batches",
        },
    )


def _batch_action(request, batch_id: int, action, success: str):
    batch = get_for_staff(PaymentBatch, user=request.user, permission="payments.batch", pk=batch_id)
    try:
        action(actor=request.user, batch=batch)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, success)
    return redirect("payments:batch", batch_id=batch.pk)


@staff_view("payments.batch")
@require_POST
def batch_approve(request, batch_id: int):
    return _batch_action(request, batch_id, batches.batch_approve, _("The batch has been approved."))


@staff_view("payments.batch")
@require_POST
def batch_export(request, batch_id: int):
    return _batch_action(
        request, batch_id, batches.batch_export, _("The batch has been sent. Download the files below.")
    )


@staff_view("payments.batch")
@require_POST
def batch_remove(request, batch_id: int, payment_id: int):
    batch = get_for_staff(PaymentBatch, user=request.user, permission="payments.batch", pk=batch_id)
    payment = get_for_staff(Payment, user=request.user, permission="payments.batch", pk=payment_id, batch=batch)
    try:
        batches.batch_remove_payment(actor=request.user, batch=batch, payment=payment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(reference)s was taken out of the batch.") % {"reference": payment.reference})
    return redirect("payments:batch", batch_id=batch.pk)


@staff_view("payments.batch")
def batch_file(request, batch_id: int, kind: str):
    """Download an export exactly as it was produced. It holds CPR numbers: logged as an export."""
    batch = get_for_staff(PaymentBatch, user=request.user, permission="payments.batch", pk=batch_id)
    stored = BatchFile.objects.filter(batch=batch, kind=kind).first()
    if stored is None:
        raise Http404
    citizens = Payment.objects.for_municipality(batch.municipality).filter(batch=batch, payee="citizen")
    ids = list(citizens.values_list("citizen_id", flat=True))
    if ids:
        access_record(
            actor=request.user,
            municipality=batch.municipality,
            kind=AccessKind.EXPORT,
            purpose=batches.PURPOSE_EXPORT,
            citizens=ids,
        )
    response = HttpResponse(bytes(stored.content), content_type=stored.content_type)
    response["Content-Disposition"] = f'attachment; filename="{stored.filename}"'
    return response
