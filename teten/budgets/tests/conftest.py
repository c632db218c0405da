import datetime
import re

import pytest

from teten.accounts.models import Role, Team
from teten.budgets.models import BudgetSettings
from teten.budgets.offers import offer_accept, offer_create
from teten.budgets.plans import line_save, plan_submit, window_months
from teten.portal.identity import OneTimeLinkProvider
from teten.programmes.booking import rule_table_install
from teten.programmes.eligibility import default_rules_install
from teten.programmes.models import (
    BookingRule,
    ExpenseCategory,
    FundingKind,
    FundingSource,
    LegalBasis,
    Programme,
    ProgrammeKind,
)

CURRENT = datetime.date(2020, 1, 1)


@pytest.fixture
def team(muni_a):
    return Team.objects.create(municipality=muni_a, name="Jobparate")


@pytest.fixture
def consultant(make_staff, muni_a, team):
    return make_staff(
        muni_a,
        Role.JOB_CONSULTANT,
        username="mette",
        first_name="Mette",
        last_name="Konsulent",
        team=team,
        email="mette@kommune.dk",
    )


@pytest.fixture
def colleague(make_staff, muni_a, team):
    return make_staff(muni_a, Role.JOB_CONSULTANT, username="jonas", first_name="Jonas", last_name="Holm", team=team)


@pytest.fixture
def finance(make_staff, muni_a):
    return make_staff(muni_a, Role.FINANCE_OFFICER, username="henrik")


@pytest.fixture
def finance2(make_staff, muni_a):
    return make_staff(muni_a, Role.FINANCE_OFFICER, username="sanne")


@pytest.fixture
def pools(muni_a):
    muni_a.ean = "5798000416604"
    muni_a.save()
    return {
        "municipal": FundingSource.objects.create(
            municipality=muni_a,
            name="Kommunale midler",
            kind=FundingKind.MUNICIPAL,
            amount=100_000_000,
            account_code="5.68.10",
        ),
        "foundation": FundingSource.objects.create(
            municipality=muni_a,
            name="Fondsmidler",
            kind=FundingKind.FOUNDATION,
            amount=100_000_000,
            account_code="5.68.20",
        ),
    }


@pytest.fixture
def programme(muni_a, pools, team):
    """A personal-budget programme with the source's defaults: 50.000 kr. cap, 6 months, job-ready
    cash-benefit recipients over 30 with 12 months on cash benefit; the 2018 booking table and a
    current one from 2020 (LAS § 81/82 kept; a current course basis)."""
    programme = Programme.objects.create(
        municipality=muni_a,
        name="Langtidsledige tager teten",
        kind=ProgrammeKind.PERSONAL_BUDGET,
        max_citizen_tranche=500000,
    )
    BudgetSettings.objects.create(municipality=muni_a, programme=programme, team=team)
    default_rules_install(programme)
    rule_table_install(programme=programme, funding=pools)
    course_basis = LegalBasis.objects.create(
        municipality=muni_a, law="LAB", paragraph="§ 91", title="Vejledning og opkvalificering", valid_from=CURRENT
    )
    las_82 = LegalBasis.objects.for_municipality(muni_a).get(law="LAS", paragraph="§ 82")
    for code, basis, pool in [
        ("course", course_basis, "municipal"),
        ("dental", las_82, "municipal"),
        ("driving_licence", course_basis, "foundation"),
        ("equipment", None, "foundation"),
    ]:
        BookingRule.objects.create(
            municipality=muni_a,
            programme=programme,
            category=ExpenseCategory.objects.for_municipality(muni_a).get(code=code),
            legal_basis=basis,
            funding_source=pools[pool],
            valid_from=CURRENT,
        )
    return programme


def category(municipality, code):
    return ExpenseCategory.objects.for_municipality(municipality).get(code=code)


@pytest.fixture
def offer(programme, consultant, citizen):
    return offer_create(actor=consultant, programme=programme, citizen=citizen)


@pytest.fixture
def plan(offer, citizen):
    return offer_accept(citizen=citizen, offer=offer, declaration_accepted=True)


def add_line(plan, code="course", amount=1_000_000, description="Regnskabskursus", month=None, **kw):
    return line_save(
        citizen=plan.citizen,
        plan=plan,
        line=kw.pop("line", None),
        category=category(plan.municipality, code),
        description=description,
        supplier=kw.pop("supplier", "AOF"),
        amount=amount,
        planned_month=month or window_months(plan)[0],
        justification=kw.pop("justification", "Jeg vil være bogholder, og kurset giver mig papir på det."),
    )


@pytest.fixture
def submitted(plan):
    add_line(plan, "course", 1_500_000, "Bogholderkursus")
    add_line(plan, "driving_licence", 1_800_000, "B-kørekort")
    add_line(plan, "dental", 600000, "Tandbehandling")
    plan_submit(citizen=plan.citizen, plan=plan)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def citizen_client(client, citizen):
    """The citizen logged in to My pages."""
    link = OneTimeLinkProvider.issue_link(citizen)
    client.post(re.sub(r"^https?://[^/]+", "", link))
    return client
