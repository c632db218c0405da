"""Collective courses: group sessions of 12-15 citizens for peer sparring (seed 004: 6 courses;
costs per citizen of consultants 400 kr., catering 108 kr. and speakers 866 kr.)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from teten.accounts.access import require
from teten.budgets.models import (
    Attendance,
    BudgetPlan,
    CollectiveCourse,
    CourseCost,
    CourseParticipant,
    CourseSession,
    PlanStatus,
)

RECOMMENDED_SIZE = (12, 15)


@transaction.atomic
def course_create(*, actor, programme, name: str, starts_on: datetime.date, capacity: int = 15) -> CollectiveCourse:
    require(actor, "budgets.configure", programme)
    if not 1 <= capacity <= 40:
        raise ValidationError({"capacity": _("A course has between 1 and 40 places (12-15 works best).")})
    return CollectiveCourse.objects.create(
        municipality=programme.municipality,
        programme=programme,
        name=name.strip(),
        starts_on=starts_on,
        capacity=capacity,
    )


@transaction.atomic
def participant_add(*, actor, course: CollectiveCourse, plan: BudgetPlan) -> CourseParticipant:
    require(actor, "budgets.configure", course)
    if plan.programme_id != course.programme_id or plan.status not in (
        PlanStatus.DRAFT,
        PlanStatus.SUBMITTED,
        PlanStatus.CHANGES_REQUESTED,
        PlanStatus.APPROVED,
    ):
        raise ValidationError(_("Only participants of the programme with a running budget can join."))
    if CourseParticipant.objects.filter(course=course).count() >= course.capacity:
        raise ValidationError(_("The course is full."))
    try:
        with transaction.atomic():
            return CourseParticipant.objects.create(course=course, plan=plan)
    except IntegrityError:
        raise ValidationError(_("The citizen is already on the course.")) from None


@transaction.atomic
def session_record(*, actor, course: CollectiveCourse, held_on: datetime.date, topic: str, present_ids: set[int]):
    """A session and who came (every participant gets a row: present or not)."""
    require(actor, "budgets.configure", course)
    session = CourseSession.objects.create(course=course, held_on=held_on, topic=topic.strip())
    Attendance.objects.bulk_create(
        [Attendance(session=session, participant=p, present=p.pk in present_ids) for p in course.participants.all()]
    )
    return session


@transaction.atomic
def cost_add(*, actor, course: CollectiveCourse, label: str, amount_per_citizen: int) -> CourseCost:
    require(actor, "budgets.configure", course)
    if amount_per_citizen <= 0:
        raise ValidationError({"amount_per_citizen": _("The amount must be more than 0 kr.")})
    return CourseCost.objects.create(course=course, label=label.strip(), amount_per_citizen=amount_per_citizen)


def course_overview(course: CollectiveCourse) -> dict:
    participants = list(
        course.participants.select_related("plan__citizen").annotate(
            present=Count("attendance", filter=Q(attendance__present=True))
        )
    )
    return {
        "participants": participants,
        "sessions": list(course.sessions.all()),
        "costs": list(course.costs.all()),
        "cost_per_citizen": course.costs.aggregate(total=Sum("amount_per_citizen", default=0))["total"],
    }
