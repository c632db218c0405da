"""The consultant's page for one budget plan: review, assessments, decisions, payments,
receipts, changes, conversations, misuse, stop and close."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from teten.accounts.decorators import staff_view
from teten.budgets import changes, conversations, receipts, review
from teten.budgets.forms import (
    AnswerForm,
    AssessmentForm,
    CloseForm,
    ConversationLogForm,
    LineReviewForm,
    MisuseForm,
    ReceiptReviewForm,
    StopForm,
)
from teten.budgets.models import BudgetLine, ChangeRequest, GrantDecision, LineStatus, PlanStatus, Receipt
from teten.budgets.offers import budget_settings
from teten.budgets.plans import lines_totals
from teten.budgets.selectors import plan_get
from teten.core.clock import today
from teten.core.forms import add_validation_error
from teten.documents.uploads import stored_file_response
from teten.payments.models import Payment


def _plan_context(plan) -> dict:
    lines = list(plan.lines.exclude(status=LineStatus.CANCELLED).select_related("category", "commitment"))
    payments = list(
        Payment.objects.for_municipality(plan.municipality)
        .filter(commitment__budget_line__plan=plan)
        .select_related("commitment")
        .prefetch_related(Prefetch("receipts", queryset=Receipt.objects.select_related("file")), "misuses")
        .order_by("due_date", "id")
    )
    settings_row = budget_settings(plan.programme)
    # Every payment here draws on the plan's programme: its receipt deadline is read once.
    deadlines = {plan.programme_id: settings_row.receipt_deadline_days}
    for payment in payments:
        payment.receipt_due = receipts.receipt_due(payment, deadlines=deadlines)
    return {
        "plan": plan,
        "lines": lines,
        "totals": lines_totals(lines, settings_row),
        "versions": list(plan.versions.order_by("-number")),
        "assessments": list(plan.assessments.select_related("consultant").order_by("-version", "at")),
        "decisions": list(
            GrantDecision.objects.for_municipality(plan.municipality)
            .filter(plan=plan)
            .select_related("letter", "decided_by")
        ),
        "payments": payments,
        "change_requests": list(plan.change_requests.select_related("line")),
        "conversations": list(plan.conversations.select_related("consultant")),
        "close_blockers": (
            changes.close_blockers(plan, today(), payments=payments) if plan.status == PlanStatus.APPROVED else []
        ),
        "review_form": LineReviewForm(),
        "assessment_form": AssessmentForm(),
        "conversation_form": ConversationLogForm(initial={"held_on": today()}),
        "stop_form": StopForm(),
        "close_form": CloseForm(),
        "answer_form": AnswerForm(),
        "receipt_form": ReceiptReviewForm(),
        "nav": "budgets",
    }


@staff_view("budgets.view")
def plan_detail(request, plan_id: int):
    plan = plan_get(user=request.user, plan_id=plan_id)
    return render(request, "budgets/plan.html", _plan_context(plan))


def _act(request, plan_id: int, action, success: str):
    """Run a consultant's action on the plan; show its error on the plan page, else redirect."""
    plan = plan_get(user=request.user, plan_id=plan_id, permission="budgets.work", log=False)
    try:
        action(plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You may not do that."))
    else:
        messages.success(request, success)
    return redirect("budgets:plan", plan_id=plan.pk)


@staff_view("budgets.work")
@require_POST
def line_review(request, plan_id: int, line_id: int):
    plan = plan_get(user=request.user, plan_id=plan_id, permission="budgets.work", log=False)
    line = BudgetLine.objects.filter(plan=plan, pk=line_id).select_related("category").first()
    if line is None:
        raise Http404
    form = LineReviewForm(request.POST)
    error = None
    if form.is_valid():
        try:
            review.line_review(
                actor=request.user,
                line=line,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Choose approve, better argument or reject.")
    line.refresh_from_db()
    context = {"plan": plan, "line": line, "review_form": form if error else LineReviewForm(), "line_error": error}
    if request.htmx:
        return render(request, "budgets/_line_review.html", context)
    if error:
        messages.error(request, error)
    return redirect("budgets:plan", plan_id=plan.pk)


@staff_view("budgets.work")
@require_POST
def plan_return(request, plan_id: int):
    return _act(
        request,
        plan_id,
        lambda plan: review.plan_return(actor=request.user, plan=plan),
        _("The plan has been sent back to the citizen."),
    )


@staff_view("budgets.work")
@require_POST
def plan_approve(request, plan_id: int):
    return _act(
        request,
        plan_id,
        lambda plan: review.plan_approve(actor=request.user, plan=plan),
        _("The plan is approved and the decision letter has been sent to the citizen."),
    )


@staff_view("budgets.work")
@require_POST
def assessment(request, plan_id: int):
    form = AssessmentForm(request.POST)

    def record(plan):
        if not form.is_valid():
            raise ValidationError(_("Choose green, yellow or red."))
        review.assessment_record(
            actor=request.user, plan=plan, colour=form.cleaned_data["colour"], comment=form.cleaned_data["comment"]
        )

    return _act(request, plan_id, record, _("Your assessment has been recorded."))


@staff_view("budgets.work")
@require_POST
def conversation(request, plan_id: int):
    form = ConversationLogForm(request.POST)

    def log(plan):
        if not form.is_valid():
            raise ValidationError(_("Fill in date, form and note."))
        conversations.conversation_log(actor=request.user, plan=plan, **form.cleaned_data)

    return _act(request, plan_id, log, _("The conversation has been noted."))


@staff_view("budgets.work")
@require_POST
def change_answer(request, plan_id: int, request_id: int):
    form = AnswerForm(request.POST)
    approve = request.POST.get("approve") == "1"

    def answer(plan):
        change = ChangeRequest.objects.filter(plan=plan, pk=request_id).first()
        if change is None or not form.is_valid():
            raise ValidationError(_("The request could not be found."))
        changes.change_request_answer(
            actor=request.user, request=change, approve=approve, answer=form.cleaned_data["answer"]
        )

    return _act(request, plan_id, answer, _("The request has been answered and the citizen told."))


@staff_view("budgets.receipts")
@require_POST
def receipt_check(request, plan_id: int, receipt_id: int):
    form = ReceiptReviewForm(request.POST)

    def check(plan):
        receipt = Receipt.objects.filter(payment__commitment__budget_line__plan=plan, pk=receipt_id).first()
        if receipt is None or not form.is_valid():
            raise ValidationError(_("Choose whether the receipt is accepted."))
        receipts.receipt_review(actor=request.user, receipt=receipt, **form.cleaned_data)

    plan = plan_get(user=request.user, plan_id=plan_id, permission="budgets.receipts", log=False)
    try:
        check(plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The receipt has been checked."))
    return redirect("budgets:plan", plan_id=plan.pk)


@staff_view("budgets.receipts")
def receipt_file(request, plan_id: int, receipt_id: int):
    plan = plan_get(user=request.user, plan_id=plan_id, permission="budgets.receipts")
    receipt = (
        Receipt.objects.filter(payment__commitment__budget_line__plan=plan, pk=receipt_id)
        .select_related("file")
        .first()
    )
    if receipt is None:
        raise Http404
    return stored_file_response(receipt.file)


@staff_view("budgets.work")
@require_http_methods(["GET", "POST"])
def misuse(request, plan_id: int, payment_id: int):
    plan = plan_get(user=request.user, plan_id=plan_id, permission="budgets.work")
    payment = (
        Payment.objects.for_municipality(plan.municipality)
        .filter(commitment__budget_line__plan=plan, pk=payment_id)
        .first()
    )
    if payment is None:
        raise Http404
    form = MisuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            changes.misuse_record(actor=request.user, payment=payment, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The misuse has been recorded and a recovery claim raised."))
            return redirect("budgets:plan", plan_id=plan.pk)
    return render(request, "budgets/misuse.html", {"plan": plan, "payment": payment, "form": form, "nav": "budgets"})


@staff_view("budgets.work")
@require_POST
def stop(request, plan_id: int):
    form = StopForm(request.POST)

    def do_stop(plan):
        if not form.is_valid():
            raise ValidationError(_("Give the reason for stopping."))
        changes.plan_stop(actor=request.user, plan=plan, reason=form.cleaned_data["reason"])

    return _act(
        request, plan_id, do_stop, _("The collaboration has been stopped and the citizen has been sent a letter.")
    )


@staff_view("budgets.work")
@require_POST
def close(request, plan_id: int):
    form = CloseForm(request.POST)

    def do_close(plan):
        if not form.is_valid():
            raise ValidationError(_("Choose where the citizen is now."))
        changes.plan_close(actor=request.user, plan=plan, final_status=form.cleaned_data["final_status"])

    return _act(request, plan_id, do_close, _("The case has been closed."))
