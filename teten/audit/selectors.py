from django.db.models import QuerySet

from teten.audit.models import AccessLog, DecisionEvent


def access_log_for_citizen(*, citizen) -> QuerySet[AccessLog]:
    """Every use of one citizen's data, newest first (what the citizen may download)."""
    return AccessLog.objects.filter(subjects__citizen=citizen).select_related("municipality").order_by("-at", "-id")


def access_log_for_municipality(*, municipality) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(municipality=municipality).select_related("actor").order_by("-at", "-id")


def decision_events_for(*, obj) -> QuerySet[DecisionEvent]:
    return DecisionEvent.objects.filter(object_type=obj._meta.label, object_id=str(obj.pk)).order_by("at", "id")
