"""The questionnaire on My pages. The portal shows it; the rules live in teten.surveys.services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from teten.core.forms import add_validation_error
from teten.portal.session import citizen_required
from teten.surveys import services
from teten.surveys.forms import AnswerForm
from teten.surveys.models import Invitation


def _invitation(citizen, invitation_id: int) -> Invitation:
    invitation = (
        Invitation.objects.for_municipality(citizen.municipality)
        .filter(citizen=citizen, pk=invitation_id)
        .select_related("survey__programme")
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


@citizen_required
def survey_answer(request, invitation_id: int):
    invitation = _invitation(request.citizen, invitation_id)
    survey = invitation.survey
    questions = survey.asked()
    form = None
    if not invitation.answered and survey.is_open:
        form = AnswerForm(request.POST if request.method == "POST" else None, questions=questions)
        if request.method == "POST" and form.is_valid():
            try:
                services.survey_answer(citizen=request.citizen, invitation=invitation, answers=form.answers())
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.success(request, _("Thank you for your answers."))
                return redirect("portal:survey", invitation_id=invitation.pk)
    return render(
        request,
        "surveys/portal/answer.html",
        {"invitation": invitation, "survey": survey, "form": form, "nav": "home"},
        status=400 if form is not None and form.errors else 200,
    )
