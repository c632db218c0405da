"""Repayments, arrears and reminders.

A payment received (registered by hand or read from the bank's file) is posted to the loan
receivable and applied to the oldest unpaid instalments. A reminder is only ever sent for an
instalment that is due, unpaid and past its due date (by the programme's days) — never before the
first due date, never for a loan not yet paid out, never on the payout day (seed 001: citizens got
repayment reminders on the day the loan was paid; here the rule is one function, tested).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from teten.accounts.access import require
from teten.audit.services import decision_record
from teten.core.money import format_kroner
from teten.loans import letters
from teten.loans.balances import current_instalments, first_unpaid_refresh, outstanding
from teten.loans.cases import S, advance
from teten.loans.configuration import loan_settings
from teten.loans.models import InstalmentReminder, Loan, Repayment, RepaymentSource, ScheduledInstalment
from teten.payments import postings
from teten.payments.reconciliation import parse_confirmation_file


def _apply(loan: Loan, amount: int) -> None:
    left = amount
    for instalment in current_instalments(loan).select_for_update():
        if left <= 0:
            break
        take = min(left, instalment.outstanding)
        if take:
            instalment.paid += take
            instalment.save(update_fields=["paid"])
            left -= take
    first_unpaid_refresh(loan)


@transaction.atomic
def repayment_register(
    *, actor, loan: Loan, amount: int, received_on: datetime.date, key: str, source=RepaymentSource.MANUAL
) -> Repayment:
    """Money paid back: posted (Dr bank, Cr loan receivable) and applied to the oldest instalments."""
    if actor is not None:
        require(actor, "loans.repayments", loan)
    existing = Repayment.objects.filter(key=key).first()
    if existing is not None:
        return existing
    if loan.paid_out_on is None:
        raise ValidationError(_("The loan has not been paid out."))
    owed = outstanding(loan)
    if not isinstance(amount, int) or amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than 0 kr.")})
    if amount > owed:
        raise ValidationError({"amount": _("Only %(owed)s is owed on the loan.") % {"owed": format_kroner(owed)}})
    repayment = Repayment.objects.create(
        loan=loan, amount=amount, received_on=received_on, source=source, key=key, registered_by=actor
    )
    postings.loan_repaid(
        loan.commitment, key=f"loan:{loan.pk}:repayment:{repayment.pk}", amount=amount, on=received_on, actor=actor
    )
    _apply(loan, amount)
    case = loan.case
    if case.stage == S.DISBURSED:
        advance(case, S.REPAYING, actor=actor)
    if outstanding(loan) == 0:
        loan.closed_on = received_on
        loan.save(update_fields=["closed_on"])
        advance(loan.case, S.REPAID, actor=actor)
    decision_record(
        actor=actor,
        municipality=loan.municipality,
        kind="loan.repayment",
        obj=loan,
        citizen=loan.case.citizen,
        before={"owed": owed},
        after={"owed": owed - amount},
    )
    return repayment


def repayments_import(*, actor, content: bytes, business_date: datetime.date) -> list[tuple[int, str]]:
    """Read the bank's file of payments received (reference;beløb;dato;status, the reference being
    the loan's, e.g. LÅN-12). Returns (row, outcome) for every row; rows that do not match change
    nothing."""
    require(actor, "loans.repayments")
    results = []
    for row in parse_confirmation_file(content):
        if row.error:
            results.append((row.number, row.error))
            continue
        number = row.reference.upper().removeprefix("LÅN-").removeprefix("LAAN-")
        loan = (
            Loan.objects.for_municipality(actor.municipality).filter(pk=int(number)).first()
            if number.isdigit()
            else None
        )
        if loan is None:
            results.append((row.number, _("No loan has this reference.")))
            continue
        try:
            repayment_register(
                actor=actor,
                loan=loan,
                amount=row.amount,
                received_on=row.date,
                key=f"bank:{loan.pk}:{row.date}:{row.amount}:{row.number}",
                source=RepaymentSource.BANK_FILE,
            )
        except ValidationError as exc:
            results.append((row.number, " ".join(exc.messages)))
        else:
            results.append((row.number, _("Registered")))
    return results


def reminder_due(instalment: ScheduledInstalment, loan: Loan, on: datetime.date) -> bool:
    """The one rule for reminders: the loan is paid out, the instalment is due, unpaid, and at
    least the programme's days past its due date — which also rules out the first due date itself
    and the payout day, since the first instalment falls due months after the payout."""
    if loan.paid_out_on is None or loan.closed_on is not None:
        return False
    if on <= loan.paid_out_on:
        return False
    if instalment.paid >= instalment.amount:
        return False
    days = loan_settings(loan.case.programme).reminder_after_days
    return instalment.due_date + datetime.timedelta(days=max(days, 1)) <= on


def reminder_send(*, instalment: ScheduledInstalment, loan: Loan, on: datetime.date) -> InstalmentReminder | None:
    """Send one reminder letter for the instalment, if the rule allows and none was sent."""
    if not reminder_due(instalment, loan, on) or InstalmentReminder.objects.filter(instalment=instalment).exists():
        return None
    try:
        with transaction.atomic():
            letter = letters.reminder_letter(loan=loan, instalment=instalment, on=on)
            return InstalmentReminder.objects.create(instalment=instalment, business_date=on, letter=letter)
    except IntegrityError:
        return None
