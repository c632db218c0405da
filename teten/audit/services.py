"""Writing the audit trail. Domain apps call these; this module imports nothing from them."""

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from teten.audit.models import AccessKind, AccessLog, AccessLogSubject, DecisionEvent
from teten.core.db import quoted_table
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
    if len(ids) <= MANY_SUBJECTS:
        AccessLogSubject.objects.bulk_create(
            [AccessLogSubject(log=log, citizen_id=citizen_id, at=log.at) for citizen_id in ids]
        )
    else:
        _subjects_write(log, ids)
    return log


# Above this many citizens the subjects go in as plain rows (a bulk job's log names them all:
# 200,000 subjects through bulk_create took 90 s on PostgreSQL, as model instances and batches of
# INSERTs with RETURNING).
MANY_SUBJECTS = 1000


def _subjects_write(log: AccessLog, ids: list[int]) -> None:
    """The log's subjects with one COPY (PostgreSQL) or one executemany (SQLite)."""
    table = quoted_table(AccessLogSubject)
    at = AccessLogSubject._meta.get_field("at").get_db_prep_value(log.at, connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} (log_id, citizen_id, at) FROM STDIN") as copy:
                for citizen_id in ids:
                    copy.write_row((log.pk, citizen_id, at))
        else:
            # The model's table; the values go as parameters.
            cursor.executemany(
                f"INSERT INTO {table} (log_id, citizen_id, at) VALUES (%s, %s, %s)",  # noqa: S608
                [(log.pk, citizen_id, at) for citizen_id in ids],
            )


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
