"""The project's URLs plus views that fail on purpose, for the error-page tests only."""

import errno

from django.db import OperationalError
from django.urls import path

from rpjmd.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401

SECRET = "internal: hunter2 at /srv/app/rpjmd/settings.py: SELECT * FROM rpjmd_user"


def crash(request):
    raise RuntimeError(SECRET)


def database_gone(request):
    raise OperationalError(f"connection to server at 127.0.0.1 failed: {SECRET}")


def disk_full(request):
    raise OSError(errno.ENOSPC, f"No space left on device: {SECRET}")


urlpatterns = [
    path("uji/gagal/", crash),
    path("uji/basis-data/", database_gone),
    path("uji/disk-penuh/", disk_full),
    *urlpatterns,
]
