"""Budget scale data: the platform's citizens extended with a personal-budget programme in every
municipality and, by default, 50,000 budget plans of about six lines each.

Deterministic, like the platform data: the same scale (plans, citizens, municipalities, seed, date)
gives the same rows on SQLite and PostgreSQL. Every date is counted back from the data date
(2026-01-01), the benchmark's business day: the programme has run for two years, so most plans are
approved or closed, and some are being written, waiting for review or back with the citizen.

What a plan carries depends on how far it has come, as the services would have left it: the
accepted offer with the signed declaration; lines (draft, pending, approved, needing a better
argument, rejected, now and then cancelled); every submitted version as it was sent, with the team's
traffic lights; then the grant decision and its letter, a commitment per approved line, payments
(supplier invoices, and tranches of at most 5,000 kr. to the citizen) in monthly batches, receipts
handed in, accepted or missing, change requests, conversations; misuse and a recovery claim on some
stopped plans; a closing decision on closed ones.

Left out, because none of the measured pages reads them: line reviews, commitment entries, ledger
postings, decision events, reminders and collective courses. Letters carry a small placeholder PDF
(real ones are ~30 KB each; 60,000 of them would only make the files large), and receipts' stored
files have rows but no bytes on disk.
"""

import datetime
import hashlib
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone, translation

from bench.municipalities import largest
from bench.plan import BudgetScale
from bench.scale_data import consultant_username
from teten.accounts.models import Role, RoleAssignment, User
from teten.budgets.models import (
    Assessment,
    BudgetLine,
    BudgetPlan,
    BudgetSettings,
    ChangeKind,
    ChangeRequest,
    Colour,
    Conversation,
    ConversationForm,
    DecisionKind,
    Education,
    FinalStatus,
    GrantDecision,
    LineStatus,
    MeetingWish,
    Misuse,
    MisuseKind,
    Offer,
    OfferStatus,
    PlanStatus,
    PlanVersion,
    Receipt,
    ReceiptStatus,
    RequestStatus,
)
from teten.budgets.offers import DECLARATION
from teten.citizens.models import Citizen
from teten.core.models import Municipality
from teten.documents.models import Letter, StoredFile
from teten.payments.models import (
    BatchStatus,
    ClaimReason,
    Commitment,
    MoneyKind,
    Payee,
    Payment,
    PaymentBatch,
    PaymentStatus,
    RecoveryClaim,
)
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

PROGRAMME_NAME = "Langtidsledige tager teten"
CAP = 5_000_000  # øre, the source's 50.000 kr. incl. VAT
WINDOW_MONTHS = 6
RECEIPT_DAYS = 30
TRANCHE = 500_000  # the largest payment to the citizen at a time
BATCH_SIZE = 2000
# The share of plans in each status, two years into the programme.
STATUS_MIX = (
    (PlanStatus.CLOSED, 0.36),
    (PlanStatus.APPROVED, 0.30),
    (PlanStatus.DRAFT, 0.12),
    (PlanStatus.SUBMITTED, 0.10),
    (PlanStatus.CHANGES_REQUESTED, 0.06),
    (PlanStatus.STOPPED, 0.06),
)
# In the largest municipality: the consultant with 300 citizens has 150 budget plans; the one with 5
# has 3 (one waiting for review, one being written, one running with something in every worklist section).
PROBE_PLANS = (150, 3)
PROBE_SHORT_STATUSES = (PlanStatus.SUBMITTED, PlanStatus.DRAFT, PlanStatus.APPROVED)

# (description, supplier, smallest and largest price in kroner) per expense category, and how often
# a line falls in it.
CATALOGUE = {
    "course": (
        0.30,
        [
            ("Bogholderkursus", "AOF", 8_000, 16_000),
            ("Truckcertifikat", "AMU Syd", 4_000, 9_000),
            ("Kursus i Excel og regnskab", "Teknologisk Institut", 3_000, 7_000),
            ("Hygiejnebevis", "Fødevareakademiet", 1_500, 3_000),
            ("Kursus i at starte egen virksomhed", "Væksthuset", 2_000, 6_000),
            ("Sikkerhedskursus til byggeplads", "AMU Nord", 2_500, 5_000),
        ],
    ),
    "transport": (
        0.14,
        [
            ("Rejsekort til kursus og samtaler", "DSB", 800, 3_000),
            ("Cykel til at komme på arbejde", "Cykelhandleren", 2_500, 6_000),
        ],
    ),
    "card_fee": (0.04, [("Kørekortsgebyr", "Færdselsstyrelsen", 280, 900)]),
    "psychologist": (
        0.09,
        [
            ("Samtaler med psykolog (8 gange)", "Psykologhuset", 5_000, 9_000),
            ("Forløb med jobcoach", "Coachgruppen", 3_000, 7_000),
        ],
    ),
    "dental": (0.09, [("Tandbehandling", "Tandlægerne i Centrum", 3_000, 14_000)]),
    "glasses": (0.06, [("Briller", "Synoptik", 1_500, 4_000)]),
    "driving_licence": (
        0.10,
        [("B-kørekort", "Køreskolen Syd", 12_000, 20_000), ("C-kørekort", "Trafikskolen", 18_000, 24_000)],
    ),
    "startup_allowance": (0.03, [("Opstartshonorar", "", 5_000, 10_000)]),
    "equipment": (
        0.15,
        [
            ("Bærbar computer og Office", "Elgiganten", 4_000, 9_000),
            ("Arbejdstøj og sikkerhedssko", "Jem & Fix", 800, 2_500),
            ("Smartphone til vagtplan og jobsøgning", "Telia", 2_000, 5_000),
            ("Værktøj til håndværkerjob", "Bauhaus", 1_500, 6_000),
        ],
    ),
}
JOBS = (
    "bogholder",
    "lagermedarbejder",
    "chauffør",
    "kok",
    "social- og sundhedshjælper",
    "butiksassistent",
    "tømrer",
    "rengøringsassistent",
    "pædagogmedhjælper",
    "it-supporter",
    "frisør",
    "selvstændig",
)
WHY = (
    "Jeg søger job som {job}, og det her er det, der mangler, før jeg kan sige ja til et.",
    "Flere arbejdsgivere har sagt, at de gerne vil have mig, hvis jeg har det her i orden.",
    "Jeg bor langt fra busserne, og uden det kan jeg ikke nå frem til et job som {job}.",
    "Jeg har brug for det for at møde op til samtaler med selvtillid og uden at skamme mig.",
    "Det giver mig papir på det, jeg allerede kan, så jeg kan søge job som {job}.",
    "Min jobkonsulent og jeg har talt om, at det her er første skridt mod at blive {job}.",
)
COMMENTS = (
    "Hvordan hænger det sammen med dit jobmål? Skriv lidt mere.",
    "Kan du finde et billigere sted? Skriv prisen fra to steder.",
    "Det kan vi ikke bevilge i dette projekt.",
)
NOTES = (
    "Gennemgik budgettet; borgeren er motiveret og har talt med to arbejdsgivere.",
    "Kurset er i gang; borgeren har fået en praktikaftale.",
    "Talte om kvitteringer: originalen skal også afleveres på papir.",
    "Borgeren har søgt tre job siden sidst og er til samtale i næste uge.",
    "Aftalte at vi ses igen om fjorten dage.",
)
FINAL_STATUS_MIX = (
    (FinalStatus.EMPLOYMENT, 0.38),
    (FinalStatus.EDUCATION, 0.12),
    (FinalStatus.SELF_EMPLOYED, 0.06),
    (FinalStatus.STILL_ON_BENEFIT, 0.38),
    (FinalStatus.OTHER, 0.06),
)
# A letter's bytes: the start of a PDF, the same for every letter (see the module docstring).
PLACEHOLDER_PDF = b"%PDF-1.4\n% Teten benchmark placeholder: the decision letter as sent\n%%EOF\n"


@dataclass
class BudgetLoadReport:
    municipalities: int = 0
    plans: int = 0
    lines: int = 0
    payments: int = 0
    receipts: int = 0
    rows: int = 0
    by_status: dict = field(default_factory=dict)
    generate_seconds: float = 0.0
    insert_seconds: float = 0.0
    analyse_seconds: float = 0.0


def existing_plan_count() -> int:
    if BudgetPlan._meta.db_table not in connection.introspection.table_names():
        return 0
    return BudgetPlan.objects.all_municipalities().count()


@contextmanager
def timestamps_as_given(*models):
    """Let bulk_create keep the timestamps the data gives (auto_now would stamp today's time on
    every row, and the data would differ from one load to the next)."""
    fields = [
        f
        for model in models
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


TIMESTAMPED = (
    Offer,
    BudgetPlan,
    BudgetLine,
    PlanVersion,
    Assessment,
    GrantDecision,
    ChangeRequest,
    Receipt,
    Conversation,
    Programme,
    FundingSource,
    Commitment,
    Payment,
    PaymentBatch,
    RecoveryClaim,
    RoleAssignment,
)


def share(total: int, weights: dict[int, int]) -> dict[int, int]:
    """Split `total` by `weights` (largest remainder), never more than a weight."""
    whole = sum(weights.values())
    exact = {k: total * w / whole for k, w in weights.items()}
    counts = {k: min(int(v), weights[k]) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: (-(exact[k] - int(exact[k])), k)):
        if sum(counts.values()) >= total:
            break
        if counts[k] < weights[k]:
            counts[k] += 1
    return counts


def load(scale: BudgetScale, *, progress=print) -> BudgetLoadReport:
    """Add the budget data to a database that holds the platform scale data (and nothing else)."""
    report = BudgetLoadReport()
    rng = random.Random(scale.base.seed + 4)
    day = scale.base.data_date
    municipalities = list(Municipality.objects.order_by("code"))
    assigned = {
        m.pk: list(
            Citizen.objects.for_municipality(m)
            .filter(assigned_consultant__isnull=False)
            .order_by("id")
            .values_list("id", "assigned_consultant_id")
        )
        for m in municipalities
    }
    counts = share(scale.plans, {m.pk: len(assigned[m.pk]) for m in municipalities})
    probe_code = largest(1)[0].code  # the platform data's probes work there
    with timestamps_as_given(*TIMESTAMPED), translation.override("da"):
        for number, m in enumerate(municipalities, start=1):
            with transaction.atomic():
                _Municipality(m, day, rng, report).load(assigned[m.pk], counts[m.pk], probes=m.code == probe_code)
            if number % 10 == 0 or number == len(municipalities):
                progress(f"  {number:>3}/{len(municipalities)} municipalities, {report.plans:,} budget plans")
    report.municipalities = len(municipalities)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    report.analyse_seconds = time.perf_counter() - started
    return report


def probe_usernames() -> tuple[str, str]:
    """The consultants whose worklists the benchmark opens: 150 plans and 3 (the platform's probes)."""
    code = largest(1)[0].code
    return consultant_username(code, 1), consultant_username(code, 2)


def _weighted(rng: random.Random, mix):
    roll, running = rng.random(), 0.0
    for value, weight in mix:
        running += weight
        if roll < running:
            return value
    return mix[-1][0]


def _exact_mix(count: int, rng: random.Random) -> list[str]:
    """`count` statuses in exactly the mix's proportions (largest remainder), shuffled."""
    weights = {status: round(weight * 1000) for status, weight in STATUS_MIX}
    statuses = [s for s, n in share(count, weights).items() for _ in range(n)]
    rng.shuffle(statuses)
    return statuses


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


class _Municipality:
    """One municipality's programme and plans, generated in memory and inserted in one transaction."""

    def __init__(self, municipality: Municipality, day: datetime.date, rng: random.Random, report: BudgetLoadReport):
        self.m, self.day, self.rng, self.report = municipality, day, rng, report
        self.code = municipality.code
        self.references: set[str] = set()

    def at(self, day: datetime.date, hour: int | None = None) -> datetime.datetime:
        """A moment in office hours on `day`, Copenhagen time."""
        rng = self.rng
        moment = datetime.time(hour if hour is not None else rng.randint(8, 15), rng.randint(0, 59), rng.randint(0, 59))
        return timezone.make_aware(datetime.datetime.combine(day, moment))

    # --- the programme --------------------------------------------------------------------------------

    def setup(self) -> None:
        m, start = self.m, self.day - relativedelta(years=2)
        m.ean = f"579800{int(self.code):04d}{int(self.code) % 997:03d}"[:13]
        m.save(update_fields=["ean"])
        created = self.at(start, 9)
        self.municipal, self.foundation = FundingSource.objects.bulk_create(
            [
                FundingSource(
                    municipality=m,
                    name="Kommunale midler",
                    kind=FundingKind.MUNICIPAL,
                    amount=2_000_000_000,
                    account_code="5.68.90.10",
                    created_at=created,
                ),
                FundingSource(
                    municipality=m,
                    name="Fondsmidler",
                    kind=FundingKind.FOUNDATION,
                    amount=6_000_000_000,
                    account_code="5.68.90.20",
                    created_at=created,
                ),
            ]
        )
        self.programme = Programme.objects.create(
            municipality=m,
            name=PROGRAMME_NAME,
            kind=ProgrammeKind.PERSONAL_BUDGET,
            description="Personlige, borgerstyrede budgetter på op til 50.000 kr.",
            max_citizen_tranche=TRANCHE,
            created_at=created,
        )
        BudgetSettings.objects.create(
            municipality=m,
            programme=self.programme,
            cap=CAP,
            window_months=WINDOW_MONTHS,
            receipt_deadline_days=RECEIPT_DAYS,
        )
        default_rules_install(self.programme)
        funding = {"municipal": self.municipal, "foundation": self.foundation}
        rule_table_install(programme=self.programme, funding=funding)
        self.categories = {c.code: c for c in ExpenseCategory.objects.for_municipality(m)}
        self.rules = self._current_rules()

    def _current_rules(self) -> dict[str, BookingRule]:
        """A table in force since 2020 (the 2018 one ended with the renumbering of the employment act),
        as a coordinator would have added it; the grant decisions book by it."""
        m, start = self.m, datetime.date(2020, 1, 1)
        las = {p: LegalBasis.objects.for_municipality(m).get(law="LAS", paragraph=p) for p in ("§ 81", "§ 82")}
        lab = {
            key: LegalBasis.objects.create(
                municipality=m, law="LAB", paragraph=paragraph, title=title, valid_from=start
            )
            for key, paragraph, title in (
                ("course", "§ 91", "Vejledning og opkvalificering"),
                ("tools", "§ 100", "Hjælpemidler og arbejdsredskaber"),
                ("transport", "§ 175", "Befordringsgodtgørelse"),
            )
        }
        table = {
            "course": (lab["course"], self.municipal),
            "transport": (lab["transport"], self.municipal),
            "card_fee": (las["§ 81"], self.municipal),
            "psychologist": (las["§ 82"], self.municipal),
            "dental": (las["§ 82"], self.municipal),
            "glasses": (las["§ 82"], self.municipal),
            "driving_licence": (lab["course"], self.foundation),
            "equipment": (lab["tools"], self.foundation),
            "startup_allowance": (None, self.foundation),
        }
        rules = BookingRule.objects.bulk_create(
            BookingRule(
                municipality=m,
                programme=self.programme,
                category=self.categories[code],
                legal_basis=basis,
                funding_source=source,
                valid_from=start,
            )
            for code, (basis, source) in table.items()
        )
        return {rule.category.code: rule for rule in rules}

    def finance_staff(self) -> None:
        """Two finance officers (a batch needs four eyes); the platform data has none."""
        password = make_password(None)
        users = User.objects.bulk_create(
            User(
                username=f"k{self.code}-okonomi-{n}",
                first_name="Økonomi",
                last_name=str(n),
                email=f"k{self.code}-okonomi-{n}@{self.code}.kommune.example",
                municipality=self.m,
                password=password,
            )
            for n in (1, 2)
        )
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=u, role=Role.FINANCE_OFFICER, granted_at=self.at(self.day - relativedelta(years=2), 9))
            for u in users
        )
        self.finance = users
        self.caseworker = User.objects.get(username=f"k{self.code}-sagsbehandler")

    # --- the plans ------------------------------------------------------------------------------------

    def load(self, assigned: list[tuple[int, int]], count: int, *, probes: bool) -> None:
        started = time.perf_counter()
        self.setup()
        self.finance_staff()
        self.consultants = sorted({consultant for _, consultant in assigned})
        holders = self._holders(assigned, count, probes)
        self.offers, self.plans, self.lines_of, self.submitted_on = [], [], {}, {}
        self.conversations, self.assessments, self.letters, self.decisions = [], [], [], []
        self.change_requests = []
        # The short probe's running plan: its first line's receipts are overdue, its second's wait
        # to be checked (see _money).
        self.overdue_lines, self.uploaded_lines = set(), set()
        for citizen_id, consultant_id, status, forced in holders:
            self._plan(citizen_id, consultant_id, status, forced)
        generated = time.perf_counter()
        self._insert()
        self.report.generate_seconds += generated - started
        self.report.insert_seconds += time.perf_counter() - generated

    def _holders(self, assigned, count: int, probes: bool) -> list[tuple[int, int, str, bool]]:
        """Who has a plan, their consultant, the plan's status, and whether every worklist section
        must show something (the short probe's running plan)."""
        rng, holders, probe_ids = self.rng, [], set()
        if probes:
            long_name, short_name = probe_usernames()
            users = dict(User.objects.filter(username__in=[long_name, short_name]).values_list("username", "id"))
            for name, wanted in zip((long_name, short_name), PROBE_PLANS, strict=True):
                mine = [c for c, consultant in assigned if consultant == users[name]]
                chosen = sorted(rng.sample(mine, min(wanted, len(mine))))
                statuses = _exact_mix(len(chosen), rng) if name == long_name else list(PROBE_SHORT_STATUSES)
                for citizen_id, status in zip(chosen, statuses, strict=False):
                    holders.append((citizen_id, users[name], status, name == short_name))
            probe_ids = set(users.values())
        # The probes have exactly their plans; everyone else's citizens are drawn from.
        others = [(c, consultant) for c, consultant in assigned if consultant not in probe_ids]
        rest = max(0, min(count - len(holders), len(others)))
        for citizen_id, consultant_id in sorted(rng.sample(others, rest)):
            holders.append((citizen_id, consultant_id, _weighted(rng, STATUS_MIX), False))
        return holders

    def _plan(self, citizen_id: int, consultant_id: int, status: str, forced: bool) -> None:
        rng, day, m = self.rng, self.day, self.m
        s = PlanStatus
        version = 0 if status == s.DRAFT else _weighted(rng, ((1, 0.68), (2, 0.27), (3, 0.05)))
        if status in (s.SUBMITTED, s.CHANGES_REQUESTED):
            version = min(version, 2)
        # The story's dates, counted back from the business day.
        approved = stopped = closed = submitted = None
        if status == s.DRAFT:
            accepted = day - datetime.timedelta(days=rng.randint(1, 60))
        elif status in (s.SUBMITTED, s.CHANGES_REQUESTED):
            submitted = day - datetime.timedelta(days=rng.randint(1 if status == s.SUBMITTED else 4, 25))
            accepted = submitted - datetime.timedelta(days=rng.randint(7, 40) * version)
        else:
            if status == s.APPROVED:
                approved = day - datetime.timedelta(days=90 if forced else rng.randint(3, 178))
            elif status == s.STOPPED:
                approved = day - datetime.timedelta(days=rng.randint(60, 520))
            else:
                approved = day - datetime.timedelta(days=rng.randint(250, 700))
            submitted = approved - datetime.timedelta(days=rng.randint(2, 20))
            accepted = submitted - datetime.timedelta(days=rng.randint(7, 30) * version)
        offered = accepted - datetime.timedelta(days=rng.randint(2, 21))
        window = None
        if approved:
            window = (approved, approved + relativedelta(months=WINDOW_MONTHS) - datetime.timedelta(days=1))
            if status == s.STOPPED:
                stopped = min(
                    approved + datetime.timedelta(days=rng.randint(20, 150)), day - datetime.timedelta(days=1)
                )
            if status == s.CLOSED:
                closed = min(window[1] + datetime.timedelta(days=rng.randint(5, 60)), day - datetime.timedelta(days=1))
        offer = Offer(
            municipality=m,
            programme=self.programme,
            citizen_id=citizen_id,
            status=OfferStatus.ACCEPTED,
            offered_by_id=consultant_id,
            offered_at=self.at(offered),
            responded_at=self.at(accepted),
            declaration_text=str(DECLARATION),
            declaration_signed_at=self.at(accepted),
        )
        plan = BudgetPlan(
            municipality=m,
            offer=offer,
            citizen_id=citizen_id,
            programme=self.programme,
            consultant_id=consultant_id,
            status=status,
            version=version,
            job_wish=rng.choice(JOBS).capitalize() if rng.random() < 0.9 else "",
            education=rng.choice(Education.values) if rng.random() < 0.85 else "",
            meeting_wish=rng.choice(MeetingWish.values) if rng.random() < 0.85 else "",
            window_start=window[0] if window else None,
            window_end=window[1] if window else None,
            approved_at=self.at(approved) if approved else None,
            stopped_reason="Midlerne er brugt til privatforbrug i strid med planen." if stopped else "",
            final_status=_weighted(rng, FINAL_STATUS_MIX) if closed else "",
            closed_on=closed,
        )
        if status == s.CHANGES_REQUESTED:  # the day the consultant sent it back
            last = submitted + datetime.timedelta(days=rng.randint(1, 3))
        else:
            last = closed or stopped or approved or submitted or accepted
        plan.updated_at = self.at(min(last, day))
        self.offers.append(offer)
        self.plans.append(plan)
        self.submitted_on[id(plan)] = submitted
        lines = self._lines(plan, status, window, accepted)
        self.lines_of[id(plan)] = lines
        if forced and status == s.APPROVED:
            for line in lines[:2]:
                line.planned_month = _month(window[0])
            self.overdue_lines.add(id(lines[0]))
            self.uploaded_lines.add(id(lines[1]))
        self._team_and_talks(plan, status, accepted, submitted, stopped or closed)
        if approved:
            self._decisions(plan, status, approved, stopped, closed, forced)

    def _lines(self, plan: BudgetPlan, status: str, window, accepted: datetime.date) -> list[BudgetLine]:
        rng, s, ls = self.rng, PlanStatus, LineStatus
        n = rng.choice((3, 4, 5, 5, 6, 6, 6, 7, 7, 8, 9))
        first = _month(window[0]) if window else _month(self.day)
        months = [first + relativedelta(months=k) for k in range(WINDOW_MONTHS)]
        job = (plan.job_wish or rng.choice(JOBS)).lower()
        lines = []
        for _ in range(n):
            code = _weighted(rng, [(code, weight) for code, (weight, _items) in CATALOGUE.items()])
            description, supplier, low, high = rng.choice(CATALOGUE[code][1])
            amount = rng.randint(low, high) // 50 * 5000
            why = " ".join(rng.sample(WHY, 2)).format(job=job)
            lines.append(
                BudgetLine(
                    plan=plan,
                    category=self.categories[code],
                    description=description,
                    supplier=supplier,
                    amount=amount,
                    planned_month=rng.choice(months),
                    justification=why,
                    created_at=self.at(accepted + datetime.timedelta(days=rng.randint(0, 5))),
                )
            )
        total = sum(line.amount for line in lines)
        if total > CAP:  # the budget tool never lets a plan past the cap
            for line in lines:
                line.amount = max(5000, line.amount * CAP // total // 5000 * 5000)
        # Where each line stands, as the review left it.
        for index, line in enumerate(lines):
            if status == s.DRAFT:
                line.status = ls.DRAFT
            elif status == s.SUBMITTED:
                line.status = ls.APPROVED if plan.version > 1 and rng.random() < 0.5 else ls.PENDING
            elif status == s.CHANGES_REQUESTED:
                line.status = (
                    ls.NEEDS_ARGUMENT
                    if index == 0
                    else _weighted(rng, ((ls.APPROVED, 0.7), (ls.NEEDS_ARGUMENT, 0.2), (ls.REJECTED, 0.1)))
                )
            else:
                line.status = ls.APPROVED if index < 2 else _weighted(rng, ((ls.APPROVED, 0.9), (ls.REJECTED, 0.1)))
            if line.status in (ls.NEEDS_ARGUMENT, ls.REJECTED):
                line.consultant_comment = COMMENTS[2] if line.status == ls.REJECTED else rng.choice(COMMENTS[:2])
            if status != s.DRAFT and index > 1 and rng.random() < 0.03:
                line.status = ls.CANCELLED  # removed by the citizen before sending
            if line.status == ls.APPROVED and plan.approved_at:
                rule = self.rules[line.category.code]
                line.legal_basis = rule.legal_basis.citation() if rule.legal_basis else "Uden lovhjemmel"
                line.funding_source = rule.funding_source
        return lines

    def _colleague(self, consultant_id: int) -> int:
        others = [c for c in self.consultants if c != consultant_id] or self.consultants
        return self.rng.choice(others)

    def _team_and_talks(self, plan, status, accepted, submitted, ended) -> None:
        rng, s = self.rng, PlanStatus
        for number in range(1, plan.version + 1):
            for colleague in {self._colleague(plan.consultant_id) for _ in range(rng.randint(0, 2))}:
                colour = _weighted(rng, ((Colour.GREEN, 0.6), (Colour.YELLOW, 0.3), (Colour.RED, 0.1)))
                self.assessments.append(
                    Assessment(
                        plan=plan,
                        version=number,
                        consultant_id=colleague,
                        colour=colour,
                        comment="" if colour == Colour.GREEN else "Hvad er planen for jobbet bagefter?",
                        at=self.at(submitted - datetime.timedelta(days=(plan.version - number) * 10)),
                    )
                )
        talks = {s.DRAFT: (0, 1), s.SUBMITTED: (0, 1), s.CHANGES_REQUESTED: (1, 2)}.get(status, (1, 4))
        end = min(ended or self.day, self.day)
        for _ in range(rng.randint(*talks)):
            held = accepted + datetime.timedelta(days=rng.randint(0, max(0, (end - accepted).days)))
            self.conversations.append(
                Conversation(
                    plan=plan,
                    held_on=held,
                    form=rng.choice(ConversationForm.values),
                    note=rng.choice(NOTES),
                    consultant_id=plan.consultant_id,
                    created_at=self.at(held),
                )
            )

    def _letter(self, plan, kind: str, title: str, on: datetime.date, actor_id: int) -> Letter:
        letter = Letter(
            municipality=self.m,
            citizen_id=plan.citizen_id,
            kind=kind,
            title=title,
            pdf=PLACEHOLDER_PDF,
            sha256=hashlib.sha256(PLACEHOLDER_PDF).hexdigest(),
            created_at=self.at(on),
            created_by_id=actor_id,
            object_type="budgets.BudgetPlan",
            sent_at=self.at(on),
        )
        self.letters.append(letter)
        return letter

    def _decisions(self, plan, status, approved, stopped, closed, forced) -> None:
        rng, m, lines = self.rng, self.m, self.lines_of[id(plan)]
        granted = sum(line.amount for line in lines if line.status == LineStatus.APPROVED)
        kinds = [(DecisionKind.GRANT, approved, "Afgørelse om personligt budget")]
        if stopped:
            kinds.append((DecisionKind.STOP, stopped, "Samarbejdet om dit personlige budget er stoppet"))
        if closed:
            kinds.append((DecisionKind.CLOSE, closed, "Din sag om personligt budget er afsluttet"))
        for kind, on, title in kinds:
            self.decisions.append(
                GrantDecision(
                    municipality=m,
                    plan=plan,
                    kind=kind,
                    decided_by_id=plan.consultant_id,
                    decided_on=on,
                    total=granted,
                    window_start=plan.window_start,
                    window_end=plan.window_end,
                    letter=self._letter(plan, f"budget_{kind}", title, on, plan.consultant_id),
                    created_at=self.at(on),
                )
            )
        if status != PlanStatus.APPROVED:
            return
        approved_lines = [line for line in lines if line.status == LineStatus.APPROVED]
        roll = rng.random()
        if forced or roll < 0.10:  # waiting for the consultant
            line = rng.choice(approved_lines)
            kind = ChangeKind.LINE if forced or rng.random() < 0.6 else ChangeKind.EXTENSION
            self.change_requests.append(self._change(plan, kind, line, RequestStatus.PENDING))
        elif roll < 0.18:  # answered: an extension granted with a new decision, or refused
            approve = rng.random() < 0.6
            request = self._change(
                plan, ChangeKind.EXTENSION, None, RequestStatus.APPROVED if approve else RequestStatus.REFUSED
            )
            if approve:
                on = min(request.requested_at.date() + datetime.timedelta(days=rng.randint(1, 7)), self.day)
                request.decision = GrantDecision(
                    municipality=m,
                    plan=plan,
                    kind=DecisionKind.EXTENSION,
                    decided_by_id=plan.consultant_id,
                    decided_on=on,
                    total=granted,
                    window_start=plan.window_start,
                    window_end=request.new_end,
                    letter=self._letter(plan, "budget_extension", "Afgørelse om forlængelse", on, plan.consultant_id),
                    created_at=self.at(on),
                )
                self.decisions.append(request.decision)
            request.answer = "Det er i orden." if approve else "Aktiviteterne kan nås inden for perioden."
            self.change_requests.append(request)

    def _change(self, plan, kind, line, status) -> ChangeRequest:
        rng = self.rng
        start = plan.window_start
        asked = start + datetime.timedelta(days=rng.randint(1, max(1, (self.day - start).days)))
        asked = min(asked, self.day)
        return ChangeRequest(
            plan=plan,
            kind=kind,
            line=line,
            new_supplier="Et andet sted" if kind == ChangeKind.LINE else "",
            new_amount=line.amount // 2 // 100 * 100 if kind == ChangeKind.LINE else None,
            new_end=plan.window_end + datetime.timedelta(days=60) if kind == ChangeKind.EXTENSION else None,
            reason="Kurset starter først senere, og prisen er ændret.",
            status=status,
            requested_at=self.at(asked),
        )

    # --- inserting --------------------------------------------------------------------------------

    def _insert(self) -> None:
        Offer.objects.bulk_create(self.offers, batch_size=BATCH_SIZE)
        BudgetPlan.objects.bulk_create(self.plans, batch_size=BATCH_SIZE)
        lines = [line for plan in self.plans for line in self.lines_of[id(plan)]]
        BudgetLine.objects.bulk_create(lines, batch_size=BATCH_SIZE)
        versions = [v for plan in self.plans for v in self._versions(plan)]
        PlanVersion.objects.bulk_create(versions, batch_size=BATCH_SIZE)
        Assessment.objects.bulk_create(self.assessments, batch_size=BATCH_SIZE)
        Conversation.objects.bulk_create(self.conversations, batch_size=BATCH_SIZE)
        for decision in self.decisions:
            decision.letter.object_id = str(decision.plan.pk)
        Letter.objects.bulk_create(self.letters, batch_size=BATCH_SIZE)
        GrantDecision.objects.bulk_create(self.decisions, batch_size=BATCH_SIZE)
        ChangeRequest.objects.bulk_create(self.change_requests, batch_size=BATCH_SIZE)
        money = self._money()
        self.report.plans += len(self.plans)
        self.report.lines += len(lines)
        self.report.rows += len(self.offers) + len(self.plans) + len(lines) + len(versions) + len(self.assessments)
        self.report.rows += (
            len(self.conversations) + len(self.letters) + len(self.decisions) + len(self.change_requests)
        )
        self.report.rows += money
        for plan in self.plans:
            self.report.by_status[plan.status] = self.report.by_status.get(plan.status, 0) + 1

    def _versions(self, plan) -> list[PlanVersion]:
        """Each version as it was sent: the lines that counted then (approximated by today's)."""
        lines = [line for line in self.lines_of[id(plan)] if line.status != LineStatus.CANCELLED]
        snapshot = [
            {
                "id": line.pk,
                "category": line.category.name,
                "description": line.description,
                "supplier": line.supplier,
                "amount": line.amount,
                "planned_month": line.planned_month.isoformat(),
                "justification": line.justification,
                "status": LineStatus.PENDING,
            }
            for line in lines
        ]
        submitted = self.submitted_on[id(plan)]
        return [
            PlanVersion(
                plan=plan,
                number=number,
                submitted_at=self.at(submitted - datetime.timedelta(days=(plan.version - number) * 10)),
                lines=snapshot,
                total=sum(line.amount for line in lines),
            )
            for number in range(1, plan.version + 1)
        ]

    def _money(self) -> int:
        """Commitments for the approved lines, their payments in monthly batches, receipts and misuse."""
        rng, m = self.rng, self.m
        granted = [
            (plan, line)
            for plan in self.plans
            if plan.approved_at
            for line in self.lines_of[id(plan)]
            if line.status == LineStatus.APPROVED
        ]
        commitments = []
        for plan, line in granted:
            rule = self.rules[line.category.code]
            commitments.append(
                Commitment(
                    municipality=m,
                    funding_source=rule.funding_source,
                    programme=self.programme,
                    citizen_id=plan.citizen_id,
                    kind=MoneyKind.GRANT,
                    reference=f"budgets.BudgetLine:{line.pk}",
                    description=line.description,
                    legal_basis=line.legal_basis,
                    created_at=plan.approved_at,
                )
            )
        Commitment.objects.bulk_create(commitments, batch_size=BATCH_SIZE)
        for (_plan, line), commitment in zip(granted, commitments, strict=True):
            line.commitment = commitment
        BudgetLine.objects.bulk_update([line for _plan, line in granted], ["commitment"], batch_size=500)

        batches: dict[datetime.date, PaymentBatch] = {}
        payments, receipt_plans = [], []
        for (plan, line), commitment in zip(granted, commitments, strict=True):
            forced = id(line) in self.overdue_lines or id(line) in self.uploaded_lines
            citizen_paid = forced or rng.random() < 0.45
            amounts = [line.amount] if not citizen_paid else self._tranches(line.amount)
            due = max(line.planned_month, plan.window_start)
            for n, amount in enumerate(amounts):
                when = due + datetime.timedelta(days=14 * n)
                payment = Payment(
                    municipality=m,
                    reference=self._reference(),
                    key=f"budgets.line:{line.pk}:{n}",
                    commitment=commitment,
                    citizen_id=plan.citizen_id,
                    kind=MoneyKind.GRANT,
                    payee=Payee.CITIZEN if citizen_paid else Payee.SUPPLIER,
                    amount=amount,
                    due_date=when,
                    description=line.description,
                    created_by=self.caseworker,
                    created_at=plan.approved_at,
                )
                if not citizen_paid:
                    payment.supplier_name = line.supplier or "Leverandør ApS"
                    payment.supplier_cvr = f"{rng.randint(10_000_000, 99_999_999)}"
                    payment.invoice_number = f"F-{rng.randint(1000, 99999)}"
                    payment.ean = m.ean
                self._status(payment, plan, when, batches)
                payments.append(payment)
                if payment.payee == Payee.CITIZEN and payment.sent_on:
                    receipt_plans.append((plan, line, payment))
        PaymentBatch.objects.bulk_create(batches.values(), batch_size=BATCH_SIZE)
        Payment.objects.bulk_create(payments, batch_size=BATCH_SIZE)
        files, receipts = self._receipts(receipt_plans)
        StoredFile.objects.bulk_create(files, batch_size=BATCH_SIZE)
        Receipt.objects.bulk_create(receipts, batch_size=BATCH_SIZE)
        claims, misuses = self._misuse(receipt_plans)
        RecoveryClaim.objects.bulk_create(claims, batch_size=BATCH_SIZE)
        Misuse.objects.bulk_create(misuses, batch_size=BATCH_SIZE)
        self.report.payments += len(payments)
        self.report.receipts += len(receipts)
        return len(commitments) + len(batches) + len(payments) + len(files) + len(receipts) + 2 * len(claims)

    @staticmethod
    def _tranches(amount: int) -> list[int]:
        parts = []
        while amount > 0:
            parts.append(min(amount, TRANCHE))
            amount -= parts[-1]
        return parts

    def _reference(self) -> str:
        alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
        while True:
            code = "".join(self.rng.choice(alphabet) for _ in range(10))
            reference = f"TT-{code[:5]}-{code[5:]}"
            if reference not in self.references:
                self.references.add(reference)
                return reference

    def _status(self, payment, plan, when, batches) -> None:
        """Paid if its day has come (before a stop), cancelled after a stop, else waiting."""
        day, stopped = self.day, plan.status == PlanStatus.STOPPED
        stop_day = plan.updated_at.date() if stopped else None
        if stopped and when > stop_day:
            payment.status = PaymentStatus.CANCELLED
        elif when <= day - datetime.timedelta(days=2) or plan.status == PlanStatus.CLOSED:
            month = _month(when)
            if month not in batches:
                batches[month] = PaymentBatch(
                    municipality=self.m,
                    key=f"budgets-{month:%Y-%m}",
                    payment_date=month,
                    status=BatchStatus.EXPORTED,
                    created_by=self.finance[0],
                    created_at=self.at(month, 9),
                    approved_by=self.finance[1],
                    approved_at=self.at(month, 10),
                    exported_by=self.finance[0],
                    exported_at=self.at(month, 11),
                )
            payment.status, payment.batch = PaymentStatus.PAID, batches[month]
            payment.sent_on, payment.settled_on = when, when + datetime.timedelta(days=1)
        else:
            payment.status = (
                PaymentStatus.APPROVED if when <= day + datetime.timedelta(days=10) else PaymentStatus.SCHEDULED
            )

    def _receipts(self, paid) -> tuple[list[StoredFile], list[Receipt]]:
        """Closed plans have every receipt accepted; running ones have some waiting, some missing."""
        rng, files, receipts = self.rng, [], []
        for plan, line, payment in paid:
            deadline_passed = payment.sent_on + datetime.timedelta(days=RECEIPT_DAYS) < self.day
            if plan.status == PlanStatus.CLOSED:
                state = ReceiptStatus.ACCEPTED
            elif id(line) in self.overdue_lines:
                state = None
            elif id(line) in self.uploaded_lines:
                state = ReceiptStatus.UPLOADED
            elif deadline_passed:
                state = _weighted(rng, ((ReceiptStatus.ACCEPTED, 0.72), (ReceiptStatus.UPLOADED, 0.08), (None, 0.20)))
            else:
                state = _weighted(rng, ((ReceiptStatus.ACCEPTED, 0.25), (ReceiptStatus.UPLOADED, 0.35), (None, 0.40)))
            if state is None:
                continue
            uploaded = min(payment.sent_on + datetime.timedelta(days=rng.randint(1, RECEIPT_DAYS)), self.day)
            digest = hashlib.sha256(f"{self.code}:{payment.pk}".encode()).hexdigest()
            stored = StoredFile(
                municipality=self.m,
                storage_name=f"bench/{self.code}/{digest[:40]}.jpg",
                original_name="kvittering.jpg",
                content_type="image/jpeg",
                size=rng.randint(80_000, 2_500_000),
                sha256=digest,
                uploaded_at=self.at(uploaded),
                uploaded_by_citizen_id=plan.citizen_id,
            )
            files.append(stored)
            receipt = Receipt(payment=payment, file=stored, status=state, uploaded_at=self.at(uploaded))
            if state == ReceiptStatus.ACCEPTED:
                reviewed = min(uploaded + datetime.timedelta(days=rng.randint(0, 7)), self.day)
                receipt.reviewed_by_id, receipt.reviewed_at = plan.consultant_id, self.at(reviewed)
                if rng.random() < 0.8:
                    receipt.original_received_on = reviewed
            receipts.append(receipt)
        return files, receipts

    def _misuse(self, paid) -> tuple[list[RecoveryClaim], list[Misuse]]:
        """Most stopped plans were stopped for misuse: one payment to the citizen went on private
        consumption and a recovery claim was raised."""
        claims, misuses, seen = [], [], set()
        for plan, _line, payment in paid:
            if plan.status != PlanStatus.STOPPED or id(plan) in seen or self.rng.random() < 0.3:
                continue
            seen.add(id(plan))
            on = plan.updated_at.date()
            claim = RecoveryClaim(
                municipality=self.m,
                key=f"budgets.misuse:{payment.pk}",
                citizen_id=plan.citizen_id,
                commitment=payment.commitment,
                reason=ClaimReason.MISUSE,
                description=f"Misbrug: {payment.description}",
                amount=payment.amount,
                decided_on=on,
                created_by_id=plan.consultant_id,
                created_at=self.at(on),
            )
            claims.append(claim)
            misuses.append(
                Misuse(
                    payment=payment,
                    amount=payment.amount,
                    kind=MisuseKind.PRIVATE,
                    note="Pengene gik til husleje.",
                    recorded_by_id=plan.consultant_id,
                    recorded_on=on,
                    claim=claim,
                )
            )
        return claims, misuses
