"""The coordinator's set-up of a personal-budget programme: cap, window, receipt deadline and team.
Who may take part is the programme's eligibility rules (teten.programmes.conditions)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from teten.accounts.access import require
from teten.audit.services import decision_record
from teten.budgets.models import BudgetSettings


@transaction.atomic
def settings_save(*, actor, settings_row: BudgetSettings) -> BudgetSettings:
    require(actor, "budgets.configure", settings_row)
    if settings_row.team and settings_row.team.municipality_id != settings_row.municipality_id:
        raise ValidationError({"team": _("Choose a team from your municipality.")})
    before = {}
    if settings_row.pk:
        old = BudgetSettings.objects.for_municipality(settings_row.municipality).get(pk=settings_row.pk)
        before = {
            "cap": old.cap,
            "window_months": old.window_months,
            "receipt_deadline_days": old.receipt_deadline_days,
        }
    settings_row.full_clean()
    settings_row.save()
    decision_record(
        actor=actor,
        municipality=settings_row.municipality,
        kind="budget_settings.saved",
        obj=settings_row.programme,
        before=before,
        after={
            "cap": settings_row.cap,
            "window_months": settings_row.window_months,
            "receipt_deadline_days": settings_row.receipt_deadline_days,
        },
    )
    return settings_row
