"""Backup and restore drill (QUALITY H5): back up, restore into a fresh database and media
folder, and compare every table and every file; then the restored copy must serve a page."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import textwrap
import time
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from rpjmd import audit
from rpjmd.backup import STAMP_FORMAT, prune_backups
from rpjmd.models import AuditEvent, Notification, Region
from tests.hardening.conftest import ROOT

pytestmark = pytest.mark.django_db(transaction=True)


def fill(world, media_root: Path) -> None:
    """Data in every kind of table, and media files with awkward names."""
    call_command("demo", "--quiet")
    Notification.objects.create(recipient=world.staff_a, message="Permasalahan dikembalikan")
    audit.record(None, audit.Action.LOGIN, outcome="success", actor=world.planner)
    region = Region.objects.get(pk=world.region.pk)
    region.logo.save("logo kukar.png", ContentFile(b"\x89PNG\r\n\x1a\n" + os.urandom(2048)))
    (media_root / "lampiran" / "2026").mkdir(parents=True)
    (media_root / "lampiran" / "2026" / "data dukung ünïcode ✓.pdf").write_bytes(os.urandom(5000))
    (media_root / "kosong.txt").write_bytes(b"")


def file_hashes(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def backup(tmp_path) -> Path:
    call_command("backup", dest=str(tmp_path / "backups"), stdout=StringIO())
    (folder,) = (tmp_path / "backups").iterdir()
    return folder


# --- PostgreSQL: the drill ------------------------------------------------------------------


def pg_tables(conn) -> dict[str, tuple[int, str]]:
    """Row count and an md5 over the ordered rows of every table."""
    from psycopg import sql

    names = [
        row[0]
        for row in conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
        )
    ]
    result = {}
    for name in names:
        query = sql.SQL(
            "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) "
            "FROM {} AS t"
        ).format(sql.Identifier(name))
        result[name] = tuple(conn.execute(query).fetchone())
    return result


def pg_connect(name: str):
    import psycopg

    params = connection.settings_dict
    return psycopg.connect(
        dbname=name,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        autocommit=True,
    )


SMOKE = textwrap.dedent(
    """
    import json, django
    django.setup()
    from django.test import Client
    from rpjmd.models import Plan, User
    from tests.factories import sign_in
    client = Client(HTTP_HOST="127.0.0.1")
    sign_in(client, User.objects.get(username="perencana"))
    plan = Plan.objects.get(region__code="64.02", start_year=2021)
    page = client.get(f"/rencana/{plan.pk}/")
    health = client.get("/health/")
    print(json.dumps({"page": page.status_code, "title": plan.title in page.text,
                      "health": health.status_code}))
    """
)


@pytest.mark.postgres
def test_backup_and_restore_into_a_fresh_database_is_identical(world, media_root, tmp_path):
    fill(world, media_root)
    folder = backup(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    # The logo, the evidence file, the empty file, and the demo's issued berita acara (private
    # storage follows MEDIA_ROOT, so the backup carries it too).
    assert manifest["database"] == "postgresql" and manifest["media_files"] == 4
    assert any(name.startswith("private/fgd/berita-acara/") for name in file_hashes(media_root))
    assert folder.stat().st_mode & 0o077 == 0  # personal data: the owner only
    assert all(path.stat().st_mode & 0o077 == 0 for path in folder.iterdir())
    assert set(manifest["files"]) == {"db.dump", "media.tar"}

    restored_db = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    params = connection.settings_dict
    url = f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{restored_db}"
    restored_media = tmp_path / "restored-media"
    started = time.monotonic()
    call_command(
        "restore",
        str(folder),
        database_url=url,
        media_root=str(restored_media),
        stdout=StringIO(),
    )
    seconds = time.monotonic() - started
    try:
        with pg_connect(params["NAME"]) as source, pg_connect(restored_db) as copy:
            original, restored = pg_tables(source), pg_tables(copy)
        assert original == restored
        assert original["rpjmd_plan"][0] >= 2 and original["rpjmd_auditevent"][0] >= 1
        assert len(original) >= 20  # every app's tables, not just a few
        assert file_hashes(restored_media) == file_hashes(media_root)

        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env |= {"DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": url}
        env["MEDIA_ROOT"] = str(restored_media)
        smoke = subprocess.run(
            [sys.executable, "-c", SMOKE], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert smoke.returncode == 0, smoke.stderr[-3000:]
        assert json.loads(smoke.stdout.strip().splitlines()[-1]) == {
            "page": 200,
            "title": True,
            "health": 200,
        }
        print(
            f"\nrestore of the demo database and {manifest['media_files']} files: {seconds:.1f} s"
        )
        assert seconds < 300
    finally:
        with pg_connect("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored_db}" WITH (FORCE)')


@pytest.mark.postgres
def test_restore_refuses_a_database_that_already_holds_data(world, media_root, tmp_path):
    folder = backup(tmp_path)
    params = connection.settings_dict
    url = f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{params['NAME']}"
    before = AuditEvent.objects.count()
    with pytest.raises(CommandError, match="tidak kosong"):
        call_command("restore", str(folder), database_url=url, media_root=str(tmp_path / "m"))
    assert AuditEvent.objects.count() == before


# --- Any database ---------------------------------------------------------------------------


def fresh_url(tmp_path) -> str:
    """A database of the current kind that does not exist yet."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'baru.sqlite3'}"
    params = connection.settings_dict
    name = f"{params['NAME']}_never_{uuid.uuid4().hex[:8]}"
    return f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{name}"


def test_a_damaged_backup_is_refused_before_anything_is_restored(world, media_root, tmp_path):
    (media_root / "a.txt").write_text("isi")
    folder = backup(tmp_path)
    with (folder / "media.tar").open("ab") as archive:
        archive.write(b"rusak")
    target = tmp_path / "restored"
    with pytest.raises(CommandError, match="hilang atau rusak"):
        call_command(
            "restore",
            str(folder),
            database_url=fresh_url(tmp_path),
            media_root=str(target),
        )
    assert not target.exists()


def test_restore_refuses_a_media_folder_that_is_not_empty(world, media_root, tmp_path):
    folder = backup(tmp_path)
    (tmp_path / "penuh").mkdir()
    (tmp_path / "penuh" / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(CommandError, match="tidak kosong"):
        call_command(
            "restore",
            str(folder),
            database_url=fresh_url(tmp_path),
            media_root=str(tmp_path / "penuh"),
        )


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite path; PostgreSQL has its own drill"
)
def test_sqlite_backup_restores_to_an_identical_file(world, media_root, tmp_path):
    import sqlite3

    fill(world, media_root)
    folder = backup(tmp_path)
    target = tmp_path / "restored.sqlite3"
    call_command(
        "restore",
        str(folder),
        database_url=f"sqlite:///{target}",
        media_root=str(tmp_path / "restored-media"),
        stdout=StringIO(),
    )
    # (the same type conversions as Django's own connection, for a like-for-like comparison)
    copy = sqlite3.connect(target, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
    tables = [
        row[0]
        for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1")
    ]
    with connection.cursor() as cursor:
        for table in tables:
            query = f'SELECT * FROM "{table}" ORDER BY 1'  # noqa: S608 - names from the schema
            cursor.execute(query)
            assert cursor.fetchall() == copy.execute(query).fetchall(), table
    copy.close()
    assert file_hashes(tmp_path / "restored-media") == file_hashes(media_root)


def test_old_backups_are_pruned_by_their_time_not_by_file_dates(tmp_path):
    now = dt.datetime(2026, 11, 28, 1, 0, tzinfo=dt.UTC)
    for days in [0, 29, 31, 400]:
        folder = tmp_path / (now - dt.timedelta(days=days)).strftime(STAMP_FORMAT)
        folder.mkdir()
        (folder / "manifest.json").write_text("{}")
    (tmp_path / ".20200101T000000Z.partial").mkdir()  # an interrupted backup: not ours to judge
    (tmp_path / "catatan").mkdir()
    removed = prune_backups(tmp_path, keep_days=30, now=now)
    assert len(removed) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [
            ".20200101T000000Z.partial",
            "catatan",
            now.strftime(STAMP_FORMAT),
            (now - dt.timedelta(days=29)).strftime(STAMP_FORMAT),
        ]
    )
