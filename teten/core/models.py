from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from teten.core.identifiers import validate_ean


class Municipality(models.Model):
    """The tenant. Staff see only their own municipality's data."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(
        _("municipality code"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^\d{3}$", _("The municipality code is three digits."))],
        help_text=_("The three-digit kommunekode, e.g. 751 for Aarhus."),
    )
    ean = models.CharField(
        _("EAN location number"),
        max_length=13,
        blank=True,
        validators=[validate_ean],
        help_text=_("The 13-digit number suppliers send e-invoices (OIOUBL) to."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DailyRun(models.Model):
    """One duty's run for one business date (re-runs update the same row)."""

    business_date = models.DateField()
    duty = models.CharField(max_length=64)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    runs = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-business_date", "duty"]
        constraints = [models.UniqueConstraint(fields=["business_date", "duty"], name="one_daily_run_per_duty")]

    def __str__(self) -> str:
        return f"{self.business_date} {self.duty}"
