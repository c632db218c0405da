"""Database guarantees for the ledger.

- Transactions and legs are append-only (see teten/core/dbguard.py).
- PostgreSQL: a deferred constraint trigger refuses, at commit, any transaction whose legs do not
  sum to zero or that has fewer than two legs — even one written with raw SQL. SQLite has no
  deferred triggers; there `teten.ledger.services.post` is the check.
"""
from django.db import migrations

from teten.core.dbguard import append_only_sql, drop_append_only_sql

TABLES = ["ledger_ledgertransaction", "ledger_ledgerleg"]

POSTGRES_BALANCE = [
    """
    CREATE OR REPLACE FUNCTION teten_ledger_check_balanced() RETURNS trigger AS $$
    DECLARE
        tx_id bigint;
        leg_count integer;
        total bigint;
    BEGIN
        IF TG_TABLE_NAME = 'ledger_ledgertransaction' THEN
            tx_id := NEW.id;
        ELSE
            tx_id := COALESCE(NEW.transaction_id, OLD.transaction_id);
        END IF;
        SELECT COUNT(*), COALESCE(SUM(amount), 0) INTO leg_count, total
            FROM ledger_ledgerleg WHERE transaction_id = tx_id;
        IF leg_count < 2 OR total <> 0 THEN
            RAISE EXCEPTION 'ledger transaction % does not balance (% legs, sum % øre)', tx_id, leg_count, total
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE CONSTRAINT TRIGGER ledger_leg_balanced
        AFTER INSERT OR UPDATE OR DELETE ON ledger_ledgerleg
        DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION teten_ledger_check_balanced();
    """,
    """
    CREATE CONSTRAINT TRIGGER ledger_transaction_has_legs
        AFTER INSERT ON ledger_ledgertransaction
        DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION teten_ledger_check_balanced();
    """,
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = append_only_sql(vendor, TABLES)
    if vendor == "postgresql":
        statements += POSTGRES_BALANCE
    for statement in statements:
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = drop_append_only_sql(vendor, TABLES)
    if vendor == "postgresql":
        statements += [
            "DROP TRIGGER IF EXISTS ledger_leg_balanced ON ledger_ledgerleg;",
            "DROP TRIGGER IF EXISTS ledger_transaction_has_legs ON ledger_ledgertransaction;",
            "DROP FUNCTION IF EXISTS teten_ledger_check_balanced();",
        ]
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
