"""Shared fixtures: two municipalities (A and B), staff with each role, citizens in both.

Municipality B exists in every test so that "an outsider sees nothing" can always be checked.
"""

import datetime
import itertools

import pytest
from django.core.management.commands import flush

from teten.accounts.models import Role, RoleAssignment, User
from teten.citizens.models import BenefitPeriod, BenefitType, Citizen, Readiness
from teten.citizens.services import apply_derived
from teten.core import dbguard
from teten.core.models import Municipality

PASSWORD = "correct-horse-battery-42"

_original_flush = flush.Command.handle


def _flush_with_audit_maintenance(self, *args, **options):
    # Test teardown empties every table; the audit tables' triggers allow that only in maintenance.
    with dbguard.maintenance():
        return _original_flush(self, *args, **options)


flush.Command.handle = _flush_with_audit_maintenance

_cpr_serial = itertools.count()


def next_cpr(birth: datetime.date = datetime.date(1980, 1, 1), *, female: bool = False) -> str:
    """A fresh, valid CPR for a birth date in the 1900s (century digit 0-3; last digit by gender).
    Unique for the first 400 calls with the same birth date, plenty for one test."""
    n = next(_cpr_serial) % 400
    return f"{birth:%d%m%y}{n:03d}{(n % 5) * 2 + (0 if female else 1)}"


@pytest.fixture
def make_municipality(db):
    counter = itertools.count(100)

    def make(name: str | None = None) -> Municipality:
        code = str(next(counter))
        return Municipality.objects.create(name=name or f"Kommune {code}", code=code)

    return make


@pytest.fixture
def make_staff(db):
    counter = itertools.count(1)

    def make(municipality: Municipality, *roles: str, username: str | None = None, **details) -> User:
        user = User.objects.create_user(
            username=username or f"user{next(counter)}",
            password=PASSWORD,
            municipality=municipality,
            first_name=details.pop("first_name", "Ansat"),
            last_name=details.pop("last_name", f"Nr{next(counter)}"),
            **details,
        )
        RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=r) for r in roles])
        return user

    return make


@pytest.fixture
def make_citizen(db):
    def make(
        municipality: Municipality, *, cpr: str | None = None, consultant: User | None = None, **fields
    ) -> Citizen:
        citizen = Citizen(
            municipality=municipality,
            cpr=cpr or next_cpr(),
            first_name=fields.pop("first_name", "Borger"),
            last_name=fields.pop("last_name", "Testesen"),
            assigned_consultant=consultant,
            **fields,
        )
        apply_derived(citizen)
        citizen.save()
        return citizen

    return make


@pytest.fixture
def muni_a(make_municipality):
    return make_municipality("Aarhus Kommune")


@pytest.fixture
def muni_b(make_municipality):
    return make_municipality("Slagelse Kommune")


@pytest.fixture
def consultant(make_staff, muni_a):
    return make_staff(muni_a, Role.JOB_CONSULTANT, username="mette", first_name="Mette", last_name="Konsulent")


@pytest.fixture
def outsider(make_staff, muni_b):
    """A job consultant of another municipality: must never see municipality A's citizens."""
    return make_staff(muni_b, Role.JOB_CONSULTANT, username="bob", first_name="Bob", last_name="Udefra")


@pytest.fixture
def citizen(make_citizen, muni_a, consultant):
    c = make_citizen(
        muni_a,
        cpr="1503801234",
        consultant=consultant,
        first_name="Hanne",
        last_name="Østergård",
        email="hanne@eksempel.dk",
        address="Søndergade 4",
        postal_code="8000",
        city="Aarhus C",
    )
    BenefitPeriod.objects.create(
        citizen=c,
        benefit_type=BenefitType.CASH_BENEFIT,
        readiness=Readiness.JOB_READY,
        start_date=datetime.date(2024, 3, 1),
    )
    return c


@pytest.fixture
def foreign_citizen(make_citizen, muni_b, outsider):
    return make_citizen(muni_b, cpr="2207751238", consultant=outsider, first_name="Fremmed", last_name="Borgersen")
