"""The end-of-programme survey: who is invited, answering once and anonymously, and the results."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from teten.budgets.models import PlanStatus
from teten.surveys import services
from teten.surveys.models import Answer, AnswerChoice, Invitation, Question, Response, Survey
from teten.surveys.selectors import survey_results
from teten.surveys.standard import STANDARD_QUESTIONS, questions_install
from teten.surveys.tests.conftest import TODAY


@pytest.fixture
def finished(make_citizen, muni_a, programme, make_plan):
    """Five citizens whose participation has ended, in the ways that count."""
    people = [make_citizen(muni_a, first_name=f"Deltager{i}") for i in range(5)]
    make_plan(programme, people[0], PlanStatus.CLOSED)
    make_plan(programme, people[1], PlanStatus.CLOSED)
    make_plan(programme, people[2], PlanStatus.STOPPED)
    make_plan(programme, people[3], PlanStatus.APPROVED, window_end=TODAY - datetime.timedelta(days=1))
    make_plan(programme, people[4], PlanStatus.CLOSED)
    return people


@pytest.fixture
def survey(coordinator, programme, finished):
    return services.survey_open(actor=coordinator, programme=programme, on=TODAY)


def _answer(survey, citizen, answers_by_code):
    questions = {q.code: q for q in survey.asked()}
    invitation = survey.invited().get(citizen=citizen)
    services.survey_answer(
        citizen=citizen,
        invitation=invitation,
        answers={questions[code].pk: choice for code, choice in answers_by_code.items()},
    )


# --- questions and invitations ----------------------------------------------------------------


def test_the_standard_questionnaire_is_installed_once_per_programme(programme):
    questions_install(programme)
    questions_install(programme)
    questions = Question.objects.for_municipality(programme.municipality).filter(programme=programme)
    assert questions.count() == len(STANDARD_QUESTIONS) == 15
    which_job = questions.get(code="which_job")
    assert which_job.choices == [
        AnswerChoice.HIGH,
        AnswerChoice.SOME,
        AnswerChoice.LOW,
        AnswerChoice.NOT_AT_ALL,
        AnswerChoice.ALREADY,
    ]
    assert AnswerChoice.NOT_RELEVANT in questions.get(code="better_offer").choices
    assert questions.get(code="recommend").choices == [
        AnswerChoice.HIGH,
        AnswerChoice.SOME,
        AnswerChoice.LOW,
        AnswerChoice.NOT_AT_ALL,
    ]


def test_only_citizens_whose_participation_ended_are_invited(
    coordinator, programme, finished, make_citizen, muni_a, make_plan
):
    still_active = make_citizen(muni_a, first_name="Igang")
    make_plan(programme, still_active, PlanStatus.APPROVED, window_end=TODAY + datetime.timedelta(days=30))
    drafting = make_citizen(muni_a, first_name="Skriver")
    make_plan(programme, drafting, PlanStatus.DRAFT)
    survey = services.survey_open(actor=coordinator, programme=programme, on=TODAY)
    assert set(survey.invited().values_list("citizen_id", flat=True)) == {c.pk for c in finished}


def test_inviting_again_adds_only_those_who_finished_since(
    coordinator, programme, survey, make_citizen, muni_a, make_plan
):
    assert services.survey_invite_finished(actor=coordinator, survey=survey, on=TODAY) == 0
    late = make_citizen(muni_a, first_name="Sent")
    make_plan(programme, late, PlanStatus.CLOSED)
    assert services.survey_invite_finished(actor=coordinator, survey=survey, on=TODAY) == 1
    assert survey.invited().count() == 6


# --- answering --------------------------------------------------------------------------------


def test_citizen_answers_once_and_may_skip_questions(client, log_in, survey, finished):
    citizen = finished[0]
    invitation = survey.invited().get(citizen=citizen)
    log_in(client, citizen)
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:survey", args=[invitation.pk]) in home

    url = reverse("portal:survey", args=[invitation.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "I høj grad" in page.content.decode() and "Det havde jeg i forvejen" in page.content.decode()
    q1, q15 = survey.asked().get(code="job_belief"), survey.asked().get(code="recommend")
    response = client.post(url, {f"q{q1.pk}": "high", f"q{q15.pk}": "some"})  # the other 13 skipped
    assert response.status_code == 302
    assert Response.objects.filter(survey=survey).count() == 1
    assert sorted(Answer.objects.filter(response__survey=survey).values_list("choice", flat=True)) == ["high", "some"]
    invitation.refresh_from_db()
    assert invitation.answered

    again = client.post(url, {f"q{q1.pk}": "low"})
    assert again.status_code == 200
    assert "Du har svaret på spørgeskemaet" in again.content.decode()
    assert Response.objects.filter(survey=survey).count() == 1
    assert reverse("portal:survey", args=[invitation.pk]) not in client.get(reverse("portal:home")).content.decode()


def test_the_service_refuses_a_second_answer(survey, finished):
    _answer(survey, finished[0], {"job_belief": "high"})
    with pytest.raises(ValidationError, match="allerede|already"):
        _answer(survey, finished[0], {"job_belief": "low"})
    assert Response.objects.filter(survey=survey).count() == 1


def test_an_answer_outside_the_questions_choices_is_refused(survey, finished):
    with pytest.raises(ValidationError):
        _answer(survey, finished[0], {"recommend": "already"})  # "recommend" has no "I had that already"
    assert not survey.invited().get(citizen=finished[0]).answered


def test_answers_cannot_be_linked_to_the_citizen(survey, finished):
    """The sheet and its answers hold no citizen, no user, no time, and keys that carry no order;
    the invitation holds only a yes/no."""
    _answer(survey, finished[0], {"job_belief": "high"})
    for model in (Response, Answer):
        for f in model._meta.get_fields():
            assert not isinstance(f, (__import__("django").db.models.DateField,)), f"{model.__name__}.{f.name}"
            related = getattr(f, "related_model", None)
            assert related is None or related._meta.label in {
                "surveys.Survey",
                "surveys.Response",
                "surveys.Answer",
                "surveys.Question",
            }, f"{model.__name__}.{f.name} points at {related._meta.label}"
        assert model._meta.pk.get_internal_type() == "UUIDField"
    invitation_fields = {f.name for f in Invitation._meta.concrete_fields}
    assert invitation_fields == {"id", "municipality", "survey", "citizen", "invited_on", "answered"}


def test_a_citizen_not_invited_cannot_answer(client, log_in, survey, make_citizen, muni_a, finished):
    outsider_citizen = make_citizen(muni_a, first_name="Ikke", last_name="Inviteret")
    log_in(client, outsider_citizen)
    invitation = survey.invited().get(citizen=finished[0])
    url = reverse("portal:survey", args=[invitation.pk])
    q1 = survey.asked().get(code="job_belief")
    assert client.get(url).status_code == 404
    assert client.post(url, {f"q{q1.pk}": "high"}).status_code == 404
    assert not Response.objects.filter(survey=survey).exists()
    with pytest.raises(ValidationError):
        services.survey_answer(citizen=outsider_citizen, invitation=invitation, answers={q1.pk: "high"})


def test_a_closed_survey_cannot_be_answered(coordinator, survey, finished):
    services.survey_close(actor=coordinator, survey=survey, on=TODAY)
    with pytest.raises(ValidationError):
        _answer(survey, finished[0], {"job_belief": "high"})


def test_an_empty_sheet_is_not_an_answer(client, log_in, survey, finished):
    log_in(client, finished[0])
    invitation = survey.invited().get(citizen=finished[0])
    response = client.post(reverse("portal:survey", args=[invitation.pk]), {})
    assert response.status_code == 400
    assert "Svar på mindst ét spørgsmål" in response.content.decode()
    invitation.refresh_from_db()
    assert not invitation.answered


# --- results ----------------------------------------------------------------------------------


def test_results_shares_and_response_rate_are_exact(coordinator, survey, finished, make_citizen, muni_a, make_plan):
    # 7 invited (5 + 2 more), 4 answer: 4 ÷ 7 = 57,142… → 57,1 %.
    for i in range(2):
        extra = make_citizen(muni_a, first_name=f"Ekstra{i}")
        make_plan(survey.programme, extra, PlanStatus.CLOSED)
    services.survey_invite_finished(actor=coordinator, survey=survey, on=TODAY)
    _answer(survey, finished[0], {"job_belief": "high", "which_job": "already", "network": "low"})
    _answer(survey, finished[1], {"job_belief": "high", "which_job": "some", "network": "high"})
    _answer(survey, finished[2], {"job_belief": "some", "which_job": "already"})
    _answer(survey, finished[3], {"job_belief": "low"})

    results = survey_results(survey)
    assert (results.invited, results.responses) == (7, 4)
    assert str(results.response_rate) == "57.1"
    by_code = {r.question.code: r for r in results.questions}

    job = by_code["job_belief"]
    assert job.answered == 4 and not job.suppressed
    assert [(r.choice, r.count, int(r.share)) for r in job.rows] == [
        ("high", 2, 50),
        ("some", 1, 25),
        ("low", 1, 25),
        ("not_at_all", 0, 0),
    ]
    assert int(job.positive) == 75

    which = by_code["which_job"]
    assert [(r.choice, r.count, int(r.share)) for r in which.rows] == [
        ("high", 0, 0),
        ("some", 1, 33),  # 1 ÷ 3 = 33,3 → 33
        ("low", 0, 0),
        ("not_at_all", 0, 0),
        ("already", 2, 67),  # 2 ÷ 3 = 66,7 → 67
    ]

    network = by_code["network"]  # only 2 answered
    assert network.answered == 2 and network.suppressed and network.rows == []
    assert by_code["recommend"].answered == 0 and by_code["recommend"].suppressed


def test_the_source_figures_34_of_70_give_48_6_percent(coordinator, programme, make_citizen, muni_a, make_plan):
    """Seed 004 prints 48,5 % for 34 of 70 (it cuts off); Teten rounds half up: 48,6 %."""
    people = [make_citizen(muni_a, first_name=f"P{i}") for i in range(70)]
    for person in people:
        make_plan(programme, person, PlanStatus.CLOSED)
    survey = services.survey_open(actor=coordinator, programme=programme, on=TODAY)
    for person in people[:34]:
        _answer(survey, person, {"recommend": "high"})
    results = survey_results(survey)
    assert (results.invited, results.responses, str(results.response_rate)) == (70, 34, "48.6")


def test_results_page_as_the_coordinator(client, coordinator, survey, finished):
    for citizen, choice in zip(finished[:3], ["high", "high", "some"], strict=True):
        _answer(survey, citizen, {"recommend": choice})
    client.force_login(coordinator)
    response = client.get(reverse("surveys:results", args=[survey.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "3 gyldige besvarelser af 5 inviterede borgere, en svarprocent på 60,0 %" in body
    assert "67 %" in body and "33 %" in body  # 2 of 3 to a high degree, 1 of 3 to some degree
    assert "for få til at vise svarene" in body  # the other questions, with no answers
    assert '<rect x="0" y="0" width="67" height="6"/>' in body
    assert "style=" not in body
    for citizen in finished:
        assert citizen.first_name not in body


def test_coordinator_opens_a_survey_from_the_list(client, coordinator, programme, finished):
    client.force_login(coordinator)
    assert client.get(reverse("surveys:list")).status_code == 200
    response = client.post(reverse("surveys:open"), {"programme": programme.pk})
    survey = Survey.objects.for_municipality(programme.municipality).get()
    assert response.status_code == 302 and response["Location"] == reverse("surveys:results", args=[survey.pk])
    assert survey.invited().count() == 5


def test_another_municipalitys_staff_see_nothing(client, make_staff, muni_b, survey, finished):
    from teten.accounts.models import Role

    _answer(survey, finished[0], {"recommend": "high"})
    other = make_staff(muni_b, Role.COORDINATOR)
    client.force_login(other)
    assert client.get(reverse("surveys:results", args=[survey.pk])).status_code == 404
    assert client.post(reverse("surveys:invite", args=[survey.pk])).status_code == 404
    assert client.post(reverse("surveys:close", args=[survey.pk])).status_code == 404
    listing = client.get(reverse("surveys:list")).content.decode()
    assert survey.programme.name not in listing
    survey.refresh_from_db()
    assert survey.is_open


def test_a_consultant_may_not_see_results(client, consultant, survey):
    client.force_login(consultant)
    assert client.get(reverse("surveys:results", args=[survey.pk])).status_code == 403
    assert client.get(reverse("surveys:list")).status_code == 403
