"""Micro-loans (seeds 001-003): referral → info meeting → interview → selection → courses →
business plan and assessment → recommendation → decision (four eyes) → loan agreement → payout as
a loan → establishment period with support → repayment → repaid | remitted | written off.

A loan is a receivable, never a grant: its commitment is of kind LOAN, so the money core posts the
payout to the loan-receivable account. Support during establishment is a separate grant decision.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from teten.core.tenancy import TenantModel


class LoanSettings(TenantModel):
    programme = models.OneToOneField("programmes.Programme", on_delete=models.CASCADE, related_name="loan_settings")
    loan_min = models.BigIntegerField(_("smallest loan"), default=3_000_000)
    loan_max = models.BigIntegerField(_("largest loan"), default=5_000_000)
    establishment_months = models.PositiveSmallIntegerField(_("establishment period (months)"), default=6)
    max_extension_months = models.PositiveSmallIntegerField(_("longest extension (months)"), default=3)
    monthly_support = models.BigIntegerField(
        _("support a month during establishment"),
        default=0,
        help_text=_("Not paid to disability pensioners, who keep their pension."),
    )
    grace_months = models.PositiveSmallIntegerField(
        _("months before the first instalment after establishment"), default=3
    )
    instalment_amount = models.BigIntegerField(_("instalment a month"), null=True, blank=True)
    instalment_count = models.PositiveSmallIntegerField(_("number of instalments"), null=True, blank=True)
    reminder_after_days = models.PositiveSmallIntegerField(_("days past due before a reminder"), default=7)
    decision_target_days = models.PositiveSmallIntegerField(
        _("target: days from finished courses to paid loan"), default=30
    )
    remission_note = models.TextField(_("when the remaining debt may be remitted"), blank=True)
    loan_pool = models.ForeignKey(
        "programmes.FundingSource",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("loan pool"),
    )
    support_pool = models.ForeignKey(
        "programmes.FundingSource",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pool for establishment support"),
    )

    class Meta:
        verbose_name = _("loan settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(loan_min__gt=0) & models.Q(loan_max__gte=models.F("loan_min")),
                name="loan_limits_sane",
            ),
            models.CheckConstraint(
                condition=models.Q(instalment_amount__isnull=True) | models.Q(instalment_count__isnull=True),
                name="instalment_amount_or_count",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme}"


class CourseModule(TenantModel):
    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="course_modules")
    name = models.CharField(_("name"), max_length=100)
    duration = models.CharField(_("duration"), max_length=50, blank=True, help_text=_("E.g. 8 weeks or 4 days."))
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("course module")
        ordering = ["programme", "position", "id"]

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    REFERRED = "referred", _("Referred")
    INFO_MEETING = "info_meeting", _("Came to the info meeting")
    INTERVIEWED = "interviewed", _("Interviewed")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")
    COURSES_DONE = "courses_done", _("Completed the course programme")
    PLAN = "plan", _("Business plan handed in")
    RECOMMENDED = "recommended", _("Recommended for a loan")
    APPROVED = "approved", _("Loan approved")
    REJECTED = "rejected", _("Loan refused")
    AGREEMENT = "agreement", _("Loan agreement accepted")
    DISBURSED = "disbursed", _("Loan paid out")
    REPAYING = "repaying", _("Paying back")
    REPAID = "repaid", _("Paid back")
    REMITTED = "remitted", _("Remaining debt remitted")
    WRITTEN_OFF = "written_off", _("Written off")
    DROPPED_OUT = "dropped_out", _("Dropped out")


class Outcome(models.TextChoices):
    BUSINESS = "business", _("Self-supporting from own business")
    PARTLY = "partly", _("Partly self-supporting")
    JOB_OR_EDUCATION = "job_education", _("Self-supporting through education or a job")
    STOPPED = "stopped", _("Stopped")


class LoanCase(TenantModel):
    """One citizen's way through the programme, from referral to the last instalment."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="loan_cases")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="loan_cases")
    cohort = models.ForeignKey("programmes.Cohort", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.REFERRED)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    referral_reason = models.TextField(_("why the citizen is referred"), max_length=2000)
    referred_on = models.DateField()
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="loan_cases",
        verbose_name=_("coach"),
    )
    info_meeting_on = models.DateField(null=True, blank=True)
    # The interview, scored 1-5 on the three selection criteria (seed 001).
    interviewed_on = models.DateField(null=True, blank=True)
    score_idea = models.PositiveSmallIntegerField(_("the business idea"), null=True, blank=True)
    score_professional = models.PositiveSmallIntegerField(_("professional prerequisites"), null=True, blank=True)
    score_personal = models.PositiveSmallIntegerField(_("personal prerequisites and motivation"), null=True, blank=True)
    interview_notes = models.TextField(_("interview notes"), blank=True)
    person_profile = models.TextField(_("person profile"), blank=True)
    selection_reason = models.TextField(_("reason"), blank=True)
    courses_done_on = models.DateField(null=True, blank=True)
    # The business plan and the coach's assessment.
    business_name = models.CharField(_("business name"), max_length=150, blank=True)
    business_idea = models.TextField(_("the idea"), blank=True)
    plan_file = models.OneToOneField(
        "documents.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expected_revenue = models.BigIntegerField(_("expected revenue the first year"), null=True, blank=True)
    expected_costs = models.BigIntegerField(_("expected costs the first year"), null=True, blank=True)
    expected_customers = models.TextField(_("expected customers"), blank=True)
    check_customers = models.BooleanField(_("there are customers and a market"), default=False)
    check_health = models.BooleanField(_("health allows running a business"), default=False)
    check_family = models.BooleanField(_("the family supports it"), default=False)
    check_budget = models.BooleanField(_("the budget holds"), default=False)
    assessment_notes = models.TextField(_("assessment"), blank=True)
    recommended_amount = models.BigIntegerField(_("recommended loan"), null=True, blank=True)
    recommended_support_months = models.PositiveSmallIntegerField(_("months of support"), null=True, blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recommended_on = models.DateField(null=True, blank=True)
    keeps_pension = models.BooleanField(_("keeps a disability pension (no support)"), default=False)
    dropped_from = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    # The repayment: the due date of the oldest instalment of the loan's current schedule not paid
    # in full; empty before the payout and once nothing is left to pay. The services that write
    # schedules and payments keep it (`balances.first_unpaid_refresh`), so the programme's loans in
    # arrears on a day are one range of an index (the date is before the day) rather than a
    # search through millions of instalments.
    first_unpaid_due = models.DateField(null=True, blank=True, editable=False)
    dropout_reason = models.TextField(_("why"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("micro-loan case")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score_idea__isnull=True) | models.Q(score_idea__range=(1, 5)),
                name="score_idea_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(score_professional__isnull=True) | models.Q(score_professional__range=(1, 5)),
                name="score_professional_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(score_personal__isnull=True) | models.Q(score_personal__range=(1, 5)),
                name="score_personal_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "programme", "stage"], name="loan_case_stage"),
            # The programme page: its cases a page at a time, recently changed first; the days to
            # decision over the cases that finished their courses in the last year; the arrears.
            models.Index(fields=["municipality", "programme", "updated_at", "id"], name="loan_case_updated"),
            models.Index(fields=["municipality", "programme", "courses_done_on", "id"], name="loan_case_courses_done"),
            models.Index(fields=["municipality", "programme", "first_unpaid_due", "id"], name="loan_case_first_unpaid"),
        ]

    def __str__(self) -> str:
        return f"{_('Micro-loan')} {self.citizen}"


class ModuleProgress(models.Model):
    case = models.ForeignKey(LoanCase, on_delete=models.CASCADE, related_name="modules")
    module = models.ForeignKey(CourseModule, on_delete=models.PROTECT, related_name="+")
    sessions_attended = models.PositiveSmallIntegerField(_("sessions attended"), default=0)
    completed_on = models.DateField(_("completed"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "module"], name="one_progress_per_module")]
        ordering = ["module__position", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.module_id}"


class Loan(TenantModel):
    """The decided loan: amount, the decision (never by the recommender), the agreement, the payout."""

    case = models.OneToOneField(LoanCase, on_delete=models.PROTECT, related_name="loan")
    amount = models.BigIntegerField(_("loan"))
    support_months = models.PositiveSmallIntegerField(_("months of support"), default=0)
    recommended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    legal_basis = models.CharField(max_length=300)
    commitment = models.OneToOneField("payments.Commitment", on_delete=models.PROTECT, related_name="loan")
    support_commitment = models.OneToOneField(
        "payments.Commitment", on_delete=models.PROTECT, null=True, blank=True, related_name="support_for_loan"
    )
    decision_letter = models.OneToOneField("documents.Letter", on_delete=models.PROTECT, related_name="+")
    agreement_letter = models.OneToOneField("documents.Letter", on_delete=models.PROTECT, related_name="+")
    agreement_accepted_at = models.DateTimeField(null=True, blank=True)
    payout = models.OneToOneField("payments.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    paid_out_on = models.DateField(null=True, blank=True)
    establishment_end = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("loan")
        indexes = [
            # The days from the courses to the decision and the payout, read for a year's cases
            # from the index alone.
            models.Index(fields=["case", "decided_on", "paid_out_on"], name="loan_case_dates"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="loan_amount_positive"),
            # Four eyes (seed 001): the person who recommended the loan never decides it.
            models.CheckConstraint(condition=~models.Q(decided_by=models.F("recommended_by")), name="loan_four_eyes"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """What the citizen writes on a repayment: LÅN-12."""
        return f"LÅN-{self.pk}"


class ScheduleVersion(models.Model):
    """A repayment schedule; rescheduling by decision makes a new version (the old one is kept)."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="schedules")
    number = models.PositiveSmallIntegerField()
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["loan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "number"], name="schedule_version_unique"),
            models.UniqueConstraint(fields=["loan"], condition=models.Q(is_current=True), name="one_current_schedule"),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} v{self.number}"


class ScheduledInstalment(models.Model):
    schedule = models.ForeignKey(ScheduleVersion, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    due_date = models.DateField(db_index=True)
    amount = models.BigIntegerField()
    paid = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["schedule", "number"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "number"], name="instalment_number_unique"),
            models.CheckConstraint(
                condition=models.Q(paid__gte=0) & models.Q(paid__lte=models.F("amount")),
                name="instalment_paid_within_amount",
            ),
        ]
        indexes = [
            # Arrears and reminders read the unpaid instalments due before a day: a few
            # thousand rows, where the instalments of paid and running loans are millions.
            models.Index(
                fields=["due_date"], condition=models.Q(paid__lt=models.F("amount")), name="instalment_unpaid_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.due_date} {self.amount}"

    @property
    def outstanding(self) -> int:
        return self.amount - self.paid


class RepaymentSource(models.TextChoices):
    BANK_FILE = "bank_file", _("Bank file")
    MANUAL = "manual", _("Registered by hand")


class Repayment(models.Model):
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="repayments")
    amount = models.BigIntegerField()
    received_on = models.DateField()
    source = models.CharField(max_length=10, choices=RepaymentSource.choices)
    key = models.CharField(max_length=200, unique=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="repayment_positive")]

    def __str__(self) -> str:
        return f"{self.loan_id}: {self.amount}"


class InstalmentReminder(models.Model):
    """A reminder about one instalment: only ever due, unpaid and past its due date; once."""

    instalment = models.OneToOneField(ScheduledInstalment, on_delete=models.PROTECT, related_name="reminder")
    business_date = models.DateField()
    letter = models.OneToOneField("documents.Letter", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.instalment_id} {self.business_date}"


class BusinessStatus(models.TextChoices):
    STARTED = "started", _("Started")
    FIRST_SALE = "first_sale", _("First sale")
    REVENUE = "revenue", _("Regular revenue")
    CLOSED = "closed", _("Closed")


class FollowUp(models.Model):
    """The coach's monthly note on the business during establishment and after."""

    case = models.ForeignKey(LoanCase, on_delete=models.PROTECT, related_name="follow_ups")
    month = models.DateField(_("month"))
    status = models.CharField(_("the business"), max_length=12, choices=BusinessStatus.choices)
    revenue = models.BigIntegerField(_("revenue this month"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-month", "-id"]
        constraints = [models.UniqueConstraint(fields=["case", "month"], name="one_follow_up_a_month")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.month}"


class OutcomeCheck(models.Model):
    """Where the citizen is 6, 12 and 24 months after the payout."""

    case = models.ForeignKey(LoanCase, on_delete=models.PROTECT, related_name="outcomes")
    months_after = models.PositiveSmallIntegerField(choices=[(6, "6"), (12, "12"), (24, "24")])
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    business_status = models.CharField(_("the business"), max_length=12, choices=BusinessStatus.choices)
    recorded_on = models.DateField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["months_after"]
        constraints = [models.UniqueConstraint(fields=["case", "months_after"], name="one_outcome_per_checkpoint")]

    def __str__(self) -> str:
        return f"{self.case_id} +{self.months_after}: {self.outcome}"
