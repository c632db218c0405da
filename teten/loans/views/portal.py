"""The citizen's micro-loan in the portal: where they are, the next step, the agreement, the
schedule, what they have paid and what they owe."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from teten.core.clock import today
from teten.loans import decisions
from teten.loans.balances import current_instalments, outstanding, overdue_instalments
from teten.loans.cases import FUNNEL, S
from teten.loans.models import Loan, LoanCase
from teten.loans.selectors import furthest
from teten.portal.session import citizen_required

NEXT_STEP = {  # what the citizen does next, per stage
    S.REFERRED: gettext_lazy("You are invited to an information meeting about the programme."),
    S.INFO_MEETING: gettext_lazy("Next is an interview about your idea and how you will run a business."),
    S.INTERVIEWED: gettext_lazy("You will hear whether you are selected for the course programme."),
    S.SELECTED: gettext_lazy(
        "Take part in the courses: accounting, marketing, VAT, tax, insurance and the entrepreneur course."
    ),
    S.COURSES_DONE: gettext_lazy("Write your business plan with your coach."),
    S.PLAN: gettext_lazy("Your coach assesses the plan and recommends a loan."),
    S.RECOMMENDED: gettext_lazy(
        "The municipality decides on the loan. We aim to pay it out within a month of your courses."
    ),
    S.APPROVED: gettext_lazy("Read the loan agreement and accept it below. Then the loan is paid out."),
    S.AGREEMENT: gettext_lazy("The loan is being paid out to your NemKonto."),
    S.DISBURSED: gettext_lazy("Start your business. You pay nothing until the first instalment in the schedule."),
    S.REPAYING: gettext_lazy("Pay the instalments in the schedule."),
}


UPCOMING = 6  # instalments shown before "the whole schedule"


def citizen_case(citizen) -> LoanCase | None:
    return (
        LoanCase.objects.filter(municipality_id=citizen.municipality_id, citizen=citizen)
        .select_related("programme")
        .order_by("-id")
        .first()
    )


@citizen_required
def loan_page(request):
    case = citizen_case(request.citizen)
    if case is None:
        raise Http404
    loan = Loan.objects.filter(municipality_id=case.municipality_id, case=case).first()
    instalments = list(current_instalments(loan)) if loan else []
    reached = _reached(case)
    steps = [(stage, S(stage).label, FUNNEL.index(stage) <= FUNNEL.index(reached)) for stage in FUNNEL]
    overdue = overdue_instalments(loan, today()) if loan and loan.paid_out_on else []
    return render(
        request,
        "loans/portal.html",
        {
            "case": case,
            "loan": loan,
            "instalments": instalments,
            "steps": steps,
            "current_step": reached if case.stage in NEXT_STEP else None,
            "next_step": NEXT_STEP.get(case.stage, ""),
            "next_instalment": next((i for i in instalments if i.paid < i.amount), None),
            # The citizen sees what is coming; the whole schedule is one click away.
            "upcoming": [i for i in instalments if i.paid < i.amount][:UPCOMING],
            "overdue": overdue,
            "paid": sum(i.paid for i in instalments),
            "owed": outstanding(loan) if loan else None,
            "nav": "loan",
        },
    )


def _reached(case: LoanCase) -> str:
    stage = furthest(case)
    return stage if stage in FUNNEL else S.REFERRED


@citizen_required
@require_POST
def accept_agreement(request):
    case = citizen_case(request.citizen)
    loan = Loan.objects.filter(municipality_id=request.citizen.municipality_id, case=case).first() if case else None
    if loan is None:
        raise Http404
    if request.POST.get("accept") != "on":
        messages.error(request, _("Tick the box to accept the agreement."))
        return redirect("portal:loan")
    try:
        decisions.agreement_accept(citizen=request.citizen, loan=loan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you. The loan will now be paid out to your NemKonto."))
    return redirect("portal:loan")
