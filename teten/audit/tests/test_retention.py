import datetime

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from teten.audit.models import AccessKind, AccessLog, AccessLogSubject
from teten.audit.retention import access_log_purge


@pytest.fixture
def old_and_new_logs(consultant, citizen, muni_a):
    now = timezone.now()
    old = AccessLog.objects.create(
        at=now - datetime.timedelta(days=400),
        municipality=muni_a,
        actor=consultant,
        kind=AccessKind.VIEW,
        purpose="old",
        subject_count=1,
    )
    AccessLogSubject.objects.create(log=old, citizen=citizen, at=old.at)
    new = AccessLog.objects.create(
        at=now - datetime.timedelta(days=10),
        municipality=muni_a,
        actor=consultant,
        kind=AccessKind.VIEW,
        purpose="new",
        subject_count=1,
    )
    AccessLogSubject.objects.create(log=new, citizen=citizen, at=new.at)
    return old, new


@override_settings(TETEN_ACCESS_LOG_RETENTION_DAYS=365)
def test_purge_deletes_only_rows_past_retention(old_and_new_logs):
    old, new = old_and_new_logs
    assert access_log_purge() == 1
    assert list(AccessLog.objects.values_list("purpose", flat=True)) == ["new"]
    assert AccessLogSubject.objects.filter(log_id=old.pk).count() == 0
    assert AccessLogSubject.objects.filter(log_id=new.pk).count() == 1


@override_settings(TETEN_ACCESS_LOG_RETENTION_DAYS=365)
def test_purge_is_idempotent(old_and_new_logs):
    assert access_log_purge() == 1
    assert access_log_purge() == 0
    assert AccessLog.objects.count() == 1


@override_settings(TETEN_ACCESS_LOG_RETENTION_DAYS=5)
def test_retention_is_a_setting_and_the_command_uses_it(old_and_new_logs, capsys):
    call_command("audit_purge")
    assert AccessLog.objects.count() == 0
    assert "Deleted 2 access-log rows" in capsys.readouterr().out
