"""Scale data: Denmark's municipalities, their staff, and citizens with benefit histories.

Deterministic: the same plan (count, municipalities, seed, date) always gives the same citizens,
CPR numbers, histories and worklists, on SQLite and PostgreSQL alike. People come from the demo's
`CitizenGenerator` (Faker's Danish names and addresses, CPR numbers by the real century rules),
and the derived fields from `apply_derived`, exactly as the demo and the services make them.

About 70 % of a municipality's citizens have a job consultant; each consultant's worklist holds
25–300 citizens. In the largest municipality the first two consultants are the benchmark's probes:
one with 300 citizens and one, new in the job, with 5.
"""

import random
import time
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from bench.municipalities import RealMunicipality, largest, share_out
from bench.plan import Plan
from teten.accounts.models import Role, RoleAssignment, User
from teten.citizens.models import BenefitPeriod, Citizen
from teten.citizens.services import apply_derived
from teten.core.models import Municipality
from teten.demo.generator import CitizenGenerator

ASSIGNED_SHARE = 0.7
WORKLIST_MIN, WORKLIST_MAX = 25, 300
PROBE_WORKLISTS = (300, 5)
BATCH_SIZE = 2000


@dataclass
class LoadReport:
    municipalities: int = 0
    staff: int = 0
    citizens: int = 0
    benefit_periods: int = 0
    generate_seconds: float = 0.0
    insert_seconds: float = 0.0
    analyse_seconds: float = 0.0


def consultant_username(code: str, number: int) -> str:
    return f"k{code}-konsulent-{number:03d}"


def probe_usernames() -> tuple[str, str]:
    """The largest municipality's consultants with the long and the short worklist."""
    code = largest(1)[0].code
    return consultant_username(code, 1), consultant_username(code, 2)


def worklist_sizes(total: int, rng: random.Random, fixed: tuple[int, ...] = ()) -> list[int]:
    """Split `total` assigned citizens into worklists of WORKLIST_MIN–WORKLIST_MAX, after any fixed ones."""
    sizes, left = [], total
    for size in fixed:
        sizes.append(min(size, left))
        left -= sizes[-1]
    while left > 0:
        sizes.append(min(left, rng.randint(WORKLIST_MIN, WORKLIST_MAX)))
        left -= sizes[-1]
    free = range(len(fixed), len(sizes) - 1)
    if len(free) and sizes[-1] < WORKLIST_MIN:
        # Too short a last list: its citizens go to the colleagues' lists, one each.
        for index in range(sizes.pop()):
            sizes[free[index % len(free)]] += 1
    return [size for size in sizes if size] or [0]


def existing_counts() -> tuple[int, int]:
    """(municipalities, citizens) already in the database, or (0, 0) before migrate."""
    tables = connection.introspection.table_names()
    if Citizen._meta.db_table not in tables:
        return 0, 0
    return Municipality.objects.count(), Citizen.objects.all_municipalities().count()


def load(plan: Plan, *, progress=print) -> LoadReport:
    """Fill an empty, migrated database with the plan's data."""
    chosen = largest(plan.municipalities)
    counts = share_out(plan.citizens, chosen)
    biggest = max(chosen, key=lambda m: (counts[m.code], m.code))
    people = CitizenGenerator(plan.seed, plan.data_date)
    staff_names = CitizenGenerator(plan.seed + 1, plan.data_date)
    worklist_rng = random.Random(plan.seed)
    report = LoadReport()
    municipalities = Municipality.objects.bulk_create(Municipality(code=m.code, name=m.name) for m in chosen)
    report.municipalities = len(municipalities)
    for number, (real, municipality) in enumerate(zip(chosen, municipalities, strict=True), start=1):
        assigned = round(counts[real.code] * ASSIGNED_SHARE)
        sizes = worklist_sizes(assigned, worklist_rng, PROBE_WORKLISTS if real is biggest else ())
        with transaction.atomic():
            consultants = _staff(real, municipality, len(sizes), staff_names, report)
            _citizens(municipality, counts[real.code], consultants, sizes, people, worklist_rng, report)
        if number % 10 == 0 or number == len(chosen):
            progress(f"  {number:>3}/{len(chosen)} municipalities, {report.citizens:,} citizens")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # Fresh statistics for the query planner, as autovacuum (PostgreSQL) or a DBA (SQLite) would give.
        cursor.execute("ANALYZE")
    report.analyse_seconds = time.perf_counter() - started
    return report


def _staff(
    real: RealMunicipality, municipality: Municipality, consultants: int, names: CitizenGenerator, report: LoadReport
) -> list[User]:
    users, roles = [], []
    password = make_password(None)  # nobody logs in with a password: the benchmark uses force_login
    for number in range(1, consultants + 2):
        person = names.person()
        username = consultant_username(real.code, number) if number <= consultants else f"k{real.code}-sagsbehandler"
        users.append(
            User(
                username=username,
                first_name=person.first_name,
                last_name=person.last_name,
                email=f"{username}@{real.code}.kommune.example",
                municipality=municipality,
                password=password,
            )
        )
    User.objects.bulk_create(users)
    for user in users:
        role = Role.BENEFITS_CASEWORKER if user.username.endswith("sagsbehandler") else Role.JOB_CONSULTANT
        roles.append(RoleAssignment(user=user, role=role))
    RoleAssignment.objects.bulk_create(roles)
    report.staff += len(users)
    return users[:consultants]


def _citizens(
    municipality: Municipality,
    count: int,
    consultants: list[User],
    sizes: list[int],
    people: CitizenGenerator,
    rng: random.Random,
    report: LoadReport,
) -> None:
    started = time.perf_counter()
    citizens, histories = [], []
    for _ in range(count):
        citizen = Citizen(municipality=municipality, **vars(people.person()))
        apply_derived(citizen)
        citizens.append(citizen)
        histories.append(people.benefit_history(citizen.birth_date))
    owners = [consultant for consultant, size in zip(consultants, sizes, strict=True) for _ in range(size)]
    for index, consultant in zip(rng.sample(range(count), len(owners)), owners, strict=True):
        citizens[index].assigned_consultant = consultant
    generated = time.perf_counter()
    Citizen.objects.bulk_create(citizens, batch_size=BATCH_SIZE)
    periods = [
        BenefitPeriod(citizen=citizen, **vars(period))
        for citizen, history in zip(citizens, histories, strict=True)
        for period in history
    ]
    BenefitPeriod.objects.bulk_create(periods, batch_size=BATCH_SIZE)
    report.citizens += len(citizens)
    report.benefit_periods += len(periods)
    report.generate_seconds += generated - started
    report.insert_seconds += time.perf_counter() - generated
