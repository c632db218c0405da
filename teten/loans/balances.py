"""What a loan's schedule says is owed, paid and overdue (pure reads)."""

import datetime

from django.db.models import Sum

from teten.loans.models import Loan, ScheduledInstalment, ScheduleVersion


def current_schedule(loan: Loan) -> ScheduleVersion | None:
    return ScheduleVersion.objects.filter(loan=loan, is_current=True).first()


def current_instalments(loan: Loan):
    return ScheduledInstalment.objects.filter(schedule__loan=loan, schedule__is_current=True).order_by("number")


def outstanding(loan: Loan) -> int:
    """What is still owed: the loan minus everything repaid, remitted or written off."""
    if loan.paid_out_on is None:
        return loan.amount
    totals = current_instalments(loan).aggregate(amount=Sum("amount", default=0), paid=Sum("paid", default=0))
    return totals["amount"] - totals["paid"]


def overdue_instalments(loan: Loan, on: datetime.date):
    """Instalments that are due, unpaid and past their due date on `on`."""
    return [i for i in current_instalments(loan) if i.due_date < on and i.paid < i.amount]


AGING_BUCKETS = ((30, "1-30"), (60, "31-60"), (90, "61-90"))


def days_past_due(loan: Loan, on: datetime.date) -> int:
    overdue = overdue_instalments(loan, on)
    return (on - overdue[0].due_date).days if overdue else 0


def aging_bucket(days: int) -> str:
    """Arrears aging: 0, 1-30, 31-60, 61-90 or 90+ days past due."""
    if days <= 0:
        return "0"
    for limit, label in AGING_BUCKETS:
        if days <= limit:
            return label
    return "90+"
