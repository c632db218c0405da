"""The source's experiment, replayed in the demo municipality (seed 004, "Langtidsledige tager teten").

A closed personal-budget programme from 2016–2018 with the source's four phases: phase 2 (15
nominated by consultants, individual sparring), phase 3 (12 nominated), phase 4 (43 drawn by
lottery, 17 took part) and phase 5 (136 drawn, 53 took part, collective courses), and a control
group of 451 drawn with them. Everything goes through the real services, acting on the dates it
happened: the draws, the offers and answers, the 97 budgets (4,083,685 kr. in all, 42,100 kr. on
average) with their grant decisions and letters, 7 misuse cases for 150,000 kr. (all lottery-
drawn), and the monthly outcome files from the register, imported as files: one with the five
years before the start and one for each of the 24 months June 2016 – May 2018.

The outcomes are made so that the reports give the source's published figures: 206 offered, 97
took part, 32 of them off cash benefit in May 2018, and Table 3's shares on public support in May
2018 — phase 2: 40 %, phase 3: 42 %, phase 4: 56 % (took part 65 %, did not 50 %), phase 5:
69 % (81 % / 61 %). The control group's share (72 %) and everything before May 2018 are made up
in the source's spirit; the source does not publish them.
"""

import datetime
import random
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from teten.accounts.models import Team, User
from teten.budgets import changes, offers, plans, review
from teten.budgets.models import (
    BudgetLine,
    BudgetSettings,
    Colour,
    DeclineReason,
    Education,
    LineStatus,
    MeetingWish,
    MisuseKind,
)
from teten.citizens.models import BenefitPeriod, BenefitType, Citizen, Readiness
from teten.citizens.services import apply_derived
from teten.core import cpr as cpr_module
from teten.core.clock import acting_on
from teten.demo.generator import CitizenGenerator
from teten.evidence import lottery
from teten.evidence.imports import import_upload
from teten.payments import batches, services
from teten.payments.models import Payee
from teten.programmes.booking import rule_table_install
from teten.programmes.eligibility import default_rules_install
from teten.programmes.models import (
    Cohort,
    ExpenseCategory,
    FundingKind,
    FundingSource,
    Programme,
    ProgrammeKind,
    SelectionMode,
    Sparring,
)

NAME = "Langtidsledige tager teten 2016–2018"
SEED = 2018
HISTORIC_CITIZENS = 720
FIRST_MONTH = datetime.date(2016, 6, 1)
LAST_MONTH = datetime.date(2018, 5, 1)
HISTORY_FROM = datetime.date(2011, 1, 1)
TOTAL_APPLIED = 408_368_500  # 4,083,685.00 kr. in øre
MISUSE = (2_400_000, 2_300_000, 2_200_000, 2_100_000, 2_000_000, 2_000_000, 2_000_000)  # 150,000 kr.
CONTROL_ON_SUPPORT = 0.72


@dataclass(frozen=True)
class Phase:
    name: str
    mode: str
    sparring: str
    starts: datetime.date
    offered: int
    took_part: int
    # On public support in May 2018: (took part, did not take part).
    on_support: tuple[int, int]
    control: int = 0


PHASES = (
    Phase("Fase 2", SelectionMode.NOMINATED, Sparring.INDIVIDUAL, datetime.date(2016, 3, 1), 15, 15, (6, 0)),
    Phase("Fase 3", SelectionMode.NOMINATED, Sparring.INDIVIDUAL, datetime.date(2016, 6, 1), 12, 12, (5, 0)),
    Phase("Fase 4", SelectionMode.LOTTERY, Sparring.INDIVIDUAL, datetime.date(2016, 10, 1), 43, 17, (11, 13), 115),
    Phase("Fase 5", SelectionMode.LOTTERY, Sparring.COLLECTIVE, datetime.date(2017, 3, 1), 136, 53, (43, 51), 336),
)
# What the budgets held (Figure 2's categories); amounts are shares of each plan's total.
PLAN_SHAPES = (
    (("course", 0.55), ("transport", 0.10), ("equipment", 0.35)),
    (("driving_licence", 0.45), ("course", 0.40), ("glasses", 0.15)),
    (("dental", 0.50), ("psychologist", 0.25), ("course", 0.25)),
    (("startup_allowance", 0.75), ("equipment", 0.25)),
    (("course", 0.70), ("card_fee", 0.01), ("transport", 0.29)),
)
WHY = "Det bringer mig tættere på et job: jeg har aftalt det med min jobkonsulent og har en plan for bagefter."
DECLINES = (DeclineReason.GOT_JOB, DeclineReason.TOO_MUCH, DeclineReason.EDUCATION, DeclineReason.ILLNESS)


def _historic_citizens(municipality) -> list[Citizen]:
    """Job-ready cash-benefit recipients over 30 in 2016; their register history ends with the
    experiment's data in 2018, so none of them is eligible for today's programmes."""
    generator = CitizenGenerator(SEED, datetime.date(2016, 1, 1))
    rng = random.Random(SEED)
    existing = set(Citizen.objects.for_municipality(municipality).values_list("cpr", flat=True))
    people = []
    while len(people) < HISTORIC_CITIZENS:
        seed = generator.person()
        born = cpr_module.birth_date(seed.cpr)
        if not datetime.date(1953, 1, 1) <= born <= datetime.date(1984, 12, 31) or seed.cpr in existing:
            continue
        citizen = Citizen(municipality=municipality, **seed.__dict__)
        apply_derived(citizen)
        people.append(citizen)
    Citizen.objects.bulk_create(people)
    saved = list(Citizen.objects.for_municipality(municipality).filter(cpr__in=[c.cpr for c in people]).order_by("cpr"))
    BenefitPeriod.objects.bulk_create(
        [
            BenefitPeriod(
                citizen=c,
                benefit_type=BenefitType.CASH_BENEFIT,
                readiness=Readiness.JOB_READY,
                start_date=datetime.date(2011, 1, 1) + datetime.timedelta(days=rng.randrange(4 * 365)),
                end_date=datetime.date(2018, 5, 31),
            )
            for c in saved
        ]
    )
    return saved


def _plan_totals(n: int, rng: random.Random) -> list[int]:
    """n budget totals between 30,000 and 50,000 kr. (whole kroner) that add up to 4,083,685 kr."""
    totals = [rng.randrange(33_000, 49_500) * 100 for _ in range(n)]
    gap, i = TOTAL_APPLIED - sum(totals), 0
    while gap:
        step = min(gap, 5_000_000 - totals[i]) if gap > 0 else max(gap, 3_000_000 - totals[i])
        totals[i] += step
        gap -= step
        i = (i + 1) % n
    return totals


class _History:
    """The register's monthly rows for every citizen in the experiment."""

    def __init__(self):
        self.rows: dict[datetime.date, list[str]] = {}
        self.rng = random.Random(SEED + 1)

    def add(self, citizen: Citizen, start: datetime.date, off_from: datetime.date | None, background) -> None:
        rng = self.rng
        married, danish = background
        self_employed = off_from is not None and rng.random() < 0.25
        month = HISTORY_FROM
        while month <= LAST_MONTH:
            before = month < start
            if off_from is not None and month >= off_from:
                on, hours = False, rng.choice((120, 140, 150, 160.5))
            elif before and rng.random() < 0.06:  # a few months of work, years ago
                on, hours = False, rng.choice((80, 130))
            else:
                on, hours = True, rng.choice((0, 0, 0, 0, 6, 12.5))
            activation = (
                ("virksomhedsrettet" if rng.random() < 0.8 else "ordinaer") if on and rng.random() < 0.2 else "ingen"
            )
            self.rows.setdefault(month, []).append(
                ";".join(
                    [
                        citizen.cpr,
                        f"{month:%Y-%m}",
                        "ja" if on else "nej",
                        "kontanthjaelp" if on else "",
                        str(hours).replace(".", ","),
                        "ja" if (not on and self_employed) else "nej",
                        activation,
                        "ja" if married else "nej",
                        "dansk" if danish else "ikke-dansk",
                    ]
                )
            )
            month += relativedelta(months=1)

    def files(self):
        header = "cpr;maaned;forsoerget;ydelse;timer;selvstaendig;aktivering;gift;oprindelse"
        history = [r for month, rows in sorted(self.rows.items()) if month < FIRST_MONTH for r in rows]
        yield "register-2011-01-til-2016-05.csv", "\n".join([header, *history]) + "\n"
        for month, rows in sorted(self.rows.items()):
            if month >= FIRST_MONTH:
                yield f"register-{month:%Y-%m}.csv", "\n".join([header, *rows]) + "\n"


def _off_from(rng: random.Random, start: datetime.date) -> datetime.date:
    """The month a citizen who is off support in May 2018 left it: 3 months after the start at the
    earliest."""
    first = start + relativedelta(months=3)
    months = max(0, (LAST_MONTH.year - first.year) * 12 + LAST_MONTH.month - first.month)
    return first + relativedelta(months=rng.randint(0, months))


def demo_evidence_load(*, municipality, today: datetime.date) -> Programme | None:
    if Programme.objects.for_municipality(municipality).filter(name=NAME).exists():
        return None
    with transaction.atomic():
        return _load(municipality)


def _load(municipality) -> Programme:
    rng = random.Random(SEED)
    staff = {u.username: u for u in User.objects.filter(municipality=municipality)}
    coordinator, consultant, colleague = staff["koordinator"], staff["konsulent"], staff["konsulent2"]
    finance, finance2 = staff["okonomi"], staff["okonomi2"]
    municipal = FundingSource.objects.create(
        municipality=municipality,
        name="Kommunale midler 2016–2018",
        kind=FundingKind.MUNICIPAL,
        amount=300_000_000,
        account_code="5.68.90.11",
        note="Forsøgets udgifter med lovhjemmel.",
    )
    foundation = FundingSource.objects.create(
        municipality=municipality,
        name="Fondsbevilling 2016–2018",
        kind=FundingKind.FOUNDATION,
        amount=600_000_000,
        account_code="5.68.90.21",
        note="Fondsbevillingen på 6 mio. kr. til forsøget: udgifter uden lovhjemmel.",
    )
    programme = Programme.objects.create(
        municipality=municipality,
        name=NAME,
        kind=ProgrammeKind.PERSONAL_BUDGET,
        description="Forsøget fra 2016–2018: personlige, borgerstyrede budgetter med lodtrækning og kontrolgruppe.",
        is_active=False,
    )
    team, _created = Team.objects.get_or_create(municipality=municipality, name="Jobparate")
    User.objects.filter(pk__in=[consultant.pk, colleague.pk], team__isnull=True).update(team=team)
    consultant.refresh_from_db()
    colleague.refresh_from_db()
    BudgetSettings.objects.create(municipality=municipality, programme=programme, team=team)
    default_rules_install(programme)
    rule_table_install(programme=programme, funding={"municipal": municipal, "foundation": foundation})
    categories = {c.code: c for c in ExpenseCategory.objects.for_municipality(municipality)}

    people = _historic_citizens(municipality)
    unused = list(people)
    rng.shuffle(unused)
    totals = iter(_plan_totals(sum(p.took_part for p in PHASES), rng))
    history = _History()
    misuse_left = list(MISUSE)
    misused_plans = []

    def background():
        return (rng.random() < 0.2, rng.random() < 0.62)  # married, Danish origin

    for phase in PHASES:
        cohort = Cohort.objects.create(
            municipality=municipality,
            programme=programme,
            name=phase.name,
            selection_mode=phase.mode,
            sparring=phase.sparring,
            starts_on=phase.starts,
        )
        offered_on = phase.starts - datetime.timedelta(days=21)
        if phase.mode == SelectionMode.LOTTERY:
            with acting_on(offered_on - datetime.timedelta(days=7)):
                draw = lottery.draw_make(
                    actor=coordinator,
                    cohort=cohort,
                    drawn_count=phase.offered,
                    control_count=phase.control,
                    seed=f"demo-{phase.name.lower().replace(' ', '-')}",
                )
            drawn_ids, control_ids = lottery.draw_lists(draw)
            by_id = Citizen.objects.for_municipality(municipality).in_bulk(drawn_ids + control_ids)
            chosen = [by_id[i] for i in drawn_ids]
            control = [by_id[i] for i in control_ids]
            taken = set(drawn_ids) | set(control_ids)
            unused[:] = [c for c in unused if c.pk not in taken]
        else:
            chosen, unused[:] = unused[: phase.offered], unused[phase.offered :]
            control = []
        took, declined = chosen[: phase.took_part], chosen[phase.took_part :]
        with acting_on(offered_on):
            offer_rows = {
                c.pk: offers.offer_create(actor=consultant, programme=programme, citizen=c, cohort=cohort)
                for c in chosen
            }
        with acting_on(offered_on + datetime.timedelta(days=7)):
            for i, citizen in enumerate(declined):
                offers.offer_decline(citizen=citizen, offer=offer_rows[citizen.pk], reason=DECLINES[i % len(DECLINES)])
            made = []
            for citizen in took:
                plan = offers.offer_accept(citizen=citizen, offer=offer_rows[citizen.pk], declaration_accepted=True)
                plans.plan_profile_save(
                    citizen=citizen,
                    plan=plan,
                    job_wish="Job i detailhandlen",
                    education=Education.VOCATIONAL,
                    meeting_wish=MeetingWish.FORTNIGHTLY,
                )
                total = next(totals)
                shape = PLAN_SHAPES[len(made) % len(PLAN_SHAPES)]
                if misuse_left and phase.mode == SelectionMode.LOTTERY:
                    shape = PLAN_SHAPES[3]  # a start-up allowance paid to the citizen, as in most misuse
                month = plans.window_months(plan)[0]
                amounts = [int(total * share) // 100 * 100 for _code, share in shape]
                amounts[0] += total - sum(amounts)
                for (code, _share), amount in zip(shape, amounts, strict=True):
                    plans.line_save(
                        citizen=citizen,
                        plan=plan,
                        line=None,
                        category=categories[code],
                        description=categories[code].name,
                        supplier="",
                        amount=amount,
                        planned_month=month,
                        justification=WHY,
                    )
                plans.plan_submit(citizen=citizen, plan=plan)
                made.append(plan)
        with acting_on(offered_on + datetime.timedelta(days=18)):
            for plan in made:
                for line in BudgetLine.objects.filter(plan=plan, status=LineStatus.PENDING):
                    review.line_review(actor=consultant, line=line, decision=LineStatus.APPROVED)
                review.assessment_record(actor=colleague, plan=plan, colour=Colour.GREEN, comment="")
                review.plan_approve(actor=consultant, plan=plan)
                if misuse_left and phase.mode == SelectionMode.LOTTERY:
                    amount = misuse_left.pop(0)
                    line = BudgetLine.objects.filter(plan=plan, category__code="startup_allowance").get()
                    payment = services.payment_create(
                        actor=finance,
                        commitment=line.commitment,
                        amount=amount,
                        payee=Payee.CITIZEN,
                        due_date=offered_on + datetime.timedelta(days=18),
                        description=line.description,
                        business_date=offered_on + datetime.timedelta(days=18),
                        key=f"demo-evidence-misuse-{plan.pk}",
                    )
                    misused_plans.append((plan, payment, amount))
        if misused_plans and phase.mode == SelectionMode.LOTTERY:
            paid_on = offered_on + datetime.timedelta(days=18)
            with acting_on(paid_on):
                batch = batches.batch_create(actor=finance, payment_date=paid_on, key=f"demo-evidence-{phase.name}")
                batches.batch_approve(actor=finance2, batch=batch)
                batches.batch_export(actor=finance, batch=batch)
            with acting_on(paid_on + relativedelta(months=3)):
                for plan, payment, amount in misused_plans:
                    payment.refresh_from_db()
                    changes.misuse_record(
                        actor=consultant,
                        payment=payment,
                        amount=amount,
                        kind=MisuseKind.PRIVATE,
                        note="Starthjælpen gik til privatforbrug; der var ingen aktivitet bag.",
                    )
                    changes.plan_stop(actor=consultant, plan=plan, reason="Midlerne er brugt i strid med planen.")
            misused_plans = []

        on_took, on_declined = phase.on_support
        for group, on_count in ((took, on_took), (declined, on_declined)):
            for i, citizen in enumerate(group):
                off = None if i < on_count else _off_from(rng, phase.starts)
                history.add(citizen, phase.starts, off, background())
        on_control = round(CONTROL_ON_SUPPORT * len(control))
        for i, citizen in enumerate(control):
            history.add(citizen, phase.starts, None if i < on_control else _off_from(rng, phase.starts), background())

    for name, text in history.files():
        import_upload(
            actor=coordinator,
            uploaded_file=SimpleUploadedFile(name, text.encode("utf-8"), "text/csv"),
            background=False,
        )
    return programme
