"""Which database a benchmark runs against, and making it fresh.

The benchmark never touches the developer's own database: SQLite data goes to its own file
(`var/bench.sqlite3`) and PostgreSQL data to its own database (`teten_bench`). A URL names the
target, as DATABASE_URL does: `sqlite:///var/bench.sqlite3` (relative to the repository),
`sqlite:////abs/path.sqlite3`, or `postgres:///teten_bench`.

Teten's settings read the environment once, so each process serves one database; `python -m bench
platform` runs one child process per database.
"""

import os
from pathlib import Path

import django
import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

REPO = Path(__file__).resolve().parent.parent
SQLITE_URL = "sqlite:///var/bench.sqlite3"
POSTGRES_URL = "postgres:///teten_bench"
# The budgets benchmark has its own databases: its data is the platform's plus the budget plans.
BUDGETS_SQLITE_URL = "sqlite:///var/bench-budgets.sqlite3"
BUDGETS_POSTGRES_URL = "postgres:///teten_bench_budgets"
# The micro-loan benchmark's own databases, so the platform data is left as it is.
LOANS_SQLITE_URL = "sqlite:///var/bench-loans.sqlite3"
LOANS_POSTGRES_URL = "postgres:///teten_bench_loans"
# The evidence benchmark's: one municipality's citizens with 12 million monthly outcomes.
EVIDENCE_SQLITE_URL = "sqlite:///var/bench-evidence.sqlite3"
EVIDENCE_POSTGRES_URL = "postgres:///teten_bench_evidence"


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite:")


def vendor(url: str) -> str:
    return "sqlite" if is_sqlite(url) else "postgresql"


def sqlite_path(url: str) -> Path:
    path = Path(url.removeprefix("sqlite:///"))
    return path if path.is_absolute() else REPO / path


def _server_conninfo(url: str) -> tuple[dict, str]:
    """Connection parameters for the server's maintenance database, and the target's name."""
    params = conninfo_to_dict(url)
    name = params.get("dbname")
    if not name:
        raise ValueError(f"the PostgreSQL URL must name a database: {url}")
    return {**params, "dbname": "postgres", "connect_timeout": 3}, name


def reachable(url: str) -> bool:
    if is_sqlite(url):
        return True
    try:
        params, _ = _server_conninfo(url)
        with psycopg.connect(**params):
            return True
    except psycopg.OperationalError:
        return False


def recreate(url: str) -> None:
    """Start from an empty database. The audit tables refuse deletes, so the database is
    dropped and made again rather than emptied."""
    if is_sqlite(url):
        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    params, name = _server_conninfo(url)
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def exists(url: str) -> bool:
    if is_sqlite(url):
        return sqlite_path(url).exists()
    params, name = _server_conninfo(url)
    with psycopg.connect(**params) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def use(url: str) -> None:
    """Point Teten's settings at `url` and set Django up. Call once, before any Django import.

    Pages are served as in production, without DEBUG (which would keep every query in memory).
    """
    os.environ["DJANGO_SETTINGS_MODULE"] = "teten.settings"
    os.environ["TETEN_ENV"] = "development"
    os.environ["TETEN_DEBUG"] = "0"
    if is_sqlite(url):
        os.environ.pop("DATABASE_URL", None)
        os.environ["TETEN_SQLITE_PATH"] = str(sqlite_path(url))
    else:
        os.environ["DATABASE_URL"] = url
    django.setup()


def server_cpu() -> tuple[int, float] | None:
    """The PostgreSQL backend serving this connection, and the CPU seconds it has used so far, when
    it runs on this machine (its /proc entry is readable). None for SQLite, which works in-process,
    and between connections (Django reconnects once a minute: `conn_max_age`)."""
    from django.db import connection

    if connection.vendor != "postgresql" or connection.connection is None:
        return None
    pid = connection.connection.info.backend_pid
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after the command name: state, ppid, ... utime, stime
    return pid, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
