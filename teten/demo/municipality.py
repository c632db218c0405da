"""The demo municipality: "Demo Kommune" with one user per role and a few hundred citizens.

Later programmes add their own parts (see `PARTS`); each part is idempotent.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from teten.accounts.models import Role, RoleAssignment, User
from teten.citizens.models import BenefitPeriod, Citizen
from teten.citizens.services import apply_derived
from teten.core import cpr as cpr_module
from teten.core.models import Municipality
from teten.demo.generator import CitizenGenerator

DEMO_NAME = "Demo Kommune"
DEMO_CODE = "999"
DEMO_PASSWORD = "teten-demo-2026"  # noqa: S105 - printed by `make run` on purpose
DEMO_SEED = 2026
DEMO_CITIZENS = 300


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    roles: tuple[str, ...]


DEMO_USERS = (
    DemoUser("konsulent", "Mette", "Kristensen", (Role.JOB_CONSULTANT,)),
    DemoUser("konsulent2", "Jonas", "Holm", (Role.JOB_CONSULTANT,)),
    DemoUser("sagsbehandler", "Lise", "Bundgaard", (Role.BENEFITS_CASEWORKER,)),
    DemoUser("coach", "Karim", "Haddad", (Role.COACH,)),
    DemoUser("koordinator", "Birgitte", "Vestergaard", (Role.COORDINATOR,)),
    DemoUser("okonomi", "Henrik", "Mortensen", (Role.FINANCE_OFFICER,)),
    DemoUser("okonomi2", "Sanne", "Lauridsen", (Role.FINANCE_OFFICER,)),
    DemoUser("evaluator", "Peter", "Dalgaard", (Role.EVALUATOR,)),
    DemoUser("admin", "Anne", "Thomsen", (Role.ADMINISTRATOR,)),
)


def _users(municipality: Municipality) -> dict[str, User]:
    users = {}
    for spec in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "municipality": municipality,
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@demo-kommune.dk",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=r) for r in spec.roles])
        users[spec.username] = user
    return users


def _citizens(municipality: Municipality, users: dict[str, User], today: datetime.date) -> None:
    if Citizen.objects.for_municipality(municipality).exists():
        return
    generator = CitizenGenerator(DEMO_SEED, today)
    consultants = [users["konsulent"], users["konsulent2"]]
    citizens, periods = [], []
    for index in range(DEMO_CITIZENS):
        seed = generator.person()
        citizen = Citizen(municipality=municipality, **seed.__dict__)
        # The first 60 are Mette's and the next 45 Jonas's, so both worklists have people.
        citizen.assigned_consultant = consultants[0] if index < 60 else consultants[1] if index < 105 else None
        apply_derived(citizen)
        citizens.append(citizen)
    Citizen.objects.bulk_create(citizens)
    saved = {c.cpr: c for c in Citizen.objects.for_municipality(municipality)}
    for citizen in citizens:
        born = cpr_module.birth_date(citizen.cpr)
        for p in generator.benefit_history(born):
            periods.append(BenefitPeriod(citizen=saved[citizen.cpr], **p.__dict__))
    BenefitPeriod.objects.bulk_create(periods)


@transaction.atomic
def demo_municipality_load(*, today: datetime.date) -> Municipality:
    municipality, _ = Municipality.objects.get_or_create(code=DEMO_CODE, defaults={"name": DEMO_NAME})
    users = _users(municipality)
    _citizens(municipality, users, today)
    return municipality
