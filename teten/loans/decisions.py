"""The loan decision (four eyes), the loan agreement, the payout and the establishment period.

The source's worst failures (seed 001) cannot happen here: the decision is made by someone other
than the recommender; the loan is reserved as a LOAN commitment, so its payout is posted to the
loan receivable and never as spending; support during establishment is a separate grant; the
repayment schedule starts after the establishment period and the grace period, never on the
payout day.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from teten.accounts.access import require
from teten.audit.services import decision_record
from teten.core.businessdays import next_business_day
from teten.core.clock import now as clock_now
from teten.core.clock import today
from teten.loans import letters
from teten.loans.balances import current_schedule, first_unpaid_refresh, outstanding
from teten.loans.cases import S, advance
from teten.loans.configuration import loan_settings
from teten.loans.models import Loan, LoanCase, ScheduledInstalment, ScheduleVersion
from teten.loans.schedule import first_due_date, repayment_schedule
from teten.payments import postings
from teten.payments.commitments import commitment_reserve
from teten.payments.models import MoneyKind, Payee, Payment, PaymentStatus
from teten.payments.services import payment_create
from teten.programmes.models import LegalBasis

DEFAULT_LEGAL_BASIS = "LAS § 65 – lån til etablering af selvstændig virksomhed"


def legal_basis_in_force(programme, on: datetime.date) -> str:
    """The programme's legal basis for loans on `on` (a dated record with law LAS and § 65), else
    the act's § 65 as the source names it."""
    basis = (
        LegalBasis.objects.for_municipality(programme.municipality)
        .filter(law="LAS", paragraph="§ 65", valid_from__lte=on)
        .exclude(valid_to__lt=on)
        .order_by("-valid_from")
        .first()
    )
    return basis.citation() if basis else DEFAULT_LEGAL_BASIS


def provisional_schedule(loan_amount: int, programme, payout: datetime.date):
    settings_row = loan_settings(programme)
    first = first_due_date(
        payout, establishment_months=settings_row.establishment_months, grace_months=settings_row.grace_months
    )
    count = settings_row.instalment_count
    instalment = settings_row.instalment_amount if not count else None
    if not count and not instalment:
        count = 36
    return repayment_schedule(loan_amount, first_due=first, instalment=instalment, count=count)


@transaction.atomic
def loan_decide(*, actor, case: LoanCase, approve: bool, reason: str = "") -> Loan | None:
    """A benefits caseworker of the central unit approves or refuses the recommendation — never
    the person who recommended it. Approval reserves the loan in the pool as a LOAN, records the
    legal basis in force that day, and issues the decision letter and the loan agreement."""
    require(actor, "loans.decide", case)
    if case.recommended_by_id == actor.pk:
        raise PermissionDenied(_("The person who recommended the loan cannot decide it."))
    if case.stage != S.RECOMMENDED:
        raise ValidationError(_("Only a recommended case can be decided."))
    if not approve:
        if not reason.strip():
            raise ValidationError({"reason": _("Give the reason for refusing the loan.")})
        advance(case, S.REJECTED, actor=actor, note=reason)
        letters.refusal_letter(
            case=case, actor=actor, reason=reason.strip(), legal_basis=legal_basis_in_force(case.programme, today())
        )
        return None
    settings_row = loan_settings(case.programme)
    if settings_row.loan_pool is None:
        raise ValidationError(_("The programme has no loan pool. Ask the coordinator to choose one."))
    on = today()
    basis = legal_basis_in_force(case.programme, on)
    amount = case.recommended_amount
    commitment = commitment_reserve(
        actor=actor,
        programme=case.programme,
        funding_source=settings_row.loan_pool,
        citizen=case.citizen,
        kind=MoneyKind.LOAN,
        reference=f"loans.LoanCase:{case.pk}",
        amount=amount,
        description=_("Micro-loan to %(business)s") % {"business": case.business_name or case.citizen.full_name},
        decided_on=on,
        key=f"loans.decide:{case.pk}",
        legal_basis=basis,
    )
    support = None
    months = 0 if case.keeps_pension else (case.recommended_support_months or 0)
    if months and settings_row.monthly_support:
        if settings_row.support_pool is None:
            raise ValidationError(_("The programme has no pool for establishment support."))
        support = commitment_reserve(
            actor=actor,
            programme=case.programme,
            funding_source=settings_row.support_pool,
            citizen=case.citizen,
            kind=MoneyKind.GRANT,
            reference=f"loans.Support:{case.pk}",
            amount=months * settings_row.monthly_support,
            description=_("Support during establishment"),
            decided_on=on,
            key=f"loans.support:{case.pk}",
            legal_basis=basis,
        )
    schedule = provisional_schedule(amount, case.programme, on)
    loan = Loan(
        municipality=case.municipality,
        case=case,
        amount=amount,
        support_months=months,
        recommended_by=case.recommended_by,
        decided_by=actor,
        decided_on=on,
        legal_basis=basis,
        commitment=commitment,
        support_commitment=support,
    )
    loan.decision_letter = letters.decision_letter(case=case, loan=loan)
    loan.agreement_letter = letters.agreement_letter(case=case, loan=loan, schedule=schedule)
    loan.save()
    advance(case, S.APPROVED, actor=actor, note=basis)
    return loan


@transaction.atomic
def agreement_accept(*, citizen, loan: Loan) -> Loan:
    """The citizen accepts the loan agreement (gældsbrev) in the portal; the time is kept."""
    if loan.case.citizen_id != citizen.pk:
        raise ValidationError(_("This loan is not yours."))
    if loan.agreement_accepted_at is not None:
        raise ValidationError(_("You have already accepted the agreement."))
    loan.agreement_accepted_at = clock_now()
    loan.save(update_fields=["agreement_accepted_at"])
    advance(loan.case, S.AGREEMENT, actor=None)
    return loan


@transaction.atomic
def payout_create(*, actor, loan: Loan, due: datetime.date, key: str) -> Payment:
    """The payout, only from an approved loan whose agreement the citizen has accepted. It goes
    through the ordinary payments and batches — and, being a LOAN, to the loan receivable."""
    require(actor, "payments.create", loan)
    if loan.case.stage != S.AGREEMENT or loan.agreement_accepted_at is None:
        raise ValidationError(_("The loan can only be paid out once the citizen has accepted the agreement."))
    if loan.payout_id:
        return loan.payout
    payment = payment_create(
        actor=actor,
        commitment=loan.commitment,
        amount=loan.amount,
        payee=Payee.CITIZEN,
        due_date=due,
        description=_("Micro-loan %(reference)s") % {"reference": loan.reference},
        business_date=today(),
        key=key,
    )
    loan.payout = payment
    loan.save(update_fields=["payout"])
    return payment


@transaction.atomic
def payout_register(*, loan: Loan, actor=None) -> bool:
    """Once the payout has left the municipality (sent in a batch), the loan is paid out: the
    establishment period starts, the repayment schedule is fixed from that day and sent, and the
    monthly support is scheduled. Idempotent; the daily job calls it."""
    if loan.paid_out_on or not loan.payout_id:
        return False
    payment = Payment.objects.for_municipality(loan.municipality).get(pk=loan.payout_id)
    if payment.status not in (PaymentStatus.SENT, PaymentStatus.PAID) or not payment.sent_on:
        return False
    settings_row = loan_settings(loan.case.programme)
    loan.paid_out_on = payment.sent_on
    loan.establishment_end = (
        payment.sent_on + relativedelta(months=settings_row.establishment_months) - datetime.timedelta(days=1)
    )
    loan.save(update_fields=["paid_out_on", "establishment_end"])
    version = _schedule_save(loan, provisional_schedule(loan.amount, loan.case.programme, payment.sent_on), reason="")
    advance(loan.case, S.DISBURSED, actor=actor)
    if loan.support_commitment_id and loan.support_months:
        _support_schedule(loan, settings_row.monthly_support, payment.sent_on)
    letters.schedule_letter(loan=loan, version=version, on=payment.sent_on)
    return True


def _support_schedule(loan: Loan, monthly: int, start: datetime.date) -> None:
    """One support payment a month through the establishment period, each on a business day.
    Support is a grant of its own (its commitment is GRANT), never mixed with the loan."""
    for month in range(loan.support_months):
        payment_create(
            actor=loan.decided_by,
            commitment=loan.support_commitment,
            amount=monthly,
            payee=Payee.CITIZEN,
            due_date=next_business_day(start + relativedelta(months=month)),
            description=_("Support during establishment (%(n)s/%(total)s)")
            % {"n": month + 1, "total": loan.support_months},
            business_date=start,
            key=f"loans.support:{loan.pk}:{month + 1}",
        )


def _schedule_save(loan: Loan, instalments, *, reason: str) -> ScheduleVersion:
    ScheduleVersion.objects.filter(loan=loan, is_current=True).update(is_current=False)
    number = ScheduleVersion.objects.filter(loan=loan).count() + 1
    version = ScheduleVersion.objects.create(loan=loan, number=number, reason=reason)
    ScheduledInstalment.objects.bulk_create(
        [
            ScheduledInstalment(schedule=version, number=i.number, due_date=i.due_date, amount=i.amount)
            for i in instalments
        ]
    )
    first_unpaid_refresh(loan)
    return version


@transaction.atomic
def establishment_extend(*, actor, loan: Loan, months: int, reason: str) -> Loan:
    """More time to establish the business, by decision (reason, letter); the schedule moves."""
    require(actor, "loans.decide", loan)
    settings_row = loan_settings(loan.case.programme)
    if not loan.paid_out_on:
        raise ValidationError(_("The establishment period starts when the loan is paid out."))
    used = (
        relativedelta(loan.establishment_end + datetime.timedelta(days=1), loan.paid_out_on).months
        - settings_row.establishment_months
    )
    if not reason.strip() or months <= 0 or used + months > settings_row.max_extension_months:
        raise ValidationError(
            _("Give a reason, and at most %(months)s months in all.") % {"months": settings_row.max_extension_months}
        )
    before = loan.establishment_end
    loan.establishment_end += relativedelta(months=months)
    loan.save(update_fields=["establishment_end"])
    remaining = outstanding(loan)
    first = first_due_date(
        loan.establishment_end + datetime.timedelta(days=1),
        establishment_months=0,
        grace_months=settings_row.grace_months,
    )
    version = _reschedule(loan, remaining, first, reason)
    decision_record(
        actor=actor,
        municipality=loan.municipality,
        kind="loan.extended",
        obj=loan,
        citizen=loan.case.citizen,
        legal_basis=loan.legal_basis,
        before={"establishment_end": str(before)},
        after={"establishment_end": str(loan.establishment_end)},
        note=reason,
    )
    letters.extension_letter(loan=loan, version=version, actor=actor, reason=reason)
    return loan


def _reschedule(loan: Loan, remaining: int, first: datetime.date, reason: str) -> ScheduleVersion:
    settings_row = loan_settings(loan.case.programme)
    count = settings_row.instalment_count
    instalment = settings_row.instalment_amount if not count else None
    if not count and not instalment:
        count = 36
    return _schedule_save(
        loan,
        repayment_schedule(remaining, first_due=first, instalment=instalment, count=count) if remaining else [],
        reason=reason,
    )


@transaction.atomic
def reschedule(
    *, actor, loan: Loan, first_due: datetime.date, instalment: int | None, count: int | None, reason: str
) -> ScheduleVersion:
    """A new schedule for what is still owed, by decision (reason, new schedule, letter)."""
    require(actor, "loans.decide", loan)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the new schedule.")})
    remaining = outstanding(loan)
    if remaining <= 0:
        raise ValidationError(_("Nothing is owed on this loan."))
    try:
        new = repayment_schedule(remaining, first_due=first_due, instalment=instalment, count=count)
    except ValueError:
        raise ValidationError(_("Give either an instalment amount or a number of instalments.")) from None
    version = _schedule_save(loan, new, reason=reason.strip())
    decision_record(
        actor=actor,
        municipality=loan.municipality,
        kind="loan.rescheduled",
        obj=loan,
        citizen=loan.case.citizen,
        legal_basis=loan.legal_basis,
        after={"remaining": remaining, "instalments": len(new), "first_due": str(first_due)},
        note=reason,
    )
    letters.reschedule_letter(loan=loan, version=version, actor=actor, reason=reason)
    return version


def _close_debt(*, actor, loan: Loan, reason: str, stage, posting, kind: str):
    require(actor, "loans.decide", loan)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    owed = outstanding(loan)
    if owed <= 0:
        raise ValidationError(_("Nothing is owed on this loan."))
    on = today()
    posting(loan.commitment, key=f"loan:{loan.pk}:{kind}", amount=owed, on=on, actor=actor)
    version = current_schedule(loan)
    if version:
        for instalment in version.instalments.all():
            instalment.paid = instalment.amount
            instalment.save(update_fields=["paid"])
    loan.closed_on = on
    loan.save(update_fields=["closed_on"])
    first_unpaid_refresh(loan)
    advance(loan.case, stage, actor=actor, note=reason)
    decision_record(
        actor=actor,
        municipality=loan.municipality,
        kind=f"loan.{kind}",
        obj=loan,
        citizen=loan.case.citizen,
        legal_basis=loan.legal_basis,
        before={"owed": owed},
        after={"owed": 0},
        note=reason,
    )
    letters.debt_closed_letter(loan=loan, actor=actor, amount=owed, remitted=kind == "remitted", reason=reason)
    return owed


@transaction.atomic
def remit(*, actor, loan: Loan, reason: str) -> int:
    """Remission (eftergivelse) of the remaining debt, by decision with a letter."""
    return _close_debt(
        actor=actor, loan=loan, reason=reason, stage=S.REMITTED, posting=postings.loan_remitted, kind="remitted"
    )


@transaction.atomic
def write_off(*, actor, loan: Loan, reason: str) -> int:
    """Writing off the remaining debt, by decision with a letter."""
    return _close_debt(
        actor=actor,
        loan=loan,
        reason=reason,
        stage=S.WRITTEN_OFF,
        posting=postings.loan_written_off,
        kind="written_off",
    )
