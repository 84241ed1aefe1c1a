"""File storage: the "default" and "private" aliases of settings.STORAGES (docs/decisions.md).

Both leave nothing behind when the disk is full (QUALITY I3). Models name the private storage
through `private_storage`, so that a migration records that callable, not a folder, and a
deployment points the alias elsewhere by configuration alone.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, cached_property, empty
from storages.backends.s3 import S3Storage


class CleanFileSystemStorage(FileSystemStorage):
    """Django's FileSystemStorage, minus the half-written file a full disk leaves.

    `Storage.save()` picks a free name before `_save()` creates it exclusively, so on failure
    the file at that name is the partial one this call wrote, and it is removed; the error is
    raised again (the request answers 507, rpjmd/errors.py) and no database row refers to it.
    """

    def _save(self, name, content):
        try:
            return super()._save(name, content)
        except OSError as error:
            if error.errno in {errno.ENOSPC, errno.EDQUOT}:
                with contextlib.suppress(OSError):
                    os.remove(self.path(name))
            raise


class PrivateFileSystemStorage(CleanFileSystemStorage):
    """Evidence, issued FGD documents and PDF exports: MEDIA_ROOT/private/ unless `location` is
    configured, with no public address; only permission-checked views serve them (through
    rpjmd.downloads). Backups take the whole MEDIA_ROOT, this folder included."""

    @cached_property
    def base_location(self):
        # Recomputed when MEDIA_ROOT changes (FileSystemStorage clears it on setting_changed).
        return self._value_or_setting(self._location, Path(settings.MEDIA_ROOT) / "private")

    def url(self, name):
        raise ValueError(
            "Private files have no public address: a permission-checked view serves them."
        )


class PrivateS3Storage(S3Storage):
    """The same files in an S3 bucket (settings.S3_BUCKET, docs/deploy.md): the bucket blocks
    public access and objects carry no ACL, so only the app's credentials read them; the
    permission-checked views stream them (docs/decisions.md, "Beyond one machine")."""

    def url(self, name, *args, **kwargs):
        raise ValueError(
            "Private files have no public address: a permission-checked view serves them."
        )


class PartCacheFileSystemStorage(FileSystemStorage):
    """The PDF parts cache on one machine's disk (settings.PDF_CACHE_DIR, read on every use so
    a changed setting takes effect at once). Names are content hashes: a second write of a name
    replaces the first (same bytes) instead of picking another name, and lands under a
    temporary name first, so a reader on another process never sees half a part."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PDF_CACHE_DIR)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def get_available_name(self, name, max_length=None):
        return name

    def _save(self, name, content):
        target = Path(self.path(name))
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk)
            os.chmod(temporary, 0o600)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.remove(temporary)
            raise
        return name


def is_local(storage) -> bool:
    """Whether the storage keeps its files on this machine's disk (it has paths)."""
    try:
        storage.path("")
    except NotImplementedError:
        return False
    return True


class _PrivateStorage(LazyObject):
    """storages["private"], looked up on first use and again after STORAGES changes."""

    def _setup(self):
        self._wrapped = storages["private"]


_private = _PrivateStorage()


def _forget_private(*, setting, **kwargs):
    if setting == "STORAGES":
        _private._wrapped = empty


setting_changed.connect(_forget_private)


def private_storage():
    """The `storage=` of every private FileField."""
    return _private
