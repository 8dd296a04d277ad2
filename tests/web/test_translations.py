"""Every UI string is translated to Swedish, and the committed .mo is the compiled .po."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

PO = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _translations(entries) -> dict[tuple[str, str], object]:
    result = {}
    for entry in entries:
        if entry.obsolete:
            continue
        key = (entry.msgctxt or "", entry.msgid)
        result[key] = dict(entry.msgstr_plural) if entry.msgid_plural else entry.msgstr
    return result


def test_every_string_in_the_swedish_catalogue_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(PO))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == [], f"untranslated: {untranslated}"
    assert fuzzy == [], f"fuzzy: {fuzzy}"
    assert not po.metadata_is_fuzzy
    assert len(po) > 300


def test_the_committed_mo_file_is_the_compiled_po_file():
    po = _translations(polib.pofile(str(PO)))
    mo = _translations(polib.mofile(str(MO)))
    mo.pop(("", ""), None)  # the header
    assert mo == po


def test_the_catalogue_holds_every_string_the_code_and_templates_mark(tmp_path):
    """Run makemessages on a copy of the project: no marked string may be missing from the po."""
    if shutil.which("xgettext") is None:
        pytest.skip("needs GNU gettext (xgettext) to extract the strings: apt-get install gettext")
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    # Not __pycache__: tests running beside this one (pytest-xdist, subprocesses) write .pyc
    # files there through temporary names that vanish mid-copy.
    ignore = shutil.ignore_patterns(
        ".venv", ".git", "staticfiles", "tests", "__pycache__", "*.pyc", "db.sqlite3", ".*cache"
    )
    shutil.copytree(root, copy, ignore=ignore, symlinks=True)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "sv", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DEBUG": "on",
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
        },
    )
    extracted = polib.pofile(str(copy / "locale" / "sv" / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in extracted.untranslated_entries()]
    missing += [entry.msgid for entry in extracted.fuzzy_entries()]
    assert missing == [], f"marked for translation but not translated: {missing}"


@pytest.mark.django_db
def test_pages_are_swedish_by_default_and_the_switch_remembers_english(demo, client, settings):
    settings.LANGUAGE_CODE = "sv"  # the product's default (the test settings use English)
    client.force_login(demo.anna)
    client.cookies.pop("django_language", None)
    with_swedish = client.get(reverse("case_list"), HTTP_ACCEPT_LANGUAGE="")
    assert '<html lang="sv">' in with_swedish.content.decode()
    assert "Ärenden" in with_swedish.content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/cases/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "en"
    english = client.get(reverse("case_list")).content.decode()
    assert '<html lang="en">' in english and "Register a case" in english


@pytest.mark.django_db
def test_dates_and_numbers_are_shown_the_swedish_way(demo, client_for):
    html = (
        client_for(demo.anna, language="sv")
        .get(reverse("case_detail", args=[demo.youth.reference]))
        .content.decode()
    )
    months = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti"]
    months += ["september", "oktober", "november", "december"]
    assert any(f" {month} 20" in html for month in months)
    assert "Utgångsvärde" in html and "Tidslinje" in html
