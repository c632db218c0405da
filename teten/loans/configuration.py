"""The coordinator's set-up of a micro-loan programme (seeds 001-003): loan limits, interest 0,
the establishment period and its extension, support during establishment, repayment terms, the
pools, and the course modules. Who may be referred is the programme's eligibility rules
(teten.programmes.conditions)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from teten.accounts.access import require
from teten.audit.services import decision_record
from teten.loans.models import CourseModule, LoanSettings, ModuleProgress

# The course programme of Mikrolån 2.0 (seed 001): what a new programme starts with.
DEFAULT_MODULES = [
    ("Regnskab", "8 uger", True),
    ("Markedsføring", "", True),
    ("Moms", "", True),
    ("Skat", "", True),
    ("Forsikring", "", True),
    ("Iværksætterkursus", "4 dage", True),
    ("Netværksdage", "", False),
]
AUDITED = [
    "loan_min",
    "loan_max",
    "establishment_months",
    "max_extension_months",
    "monthly_support",
    "grace_months",
    "instalment_amount",
    "instalment_count",
    "reminder_after_days",
    "decision_target_days",
]


def loan_settings(programme) -> LoanSettings:
    """The programme's settings; the first time, with the defaults and the source's course modules."""
    row = LoanSettings.objects.for_municipality(programme.municipality).filter(programme=programme).first()
    if row is None:
        with transaction.atomic():
            row, created = LoanSettings.objects.for_municipality(programme.municipality).get_or_create(
                municipality=programme.municipality, programme=programme
            )
            modules = CourseModule.objects.for_municipality(programme.municipality).filter(programme=programme)
            if created and not modules.exists():
                CourseModule.objects.bulk_create(
                    [
                        CourseModule(
                            municipality=programme.municipality,
                            programme=programme,
                            name=name,
                            duration=duration,
                            required=required,
                            position=position,
                        )
                        for position, (name, duration, required) in enumerate(DEFAULT_MODULES)
                    ]
                )
    return row


@transaction.atomic
def settings_save(*, actor, settings_row: LoanSettings) -> LoanSettings:
    require(actor, "loans.configure", settings_row)
    for pool in (settings_row.loan_pool, settings_row.support_pool):
        if pool is not None and pool.municipality_id != settings_row.municipality_id:
            raise ValidationError(_("Choose a pool from your municipality."))
    old = LoanSettings.objects.for_municipality(settings_row.municipality).get(pk=settings_row.pk)
    settings_row.full_clean()
    settings_row.save()
    decision_record(
        actor=actor,
        municipality=settings_row.municipality,
        kind="loan_settings.saved",
        obj=settings_row.programme,
        before={f: getattr(old, f) for f in AUDITED},
        after={f: getattr(settings_row, f) for f in AUDITED},
    )
    return settings_row


@transaction.atomic
def course_module_add(*, actor, programme, name: str, duration: str = "", required: bool = True) -> CourseModule:
    require(actor, "loans.configure", programme)
    if not name.strip():
        raise ValidationError({"name": _("Write the name of the module.")})
    modules = CourseModule.objects.for_municipality(programme.municipality).filter(programme=programme)
    module = CourseModule.objects.create(
        municipality=programme.municipality,
        programme=programme,
        name=name.strip(),
        duration=duration.strip(),
        required=required,
        position=(modules.aggregate(last=Max("position"))["last"] or 0) + 1,
    )
    decision_record(
        actor=actor,
        municipality=programme.municipality,
        kind="course_module.added",
        obj=programme,
        after={"module": module.name, "required": required},
    )
    return module


@transaction.atomic
def course_module_remove(*, actor, module: CourseModule) -> None:
    """A module nobody has attended yet can be removed; one with attendance is history and stays."""
    require(actor, "loans.configure", module)
    if ModuleProgress.objects.filter(module=module).exclude(sessions_attended=0, completed_on__isnull=True).exists():
        raise ValidationError(
            _("Participants have attended %(module)s, so it stays in their history.") % {"module": module.name}
        )
    ModuleProgress.objects.filter(module=module).delete()
    decision_record(
        actor=actor,
        municipality=module.municipality,
        kind="course_module.removed",
        obj=module.programme,
        before={"module": module.name},
    )
    CourseModule.objects.filter(municipality=module.municipality, pk=module.pk).delete()
