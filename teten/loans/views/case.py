"""The micro-loan case page and its actions: one page that shows the case's stage and offers the
next step to whoever may take it."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from teten.accounts.access import get_for_staff
from teten.accounts.decorators import staff_view
from teten.accounts.rules import can
from teten.citizens.selectors import citizen_get_for_action, citizen_log_view
from teten.core.clock import today
from teten.core.forms import add_validation_error
from teten.loans import cases, decisions, followup, repayment
from teten.loans.balances import current_instalments, days_past_due, outstanding, overdue_instalments
from teten.loans.forms import (
    DateForm,
    DecisionForm,
    ExtensionForm,
    FollowUpForm,
    InterviewForm,
    ModuleForm,
    OutcomeForm,
    PlanForm,
    ReasonForm,
    RecommendationForm,
    ReferralForm,
    RepaymentForm,
    RescheduleForm,
    SelectionForm,
)
from teten.loans.models import CourseModule, Loan, LoanCase, ModuleProgress
from teten.loans.views.portal import UPCOMING
from teten.payments.models import Payment

PURPOSE = gettext_lazy("Casework: the citizen's micro-loan")

# action → (form, permission, what it does)
ACTIONS = {
    "info_meeting": (DateForm, "loans.work", lambda u, c, d, f: cases.info_meeting_record(actor=u, case=c, on=d["on"])),
    "interview": (InterviewForm, "loans.work", lambda u, c, d, f: cases.interview_record(actor=u, case=c, **d)),
    "selection": (SelectionForm, "loans.work", lambda u, c, d, f: cases.selection_decide(actor=u, case=c, **d)),
    "plan": (
        PlanForm,
        "loans.work",
        lambda u, c, d, f: cases.business_plan_submit(
            actor=u,
            case=c,
            business_name=d["business_name"],
            idea=d["idea"],
            expected_revenue=d["expected_revenue"],
            expected_costs=d["expected_costs"] or 0,
            expected_customers=d["expected_customers"],
            uploaded_file=f.get("file"),
        ),
    ),
    "recommend": (RecommendationForm, "loans.recommend", lambda u, c, d, f: cases.recommend(actor=u, case=c, **d)),
    "decide": (DecisionForm, "loans.decide", lambda u, c, d, f: decisions.loan_decide(actor=u, case=c, **d)),
    "payout": (
        DateForm,
        "payments.create",
        lambda u, c, d, f: decisions.payout_create(actor=u, loan=c.loan, due=d["on"], key=f"loans.payout:{c.loan.pk}"),
    ),
    "extend": (
        ExtensionForm,
        "loans.decide",
        lambda u, c, d, f: decisions.establishment_extend(actor=u, loan=c.loan, **d),
    ),
    "reschedule": (RescheduleForm, "loans.decide", lambda u, c, d, f: decisions.reschedule(actor=u, loan=c.loan, **d)),
    "remit": (ReasonForm, "loans.decide", lambda u, c, d, f: decisions.remit(actor=u, loan=c.loan, **d)),
    "write_off": (ReasonForm, "loans.decide", lambda u, c, d, f: decisions.write_off(actor=u, loan=c.loan, **d)),
    "repayment": (
        RepaymentForm,
        "loans.repayments",
        lambda u, c, d, f: repayment.repayment_register(
            actor=u, loan=c.loan, amount=d["amount"], received_on=d["received_on"], key=d["key"]
        ),
    ),
    "follow_up": (FollowUpForm, "loans.work", lambda u, c, d, f: followup.follow_up_record(actor=u, case=c, **d)),
    "outcome": (OutcomeForm, "loans.work", lambda u, c, d, f: followup.outcome_record(actor=u, case=c, **d)),
    "drop_out": (ReasonForm, "loans.work", lambda u, c, d, f: cases.drop_out(actor=u, case=c, **d)),
}


def _case(request, case_id: int, permission="loans.view") -> LoanCase:
    return get_for_staff(
        LoanCase.objects.select_related("citizen", "programme", "coach", "referred_by"),
        user=request.user,
        permission=permission,
        pk=case_id,
    )


def _context(request, case: LoanCase, forms: dict | None = None) -> dict:
    loan = Loan.objects.for_municipality(case.municipality).filter(case=case).first()
    on = today()
    instalments = list(current_instalments(loan)) if loan else []
    forms = forms or {}
    return {
        "case": case,
        "loan": loan,
        "modules": ModuleProgress.objects.filter(case=case).select_related("module"),
        "instalments": instalments,
        "upcoming": [i for i in instalments if i.paid < i.amount][:UPCOMING],
        "overdue": overdue_instalments(loan, on) if loan and loan.paid_out_on else [],
        "support": Payment.objects.for_municipality(case.municipality)
        .filter(commitment_id=loan.support_commitment_id)
        .order_by("due_date")
        if loan and loan.support_commitment_id
        else [],
        "owed": outstanding(loan) if loan else None,
        "days_past_due": days_past_due(loan, on) if loan else 0,
        "payout": Payment.objects.for_municipality(case.municipality).filter(pk=loan.payout_id).first()
        if loan
        else None,
        "repayments": loan.repayments.all() if loan else [],
        "follow_ups": case.follow_ups.all(),
        "outcomes": case.outcomes.all(),
        "forms": {
            name: forms.get(name) or form_class(initial=_initial(name, case))
            for name, (form_class, _p, _a) in ACTIONS.items()
        },
        "module_form": ModuleForm(),
        "record_modules": case.stage in cases.COURSE_STAGES and can(request.user, "loans.work", case),
        "nav": "loans",
    }


def _initial(name: str, case: LoanCase) -> dict:
    if name in ("info_meeting", "payout"):
        return {"on": today()}
    if name == "interview":
        return {"on": today()}
    if name == "repayment":
        return {"key": uuid.uuid4().hex, "received_on": today()}
    if name == "follow_up":
        return {"month": today().replace(day=1)}
    if name == "recommend":
        return {"support_months": 6}
    return {}


@staff_view("loans.view")
def case_detail(request, case_id: int):
    case = _case(request, case_id)
    citizen_log_view(user=request.user, citizen=case.citizen, purpose=PURPOSE)
    return render(request, "loans/case.html", _context(request, case))


@staff_view("loans.view")
@require_POST
def case_action(request, case_id: int, action: str):
    if action not in ACTIONS:
        raise Http404
    form_class, permission, run = ACTIONS[action]
    case = _case(request, case_id, permission)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            run(request.user, case, form.cleaned_data, request.FILES)
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, ValidationError):
                add_validation_error(form, exc)
            else:
                form.add_error(None, str(exc) or _("You may not do that."))
        else:
            messages.success(request, _("Saved."))
            return redirect("loans:case", case_id=case.pk)
    case.refresh_from_db()
    citizen_log_view(user=request.user, citizen=case.citizen, purpose=PURPOSE)
    # A refusal that is not about one field (the stage moved on, four eyes) is said at the top,
    # since the form it came from may no longer be on the page.
    refusal = " ".join(form.non_field_errors())
    messages.error(request, refusal or _("Something needs fixing: see the form marked below."))
    return render(request, "loans/case.html", {**_context(request, case, {action: form}), "open_action": action})


@staff_view("loans.work")
@require_POST
def module_record(request, case_id: int, module_id: int):
    case = _case(request, case_id, "loans.work")
    module = get_for_staff(CourseModule, user=request.user, permission="loans.work", pk=module_id)
    form = ModuleForm(request.POST)
    if form.is_valid():
        try:
            cases.module_record(actor=request.user, case=case, module=module, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Fill in the sessions attended."))
    return redirect("loans:case", case_id=case.pk)


@staff_view("loans.refer")
@require_http_methods(["GET", "POST"])
def refer(request, citizen_id: int):
    citizen = citizen_get_for_action(user=request.user, citizen_id=citizen_id, permission="loans.refer")
    form = ReferralForm(request.POST or None, municipality=request.user.municipality)
    if request.method == "POST" and form.is_valid():
        try:
            case = cases.referral_create(actor=request.user, citizen=citizen, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request, _("%(name)s has been referred to the micro-loan programme.") % {"name": citizen.full_name}
            )
            return redirect("loans:case", case_id=case.pk)
    citizen_log_view(user=request.user, citizen=citizen, purpose=PURPOSE)
    return render(request, "loans/refer.html", {"citizen": citizen, "form": form, "nav": "loans"})
