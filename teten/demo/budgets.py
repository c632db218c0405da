"""The demo municipality's running personal-budget programme: citizens in every state, made
through the real services (offers, the budget tool, review, decisions, payments, receipts, misuse,
closing). Dates that only time can produce (an ended window, an overdue receipt) are moved back
afterwards, which only a demo may do."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from teten.accounts.models import Team, User
from teten.budgets import changes, conversations, courses, offers, plans, receipts, review
from teten.budgets.models import (
    BudgetLine,
    BudgetSettings,
    ChangeKind,
    Colour,
    ConversationForm,
    DeclineReason,
    Education,
    FinalStatus,
    GrantDecision,
    LineStatus,
    MeetingWish,
    MisuseKind,
)
from teten.citizens.models import Citizen
from teten.core.money import format_kroner
from teten.payments import batches, services
from teten.payments.models import Payee, Payment
from teten.payments.reconciliation import reconciliation_import
from teten.programmes.eligibility import default_rules_install, eligible_citizens
from teten.programmes.models import Cohort, ExpenseCategory, Programme, SelectionMode, Sparring

LINES = {
    "course": (
        "Bogholderkursus hos AOF",
        "AOF Aarhus",
        1_450_000,
        "Jeg har arbejdet med regnskab før, men mangler papir på det. Med kurset kan jeg søge bogholderjob.",
    ),
    "driving_licence": (
        "B-kørekort",
        "Køreskolen Syd",
        1_800_000,
        "Mange lagerjob kræver kørekort, og jeg bor langt fra busserne.",
    ),
    "equipment": (
        "Bærbar computer og Office",
        "Elgiganten",
        850000,
        "Jeg skal kunne søge job og følge kurset hjemmefra.",
    ),
    "dental": (
        "Tandbehandling",
        "Tandlægerne i Centrum",
        1_200_000,
        "Jeg smiler ikke til samtaler, fordi jeg skammer mig over mine tænder.",
    ),
    "psychologist": (
        "Samtaler med psykolog (8 gange)",
        "Psykologhuset",
        640000,
        "Jeg har brug for hjælp til at komme over min angst for at møde op nye steder.",
    ),
}


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), "white").save(buffer, "PNG")
    return SimpleUploadedFile("kvittering.png", buffer.getvalue())


class Builder:
    def __init__(self, programme: Programme, today: datetime.date):
        self.programme = programme
        self.m = programme.municipality
        self.today = today
        staff = {u.username: u for u in User.objects.filter(municipality=self.m)}
        self.consultant, self.colleague = staff["konsulent"], staff["konsulent2"]
        self.caseworker, self.finance, self.finance2 = staff["sagsbehandler"], staff["okonomi"], staff["okonomi2"]
        self.coordinator = staff["koordinator"]
        self.categories = {c.code: c for c in ExpenseCategory.objects.for_municipality(self.m)}

    def offer(self, citizen, cohort=None):
        return offers.offer_create(actor=self.consultant, programme=self.programme, citizen=citizen, cohort=cohort)

    def plan(self, citizen, codes, cohort=None, submit=True):
        plan = offers.offer_accept(citizen=citizen, offer=self.offer(citizen, cohort), declaration_accepted=True)
        plans.plan_profile_save(
            citizen=citizen,
            plan=plan,
            job_wish="Bogholder",
            education=Education.VOCATIONAL,
            meeting_wish=MeetingWish.FORTNIGHTLY,
        )
        month = plans.window_months(plan)[0]
        for code in codes:
            text, supplier, amount, why = LINES[code]
            plans.line_save(
                citizen=citizen,
                plan=plan,
                line=None,
                category=self.categories[code],
                description=text,
                supplier=supplier,
                amount=amount,
                planned_month=month,
                justification=why,
            )
        if submit:
            plans.plan_submit(citizen=citizen, plan=plan)
        plan.refresh_from_db()
        return plan

    def approve(self, plan, reject=()):
        for line in BudgetLine.objects.filter(plan=plan, status=LineStatus.PENDING).select_related("category"):
            if line.category.code in reject:
                review.line_review(
                    actor=self.consultant,
                    line=line,
                    decision=LineStatus.REJECTED,
                    comment="Det kan vi ikke bevilge i dette projekt.",
                )
            else:
                review.line_review(actor=self.consultant, line=line, decision=LineStatus.APPROVED)
        review.assessment_record(actor=self.colleague, plan=plan, colour=Colour.GREEN, comment="")
        review.plan_approve(actor=self.consultant, plan=plan)
        plan.refresh_from_db()
        return plan

    def pay(self, plan, code, payee, amount=None, key=""):
        line = BudgetLine.objects.get(plan=plan, category__code=code)
        supplier = (
            {}
            if payee == Payee.CITIZEN
            else {"supplier_name": line.supplier, "supplier_cvr": "13585628", "invoice_number": f"F-{line.pk}"}
        )
        return services.payment_create(
            actor=self.caseworker,
            commitment=line.commitment,
            amount=amount or line.amount,
            payee=payee,
            due_date=self.today,
            description=line.description,
            business_date=self.today,
            key=f"demo-budget-{key or line.pk}",
            **supplier,
        )

    def send_all(self, key: str):
        batch = batches.batch_create(actor=self.finance, payment_date=self.today, key=key)
        batches.batch_approve(actor=self.finance2, batch=batch)
        batches.batch_export(actor=self.finance, batch=batch)
        return batch

    def backdate(self, plan, days: int) -> None:
        """Move a plan's window and its payments `days` into the past (demo only)."""
        delta = datetime.timedelta(days=days)
        plan.window_start -= delta
        plan.window_end -= delta
        plan.save(update_fields=["window_start", "window_end"])
        GrantDecision.objects.for_municipality(self.m).filter(plan=plan).update(
            window_start=plan.window_start, window_end=plan.window_end
        )
        for payment in Payment.objects.for_municipality(self.m).filter(commitment__budget_line__plan=plan):
            if payment.sent_on:
                Payment.objects.for_municipality(self.m).filter(pk=payment.pk).update(
                    sent_on=payment.sent_on - delta, due_date=payment.due_date - delta
                )


def _bank_confirms(builder: Builder, batch) -> None:
    rows = ["reference;beløb;dato;status"]
    for payment in Payment.objects.for_municipality(builder.m).filter(batch=batch).order_by("id"):
        rows.append(
            f"{payment.reference};{format_kroner(payment.amount, symbol=False)};{builder.today:%d.%m.%Y};betalt"
        )
    rows.append(f"TT-UKEND-T0000;1.000,00;{builder.today:%d.%m.%Y};betalt")
    reconciliation_import(
        actor=builder.finance,
        content=("\n".join(rows) + "\n").encode(),
        filename="bankbekraeftelse-demo.csv",
        business_date=builder.today,
    )


@transaction.atomic
def demo_budgets_load(*, programme: Programme, today: datetime.date) -> None:
    m = programme.municipality
    if BudgetSettings.objects.for_municipality(m).filter(programme=programme).exists():
        return
    team, _created = Team.objects.get_or_create(municipality=m, name="Jobparate")
    User.objects.filter(municipality=m, username__in=["konsulent", "konsulent2"]).update(team=team)
    BudgetSettings.objects.create(municipality=m, programme=programme, team=team)
    default_rules_install(programme)
    nominated = Cohort.objects.create(
        municipality=m,
        programme=programme,
        name="Fase 2 – udpeget",
        selection_mode=SelectionMode.NOMINATED,
        sparring=Sparring.INDIVIDUAL,
    )
    collective = Cohort.objects.create(
        municipality=m,
        programme=programme,
        name="Fase 5 – lodtrukket",
        selection_mode=SelectionMode.LOTTERY,
        sparring=Sparring.COLLECTIVE,
    )
    b = Builder(programme, today)
    mine = [c for c in eligible_citizens(programme=programme, on=today) if c.assigned_consultant_id == b.consultant.pk][
        :14
    ]
    mine = Citizen.objects.for_municipality(m).filter(pk__in=[c.pk for c in mine]).order_by("id")
    people = list(mine)
    if len(people) < 12:
        return  # the register was generated without enough eligible citizens; nothing to show

    b.offer(people[0], nominated)  # offered, not answered
    b.offer(people[1], collective)
    offers.offer_decline(
        citizen=people[2],
        offer=b.offer(people[2], collective),
        reason=DeclineReason.GOT_JOB,
        note="Jeg starter som lagermedarbejder på mandag.",
    )
    b.plan(people[3], ["course", "equipment"], nominated, submit=False)  # being written

    waiting = b.plan(people[4], ["driving_licence", "dental"], collective)  # sent for review, assessed
    review.assessment_record(
        actor=b.colleague,
        plan=waiting,
        colour=Colour.YELLOW,
        comment="Kørekortet er godt; men hvad er planen for jobbet bagefter?",
    )

    back = b.plan(people[5], ["course", "psychologist"], nominated)  # back with the citizen
    course, talk = BudgetLine.objects.filter(plan=back).order_by("id")
    review.line_review(actor=b.consultant, line=course, decision=LineStatus.APPROVED)
    review.line_review(
        actor=b.consultant,
        line=talk,
        decision=LineStatus.NEEDS_ARGUMENT,
        comment="Hvordan hænger samtalerne sammen med dit jobmål? Skriv lidt mere.",
    )
    review.plan_return(actor=b.consultant, plan=back)

    running = b.approve(b.plan(people[6], ["course", "driving_licence", "equipment"], collective))
    b.pay(running, "course", Payee.SUPPLIER)
    b.pay(running, "driving_licence", Payee.CITIZEN, amount=500000, key="lic-1")
    overdue = b.approve(b.plan(people[7], ["dental", "equipment"], nominated))
    b.pay(overdue, "equipment", Payee.CITIZEN, amount=425000, key="equip-1")
    misuse = b.approve(b.plan(people[8], ["equipment"], collective))
    misused = b.pay(misuse, "equipment", Payee.CITIZEN, amount=425000, key="misuse-1")
    closed = b.approve(b.plan(people[9], ["course"], nominated))
    closed_payment = b.pay(closed, "course", Payee.CITIZEN, amount=500000, key="closed-1")
    extension = b.approve(b.plan(people[10], ["course", "dental"], collective))
    b.pay(extension, "dental", Payee.SUPPLIER)

    batch = b.send_all("demo-budget-batch-1")
    _bank_confirms(b, batch)

    # Receipts: one handed in and waiting to be checked, one accepted on a closed case.
    lic = Payment.objects.for_municipality(m).get(key="demo-budget-lic-1")
    receipts.receipt_upload(citizen=running.citizen, payment=lic, uploaded_file=_png())
    closed_receipt = receipts.receipt_upload(
        citizen=closed.citizen,
        payment=Payment.objects.for_municipality(m).get(pk=closed_payment.pk),
        uploaded_file=_png(),
    )
    receipts.receipt_review(actor=b.consultant, receipt=closed_receipt, accept=True, original_received_on=today)
    conversations.conversation_log(
        actor=b.consultant,
        plan=running,
        held_on=today,
        form=ConversationForm.MEETING,
        note="Kurset er i gang; borgeren har fået en praktikaftale.",
    )

    # Misuse: the money went on private consumption; the claim is raised and the collaboration stopped.
    changes.misuse_record(
        actor=b.consultant,
        payment=Payment.objects.for_municipality(m).get(pk=misused.pk),
        amount=425000,
        kind=MisuseKind.PRIVATE,
        note="Computeren blev aldrig købt; pengene gik til husleje.",
    )
    changes.plan_stop(actor=b.consultant, plan=misuse, reason="Midlerne er brugt til privatforbrug i strid med planen.")

    # An extension is asked for; an overdue receipt; a case that has run its course and is closed.
    changes.change_request_create(
        citizen=extension.citizen,
        plan=extension,
        kind=ChangeKind.EXTENSION,
        new_end=extension.window_end + datetime.timedelta(days=60),
        reason="Kurset starter først i august.",
    )
    b.backdate(overdue, 45)
    b.backdate(closed, 200)
    closed.refresh_from_db()
    changes.plan_close(actor=b.consultant, plan=closed, final_status=FinalStatus.EMPLOYMENT)

    group = courses.course_create(
        actor=b.coordinator,
        programme=programme,
        name="Kollektivt forløb 1",
        starts_on=today - datetime.timedelta(days=14),
        capacity=15,
    )
    for plan in (running, overdue, extension, waiting):
        courses.participant_add(actor=b.coordinator, course=group, plan=plan)
    participants = list(group.participants.all())
    courses.session_record(
        actor=b.coordinator,
        course=group,
        held_on=today - datetime.timedelta(days=14),
        topic="Velkommen og jobmål",
        present_ids={p.pk for p in participants},
    )
    courses.session_record(
        actor=b.coordinator,
        course=group,
        held_on=today - datetime.timedelta(days=7),
        topic="Netværk og virksomhedsbesøg",
        present_ids={p.pk for p in participants[:3]},
    )
    for label, amount in (("Virksomhedskonsulenter", 40000), ("Forplejning", 10800), ("Oplægsholdere", 86600)):
        courses.cost_add(actor=b.coordinator, course=group, label=label, amount_per_citizen=amount)

    # A batch waiting for the second pair of eyes.
    b.pay(extension, "course", Payee.SUPPLIER)
    batches.batch_create(actor=b.finance2, payment_date=today, key="demo-budget-batch-2")
