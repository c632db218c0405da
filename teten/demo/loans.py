"""The demo's micro-loan programme, lived through day by day with the real services.

Hold 1 is shaped like Mikrolån 2.0 (seed 001): 60 interviewed → 19 selected → 13 completed the
courses → 12 loans → 8 completed and 4 stopped; 3 self-supporting from their business and 1
through education. Its loans are repaid, repaying on time, in arrears of every age, rescheduled,
extended, remitted and written off. Hold 2 is running now, with a case at every step before and
just after the payout — so every screen has something to show.

Each action runs `acting_on` its own day, so decisions, letters, schedules, payment runs and
reminders carry the dates they would have had. Everything is relative to today.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import F

from teten.accounts.models import User
from teten.budgets.models import BudgetPlan, Offer
from teten.citizens.models import BenefitType, Citizen
from teten.core.businessdays import is_business_day, next_business_day
from teten.core.clock import acting_on
from teten.core.money import format_kroner
from teten.loans import cases, decisions, followup, repayment
from teten.loans.balances import current_instalments, outstanding
from teten.loans.configuration import loan_settings
from teten.loans.daily import loan_payouts, loan_reminders
from teten.loans.models import BusinessStatus, CourseModule, Loan, LoanCase, Outcome, RepaymentSource
from teten.payments import batches
from teten.payments.daily import payments_due
from teten.payments.models import Payment, PaymentStatus
from teten.payments.reconciliation import reconciliation_import
from teten.programmes.eligibility import eligible_citizens
from teten.programmes.models import (
    Cohort,
    EligibilityKind,
    EligibilityRule,
    FundingSource,
    LegalBasis,
    Programme,
    ProgrammeKind,
    SelectionMode,
)

NAME = "Mikrolån – selvstændig virksomhed"
D = datetime.timedelta

NOT_SELECTED = [
    "Idéen er ikke moden endnu; vi anbefaler et forløb om afklaring først.",
    "Der mangler faglige forudsætninger for at drive virksomheden.",
    "Borgeren ønsker selv at vente et år.",
    "Markedet for idéen er for lille i området.",
]
DROPPED_ON_COURSES = [
    "Har fået fast arbejde.",
    "Sygdom – kan ikke følge kurserne.",
    "Ønskede alligevel ikke at starte virksomhed.",
    "Flyttet fra kommunen.",
    "Mødte ikke op til regnskabskurset.",
    "Har fået plads på en uddannelse.",
]


@dataclass(frozen=True)
class Borrower:
    """One of Hold 1's twelve loans and how it went."""

    business: str
    idea: str
    amount: int  # øre
    days_to_decision: int  # from the finished courses
    profile: str
    outcome_6: str
    outcome_12: str
    business_12: str


HOLD_1 = [
    Borrower(
        "Rengøring med omtanke",
        "Erhvervsrengøring for små kontorer",
        4_000_000,
        8,
        "repaid",
        Outcome.BUSINESS,
        Outcome.BUSINESS,
        BusinessStatus.REVENUE,
    ),
    Borrower(
        "Cykelværkstedet på hjørnet",
        "Reparation og salg af brugte cykler",
        3_500_000,
        10,
        "current",
        Outcome.PARTLY,
        Outcome.BUSINESS,
        BusinessStatus.REVENUE,
    ),
    Borrower(
        "Salon Ida",
        "Frisør med få stole og faste kunder",
        5_000_000,
        12,
        "extended",
        Outcome.PARTLY,
        Outcome.BUSINESS,
        BusinessStatus.REVENUE,
    ),
    Borrower(
        "Grøn Have Service",
        "Havearbejde for ældre og boligforeninger",
        3_000_000,
        14,
        "current",
        Outcome.PARTLY,
        Outcome.PARTLY,
        BusinessStatus.REVENUE,
    ),
    Borrower(
        "Hennes Syværksted",
        "Syning, ændring og reparation af tøj",
        3_000_000,
        15,
        "rescheduled",
        Outcome.PARTLY,
        Outcome.PARTLY,
        BusinessStatus.REVENUE,
    ),
    Borrower(
        "Kaffebilen",
        "Kaffe fra en ladcykel ved stationen",
        4_500_000,
        16,
        "late_1",
        Outcome.PARTLY,
        Outcome.PARTLY,
        BusinessStatus.FIRST_SALE,
    ),
    Borrower(
        "IT-hjælp til ældre",
        "Hjemmebesøg med hjælp til computer og telefon",
        3_000_000,
        18,
        "late_2",
        Outcome.PARTLY,
        Outcome.PARTLY,
        BusinessStatus.REVENUE,
    ),
    Borrower(
        "Foodtruck Mezze",
        "Mellemøstlig gademad til markeder",
        5_000_000,
        19,
        "late_4",
        Outcome.PARTLY,
        Outcome.STOPPED,
        BusinessStatus.CLOSED,
    ),
    Borrower(
        "Webshop med genbrugstøj",
        "Salg af udvalgt genbrugstøj på nettet",
        3_000_000,
        21,
        "remitted",
        Outcome.PARTLY,
        Outcome.JOB_OR_EDUCATION,
        BusinessStatus.CLOSED,
    ),
    Borrower(
        "Malerfirma Nielsen",
        "Indvendigt malerarbejde for private",
        4_000_000,
        24,
        "written_off",
        Outcome.STOPPED,
        Outcome.STOPPED,
        BusinessStatus.CLOSED,
    ),
    Borrower(
        "Hundeluft Aarhus",
        "Hundeluftning og pasning i dagtimerne",
        3_000_000,
        33,
        "late_3",
        Outcome.PARTLY,
        Outcome.STOPPED,
        BusinessStatus.CLOSED,
    ),
    Borrower(
        "Massageklinikken",
        "Sportsmassage i lejet lokale",
        3_500_000,
        47,
        "current",
        Outcome.STOPPED,
        Outcome.STOPPED,
        BusinessStatus.CLOSED,
    ),
]
# How many of the latest monthly instalments a borrower in arrears has missed (so 1-30, 31-60,
# 61-90 and 90+ days past due), and the borrower whose debt was written off.
MISSED = {"late_1": 1, "late_2": 2, "late_3": 3, "late_4": 6, "written_off": 10}
FOLLOW_UP = [
    BusinessStatus.STARTED,
    BusinessStatus.STARTED,
    BusinessStatus.FIRST_SALE,
    BusinessStatus.FIRST_SALE,
    BusinessStatus.REVENUE,
    BusinessStatus.REVENUE,
]


class Simulation:
    """Days from the first referral to today; each day runs its planned actions, the repayments
    that fall due, a weekly payment run and the monthly reminders — all as on that day."""

    def __init__(self, programme: Programme, today: datetime.date):
        self.programme = programme
        self.m = programme.municipality
        self.today = today
        staff = {u.username: u for u in User.objects.filter(municipality=self.m)}
        self.referrer, self.coach, self.central = staff["konsulent"], staff["coach"], staff["sagsbehandler"]
        self.finance, self.finance2 = staff["okonomi"], staff["okonomi2"]
        self.modules = list(CourseModule.objects.for_municipality(self.m).filter(programme=programme))
        self.plan: dict[datetime.date, list[Callable[[], None]]] = defaultdict(list)
        self.profiles: dict[int, Borrower] = {}  # case id → how its loan goes
        self.paused: dict[int, tuple[datetime.date, datetime.date]] = {}

    def at(self, day: datetime.date, action: Callable[[], None]) -> None:
        self.plan[day].append(action)

    def run(self) -> None:
        day = min(self.plan)
        while day <= self.today:
            with acting_on(day):
                for action in self.plan.pop(day, []):
                    action()
                if day < self.today:
                    self._repayments(day)
                    if day.weekday() == 0 and is_business_day(day):
                        self._payment_run(day)
                    if day.day == 10:
                        loan_reminders(day)
            day += D(days=1)

    # --- the case steps -------------------------------------------------------------------

    def case(self, case_id: int) -> LoanCase:
        return LoanCase.objects.for_municipality(self.m).select_related("citizen", "programme").get(pk=case_id)

    def refer(self, citizen: Citizen, cohort: Cohort, on: datetime.date, box: dict) -> None:
        def act():
            box["id"] = cases.referral_create(
                actor=self.referrer,
                programme=self.programme,
                citizen=citizen,
                cohort=cohort,
                reason="Har en konkret idé til egen virksomhed og ønsker at blive selvforsørgende.",
            ).pk

        self.at(on, act)

    def drop(self, box: dict, on: datetime.date, reason: str) -> None:
        self.at(on, lambda: cases.drop_out(actor=self.coach, case=self.case(box["id"]), reason=reason))

    def info(self, box: dict, on: datetime.date) -> None:
        self.at(on, lambda: cases.info_meeting_record(actor=self.coach, case=self.case(box["id"]), on=on))

    def interview(self, box: dict, on: datetime.date, scores: tuple[int, int, int]) -> None:
        idea, professional, personal = scores
        self.at(
            on,
            lambda: cases.interview_record(
                actor=self.coach,
                case=self.case(box["id"]),
                on=on,
                idea=idea,
                professional=professional,
                personal=personal,
                notes="Samtale om idé, marked, økonomi og hverdagen som selvstændig.",
                profile="Motiveret og vedholdende; har brug for støtte til regnskab og markedsføring.",
            ),
        )

    def select(self, box: dict, on: datetime.date, selected: bool, reason: str = "") -> None:
        self.at(
            on,
            lambda: cases.selection_decide(
                actor=self.coach, case=self.case(box["id"]), selected=selected, reason=reason
            ),
        )

    def courses(self, box: dict, start: datetime.date, modules: int | None = None) -> datetime.date:
        """Attend the modules one after another, the required ones first; returns the day the last
        required one is completed (the course programme is done; optional ones go on after)."""
        ordered = sorted(self.modules, key=lambda m: not m.required)
        chosen = ordered if modules is None else ordered[:modules]
        day = done = start
        for module in chosen:
            day += D(days=14)
            if module.required:
                done = day
            self.at(
                day,
                lambda module=module, day=day: cases.module_record(
                    actor=self.coach, case=self.case(box["id"]), module=module, sessions=8, completed_on=day
                ),
            )
        return done

    def business_plan(self, box: dict, on: datetime.date, name: str, idea: str) -> None:
        self.at(
            on,
            lambda: cases.business_plan_submit(
                actor=self.coach,
                case=self.case(box["id"]),
                business_name=name,
                idea=idea,
                expected_revenue=32_000_000,
                expected_costs=9_500_000,
                expected_customers="Private i nærområdet og et par faste erhvervskunder.",
            ),
        )

    def recommend(self, box: dict, on: datetime.date, amount: int, keeps_pension: bool) -> None:
        self.at(
            on,
            lambda: cases.recommend(
                actor=self.coach,
                case=self.case(box["id"]),
                customers=True,
                health=True,
                family=True,
                budget=True,
                notes="Planen er realistisk; der er kunder, og budgettet hænger sammen.",
                amount=amount,
                support_months=6,
                keeps_pension=keeps_pension,
            ),
        )

    def decide(self, box: dict, on: datetime.date, approve: bool = True, reason: str = "") -> None:
        self.at(
            on,
            lambda: decisions.loan_decide(
                actor=self.central, case=self.case(box["id"]), approve=approve, reason=reason
            ),
        )

    def accept(self, box: dict, on: datetime.date) -> None:
        def act():
            case = self.case(box["id"])
            decisions.agreement_accept(citizen=case.citizen, loan=self.loan(case))

        self.at(on, act)

    def pay_out(self, box: dict, on: datetime.date) -> None:
        def act():
            loan = self.loan(self.case(box["id"]))
            decisions.payout_create(actor=self.central, loan=loan, due=on, key=f"loans.payout:{loan.pk}")

        self.at(on, act)

    def expect(self, box: dict, borrower: Borrower, on: datetime.date) -> None:
        """From the decision on, this case's loan goes as `borrower` says."""

        def act():
            self.profiles[box["id"]] = borrower

        self.at(on, act)

    def loan(self, case: LoanCase) -> Loan:
        return Loan.objects.for_municipality(self.m).select_related("case__programme").get(case=case)

    # --- money over time ------------------------------------------------------------------

    def _payment_run(self, day: datetime.date) -> None:
        """The weekly payment run: due tranches, a batch assembled and approved by two finance
        officers, sent, confirmed by the bank; then paid-out loans start their establishment."""
        payments_due(day)
        waiting = Payment.objects.for_municipality(self.m).filter(
            status=PaymentStatus.APPROVED, batch__isnull=True, due_date__lte=day
        )
        if not waiting.exists():
            return
        batch = batches.batch_create(actor=self.finance, payment_date=day, key=f"demo-loans-{day}")
        batches.batch_approve(actor=self.finance2, batch=batch)
        batches.batch_export(actor=self.finance, batch=batch)
        rows = ["reference;beløb;dato;status"] + [
            f"{p.reference};{format_kroner(p.amount, symbol=False)};{day:%d.%m.%Y};betalt"
            for p in Payment.objects.for_municipality(self.m).filter(batch=batch).order_by("id")
        ]
        reconciliation_import(
            actor=self.finance,
            content=("\n".join(rows) + "\n").encode(),
            filename=f"bank-{day:%Y%m%d}.csv",
            business_date=day,
        )
        before = set(
            Loan.objects.for_municipality(self.m).filter(paid_out_on__isnull=False).values_list("pk", flat=True)
        )
        loan_payouts(day)
        for loan in Loan.objects.for_municipality(self.m).filter(paid_out_on__isnull=False).exclude(pk__in=before):
            self._after_payout(loan)

    def _after_payout(self, loan: Loan) -> None:
        """Follow-up each month of the establishment period, outcomes at 6 and 12 months, and
        what happens to this borrower's debt."""
        profile = self.profiles.get(loan.case_id)
        start = loan.paid_out_on
        for month in range(6):
            day = start + relativedelta(months=month, days=20)
            status = FOLLOW_UP[month]
            if profile and profile.outcome_6 == Outcome.STOPPED and month >= 4:
                status = BusinessStatus.CLOSED
            revenue = None if status in (BusinessStatus.STARTED, BusinessStatus.CLOSED) else 1_200_000 + 300_000 * month
            self.at(
                day,
                lambda day=day, status=status, revenue=revenue: followup.follow_up_record(
                    actor=self.coach,
                    case=self.case(loan.case_id),
                    month=day,
                    status=status,
                    revenue=revenue,
                    note="Opfølgning med coach.",
                ),
            )
        if profile is None:
            return
        for months, outcome, business in (
            (6, profile.outcome_6, BusinessStatus.REVENUE),
            (12, profile.outcome_12, profile.business_12),
        ):
            if outcome == Outcome.STOPPED and months == 6:
                business = BusinessStatus.CLOSED
            self.at(
                start + relativedelta(months=months),
                lambda months=months, o=outcome, b=business: followup.outcome_record(
                    actor=self.coach, case=self.case(loan.case_id), months_after=months, outcome=o, business_status=b
                ),
            )
        if profile.profile == "extended":
            self.at(
                loan.establishment_end - D(days=20),
                lambda: decisions.establishment_extend(
                    actor=self.central,
                    loan=self._fresh(loan),
                    months=2,
                    reason="Salonen åbnede senere end planlagt, fordi lokalet skulle renoveres.",
                ),
            )
        if profile.profile == "rescheduled":
            pause = (self.today - D(days=260), self.today - D(days=200))
            self.paused[loan.pk] = pause
            first = (pause[1] + relativedelta(months=1)).replace(day=1)
            self.at(
                pause[1],
                lambda: decisions.reschedule(
                    actor=self.central,
                    loan=self._fresh(loan),
                    first_due=next_business_day(first),
                    instalment=25000,
                    count=None,
                    reason="Færre kunder om vinteren; mindre rater efter aftale med borgeren.",
                ),
            )
        if profile.profile == "repaid":
            self.at(self.today - D(days=60), lambda: self._repay_rest(loan))
        if profile.profile == "remitted":
            self.at(
                self.today - D(days=90),
                lambda: decisions.remit(
                    actor=self.central,
                    loan=self._fresh(loan),
                    reason="Virksomheden er lukket, og borgeren er startet på en uddannelse. Gælden eftergives.",
                ),
            )
        if profile.profile == "written_off":
            self.at(
                self.today - D(days=30),
                lambda: decisions.write_off(
                    actor=self.central,
                    loan=self._fresh(loan),
                    reason="Virksomheden er lukket, og borgeren har ingen betalingsevne.",
                ),
            )

    def _fresh(self, loan: Loan) -> Loan:
        return Loan.objects.for_municipality(self.m).select_related("case__programme", "case__citizen").get(pk=loan.pk)

    def _repay_rest(self, loan: Loan) -> None:
        loan = self._fresh(loan)
        repayment.repayment_register(
            actor=self.finance,
            loan=loan,
            amount=outstanding(loan),
            received_on=self.today - D(days=60),
            key=f"demo-loan-{loan.pk}-rest",
            source=RepaymentSource.BANK_FILE,
        )

    def _repayments(self, day: datetime.date) -> None:
        """Borrowers pay the instalments due today — unless this one has stopped or paused."""
        loans = Loan.objects.for_municipality(self.m).filter(paid_out_on__isnull=False, closed_on__isnull=True)
        for loan in loans.select_related("case__programme"):
            profile = self.profiles.get(loan.case_id)
            missed = MISSED.get(profile.profile) if profile else None
            if missed is not None and day >= self.today.replace(day=1) - relativedelta(months=missed - 1):
                continue
            pause = self.paused.get(loan.pk)
            if pause and pause[0] <= day < pause[1]:
                continue
            for instalment in current_instalments(loan).filter(due_date=day, paid__lt=F("amount")):
                repayment.repayment_register(
                    actor=self.finance,
                    loan=loan,
                    amount=instalment.outstanding,
                    received_on=day,
                    key=f"demo-loan-{loan.pk}-{instalment.schedule_id}-{instalment.number}",
                    source=RepaymentSource.BANK_FILE,
                )


def _setup(municipality) -> Programme:
    las65, _created = LegalBasis.objects.for_municipality(municipality).get_or_create(
        municipality=municipality,
        law="LAS",
        paragraph="§ 65",
        valid_from=datetime.date(2015, 7, 1),
        defaults={"title": "Lån til etablering af selvstændig virksomhed"},
    )
    programme = Programme.objects.create(
        municipality=municipality,
        name=NAME,
        kind=ProgrammeKind.MICROLOAN,
        description="Rentefrie lån på 30.000-50.000 kr. til borgere, der vil starte egen virksomhed, "
        "med kursusforløb, coach og støtte i etableringsperioden.",
    )
    settings_row = loan_settings(programme)  # with the source's course modules
    settings_row.loan_min, settings_row.loan_max = 3_000_000, 5_000_000
    settings_row.monthly_support, settings_row.instalment_amount = 1_200_000, 50000
    settings_row.loan_pool = FundingSource.objects.for_municipality(municipality).get(name="Mikrolånspulje")
    settings_row.support_pool = FundingSource.objects.for_municipality(municipality).get(name="Kommunale midler")
    settings_row.remission_note = (
        "Kommunen kan eftergive den resterende gæld, hvis virksomheden lukker, og du "
        "går i job eller uddannelse eller ikke har betalingsevne."
    )
    settings_row.save()
    for benefit in (
        BenefitType.CASH_BENEFIT,
        BenefitType.SICKNESS_BENEFIT,
        BenefitType.DISABILITY_PENSION,
        BenefitType.REVALIDERING,
    ):
        EligibilityRule.objects.create(
            municipality=municipality, programme=programme, kind=EligibilityKind.BENEFIT, benefit_type=benefit
        )
    return programme


def _people(programme: Programme, days: list[datetime.date], count: int, taken: set[int]) -> list[Citizen]:
    """Citizens in the target group on each of `days`, not in the budget programme, not yet used."""
    m = programme.municipality
    busy = set(Offer.objects.for_municipality(m).values_list("citizen_id", flat=True)) | set(
        BudgetPlan.objects.for_municipality(m).values_list("citizen_id", flat=True)
    )
    always = set.intersection(*({c.pk for c in eligible_citizens(programme=programme, on=day)} for day in days))
    people = [c for c in eligible_citizens(programme=programme, on=days[0]) if c.pk in always - busy - taken]
    chosen = people[:count]
    taken.update(c.pk for c in chosen)
    return chosen


def _hold_1(sim: Simulation, cohort: Cohort, start: datetime.date, taken: set[int]) -> None:
    people = _people(sim.programme, [start, start + D(days=15)], 64, taken)
    borrowers = iter(HOLD_1)
    course_dropouts = iter(DROPPED_ON_COURSES)
    for index, citizen in enumerate(people):
        box: dict = {}
        referred = start + D(days=index % 15)
        sim.refer(citizen, cohort, referred, box)
        if index in (0, 1):
            sim.drop(box, referred + D(days=10), "Har fået job inden informationsmødet.")
            continue
        sim.info(box, start + D(days=21))
        if index in (2, 3):
            sim.drop(box, start + D(days=27), "Ønsker ikke at gå videre efter informationsmødet.")
            continue
        sim.interview(box, start + D(days=28 + index % 12), (4, 3, 4) if index < 23 else (2, 3, 2))
        selected = index < 23  # 19 of the 60 interviewed
        sim.select(box, start + D(days=45), selected, "" if selected else NOT_SELECTED[index % len(NOT_SELECTED)])
        if not selected:
            continue
        if index >= 17:  # 6 leave during the courses
            sim.courses(box, start + D(days=45), modules=2 + index % 3)
            sim.drop(box, start + D(days=110), next(course_dropouts))
            continue
        done = sim.courses(box, start + D(days=45) + D(days=index % 5))
        if index == 16:  # 13 completed; one chooses a job before the business plan
            sim.drop(box, done + D(days=16), "Har fået fast arbejde som tømrer og vil ikke starte virksomhed.")
            continue
        borrower = next(borrowers)
        sim.business_plan(box, done + D(days=5), borrower.business, borrower.idea)
        sim.recommend(
            box,
            done + D(days=min(9, borrower.days_to_decision - 2)),
            borrower.amount,
            keeps_pension=citizen_keeps_pension(citizen, done),
        )
        decided = done + D(days=borrower.days_to_decision)
        sim.decide(box, decided)
        sim.accept(box, decided + D(days=2))
        sim.pay_out(box, decided + D(days=3))
        sim.expect(box, borrower, decided)


def citizen_keeps_pension(citizen: Citizen, on: datetime.date) -> bool:
    """Disability pensioners keep their pension instead of support (seed 001)."""
    return (
        citizen.benefit_periods.filter(benefit_type=BenefitType.DISABILITY_PENSION, start_date__lte=on)
        .exclude(end_date__lt=on)
        .exists()
    )


def _hold_2(sim: Simulation, cohort: Cohort, today: datetime.date, taken: set[int]) -> dict[str, int]:
    """The running hold: one case at each step. Returns the showcase cases' citizens."""
    start = today - D(days=150)
    people = iter(_people(sim.programme, [start - D(days=30), start + D(days=60), today], 15, taken))
    show: dict[str, int] = {}

    def person(stage: str, referred: datetime.date) -> dict:
        citizen = next(people)
        box: dict = {}
        sim.refer(citizen, cohort, referred, box)
        show[stage] = citizen.pk
        return box

    person("referred", today - D(days=5))
    person("referred_2", today - D(days=2))
    box = person("info_meeting", today - D(days=20))
    sim.info(box, today - D(days=6))
    box = person("interviewed", today - D(days=40))
    sim.info(box, today - D(days=30))
    sim.interview(box, today - D(days=8), (4, 4, 3))
    box = person("not_selected", start)
    sim.info(box, start + D(days=10))
    sim.interview(box, start + D(days=14), (2, 2, 3))
    sim.select(box, start + D(days=20), False, NOT_SELECTED[0])
    for stage, modules in (("selected", 4), ("selected_2", 2)):
        box = person(stage, start + D(days=30))
        sim.info(box, start + D(days=40))
        sim.interview(box, start + D(days=44), (4, 3, 4))
        sim.select(box, start + D(days=50), True)
        sim.courses(box, start + D(days=50), modules=modules)
    # Cases further on: their courses ended this many days ago, and each moves as far as its stage.
    ended = {
        "courses_done": 8,
        "plan": 14,
        "recommended": 18,
        "rejected": 25,
        "approved": 21,
        "agreement": 30,
        "disbursed": 60,
    }
    names = {
        "plan": ("Bageriet i Gaden", "Surdejsbrød og kage fra et lille bageri"),
        "recommended": ("Tømrer Jensen", "Små tømreropgaver og reparationer for private"),
        "rejected": ("Vinduespudseren", "Vinduespudsning i villakvarterer"),
        "approved": ("Gårdbutikken", "Salg af grøntsager fra egen have"),
        "agreement": ("Lydstudiet", "Indspilning og mix for lokale bands"),
        "disbursed": ("Kagehuset", "Bestillingskager til fester"),
    }
    required = sum(m.required for m in sim.modules)
    for stage, ago in ended.items():
        course_start = today - D(days=ago) - D(days=14 * required)
        box = person(stage, course_start - D(days=20))
        sim.info(box, course_start - D(days=10))
        sim.interview(box, course_start - D(days=6), (5, 4, 4))
        sim.select(box, course_start, True)
        # A refused applicant leaves before the optional network days.
        done = sim.courses(box, course_start, modules=required if stage == "rejected" else None)
        if stage == "courses_done":
            continue
        name, idea = names[stage]
        sim.business_plan(box, done + D(days=3), name, idea)
        if stage == "plan":
            continue
        sim.recommend(box, done + D(days=6), 3_500_000, keeps_pension=False)
        if stage == "recommended":
            continue
        if stage == "rejected":
            sim.decide(
                box,
                done + D(days=9),
                approve=False,
                reason="Budgettet bygger på flere kunder, end der er i området; planen holder ikke.",
            )
            continue
        sim.decide(box, done + D(days=9))
        if stage == "approved":
            continue
        sim.accept(box, done + D(days=11))
        sim.pay_out(box, today if stage == "agreement" else done + D(days=12))
    return show


@transaction.atomic
def demo_loans_load(*, municipality, today: datetime.date) -> Programme | None:
    existing = Programme.objects.for_municipality(municipality).filter(name=NAME).first()
    if existing:
        return existing
    programme = _setup(municipality)
    hold_1 = Cohort.objects.create(
        municipality=municipality,
        programme=programme,
        name="Hold 1 – Mikrolån 2.0",
        selection_mode=SelectionMode.NOMINATED,
    )
    hold_2 = Cohort.objects.create(
        municipality=municipality, programme=programme, name="Hold 2", selection_mode=SelectionMode.NOMINATED
    )
    sim = Simulation(programme, today)
    taken: set[int] = set()
    _hold_1(sim, hold_1, today - relativedelta(months=27), taken)
    _hold_2(sim, hold_2, today, taken)
    sim.run()
    # Today: the payout waiting in a batch for the second finance officer.
    with acting_on(today):
        if (
            Payment.objects.for_municipality(municipality)
            .filter(status=PaymentStatus.APPROVED, batch__isnull=True, commitment__programme=programme)
            .exists()
        ):
            batches.batch_create(actor=sim.finance, payment_date=today, key="demo-loans-today")
    return programme
