"""The coordinator's survey pages: open a round, invite those who have finished, read the results."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teten.accounts.access import get_for_staff
from teten.accounts.decorators import staff_view
from teten.core.clock import today
from teten.core.forms import add_validation_error
from teten.surveys import selectors, services
from teten.surveys.forms import SurveyOpenForm
from teten.surveys.models import Survey


@staff_view("surveys.results")
def survey_list(request):
    form = SurveyOpenForm(municipality=request.user.municipality)
    return render(
        request,
        "surveys/survey_list.html",
        {"surveys": selectors.survey_list(request.user), "form": form, "nav": "evidence"},
    )


@staff_view("surveys.manage")
@require_POST
def survey_open(request):
    form = SurveyOpenForm(request.POST, municipality=request.user.municipality)
    if form.is_valid():
        try:
            survey = services.survey_open(
                actor=request.user,
                programme=form.cleaned_data["programme"],
                cohort=form.cleaned_data["cohort"],
                on=today(),
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            count = survey.invited().count()
            messages.success(
                request,
                _("The survey is open. %(n)d citizens who have finished can answer it on My pages.") % {"n": count},
            )
            return redirect("surveys:results", survey_id=survey.pk)
    return render(
        request,
        "surveys/survey_list.html",
        {"surveys": selectors.survey_list(request.user), "form": form, "nav": "evidence"},
        status=400,
    )


def _survey(request, survey_id: int, permission: str) -> Survey:
    return get_for_staff(
        Survey.objects.select_related("programme", "cohort"), user=request.user, permission=permission, pk=survey_id
    )


@staff_view("surveys.results")
def survey_results(request, survey_id: int):
    survey = _survey(request, survey_id, "surveys.results")
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "results": selectors.survey_results(survey),
            "min_answers": selectors.MIN_ANSWERS,
            "nav": "evidence",
        },
    )


@staff_view("surveys.manage")
@require_POST
def survey_invite(request, survey_id: int):
    survey = _survey(request, survey_id, "surveys.manage")
    try:
        count = services.survey_invite_finished(actor=request.user, survey=survey, on=today())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)d more citizens have been invited.") % {"n": count})
    return redirect("surveys:results", survey_id=survey.pk)


@staff_view("surveys.manage")
@require_POST
def survey_close(request, survey_id: int):
    survey = _survey(request, survey_id, "surveys.manage")
    try:
        services.survey_close(actor=request.user, survey=survey, on=today())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The survey is closed. Citizens can no longer answer it."))
    return redirect("surveys:results", survey_id=survey.pk)
