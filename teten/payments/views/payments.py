"""A decision's payments, and the list of payments by state."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from teten.accounts.access import get_for_staff
from teten.accounts.decorators import staff_view
from teten.audit.models import AccessKind
from teten.audit.services import access_record
from teten.core.clock import today
from teten.core.forms import add_validation_error
from teten.payments import services
from teten.payments.commitments import commitment_amount, commitment_used
from teten.payments.forms import PaymentForm, ReissueForm
from teten.payments.models import Commitment, Payee, Payment, PaymentStatus

PURPOSE_PAYMENTS = gettext_lazy("Payment: the municipality's payments")
PURPOSE_COMMITMENT = gettext_lazy("Payment: a decision's payments")


def _log(user, kind, purpose, citizens):
    access_record(actor=user, municipality=user.municipality, kind=kind, purpose=purpose, citizens=citizens)


def _create_payments(request, commitment, data):
    common = {"actor": request.user, "commitment": commitment, "business_date": today(), "key": data["key"]}
    if data["payee"] == Payee.CITIZEN:
        return services.payment_plan_create(
            total=data["amount"], first_due=data["due_date"], description=data["description"], **common
        )
    return [
        services.payment_create(
            amount=data["amount"],
            payee=Payee.SUPPLIER,
            due_date=data["due_date"],
            description=data["description"],
            supplier_name=data["supplier_name"],
            supplier_cvr=data["supplier_cvr"],
            invoice_number=data["invoice_number"],
            ean=data["ean"] or None,
            **common,
        )
    ]


@staff_view("payments.view")
@require_http_methods(["GET", "POST"])
def commitment_detail(request, commitment_id: int):
    commitment = get_for_staff(
        Commitment.objects.select_related("citizen", "funding_source", "programme"),
        user=request.user,
        permission="payments.view",
        pk=commitment_id,
    )
    form = PaymentForm(request.POST or None, initial={"due_date": today(), "description": commitment.description[:150]})
    if request.method == "POST":
        get_for_staff(Commitment, user=request.user, permission="payments.create", pk=commitment_id)
        if form.is_valid():
            try:
                created = _create_payments(request, commitment, form.cleaned_data)
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.success(request, _("%(count)s payment(s) created.") % {"count": len(created)})
                return redirect("payments:commitment", commitment_id=commitment.pk)
    _log(request.user, AccessKind.VIEW, PURPOSE_COMMITMENT, [commitment.citizen])
    payments = (
        Payment.objects.for_municipality(request.user.municipality)
        .filter(commitment=commitment)
        .order_by("due_date", "id")
    )
    amount = commitment_amount(commitment)
    return render(
        request,
        "payments/commitment.html",
        {
            "commitment": commitment,
            "amount": amount,
            "left": amount - commitment_used(commitment),
            "payments": payments,
            "form": form,
            "nav": "money",
        },
    )


STATUS_FILTERS = [
    PaymentStatus.APPROVED,
    PaymentStatus.SCHEDULED,
    PaymentStatus.IN_BATCH,
    PaymentStatus.SENT,
    PaymentStatus.FAILED,
    PaymentStatus.PAID,
]


@staff_view("payments.view")
def payment_list(request):
    status = request.GET.get("status", PaymentStatus.APPROVED)
    if status not in STATUS_FILTERS:
        status = PaymentStatus.APPROVED
    payments = (
        Payment.objects.for_municipality(request.user.municipality)
        .filter(status=status)
        .select_related("citizen", "commitment", "reissued_as")
        .order_by("due_date", "id")
    )
    page = Paginator(payments, 50).get_page(request.GET.get("side", 1))
    shown = list(page.object_list)
    if shown:
        _log(request.user, AccessKind.LIST, PURPOSE_PAYMENTS, [p.citizen_id for p in shown])
    return render(
        request,
        "payments/payment_list.html",
        {
            "page": page,
            "status": status,
            "filters": [(s, PaymentStatus(s).label) for s in STATUS_FILTERS],
            "nav": "money",
        },
    )


@staff_view("payments.create")
@require_http_methods(["GET", "POST"])
def payment_reissue(request, payment_id: int):
    payment = get_for_staff(
        Payment.objects.select_related("citizen"), user=request.user, permission="payments.create", pk=payment_id
    )
    form = ReissueForm(request.POST or None, initial={"due_date": today()})
    if request.method == "POST" and form.is_valid():
        try:
            again = services.payment_reissue(
                actor=request.user,
                payment=payment,
                due_date=form.cleaned_data["due_date"],
                business_date=today(),
                key=form.cleaned_data["key"],
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request, _("The payment will be paid again as %(reference)s.") % {"reference": again.reference}
            )
            return redirect("payments:commitment", commitment_id=payment.commitment_id)
    _log(request.user, AccessKind.VIEW, PURPOSE_PAYMENTS, [payment.citizen])
    return render(request, "payments/reissue.html", {"payment": payment, "form": form, "nav": "money"})


@staff_view("payments.create")
@require_POST
def payment_cancel(request, payment_id: int):
    payment = get_for_staff(Payment, user=request.user, permission="payments.create", pk=payment_id)
    reason = request.POST.get("reason", "").strip()[:300] or _("Cancelled by the caseworker")
    try:
        services.payment_cancel(actor=request.user, payment=payment, reason=reason, business_date=today())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The payment has been cancelled."))
    return redirect("payments:commitment", commitment_id=payment.commitment_id)
