import datetime

from teten.budgets.receipts import overdue_payments, reminder_send
from teten.core.daily import duty


@duty("receipt_reminders", order=30)
def receipt_reminders(business_date: datetime.date) -> str:
    """A reminder letter for each receipt whose deadline has passed (once per payment)."""
    sent = sum(
        reminder_send(payment=payment, business_date=business_date) is not None
        for payment in overdue_payments(None, on=business_date)
    )
    return f"{sent} receipt reminders sent"
