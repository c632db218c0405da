from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from teten.core import cpr as cpr_module
from teten.core.tenancy import TenantModel

# Lets the constraint below say `cpr__length=10`.
models.CharField.register_lookup(Length)


class Gender(models.TextChoices):
    FEMALE = cpr_module.FEMALE, _("Woman")
    MALE = cpr_module.MALE, _("Man")


class Citizen(TenantModel):
    """A citizen in one municipality's register, identified by CPR.

    Birth date and gender are derived from the CPR by the services (never typed); `search_name`
    is the casefolded name the search looks in. Read citizens only through
    `teten.citizens.selectors`, which authorise and log every look.
    """

    cpr = models.CharField(_("CPR number"), max_length=10)
    birth_date = models.DateField(_("birth date"), editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, editable=False)
    first_name = models.CharField(_("first name(s)"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    search_name = models.CharField(max_length=201, editable=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=4, blank=True)
    city = models.CharField(_("town"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), max_length=200, blank=True)
    assigned_consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_citizens",
        verbose_name=_("job consultant"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "cpr"],
                name="one_citizen_per_cpr_per_municipality",
                violation_error_message=_("This municipality already has a citizen with that CPR number."),
            ),
            models.CheckConstraint(condition=models.Q(cpr__length=10), name="cpr_is_ten_digits"),
        ]
        indexes = [
            models.Index(fields=["municipality", "search_name"], name="citizen_muni_name"),
            models.Index(fields=["municipality", "assigned_consultant", "last_name"], name="citizen_muni_consultant"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def masked_cpr(self) -> str:
        return cpr_module.mask(self.cpr)

    def age(self, on) -> int:
        return cpr_module.age(self.birth_date, on)


class BenefitType(models.TextChoices):
    CASH_BENEFIT = "cash_benefit", _("Cash benefit")
    EDUCATION_BENEFIT = "education_benefit", _("Education benefit")
    SICKNESS_BENEFIT = "sickness_benefit", _("Sickness benefit")
    DISABILITY_PENSION = "disability_pension", _("Disability pension")
    REVALIDERING = "revalidering", _("Revalidering")
    OTHER = "other", _("Other benefit")


class Readiness(models.TextChoices):
    JOB_READY = "job_ready", _("Job-ready")
    ACTIVITY_READY = "activity_ready", _("Activity-ready")
    NOT_ASSESSED = "", _("Not assessed")


class BenefitPeriod(models.Model):
    """A period on one public benefit; `end_date` empty means it is still running."""

    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="benefit_periods")
    benefit_type = models.CharField(_("benefit"), max_length=32, choices=BenefitType.choices)
    readiness = models.CharField(
        _("assessment"), max_length=16, choices=Readiness.choices, blank=True, default=Readiness.NOT_ASSESSED
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("benefit period")
        verbose_name_plural = _("benefit history")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="benefit_period_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["citizen", "benefit_type", "start_date"], name="benefit_citizen_type")]

    def __str__(self) -> str:
        return f"{self.get_benefit_type_display()} {self.start_date}–{self.end_date or ''}"
