"""The evidence side: lottery draws with their control groups, and the monthly outcomes imported
from register extracts (seed 004: the programme was run as an experiment and judged on numbers)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from teten.core.tenancy import TenantManager, TenantModel, TenantQuerySet


class Draw(TenantModel):
    """A reproducible lottery over a programme's eligible pool: `drawn` are offered, `control` are
    not. The seed, the pool (citizen ids in a fixed order), the rules and the draw list are kept,
    so the same seed over the same pool gives the same list (`lottery.replay`)."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="draws")
    cohort = models.OneToOneField(
        "programmes.Cohort", on_delete=models.PROTECT, related_name="draw", verbose_name=_("cohort")
    )
    seed = models.CharField(_("seed"), max_length=40)
    on_date = models.DateField(_("eligibility on"))
    drawn_count = models.PositiveIntegerField(_("to be offered"))
    control_count = models.PositiveIntegerField(_("control group"))
    rules = models.JSONField(help_text="The eligibility rules in force, as the coordinator saw them")
    pool = models.JSONField(help_text="The eligible citizens' ids in the order the draw used")
    pool_sha256 = models.CharField(max_length=64)
    allow_repeat = models.BooleanField(_("citizens from earlier draws may be drawn again"), default=False)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField()

    class Meta:
        verbose_name = _("lottery draw")
        ordering = ["-drawn_at", "-id"]

    def __str__(self) -> str:
        return f"{self.cohort} ({self.drawn_count} + {self.control_count})"


class Arm(models.TextChoices):
    DRAWN = "drawn", _("Drawn to be offered")
    CONTROL = "control", _("Control group")


class DrawEntry(TenantModel):
    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="entries")
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="+")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="draw_entries")
    arm = models.CharField(max_length=8, choices=Arm.choices)
    position = models.PositiveIntegerField(help_text="1 = the first citizen the draw picked")
    repeat_allowed = models.BooleanField(default=False)

    class Meta:
        ordering = ["draw", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "citizen"], name="draw_entry_once_per_draw"),
            models.UniqueConstraint(fields=["draw", "position"], name="draw_entry_position_unique"),
            # Nobody is in two draws of one programme unless the coordinator allowed it.
            models.UniqueConstraint(
                fields=["programme", "citizen"],
                condition=models.Q(repeat_allowed=False),
                name="draw_entry_once_per_programme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.draw_id}#{self.position} {self.arm}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Stopped with an error")


class OutcomeImport(TenantModel):
    """One monthly outcome file, as uploaded. Good rows are imported, bad rows listed."""

    file = models.OneToOneField("documents.StoredFile", on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=150)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    months = models.JSONField(default=list, help_text="The months the file holds, YYYY-MM")
    error = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outcome import")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def percent(self) -> int:
        return 100 if not self.rows_total else min(100, round(100 * self.rows_done / self.rows_total))


class OutcomeProblem(models.Model):
    """A row the import refused, with its row number in the file and the reason."""

    outcome_import = models.ForeignKey(OutcomeImport, on_delete=models.CASCADE, related_name="problems")
    row = models.PositiveIntegerField()
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["outcome_import", "row", "id"]

    def __str__(self) -> str:
        return f"{self.row}: {self.reason}"


class Activation(models.TextChoices):
    NONE = "", _("None")
    ORDINARY = "ordinary", _("Activation")
    COMPANY = "company", _("Company-based activation")


class OutcomeMonthQuerySet(TenantQuerySet):
    """Keeps `OutcomeSummary` equal to the rows when they are written through the ORM. The import
    writes its rows with its own SQL and updates the summary itself (`summary.summary_add`)."""

    def bulk_create(self, objs, *args, **kwargs):
        from teten.evidence.summary import summary_rebuild

        made = super().bulk_create(objs, *args, **kwargs)
        summary_rebuild((o.citizen_id, o.month.year) for o in made)
        return made

    def _years(self) -> set[tuple[int, int]]:
        return {(c, m.year) for c, m in self.values_list("citizen_id", "month").order_by()}

    def update(self, **kwargs):
        from teten.evidence.summary import summary_rebuild

        ids = list(self.values_list("pk", flat=True).order_by())
        before = self._years()
        done = super().update(**kwargs)
        after = self.model.objects.all_municipalities().filter(pk__in=ids)._years()
        summary_rebuild(before | after)
        return done

    update.alters_data = True

    def delete(self):
        from teten.evidence.summary import summary_rebuild

        before = self._years()
        done = super().delete()
        summary_rebuild(before)
        return done

    delete.alters_data = True


class OutcomeMonthManager(TenantManager.from_queryset(OutcomeMonthQuerySet)):
    pass


class OutcomeMonth(TenantModel):
    """A citizen's status in one month, from the register extract: on public support or not (and
    which benefit), ordinary hours worked, self-employed. Background facts (married, Danish
    origin) and activation come with the same file when the extract has them.

    Each citizen's months are also kept, a year to a row, in `OutcomeSummary`."""

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="outcomes")
    month = models.DateField(help_text="The first day of the month")
    on_support = models.BooleanField()
    benefit = models.CharField(max_length=32, blank=True)
    hours = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    self_employed = models.BooleanField(default=False)
    activation = models.CharField(max_length=10, choices=Activation.choices, blank=True, default="")
    married = models.BooleanField(null=True)
    danish_origin = models.BooleanField(null=True)
    source = models.ForeignKey(OutcomeImport, on_delete=models.PROTECT, related_name="+")

    objects = OutcomeMonthManager()

    class Meta:
        verbose_name = _("monthly outcome")
        constraints = [models.UniqueConstraint(fields=["citizen", "month"], name="outcome_once_per_month")]
        indexes = [models.Index(fields=["municipality", "month"], name="outcome_muni_month")]

    def __str__(self) -> str:
        return f"{self.citizen_id} {self.month:%Y-%m}"

    def _stored_years(self) -> set[tuple[int, int]]:
        """The (citizen, year) the row has in the database, whatever was changed on the instance."""
        if self.pk is None:
            return set()
        return OutcomeMonth.objects.all_municipalities().filter(pk=self.pk)._years()

    def save(self, *args, **kwargs):
        from teten.evidence.summary import summary_rebuild

        before = self._stored_years()
        super().save(*args, **kwargs)
        summary_rebuild(before | {(self.citizen_id, self.month.year)})

    def delete(self, *args, **kwargs):
        from teten.evidence.summary import summary_rebuild

        before = self._stored_years()
        done = super().delete(*args, **kwargs)
        summary_rebuild(before)
        return done


class OutcomeSummary(TenantModel):
    """A citizen's outcome months of one year in two bit sets, bit *k* for month *k* + 1: which
    months have an `OutcomeMonth` row (`observed`) and in which of them the citizen was on public
    support (`on_support`, a subset). Table 3 counts members by month from these, one row per
    member and year instead of twelve. Kept by the outcome import in the transaction that writes
    the months, and by `OutcomeMonth`'s own writes; `summary.summary_rebuild` makes it again from
    the rows (after rows were written by plain SQL)."""

    # The unique (citizen, year) index serves as the citizen's index.
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="+", db_index=False)
    year = models.PositiveSmallIntegerField()
    observed = models.PositiveSmallIntegerField(help_text="Bit k: month k + 1 has a row")
    on_support = models.PositiveSmallIntegerField(help_text="Bit k: on public support in month k + 1")

    class Meta:
        verbose_name = _("outcome summary")
        constraints = [models.UniqueConstraint(fields=["citizen", "year"], name="outcome_summary_once_per_year")]

    def __str__(self) -> str:
        return f"{self.citizen_id} {self.year}: {self.observed:012b} / {self.on_support:012b}"
