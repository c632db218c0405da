"""Reads for surveys: who has finished a programme, a citizen's open questionnaires, the results."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from teten.budgets.models import BudgetPlan, OfferStatus, PlanStatus
from teten.loans.models import LoanCase, Stage
from teten.programmes.models import ProgrammeKind
from teten.surveys.models import Answer, AnswerChoice, Invitation, Survey

# Fewer answers than this to a question and its breakdown is not shown: with one or two answers
# anyone who knows who answered would know what they said.
MIN_ANSWERS = 3

# A micro-loan participant has finished when the course programme is behind them and the case is
# over or in repayment (the 6-month establishment period is past). Those who left before being
# selected never took part.
LOAN_ENDED = (Stage.REJECTED, Stage.REPAYING, Stage.REPAID, Stage.REMITTED, Stage.WRITTEN_OFF, Stage.DROPPED_OUT)
LOAN_NEVER_STARTED = (Stage.REFERRED, Stage.INFO_MEETING, Stage.INTERVIEWED, Stage.NOT_SELECTED, "")


def finished_citizen_ids(*, programme, cohort=None, on: datetime.date) -> set[int]:
    """Citizens whose participation has ended on `on` (seed 004: the questionnaire was handed out
    when the citizen finished, or the data window closed). Personal budgets: the offer was accepted
    and the plan is closed or stopped, or its activity window has ended."""
    m = programme.municipality
    if programme.kind == ProgrammeKind.PERSONAL_BUDGET:
        plans = BudgetPlan.objects.for_municipality(m).filter(programme=programme, offer__status=OfferStatus.ACCEPTED)
        if cohort is not None:
            plans = plans.filter(offer__cohort=cohort)
        ended = Q(status__in=[PlanStatus.CLOSED, PlanStatus.STOPPED]) | Q(status=PlanStatus.APPROVED, window_end__lt=on)
        return set(plans.filter(ended).values_list("citizen_id", flat=True))
    cases = LoanCase.objects.for_municipality(m).filter(programme=programme, stage__in=LOAN_ENDED)
    if cohort is not None:
        cases = cases.filter(cohort=cohort)
    cases = cases.exclude(stage=Stage.DROPPED_OUT, dropped_from__in=LOAN_NEVER_STARTED)
    return set(cases.values_list("citizen_id", flat=True))


def open_invitations(citizen):
    """The questionnaires waiting for this citizen on My pages."""
    return (
        Invitation.objects.for_municipality(citizen.municipality)
        .filter(citizen=citizen, answered=False, survey__closed_on__isnull=True)
        .select_related("survey__programme")
    )


def survey_list(user):
    return (
        Survey.objects.for_municipality(user.municipality)
        .select_related("programme", "cohort")
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count("invitations", filter=Q(invitations__answered=True), distinct=True),
        )
    )


def percent(part: int, whole: int, places: int = 0) -> Decimal:
    """part ÷ whole in percent, rounded half up (48,57 → 48,6)."""
    if not whole:
        return Decimal(0)
    return (Decimal(100) * part / whole).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass
class CategoryRow:
    choice: str
    label: str
    count: int
    share: Decimal  # whole percent of the question's answers


@dataclass
class QuestionResult:
    question: object
    answered: int
    rows: list[CategoryRow] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        return self.answered < MIN_ANSWERS

    @property
    def positive(self) -> Decimal:
        """'To some or a high degree', the source's headline figure (85 % more belief in a job)."""
        count = sum(r.count for r in self.rows if r.choice in (AnswerChoice.HIGH, AnswerChoice.SOME))
        return percent(count, self.answered)


@dataclass
class SurveyResults:
    invited: int
    responses: int
    questions: list[QuestionResult]

    @property
    def response_rate(self) -> Decimal:
        return percent(self.responses, self.invited, places=1)


def survey_results(survey: Survey) -> SurveyResults:
    """Per question: how many answered, and the share per answer category (of those who answered
    that question; a skipped question is not an answer). Counts only — nothing about anyone."""
    counts = {}
    for question_id, choice, n in (
        Answer.objects.filter(response__survey=survey)
        .values_list("question_id", "choice")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[(question_id, choice)] = n
    results = []
    for question in survey.asked():
        answered = sum(counts.get((question.pk, c), 0) for c in AnswerChoice.values)
        result = QuestionResult(question=question, answered=answered)
        if not result.suppressed:
            for choice in AnswerChoice:
                n = counts.get((question.pk, choice.value), 0)
                if n or choice in question.choices:
                    result.rows.append(CategoryRow(choice.value, choice.label, n, percent(n, answered)))
        results.append(result)
    return SurveyResults(
        invited=survey.invited().count(),
        responses=survey.responses.count(),
        questions=results,
    )
