"""Following the business: the coach's monthly notes, and the citizen's situation 6, 12 and 24
months after the payout (self-supporting from the business, partly, through a job or education,
or stopped) for the evaluation."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from teten.accounts.access import require
from teten.audit.services import decision_record
from teten.core.clock import today
from teten.loans.models import BusinessStatus, FollowUp, LoanCase, Outcome, OutcomeCheck


@transaction.atomic
def follow_up_record(
    *, actor, case: LoanCase, month: datetime.date, status: BusinessStatus, revenue: int | None, note: str
) -> FollowUp:
    require(actor, "loans.work", case)
    if not hasattr(case, "loan") or case.loan.paid_out_on is None:
        raise ValidationError(_("Follow-up starts when the loan has been paid out."))
    row, _created = FollowUp.objects.update_or_create(
        case=case,
        month=month.replace(day=1),
        defaults={"status": status, "revenue": revenue, "note": note.strip(), "coach": actor},
    )
    return row


@transaction.atomic
def outcome_record(
    *, actor, case: LoanCase, months_after: int, outcome: Outcome, business_status: BusinessStatus, note: str = ""
) -> OutcomeCheck:
    require(actor, "loans.work", case)
    if months_after not in (6, 12, 24):
        raise ValidationError({"months_after": _("Outcomes are recorded at 6, 12 and 24 months.")})
    row, _created = OutcomeCheck.objects.update_or_create(
        case=case,
        months_after=months_after,
        defaults={"outcome": outcome, "business_status": business_status, "recorded_on": today(), "note": note},
    )
    decision_record(
        actor=actor,
        municipality=case.municipality,
        kind="loan_case.outcome",
        obj=case,
        citizen=case.citizen,
        after={"months_after": months_after, "outcome": outcome},
    )
    return row
