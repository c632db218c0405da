import datetime

from django.db.models import F

from teten.core.daily import duty
from teten.loans.decisions import payout_register
from teten.loans.models import Loan, ScheduledInstalment
from teten.loans.repayment import reminder_send


@duty("loan_payouts", order=15)
def loan_payouts(business_date: datetime.date) -> str:
    """Loans whose payout has been sent start their establishment period and get their schedule."""
    pending = Loan.objects.all_municipalities().filter(paid_out_on__isnull=True, payout__isnull=False)
    started = sum(payout_register(loan=loan) for loan in pending.select_related("case__programme", "municipality"))
    return f"{started} loans paid out"


@duty("loan_reminders", order=40)
def loan_reminders(business_date: datetime.date) -> str:
    """A reminder for each instalment that is due, unpaid and past its due date (once).

    One query finds the candidates — unpaid instalments of the current schedules of open,
    paid-out loans, due before today, with no reminder yet — so the run does not grow with the
    number of loans that are paying on time; `reminder_send` then applies the one rule to each."""
    candidates = (
        ScheduledInstalment.objects.filter(
            schedule__is_current=True,
            schedule__loan__paid_out_on__lt=business_date,
            schedule__loan__closed_on__isnull=True,
            due_date__lt=business_date,
            paid__lt=F("amount"),
            reminder__isnull=True,
        )
        .select_related(
            "schedule__loan__case__programme", "schedule__loan__case__citizen", "schedule__loan__municipality"
        )
        # Oldest first, in the order of the index of unpaid instalments by due date: the database
        # reads the few thousand unpaid rows due before today rather than every current schedule.
        .order_by("due_date", "id")
    )
    sent = sum(
        reminder_send(instalment=instalment, loan=instalment.schedule.loan, on=business_date) is not None
        for instalment in candidates
    )
    return f"{sent} instalment reminders sent"
