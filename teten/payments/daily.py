"""The payments' dated duties, run by `teten daily --date YYYY-MM-DD`."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from teten.accounts.models import Role, User
from teten.core.businessdays import add_business_days
from teten.core.daily import duty
from teten.ledger.services import remembered_accounts
from teten.payments.models import BatchReminder, BatchStatus, Payment, PaymentBatch, PaymentStatus
from teten.payments.services import payment_make_due

# A batch waiting this many business days for approval (or, approved, for export) is reminded of.
REMINDER_AFTER_BUSINESS_DAYS = getattr(settings, "TETEN_BATCH_REMINDER_BUSINESS_DAYS", 2)


def due_payments(business_date: datetime.date):
    """The scheduled payments whose due date has come, with what posting them reads."""
    return (
        Payment.objects.all_municipalities()
        .filter(status=PaymentStatus.SCHEDULED, due_date__lte=business_date)
        .select_related("commitment__funding_source__municipality", "commitment__programme", "municipality", "citizen")
        .order_by("id")
    )


@duty("payments_due", order=10)
def payments_due(business_date: datetime.date) -> str:
    """Scheduled tranches whose due date has come are approved and posted, one per transaction,
    so a crash leaves only whole payments done and the next run picks up the rest."""
    due = due_payments(business_date)
    with remembered_accounts():
        made = sum(payment_make_due(payment=p, business_date=business_date) for p in due.iterator(chunk_size=500))
    return f"{made} scheduled payments became due"


def _waiting_since(batch: PaymentBatch) -> datetime.date:
    moment = batch.approved_at if batch.status == BatchStatus.APPROVED else batch.created_at
    return moment.date()


@duty("batch_reminders", order=20)
def batch_reminders(business_date: datetime.date) -> str:
    """Remind the municipality's finance officers of batches waiting too long — once per batch and
    state, never before the batch has waited its days."""
    sent = 0
    waiting = PaymentBatch.objects.all_municipalities().filter(status__in=[BatchStatus.OPEN, BatchStatus.APPROVED])
    for batch in waiting.select_related("municipality"):
        if add_business_days(_waiting_since(batch), REMINDER_AFTER_BUSINESS_DAYS) > business_date:
            continue
        try:
            with transaction.atomic():
                BatchReminder.objects.create(batch=batch, status=batch.status, business_date=business_date)
        except IntegrityError:
            continue  # already reminded
        _mail_finance_officers(batch)
        sent += 1
    return f"{sent} batch reminders sent"


def _mail_finance_officers(batch: PaymentBatch) -> None:
    recipients = list(
        User.objects.filter(
            municipality=batch.municipality, is_active=True, role_assignments__role=Role.FINANCE_OFFICER
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    what = _("is waiting for approval") if batch.status == BatchStatus.OPEN else _("is approved but not sent")
    send_mail(
        subject=_("Teten: payment batch %(number)s %(what)s") % {"number": batch.pk, "what": what},
        message=_("Payment batch %(number)s for %(date)s %(what)s. Open Teten to handle it.")
        % {"number": batch.pk, "date": f"{batch.payment_date:%d.%m.%Y}", "what": what},
        from_email=None,
        recipient_list=recipients,
    )
