"""Automatic deletion of access-log rows past their retention period (a setting)."""

import datetime

from django.conf import settings
from django.utils import timezone

from teten.audit.models import AccessLog, AccessLogSubject
from teten.core import dbguard

BATCH = 5000


def access_log_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=settings.TETEN_ACCESS_LOG_RETENTION_DAYS)


def access_log_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete access-log rows older than the retention period; returns how many were deleted.

    Runs in batches, each its own transaction, so a crash half-way leaves only whole batches
    deleted and the next run simply continues.
    """
    cutoff = access_log_cutoff(now)
    deleted = 0
    while True:
        with dbguard.maintenance():
            ids = list(AccessLog._base_manager.filter(at__lt=cutoff).values_list("id", flat=True)[:BATCH])
            if not ids:
                return deleted
            AccessLogSubject._base_manager.filter(log_id__in=ids)._raw_delete(AccessLogSubject._base_manager.db)
            AccessLog._base_manager.filter(id__in=ids)._raw_delete(AccessLog._base_manager.db)
            deleted += len(ids)
