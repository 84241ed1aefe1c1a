"""A newcomer's first hour: the printed demo_code command, the development outbox, the site
address in mails, and the check of WeasyPrint's system libraries before make run installs."""

import importlib.machinery
import importlib.util
import os
import re
import shlex
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from rpjmd.demo import DEMO_TOTP_KEY
from rpjmd.mail import OutboxBackend
from rpjmd.management.commands.demo import DEMO_CODE_COMMAND
from rpjmd.models import User
from rpjmd.notifications import notify
from rpjmd.two_factor import DEVICE_NAME
from tests.factories import make_agency, make_region, make_user

ROOT = Path(__file__).resolve().parents[2]


def settings_in_a_fresh_process(**env) -> dict:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "SITE_URL", "EMAIL_BACKEND", "HOST", "PORT"}
        and not k.startswith("DJANGO_")
    }
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'rpjmd.settings'; "
        "from django.conf import settings; "
        "print(settings.EMAIL_BACKEND); print(settings.SITE_URL); print(settings.EMAIL_OUTBOX_DIR)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=clean | env
    )
    assert result.returncode == 0, result.stderr
    backend, site, outbox = result.stdout.split()
    return {"backend": backend, "site": site, "outbox": outbox}


def test_development_mail_goes_to_the_outbox_and_links_follow_the_port():
    dev = settings_in_a_fresh_process(DEBUG="1", PORT="8102", VAR_DIR="/tmp/rpjmd-var")
    assert dev["backend"] == "rpjmd.mail.OutboxBackend"
    assert dev["site"] == "http://127.0.0.1:8102"
    assert dev["outbox"] == "/tmp/rpjmd-var/outbox"
    prod = settings_in_a_fresh_process(SECRET_KEY="x" * 50, SITE_URL="https://rpjmd.example.go.id")
    assert prod["backend"] == "django.core.mail.backends.console.EmailBackend"
    assert prod["site"] == "https://rpjmd.example.go.id"


def test_make_run_sets_the_site_address_from_its_port():
    makefile = (ROOT / "Makefile").read_text()
    assert "run: export SITE_URL ?= http://$(HOST):$(PORT)" in makefile


def test_each_mail_is_one_readable_file_with_links_to_the_configured_site(
    db, tmp_path, django_capture_on_commit_callbacks
):
    region = make_region()
    agency = make_agency(region)
    people = [
        make_user("opd", agency=agency, username="opd.a", email="a@demo.invalid"),
        make_user("opd", agency=agency, username="opd.b", email="b@demo.invalid"),
    ]
    with (
        override_settings(
            EMAIL_BACKEND="rpjmd.mail.OutboxBackend",
            EMAIL_OUTBOX_DIR=tmp_path,
            SITE_URL="http://127.0.0.1:8102",
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify(recipients=people, message="Permasalahan Anda dikembalikan", url="/permasalahan/7/")
    files = sorted(tmp_path.iterdir())
    assert len(files) == 2
    texts = [f.read_text("utf-8") for f in files]
    assert {re.search(r"^Kepada: (.+)$", t, re.M).group(1) for t in texts} == {
        "a@demo.invalid",
        "b@demo.invalid",
    }
    for text in texts:
        assert "Subjek: [RPJMD] Permasalahan Anda dikembalikan" in text
        assert "http://127.0.0.1:8102/permasalahan/7/" in text
        assert ":8000" not in text and "Content-Transfer-Encoding" not in text


def test_an_outbox_mail_keeps_its_text_as_written_and_names_its_attachments(tmp_path):
    mail = EmailMessage(
        "Berita acara “FGD Identifikasi” terbit",
        "Berita acara FGD 7 Maret 2020 sudah ditandatangani.",
        "rpjmd@localhost",
        ["perencana@demo.invalid"],
        cc=["wiyono@demo.invalid"],
    )
    mail.attach("berita-acara.pdf", b"%PDF-1.7", "application/pdf")
    with override_settings(EMAIL_OUTBOX_DIR=tmp_path):
        sent = OutboxBackend().send_messages([mail, EmailMessage("Tanpa penerima", "x")])
    assert sent == 1
    (only,) = tmp_path.iterdir()
    text = only.read_text("utf-8")
    assert "Subjek: Berita acara “FGD Identifikasi” terbit" in text
    assert "Tembusan: wiyono@demo.invalid" in text
    assert "Berita acara FGD 7 Maret 2020 sudah ditandatangani." in text
    assert text.rstrip().endswith("Lampiran: berita-acara.pdf")


def test_loading_the_demo_prints_no_mail_and_fills_the_outbox(
    db, tmp_path, capfd, django_capture_on_commit_callbacks
):
    with (
        override_settings(
            EMAIL_BACKEND="rpjmd.mail.OutboxBackend",
            EMAIL_OUTBOX_DIR=tmp_path,
            SITE_URL="http://127.0.0.1:8102",
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        out = StringIO()
        call_command("demo", stdout=out)
    printed = out.getvalue() + "".join(capfd.readouterr())
    assert "MIME-Version" not in printed and "Content-Type" not in printed
    assert f"satu berkas per surel di {tmp_path}" in printed
    mails = list(tmp_path.iterdir())
    assert mails
    for mail in mails:
        text = mail.read_text("utf-8")
        assert "http://127.0.0.1:8102/" in text and ":8000" not in text


def test_the_printed_demo_code_command_works_as_printed(transactional_db, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("copies the SQLite test database to a file for the command to read")
    user = make_user("planner", region=make_region(), username="perencana")
    TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=DEMO_TOTP_KEY, confirmed=True)
    readme = (ROOT / "README.md").read_text()
    command = f"{DEMO_CODE_COMMAND} perencana"
    assert f"`{command}`" in readme
    database = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(database)
    connection.connection.backup(copy)
    copy.close()
    # A shell outside make run: no DEBUG, no SECRET_KEY; only the database is elsewhere.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY"} and not k.startswith("DJANGO_")
    }
    env["DATABASE_URL"] = f"sqlite:///{database}"
    result = subprocess.run(
        ["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    code = result.stdout.strip()
    device = TOTPDevice.objects.get(user=User.objects.get(username="perencana"))
    totp = TOTP(device.bin_key)
    now = totp.t()
    expected = set()
    for step in (now - 1, now, now + 1):
        totp.time = step * totp.step
        expected.add(f"{totp.token():06d}")
    assert code in expected
    assert shlex.split(command)[0] == "DEBUG=1"


def load_check():
    path = ROOT / "deploy" / "check-system-libraries"
    loader = importlib.machinery.SourceFileLoader("check_system_libraries", str(path))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_missing_weasyprint_libraries_are_named_with_their_debian_packages():
    check = load_check()
    absent = check.missing(find=lambda name: None if name.startswith("pango") else f"lib{name}.so")
    assert absent == [("pango-1.0", "libpango-1.0-0"), ("pangoft2-1.0", "libpangoft2-1.0-0")]
    text = check.message(absent)
    assert "libpango-1.0-0" in text and "sudo apt-get install -y libpango-1.0-0" in text
    # On this machine WeasyPrint renders PDFs, so nothing is missing.
    assert check.missing() == []


def test_make_run_checks_the_libraries_before_it_installs_or_migrates():
    makefile = (ROOT / "Makefile").read_text()
    assert "install-run: system-libraries $(RUN_STAMP)" in makefile
    assert "run: install-run" in makefile
    assert '-e ".[dev]"' in makefile and "-e .\n" in makefile
