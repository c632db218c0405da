from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from teten.accounts.access import get_for_staff
from teten.accounts.decorators import staff_view
from teten.audit.models import AccessKind
from teten.audit.services import access_record
from teten.budgets import courses
from teten.budgets.course_forms import CostForm, CourseForm, SessionForm
from teten.budgets.models import BudgetPlan, CollectiveCourse, PlanStatus
from teten.core.forms import add_validation_error
from teten.programmes.models import Programme, ProgrammeKind

PURPOSE_COURSES = gettext_lazy("Casework: collective courses")


@staff_view("budgets.view")
@require_http_methods(["GET", "POST"])
def course_list(request, programme_id: int):
    programme = get_for_staff(
        Programme.objects.filter(kind=ProgrammeKind.PERSONAL_BUDGET),
        user=request.user,
        permission="budgets.view",
        pk=programme_id,
    )
    form = CourseForm(request.POST or None)
    if request.method == "POST":
        get_for_staff(Programme, user=request.user, permission="budgets.configure", pk=programme_id)
        if form.is_valid():
            try:
                course = courses.course_create(actor=request.user, programme=programme, **form.cleaned_data)
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.success(request, _("The course has been created."))
                return redirect("budgets:course", course_id=course.pk)
    items = CollectiveCourse.objects.for_municipality(request.user.municipality).filter(programme=programme)
    return render(
        request, "budgets/courses.html", {"programme": programme, "courses": items, "form": form, "nav": "budgets"}
    )


def _grouped_candidates(course: CollectiveCourse):
    """Citizens with a running budget not yet on the course, grouped by education and job wish —
    the source's participants asked to be grouped that way."""
    taken = course.participants.values_list("plan_id", flat=True)
    plans = (
        BudgetPlan.objects.for_municipality(course.municipality)
        .filter(
            programme=course.programme,
            status__in=[PlanStatus.SUBMITTED, PlanStatus.CHANGES_REQUESTED, PlanStatus.APPROVED, PlanStatus.DRAFT],
        )
        .exclude(pk__in=taken)
        .select_related("citizen")
        .order_by("education", "job_wish", "citizen__last_name")
    )
    return [
        (key, list(group))
        for key, group in groupby(plans, key=lambda p: p.get_education_display() or _("Education not given"))
    ]


@staff_view("budgets.view")
def course_detail(request, course_id: int):
    course = get_for_staff(
        CollectiveCourse.objects.select_related("programme"), user=request.user, permission="budgets.view", pk=course_id
    )
    overview = courses.course_overview(course)
    groups = _grouped_candidates(course)
    shown = [p.plan.citizen_id for p in overview["participants"]] + [p.citizen_id for _key, g in groups for p in g]
    if shown:
        access_record(
            actor=request.user,
            municipality=course.municipality,
            kind=AccessKind.LIST,
            purpose=PURPOSE_COURSES,
            citizens=shown,
        )
    return render(
        request,
        "budgets/course.html",
        {
            "course": course,
            **overview,
            "groups": groups,
            "session_form": SessionForm(),
            "cost_form": CostForm(),
            "nav": "budgets",
        },
    )


def _course_action(request, course_id: int, action, success: str):
    course = get_for_staff(CollectiveCourse, user=request.user, permission="budgets.configure", pk=course_id)
    try:
        action(course)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect("budgets:course", course_id=course.pk)


@staff_view("budgets.configure")
@require_POST
def course_add_participant(request, course_id: int):
    def add(course):
        plan = BudgetPlan.objects.for_municipality(course.municipality).filter(pk=request.POST.get("plan") or 0).first()
        if plan is None:
            raise ValidationError(_("Choose a citizen."))
        courses.participant_add(actor=request.user, course=course, plan=plan)

    return _course_action(request, course_id, add, _("The citizen has been added to the course."))


@staff_view("budgets.configure")
@require_POST
def course_session(request, course_id: int):
    form = SessionForm(request.POST)

    def record(course):
        if not form.is_valid():
            raise ValidationError(_("Fill in the date and the topic."))
        present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        courses.session_record(actor=request.user, course=course, present_ids=present, **form.cleaned_data)

    return _course_action(request, course_id, record, _("The session and the attendance have been recorded."))


@staff_view("budgets.configure")
@require_POST
def course_cost(request, course_id: int):
    form = CostForm(request.POST)

    def add(course):
        if not form.is_valid():
            raise ValidationError(_("Fill in what and the amount."))
        courses.cost_add(actor=request.user, course=course, **form.cleaned_data)

    return _course_action(request, course_id, add, _("The cost has been added."))
