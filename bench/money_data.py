"""Scale data for the money benchmark: personal-budget grants with their open payments.

Each of the largest municipalities runs a personal-budget programme (at most 10,000 kr. to the
citizen at a time) paid from three funding sources: the municipal budget, a foundation grant and
an earmarked pool. Every citizen has one decided grant of 5,000-60,000 kr. for one thing (a course,
a driving licence, dental care, ...), reserved in one pool and split into monthly tranches by the
project's own `split_into_tranches`, each due on the first business day of its month, as
`payment_plan_create` makes them. On the business date, Tuesday 1 December 2026:

- the tranches due before it were paid (they are not open, and not loaded);
- the tranche due on it is *scheduled and due*: `teten daily`'s `payments_due` approves and posts it;
- the later ones are scheduled for the coming months;
- a fifth of the grants also pay a supplier's invoice (to the municipality's EAN), approved when
  it came in during the last six business days: put into a payment batch for its day (the
  finance officers make one a day, alternately left waiting for approval or approved and waiting
  for export), or, come in today, in none yet. Its approval is posted in the ledger, as
  `payment_create` would have posted it.

Payments are shared out over the municipalities by population until there are exactly
`plan.payments` open ones (the last grant generated loses its latest tranches to make the
count exact). Deterministic: the same plan always gives the same rows, on SQLite and PostgreSQL.

What is not here, because the daily job's payment duties do not read it: the paid tranches and
their postings, the decision letters and audit trail of the grants and the invoices, and budget
plans behind the grants (the budgets benchmark has those).
"""

import datetime
import random
import time
from dataclasses import dataclass, field
from functools import cache

from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from stdnum import ean as stdnum_ean
from stdnum.dk import cvr as stdnum_cvr

from bench.municipalities import RealMunicipality, largest, share_out
from bench.plan import MoneyPlan
from teten.accounts.models import Role, RoleAssignment, User
from teten.citizens.models import Citizen
from teten.citizens.services import apply_derived
from teten.core.businessdays import add_business_days, next_business_day
from teten.core.models import DailyRun, Municipality
from teten.demo.generator import CitizenGenerator
from teten.ledger.models import LedgerLeg, LedgerTransaction
from teten.payments import postings
from teten.payments.models import (
    BatchStatus,
    Commitment,
    CommitmentEntry,
    CommitmentEntryKind,
    MoneyKind,
    Payee,
    Payment,
    PaymentBatch,
    PaymentStatus,
)
from teten.payments.services import split_into_tranches
from teten.programmes.models import FundingKind, FundingSource, Programme, ProgrammeKind

PROGRAMME_NAME = "Personlige budgetter"
MAX_TRANCHE = 1_000_000  # øre: 10,000 kr. to the citizen at a time
GRANT_KRONER = (5_000, 60_000, 500)  # from, to, step
START_MONTHS = (-4, 2)  # the first tranche falls due this many months from the business date's month
INVOICE_SHARE = 0.2
INVOICE_KRONER = (1_000, 15_000, 250)
INVOICE_DAYS = 6  # invoices came in over the last six business days and today
# (name, kind, account code, share of the grants)
SOURCES = (
    ("Kommunale budgetmidler", FundingKind.MUNICIPAL, "5.68.90.0", 50),
    ("Fondsbevilling – personlige budgetter", FundingKind.FOUNDATION, "5.68.90.1", 30),
    ("Øremærket pulje – jobrettede indsatser", FundingKind.EARMARKED, "5.68.90.2", 20),
)
POOL_HEADROOM = 1.25  # each pool is this much larger than what its grants reserve
WHAT = (
    ("Kursus", "LAB § 32 – Vejledning og opkvalificering"),
    ("Kørekort", "LAB § 32 – Vejledning og opkvalificering"),
    ("Tandbehandling", "LAB § 82 – Hjælp til tandbehandling"),
    ("Computer og udstyr", "LAB § 100 – Hjælpemidler"),
    ("Transport", "LAB § 82 – Befordringsgodtgørelse"),
    ("Etableringsydelse", "LAB § 32 – Vejledning og opkvalificering"),
)
SUPPLIERS = ("AMU Hovedstaden", "Køreskolen Centrum", "Tandlægehuset", "Elgiganten Erhverv", "Kursuscentret")
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # as `new_payment_reference`
CHUNK = 1000  # grants per transaction
BATCH_SIZE = 2000


# --- the grants and payments, as plain data -----------------------------------------------------


@dataclass
class OpenPayment:
    amount: int
    due_date: datetime.date
    status: str
    description: str
    reference: str
    payee: str = Payee.CITIZEN
    supplier: str = ""
    invoice_number: str = ""
    batch_day: int | None = None  # business days before the business date its batch was made


@dataclass
class Grant:
    source: int  # index into SOURCES
    what: int  # index into WHAT
    amount: int  # øre, reserved in the pool: every tranche, paid or not, and the invoice
    decided_on: datetime.date
    payments: list[OpenPayment]


@dataclass
class Office:
    real: RealMunicipality
    grants: list[Grant] = field(default_factory=list)

    @property
    def payments(self) -> int:
        return sum(len(g.payments) for g in self.grants)

    def reserved(self, source: int) -> int:
        return sum(g.amount for g in self.grants if g.source == source)


def batch_status(days_ago: int) -> str:
    """Yesterday's batch waits for approval, the one before was approved, and so on back."""
    return BatchStatus.OPEN if days_ago % 2 else BatchStatus.APPROVED


def batch_dates(on: datetime.date, days_ago: int) -> tuple[datetime.date, datetime.date | None]:
    """(made on, approved on) of the batch made `days_ago` business days before `on`: an approved
    batch was approved the business day after it was made."""
    made = add_business_days(on, -days_ago)
    approved = add_business_days(made, 1) if batch_status(days_ago) == BatchStatus.APPROVED else None
    return made, approved


def _reference(rng: random.Random, used: set[str]) -> str:
    while True:
        code = "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(10))
        reference = f"TT-{code[:5]}-{code[5:]}"
        if reference not in used:
            used.add(reference)
            return reference


def _kroner(rng: random.Random, spec: tuple[int, int, int]) -> int:
    low, high, step = spec
    return rng.randrange(low, high + 1, step) * 100


def grant_story(rng: random.Random, on: datetime.date, used: set[str]) -> Grant:
    """One citizen's grant and what of it is still open on `on` (perhaps nothing)."""
    source = rng.choices(range(len(SOURCES)), weights=[s[3] for s in SOURCES])[0]
    what = rng.randrange(len(WHAT))
    total = _kroner(rng, GRANT_KRONER)
    tranches = split_into_tranches(total, MAX_TRANCHE)
    first_due = on.replace(day=1) + relativedelta(months=rng.randint(*START_MONTHS))
    # Decided 5-30 business days before the first tranche, and never after the day before `on`.
    decided_on = min(add_business_days(next_business_day(first_due), -rng.randint(5, 30)), add_business_days(on, -1))
    payments = []
    for index, amount in enumerate(tranches):
        due = next_business_day(first_due + relativedelta(months=index))
        if due < on:
            continue  # paid in an earlier month
        text = f"{WHAT[what][0]} ({index + 1}/{len(tranches)})" if len(tranches) > 1 else WHAT[what][0]
        payments.append(OpenPayment(amount, due, PaymentStatus.SCHEDULED, text, _reference(rng, used)))
    amount = total
    if rng.random() < INVOICE_SHARE:
        invoice = _kroner(rng, INVOICE_KRONER)
        days_ago = rng.randint(0, INVOICE_DAYS)
        came = add_business_days(on, -days_ago)
        supplier = rng.randrange(len(SUPPLIERS))
        payments.append(
            OpenPayment(
                invoice,
                came,
                PaymentStatus.IN_BATCH if days_ago else PaymentStatus.APPROVED,
                f"{WHAT[what][0]}: faktura fra {SUPPLIERS[supplier]}",
                _reference(rng, used),
                payee=Payee.SUPPLIER,
                supplier=SUPPLIERS[supplier],
                invoice_number=f"F{rng.randrange(10_000, 99_999)}",
                batch_day=days_ago or None,
            )
        )
        amount += invoice
        decided_on = min(decided_on, came)
    return Grant(source, what, amount, decided_on, payments)


def offices(plan: MoneyPlan) -> list[Office]:
    """Every municipality's grants, with exactly `plan.payments` open payments in all."""
    chosen = largest(plan.municipalities)
    counts = share_out(plan.payments, chosen)
    rng = random.Random(plan.seed)
    result = []
    for real in chosen:
        office, used, left = Office(real), set(), counts[real.code]
        while left > 0:
            grant = grant_story(rng, plan.business_date, used)
            if not grant.payments:
                continue  # fully paid: not open, not loaded
            del grant.payments[left:]  # the last grant gives up its latest tranches
            office.grants.append(grant)
            left -= len(grant.payments)
        result.append(office)
    return result


@cache
def valid_cvr(seed: int) -> str:
    """The first 8-digit number from `seed` on that passes the CVR check digit."""
    number = seed
    while not stdnum_cvr.is_valid(f"{number:08d}"):
        number += 1
    return f"{number:08d}"


def municipality_ean(code: str) -> str:
    """A valid 13-digit EAN location number for the municipality (5798 0000 0 + its code)."""
    base = f"579800000{code}"
    return base + stdnum_ean.calc_check_digit(base)


# --- loading ------------------------------------------------------------------------------------


@dataclass
class MoneyLoadReport:
    municipalities: int = 0
    grants: int = 0
    payments: int = 0
    due: int = 0  # scheduled and due on the business date
    later: int = 0  # scheduled for later months
    invoices: int = 0
    in_batches: int = 0
    batches: int = 0
    ledger_transactions: int = 0
    generate_seconds: float = 0.0
    insert_seconds: float = 0.0
    analyse_seconds: float = 0.0


def money_counts(on: datetime.date = MoneyPlan.business_date) -> tuple[int, int]:
    """(payments, daily runs for the business date) already in the database, or (0, 0) before migrate.

    A database whose daily job has run for the business date has approved its due tranches: the
    benchmark's first run would find nothing to do, so it is loaded again."""
    if Payment._meta.db_table not in connection.introspection.table_names():
        return 0, 0
    return Payment.objects.all_municipalities().count(), DailyRun.objects.filter(business_date=on).count()


def load(plan: MoneyPlan, *, progress=print) -> MoneyLoadReport:
    """Fill an empty, migrated database with the plan's grants and open payments."""
    started = time.perf_counter()
    planned = offices(plan)
    people = CitizenGenerator(plan.seed, plan.business_date)
    staff_names = CitizenGenerator(plan.seed + 1, plan.business_date)
    report = MoneyLoadReport(generate_seconds=time.perf_counter() - started)
    municipalities = Municipality.objects.bulk_create(
        Municipality(code=o.real.code, name=o.real.name, ean=municipality_ean(o.real.code)) for o in planned
    )
    report.municipalities = len(municipalities)
    for office, municipality in zip(planned, municipalities, strict=True):
        with transaction.atomic():
            setting = _setting(office, municipality, staff_names, plan.business_date)
        for start in range(0, len(office.grants), CHUNK):
            with transaction.atomic():
                _chunk(office.grants[start : start + CHUNK], setting, people, report)
        report.batches += len(setting.batches)
        progress(f"  {municipality.name}: {len(office.grants):,} grants, {office.payments:,} open payments")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # As the loans benchmark: VACUUM on PostgreSQL too, as autovacuum would soon after a load.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    report.analyse_seconds = time.perf_counter() - started
    return report


@dataclass
class Setting:
    """One municipality's programme, pools, accounts, staff and the payment batches of the last days."""

    municipality: Municipality
    programme: Programme
    sources: list[FundingSource]
    caseworker: User
    batches: dict[int, PaymentBatch]  # by business days ago
    on: datetime.date


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _setting(office: Office, municipality: Municipality, names: CitizenGenerator, on: datetime.date) -> Setting:
    code = office.real.code
    password = make_password(None)
    titles = {
        "sagsbehandler": Role.BENEFITS_CASEWORKER,
        "okonomi-1": Role.FINANCE_OFFICER,
        "okonomi-2": Role.FINANCE_OFFICER,
        "koordinator": Role.COORDINATOR,
    }
    users = {}
    for title in titles:
        person = names.person()
        username = f"k{code}-{title}"
        users[title] = User(
            username=username,
            first_name=person.first_name,
            last_name=person.last_name,
            email=f"{username}@{code}.kommune.example",
            municipality=municipality,
            password=password,
        )
    User.objects.bulk_create(users.values())
    RoleAssignment.objects.bulk_create(RoleAssignment(user=users[t], role=role) for t, role in titles.items())
    programme = Programme.objects.create(
        municipality=municipality,
        name=PROGRAMME_NAME,
        kind=ProgrammeKind.PERSONAL_BUDGET,
        description="Et personligt budget til det, der bringer borgeren tættere på job eller uddannelse.",
        max_citizen_tranche=MAX_TRANCHE,
    )
    sources = FundingSource.objects.bulk_create(
        FundingSource(
            municipality=municipality,
            name=name,
            kind=kind,
            amount=round(office.reserved(index) * POOL_HEADROOM, -7),  # whole 100,000 kr.
            account_code=account_code,
        )
        for index, (name, kind, account_code, _share) in enumerate(SOURCES)
    )
    # The ledger accounts, made exactly as the postings make them on first use.
    for key in postings.SYSTEM_ACCOUNTS:
        postings.system_account(municipality, key)
    for source in sources:
        postings.spending_account(Commitment(funding_source=source, kind=MoneyKind.GRANT))
    days = sorted({p.batch_day for g in office.grants for p in g.payments if p.batch_day})
    batches = {}
    for days_ago in days:
        made, approved = batch_dates(on, days_ago)
        batches[days_ago] = PaymentBatch(
            municipality=municipality,
            key=f"batch:{made.isoformat()}",
            payment_date=add_business_days(made, 2),
            status=batch_status(days_ago),
            created_by=users["okonomi-1"],
            approved_by=users["okonomi-2"] if approved else None,
            approved_at=_at(approved, 11) if approved else None,
        )
    PaymentBatch.objects.bulk_create(batches.values())
    for days_ago, batch in batches.items():
        # created_at is auto_now_add, so bulk_create set it to now: back to the day it was made.
        PaymentBatch.objects.for_municipality(municipality).filter(pk=batch.pk).update(
            created_at=_at(batch_dates(on, days_ago)[0], 9)
        )
    return Setting(municipality, programme, sources, users["sagsbehandler"], batches, on)


def _chunk(grants: list[Grant], s: Setting, people: CitizenGenerator, report: MoneyLoadReport) -> None:
    started = time.perf_counter()
    m = s.municipality
    citizens = []
    for _ in grants:
        citizen = Citizen(municipality=m, **vars(people.person()))
        apply_derived(citizen)
        citizens.append(citizen)
    generated = time.perf_counter()
    Citizen.objects.bulk_create(citizens, batch_size=BATCH_SIZE)
    commitments = [
        Commitment(
            municipality=m,
            funding_source=s.sources[g.source],
            programme=s.programme,
            citizen=citizen,
            kind=MoneyKind.GRANT,
            reference=f"bench.Grant:{citizen.pk}",
            description=WHAT[g.what][0],
            legal_basis=WHAT[g.what][1],
        )
        for g, citizen in zip(grants, citizens, strict=True)
    ]
    Commitment.objects.bulk_create(commitments, batch_size=BATCH_SIZE)
    CommitmentEntry.objects.bulk_create(
        (
            CommitmentEntry(
                commitment=c,
                kind=CommitmentEntryKind.RESERVE,
                amount=g.amount,
                key=f"commitment:{c.reference}:reserve",
                decided_on=g.decided_on,
                actor=s.caseworker,
            )
            for g, c in zip(grants, commitments, strict=True)
        ),
        batch_size=BATCH_SIZE,
    )
    payments = []
    for g, c in zip(grants, commitments, strict=True):
        for number, p in enumerate(g.payments, start=1):
            invoice = p.payee == Payee.SUPPLIER
            payments.append(
                Payment(
                    municipality=m,
                    reference=p.reference,
                    key=f"{c.reference}:{'invoice' if invoice else number}",
                    commitment=c,
                    citizen=c.citizen,
                    kind=MoneyKind.GRANT,
                    payee=p.payee,
                    supplier_name=p.supplier,
                    supplier_cvr=valid_cvr(10_000_000 + 1_000 * SUPPLIERS.index(p.supplier)) if invoice else "",
                    invoice_number=p.invoice_number,
                    ean=m.ean if invoice else "",
                    amount=p.amount,
                    due_date=p.due_date,
                    description=p.description,
                    status=p.status,
                    batch=s.batches[p.batch_day] if p.batch_day else None,
                    created_by=s.caseworker,
                )
            )
    Payment.objects.bulk_create(payments, batch_size=BATCH_SIZE)
    report.ledger_transactions += _approved_postings(s, [p for p in payments if p.status != PaymentStatus.SCHEDULED])
    report.insert_seconds += time.perf_counter() - generated
    report.generate_seconds += generated - started
    report.grants += len(grants)
    report.payments += len(payments)
    report.due += sum(1 for p in payments if p.status == PaymentStatus.SCHEDULED and p.due_date <= s.on)
    report.later += sum(1 for p in payments if p.status == PaymentStatus.SCHEDULED and p.due_date > s.on)
    report.invoices += sum(1 for p in payments if p.payee == Payee.SUPPLIER)
    report.in_batches += sum(1 for p in payments if p.batch_id)


def _approved_postings(s: Setting, approved: list[Payment]) -> int:
    """The approval of each invoice in the ledger, exactly what `postings.payment_approved` posts:
    Dr spending on the grant's pool, Cr invoices due to suppliers."""
    if not approved:
        return 0
    payable = postings.system_account(s.municipality, "payable_suppliers")
    spending = {
        source.pk: postings.spending_account(Commitment(funding_source=source, kind=MoneyKind.GRANT))
        for source in s.sources
    }
    transactions = LedgerTransaction.objects.bulk_create(
        (
            LedgerTransaction(
                municipality=s.municipality,
                key=f"payment:{p.pk}:approved",
                booked_on=p.due_date,
                description=f"{p.description} ({p.reference})",
                reference=f"payments.Payment:{p.pk}",
                citizen_id=p.citizen_id,
                created_by=s.caseworker,
            )
            for p in approved
        ),
        batch_size=BATCH_SIZE,
    )
    LedgerLeg.objects.bulk_create(
        (
            leg
            for p, tx in zip(approved, transactions, strict=True)
            for leg in (
                LedgerLeg(transaction=tx, account=spending[p.commitment.funding_source_id], amount=p.amount),
                LedgerLeg(transaction=tx, account=payable, amount=-p.amount),
            )
        ),
        batch_size=BATCH_SIZE,
    )
    return len(transactions)
