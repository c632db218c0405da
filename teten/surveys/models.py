"""The end-of-programme questionnaire (seed 004: 34 valid answers of 70 invited, 48,5 %).

Answers are anonymous, so two things are kept apart:
- `Invitation` knows the citizen and only whether they have answered (a yes/no, no time);
- `Response` and `Answer` know the survey and nothing about who or when.
Nothing joins them: no citizen, no timestamp, and random (UUID) keys, so not even the order rows
were written in says who answered what.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from teten.core.tenancy import TenantModel


class AnswerChoice(models.TextChoices):
    """The source's answer categories, in the order the questionnaire shows them."""

    HIGH = "high", _("To a high degree")
    SOME = "some", _("To some degree")
    LOW = "low", _("To a low degree")
    NOT_AT_ALL = "not_at_all", _("Not at all")
    ALREADY = "already", _("I had that already")
    NOT_RELEVANT = "not_relevant", _("Not relevant")


SCALE = (AnswerChoice.HIGH, AnswerChoice.SOME, AnswerChoice.LOW, AnswerChoice.NOT_AT_ALL)


class Question(TenantModel):
    """One question of a programme's questionnaire. Questions are data; the standard set is
    installed per programme by `teten.surveys.standard.questions_install`."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="survey_questions")
    position = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=40)
    text = models.CharField(_("question"), max_length=300)
    offers_already = models.BooleanField(_("may answer 'I had that already'"), default=False)
    offers_not_relevant = models.BooleanField(_("may answer 'Not relevant'"), default=False)
    is_active = models.BooleanField(_("asked"), default=True)

    class Meta:
        verbose_name = _("survey question")
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="survey_question_code_unique"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def choices(self) -> list[AnswerChoice]:
        extra = [AnswerChoice.ALREADY] if self.offers_already else []
        extra += [AnswerChoice.NOT_RELEVANT] if self.offers_not_relevant else []
        return [*SCALE, *extra]


class Survey(TenantModel):
    """A round of the questionnaire for a programme, or for one cohort of it."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="surveys")
    cohort = models.ForeignKey("programmes.Cohort", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    questions = models.ManyToManyField(Question, related_name="+")
    opened_on = models.DateField()
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("survey")
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.cohort or self.programme} ({self.opened_on:%d.%m.%Y})"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    def asked(self):
        """The questions this round asks, in order."""
        return self.questions.for_municipality(self.municipality).order_by("position")

    def invited(self):
        return self.invitations.for_municipality(self.municipality)


class Invitation(TenantModel):
    """The citizen was asked, and whether they have answered — nothing else."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="invitations")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="survey_invitations")
    invited_on = models.DateField()
    answered = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("survey invitation")
        ordering = ["survey", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "citizen"], name="one_invitation_per_citizen"),
        ]


class Response(models.Model):
    """One anonymous answer sheet: it knows its survey and nothing about who or when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")

    class Meta:
        verbose_name = _("survey response")

    def __str__(self) -> str:
        return f"{_('Response')} {self.pk}"


class Answer(models.Model):
    """One answered question on an anonymous sheet. A skipped question has no row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choice = models.CharField(max_length=16, choices=AnswerChoice.choices)

    class Meta:
        verbose_name = _("survey answer")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question"),
            models.CheckConstraint(condition=models.Q(choice__in=AnswerChoice.values), name="answer_choice_valid"),
        ]

    def __str__(self) -> str:
        return self.get_choice_display()
