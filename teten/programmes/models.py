"""Programmes, the money they draw on, and the legal rules money is booked by.

Legal bases change (LAB was renumbered on 1 January 2020; a new employment act is expected in
2027), so they are data with validity dates, and booking rules point at them. A decision uses the
rule in force on the decision date (`teten.programmes.booking.rule_in_force`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from teten.core.tenancy import TenantModel


class ProgrammeKind(models.TextChoices):
    PERSONAL_BUDGET = "personal_budget", _("Personal budgets")
    MICROLOAN = "microloan", _("Micro-loans")


class Programme(TenantModel):
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=32, choices=ProgrammeKind.choices)
    description = models.TextField(_("description"), blank=True)
    max_citizen_tranche = models.BigIntegerField(
        _("largest payment to the citizen at a time"),
        null=True,
        blank=True,
        help_text=_("In øre. Larger amounts to the citizen are split into tranches. Empty: no limit."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="programme_name_unique"),
            models.CheckConstraint(
                condition=models.Q(max_citizen_tranche__isnull=True) | models.Q(max_citizen_tranche__gt=0),
                name="programme_tranche_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FundingKind(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal budget")
    FOUNDATION = "foundation", _("Foundation grant")
    EARMARKED = "earmarked", _("Earmarked pool")


class FundingSource(TenantModel):
    """A pot of money with an amount: commitments are reserved against it when grants or loans are
    decided, and it can never be over-committed."""

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=16, choices=FundingKind.choices)
    amount = models.BigIntegerField(_("amount"), help_text=_("In øre."))
    account_code = models.CharField(
        _("account number"),
        max_length=32,
        help_text=_("The finance system's account for spending from this source (used in posting files)."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("funding source")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="funding_source_name_unique"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="funding_source_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class LegalBasis(TenantModel):
    """A paragraph of law, valid for a period: e.g. LAB § 32 until the 2020 renumbering."""

    law = models.CharField(_("law"), max_length=20, help_text=_("Short name, e.g. LAB or LAS."))
    paragraph = models.CharField(_("paragraph"), max_length=40, blank=True, help_text=_("E.g. § 32."))
    title = models.CharField(_("title"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source_year = models.PositiveSmallIntegerField(
        _("year of the rule table"), null=True, blank=True, help_text=_("E.g. 2018 for the source's table.")
    )

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["law", "paragraph", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="legal_basis_valid_period",
            )
        ]

    def __str__(self) -> str:
        reference = f"{self.law} {self.paragraph}".strip() if self.paragraph else self.law
        return f"{reference} – {self.title}"

    def citation(self) -> str:
        """How a letter names it: "LAB § 32 (Kurser …)"; "Uden lovhjemmel" when there is none."""
        return str(self)


class ExpenseCategory(TenantModel):
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    help_text = models.CharField(_("explanation for citizens"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("expense category")
        verbose_name_plural = _("expense categories")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="expense_category_code_unique")]

    def __str__(self) -> str:
        return self.name


class BookingRule(TenantModel):
    """Which legal basis and funding source an expense category is booked on, in one programme,
    for a period. A rule without a legal basis is paid from funds that need none (a foundation)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="booking_rules")
    category = models.ForeignKey(ExpenseCategory, on_delete=models.PROTECT, related_name="booking_rules")
    legal_basis = models.ForeignKey(
        LegalBasis, on_delete=models.PROTECT, null=True, blank=True, related_name="booking_rules"
    )
    funding_source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="booking_rules")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    source_year = models.PositiveSmallIntegerField(_("year of the rule table"), null=True, blank=True)

    class Meta:
        verbose_name = _("booking rule")
        ordering = ["programme", "category__name", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="booking_rule_valid_period",
            )
        ]

    def __str__(self) -> str:
        basis = self.legal_basis or _("without legal basis")
        return f"{self.category} → {basis} / {self.funding_source}"


class SelectionMode(models.TextChoices):
    NOMINATED = "nominated", _("Nominated by consultants")
    LOTTERY = "lottery", _("Drawn by lottery")


class Sparring(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual sparring")
    COLLECTIVE = "collective", _("Collective courses")


class Cohort(TenantModel):
    """A group of citizens entering a programme together (a phase or a team)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(_("name"), max_length=100)
    selection_mode = models.CharField(_("selection"), max_length=16, choices=SelectionMode.choices)
    sparring = models.CharField(_("sparring"), max_length=16, choices=Sparring.choices, default=Sparring.INDIVIDUAL)
    starts_on = models.DateField(
        _("starts"),
        null=True,
        blank=True,
        help_text=_("When the cohort's citizens start; history is counted back from here."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cohort")
        ordering = ["programme", "name"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="cohort_name_unique")]

    def __str__(self) -> str:
        return self.name


class EligibilityKind(models.TextChoices):
    BENEFIT = "benefit", _("Receives this benefit now")
    READINESS = "readiness", _("Is assessed as")
    MIN_AGE = "min_age", _("Is at least this old")
    MAX_AGE = "max_age", _("Is at most this old")
    MIN_MONTHS = "min_months", _("Has received this benefit for at least (months)")


class EligibilityRule(TenantModel):
    """One condition a citizen must meet to be offered the programme; all of a programme's rules
    must hold. Default for personal budgets (the source's target group): job-ready, on cash
    benefit, at least 30 years old, at least 12 months on cash benefit."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="eligibility_rules")
    kind = models.CharField(_("condition"), max_length=16, choices=EligibilityKind.choices)
    benefit_type = models.CharField(_("benefit"), max_length=32, blank=True)
    readiness = models.CharField(_("assessment"), max_length=16, blank=True)
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)

    class Meta:
        verbose_name = _("eligibility rule")
        ordering = ["programme", "kind", "id"]

    def __str__(self) -> str:
        from teten.citizens.models import BenefitType, Readiness

        if self.kind == EligibilityKind.BENEFIT:
            value = BenefitType(self.benefit_type).label
        elif self.kind == EligibilityKind.READINESS:
            value = Readiness(self.readiness).label
        elif self.kind == EligibilityKind.MIN_MONTHS:
            value = f"{BenefitType(self.benefit_type).label}, {self.number}"
        else:
            value = self.number
        return f"{self.get_kind_display()}: {value}"
