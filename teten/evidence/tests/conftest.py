import datetime

import pytest

from conftest import next_cpr
from teten.accounts.models import Role
from teten.citizens.models import BenefitPeriod, BenefitType, Readiness
from teten.programmes.eligibility import default_rules_install
from teten.programmes.models import Cohort, Programme, ProgrammeKind, SelectionMode


@pytest.fixture
def coordinator(make_staff, muni_a):
    return make_staff(muni_a, Role.COORDINATOR, username="birgitte", first_name="Birgitte", last_name="Koordinator")


@pytest.fixture
def evaluator(make_staff, muni_a):
    return make_staff(muni_a, Role.EVALUATOR, username="peter", first_name="Peter", last_name="Evaluator")


@pytest.fixture
def budget_programme(muni_a):
    programme = Programme.objects.create(
        municipality=muni_a, name="Langtidsledige tager teten", kind=ProgrammeKind.PERSONAL_BUDGET
    )
    default_rules_install(programme)
    return programme


@pytest.fixture
def lottery_cohort(budget_programme):
    return Cohort.objects.create(
        municipality=budget_programme.municipality,
        programme=budget_programme,
        name="Fase 4",
        selection_mode=SelectionMode.LOTTERY,
        starts_on=datetime.date(2017, 1, 1),
    )


@pytest.fixture
def make_eligible(make_citizen, muni_a):
    """Citizens in the source's target group: job-ready, on cash benefit since 2020, born 1970."""

    def make(n: int, municipality=None, **fields):
        people = []
        for i in range(n):
            female = i % 2 == 0
            c = make_citizen(
                municipality or muni_a,
                cpr=next_cpr(datetime.date(1970, 1, 1) + datetime.timedelta(days=i // 300), female=female),
                first_name=f"Borger{i}",
                **fields,
            )
            BenefitPeriod.objects.create(
                citizen=c,
                benefit_type=BenefitType.CASH_BENEFIT,
                readiness=Readiness.JOB_READY,
                start_date=datetime.date(2020, 1, 1),
            )
            people.append(c)
        return people

    return make
