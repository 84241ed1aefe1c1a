"""Storage is configured once, in settings.STORAGES: "default" and "private" (evidence, issued
FGD documents, PDF exports), both without the half-written file a full disk leaves."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage, storages

from drafts.models import Export
from fgd.models import OfficialRecord
from issues.models import Attachment
from rpjmd.storage import PrivateFileSystemStorage, private_storage
from tests.issues.factories import attach, make_problem

PRIVATE_FIELDS = [
    (Attachment, "file"),
    (OfficialRecord, "pdf"),
    (Export, "file"),
]


@pytest.mark.parametrize(("model", "name"), PRIVATE_FIELDS, ids=lambda v: getattr(v, "__name__", v))
def test_private_files_use_the_private_alias_and_migrations_name_no_folder(model, name):
    field = model._meta.get_field(name)
    assert isinstance(field.storage, PrivateFileSystemStorage)
    assert field.storage.path("x.pdf") == storages["private"].path("x.pdf")
    _name, _path, _args, kwargs = field.deconstruct()
    assert kwargs["storage"] is private_storage


def test_private_files_live_under_media_root_private_without_an_address(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert Path(private_storage().path("a.pdf")) == tmp_path / "private" / "a.pdf"
    with pytest.raises(ValueError):
        private_storage().url("a.pdf")


def test_a_deployment_points_the_private_alias_elsewhere_by_configuration(
    world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = settings.STORAGES | {
        "private": {
            "BACKEND": "rpjmd.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "arsip")},
        }
    }
    attach(make_problem(world.agency_a), "bukti.pdf", by=world.staff_a)
    stored = Attachment.objects.get().file
    assert Path(stored.path).is_relative_to(tmp_path / "arsip")
    assert (tmp_path / "arsip" / stored.name).is_file()
    assert not (tmp_path / "media").exists()


class FillsTheDisk(File):
    """An upload during which the disk fills up: one chunk is written, then ENOSPC."""

    def __init__(self):
        super().__init__(None, name="besar.pdf")

    def chunks(self, chunk_size=None):
        yield b"%PDF-1.7 " + b"x" * 4096
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("alias", ["default", "private"])
def test_a_full_disk_leaves_no_half_written_file_in_either_storage(alias, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    storage = storages[alias]
    with pytest.raises(OSError) as raised:
        storage.save("attachments/besar.pdf", FillsTheDisk())
    assert raised.value.errno == errno.ENOSPC
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_exports_made_before_move_into_the_private_storage(world, settings, tmp_path):
    """drafts migration 0003: an export stored under MEDIA_ROOT/drafts/exports/ moves to
    MEDIA_ROOT/private/drafts/exports/ with its name, and back when unapplied."""
    from drafts.outline import create_document

    migration = __import__(
        "drafts.migrations.0005_exports_in_private_storage", fromlist=["to_private"]
    )
    settings.MEDIA_ROOT = tmp_path
    document = create_document(plan=world.plan, by=world.planner)
    name = default_storage.save("drafts/exports/lama.pdf", ContentFile(b"%PDF-1.7 lama"))
    export = Export.objects.create(
        document=document, created_by=world.planner, status="done", file=name
    )
    migration.to_private(apps, None)
    assert not (tmp_path / name).exists()
    export.refresh_from_db()
    assert export.file.name == name and export.file.read() == b"%PDF-1.7 lama"
    export.file.close()
    assert (tmp_path / "private" / name).is_file()
    migration.to_default(apps, None)
    assert (tmp_path / name).is_file() and not (tmp_path / "private" / name).exists()
