"""Database-level guard for append-only tables (the audit trail and the ledger).

Triggers (see the audit and ledger migrations) reject every UPDATE and DELETE on those tables. The
only deletions allowed are those made inside `maintenance()`: the retention purge of old access-log
rows and the test runner's flush. On PostgreSQL the switch is a transaction-local setting
(`SET LOCAL teten.maintenance = 'on'`); on SQLite, which has no session variables, it is an SQL
function the triggers call, registered on Teten's own connections only — so a delete from any other
program fails too ("no such function").
"""

import threading
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.backends.signals import connection_created

SQLITE_FUNCTION = "teten_maintenance"
_state = threading.local()


def _maintenance_active() -> int:
    return 1 if getattr(_state, "depth", 0) > 0 else 0


def _register_sqlite_function(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 0, _maintenance_active, deterministic=False)


def install() -> None:
    connection_created.connect(_register_sqlite_function, dispatch_uid="teten_dbguard")


@contextmanager
def maintenance():
    """Allow deletions from append-only tables for the duration of one transaction."""
    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL teten.maintenance = 'on'")
            yield
    finally:
        _state.depth -= 1


def append_only_sql(vendor: str, tables: list[str], *, allow_delete_in_maintenance: bool = True) -> list[str]:
    """The trigger statements that make `tables` append-only (for a RunPython migration)."""
    statements = []
    if vendor == "postgresql":
        statements.append(POSTGRES_FUNCTION)
        for table in tables:
            statements.append(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION teten_append_only();"
            )
    elif vendor == "sqlite":
        for table in tables:
            statements.append(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'table {table} is append-only: UPDATE refused'); END;"
            )
            statements.append(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                f"WHEN {SQLITE_FUNCTION}() = 0 "
                f"BEGIN SELECT RAISE(ABORT, 'table {table} is append-only: DELETE refused'); END;"
            )
    else:
        raise RuntimeError(f"Teten has no append-only triggers for {vendor}")
    return statements


def drop_append_only_sql(vendor: str, tables: list[str]) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {t}_append_only ON {t};" for t in tables]
    return [
        s for t in tables for s in (f"DROP TRIGGER IF EXISTS {t}_no_update;", f"DROP TRIGGER IF EXISTS {t}_no_delete;")
    ]


POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION teten_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('teten.maintenance', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
