"""Personal, citizen-directed budgets ("Langtidsledige tager teten", seed 004).

eligible → offered → accepted (declaration signed) | declined → plan drafted → submitted →
reviewed line by line (→ back to the citizen → resubmitted …) → approved: the grant decision →
payments and receipts within the activity window → closed; or stopped after misuse.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from teten.core.tenancy import TenantModel


class BudgetSettings(TenantModel):
    """A personal-budget programme's own settings."""

    programme = models.OneToOneField("programmes.Programme", on_delete=models.CASCADE, related_name="budget_settings")
    cap = models.BigIntegerField(_("cap per citizen incl. VAT"), default=5_000_000)
    window_months = models.PositiveSmallIntegerField(_("activity window (months from approval)"), default=6)
    receipt_deadline_days = models.PositiveSmallIntegerField(_("days to hand in a receipt after a payment"), default=30)
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("team")
    )

    class Meta:
        verbose_name = _("budget settings")
        constraints = [models.CheckConstraint(condition=models.Q(cap__gt=0), name="budget_cap_positive")]

    def __str__(self) -> str:
        return f"{self.programme}"


class OfferStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DeclineReason(models.TextChoices):
    GOT_JOB = "got_job", _("I have got a job")
    EDUCATION = "education", _("I am starting an education")
    ILLNESS = "illness", _("I am ill")
    TOO_MUCH = "too_much", _("It is too much for me right now")
    OTHER = "other", _("Something else")


class Offer(TenantModel):
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="offers")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="offers")
    cohort = models.ForeignKey(
        "programmes.Cohort", on_delete=models.PROTECT, null=True, blank=True, related_name="offers"
    )
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default=OfferStatus.OFFERED)
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    offered_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=12, choices=DeclineReason.choices, blank=True)
    decline_note = models.CharField(max_length=500, blank=True)
    declaration_text = models.TextField(blank=True, help_text="The declaration exactly as the citizen signed it")
    declaration_signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("offer")
        ordering = ["-offered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "citizen"],
                condition=models.Q(status__in=["offered", "accepted"]),
                name="one_open_offer_per_citizen",
                violation_error_message=_("The citizen already has an open offer in this programme."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} – {self.citizen}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Being written")
    SUBMITTED = "submitted", _("Sent for review")
    CHANGES_REQUESTED = "changes", _("Back with the citizen")
    APPROVED = "approved", _("Approved")
    STOPPED = "stopped", _("Stopped")
    CLOSED = "closed", _("Closed")


class Education(models.TextChoices):
    NONE = "none", _("Primary school or none")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
    VOCATIONAL = "vocational", _("Vocational training")
    SHORT_HIGHER = "short_higher", _("Short higher education")
    MEDIUM_HIGHER = "medium_higher", _("Medium higher education")
    LONG_HIGHER = "long_higher", _("Long higher education")


class MeetingWish(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every second week")
    MONTHLY = "monthly", _("Once a month")
    AS_NEEDED = "as_needed", _("When I need it")


class FinalStatus(models.TextChoices):
    EMPLOYMENT = "employment", _("In ordinary employment")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    EDUCATION = "education", _("In education")
    STILL_ON_BENEFIT = "on_benefit", _("Still on benefit")
    OTHER = "other", _("Other")


class BudgetPlan(TenantModel):
    offer = models.OneToOneField(Offer, on_delete=models.PROTECT, related_name="plan")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="budget_plans")
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="budget_plans")
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="budget_plans",
        verbose_name=_("job consultant"),
    )
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    version = models.PositiveIntegerField(default=0, help_text="How many times the plan has been submitted")
    job_wish = models.CharField(_("the job I want"), max_length=200, blank=True)
    education = models.CharField(_("my education"), max_length=16, choices=Education.choices, blank=True)
    meeting_wish = models.CharField(
        _("how often I want to meet"), max_length=12, choices=MeetingWish.choices, blank=True
    )
    window_start = models.DateField(_("activities from"), null=True, blank=True)
    window_end = models.DateField(_("activities until"), null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    stopped_reason = models.TextField(blank=True)
    final_status = models.CharField(_("final status"), max_length=16, choices=FinalStatus.choices, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("budget plan")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["municipality", "consultant", "status"], name="plan_muni_consultant")]

    def __str__(self) -> str:
        return f"{_('Budget')} {self.citizen}"


class LineStatus(models.TextChoices):
    DRAFT = "draft", _("Not sent yet")
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    NEEDS_ARGUMENT = "argument", _("Needs a better argument")
    REJECTED = "rejected", _("Not approved")
    CANCELLED = "cancelled", _("Cancelled")


class BudgetLine(models.Model):
    """One thing the citizen wants to spend money on, and why it brings them closer to work."""

    plan = models.ForeignKey(BudgetPlan, on_delete=models.PROTECT, related_name="lines")
    category = models.ForeignKey("programmes.ExpenseCategory", on_delete=models.PROTECT, verbose_name=_("category"))
    description = models.CharField(_("what"), max_length=200)
    supplier = models.CharField(_("where (if you know)"), max_length=150, blank=True)
    amount = models.BigIntegerField(_("amount incl. VAT"))
    planned_month = models.DateField(_("when"), help_text="The first day of the month it is planned for")
    justification = models.TextField(_("how does this bring me closer to work?"), max_length=2000)
    status = models.CharField(max_length=10, choices=LineStatus.choices, default=LineStatus.DRAFT)
    consultant_comment = models.TextField(blank=True)
    # Set by the grant decision from the booking rule in force that day:
    legal_basis = models.CharField(max_length=300, blank=True)
    funding_source = models.ForeignKey(
        "programmes.FundingSource", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    commitment = models.OneToOneField(
        "payments.Commitment", on_delete=models.PROTECT, null=True, blank=True, related_name="budget_line"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("budget line")
        ordering = ["planned_month", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="budget_line_amount_positive")]

    def __str__(self) -> str:
        return self.description


class PlanVersion(models.Model):
    """The plan exactly as the citizen sent it, each time (every version is kept)."""

    plan = models.ForeignKey(BudgetPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    submitted_at = models.DateTimeField(auto_now_add=True)
    lines = models.JSONField()
    total = models.BigIntegerField()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number}"


class LineReview(models.Model):
    """The consultant's word on one line of one version."""

    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="reviews")
    version = models.PositiveIntegerField()
    decision = models.CharField(max_length=10, choices=LineStatus.choices)
    comment = models.TextField(blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.line_id} v{self.version}: {self.decision}"


class Colour(models.TextChoices):
    GREEN = "green", _("Green: go ahead")
    YELLOW = "yellow", _("Yellow: needs work")
    RED = "red", _("Red: not like this")


class Assessment(models.Model):
    """A team member's traffic light on a submitted version of the plan."""

    plan = models.ForeignKey(BudgetPlan, on_delete=models.PROTECT, related_name="assessments")
    version = models.PositiveIntegerField()
    consultant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    colour = models.CharField(_("assessment"), max_length=6, choices=Colour.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "version", "consultant"], name="one_assessment_per_consultant")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.version}: {self.colour}"


class DecisionKind(models.TextChoices):
    GRANT = "grant", _("Grant decision")
    CHANGE = "change", _("Change")
    EXTENSION = "extension", _("Extension")
    STOP = "stop", _("Stop")
    CLOSE = "close", _("Closing")


class GrantDecision(TenantModel):
    """A decision on the plan (the grant, a change, an extension, a stop) and its letter."""

    plan = models.ForeignKey(BudgetPlan, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=10, choices=DecisionKind.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    total = models.BigIntegerField(help_text="Granted total after this decision")
    window_start = models.DateField(null=True, blank=True)
    window_end = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    letter = models.OneToOneField("documents.Letter", on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decided_on}"


class ChangeKind(models.TextChoices):
    LINE = "line", _("Change a line")
    EXTENSION = "extension", _("More time")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the consultant")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ChangeRequest(models.Model):
    plan = models.ForeignKey(BudgetPlan, on_delete=models.PROTECT, related_name="change_requests")
    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    new_supplier = models.CharField(_("new place"), max_length=150, blank=True)
    new_amount = models.BigIntegerField(_("new amount"), null=True, blank=True)
    new_end = models.DateField(_("new end date"), null=True, blank=True)
    reason = models.TextField(_("why"), max_length=2000)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    answer = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.OneToOneField(GrantDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"


class ReceiptStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Handed in")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")


class Receipt(models.Model):
    """Proof of spending for money paid to the citizen."""

    payment = models.ForeignKey("payments.Payment", on_delete=models.PROTECT, related_name="receipts")
    file = models.OneToOneField("documents.StoredFile", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=ReceiptStatus.choices, default=ReceiptStatus.UPLOADED)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    comment = models.CharField(max_length=300, blank=True)
    original_received_on = models.DateField(_("original paper receipt received"), null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.payment_id}: {self.status}"


class ReceiptReminder(models.Model):
    """A reminder letter about a missing receipt: at most one per payment, never before the deadline."""

    payment = models.OneToOneField("payments.Payment", on_delete=models.PROTECT, related_name="receipt_reminder")
    business_date = models.DateField()
    letter = models.OneToOneField("documents.Letter", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.payment_id} {self.business_date}"


class MisuseKind(models.TextChoices):
    PRIVATE = "private", _("Private consumption")
    OTHER = "other", _("Other use against the plan")


class Misuse(models.Model):
    payment = models.ForeignKey("payments.Payment", on_delete=models.PROTECT, related_name="misuses")
    amount = models.BigIntegerField(_("amount misused"))
    kind = models.CharField(_("kind"), max_length=10, choices=MisuseKind.choices)
    note = models.TextField(_("what happened"), max_length=2000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_on = models.DateField()
    claim = models.OneToOneField("payments.RecoveryClaim", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="misuse_amount_positive")]

    def __str__(self) -> str:
        return f"{self.payment_id}: {self.amount}"


class ConversationForm(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")
    WRITTEN = "written", _("In writing")


class Conversation(models.Model):
    plan = models.ForeignKey(BudgetPlan, on_delete=models.PROTECT, related_name="conversations")
    held_on = models.DateField(_("date"))
    form = models.CharField(_("form"), max_length=10, choices=ConversationForm.choices)
    note = models.TextField(_("note"), max_length=4000)
    consultant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.form}"


class CollectiveCourse(TenantModel):
    """Group sessions of 12-15 citizens for peer sparring (6 courses in the source)."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="courses")
    name = models.CharField(_("name"), max_length=150)
    starts_on = models.DateField(_("starts"))
    capacity = models.PositiveSmallIntegerField(_("places"), default=15)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("collective course")
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name


class CourseParticipant(models.Model):
    course = models.ForeignKey(CollectiveCourse, on_delete=models.PROTECT, related_name="participants")
    plan = models.ForeignKey(BudgetPlan, on_delete=models.PROTECT, related_name="course_places")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "plan"], name="one_place_per_course")]

    def __str__(self) -> str:
        return f"{self.course_id}: {self.plan_id}"


class CourseSession(models.Model):
    course = models.ForeignKey(CollectiveCourse, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"


class Attendance(models.Model):
    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(CourseParticipant, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "participant"], name="one_attendance_row")]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.participant_id}: {self.present}"


class CourseCost(models.Model):
    """A cost per participant of a collective course, e.g. consultants 400, catering 108, speakers 866 kr."""

    course = models.ForeignKey(CollectiveCourse, on_delete=models.CASCADE, related_name="costs")
    label = models.CharField(_("what"), max_length=100)
    amount_per_citizen = models.BigIntegerField(_("per citizen"))

    def __str__(self) -> str:
        return self.label
