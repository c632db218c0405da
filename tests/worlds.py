"""Worlds for the crawl and privacy tests: one of everything each app's pages show, made in one
municipality through the real services."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from teten.accounts.models import Role


def money_world(municipality, citizen, make_staff) -> dict:
    """One of everything the money pages show, in municipality A, through the real services."""
    import datetime

    from teten.ledger.models import LedgerAccount
    from teten.payments import batches, services
    from teten.payments.commitments import commitment_reserve
    from teten.payments.models import ClaimReason, MoneyKind, Payee
    from teten.payments.reconciliation import reconciliation_import
    from teten.payments.recovery import claim_create
    from teten.programmes.booking import rule_table_install
    from teten.programmes.models import FundingKind, FundingSource, Programme, ProgrammeKind

    day = datetime.date(2026, 11, 23)
    caseworker = make_staff(municipality, Role.BENEFITS_CASEWORKER)
    finance, finance2 = make_staff(municipality, Role.FINANCE_OFFICER), make_staff(municipality, Role.FINANCE_OFFICER)
    programme = Programme.objects.create(
        municipality=municipality, name="Budgetter", kind=ProgrammeKind.PERSONAL_BUDGET
    )
    pool = FundingSource.objects.create(
        municipality=municipality, name="Pulje", kind=FundingKind.FOUNDATION, amount=10_000_000, account_code="5.68"
    )
    [rule, *_] = rule_table_install(programme=programme, funding={"municipal": pool, "foundation": pool})
    commitment = commitment_reserve(
        actor=caseworker,
        programme=programme,
        funding_source=pool,
        citizen=citizen,
        kind=MoneyKind.GRANT,
        reference="crawl:1",
        amount=1_000_000,
        description="Kursus",
        decided_on=day,
        key="crawl",
    )
    payment = services.payment_create(
        actor=caseworker,
        commitment=commitment,
        amount=100000,
        payee=Payee.CITIZEN,
        due_date=day,
        description="Kursus",
        business_date=day,
        key="crawl-p",
    )
    batch = batches.batch_create(actor=finance, payment_date=day, key="crawl-b")
    batches.batch_approve(actor=finance2, batch=batch)
    batches.batch_export(actor=finance, batch=batch)
    reconciliation = reconciliation_import(
        actor=finance,
        content=b"reference;amount;date;status\nnope;1;23.11.2026;paid\n",
        filename="f.csv",
        business_date=day,
    )
    claim = claim_create(
        actor=caseworker,
        citizen=citizen,
        amount=5000,
        reason=ClaimReason.MISUSE,
        description="Misbrug",
        decided_on=day,
        key="crawl-c",
    )
    return {
        "programme_id": programme.pk,
        "rule_id": rule.pk,
        "legal_basis_id": rule.legal_basis_id,
        "category_id": rule.category_id,
        "source_id": pool.pk,
        "commitment_id": commitment.pk,
        "payment_id": payment.pk,
        "batch_id": batch.pk,
        "reconciliation_id": reconciliation.pk,
        "claim_id": claim.pk,
        "account_id": LedgerAccount.objects.for_municipality(municipality).first().pk,
    }


def documents_world(citizen, make_staff) -> dict:
    """A letter sent to the citizen, through the real service."""
    from teten.documents.letters import LetterRecipient, letter_issue
    from teten.documents.tests.samples import decision_content

    content = decision_content(recipient=LetterRecipient.for_citizen(citizen), masked_cpr=citizen.masked_cpr)
    letter = letter_issue(
        municipality=citizen.municipality,
        citizen=citizen,
        kind="grant_decision",
        content=content,
        actor=make_staff(citizen.municipality, Role.JOB_CONSULTANT),
        obj=citizen,
    )
    return {"letter_id": letter.pk}


def budget_world(municipality, citizen, make_staff, programme_id: int) -> dict:
    """A personal budget for the citizen: offered, accepted, a line approved and granted, paid,
    a receipt handed in, a change asked for, a collective course."""
    from PIL import Image

    from teten.budgets import changes, courses, offers, plans, receipts, review
    from teten.budgets.models import BudgetSettings, ChangeKind, LineStatus
    from teten.payments import batches, services
    from teten.payments.models import Payee
    from teten.programmes.eligibility import default_rules_install
    from teten.programmes.models import BookingRule, EligibilityRule, ExpenseCategory, FundingSource, Programme

    programme = Programme.objects.for_municipality(municipality).get(pk=programme_id)
    consultant = make_staff(municipality, Role.JOB_CONSULTANT)
    coordinator = make_staff(municipality, Role.COORDINATOR)
    finance, finance2 = make_staff(municipality, Role.FINANCE_OFFICER), make_staff(municipality, Role.FINANCE_OFFICER)
    BudgetSettings.objects.create(municipality=municipality, programme=programme)
    default_rules_install(programme)
    course = ExpenseCategory.objects.for_municipality(municipality).get(code="course")
    BookingRule.objects.create(
        municipality=municipality,
        programme=programme,
        category=course,
        legal_basis=None,
        funding_source=FundingSource.objects.for_municipality(municipality).first(),
        valid_from=datetime.date(2020, 1, 1),
    )
    offer = offers.offer_create(actor=consultant, programme=programme, citizen=citizen)
    plan = offers.offer_accept(citizen=citizen, offer=offer, declaration_accepted=True)
    line = plans.line_save(
        citizen=citizen,
        plan=plan,
        line=None,
        category=course,
        description="Kursus",
        supplier="",
        amount=300000,
        planned_month=plans.window_months(plan)[0],
        justification="Kurset giver mig et job som bogholder.",
    )
    plans.plan_submit(citizen=citizen, plan=plan)
    review.line_review(actor=consultant, line=line, decision=LineStatus.APPROVED)
    review.plan_approve(actor=consultant, plan=plan)
    line.refresh_from_db()
    payment = services.payment_create(
        actor=make_staff(municipality, Role.BENEFITS_CASEWORKER),
        commitment=line.commitment,
        amount=100000,
        payee=Payee.CITIZEN,
        due_date=datetime.date(2026, 11, 23),
        description="Kursus",
        business_date=datetime.date(2026, 11, 23),
        key="crawl-budget-p",
    )
    batch = batches.batch_create(actor=finance, payment_date=datetime.date(2026, 11, 23), key="crawl-budget-b")
    batches.batch_approve(actor=finance2, batch=batch)
    batches.batch_export(actor=finance, batch=batch)
    image = Image.new("RGB", (20, 20), "white")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    payment.refresh_from_db()
    receipt = receipts.receipt_upload(
        citizen=citizen, payment=payment, uploaded_file=SimpleUploadedFile("kvittering.png", buffer.getvalue())
    )
    plan.refresh_from_db()
    request = changes.change_request_create(
        citizen=citizen,
        plan=plan,
        kind=ChangeKind.EXTENSION,
        new_end=plan.window_end + datetime.timedelta(days=30),
        reason="Kurset er rykket",
    )
    course_obj = courses.course_create(
        actor=coordinator, programme=programme, name="Hold 1", starts_on=datetime.date(2026, 12, 1)
    )
    return {
        "offer_id": offer.pk,
        "plan_id": plan.pk,
        "line_id": line.pk,
        "request_id": request.pk,
        "receipt_id": receipt.pk,
        "course_id": course_obj.pk,
        "condition_id": EligibilityRule.objects.for_municipality(municipality).first().pk,
        # These replace the money world's: the budget pages need a budget payment, and batch pages
        # that name both a batch and a payment need the payment to be in that batch.
        "payment_id": payment.pk,
        "batch_id": batch.pk,
    }


def loan_world(municipality, citizen, make_staff) -> dict:
    """A micro-loan for the citizen: referred, through the courses, recommended, approved by
    another caseworker, the agreement accepted and the loan paid out through a batch."""
    from teten.loans import cases, decisions
    from teten.loans.configuration import loan_settings
    from teten.loans.daily import loan_payouts
    from teten.loans.models import CourseModule
    from teten.payments import batches
    from teten.programmes.models import FundingKind, FundingSource, Programme, ProgrammeKind

    day = datetime.date(2026, 11, 23)
    coach = make_staff(municipality, Role.COACH)
    central = make_staff(municipality, Role.BENEFITS_CASEWORKER)
    finance, finance2 = make_staff(municipality, Role.FINANCE_OFFICER), make_staff(municipality, Role.FINANCE_OFFICER)
    programme = Programme.objects.create(municipality=municipality, name="Mikrolån", kind=ProgrammeKind.MICROLOAN)
    settings = loan_settings(programme)
    settings.loan_pool = FundingSource.objects.create(
        municipality=municipality, name="Lånepulje", kind=FundingKind.EARMARKED, amount=10_000_000, account_code="5.7"
    )
    settings.save()
    case = cases.referral_create(actor=central, programme=programme, citizen=citizen, reason="Vil starte firma.")
    cases.info_meeting_record(actor=coach, case=case, on=day)
    cases.interview_record(
        actor=coach, case=case, on=day, idea=4, professional=4, personal=4, notes="God idé.", profile="Vedholdende."
    )
    cases.selection_decide(actor=coach, case=case, selected=True)
    modules = list(CourseModule.objects.for_municipality(municipality).filter(programme=programme))
    for module in modules:
        cases.module_record(actor=coach, case=case, module=module, sessions=4, completed_on=day)
    case.refresh_from_db()
    cases.business_plan_submit(
        actor=coach,
        case=case,
        business_name="Cykelværkstedet",
        idea="Reparation af cykler",
        expected_revenue=20_000_000,
        expected_costs=5_000_000,
        expected_customers="Naboer",
    )
    cases.recommend(
        actor=coach,
        case=case,
        customers=True,
        health=True,
        family=True,
        budget=True,
        notes="Holder.",
        amount=3_000_000,
        support_months=0,
        keeps_pension=True,
    )
    loan = decisions.loan_decide(actor=central, case=case, approve=True)
    decisions.agreement_accept(citizen=citizen, loan=loan)
    decisions.payout_create(actor=central, loan=loan, due=day, key="crawl-loan")
    batch = batches.batch_create(actor=finance, payment_date=day, key="crawl-loan-b")
    batches.batch_approve(actor=finance2, batch=batch)
    batches.batch_export(actor=finance, batch=batch)
    loan_payouts(day)
    return {
        "case_id": case.pk,
        "module_id": modules[0].pk,
        "action": "follow_up",
        # Routes of the loans app name the micro-loan programme, not the budget programme.
        "loans:programme_id": programme.pk,
    }


def survey_world(municipality, citizen, make_staff) -> dict:
    """A personal budget the citizen has finished, and the end-of-programme survey they are invited to."""
    from teten.budgets.models import BudgetPlan, Offer, OfferStatus, PlanStatus
    from teten.programmes.models import Programme, ProgrammeKind
    from teten.surveys.services import survey_open

    consultant = make_staff(municipality, Role.JOB_CONSULTANT)
    programme = Programme.objects.create(
        municipality=municipality, name="Afsluttede budgetter", kind=ProgrammeKind.PERSONAL_BUDGET
    )
    offer = Offer.objects.create(
        municipality=municipality,
        programme=programme,
        citizen=citizen,
        offered_by=consultant,
        status=OfferStatus.ACCEPTED,
    )
    BudgetPlan.objects.create(
        municipality=municipality,
        offer=offer,
        citizen=citizen,
        programme=programme,
        consultant=consultant,
        status=PlanStatus.CLOSED,
    )
    survey = survey_open(
        actor=make_staff(municipality, Role.COORDINATOR), programme=programme, on=datetime.date(2026, 11, 23)
    )
    return {"survey_id": survey.pk, "invitation_id": survey.invited().get(citizen=citizen).pk}


def route_samples(name: str, samples: dict) -> dict:
    """The samples for one route: an app may override a kwarg with "<app>:<kwarg>"."""
    app = name.split(":", 1)[0]
    return {**samples, **{k.split(":", 1)[1]: v for k, v in samples.items() if k.startswith(f"{app}:")}}


def evidence_world(municipality, citizen, make_staff) -> dict:
    """A lottery cohort drawn from a programme's pool (the citizen in it) and an outcome import."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from teten.evidence.imports import import_upload
    from teten.evidence.lottery import draw_make
    from teten.programmes.eligibility import default_rules_install
    from teten.programmes.models import Cohort, Programme, ProgrammeKind, SelectionMode

    coordinator = make_staff(municipality, Role.COORDINATOR)
    programme = Programme.objects.create(
        municipality=municipality, name="Forsøg med lodtrækning", kind=ProgrammeKind.PERSONAL_BUDGET
    )
    default_rules_install(programme)
    cohort = Cohort.objects.create(
        municipality=municipality, programme=programme, name="Fase 4", selection_mode=SelectionMode.LOTTERY
    )
    draw_make(actor=coordinator, cohort=cohort, drawn_count=1, control_count=0, seed="crawl")
    text = f"cpr;maaned;forsoerget;timer;selvstaendig\n{citizen.cpr};2026-01;ja;0;nej\n"
    job = import_upload(
        actor=coordinator,
        uploaded_file=SimpleUploadedFile("udfald.csv", text.encode(), "text/csv"),
        background=False,
    )
    return {
        "evidence:programme_id": programme.pk,
        "evidence:cohort_id": cohort.pk,
        "import_id": job.pk,
        "slug": "forsoergelse",
        "fmt": "csv",
    }
