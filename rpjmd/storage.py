"""File storage that leaves nothing behind when the disk is full (QUALITY I3)."""

from __future__ import annotations

import contextlib
import errno
import os

from django.core.files.storage import FileSystemStorage


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
