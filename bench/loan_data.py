"""Scale data for the micro-loan benchmark: paid-out loans with their repayment schedules.

Each of the largest municipalities runs one micro-loan programme with its own repayment terms,
and its loans are shared out by population (100,000 loans in 4 municipalities: København 45,298,
Aarhus 25,189, Aalborg 15,237, Odense 14,276). Every loan has what the real services leave
behind: a citizen, a case that went through the courses to a decision, a LOAN commitment with its
reservation, the decision letter and the loan agreement, and the current repayment schedule made
by the project's own `repayment_schedule` from the payout date. As on the business date
(2026-11-23) a loan is in its establishment period (no instalment due yet), repaying on time, in
arrears, rescheduled once, or repaid.

Deterministic: the same plan always gives the same rows, on SQLite and PostgreSQL alike.

What is not here, because neither `teten daily`'s loan duties nor the coordinator's page reads it:
the payout payments and their batches, the ledger postings, the Repayment rows behind the paid
instalments, the audit trail of the decisions, and cases that ended before a loan. The decision,
agreement and earlier reminder letters are small placeholder rows, not rendered PDFs.
"""

import datetime
import hashlib
import random
import time
from dataclasses import dataclass, field
from functools import lru_cache

from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from bench.municipalities import RealMunicipality, largest, share_out
from bench.plan import LoanPlan
from teten.accounts.models import Role, RoleAssignment, User
from teten.citizens.models import Citizen
from teten.citizens.services import apply_derived
from teten.core.businessdays import next_business_day
from teten.core.models import Municipality
from teten.demo.generator import CitizenGenerator
from teten.documents.models import Letter
from teten.loans.configuration import loan_settings
from teten.loans.decisions import DEFAULT_LEGAL_BASIS
from teten.loans.models import InstalmentReminder, Loan, LoanCase, ScheduledInstalment, ScheduleVersion, Stage
from teten.loans.schedule import amounts, first_due_date, repayment_schedule
from teten.payments.models import Commitment, CommitmentEntry, CommitmentEntryKind, MoneyKind
from teten.programmes.models import FundingKind, FundingSource, Programme, ProgrammeKind

PROGRAMME_NAME = "Mikrolån – selvstændig virksomhed"
# Repayment terms, the largest municipality first: 500 kr. a month (60-100 instalments for a loan
# of 30,000-50,000 kr.), then 36, 24 and 48 equal instalments (Aarhus, Aalborg, Odense).
TERMS = ((50_000, None), (None, 36), (None, 24), (None, 48))
ESTABLISHMENT_MONTHS, GRACE_MONTHS, REMINDER_AFTER_DAYS = 6, 3, 7
PAYOUT_YEARS = 6  # loans paid out over the six years before the business date
ARREARS_SHARE = 0.05  # of the loans repaying, with 1-4 missed instalments
MISSED_WEIGHTS = {1: 50, 2: 25, 3: 15, 4: 10}
RESCHEDULED_SHARE = 0.02  # of the loans repaying: a new schedule by decision, a pause of 3 months
CHUNK = 1000  # loans per transaction
BATCH_SIZE = 2000
PLACEHOLDER_PDF = b"%PDF-1.4\n% Teten benchmark placeholder, not a rendered letter\n%%EOF\n"
BUSINESSES = (
    "Rengøring",
    "Cykelværksted",
    "Frisør",
    "Havservice",
    "Syværksted",
    "Kaffebar",
    "IT-hjælp",
    "Foodtruck",
    "Webshop",
    "Malerfirma",
    "Hundepasning",
    "Massageklinik",
    "Bageri",
    "Tømrer",
    "Vinduespudsning",
    "Lydstudie",
)


@dataclass
class LoanLoadReport:
    municipalities: int = 0
    loans: int = 0
    instalments: int = 0
    open_loans: int = 0
    in_arrears: int = 0
    rescheduled: int = 0
    repaid: int = 0
    generate_seconds: float = 0.0
    insert_seconds: float = 0.0
    analyse_seconds: float = 0.0


def coordinator_username(code: str) -> str:
    return f"k{code}-koordinator"


def loan_counts() -> tuple[int, int]:
    """(loans, reminders sent on the business date) already in the database, or (0, 0) before migrate.

    A database whose daily job has run for the business date has sent its reminders: the
    benchmark's first run would find nothing to do, so it is loaded again."""
    if Loan._meta.db_table not in connection.introspection.table_names():
        return 0, 0
    sent = InstalmentReminder.objects.filter(business_date=LoanPlan.business_date).count()
    return Loan.objects.all_municipalities().count(), sent


# --- one loan's story, as plain data --------------------------------------------------------


@dataclass
class Row:
    """One scheduled instalment as loaded."""

    number: int
    due_date: datetime.date
    amount: int
    paid: int = 0
    reminded_on: datetime.date | None = None  # a reminder sent before the business date


@dataclass
class Story:
    stage: str
    schedules: list[list[Row]]  # the last one is current
    closed_on: datetime.date | None = None
    missed: int = 0
    rescheduled: bool = False
    rows: int = field(init=False)

    def __post_init__(self):
        self.rows = sum(len(s) for s in self.schedules)


@lru_cache(maxsize=4096)
def _due_dates(first_due: datetime.date, count: int) -> tuple[datetime.date, ...]:
    """The due dates of a schedule of `count` instalments (Danish business days), computed once."""
    return tuple(i.due_date for i in repayment_schedule(count, first_due=first_due, count=count))


def schedule(total: int, first_due: datetime.date, terms: tuple[int | None, int | None]) -> list[Row]:
    """Exactly `repayment_schedule(total, first_due=..., instalment=..., count=...)`, with the due
    dates cached: 100,000 schedules share a few hundred first due dates."""
    instalment, count = terms
    parts = amounts(total, instalment=instalment, count=count)
    dates = _due_dates(first_due, len(parts))
    return [Row(n + 1, due, amount) for n, (due, amount) in enumerate(zip(dates, parts, strict=True))]


def _pay_due(rows: list[Row], on: datetime.date) -> int:
    due = [r for r in rows if r.due_date < on]
    for row in due:
        row.paid = row.amount
    return len(due)


def story(rng: random.Random, *, amount: int, paid_out_on: datetime.date, terms, on: datetime.date) -> Story:
    """How the loan has gone until `on`: every instalment due is paid on its day, except for the
    loans in arrears (the latest 1-4 missed; reminders were sent for all but the newest) and the
    loans rescheduled once (the rest of the debt moved to a new schedule after a pause)."""
    first = first_due_date(paid_out_on, establishment_months=ESTABLISHMENT_MONTHS, grace_months=GRACE_MONTHS)
    rows = schedule(amount, first, terms)
    due = sum(1 for r in rows if r.due_date < on)
    if due == 0:
        return Story(Stage.DISBURSED, [rows])
    if due == len(rows):
        _pay_due(rows, on)
        return Story(Stage.REPAID, [rows], closed_on=rows[-1].due_date)
    roll = rng.random()
    if roll < ARREARS_SHARE and due >= 2:
        missed = min(rng.choices(list(MISSED_WEIGHTS), weights=list(MISSED_WEIGHTS.values()))[0], due - 1)
        for row in rows[: due - missed]:
            row.paid = row.amount
        for row in rows[due - missed : due - 1]:
            row.reminded_on = row.due_date + datetime.timedelta(days=REMINDER_AFTER_DAYS)
        return Story(Stage.REPAYING, [rows], missed=missed)
    if roll < ARREARS_SHARE + RESCHEDULED_SHARE and due >= 2:
        paused_at = rng.randint(1, due - 1)
        for row in rows[:paused_at]:
            row.paid = row.amount
        rest = sum(r.amount for r in rows[paused_at:])
        new_first = first_due_date(rows[paused_at].due_date, establishment_months=0, grace_months=3)
        current = schedule(rest, new_first, terms)
        if _pay_due(current, on) == len(current):
            return Story(Stage.REPAID, [rows, current], closed_on=current[-1].due_date, rescheduled=True)
        return Story(Stage.REPAYING, [rows, current], rescheduled=True)
    _pay_due(rows, on)
    return Story(Stage.REPAYING, [rows])


def first_unpaid_due(told: Story) -> datetime.date | None:
    """What `balances.first_unpaid_refresh` records on the case: the oldest unpaid due date of
    the current schedule, none once the loan is closed."""
    if told.closed_on is not None:
        return None
    return min((row.due_date for row in told.schedules[-1] if row.paid < row.amount), default=None)


# --- loading --------------------------------------------------------------------------------


def load(plan: LoanPlan, *, progress=print) -> LoanLoadReport:
    """Fill an empty, migrated database with the plan's loans."""
    chosen = largest(plan.municipalities)
    counts = share_out(plan.loans, chosen)
    by_size = sorted(chosen, key=lambda m: (-m.population, m.code))
    people = CitizenGenerator(plan.seed, plan.business_date)
    staff_names = CitizenGenerator(plan.seed + 1, plan.business_date)
    rng = random.Random(plan.seed)
    report = LoanLoadReport()
    municipalities = Municipality.objects.bulk_create(Municipality(code=m.code, name=m.name) for m in chosen)
    report.municipalities = len(municipalities)
    for real, municipality in zip(chosen, municipalities, strict=True):
        terms = TERMS[by_size.index(real) % len(TERMS)]
        with transaction.atomic():
            staff = _staff(real, municipality, staff_names)
            programme, pool = _programme(municipality, terms, counts[real.code])
        office = Office(municipality, programme, pool, staff, terms)
        left = counts[real.code]
        while left:
            size = min(CHUNK, left)
            with transaction.atomic():
                _chunk(size, office, plan, people, rng, report)
            left -= size
            if report.loans % 10_000 < CHUNK or not left:
                progress(f"  {report.loans:>7,} loans ({municipality.name}), {report.instalments:,} instalments")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # On PostgreSQL also VACUUM, as autovacuum would soon after a load this size (it may be
        # off on a benchmark machine): it sets the visibility map, without which no query can
        # be answered from an index alone.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    report.analyse_seconds = time.perf_counter() - started
    return report


def _staff(real: RealMunicipality, municipality: Municipality, names: CitizenGenerator) -> dict[str, User]:
    """The coordinator (the page's reader), the coach who recommends, the central unit's
    caseworker who decides (never the same person: four eyes), and the consultant who referred."""
    roles = {
        "koordinator": Role.COORDINATOR,
        "coach": Role.COACH,
        "sagsbehandler": Role.BENEFITS_CASEWORKER,
        "konsulent": Role.JOB_CONSULTANT,
    }
    password = make_password(None)
    users = {}
    for title in roles:
        person = names.person()
        username = f"k{real.code}-{title}"
        users[title] = User(
            username=username,
            first_name=person.first_name,
            last_name=person.last_name,
            email=f"{username}@{real.code}.kommune.example",
            municipality=municipality,
            password=password,
        )
    User.objects.bulk_create(users.values())
    RoleAssignment.objects.bulk_create(RoleAssignment(user=users[title], role=role) for title, role in roles.items())
    return users


def _programme(municipality: Municipality, terms, loans: int) -> tuple[Programme, FundingSource]:
    pool = FundingSource.objects.create(
        municipality=municipality,
        name="Mikrolånspulje",
        kind=FundingKind.EARMARKED,
        amount=loans * 5_000_000,
        account_code="5.68.30",
    )
    programme = Programme.objects.create(
        municipality=municipality,
        name=PROGRAMME_NAME,
        kind=ProgrammeKind.MICROLOAN,
        description="Rentefrie lån på 30.000-50.000 kr. til borgere, der vil starte egen virksomhed.",
    )
    settings_row = loan_settings(programme)  # the defaults and the source's course modules
    settings_row.instalment_amount, settings_row.instalment_count = terms
    settings_row.establishment_months, settings_row.grace_months = ESTABLISHMENT_MONTHS, GRACE_MONTHS
    settings_row.reminder_after_days = REMINDER_AFTER_DAYS
    settings_row.loan_pool = pool
    settings_row.save()
    return programme, pool


def _letter(municipality, citizen, kind: str, title: str, at: datetime.datetime, by, obj) -> Letter:
    """A placeholder for a letter issued before the business date (the benchmark renders none)."""
    return Letter(
        municipality=municipality,
        citizen=citizen,
        kind=kind,
        title=title,
        pdf=PLACEHOLDER_PDF,
        sha256=hashlib.sha256(PLACEHOLDER_PDF).hexdigest(),
        created_at=at,
        created_by=by,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        sent_at=at,
    )


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@dataclass(frozen=True)
class Office:
    """One municipality's programme: its staff, its loan pool and its repayment terms."""

    municipality: Municipality
    programme: Programme
    pool: FundingSource
    staff: dict[str, User]
    terms: tuple[int | None, int | None]


def _borrower(office: Office, people: CitizenGenerator, rng: random.Random, on: datetime.date):
    """One citizen's way from referral to a loan paid out some day in the last six years."""
    m, staff = office.municipality, office.staff
    citizen = Citizen(municipality=m, **vars(people.person()))
    apply_derived(citizen)
    amount = rng.randrange(30_000, 50_001, 1_000) * 100
    first_payout = on - relativedelta(years=PAYOUT_YEARS)
    paid_out_on = next_business_day(first_payout + datetime.timedelta(days=rng.randrange((on - first_payout).days - 3)))
    decided_on = paid_out_on - datetime.timedelta(days=rng.randint(3, 14))
    courses_done_on = decided_on - datetime.timedelta(days=rng.randint(8, 47))
    interviewed_on = courses_done_on - datetime.timedelta(days=rng.randint(80, 120))
    business = f"{rng.choice(BUSINESSES)} {citizen.last_name}"
    told = story(rng, amount=amount, paid_out_on=paid_out_on, terms=office.terms, on=on)
    case = LoanCase(
        municipality=m,
        programme=office.programme,
        citizen=citizen,
        stage=told.stage,
        referred_by=staff["konsulent"],
        referral_reason="Har en konkret idé til egen virksomhed og ønsker at blive selvforsørgende.",
        referred_on=interviewed_on - datetime.timedelta(days=rng.randint(14, 40)),
        coach=staff["coach"],
        info_meeting_on=interviewed_on - datetime.timedelta(days=7),
        interviewed_on=interviewed_on,
        score_idea=rng.randint(3, 5),
        score_professional=rng.randint(3, 5),
        score_personal=rng.randint(3, 5),
        courses_done_on=courses_done_on,
        business_name=business,
        business_idea=f"{business}: en lille virksomhed i lokalområdet.",
        expected_revenue=rng.randrange(200_000, 600_001, 10_000) * 100,
        expected_costs=rng.randrange(50_000, 150_001, 5_000) * 100,
        check_customers=True,
        check_health=True,
        check_family=True,
        check_budget=True,
        recommended_amount=amount,
        recommended_support_months=0,
        recommended_by=staff["coach"],
        recommended_on=decided_on - datetime.timedelta(days=2),
        keeps_pension=rng.random() < 0.15,
        first_unpaid_due=first_unpaid_due(told),
    )
    loan = Loan(
        municipality=m,
        amount=amount,
        recommended_by=staff["coach"],
        decided_by=staff["sagsbehandler"],
        decided_on=decided_on,
        legal_basis=DEFAULT_LEGAL_BASIS,
        agreement_accepted_at=_at(decided_on + datetime.timedelta(days=2)),
        paid_out_on=paid_out_on,
        establishment_end=paid_out_on + relativedelta(months=ESTABLISHMENT_MONTHS) - datetime.timedelta(days=1),
        closed_on=told.closed_on,
    )
    return citizen, case, loan, told


def _chunk(size: int, office: Office, plan: LoanPlan, people, rng, report: LoanLoadReport) -> None:
    started = time.perf_counter()
    citizens, cases, loans, stories = zip(
        *(_borrower(office, people, rng, plan.business_date) for _ in range(size)), strict=True
    )
    generated = time.perf_counter()
    Citizen.objects.bulk_create(citizens, batch_size=BATCH_SIZE)
    LoanCase.objects.bulk_create(cases, batch_size=BATCH_SIZE)
    _decisions(office, cases, loans)
    Loan.objects.bulk_create(loans, batch_size=BATCH_SIZE)
    _schedules(office.municipality, loans, cases, stories)
    report.insert_seconds += time.perf_counter() - generated
    report.generate_seconds += generated - started
    report.loans += size
    report.instalments += sum(s.rows for s in stories)
    report.open_loans += sum(1 for s in stories if s.closed_on is None)
    report.in_arrears += sum(1 for s in stories if s.missed)
    report.rescheduled += sum(1 for s in stories if s.rescheduled)
    report.repaid += sum(1 for s in stories if s.stage == Stage.REPAID)


def _decisions(office: Office, cases, loans) -> None:
    """Each loan's LOAN commitment, reserved in the pool, and its two letters, as `loan_decide` makes them."""
    municipality, pool, by = office.municipality, office.pool, office.staff["sagsbehandler"]
    commitments = [
        Commitment(
            municipality=municipality,
            funding_source=pool,
            programme=case.programme,
            citizen=case.citizen,
            kind=MoneyKind.LOAN,
            reference=f"loans.LoanCase:{case.pk}",
            description=f"Mikrolån til {case.business_name}",
            legal_basis=DEFAULT_LEGAL_BASIS,
        )
        for case in cases
    ]
    Commitment.objects.bulk_create(commitments, batch_size=BATCH_SIZE)
    CommitmentEntry.objects.bulk_create(
        (
            CommitmentEntry(
                commitment=commitment,
                kind=CommitmentEntryKind.RESERVE,
                amount=loan.amount,
                key=f"loans.decide:{case.pk}",
                decided_on=loan.decided_on,
                actor=by,
            )
            for commitment, loan, case in zip(commitments, loans, cases, strict=True)
        ),
        batch_size=BATCH_SIZE,
    )
    letters = []
    for case, loan, commitment in zip(cases, loans, commitments, strict=True):
        at = _at(loan.decided_on)
        decision = _letter(municipality, case.citizen, "loan_decision", "Afgørelse om mikrolån", at, by, case)
        agreement = _letter(
            municipality, case.citizen, "loan_agreement", "Låneaftale (gældsbrev) om mikrolån", at, by, case
        )
        letters += [decision, agreement]
        loan.case, loan.commitment, loan.decision_letter, loan.agreement_letter = case, commitment, decision, agreement
    Letter.objects.bulk_create(letters, batch_size=BATCH_SIZE)


def _schedules(municipality, loans, cases, stories) -> None:
    """The schedule versions and their instalments; the reminders already sent, with their letters."""
    versions = [
        ScheduleVersion(
            loan=loan, number=n + 1, is_current=n == len(story.schedules) - 1, reason="Betalingspause" if n else ""
        )
        for loan, story in zip(loans, stories, strict=True)
        for n in range(len(story.schedules))
    ]
    ScheduleVersion.objects.bulk_create(versions, batch_size=BATCH_SIZE)
    schedules = iter(versions)
    rows, reminded = [], []
    for loan, case, story in zip(loans, cases, stories, strict=True):
        # The story's schedules first: zip stops there without taking the next loan's version.
        for schedule_rows, version in zip(story.schedules, schedules, strict=False):
            for row in schedule_rows:
                rows.append((version.pk, row.number, row.due_date, row.amount, row.paid))
                if row.reminded_on:
                    reminded.append((version.pk, row, loan, case))
    _insert_instalments(rows)
    if not reminded:
        return
    found = ScheduledInstalment.objects.filter(schedule_id__in={pk for pk, *_ in reminded})
    ids = {(schedule, number): pk for schedule, number, pk in found.values_list("schedule_id", "number", "id")}
    title = "Påmindelse om et afdrag på dit lån"
    letters = [
        _letter(municipality, case.citizen, "loan_reminder", title, _at(row.reminded_on, 6), None, loan)
        for _pk, row, loan, case in reminded
    ]
    Letter.objects.bulk_create(letters, batch_size=BATCH_SIZE)
    InstalmentReminder.objects.bulk_create(
        (
            InstalmentReminder(instalment_id=ids[pk, row.number], business_date=row.reminded_on, letter=letter)
            for (pk, row, _loan, _case), letter in zip(reminded, letters, strict=True)
        ),
        batch_size=BATCH_SIZE,
    )


def _insert_instalments(rows: list[tuple]) -> None:
    """ScheduledInstalment rows as plain tuples: at some 5.6 million rows for 100,000 loans,
    `bulk_create` (which builds a model instance and prepares every value of every row in Python)
    would take most of the load. SQLite gets one `executemany` of the INSERT; PostgreSQL a COPY,
    as its INSERTs, even batched, are several times slower."""
    table = ScheduledInstalment._meta.db_table
    columns = ("schedule_id", "number", "due_date", "amount", "paid")
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        adapt = connection.ops.adapt_datefield_value
        # The model's own table and column names; the values go as parameters.
        sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608
        cursor.executemany(sql, [(s, n, adapt(due), amount, paid) for s, n, due, amount, paid in rows])
