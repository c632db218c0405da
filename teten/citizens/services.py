"""Changing the citizen register. Each function checks the staff member's right, keeps derived
fields (birth date, gender, search name) in step with the CPR and name, and logs the use."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from teten.accounts.access import require
from teten.accounts.models import Role, User
from teten.audit.models import AccessKind
from teten.audit.services import access_record
from teten.citizens.models import BenefitPeriod, Citizen
from teten.citizens.selectors import normalise_name
from teten.core import cpr as cpr_module
from teten.core.dates import period_text
from teten.core.i18n import record_text

PURPOSE_REGISTER = gettext_lazy("Casework: registering a citizen")
PURPOSE_CHANGE = gettext_lazy("Casework: changing the citizen's record")
PURPOSE_REVEAL = gettext_lazy("Casework: the full CPR number was needed")
PURPOSE_HISTORY = gettext_lazy("Casework: the citizen's benefit history")

EDITABLE_FIELDS = (
    "cpr",
    "first_name",
    "last_name",
    "address",
    "postal_code",
    "city",
    "phone",
    "email",
    "assigned_consultant",
)


def apply_derived(citizen: Citizen) -> None:
    """Birth date, gender and search name follow from CPR and name; nobody types them."""
    citizen.birth_date = cpr_module.birth_date(citizen.cpr)
    citizen.gender = cpr_module.gender(citizen.cpr)
    citizen.search_name = normalise_name(f"{citizen.first_name} {citizen.last_name}")


def _check_consultant(municipality, consultant: User | None) -> None:
    if consultant is None:
        return
    if consultant.municipality_id != municipality.pk or Role.JOB_CONSULTANT not in consultant.roles:
        raise ValidationError({"assigned_consultant": _("Choose a job consultant from your municipality.")})


def _check_unique_cpr(municipality, cpr: str, *, exclude_pk: int | None = None) -> None:
    clash = Citizen.objects.for_municipality(municipality).filter(cpr=cpr)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"cpr": _("This municipality already has a citizen with that CPR number.")})


@transaction.atomic
def citizen_create(*, actor: User, **fields) -> Citizen:
    """Register a citizen in the actor's municipality. The CPR is validated with python-stdnum
    (modulus 11 is not required) and must be new to the municipality."""
    require(actor, "citizens.change")
    municipality = actor.municipality
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown citizen fields: {sorted(unknown)}")
    try:
        fields["cpr"] = cpr_module.validate(fields.get("cpr", ""))
    except ValidationError as exc:
        raise ValidationError({"cpr": exc.messages}) from None
    _check_unique_cpr(municipality, fields["cpr"])
    _check_consultant(municipality, fields.get("assigned_consultant"))
    citizen = Citizen(municipality=municipality, **fields)
    apply_derived(citizen)
    citizen.full_clean()
    citizen.save()
    access_record(
        actor=actor, municipality=municipality, kind=AccessKind.CREATE, purpose=PURPOSE_REGISTER, citizens=[citizen]
    )
    return citizen


@transaction.atomic
def citizen_update(*, actor: User, citizen: Citizen, **fields) -> Citizen:
    """Change a citizen's record; the log row says which fields changed (never their values)."""
    require(actor, "citizens.change", citizen)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown citizen fields: {sorted(unknown)}")
    if "cpr" in fields:
        try:
            fields["cpr"] = cpr_module.validate(fields["cpr"])
        except ValidationError as exc:
            raise ValidationError({"cpr": exc.messages}) from None
        _check_unique_cpr(citizen.municipality, fields["cpr"], exclude_pk=citizen.pk)
    if "assigned_consultant" in fields:
        _check_consultant(citizen.municipality, fields["assigned_consultant"])
    changed = [name for name, value in fields.items() if getattr(citizen, name) != value]
    if not changed:
        return citizen
    for name in changed:
        setattr(citizen, name, fields[name])
    apply_derived(citizen)
    citizen.full_clean()
    citizen.save()
    labels = ", ".join(record_text(Citizen._meta.get_field(name).verbose_name) for name in changed)
    access_record(
        actor=actor,
        municipality=citizen.municipality,
        kind=AccessKind.CHANGE,
        purpose=format_lazy("{}: {}", PURPOSE_CHANGE, labels),
        citizens=[citizen],
    )
    return citizen


def citizen_reveal_cpr(*, actor: User, citizen: Citizen) -> str:
    """Show the whole CPR number: an explicit, logged action."""
    require(actor, "citizens.reveal_cpr", citizen)
    access_record(
        actor=actor,
        municipality=citizen.municipality,
        kind=AccessKind.REVEAL_CPR,
        purpose=PURPOSE_REVEAL,
        citizens=[citizen],
    )
    return cpr_module.format_full(citizen.cpr)


def _check_period(citizen: Citizen, period: BenefitPeriod) -> None:
    if period.start_date and period.end_date and period.end_date < period.start_date:
        raise ValidationError({"end_date": _("The end date must be on or after the start date.")})
    period.full_clean(exclude=["citizen"])
    this_end = period.end_date or datetime.date.max
    for other in citizen.benefit_periods.exclude(pk=period.pk).filter(benefit_type=period.benefit_type):
        if period.start_date <= (other.end_date or datetime.date.max) and other.start_date <= this_end:
            span = period_text(other.start_date, other.end_date)
            raise ValidationError(
                {"start_date": _("This overlaps another period on the same benefit (%(period)s).") % {"period": span}}
            )


@transaction.atomic
def benefit_period_save(*, actor: User, citizen: Citizen, period: BenefitPeriod) -> BenefitPeriod:
    """Add or correct a period in the citizen's benefit history."""
    require(actor, "citizens.change", citizen)
    period.citizen = citizen
    _check_period(citizen, period)
    adding = period._state.adding
    period.save()
    access_record(
        actor=actor,
        municipality=citizen.municipality,
        kind=AccessKind.CREATE if adding else AccessKind.CHANGE,
        purpose=PURPOSE_HISTORY,
        citizens=[citizen],
    )
    return period
