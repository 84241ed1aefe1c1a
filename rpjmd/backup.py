"""Backups of the database and the uploaded files, and their restore (QUALITY H5).

A backup is one folder named by its UTC time (`20261127T231500Z`) holding:

* `db.dump`: PostgreSQL's custom format (`pg_dump -Fc`), or `db.sqlite3` for the embedded
  database;
* `media.tar`: every file under MEDIA_ROOT, with paths relative to it;
* `manifest.json`: when, which database engine, the applied migrations, and the size and
  SHA-256 of each file, so a restore can check it has the whole, intact backup.

The folder is written under a temporary name and renamed when complete: a backup that crashed
half-way never looks like a backup. Restore goes only into an empty database and an empty media
folder: it never overwrites data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404 - runs pg_dump/pg_restore with argument lists, no shell
import tarfile
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from psycopg import sql

STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
DB_FILES = {"postgresql": "db.dump", "sqlite": "db.sqlite3"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, in Indonesian."""


@dataclass
class Target:
    """Where a restore goes: a database (Django settings dict) and a media folder."""

    database: dict
    media_root: Path


def libpq_env(database: dict) -> dict[str, str]:
    """Connection settings for pg_dump/pg_restore/psql, passed in the environment (a password
    on the command line would be visible to every user of the machine)."""
    env = dict(os.environ)
    for key, name in [("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")]:
        if database.get(key):
            env[name] = str(database[key])
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    if database.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = database["OPTIONS"]["sslmode"]
    env["PGDATABASE"] = database["NAME"]
    return env


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # nosec B603 - fixed program, argument list
    if result.returncode != 0:
        raise BackupError(f"{command[0]} gagal: {result.stderr.strip()[-2000:]}")


def _dump_database(alias: str, folder: Path) -> str:
    connection = connections[alias]
    vendor = connection.vendor
    if vendor == "postgresql":
        target = folder / DB_FILES[vendor]
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)],
            libpq_env(connection.settings_dict),
        )
    elif vendor == "sqlite":
        # The live connection's backup API: consistent even while the app writes.
        connection.ensure_connection()
        with sqlite3.connect(folder / DB_FILES[vendor]) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        raise BackupError(f"Basis data {vendor} tidak didukung untuk cadangan.")
    return vendor


def _archive_media(media_root: Path, target: Path) -> int:
    count = 0
    with tarfile.open(target, "w") as archive:
        if media_root.exists():
            for path in sorted(media_root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    archive.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
                    count += 1
    return count


def create_backup(*, dest: Path, media_root: Path, alias: str = "default") -> Path:
    """Dump the database and archive the media into a new folder under `dest`; return it."""
    now = dt.datetime.now(dt.UTC)
    name = now.strftime(STAMP_FORMAT)
    dest.mkdir(parents=True, exist_ok=True)
    final = dest / name
    if final.exists():
        raise BackupError(f"Cadangan {final} sudah ada.")
    partial = dest / f".{name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    # Personal data inside: readable by the owner only (the service account that restores).
    partial.mkdir(mode=0o700)
    try:
        vendor = _dump_database(alias, partial)
        files = _archive_media(media_root, partial / "media.tar")
        migrations = sorted(
            f"{app}.{migration}"
            for app, migration in MigrationRecorder(connections[alias])
            .migration_qs.values_list("app", "name")
            .iterator()
        )
        manifest = {
            "created_at": now.isoformat(),
            "database": vendor,
            "media_files": files,
            "migrations": migrations,
            "files": {
                path.name: {"bytes": path.stat().st_size, "sha256": sha256(path)}
                for path in sorted(partial.iterdir())
            },
        }
        (partial / "manifest.json").write_text(json.dumps(manifest, indent=2))
        for path in partial.iterdir():
            path.chmod(0o600)
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


def prune_backups(dest: Path, *, keep_days: int, now: dt.datetime | None = None) -> list[Path]:
    """Delete complete backups older than `keep_days` (judged by the name, not file times)."""
    now = now or dt.datetime.now(dt.UTC)
    removed = []
    for folder in sorted(dest.iterdir()) if dest.exists() else []:
        try:
            made = dt.datetime.strptime(folder.name, STAMP_FORMAT).replace(tzinfo=dt.UTC)
        except ValueError:
            continue  # not ours
        if (folder / "manifest.json").exists() and now - made > dt.timedelta(days=keep_days):
            shutil.rmtree(folder)
            removed.append(folder)
    return removed


def read_manifest(folder: Path) -> dict:
    """The manifest, after checking every file it lists is there and intact."""
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise BackupError(f"{folder} bukan folder cadangan yang lengkap (manifest.json tidak ada).")
    manifest = json.loads(manifest_path.read_text())
    for name, facts in manifest["files"].items():
        path = folder / name
        if not path.exists() or sha256(path) != facts["sha256"]:
            raise BackupError(f"Berkas cadangan {name} hilang atau rusak.")
    return manifest


def _postgres_is_empty(database: dict) -> bool:
    """Create the database if it does not exist; say whether it holds no tables."""

    params = {
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
    }
    try:
        with psycopg.connect(dbname=database["NAME"], **params) as conn:
            count = conn.execute(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
            ).fetchone()[0]
            return count == 0
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            raise BackupError(f"Basis data tujuan tidak dapat dihubungi: {error}") from error
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database["NAME"])))
    return True


def restore_backup(folder: Path, target: Target) -> dict:
    """Restore a backup into an empty database and an empty media folder; return its manifest."""
    manifest = read_manifest(folder)
    engine = target.database["ENGINE"].rsplit(".", 1)[-1]
    engine = "postgresql" if engine == "postgresql" else engine.replace("sqlite3", "sqlite")
    if engine != manifest["database"]:
        raise BackupError(
            f"Cadangan ini dari {manifest['database']}, tujuan memakai {engine}: tidak cocok."
        )
    media_root = target.media_root
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"Folder media tujuan {media_root} tidak kosong: pakai folder baru.")
    if engine == "postgresql":
        if not _postgres_is_empty(target.database):
            raise BackupError(
                f"Basis data tujuan {target.database['NAME']} tidak kosong: pulihkan ke basis "
                "data baru, lalu arahkan aplikasi ke sana."
            )
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                target.database["NAME"],
                str(folder / DB_FILES["postgresql"]),
            ],
            libpq_env(target.database),
        )
    else:
        path = Path(target.database["NAME"])
        if path.exists() and path.stat().st_size > 0:
            raise BackupError(f"Berkas basis data tujuan {path} sudah ada: pakai nama baru.")
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / DB_FILES["sqlite"], path)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / "media.tar") as archive:
        # "data" filter: no absolute paths, no "..", no links out of the folder, no devices.
        archive.extractall(media_root, filter="data")
    return manifest
