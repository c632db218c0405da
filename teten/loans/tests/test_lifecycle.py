"""Every lifecycle transition of a micro-loan, every illegal one, and the source's three failures
as regression tests (seed 001): a loan paid out as a grant, reminders on the payout day, a decision
approved by its recommender."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from teten.ledger.services import balances
from teten.loans import cases, decisions, repayment
from teten.loans.balances import aging_bucket, current_instalments, days_past_due, outstanding
from teten.loans.models import InstalmentReminder, Loan, LoanCase, Stage
from teten.loans.tests.conftest import DAY, pay_out, through_courses
from teten.payments import postings
from teten.payments.models import MoneyKind, Payment, PaymentStatus


def _text(letter) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(letter.pdf))).pages)


# --- Recruitment to recommendation ----------------------------------------------------------


def test_the_case_moves_through_recruitment_and_courses(referred, caseworker):
    assert referred.stage == Stage.REFERRED
    case = through_courses(referred, caseworker, done_on=datetime.date(2026, 10, 1))
    assert case.stage == Stage.COURSES_DONE and case.courses_done_on == datetime.date(2026, 10, 1)
    assert (case.score_idea, case.score_professional, case.score_personal) == (4, 3, 5)


def test_courses_are_done_only_when_every_required_module_is(referred, caseworker):
    cases.info_meeting_record(actor=caseworker, case=referred, on=DAY)
    cases.interview_record(
        actor=caseworker, case=referred, on=DAY, idea=3, professional=3, personal=3, notes="", profile=""
    )
    cases.selection_decide(actor=caseworker, case=referred, selected=True)
    from teten.loans.models import CourseModule

    modules = list(CourseModule.objects.for_municipality(referred.municipality).filter(programme=referred.programme))
    for module in modules[:-1]:
        cases.module_record(actor=caseworker, case=referred, module=module, sessions=4, completed_on=DAY)
    referred.refresh_from_db()
    assert referred.stage == Stage.SELECTED
    cases.module_record(actor=caseworker, case=referred, module=modules[-1], sessions=2, completed_on=DAY)
    referred.refresh_from_db()
    assert referred.stage == Stage.COURSES_DONE


def test_optional_modules_are_recorded_after_the_course_programme_is_completed(referred, caseworker):
    from teten.loans.models import CourseModule, ModuleProgress

    with pytest.raises(cases.IllegalStage):
        module = CourseModule.objects.for_municipality(referred.municipality).first()
        cases.module_record(actor=caseworker, case=referred, module=module, sessions=1, completed_on=DAY)
    case = through_courses(referred, caseworker, done_on=datetime.date(2026, 10, 1))
    network = CourseModule.objects.create(
        municipality=case.municipality, programme=case.programme, name="Netværksdag", required=False
    )
    cases.module_record(actor=caseworker, case=case, module=network, sessions=1, completed_on=DAY)
    case.refresh_from_db()
    assert case.stage == Stage.COURSES_DONE and case.courses_done_on == datetime.date(2026, 10, 1)
    assert ModuleProgress.objects.get(case=case, module=network).completed_on == DAY


@pytest.mark.parametrize("scores", [(0, 3, 3), (3, 6, 3), (3, 3, None)])
def test_interview_scores_are_1_to_5(referred, caseworker, scores):
    cases.info_meeting_record(actor=caseworker, case=referred, on=DAY)
    with pytest.raises(ValidationError):
        cases.interview_record(
            actor=caseworker,
            case=referred,
            on=DAY,
            idea=scores[0],
            professional=scores[1],
            personal=scores[2],
            notes="",
            profile="",
        )
    referred.refresh_from_db()
    assert referred.stage == Stage.INFO_MEETING


def test_not_selected_needs_a_reason_and_ends_the_case(referred, caseworker):
    cases.info_meeting_record(actor=caseworker, case=referred, on=DAY)
    cases.interview_record(
        actor=caseworker, case=referred, on=DAY, idea=2, professional=2, personal=2, notes="", profile=""
    )
    with pytest.raises(ValidationError):
        cases.selection_decide(actor=caseworker, case=referred, selected=False)
    cases.selection_decide(actor=caseworker, case=referred, selected=False, reason="Idéen er for uklar")
    with pytest.raises(cases.IllegalStage):
        cases.drop_out(actor=caseworker, case=referred, reason="x")


@pytest.mark.parametrize("skip_to", [Stage.INTERVIEWED, Stage.COURSES_DONE, Stage.APPROVED, Stage.DISBURSED])
def test_stages_cannot_be_skipped(referred, caseworker, skip_to):
    with pytest.raises(cases.IllegalStage):
        cases.advance(referred, skip_to, actor=caseworker)
    referred.refresh_from_db()
    assert referred.stage == Stage.REFERRED


def test_drop_out_at_any_step_records_where_and_why(recommended, caseworker):
    cases.drop_out(actor=caseworker, case=recommended, reason="Fik fast job som chauffør")
    recommended.refresh_from_db()
    assert (recommended.stage, recommended.dropped_from) == (Stage.DROPPED_OUT, Stage.RECOMMENDED)


def test_recommendation_stays_within_the_programmes_limits(referred, caseworker, coach):
    case = through_courses(referred, caseworker)
    cases.business_plan_submit(
        actor=coach,
        case=case,
        business_name="X",
        idea="Y",
        expected_revenue=1,
        expected_costs=1,
        expected_customers="Z",
    )
    with pytest.raises(ValidationError) as exc:
        cases.recommend(
            actor=coach,
            case=case,
            customers=True,
            health=True,
            family=True,
            budget=True,
            notes="ok",
            amount=5_000_001,
            support_months=6,
            keeps_pension=False,
        )
    assert "amount" in exc.value.message_dict


def test_only_a_coach_recommends(referred, caseworker):
    case = through_courses(referred, caseworker)
    cases.business_plan_submit(
        actor=caseworker,
        case=case,
        business_name="X",
        idea="Y",
        expected_revenue=1,
        expected_costs=1,
        expected_customers="Z",
    )
    with pytest.raises(PermissionDenied):
        cases.recommend(
            actor=caseworker,
            case=case,
            customers=True,
            health=True,
            family=True,
            budget=True,
            notes="ok",
            amount=3_000_000,
            support_months=6,
            keeps_pension=False,
        )


# --- The decision ----------------------------------------------------------------------------


def test_a_decision_cannot_be_approved_by_its_recommender(recommended, make_staff, muni_a):
    """Source failure: one person recommended and decided. Here the recommender is refused."""
    from teten.accounts.models import Role, RoleAssignment

    recommender = recommended.recommended_by
    RoleAssignment.objects.create(user=recommender, role=Role.BENEFITS_CASEWORKER)
    recommender.__dict__.pop("roles", None)
    with pytest.raises(PermissionDenied):
        decisions.loan_decide(actor=recommender, case=recommended, approve=True)
    recommended.refresh_from_db()
    assert recommended.stage == Stage.RECOMMENDED
    assert not Loan.objects.for_municipality(muni_a).exists()


def test_database_refuses_a_loan_decided_by_its_recommender(approved, muni_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.for_municipality(muni_a).filter(pk=approved.pk).update(decided_by=approved.recommended_by)


def test_approval_reserves_a_loan_and_issues_the_letters(approved, recommended, muni_a):
    assert approved.commitment.kind == MoneyKind.LOAN
    assert approved.support_commitment.kind == MoneyKind.GRANT
    recommended.refresh_from_db()
    assert recommended.stage == Stage.APPROVED
    decision = _text(approved.decision_letter)
    assert "Afgørelse om mikrolån" in decision and "LAS § 65" in decision and "Klagevejledning" in decision
    agreement = _text(approved.agreement_letter)
    assert "Renten er 0 %" in agreement and "30.000,00 kr." in agreement and "200,00 kr." in agreement
    assert "I alt" in agreement and recommended.citizen.cpr not in agreement


def test_refusal_needs_a_reason(recommended, central):
    with pytest.raises(ValidationError):
        decisions.loan_decide(actor=central, case=recommended, approve=False)
    decisions.loan_decide(actor=central, case=recommended, approve=False, reason="Forretningsplanen holder ikke")
    recommended.refresh_from_db()
    assert recommended.stage == Stage.REJECTED
    from teten.documents.models import Letter

    letter = Letter.objects.for_municipality(recommended.municipality).get(kind="loan_refusal")
    text = _text(letter)
    assert "Forretningsplanen holder ikke" in text and "Klagevejledning" in text


# --- Payout: a loan, never a grant ----------------------------------------------------------


def test_payout_only_after_the_agreement_is_accepted(approved, caseworker):
    with pytest.raises(ValidationError):
        decisions.payout_create(actor=caseworker, loan=approved, due=DAY, key="too-early")


def test_a_loan_is_never_posted_as_a_grant(approved, caseworker, finance, finance2, citizen, muni_a):
    """Source failure: loans were paid out as grants. The payout lands on the loan receivable."""
    pay_out(approved, caseworker, finance, finance2, citizen)
    payment = Payment.objects.for_municipality(muni_a).get(pk=approved.payout_id)
    assert payment.kind == MoneyKind.LOAN and payment.status == PaymentStatus.SENT
    receivable = postings.spending_account(payment)
    assert receivable.type == "asset" and receivable.key.startswith("loans:")
    all_balances = balances(muni_a)
    assert all_balances[receivable.pk] == 3_000_000
    spending_keys = {a.key for a in receivable.__class__.objects.for_municipality(muni_a).filter(type="expense")}
    loan_spending = [k for k in spending_keys if k == f"spending:{approved.commitment.funding_source_id}"]
    assert not loan_spending  # the loan pool has no spending account at all


def test_payout_starts_establishment_schedule_and_support(approved, caseworker, finance, finance2, citizen, muni_a):
    loan = pay_out(approved, caseworker, finance, finance2, citizen)
    assert loan.paid_out_on == DAY and loan.establishment_end == datetime.date(2027, 5, 22)
    instalments = list(current_instalments(loan))
    assert len(instalments) == 150 and instalments[0].due_date == datetime.date(2027, 9, 1)
    assert sum(i.amount for i in instalments) == 3_000_000
    support = Payment.objects.for_municipality(muni_a).filter(commitment=loan.support_commitment)
    assert support.count() == 6 and {p.amount for p in support} == {1_200_000}
    assert loan.case.stage == Stage.DISBURSED


# --- Reminders: only due, unpaid and past due ------------------------------------------------


def test_no_reminder_for_a_loan_not_yet_paid_out(approved):
    call_command("daily", date="2030-01-01", only=["loan_reminders"])
    assert not InstalmentReminder.objects.exists()


def test_no_reminder_on_the_payout_day_or_before_the_first_due_date(approved, caseworker, finance, finance2, citizen):
    """Source failure: reminders arrived on the day the loan was paid."""
    loan = pay_out(approved, caseworker, finance, finance2, citizen)
    for day in (DAY, datetime.date(2027, 8, 31), datetime.date(2027, 9, 1), datetime.date(2027, 9, 7)):
        call_command("daily", date=day.isoformat(), only=["loan_reminders"])
    assert not InstalmentReminder.objects.exists()
    first = current_instalments(loan)[0]
    assert not repayment.reminder_due(first, loan, DAY)


def test_reminder_once_for_an_unpaid_instalment_past_due(approved, caseworker, finance, finance2, citizen):
    pay_out(approved, caseworker, finance, finance2, citizen)
    call_command("daily", date="2027-09-08", only=["loan_reminders"])  # 7 days after 1.9.2027
    call_command("daily", date="2027-09-09", only=["loan_reminders"])
    [reminder] = InstalmentReminder.objects.all()
    assert reminder.instalment.number == 1
    assert "Afdrag 1 på 200,00 kr. forfaldt 01.09.2027" in _text(reminder.letter)


def test_no_reminder_for_a_paid_instalment(approved, caseworker, finance, finance2, citizen):
    loan = pay_out(approved, caseworker, finance, finance2, citizen)
    repayment.repayment_register(
        actor=caseworker, loan=loan, amount=20000, received_on=datetime.date(2027, 9, 1), key="r1"
    )
    call_command("daily", date="2027-09-20", only=["loan_reminders"])
    assert not InstalmentReminder.objects.exists()


# --- Repayment, arrears, rescheduling, remission ----------------------------------------------


def test_repayments_are_applied_oldest_first_and_posted(approved, caseworker, finance, finance2, citizen, muni_a):
    loan = pay_out(approved, caseworker, finance, finance2, citizen)
    repayment.repayment_register(
        actor=caseworker, loan=loan, amount=50000, received_on=datetime.date(2027, 9, 2), key="r1"
    )
    first, second, third = list(current_instalments(loan))[:3]
    assert (first.paid, second.paid, third.paid) == (20000, 20000, 10000)
    assert outstanding(loan) == 2_950_000
    assert balances(muni_a)[postings.spending_account(loan.commitment).pk] == 2_950_000
    assert loan.case.stage == Stage.REPAYING
    with pytest.raises(ValidationError):
        repayment.repayment_register(actor=caseworker, loan=loan, amount=2_950_001, received_on=DAY, key="r2")


def test_arrears_aging(approved, caseworker, finance, finance2, citizen):
    loan = pay_out(approved, caseworker, finance, finance2, citizen)
    assert days_past_due(loan, datetime.date(2027, 9, 1)) == 0
    assert days_past_due(loan, datetime.date(2027, 10, 16)) == 45
    assert [aging_bucket(d) for d in (0, 1, 30, 31, 61, 91)] == ["0", "1-30", "1-30", "31-60", "61-90", "90+"]


def test_bank_file_repayments(approved, caseworker, finance, finance2, citizen):
    loan = pay_out(approved, caseworker, finance, finance2, citizen)
    content = (
        f"reference;beløb;dato;status\n{loan.reference};200,00;01.09.2027;betalt\nLÅN-999;5,00;01.09.2027;betalt\n"
    )
    results = repayment.repayments_import(actor=finance, content=content.encode(), business_date=DAY)
    assert results == [(2, "Registreret"), (3, "Intet lån har denne reference.")]
    assert outstanding(loan) == 2_980_000


def test_extension_moves_the_schedule_by_decision(approved, caseworker, finance, finance2, citizen, central):
    loan = pay_out(approved, caseworker, finance, finance2, citizen)
    decisions.establishment_extend(actor=central, loan=loan, months=2, reason="Sygdom i foråret")
    assert loan.establishment_end == datetime.date(2027, 7, 22)
    assert current_instalments(loan)[0].due_date == datetime.date(2027, 11, 1)
    with pytest.raises(ValidationError):
        decisions.establishment_extend(actor=central, loan=loan, months=2, reason="igen")  # 3 months at most


def test_reschedule_and_remission_by_decision(approved, caseworker, finance, finance2, citizen, central, muni_a):
    loan = pay_out(approved, caseworker, finance, finance2, citizen)
    version = decisions.reschedule(
        actor=central,
        loan=loan,
        first_due=datetime.date(2028, 1, 3),
        instalment=None,
        count=10,
        reason="Lavere indtægt end ventet",
    )
    assert version.number == 2 and len(list(current_instalments(loan))) == 10
    owed = decisions.remit(actor=central, loan=loan, reason="Virksomheden er lukket; borgeren er syg")
    assert owed == 3_000_000 and outstanding(loan) == 0
    loan.case.refresh_from_db()
    assert loan.case.stage == Stage.REMITTED
    assert balances(muni_a)[postings.spending_account(loan.commitment).pk] == 0


def test_referral_outside_the_target_group_is_refused(loan_programme, caseworker, citizen, muni_a):
    from teten.programmes.models import EligibilityKind, EligibilityRule

    EligibilityRule.objects.create(
        municipality=muni_a, programme=loan_programme, kind=EligibilityKind.MAX_AGE, number=29
    )  # Slagelse: under 30
    with pytest.raises(ValidationError) as exc:
        cases.referral_create(actor=caseworker, programme=loan_programme, citizen=citizen, reason="x")
    assert "ældre end 29" in str(exc.value) or "older than 29" in str(exc.value)
    assert not LoanCase.objects.for_municipality(muni_a).exists()


def test_every_transition_in_the_table_and_no_other(referred, caseworker):
    """All 17 × 17 stage pairs: the legal moves succeed and are recorded as decisions; every other
    move is refused and leaves the case where it was."""
    from teten.audit.models import DecisionEvent

    legal = illegal = 0
    for before in Stage:
        for after in Stage:
            LoanCase.objects.for_municipality(referred.municipality).filter(pk=referred.pk).update(stage=before)
            referred.refresh_from_db()
            events = DecisionEvent.objects.filter(kind=f"loan_case.{after}").count()
            if after in cases.TRANSITIONS[before]:
                cases.advance(referred, after, actor=caseworker)
                assert referred.stage == after
                assert DecisionEvent.objects.filter(kind=f"loan_case.{after}").count() == events + 1
                legal += 1
            else:
                with pytest.raises(cases.IllegalStage):
                    cases.advance(referred, after, actor=caseworker)
                referred.refresh_from_db()
                assert referred.stage == before
                assert DecisionEvent.objects.filter(kind=f"loan_case.{after}").count() == events
                illegal += 1
    assert (legal, illegal) == (27, 17 * 17 - 27)
    # The ends are ends.
    for end in (Stage.NOT_SELECTED, Stage.REJECTED, Stage.REPAID, Stage.REMITTED, Stage.WRITTEN_OFF, Stage.DROPPED_OUT):
        assert cases.TRANSITIONS[end] == set()


def test_a_move_from_a_stale_read_is_refused(referred, caseworker):
    stale = LoanCase.objects.for_municipality(referred.municipality).get(pk=referred.pk)
    cases.info_meeting_record(actor=caseworker, case=referred, on=DAY)
    with pytest.raises(cases.IllegalStage):
        cases.advance(stale, Stage.DROPPED_OUT, actor=caseworker, dropped_from=Stage.REFERRED)
    referred.refresh_from_db()
    assert referred.stage == Stage.INFO_MEETING
