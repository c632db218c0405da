"""From referral to recommendation: recruitment, courses, the business plan and the coach's
assessment. Every move is a stage transition checked against the table below and recorded; a
citizen can drop out at any stage, with the reason, so the funnel (60 → 19 → 13 → 10 in
Mikrolån 2.0, seed 001) can be reported."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teten.accounts.access import require
from teten.audit.services import decision_record
from teten.core.clock import today
from teten.core.money import format_kroner
from teten.documents.uploads import upload_store
from teten.loans.configuration import loan_settings
from teten.loans.models import CourseModule, LoanCase, ModuleProgress, Stage
from teten.programmes.eligibility import citizen_facts, unmet
from teten.programmes.models import EligibilityRule

S = Stage
TRANSITIONS: dict[str, set[str]] = {
    S.REFERRED: {S.INFO_MEETING, S.DROPPED_OUT},
    S.INFO_MEETING: {S.INTERVIEWED, S.DROPPED_OUT},
    S.INTERVIEWED: {S.SELECTED, S.NOT_SELECTED, S.DROPPED_OUT},
    S.SELECTED: {S.COURSES_DONE, S.DROPPED_OUT},
    S.COURSES_DONE: {S.PLAN, S.DROPPED_OUT},
    S.PLAN: {S.RECOMMENDED, S.DROPPED_OUT},
    S.RECOMMENDED: {S.APPROVED, S.REJECTED, S.DROPPED_OUT},
    S.APPROVED: {S.AGREEMENT, S.DROPPED_OUT},
    S.AGREEMENT: {S.DISBURSED, S.DROPPED_OUT},
    S.DISBURSED: {S.REPAYING, S.REMITTED, S.WRITTEN_OFF, S.DROPPED_OUT},
    S.REPAYING: {S.REPAID, S.REMITTED, S.WRITTEN_OFF},
    S.NOT_SELECTED: set(),
    S.REJECTED: set(),
    S.REPAID: set(),
    S.REMITTED: set(),
    S.WRITTEN_OFF: set(),
    S.DROPPED_OUT: set(),
}
# The furthest stage matters for the funnel; a loan that is paid out continues as repayment.
FUNNEL = [
    S.REFERRED,
    S.INFO_MEETING,
    S.INTERVIEWED,
    S.SELECTED,
    S.COURSES_DONE,
    S.PLAN,
    S.RECOMMENDED,
    S.APPROVED,
    S.AGREEMENT,
    S.DISBURSED,
]


class IllegalStage(ValidationError):
    pass


def advance(case: LoanCase, to: str, *, actor, note: str = "", **fields) -> LoanCase:
    """Move the case to `to` if, and only if, it is still where we read it; record the move."""
    if to not in TRANSITIONS[case.stage]:
        raise IllegalStage(
            _('A case that is "%(from)s" cannot become "%(to)s".') % {"from": S(case.stage).label, "to": S(to).label}
        )
    before = case.stage
    # update() leaves auto_now alone: the case list shows the most recently changed first.
    updated = LoanCase.objects.filter(municipality_id=case.municipality_id, pk=case.pk, stage=before).update(
        stage=to, updated_at=timezone.now(), **fields
    )
    if updated != 1:
        raise IllegalStage(_("The case was changed by someone else just now. Reload the page."))
    case.refresh_from_db()
    decision_record(
        actor=actor,
        municipality=case.municipality,
        kind=f"loan_case.{to}",
        obj=case,
        citizen=case.citizen,
        before={"stage": before},
        after={"stage": to},
        note=note,
    )
    return case


@transaction.atomic
def referral_create(*, actor, programme, citizen, reason: str, cohort=None) -> LoanCase:
    """A caseworker refers a citizen, saying why; the programme's target group must fit."""
    require(actor, "loans.refer", citizen)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the citizen is referred.")})
    rules = list(EligibilityRule.objects.for_municipality(programme.municipality).filter(programme=programme))
    reasons = unmet(rules, citizen_facts(citizen, citizen.benefit_periods.all(), today()))
    if reasons:
        raise ValidationError(
            _("The citizen is outside the target group: %(reasons)s.") % {"reasons": "; ".join(reasons)}
        )
    open_case = (
        LoanCase.objects.for_municipality(programme.municipality)
        .filter(programme=programme, citizen=citizen)
        .exclude(stage__in=[S.NOT_SELECTED, S.REJECTED, S.DROPPED_OUT, S.REPAID, S.REMITTED, S.WRITTEN_OFF])
    )
    if open_case.exists():
        raise ValidationError(_("The citizen already has an open case in this programme."))
    case = LoanCase.objects.create(
        municipality=programme.municipality,
        programme=programme,
        citizen=citizen,
        cohort=cohort,
        referred_by=actor,
        referral_reason=reason.strip(),
        referred_on=today(),
    )
    decision_record(
        actor=actor,
        municipality=case.municipality,
        kind="loan_case.referred",
        obj=case,
        citizen=citizen,
        after={"stage": S.REFERRED},
    )
    return case


@transaction.atomic
def info_meeting_record(*, actor, case: LoanCase, on: datetime.date) -> LoanCase:
    require(actor, "loans.work", case)
    return advance(case, S.INFO_MEETING, actor=actor, info_meeting_on=on)


@transaction.atomic
def interview_record(
    *, actor, case: LoanCase, on: datetime.date, idea: int, professional: int, personal: int, notes: str, profile: str
) -> LoanCase:
    """The interview, scored 1-5 on the business idea, the professional and the personal
    prerequisites including motivation (the three selection criteria of seed 001)."""
    require(actor, "loans.work", case)
    scores = {"idea": idea, "professional": professional, "personal": personal}
    bad = {k: [_("Give a score from 1 to 5.")] for k, v in scores.items() if not isinstance(v, int) or not 1 <= v <= 5}
    if bad:
        raise ValidationError(bad)
    return advance(
        case,
        S.INTERVIEWED,
        actor=actor,
        interviewed_on=on,
        score_idea=idea,
        score_professional=professional,
        score_personal=personal,
        interview_notes=notes.strip(),
        person_profile=profile.strip(),
    )


@transaction.atomic
def selection_decide(*, actor, case: LoanCase, selected: bool, reason: str = "") -> LoanCase:
    require(actor, "loans.work", case)
    if not selected and not reason.strip():
        raise ValidationError({"reason": _("Say why the citizen is not selected.")})
    case = advance(
        case, S.SELECTED if selected else S.NOT_SELECTED, actor=actor, note=reason, selection_reason=reason.strip()
    )
    if selected:
        modules = CourseModule.objects.for_municipality(case.municipality).filter(programme=case.programme)
        ModuleProgress.objects.bulk_create(
            [ModuleProgress(case=case, module=m) for m in modules], ignore_conflicts=True
        )
    return case


# Attendance is recorded from selection on, while the case is open: optional modules such as the
# network days go on after the required ones are completed, into the establishment period.
COURSE_STAGES = (S.SELECTED, S.COURSES_DONE, S.PLAN, S.RECOMMENDED, S.APPROVED, S.AGREEMENT, S.DISBURSED, S.REPAYING)


@transaction.atomic
def module_record(*, actor, case: LoanCase, module: CourseModule, sessions: int, completed_on: datetime.date | None):
    """Attendance and completion of one course module; when every required module is completed the
    case has "completed the course programme", and the clock towards the payout starts."""
    require(actor, "loans.work", case)
    if case.stage not in COURSE_STAGES:
        raise IllegalStage(_("Courses are recorded for selected participants only."))
    progress, _created = ModuleProgress.objects.get_or_create(case=case, module=module)
    progress.sessions_attended, progress.completed_on = sessions, completed_on
    progress.save()
    required = CourseModule.objects.for_municipality(case.municipality).filter(programme=case.programme, required=True)
    done = ModuleProgress.objects.filter(case=case, module__in=required, completed_on__isnull=False)
    if case.stage == S.SELECTED and required.exists() and done.count() == required.count():
        last = max(p.completed_on for p in done)
        advance(case, S.COURSES_DONE, actor=actor, courses_done_on=last)
    return progress


@transaction.atomic
def business_plan_submit(
    *,
    actor,
    case: LoanCase,
    business_name: str,
    idea: str,
    expected_revenue: int,
    expected_costs: int,
    expected_customers: str,
    uploaded_file=None,
) -> LoanCase:
    """The applicant's business plan: a document and the key figures."""
    require(actor, "loans.work", case)
    fields = {
        "business_name": business_name.strip(),
        "business_idea": idea.strip(),
        "expected_revenue": expected_revenue,
        "expected_costs": expected_costs,
        "expected_customers": expected_customers.strip(),
    }
    if uploaded_file is not None:
        fields["plan_file"] = upload_store(
            municipality=case.municipality, uploaded_file=uploaded_file, uploaded_by_staff=actor
        )
    return advance(case, S.PLAN, actor=actor, **fields)


@transaction.atomic
def recommend(
    *,
    actor,
    case: LoanCase,
    customers: bool,
    health: bool,
    family: bool,
    budget: bool,
    notes: str,
    amount: int,
    support_months: int,
    keeps_pension: bool,
) -> LoanCase:
    """The coach's assessment and recommendation (indstilling) of a loan amount and a support
    period. The amount must be within the programme's limits."""
    require(actor, "loans.recommend", case)
    limits = loan_settings(case.programme)
    errors = {}
    if not limits.loan_min <= amount <= limits.loan_max:
        errors["amount"] = [
            _("A loan is between %(min)s and %(max)s.")
            % {"min": format_kroner(limits.loan_min), "max": format_kroner(limits.loan_max)}
        ]
    most = limits.establishment_months + limits.max_extension_months
    if keeps_pension:
        support_months = 0
    elif not 0 <= support_months <= most:
        errors["support_months"] = [_("Support is given for at most %(months)s months.") % {"months": most}]
    if not notes.strip():
        errors["notes"] = [_("Write the assessment.")]
    if errors:
        raise ValidationError(errors)
    return advance(
        case,
        S.RECOMMENDED,
        actor=actor,
        check_customers=customers,
        check_health=health,
        check_family=family,
        check_budget=budget,
        assessment_notes=notes.strip(),
        recommended_amount=amount,
        recommended_support_months=support_months,
        recommended_by=actor,
        recommended_on=today(),
        keeps_pension=keeps_pension,
    )


@transaction.atomic
def drop_out(*, actor, case: LoanCase, reason: str) -> LoanCase:
    """The citizen leaves the programme at this stage, with the reason (for the funnel)."""
    require(actor, "loans.work", case)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the citizen leaves.")})
    return advance(
        case, S.DROPPED_OUT, actor=actor, note=reason, dropped_from=case.stage, dropout_reason=reason.strip()
    )
