"""A small hand-made evaluation for the report tests, with every number worked out by hand.

Personal-budget programme "Langtidsledige tager teten" in municipality A:
- Fase 2 (nominated, starts 01.03.2016): A1-A5, all accepted; women A1, A2, A3.
- Fase 3 (nominated, starts 01.09.2016): B1, B2 (a group of two: never shown).
- Fase 4 (lottery, starts 01.01.2017): drawn D1-D6 (D1-D3 accepted, D4-D6 declined; women D1, D2,
  D4) and control C1-C4 (women C1, C2, C3).
Plans: A1-A4 submitted, A1-A3 approved; A1 and A2 paid, A3 scheduled; A1 misused 5.000 kr.
"""

import datetime
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from conftest import next_cpr
from teten.budgets.models import (
    BudgetLine,
    BudgetPlan,
    LineStatus,
    Misuse,
    MisuseKind,
    Offer,
    OfferStatus,
    PlanStatus,
)
from teten.documents.models import StoredFile
from teten.evidence.models import Activation, Arm, Draw, DrawEntry, ImportStatus, OutcomeImport, OutcomeMonth
from teten.payments.models import (
    ClaimReason,
    Commitment,
    MoneyKind,
    Payee,
    Payment,
    PaymentBatch,
    PaymentStatus,
    RecoveryClaim,
)
from teten.programmes.models import (
    Cohort,
    ExpenseCategory,
    FundingKind,
    FundingSource,
    Programme,
    ProgrammeKind,
    SelectionMode,
)

_serial = itertools.count(1)
D = datetime.date
T, F = True, False

# citizen, month, on support, hours, activation, married, danish origin
OUTCOMES = [
    ("A1", D(2016, 2, 1), T, 10, Activation.COMPANY, T, T),
    ("A1", D(2016, 1, 1), F, 100, "", None, None),
    ("A1", D(2013, 1, 1), F, 1000, "", None, None),
    ("A2", D(2016, 2, 1), T, 0, Activation.ORDINARY, None, T),
    ("A2", D(2015, 12, 1), T, 0, "", T, None),
    ("A3", D(2016, 1, 1), T, 20, Activation.COMPANY, T, T),
    ("A4", D(2016, 2, 1), T, 0, "", F, T),
    ("A5", D(2016, 2, 1), T, 30, "", F, F),
    ("A5", D(2016, 4, 1), F, 160, "", None, T),  # after start: not background
    # May 2018, the latest month
    ("A1", D(2018, 5, 1), F, 160, "", None, None),
    ("A2", D(2018, 5, 1), T, 0, "", None, None),
    ("A3", D(2018, 5, 1), F, 120, "", None, None),
    ("A4", D(2018, 5, 1), T, 0, "", None, None),
    ("A5", D(2018, 5, 1), F, 150, "", None, None),
    ("B1", D(2018, 5, 1), F, 150, "", None, None),
    ("B2", D(2018, 5, 1), T, 0, "", None, None),
    ("D1", D(2018, 4, 1), T, 0, "", None, None),
    ("D1", D(2018, 5, 1), T, 0, "", None, None),
    ("D2", D(2018, 5, 1), T, 0, "", None, None),
    ("D3", D(2018, 5, 1), F, 100, "", None, None),
    ("D4", D(2018, 5, 1), T, 0, "", None, None),
    ("D5", D(2018, 5, 1), F, 100, "", None, None),
    ("D6", D(2018, 5, 1), F, 100, "", None, None),
    ("C1", D(2018, 5, 1), T, 0, "", None, None),
    ("C2", D(2018, 5, 1), T, 0, "", None, None),
    ("C3", D(2018, 5, 1), T, 0, "", None, None),
    ("C4", D(2018, 5, 1), F, 100, "", None, None),
]
WOMEN = {"A1", "A2", "A3", "D1", "D2", "D4", "C1", "C2", "C3"}


@dataclass
class World:
    programme: Programme
    fase2: Cohort
    fase3: Cohort
    fase4: Cohort
    people: dict = field(default_factory=dict)


def _cohort(programme, name, mode, starts_on):
    return Cohort.objects.create(
        municipality=programme.municipality, programme=programme, name=name, selection_mode=mode, starts_on=starts_on
    )


def _source(municipality, user):
    n = next(_serial)
    stored = StoredFile.objects.create(
        municipality=municipality,
        storage_name=f"outcomes-{n}",
        original_name="udfald.csv",
        content_type="text/csv",
        size=1,
        sha256="0" * 64,
    )
    return OutcomeImport.objects.create(
        municipality=municipality,
        file=stored,
        file_name="udfald.csv",
        sha256="0" * 64,
        status=ImportStatus.DONE,
        uploaded_by=user,
        uploaded_at=datetime.datetime(2018, 6, 1, tzinfo=datetime.UTC),
    )


def outcome_rows(municipality, user, people, rows):
    source = _source(municipality, user)
    OutcomeMonth.objects.bulk_create(
        OutcomeMonth(
            municipality=municipality,
            citizen=people[name],
            month=month,
            on_support=on,
            hours=Decimal(hours),
            activation=activation,
            married=married,
            danish_origin=danish,
            source=source,
        )
        for name, month, on, hours, activation, married, danish in rows
    )


def _offer(programme, citizen, cohort, status, user):
    return Offer.objects.create(
        municipality=programme.municipality,
        programme=programme,
        citizen=citizen,
        cohort=cohort,
        status=status,
        offered_by=user,
    )


def build(municipality, user, make_citizen) -> World:
    programme = Programme.objects.create(
        municipality=municipality, name="Langtidsledige tager teten", kind=ProgrammeKind.PERSONAL_BUDGET
    )
    world = World(
        programme,
        _cohort(programme, "Fase 2", SelectionMode.NOMINATED, D(2016, 3, 1)),
        _cohort(programme, "Fase 3", SelectionMode.NOMINATED, D(2016, 9, 1)),
        _cohort(programme, "Fase 4", SelectionMode.LOTTERY, D(2017, 1, 1)),
    )
    names = [f"A{i}" for i in range(1, 6)] + ["B1", "B2"] + [f"D{i}" for i in range(1, 7)]
    names += [f"C{i}" for i in range(1, 5)]
    for name in names:
        world.people[name] = make_citizen(
            municipality, cpr=next_cpr(D(1970, 1, 1), female=name in WOMEN), first_name=name
        )
    p = world.people
    offers = {}
    for name in ("A1", "A2", "A3", "A4", "A5"):
        offers[name] = _offer(programme, p[name], world.fase2, OfferStatus.ACCEPTED, user)
    for name in ("B1", "B2"):
        offers[name] = _offer(programme, p[name], world.fase3, OfferStatus.ACCEPTED, user)
    for name in ("D1", "D2", "D3", "D4", "D5", "D6"):
        status = OfferStatus.ACCEPTED if name in ("D1", "D2", "D3") else OfferStatus.DECLINED
        offers[name] = _offer(programme, p[name], world.fase4, status, user)
    draw = Draw.objects.create(
        municipality=municipality,
        programme=programme,
        cohort=world.fase4,
        seed="frø",
        on_date=D(2016, 12, 1),
        drawn_count=6,
        control_count=4,
        rules={},
        pool=[],
        pool_sha256="0" * 64,
        drawn_by=user,
        drawn_at=datetime.datetime(2016, 12, 1, tzinfo=datetime.UTC),
    )
    for position, name in enumerate(["D1", "D2", "D3", "D4", "D5", "D6", "C1", "C2", "C3", "C4"], start=1):
        DrawEntry.objects.create(
            municipality=municipality,
            draw=draw,
            programme=programme,
            citizen=p[name],
            arm=Arm.DRAWN if name.startswith("D") else Arm.CONTROL,
            position=position,
        )
    outcome_rows(municipality, user, p, OUTCOMES)
    _plans(world, offers, user)
    return world


def _plans(world, offers, user):
    m = world.programme.municipality
    categories = {
        code: ExpenseCategory.objects.get_or_create(municipality=m, code=code, defaults={"name": name})[0]
        for code, name in [
            ("course", "Kurser og efteruddannelse"),
            ("driving_licence", "B-kørekort"),
            ("dental", "Tandbehandling"),
            ("equipment", "Computer og udstyr"),
        ]
    }
    pool = FundingSource.objects.create(municipality=m, name="Fondsmidler", kind=FundingKind.FOUNDATION, amount=10**9)
    batch = PaymentBatch.objects.create(municipality=m, key="b1", payment_date=D(2017, 3, 1), created_by=user)
    approved_at = datetime.datetime(2017, 2, 1, tzinfo=datetime.UTC)
    plan_setup = {
        "A1": (1, approved_at, [("course", 2_000_000, LineStatus.APPROVED, PaymentStatus.PAID)]
               + [("driving_licence", 1_500_000, LineStatus.APPROVED, None)]
               + [("equipment", 500_000, LineStatus.REJECTED, None)]),
        "A2": (1, approved_at, [("course", 1_000_000, LineStatus.APPROVED, PaymentStatus.PAID)]
               + [("dental", 400_050, LineStatus.APPROVED, None)]),
        "A3": (1, approved_at, [("equipment", 800_000, LineStatus.APPROVED, PaymentStatus.SCHEDULED)]
               + [("course", 200_000, LineStatus.PENDING, None), ("dental", 100_000, LineStatus.DRAFT, None)]),
        "A4": (1, None, [("course", 3_000_000, LineStatus.PENDING, None)]),
        "A5": (0, None, [("course", 1_000_000, LineStatus.DRAFT, None)]),
    }  # fmt: skip
    for name, (version, approved, lines) in plan_setup.items():
        citizen = world.people[name]
        plan = BudgetPlan.objects.create(
            municipality=m,
            offer=offers[name],
            citizen=citizen,
            programme=world.programme,
            consultant=user,
            status=PlanStatus.APPROVED if approved else PlanStatus.SUBMITTED if version else PlanStatus.DRAFT,
            version=version,
            approved_at=approved,
        )
        for code, amount, status, payment_status in lines:
            commitment = None
            if payment_status:
                commitment = Commitment.objects.create(
                    municipality=m,
                    funding_source=pool,
                    programme=world.programme,
                    citizen=citizen,
                    kind=MoneyKind.GRANT,
                    reference=f"test:{next(_serial)}",
                    description=code,
                )
            BudgetLine.objects.create(
                plan=plan,
                category=categories[code],
                description=code,
                amount=amount,
                planned_month=D(2017, 3, 1),
                justification="Det bringer mig tættere på et job.",
                status=status,
                commitment=commitment,
            )
            if payment_status:
                payment = Payment.objects.create(
                    municipality=m,
                    key=f"pay:{next(_serial)}",
                    commitment=commitment,
                    citizen=citizen,
                    kind=MoneyKind.GRANT,
                    payee=Payee.CITIZEN,
                    amount=amount,
                    due_date=D(2017, 3, 1),
                    description=code,
                    status=payment_status,
                    batch=batch if payment_status == PaymentStatus.PAID else None,
                )
                if name == "A1":
                    claim = RecoveryClaim.objects.create(
                        municipality=m,
                        key="claim:a1",
                        citizen=citizen,
                        commitment=commitment,
                        reason=ClaimReason.MISUSE,
                        description="Privatforbrug",
                        amount=500_000,
                        decided_on=D(2017, 5, 1),
                        created_by=user,
                    )
                    Misuse.objects.create(
                        payment=payment,
                        amount=500_000,
                        kind=MisuseKind.PRIVATE,
                        note="Brugt til privatforbrug",
                        recorded_by=user,
                        recorded_on=D(2017, 5, 1),
                        claim=claim,
                    )
