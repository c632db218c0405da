"""Database triggers that make the audit tables append-only.

UPDATE is always refused. DELETE is refused unless Teten's maintenance switch is on (the retention
purge and the test runner's flush; see teten/core/dbguard.py).
"""
from django.db import migrations

from teten.core.dbguard import append_only_sql, drop_append_only_sql

TABLES = ["audit_accesslog", "audit_accesslogsubject", "audit_decisionevent"]


def forwards(apps, schema_editor):
    for statement in append_only_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    for statement in drop_append_only_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
