"""Cohorts (hold / fase): a programme's groups of citizens who start together, each chosen by the
consultants or by lottery, with individual or collective sparring."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from teten.accounts.access import require
from teten.audit.services import decision_record
from teten.programmes.models import Cohort, Programme

FIELDS = ("name", "selection_mode", "sparring", "starts_on")


@transaction.atomic
def cohort_save(*, actor, programme: Programme, cohort: Cohort | None = None, **values) -> Cohort:
    require(actor, "evidence.manage", programme)
    values = {k: values[k] for k in FIELDS if k in values}
    if (
        cohort is not None
        and hasattr(cohort, "draw")
        and values.get("selection_mode", cohort.selection_mode) != cohort.selection_mode
    ):
        raise ValidationError(_("The cohort has been drawn by lottery; its selection cannot change."))
    before = {k: str(getattr(cohort, k)) for k in FIELDS} if cohort else {}
    if cohort is None:
        cohort = Cohort(municipality=programme.municipality, programme=programme)
    for key, value in values.items():
        setattr(cohort, key, value)
    try:
        with transaction.atomic():
            cohort.save()
    except IntegrityError:
        raise ValidationError(_("The programme already has a cohort with that name.")) from None
    decision_record(
        actor=actor,
        municipality=programme.municipality,
        kind="evidence.cohort_saved",
        obj=cohort,
        before=before,
        after={k: str(getattr(cohort, k)) for k in FIELDS},
    )
    return cohort
