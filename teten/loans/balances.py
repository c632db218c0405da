"""What a loan's schedule says is owed, paid and overdue (reads), and the loan's record of its
oldest unpaid instalment, which every writer of schedules and payments refreshes."""

import datetime

from django.db.models import F, Min, Sum

from teten.loans.models import Loan, LoanCase, ScheduledInstalment, ScheduleVersion


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


def first_unpaid_due(loan: Loan) -> datetime.date | None:
    """The due date of the oldest instalment of the current schedule not paid in full; none for
    a closed loan (repaid, remitted or written off), which is never in arrears."""
    if loan.closed_on is not None:
        return None
    unpaid = current_instalments(loan).filter(paid__lt=F("amount"))
    return unpaid.order_by().aggregate(first=Min("due_date"))["first"]


def first_unpaid_refresh(loan: Loan) -> None:
    """Record on the case the loan's oldest unpaid due date after its schedule or payments
    changed, in the same transaction. A replaced schedule's unpaid instalments no longer count:
    what was owed on them moved to the new schedule. The loan is in arrears on a day when this
    date is before it; when everything is paid (repaid, remitted, written off) it is empty."""
    first = first_unpaid_due(loan)
    LoanCase.objects.for_municipality(loan.municipality_id).filter(pk=loan.case_id).update(first_unpaid_due=first)
    if Loan.case.is_cached(loan):  # keep a case already read in step, should it be saved
        loan.case.first_unpaid_due = first


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
