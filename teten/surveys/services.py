"""Opening a survey, inviting the citizens who have finished, and answering it — anonymously."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from teten.audit.services import decision_record
from teten.surveys.models import Answer, Invitation, Question, Response, Survey
from teten.surveys.selectors import finished_citizen_ids
from teten.surveys.standard import questions_install


@transaction.atomic
def survey_open(*, actor, programme, cohort=None, on: datetime.date) -> Survey:
    """Open the end-of-programme questionnaire for a programme (or one cohort) and invite everyone
    who has finished by `on`. The programme gets the standard questions if it has none."""
    if cohort is not None and cohort.programme_id != programme.pk:
        raise ValidationError({"cohort": _("The cohort belongs to another programme.")})
    questions_install(programme)
    survey = Survey.objects.create(
        municipality=programme.municipality, programme=programme, cohort=cohort, opened_on=on, opened_by=actor
    )
    survey.questions.add(
        *Question.objects.for_municipality(programme.municipality).filter(programme=programme, is_active=True)
    )
    invited = _invite(survey, on=on)
    decision_record(
        actor=actor,
        municipality=programme.municipality,
        kind="survey_opened",
        obj=survey,
        after={"programme": programme.pk, "cohort": cohort.pk if cohort else None, "invited": invited},
    )
    return survey


def _invite(survey: Survey, *, on: datetime.date) -> int:
    finished = finished_citizen_ids(programme=survey.programme, cohort=survey.cohort, on=on)
    already = set(survey.invited().values_list("citizen_id", flat=True))
    new = sorted(finished - already)
    Invitation.objects.bulk_create(
        [Invitation(municipality=survey.municipality, survey=survey, citizen_id=c, invited_on=on) for c in new]
    )
    return len(new)


@transaction.atomic
def survey_invite_finished(*, actor, survey: Survey, on: datetime.date) -> int:
    """Invite those who have finished since the survey was opened (idempotent). Returns how many."""
    if not survey.is_open:
        raise ValidationError(_("The survey is closed."))
    invited = _invite(survey, on=on)
    if invited:
        decision_record(
            actor=actor, municipality=survey.municipality, kind="survey_invited", obj=survey, after={"invited": invited}
        )
    return invited


@transaction.atomic
def survey_close(*, actor, survey: Survey, on: datetime.date) -> None:
    if not survey.is_open:
        raise ValidationError(_("The survey is closed."))
    survey.closed_on = on
    survey.save(update_fields=["closed_on"])
    decision_record(actor=actor, municipality=survey.municipality, kind="survey_closed", obj=survey)


@transaction.atomic
def survey_answer(*, citizen, invitation: Invitation, answers: dict[int, str]) -> None:
    """The citizen answers once; any question may be skipped. The sheet is stored without the
    citizen and without a time, and no audit event names the citizen here: an event with a
    timestamp next to the sheet would tell who answered what. The invitation's yes/no marker is
    flipped by a conditional update, so two submissions at once cannot both count."""
    if invitation.citizen_id != citizen.pk:
        raise ValidationError(_("This questionnaire is not yours."))
    survey = invitation.survey
    if not survey.is_open:
        raise ValidationError(_("The survey is closed."))
    questions = {q.pk: q for q in survey.asked()}
    for question_id, choice in answers.items():
        if question_id not in questions or choice not in questions[question_id].choices:
            raise ValidationError(_("That answer is not one of the choices."))
    if not answers:
        raise ValidationError(_("Answer at least one question, or come back later."))
    marked = (
        Invitation.objects.for_municipality(invitation.municipality)
        .filter(pk=invitation.pk, citizen=citizen, answered=False)
        .update(answered=True)
    )
    if not marked:
        raise ValidationError(_("You have already answered this questionnaire. Thank you."))
    response = Response.objects.create(survey=survey)
    Answer.objects.bulk_create([Answer(response=response, question_id=q, choice=c) for q, c in sorted(answers.items())])
