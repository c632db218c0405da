"""Every transition of a personal budget, and every illegal one (refused, nothing changed)."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from teten.audit.models import DecisionEvent
from teten.budgets import changes, review
from teten.budgets.models import (
    BudgetLine,
    ChangeKind,
    Colour,
    DeclineReason,
    FinalStatus,
    GrantDecision,
    LineStatus,
    OfferStatus,
    PlanStatus,
    PlanVersion,
)
from teten.budgets.offers import OfferError, eligible_not_offered, offer_accept, offer_create, offer_decline
from teten.budgets.plans import line_save, plan_submit, plan_totals, window_months
from teten.budgets.tests.conftest import add_line, category
from teten.citizens.models import BenefitPeriod, BenefitType, Readiness
from teten.payments.commitments import commitment_amount, pool_statuses
from teten.payments.models import Commitment, CommitmentEntry


def _pdf_text(letter) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(letter.pdf))).pages)


def _approve_all(consultant, plan, except_code=None):
    for line in BudgetLine.objects.filter(plan=plan, status=LineStatus.PENDING):
        if except_code and line.category.code == except_code:
            review.line_review(actor=consultant, line=line, decision=LineStatus.REJECTED, comment="Ikke nu")
        else:
            review.line_review(actor=consultant, line=line, decision=LineStatus.APPROVED)
    return review.plan_approve(actor=consultant, plan=plan)


# --- Offers -----------------------------------------------------------------------------------


def test_eligible_list_follows_the_rules_and_leaves_out_the_offered(
    programme, consultant, citizen, make_citizen, muni_a
):
    young = make_citizen(muni_a, cpr="0101004002", first_name="Ung")  # born 2000: too young
    BenefitPeriod.objects.create(
        citizen=young,
        benefit_type=BenefitType.CASH_BENEFIT,
        readiness=Readiness.JOB_READY,
        start_date=datetime.date(2020, 1, 1),
    )
    new = make_citizen(muni_a, first_name="Ny")  # on cash benefit for 2 months only
    BenefitPeriod.objects.create(
        citizen=new,
        benefit_type=BenefitType.CASH_BENEFIT,
        readiness=Readiness.JOB_READY,
        start_date=datetime.date.today() - datetime.timedelta(days=60),
    )
    assert [c.pk for c in eligible_not_offered(actor=consultant, programme=programme)] == [citizen.pk]
    offer_create(actor=consultant, programme=programme, citizen=citizen)
    assert eligible_not_offered(actor=consultant, programme=programme) == []
    with pytest.raises(OfferError) as exc:
        offer_create(actor=consultant, programme=programme, citizen=new)
    assert "færre end 12 måneder" in str(exc.value)


def test_a_citizen_gets_one_open_offer(offer, programme, consultant, citizen):
    with pytest.raises(OfferError):
        offer_create(actor=consultant, programme=programme, citizen=citizen)


def test_accept_signs_the_declaration_with_a_timestamp_and_opens_the_plan(offer, citizen):
    with pytest.raises(ValidationError):
        offer_accept(citizen=citizen, offer=offer, declaration_accepted=False)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.OFFERED
    plan = offer_accept(citizen=citizen, offer=offer, declaration_accepted=True)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED and offer.declaration_signed_at is not None
    assert "tro og love" in offer.declaration_text
    assert plan.status == PlanStatus.DRAFT
    with pytest.raises(OfferError):
        offer_decline(citizen=citizen, offer=offer, reason=DeclineReason.OTHER)


def test_decline_records_the_reason_and_blocks_nothing(offer, citizen, programme, consultant):
    offer_decline(citizen=citizen, offer=offer, reason=DeclineReason.GOT_JOB, note="Starter mandag")
    offer.refresh_from_db()
    assert (offer.status, offer.decline_reason) == (OfferStatus.DECLINED, "got_job")
    # Declining blocks nothing: the citizen can be offered again later.
    assert offer_create(actor=consultant, programme=programme, citizen=citizen).status == OfferStatus.OFFERED


def test_another_citizen_cannot_answer_the_offer(offer, make_citizen, muni_a):
    stranger = make_citizen(muni_a, first_name="Fremmed")
    with pytest.raises(OfferError):
        offer_accept(citizen=stranger, offer=offer, declaration_accepted=True)


# --- The budget tool ------------------------------------------------------------------------


def test_lines_count_towards_the_cap_and_over_the_cap_is_explained(plan):
    add_line(plan, amount=4_000_000)
    with pytest.raises(ValidationError) as exc:
        add_line(plan, "dental", amount=1_000_001, description="Tænder")
    message = exc.value.message_dict["amount"][0]
    assert "højst være 50.000,00 kr." in message and "50.000,01 kr." in message and "0,01 kr. for meget" in message
    assert plan_totals(plan).total == 4_000_000


def test_justification_and_month_are_checked(plan):
    with pytest.raises(ValidationError) as exc:
        add_line(plan, justification="fordi")
    assert "tættere på arbejde" in exc.value.message_dict["justification"][0]
    too_late = window_months(plan)[-1].replace(day=1) + datetime.timedelta(days=40)
    with pytest.raises(ValidationError) as exc:
        add_line(plan, month=too_late.replace(day=1))
    assert "inden for perioden" in exc.value.message_dict["planned_month"][0]


def test_submit_keeps_the_version_and_locks_the_plan(plan):
    add_line(plan)
    version = plan_submit(citizen=plan.citizen, plan=plan)
    assert (version.number, version.total, len(version.lines)) == (1, 1_000_000, 1)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    with pytest.raises(ValidationError):
        add_line(plan, "dental", 10000, "Mere")
    with pytest.raises(ValidationError):
        plan_submit(citizen=plan.citizen, plan=plan)


def test_empty_plan_cannot_be_sent(plan):
    with pytest.raises(ValidationError):
        plan_submit(citizen=plan.citizen, plan=plan)


# --- Review --------------------------------------------------------------------------------


def test_review_asks_for_a_better_argument_and_the_citizen_resubmits(submitted, consultant):
    course, licence, dental = BudgetLine.objects.filter(plan=submitted).order_by("id")
    with pytest.raises(ValidationError):
        review.line_review(actor=consultant, line=licence, decision=LineStatus.NEEDS_ARGUMENT, comment="")
    review.line_review(actor=consultant, line=course, decision=LineStatus.APPROVED)
    review.line_review(
        actor=consultant,
        line=licence,
        decision=LineStatus.NEEDS_ARGUMENT,
        comment="Hvordan hjælper kørekortet dig til et job?",
    )
    with pytest.raises(ValidationError):
        review.plan_return(actor=consultant, plan=submitted)  # the dental line has no answer yet
    review.line_review(actor=consultant, line=dental, decision=LineStatus.APPROVED)
    with pytest.raises(ValidationError):
        review.plan_approve(actor=consultant, plan=submitted)  # a line still needs an argument
    review.plan_return(actor=consultant, plan=submitted)
    submitted.refresh_from_db()
    assert submitted.status == PlanStatus.CHANGES_REQUESTED
    # Approved lines are locked; the one that needs an argument is improved and sent again.
    with pytest.raises(ValidationError):
        add_line(submitted, line=course, amount=10)
    add_line(
        submitted,
        "driving_licence",
        1_800_000,
        "B-kørekort",
        line=licence,
        justification="Jobbet som chauffør hos Arla kræver kørekort; jeg har en aftale om en samtale.",
    )
    plan_submit(citizen=submitted.citizen, plan=submitted)
    submitted.refresh_from_db()
    assert submitted.version == 2
    assert list(PlanVersion.objects.filter(plan=submitted).values_list("number", flat=True)) == [1, 2]
    licence.refresh_from_db()
    course.refresh_from_db()
    assert (licence.status, course.status) == (LineStatus.PENDING, LineStatus.APPROVED)


def test_traffic_light_from_the_team_one_per_consultant_and_version(
    submitted, consultant, colleague, make_staff, muni_a
):
    from teten.accounts.models import Role

    review.assessment_record(actor=colleague, plan=submitted, colour=Colour.GREEN, comment="")
    with pytest.raises(ValidationError):
        review.assessment_record(actor=colleague, plan=submitted, colour=Colour.RED, comment="Nej")
    with pytest.raises(ValidationError):
        review.assessment_record(actor=consultant, plan=submitted, colour=Colour.YELLOW, comment="")
    outsider_of_team = make_staff(muni_a, Role.JOB_CONSULTANT)
    with pytest.raises(PermissionDenied):
        review.assessment_record(actor=outsider_of_team, plan=submitted, colour=Colour.GREEN, comment="")


def test_approval_is_the_grant_decision_booked_by_the_rule_in_force(submitted, consultant, muni_a, pools):
    decision = _approve_all(consultant, submitted, except_code="dental")
    submitted.refresh_from_db()
    assert submitted.status == PlanStatus.APPROVED
    assert (submitted.window_start, submitted.window_end) == review.activity_window(submitted.window_start, 6)
    course = BudgetLine.objects.get(plan=submitted, category__code="course")
    licence = BudgetLine.objects.get(plan=submitted, category__code="driving_licence")
    assert course.legal_basis.startswith("LAB § 91") and course.funding_source == pools["municipal"]
    assert licence.funding_source == pools["foundation"]
    assert commitment_amount(course.commitment) == 1_500_000
    statuses = {s.source.name: s for s in pool_statuses(muni_a)}
    assert statuses["Kommunale midler"].committed == 1_500_000 and statuses["Fondsmidler"].committed == 1_800_000
    assert decision.total == 3_300_000
    text = _pdf_text(decision.letter)
    assert "Afgørelse om dit personlige budget" in text
    assert "LAB § 91" in text and "Klagevejledning" in text and "33.000,00 kr." in text
    assert "Tandbehandling" in text and "Ikke nu" in text  # the rejected line and why
    assert submitted.citizen.cpr not in text
    assert DecisionEvent.objects.filter(kind="budget.granted").count() == 1


def test_booking_uses_the_rule_in_force_on_the_decision_date(submitted, consultant, monkeypatch, muni_a):
    """The 2018 rule (LAB § 32, ended 31.12.2019) applies to a decision on 31.12.2019."""
    monkeypatch.setattr("teten.budgets.review.today", lambda: datetime.date(2019, 12, 31))
    _approve_all(consultant, submitted)
    course = BudgetLine.objects.get(plan=submitted, category__code="course")
    assert course.legal_basis.startswith("LAB § 32")


def test_a_line_without_a_rule_stops_the_whole_decision(submitted, consultant, muni_a):
    from teten.programmes.models import BookingRule

    BookingRule.objects.for_municipality(muni_a).filter(category__code="dental").delete()
    with pytest.raises(ValidationError) as exc:
        _approve_all(consultant, submitted)
    assert "ingen konteringsregel" in str(exc.value).lower()
    submitted.refresh_from_db()
    assert submitted.status == PlanStatus.SUBMITTED
    assert not Commitment.objects.for_municipality(muni_a).exists()
    assert not GrantDecision.objects.for_municipality(muni_a).exists()


def test_an_exhausted_pool_stops_the_whole_decision(submitted, consultant, pools, muni_a):
    pools["foundation"].amount = 1_000_000
    pools["foundation"].save()
    with pytest.raises(ValidationError) as exc:
        _approve_all(consultant, submitted)
    assert "Fondsmidler har kun 10.000,00 kr. tilbage" in str(exc.value)
    assert not CommitmentEntry.objects.exists()
    submitted.refresh_from_db()
    assert submitted.status == PlanStatus.SUBMITTED


def test_other_roles_cannot_review(submitted, make_staff, muni_a):
    from teten.accounts.models import Role

    caseworker = make_staff(muni_a, Role.BENEFITS_CASEWORKER)
    line = BudgetLine.objects.filter(plan=submitted).first()
    with pytest.raises(PermissionDenied):
        review.line_review(actor=caseworker, line=line, decision=LineStatus.APPROVED)
    with pytest.raises(PermissionDenied):
        review.plan_approve(actor=caseworker, plan=submitted)


# --- Changes, stop, close -----------------------------------------------------------------------


@pytest.fixture
def approved(submitted, consultant):
    _approve_all(consultant, submitted)
    submitted.refresh_from_db()
    return submitted


def test_changing_a_line_is_a_new_decision_and_the_commitment_follows(approved, consultant, citizen):
    course = BudgetLine.objects.get(plan=approved, category__code="course")
    request = changes.change_request_create(
        citizen=citizen,
        plan=approved,
        kind=ChangeKind.LINE,
        line=course,
        new_supplier="Niels Brock",
        new_amount=1_200_000,
        reason="Billigere kursus",
    )
    decision = changes.change_request_answer(actor=consultant, request=request, approve=True)
    course.refresh_from_db()
    assert (course.supplier, course.amount, commitment_amount(course.commitment)) == (
        "Niels Brock",
        1_200_000,
        1_200_000,
    )
    assert "Niels Brock" in _pdf_text(decision.letter)
    more = changes.change_request_create(
        citizen=citizen, plan=approved, kind=ChangeKind.LINE, line=course, new_amount=1_400_000, reason="Bøger"
    )
    changes.change_request_answer(actor=consultant, request=more, approve=True)
    assert commitment_amount(BudgetLine.objects.get(pk=course.pk).commitment) == 1_400_000


def test_extension_moves_the_window_and_refusal_needs_a_reason(approved, consultant, citizen):
    new_end = approved.window_end + datetime.timedelta(days=60)
    request = changes.change_request_create(
        citizen=citizen,
        plan=approved,
        kind=ChangeKind.EXTENSION,
        new_end=new_end,
        reason="Kurset starter først i august",
    )
    with pytest.raises(ValidationError):
        changes.change_request_answer(actor=consultant, request=request, approve=False, answer="")
    changes.change_request_answer(actor=consultant, request=request, approve=True)
    approved.refresh_from_db()
    assert approved.window_end == new_end
    with pytest.raises(ValidationError):
        changes.change_request_answer(actor=consultant, request=request, approve=True)


def test_changes_are_refused_before_approval(submitted, citizen):
    with pytest.raises(ValidationError):
        changes.change_request_create(
            citizen=citizen, plan=submitted, kind=ChangeKind.EXTENSION, new_end=datetime.date(2030, 1, 1), reason="x"
        )


def test_stop_cancels_unpaid_money_releases_it_and_sends_a_letter(approved, consultant, muni_a):
    decision = changes.plan_stop(actor=consultant, plan=approved, reason="Pengene er brugt til privatforbrug")
    approved.refresh_from_db()
    assert approved.status == PlanStatus.STOPPED
    assert all(s.committed == 0 for s in pool_statuses(muni_a))
    assert "stop af dit personlige budget" in _pdf_text(decision.letter)
    with pytest.raises(ValidationError):
        changes.plan_stop(actor=consultant, plan=approved, reason="igen")


def test_close_waits_for_the_window_and_then_releases(approved, consultant, monkeypatch, muni_a):
    with pytest.raises(ValidationError) as exc:
        changes.plan_close(actor=consultant, plan=approved, final_status=FinalStatus.EMPLOYMENT)
    assert "aktivitetsperioden" in str(exc.value) or "løber" in str(exc.value)
    later = approved.window_end + datetime.timedelta(days=1)
    monkeypatch.setattr("teten.budgets.changes.today", lambda: later)
    changes.plan_close(actor=consultant, plan=approved, final_status=FinalStatus.EMPLOYMENT)
    approved.refresh_from_db()
    assert (approved.status, approved.final_status) == (PlanStatus.CLOSED, "employment")
    assert all(s.committed == 0 for s in pool_statuses(muni_a))


def test_line_edit_by_someone_else_is_refused(plan, make_citizen, muni_a):
    stranger = make_citizen(muni_a, first_name="Anden")
    with pytest.raises(ValidationError):
        line_save(
            citizen=stranger,
            plan=plan,
            line=None,
            category=category(muni_a, "course"),
            description="x",
            supplier="",
            amount=100,
            planned_month=window_months(plan)[0],
            justification="x" * 30,
        )
