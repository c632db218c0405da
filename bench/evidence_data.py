"""Scale data for the evidence benchmark: one municipality's register, a personal-budget programme
run as an experiment, and five years of monthly outcomes.

- 200,000 citizens in København, with valid CPR numbers (python-stdnum's rules: a real birth date,
  the 7th digit fitting the century) but plain placeholder names: the evidence reports and the
  import only look at CPR numbers and ids, so the demo's Faker generator is not needed here.
- "Personligt budget" with four cohorts: two nominated (3,000 and 5,000 citizens offered), two
  drawn by lottery (15,000 drawn and 25,000 in the control group each, as `DrawEntry` rows with
  their `Draw`), and an `Offer` for each citizen offered: about 60 % accepted (took part).
- 60 months of `OutcomeMonth` for every citizen, January 2021 to December 2025: 12,000,000 rows.
  The five months after that (January to May 2026) are what the import benchmark imports.

Deterministic: the same plan gives the same rows on SQLite and PostgreSQL. The outcomes, the
citizens and the memberships go in as plain tuples (SQLite `executemany`, PostgreSQL `COPY`):
`bulk_create` would spend most of the load preparing 12 million model instances.
"""

import datetime
import hashlib
import json
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from bench.plan import EvidencePlan
from teten.accounts.models import Role, RoleAssignment, User
from teten.budgets.models import Offer, OfferStatus
from teten.citizens.models import Citizen
from teten.core import cpr as cpr_module
from teten.core.models import Municipality
from teten.documents.models import StoredFile
from teten.evidence.models import Arm, Draw, DrawEntry, ImportStatus, OutcomeImport, OutcomeMonth
from teten.evidence.summary import summary_rebuild_all
from teten.programmes.models import Cohort, Programme, ProgrammeKind, SelectionMode

MUNICIPALITY = ("101", "Københavns Kommune")
PROGRAMME_NAME = "Personligt budget"
COORDINATOR = "k101-koordinator"
# (name, start, how chosen, offered or drawn, control group)
COHORTS = (
    ("Fase 1", datetime.date(2021, 9, 1), SelectionMode.NOMINATED, 3_000, 0),
    ("Fase 2", datetime.date(2022, 3, 1), SelectionMode.NOMINATED, 5_000, 0),
    ("Fase 3", datetime.date(2023, 1, 1), SelectionMode.LOTTERY, 15_000, 25_000),
    ("Fase 4", datetime.date(2024, 1, 1), SelectionMode.LOTTERY, 15_000, 25_000),
)
ACCEPTED_SHARE, DECLINED_SHARE = 0.6, 0.25  # the rest never answered (the offer was withdrawn)
HOURS = (Decimal("37.00"), Decimal("74.50"), Decimal("120.25"), Decimal("160.33"))
BENEFIT_TEXT = {"cash_benefit": "kontanthjaelp", "education_benefit": "uddannelseshjaelp"}
BATCH = 100_000  # outcome rows per executemany / per progress line
OUTCOME_COLUMNS = (
    "municipality_id",
    "citizen_id",
    "month",
    "on_support",
    "benefit",
    "hours",
    "self_employed",
    "activation",
    "married",
    "danish_origin",
    "source_id",
)


@dataclass
class EvidenceLoadReport:
    citizens: int = 0
    members: int = 0
    offers: int = 0
    draw_entries: int = 0
    outcomes: int = 0
    generate_seconds: float = 0.0
    insert_seconds: float = 0.0
    summary_seconds: float = 0.0
    analyse_seconds: float = 0.0


def month_list(first: datetime.date, count: int) -> list[datetime.date]:
    index = first.year * 12 + first.month - 1
    return [datetime.date((index + i) // 12, (index + i) % 12 + 1, 1) for i in range(count)]


def cprs(count: int, rng: random.Random) -> list[str]:
    """`count` different, valid CPR numbers of people born 1960-1999 (7th digit 0-3: the 1900s)."""
    first, days = datetime.date(1960, 1, 1), (datetime.date(1999, 12, 31) - datetime.date(1960, 1, 1)).days
    found: set[str] = set()
    result = []
    while len(result) < count:
        born = first + datetime.timedelta(days=rng.randrange(days + 1))
        number = f"{born:%d%m%y}{rng.randrange(4000):04d}"
        if number not in found:
            found.add(number)
            result.append(number)
    return result


@dataclass(frozen=True)
class Person:
    """What the outcome generator needs to know about a citizen: how often on public support."""

    citizen_id: int
    cpr: str
    support: float  # the chance of being on public support in a month
    married: bool
    danish: bool


def existing_counts() -> tuple[int, int]:
    """(citizens, outcome rows) already in the database, or (0, 0) before migrate."""
    if OutcomeMonth._meta.db_table not in connection.introspection.table_names():
        return 0, 0
    return Citizen.objects.all_municipalities().count(), OutcomeMonth.objects.all_municipalities().count()


def load(plan: EvidencePlan, *, progress=print) -> EvidenceLoadReport:
    """Fill an empty, migrated database with the plan's data."""
    rng = random.Random(plan.seed)
    report = EvidenceLoadReport()
    with transaction.atomic():
        municipality = Municipality.objects.create(code=MUNICIPALITY[0], name=MUNICIPALITY[1])
        coordinator = _coordinator(municipality)
        started = time.perf_counter()
        numbers = cprs(plan.citizens, rng)
        report.generate_seconds += time.perf_counter() - started
        ids = _insert_citizens(municipality, numbers, report)
    progress(f"  {len(ids):,} citizens")
    with transaction.atomic():
        chosen = _programme(municipality, coordinator, ids, rng, report)
    progress(f"  {report.members:,} in the cohorts and control groups: {report.offers:,} offers")
    people = [
        Person(i, n, chosen.get(i, 0.15) if rng.random() < 0.9 else 0.0, rng.random() < 0.4, rng.random() < 0.8)
        for i, n in zip(ids, numbers, strict=True)
    ]
    source = placeholder_import(municipality, coordinator, "historik-2021-2025.csv")
    months = month_list(plan.history_from, plan.history_months)
    _insert_outcomes(municipality, source, people, months, rng, report, progress)
    started = time.perf_counter()
    summary_rebuild_all()  # the rows went in as plain SQL: their summary from them, as the import keeps it
    report.summary_seconds = time.perf_counter() - started
    progress(f"  the outcome summary in {report.summary_seconds:.0f} s")
    started = time.perf_counter()
    analyse()
    report.analyse_seconds = time.perf_counter() - started
    return report


def analyse() -> None:
    """Fresh planner statistics; on PostgreSQL also the visibility map, as autovacuum leaves it a
    while after a large insert (without it an index-only scan still reads the table)."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _coordinator(municipality: Municipality) -> User:
    user = User.objects.create(
        username=COORDINATOR,
        first_name="Kim",
        last_name="Koordinator",
        email=f"{COORDINATOR}@101.kommune.example",
        municipality=municipality,
        password=make_password(None),
    )
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR)
    return user


def placeholder_import(municipality, user, name: str) -> OutcomeImport:
    """The OutcomeImport the history rows point to (`source`): a stored-file row with no bytes."""
    digest = hashlib.sha256(name.encode()).hexdigest()
    stored = StoredFile.objects.create(
        municipality=municipality,
        storage_name=f"bench-{digest[:32]}.csv",
        original_name=name,
        content_type="text/csv",
        size=0,
        sha256=digest,
        uploaded_by_staff=user,
    )
    return OutcomeImport.objects.create(
        municipality=municipality,
        file=stored,
        file_name=name,
        sha256=digest,
        status=ImportStatus.DONE,
        uploaded_by=user,
        uploaded_at=timezone.now(),
        finished_at=timezone.now(),
    )


def _insert_citizens(municipality, numbers: list[str], report: EvidenceLoadReport) -> list[int]:
    started = time.perf_counter()
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = []
    for n, number in enumerate(numbers, start=1):
        first, last = "Borger", f"Nummer {n}"
        born, gender = cpr_module.birth_date(number), cpr_module.gender(number)
        search = f"{first} {last}".casefold()
        rows.append((municipality.pk, number, born, gender, first, last, search, "", "", "", "", "", None, at, at))
    report.generate_seconds += time.perf_counter() - started
    started = time.perf_counter()
    columns = (
        "municipality_id",
        "cpr",
        "birth_date",
        "gender",
        "first_name",
        "last_name",
        "search_name",
        "address",
        "postal_code",
        "city",
        "phone",
        "email",
        "assigned_consultant_id",
        "created_at",
        "updated_at",
    )
    insert_rows(Citizen._meta.db_table, columns, rows)
    report.citizens = len(rows)
    report.insert_seconds += time.perf_counter() - started
    return list(Citizen.objects.for_municipality(municipality).order_by("pk").values_list("pk", flat=True))


def _programme(municipality, coordinator, ids: list[int], rng: random.Random, report) -> dict[int, float]:
    """The programme, its cohorts, draws, draw entries and offers. Returns citizen id → chance of
    being on support, higher for the citizens chosen (the programme's target group)."""
    programme = Programme.objects.create(
        municipality=municipality, name=PROGRAMME_NAME, kind=ProgrammeKind.PERSONAL_BUDGET
    )
    scale = len(ids) / 200_000  # the cohorts are sized for 200,000 citizens
    sizes = [
        (name, starts_on, mode, round(offered * scale), round(control * scale))
        for name, starts_on, mode, offered, control in COHORTS
    ]
    pool = rng.sample(ids, sum(offered + control for *_, offered, control in sizes))
    chances: dict[int, float] = {}
    taken = 0
    offers, entries = [], []
    for name, starts_on, mode, offered, control in sizes:
        cohort = Cohort.objects.create(
            municipality=municipality, programme=programme, name=name, selection_mode=mode, starts_on=starts_on
        )
        members = pool[taken : taken + offered + control]
        taken += len(members)
        drawn = members[:offered]
        at = timezone.make_aware(datetime.datetime.combine(starts_on - datetime.timedelta(days=30), datetime.time(10)))
        if mode == SelectionMode.LOTTERY:
            order = sorted(members)
            draw = Draw.objects.create(
                municipality=municipality,
                programme=programme,
                cohort=cohort,
                seed=f"bench-{name}",
                on_date=starts_on - datetime.timedelta(days=30),
                drawn_count=offered,
                control_count=control,
                rules={"benefit": "cash_benefit"},
                pool=order,
                pool_sha256=hashlib.sha256(json.dumps(order).encode()).hexdigest(),
                drawn_by=coordinator,
                drawn_at=at,
            )
            entries += [
                (municipality.pk, draw.pk, programme.pk, citizen, Arm.DRAWN if p <= offered else Arm.CONTROL, p, False)
                for p, citizen in enumerate(members, start=1)
            ]
        for citizen in drawn:
            roll = rng.random()
            status = (
                OfferStatus.ACCEPTED
                if roll < ACCEPTED_SHARE
                else OfferStatus.DECLINED
                if roll < ACCEPTED_SHARE + DECLINED_SHARE
                else OfferStatus.WITHDRAWN
            )
            offers.append(
                Offer(
                    municipality=municipality,
                    programme=programme,
                    citizen_id=citizen,
                    cohort=cohort,
                    status=status,
                    offered_by=coordinator,
                    responded_at=None if status == OfferStatus.WITHDRAWN else at,
                )
            )
        for citizen in members:
            chances[citizen] = 0.55 + 0.3 * rng.random()
    columns = ("municipality_id", "draw_id", "programme_id", "citizen_id", "arm", "position", "repeat_allowed")
    insert_rows(DrawEntry._meta.db_table, columns, entries)
    Offer.objects.bulk_create(offers, batch_size=2000)
    report.members, report.offers, report.draw_entries = len(pool), len(offers), len(entries)
    return chances


def outcome_row(person: Person, month: datetime.date, rng: random.Random) -> tuple:
    """(on support, benefit, hours, self-employed, activation) for one person and month."""
    if rng.random() < person.support:
        benefit = "cash_benefit" if person.support > 0.5 else "education_benefit"
        return True, benefit, Decimal(0), False, "ordinary" if rng.random() < 0.3 else ""
    return False, "", HOURS[rng.randrange(len(HOURS))], rng.random() < 0.05, ""


def _insert_outcomes(municipality, source, people, months, rng, report, progress) -> None:
    m, s = municipality.pk, source.pk
    batch: list[tuple] = []

    def flush():
        started = time.perf_counter()
        with transaction.atomic():
            insert_rows(OutcomeMonth._meta.db_table, OUTCOME_COLUMNS, batch)
        report.insert_seconds += time.perf_counter() - started
        report.outcomes += len(batch)
        batch.clear()

    started = time.perf_counter()
    for person in people:
        for month in months:
            row = outcome_row(person, month, rng)
            batch.append((m, person.citizen_id, month, *row, person.married, person.danish, s))
        if len(batch) >= BATCH * 10:
            report.generate_seconds += time.perf_counter() - started
            flush()
            progress(f"  {report.outcomes:,} outcome months")
            started = time.perf_counter()
    report.generate_seconds += time.perf_counter() - started
    flush()
    progress(f"  {report.outcomes:,} outcome months")


def insert_rows(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Plain tuples into a model's table: one `executemany` on SQLite, a COPY on PostgreSQL."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        # The model's own table and column names; the values go as parameters.
        cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608
