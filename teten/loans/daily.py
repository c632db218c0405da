import datetime

from teten.core.daily import duty
from teten.loans.balances import current_instalments
from teten.loans.decisions import payout_register
from teten.loans.models import Loan
from teten.loans.repayment import reminder_send


@duty("loan_payouts", order=15)
def loan_payouts(business_date: datetime.date) -> str:
    """Loans whose payout has been sent start their establishment period and get their schedule."""
    pending = Loan.objects.all_municipalities().filter(paid_out_on__isnull=True, payout__isnull=False)
    started = sum(payout_register(loan=loan) for loan in pending.select_related("case__programme", "municipality"))
    return f"{started} loans paid out"


@duty("loan_reminders", order=40)
def loan_reminders(business_date: datetime.date) -> str:
    """A reminder for each instalment that is due, unpaid and past its due date (once)."""
    sent = 0
    loans = Loan.objects.all_municipalities().filter(paid_out_on__isnull=False, closed_on__isnull=True)
    for loan in loans.select_related("case__programme", "case__citizen", "municipality"):
        for instalment in current_instalments(loan).filter(due_date__lt=business_date):
            sent += reminder_send(instalment=instalment, loan=loan, on=business_date) is not None
    return f"{sent} instalment reminders sent"
