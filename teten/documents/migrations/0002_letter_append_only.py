"""Database triggers that make issued letters immutable: the PDF in Teten is always the one the
citizen was sent. UPDATE is always refused; DELETE only under Teten's maintenance switch (the test
runner's flush; see teten/core/dbguard.py)."""
from django.db import migrations

from teten.core.dbguard import append_only_sql, drop_append_only_sql

TABLES = ["documents_letter"]


def forwards(apps, schema_editor):
    for statement in append_only_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    for statement in drop_append_only_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial"), ("audit", "0002_append_only_triggers")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
