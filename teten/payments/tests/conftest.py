import datetime

import pytest

from teten.accounts.models import Role
from teten.payments.commitments import commitment_reserve
from teten.payments.models import MoneyKind
from teten.programmes.models import FundingKind, FundingSource, Programme, ProgrammeKind

TODAY = datetime.date(2026, 11, 23)  # a Monday


@pytest.fixture
def caseworker(make_staff, muni_a):
    return make_staff(muni_a, Role.BENEFITS_CASEWORKER, username="lise")


@pytest.fixture
def finance(make_staff, muni_a):
    return make_staff(muni_a, Role.FINANCE_OFFICER, username="henrik", email="henrik@k.dk")


@pytest.fixture
def finance2(make_staff, muni_a):
    return make_staff(muni_a, Role.FINANCE_OFFICER, username="sanne", email="sanne@k.dk")


@pytest.fixture
def programme(muni_a):
    muni_a.ean = "5798000416604"
    muni_a.save()
    return Programme.objects.create(
        municipality=muni_a, name="Personlige budgetter", kind=ProgrammeKind.PERSONAL_BUDGET, max_citizen_tranche=500000
    )


@pytest.fixture
def pool(muni_a):
    return FundingSource.objects.create(
        municipality=muni_a,
        name="Fondsmidler",
        kind=FundingKind.FOUNDATION,
        amount=10_000_000,
        account_code="5.68.90.1",
    )


@pytest.fixture
def grant(caseworker, programme, pool, citizen):
    """A decided grant of 20.000 kr. to the citizen."""
    return commitment_reserve(
        actor=caseworker,
        programme=programme,
        funding_source=pool,
        citizen=citizen,
        kind=MoneyKind.GRANT,
        reference="test.Grant:1",
        amount=2_000_000,
        description="Kursus i regnskab",
        decided_on=TODAY,
        key="grant-1",
        legal_basis="LAB § 32 – Vejledning og opkvalificering",
    )
