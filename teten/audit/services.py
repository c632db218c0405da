"""Writing the audit trail. Domain apps call these; this module imports nothing from them."""

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from teten.audit.models import AccessKind, AccessLog, AccessLogSubject, DecisionEvent
from teten.core.i18n import record_text


def _ids(citizens: Iterable[Any]) -> list[int]:
    return [c if isinstance(c, int) else c.pk for c in citizens]


@transaction.atomic
def access_record(
    *,
    actor,
    municipality,
    kind: AccessKind,
    purpose: str,
    citizens: Iterable[Any] = (),
    criterion: str = "",
) -> AccessLog:
    """Log one use of personal data: one row, naming every citizen whose data was used."""
    ids = list(dict.fromkeys(_ids(citizens)))
    purpose = record_text(purpose)
    log = AccessLog.objects.create(
        at=timezone.now(),
        municipality=municipality,
        actor=actor if getattr(actor, "pk", None) else None,
        kind=kind,
        purpose=purpose[:200],
        criterion=criterion[:200],
        subject_count=len(ids),
    )
    AccessLogSubject.objects.bulk_create(
        [AccessLogSubject(log=log, citizen_id=citizen_id, at=log.at) for citizen_id in ids]
    )
    return log


def decision_record(
    *,
    actor,
    municipality,
    kind: str,
    obj,
    citizen=None,
    legal_basis: str = "",
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> DecisionEvent:
    """Record a state change. Must run inside the transaction that makes the change, so the
    event and the change are written together or not at all."""
    if not connection.in_atomic_block:
        raise RuntimeError("decision_record() must be called inside the change's transaction")
    return DecisionEvent.objects.create(
        at=timezone.now(),
        municipality=municipality,
        actor=actor if getattr(actor, "pk", None) else None,
        citizen=citizen,
        kind=kind,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        legal_basis=str(legal_basis)[:300],
        before=before or {},
        after=after or {},
        note=note,
    )
