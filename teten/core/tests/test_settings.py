import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "TETEN_ENV": "production",
        "SECRET_KEY": "a-long-random-production-secret-" + "k7Qz" * 12,
        "ALLOWED_HOSTS": "teten.example.dk",
        "TETEN_PSEUDONYM_KEY": "a-long-random-pseudonym-key-" + "p3Rw" * 12,
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "TETEN_ENV": "production", "ALLOWED_HOSTS": "teten.example.dk"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_a_pseudonym_key():
    env = {**os.environ, "TETEN_ENV": "production", "ALLOWED_HOSTS": "teten.example.dk", "SECRET_KEY": "s" * 50}
    env.pop("TETEN_PSEUDONYM_KEY", None)
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "TETEN_PSEUDONYM_KEY must be set" in result.stderr


def test_sqlite_database_file_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    env = {**os.environ, "TETEN_ENV": "development", "TETEN_SQLITE_PATH": str(tmp_path / "t.sqlite3")}
    env.pop("DATABASE_URL", None)
    code = (
        "import django; django.setup(); from django.db import connection as c; cur = c.cursor(); "
        "print(cur.execute('PRAGMA journal_mode').fetchone()[0], cur.execute('PRAGMA foreign_keys').fetchone()[0], "
        "c.settings_dict['OPTIONS']['transaction_mode'], cur.execute('PRAGMA busy_timeout').fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "teten.settings"},
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["wal", "1", "IMMEDIATE", "20000"], result.stderr
