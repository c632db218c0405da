"""The citizen's side of the personal budget: the offer, the budget tool, payments, receipts and
change requests. Pages only: every rule is in teten.budgets."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from teten.budgets import changes, offers, plans, receipts
from teten.budgets.forms import AcceptForm, ChangeRequestForm, DeclineForm, LineForm, ProfileForm, ReceiptUploadForm
from teten.budgets.models import BudgetLine, BudgetPlan, GrantDecision, LineStatus, Offer, OfferStatus, PlanStatus
from teten.core.clock import today
from teten.core.forms import add_validation_error
from teten.payments.models import Payee, Payment
from teten.portal.session import citizen_required
from teten.programmes.models import ExpenseCategory


def current_plan(citizen) -> BudgetPlan | None:
    return (
        BudgetPlan.objects.filter(municipality_id=citizen.municipality_id, citizen=citizen)
        .select_related("programme")
        .order_by("-id")
        .first()
    )


def open_offer(citizen) -> Offer | None:
    return (
        Offer.objects.filter(municipality_id=citizen.municipality_id, citizen=citizen, status=OfferStatus.OFFERED)
        .select_related("programme")
        .first()
    )


def _plan_or_404(citizen) -> BudgetPlan:
    plan = current_plan(citizen)
    if plan is None:
        raise Http404
    return plan


@citizen_required
@require_http_methods(["GET", "POST"])
def offer(request, offer_id: int):
    item = Offer.objects.filter(
        municipality_id=request.citizen.municipality_id, citizen=request.citizen, pk=offer_id
    ).first()
    if item is None:
        raise Http404
    accept_form = AcceptForm(request.POST if request.POST.get("answer") == "yes" else None)
    decline_form = DeclineForm(request.POST if request.POST.get("answer") == "no" else None)
    if request.method == "POST":
        try:
            if request.POST.get("answer") == "yes" and accept_form.is_valid():
                offers.offer_accept(citizen=request.citizen, offer=item, declaration_accepted=True)
                messages.success(request, _("Welcome! You can start on your budget now."))
                return redirect("portal:budget")
            if request.POST.get("answer") == "no" and decline_form.is_valid():
                offers.offer_decline(
                    citizen=request.citizen,
                    offer=item,
                    reason=decline_form.cleaned_data["reason"],
                    note=decline_form.cleaned_data["note"],
                )
                messages.success(request, _("Thank you for your answer. Nothing else changes for you."))
                return redirect("portal:home")
        except ValidationError as exc:
            add_validation_error(accept_form, exc)
    return render(
        request,
        "portal/budget/offer.html",
        {
            "offer": item,
            "terms": offers.offer_terms(item),
            "declaration": offers.DECLARATION,
            "accept_form": accept_form,
            "decline_form": decline_form,
            "nav": "budget",
        },
    )


def _tool_context(plan: BudgetPlan, form: LineForm | None = None, editing: BudgetLine | None = None) -> dict:
    lines = list(
        plan.lines.exclude(status=LineStatus.CANCELLED).select_related("category").order_by("planned_month", "id")
    )
    payments = list(
        Payment.objects.filter(municipality_id=plan.municipality_id, commitment__budget_line__plan=plan)
        .select_related("commitment")
        .prefetch_related("receipts")
        .order_by("due_date", "id")
    )
    for payment in payments:
        payment.receipt_due = receipts.receipt_due(payment)
        payment.needs_receipt = payment.payee == Payee.CITIZEN and payment.status in receipts.PAID_OUT
        payment.paid_out = _paid_out(payment)
    return {
        "plan": plan,
        "lines": lines,
        "totals": plans.plan_totals(plan),
        "editable": plan.status in plans.EDITABLE_PLAN,
        "form": form or _line_form(plan),
        "editing": editing,
        "profile_form": ProfileForm(
            initial={"job_wish": plan.job_wish, "education": plan.education, "meeting_wish": plan.meeting_wish}
        ),
        "payments": payments,
        "decisions": list(
            GrantDecision.objects.filter(municipality_id=plan.municipality_id, plan=plan).select_related("letter")
        ),
        "change_requests": list(plan.change_requests.select_related("line")),
        "nav": "budget",
    }


def _paid_out(payment: Payment) -> bool:
    """Whether the money has reached the citizen: a batch sent today pays on its payment date,
    usually the next business day, and until then the citizen is told when it will be paid."""
    return payment.sent_on is not None and payment.sent_on <= today()


def _line_form(plan: BudgetPlan, data=None, initial=None) -> LineForm:
    categories = ExpenseCategory.objects.filter(municipality_id=plan.municipality_id, is_active=True).order_by("name")
    return LineForm(data, initial=initial, categories=categories, months=plans.window_months(plan))


@citizen_required
def budget(request):
    """The budget tool: the lines, the running total against the cap, and the form for a new line."""
    plan = current_plan(request.citizen)
    if plan is None:
        pending = open_offer(request.citizen)
        return redirect("portal:offer", offer_id=pending.pk) if pending else redirect("portal:home")
    return render(request, "portal/budget/tool.html", _tool_context(plan))


@citizen_required
@require_http_methods(["GET", "POST"])
def line_edit(request, line_id: int | None = None):
    plan = _plan_or_404(request.citizen)
    if plan.status not in plans.EDITABLE_PLAN:
        messages.error(request, _("The budget cannot be changed now: it is with your job consultant."))
        return redirect("portal:budget")
    line = None
    if line_id is not None:
        line = plan.lines.filter(pk=line_id).select_related("category").first()
        if line is None:
            raise Http404
    form = _line_form(plan, request.POST or None, initial=LineForm.initial_for(line) if line else None)
    if request.method == "POST" and form.is_valid():
        try:
            plans.line_save(citizen=request.citizen, plan=plan, line=line, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The line has been saved. Your budget is kept as a draft until you send it."))
            return redirect("portal:budget")
    template = "portal/budget/line.html" if line else "portal/budget/tool.html"
    return render(request, template, _tool_context(plan, form=form, editing=line))


@citizen_required
@require_POST
def live_total(request):
    """The running total as the citizen types (htmx): the saved lines plus the amount being typed.

    Only the amount is read from the form (cleaned as the line form cleans it), so the form's
    categories and months are not needed. A `line_id` that is not one of the plan's lines (junk,
    another plan's) changes nothing: the amount is counted as a new line."""
    plan = _plan_or_404(request.citizen)
    try:
        typed = LineForm.base_fields["amount"].clean(request.POST.get("amount", ""))
    except ValidationError:
        typed = None
    totals = plans.plan_totals(plan, replacing_id=_line_id(request.POST.get("line_id")), typed_amount=typed)
    return render(request, "portal/budget/_total.html", {"totals": totals, "typing": typed is not None})


def _line_id(value: str | None) -> int | None:
    """The id posted for the line being changed, if it could be a line's id at all."""
    try:
        line_id = int(value or "")
    except ValueError:
        return None
    return line_id if 0 < line_id < 2**63 else None


@citizen_required
@require_POST
def line_remove(request, line_id: int):
    plan = _plan_or_404(request.citizen)
    line = plan.lines.filter(pk=line_id).first()
    if line is None:
        raise Http404
    try:
        plans.line_remove(citizen=request.citizen, plan=plan, line=line)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The line has been removed."))
    return redirect("portal:budget")


@citizen_required
@require_POST
def submit(request):
    plan = _plan_or_404(request.citizen)
    try:
        plans.plan_submit(citizen=request.citizen, plan=plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your budget has been sent to your job consultant. You will hear from them."))
    return redirect("portal:budget")


@citizen_required
@require_POST
def profile(request):
    plan = _plan_or_404(request.citizen)
    form = ProfileForm(request.POST)
    if form.is_valid():
        plans.plan_profile_save(citizen=request.citizen, plan=plan, **form.cleaned_data)
        messages.success(request, _("Saved."))
    return redirect("portal:budget")


@citizen_required
@require_http_methods(["GET", "POST"])
def change_request(request):
    plan = _plan_or_404(request.citizen)
    if plan.status != PlanStatus.APPROVED:
        raise Http404
    lines = plan.lines.filter(status=LineStatus.APPROVED)
    form = ChangeRequestForm(request.POST or None, lines=lines)
    if request.method == "POST" and form.is_valid():
        try:
            changes.change_request_create(citizen=request.citizen, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Your request has been sent to your job consultant."))
            return redirect("portal:budget")
    return render(request, "portal/budget/change.html", {"plan": plan, "form": form, "nav": "budget"})


@citizen_required
@require_http_methods(["GET", "POST"])
def receipt(request, payment_id: int):
    plan = _plan_or_404(request.citizen)
    payment = Payment.objects.filter(
        municipality_id=plan.municipality_id, commitment__budget_line__plan=plan, payee=Payee.CITIZEN, pk=payment_id
    ).first()
    if payment is None:
        raise Http404
    form = ReceiptUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            receipts.receipt_upload(citizen=request.citizen, payment=payment, uploaded_file=form.cleaned_data["file"])
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Thank you! Your receipt has been handed in. Remember to keep the original."))
            return redirect("portal:budget")
    return render(
        request,
        "portal/budget/receipt.html",
        {
            "payment": payment,
            "due": receipts.receipt_due(payment),
            "paid_out": _paid_out(payment),
            "form": form,
            "handed_in": list(payment.receipts.all()),
            "nav": "budget",
        },
    )
