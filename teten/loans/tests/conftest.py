import datetime

import pytest

from teten.accounts.models import Role
from teten.loans import cases, decisions
from teten.loans.models import CourseModule, LoanSettings
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
