"""Exporting one citizen's record (for example when the citizen asks for insight)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from teten.accounts.access import require
from teten.audit.models import AccessKind
from teten.audit.services import access_record
from teten.citizens.models import Citizen
from teten.core import cpr as cpr_module

PURPOSE_EXPORT = gettext_lazy("Casework: export of the citizen's record")


def citizen_export(*, actor, citizen: Citizen) -> list[list[str]]:
    """The citizen's record as rows for a CSV file. Writes one EXPORT row to the access log."""
    require(actor, "citizens.export", citizen)
    access_record(
        actor=actor,
        municipality=citizen.municipality,
        kind=AccessKind.EXPORT,
        purpose=PURPOSE_EXPORT,
        citizens=[citizen],
    )
    rows = [
        [_("Field"), _("Value")],
        [_("CPR number"), cpr_module.format_full(citizen.cpr)],
        [_("First name(s)"), citizen.first_name],
        [_("Last name"), citizen.last_name],
        [_("Birth date"), f"{citizen.birth_date:%d.%m.%Y}"],
        [_("Gender"), str(citizen.get_gender_display())],
        [_("Address"), citizen.address],
        [_("Postal code"), citizen.postal_code],
        [_("Town"), citizen.city],
        [_("Phone"), citizen.phone],
        [_("E-mail"), citizen.email],
        [_("Job consultant"), str(citizen.assigned_consultant or "")],
        [],
        [_("Benefit"), _("Assessment"), _("From"), _("To")],
    ]
    for period in citizen.benefit_periods.all():
        rows.append(
            [
                str(period.get_benefit_type_display()),
                str(period.get_readiness_display()),
                f"{period.start_date:%d.%m.%Y}",
                f"{period.end_date:%d.%m.%Y}" if period.end_date else "",
            ]
        )
    return rows
