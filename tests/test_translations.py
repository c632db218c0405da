"""The interface is Danish first: every string in the code has a Danish translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "da" / "LC_MESSAGES" / "django.po"


def _catalog(path: Path):
    with path.open("rb") as f:
        return read_po(f, locale="da")


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and not message.fuzzy


def test_committed_catalog_is_complete():
    catalog = _catalog(PO)
    assert not catalog.fuzzy
    missing = [m.id for m in catalog if m.id and not _translated(m)]
    assert missing == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext's xgettext")
def test_every_string_in_the_code_is_in_the_catalog(tmp_path):
    # Extract afresh in a copy of the tree (makemessages writes where it runs) and compare.
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    shutil.copytree(ROOT / "teten", tmp_path / "teten", ignore=ignore)
    shutil.copytree(ROOT / "locale", tmp_path / "locale", ignore=ignore)
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "da", "--no-obsolete", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={
            "PATH": "/usr/bin:/bin",
            "TETEN_ENV": "test",
            "DJANGO_SETTINGS_MODULE": "teten.settings",
            "TETEN_VAR_DIR": str(tmp_path / "var"),
        },
    )
    fresh = _catalog(tmp_path / "locale" / "da" / "LC_MESSAGES" / "django.po")
    committed = {m.id: m for m in _catalog(PO) if m.id}
    untranslated = [m.id for m in fresh if m.id and (m.id not in committed or not _translated(committed[m.id]))]
    assert untranslated == [], "run makemessages and translate these"


def test_danish_is_the_default_whatever_the_browser_asks_for(client, db):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Velkommen til Teten" in page


def test_english_can_be_chosen(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "Welcome to Teten" in page and 'lang="en"' in page
