"""Indonesian by default, English on request; times in the region's zone."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
import time_machine

from tests.project import APP_PACKAGES

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES"


def test_pages_are_indonesian_by_default(world, client_for):
    response = client_for("opd").get(f"/rencana/{world.plan.pk}/")
    assert '<html lang="id">' in response.text
    assert "Tahapan penyusunan" in response.text and "Keluar" in response.text


def test_language_can_be_switched_to_english_and_back(world, client_for):
    client = client_for("opd")
    page = f"/rencana/{world.plan.pk}/"
    response = client.post("/bahasa/", {"language": "en", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    english = client.get(page).text
    assert '<html lang="en">' in english
    assert "Drafting stages" in english and "Log out" in english
    client.post("/bahasa/", {"language": "id", "next": page})
    assert "Tahapan penyusunan" in client.get(page).text


def test_login_page_can_switch_language_before_login(db, client):
    client.post("/bahasa/", {"language": "en", "next": "/masuk/"})
    assert "Log in to the RPJMD Workbench" in client.get("/masuk/").text


def test_times_are_shown_in_the_regions_zone(world, client_for):
    with time_machine.travel("2026-11-27 02:00 +0000", tick=False):
        response = client_for("opd").get(f"/rencana/{world.plan.pk}/")
        assert "(WITA)" in response.text
    # The zone follows the user's pemda: a WIB region shows WIB.
    world.region.time_zone = "Asia/Jakarta"
    world.region.save()
    assert "(WIB)" in client_for("planner").get(f"/rencana/{world.plan.pk}/").text


def test_english_catalogue_is_complete_and_compiled(tmp_path):
    """Every translatable string in the code has an English translation, and the .mo is current."""
    if shutil.which("xgettext") is None:
        pytest.fail(
            "GNU gettext (xgettext) is needed to check translations: apt-get install gettext"
        )
    copy = tmp_path / "project"
    for name in (*APP_PACKAGES, "templates", "locale", "manage.py", "tests"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "en",
            "--no-location",
            "--ignore=tests",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "rpjmd.settings",
            "PYTHONPATH": str(copy),
        },
    )
    extracted = polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po"))
    committed = {e.msgid: e for e in polib.pofile(str(CATALOGUE / "django.po"))}
    untranslated = [
        e.msgid
        for e in extracted
        if e.msgid not in committed
        or not committed[e.msgid].translated()
        or "fuzzy" in committed[e.msgid].flags
    ]
    assert untranslated == [], "add English translations (make messages) for these strings"

    with open(CATALOGUE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    expected_mo = tmp_path / "expected.mo"
    polib.pofile(str(CATALOGUE / "django.po")).save_as_mofile(str(expected_mo))
    with open(expected_mo, "rb") as handle:
        expected = gettext.GNUTranslations(handle)._catalog
    compiled.pop("", None)  # the header carries dates that differ between compilations
    expected.pop("", None)
    assert compiled == expected, "django.mo is stale: run make messages"
