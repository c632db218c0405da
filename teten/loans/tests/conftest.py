import datetime
import hashlib
import itertools

import pytest
from django.core.management import call_command

from teten.accounts.models import Role
from teten.documents.models import Letter
from teten.loans import cases, decisions
from teten.loans.balances import first_unpaid_refresh
from teten.loans.models import CourseModule, Loan, LoanCase, LoanSettings, ScheduledInstalment, ScheduleVersion, Stage
from teten.payments.batches import batch_approve, batch_create, batch_export
from teten.payments.models import Commitment, MoneyKind
from teten.programmes.models import FundingKind, FundingSource, Programme, ProgrammeKind

DAY = datetime.date(2026, 11, 23)
MODULES = [
    ("Regnskab", "8 uger"),
    ("Markedsføring", ""),
    ("Moms", ""),
    ("Skat", ""),
    ("Forsikring", ""),
    ("Iværksætterkursus", "4 dage"),
    ("Netværksdage", ""),
]


@pytest.fixture
def caseworker(make_staff, muni_a):
    return make_staff(muni_a, Role.BENEFITS_CASEWORKER, username="lise", first_name="Lise", last_name="Bundgaard")


@pytest.fixture
def central(make_staff, muni_a):
    """A caseworker of the central unit, who decides loans."""
    return make_staff(muni_a, Role.BENEFITS_CASEWORKER, username="central", first_name="Carl", last_name="Central")


@pytest.fixture
def coach(make_staff, muni_a):
    return make_staff(muni_a, Role.COACH, username="karim", first_name="Karim", last_name="Coach")


@pytest.fixture
def finance(make_staff, muni_a):
    return make_staff(muni_a, Role.FINANCE_OFFICER, username="henrik")


@pytest.fixture
def finance2(make_staff, muni_a):
    return make_staff(muni_a, Role.FINANCE_OFFICER, username="sanne")


@pytest.fixture
def loan_programme(muni_a):
    """A micro-loan programme like Aalborg's and Slagelse's: loans of 30.000-50.000 kr. (allow
    5.000-50.000), interest 0, 6 months' establishment (+3), 200 kr. a month after 3 months'
    grace, from an earmarked pool of 2.146.289 kr.; support 12.000 kr. a month."""
    pool = FundingSource.objects.create(
        municipality=muni_a,
        name="Mikrolånspulje",
        kind=FundingKind.EARMARKED,
        amount=214_628_900,
        account_code="5.68.30",
    )
    support = FundingSource.objects.create(
        municipality=muni_a, name="Forsørgelse", kind=FundingKind.MUNICIPAL, amount=50_000_000, account_code="5.68.31"
    )
    programme = Programme.objects.create(municipality=muni_a, name="Mikrolån", kind=ProgrammeKind.MICROLOAN)
    LoanSettings.objects.create(
        municipality=muni_a,
        programme=programme,
        loan_min=500000,
        loan_max=5_000_000,
        monthly_support=1_200_000,
        instalment_amount=20000,
        loan_pool=pool,
        support_pool=support,
    )
    for position, (name, duration) in enumerate(MODULES):
        CourseModule.objects.create(
            municipality=muni_a, programme=programme, name=name, duration=duration, position=position
        )
    return programme


def through_courses(case, actor, done_on=DAY):
    cases.info_meeting_record(actor=actor, case=case, on=done_on)
    cases.interview_record(
        actor=actor,
        case=case,
        on=done_on,
        idea=4,
        professional=3,
        personal=5,
        notes="Klar idé om rengøring for erhverv.",
        profile="Har arbejdet som rengøringsassistent.",
    )
    cases.selection_decide(actor=actor, case=case, selected=True)
    for module in CourseModule.objects.for_municipality(case.municipality).filter(programme=case.programme):
        cases.module_record(actor=actor, case=case, module=module, sessions=8, completed_on=done_on)
    case.refresh_from_db()
    return case


@pytest.fixture
def referred(loan_programme, caseworker, citizen):
    return cases.referral_create(
        actor=caseworker,
        programme=loan_programme,
        citizen=citizen,
        reason="Vil starte rengøringsfirma; har kunder på hånden.",
    )


@pytest.fixture
def recommended(referred, caseworker, coach):
    case = through_courses(referred, caseworker)
    cases.business_plan_submit(
        actor=coach,
        case=case,
        business_name="Serviceringer",
        idea="Rengøring for erhverv",
        expected_revenue=24_000_000,
        expected_costs=8_000_000,
        expected_customers="Tre kontorer i Aarhus C",
    )
    return cases.recommend(
        actor=coach,
        case=case,
        customers=True,
        health=True,
        family=True,
        budget=True,
        notes="Realistisk plan.",
        amount=3_000_000,
        support_months=6,
        keeps_pension=False,
    )


@pytest.fixture
def approved(recommended, central):
    return decisions.loan_decide(actor=central, case=recommended, approve=True)


def pay_out(loan, caseworker, finance, finance2, citizen, on=DAY):
    """The citizen accepts, the payout goes out in an exported batch, and the daily run starts
    the establishment period and the schedule."""
    decisions.agreement_accept(citizen=citizen, loan=loan)
    decisions.payout_create(actor=caseworker, loan=loan, due=on, key=f"payout-{loan.pk}")
    batch = batch_create(actor=finance, payment_date=on, key=f"b-{loan.pk}")
    batch_approve(actor=finance2, batch=batch)
    batch_export(actor=finance, batch=batch)
    call_command("daily", date=on.isoformat(), only=["loan_payouts"])
    loan.refresh_from_db()
    return loan


PLACEHOLDER_PDF = b"%PDF-1.4\n% test placeholder\n%%EOF\n"


@pytest.fixture
def make_loan(loan_programme, make_citizen, caseworker, central, coach):
    """A paid-out loan as the services leave it, written directly: for the programme page's
    reports, which need many loans in given states (the lifecycle tests go through the services).

    `schedule` is a list of (due_date, amount, paid) rows, the current schedule."""
    numbers = itertools.count(1)
    pool = loan_programme.loan_settings.loan_pool

    def make(
        schedule,
        *,
        last_name="Låntager",
        paid_out_on=datetime.date(2026, 1, 5),
        decided_on=None,
        courses_done_on=None,
        closed_on=None,
        cohort=None,
    ):
        n = next(numbers)
        decided_on = decided_on or paid_out_on - datetime.timedelta(days=10)
        m = loan_programme.municipality
        citizen = make_citizen(m, first_name=f"Nr{n}", last_name=last_name)
        case = LoanCase.objects.create(
            municipality=m,
            programme=loan_programme,
            citizen=citizen,
            stage=Stage.REPAID if closed_on else Stage.REPAYING,
            referred_by=caseworker,
            referral_reason="Idé",
            referred_on=paid_out_on - datetime.timedelta(days=120),
            courses_done_on=courses_done_on or decided_on - datetime.timedelta(days=20),
            cohort=cohort,
        )
        commitment = Commitment.objects.create(
            municipality=m,
            funding_source=pool,
            programme=loan_programme,
            citizen=citizen,
            kind=MoneyKind.LOAN,
            reference=f"loans.LoanCase:{case.pk}",
            description="Mikrolån",
        )
        letter = {
            "municipality": m,
            "citizen": citizen,
            "pdf": PLACEHOLDER_PDF,
            "sha256": hashlib.sha256(PLACEHOLDER_PDF).hexdigest(),
        }
        loan = Loan.objects.create(
            municipality=m,
            case=case,
            amount=sum(amount for _due, amount, _paid in schedule),
            recommended_by=coach,
            decided_by=central,
            decided_on=decided_on,
            legal_basis="LAS § 65",
            commitment=commitment,
            decision_letter=Letter.objects.create(kind="loan_decision", title="Afgørelse", **letter),
            agreement_letter=Letter.objects.create(kind="loan_agreement", title="Gældsbrev", **letter),
            paid_out_on=paid_out_on,
            establishment_end=paid_out_on + datetime.timedelta(days=180),
            closed_on=closed_on,
        )
        schedule_add(loan, schedule)
        return loan

    return make


def schedule_add(loan, rows) -> ScheduleVersion:
    """A new current schedule of (due_date, amount, paid) rows, as `decisions._schedule_save`
    makes one (with the paid amounts given); an earlier one is kept, replaced."""
    ScheduleVersion.objects.filter(loan=loan, is_current=True).update(is_current=False)
    version = ScheduleVersion.objects.create(loan=loan, number=loan.schedules.count() + 1)
    ScheduledInstalment.objects.bulk_create(
        ScheduledInstalment(schedule=version, number=i, due_date=due, amount=amount, paid=paid)
        for i, (due, amount, paid) in enumerate(rows, start=1)
    )
    first_unpaid_refresh(loan)
    return version
