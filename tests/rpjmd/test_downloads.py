"""Every file the app hands out goes through rpjmd.downloads.download: the same name handling,
the same headers, and a 404 (not a server error) when a stored file is gone from the disk."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import Http404

from issues.models import Attachment
from rpjmd.downloads import content_disposition, download
from tests.issues.factories import make_problem

ROOT = Path(settings.BASE_DIR)


def test_the_exact_name_travels_as_utf8_with_an_ascii_fallback():
    header = content_disposition('Laporan "akhir"; Loa Kulu – 2020.pdf')
    assert header == (
        'attachment; filename="Laporan _akhir__ Loa Kulu _ 2020.pdf"; '
        "filename*=UTF-8''Laporan%20%22akhir%22%3B%20Loa%20Kulu%20%E2%80%93%202020.pdf"
    )
    assert content_disposition("bab-2.pdf", inline=True).startswith('inline; filename="bab-2.pdf"')


def test_content_made_on_the_spot_is_a_private_attachment_the_browser_may_not_sniff():
    response = download("\ufeffNomor;Masalah\n", "permasalahan.csv", "text/csv; charset=utf-8")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="permasalahan.csv"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    body = response.getvalue()
    assert body == "\ufeffNomor;Masalah\n".encode() and int(response["Content-Length"]) == len(body)


def test_a_preview_opens_in_the_browser_and_a_picture_may_stay_in_its_cache():
    preview = download(b"%PDF-1.7", "bab-2-pratinjau.pdf", "application/pdf", inline=True)
    assert preview["Content-Disposition"].startswith("inline; ")
    assert "Content-Security-Policy" not in preview  # a PDF viewer shows no sandboxed document
    picture = download(b"\x89PNG", "a.png", "image/png", inline=True, max_age=3600)
    assert picture["Cache-Control"] == "private, max-age=3600"


def test_a_stored_file_gone_from_the_disk_or_never_stored_is_a_404(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    field = Attachment._meta.get_field("file")
    with pytest.raises(Http404):
        download(FieldFile(None, field, "attachments/hilang.pdf"), "a.pdf", "application/pdf")
    with pytest.raises(Http404):
        download(FieldFile(None, field, ""), "a.pdf", "application/pdf")


@pytest.mark.parametrize(
    ("role", "path", "name"),
    [
        ("planner", "permasalahan/ekspor.csv", "permasalahan.csv"),
        ("planner", "permasalahan/tabel-identifikasi.xlsx", "identifikasi-permasalahan.xlsx"),
        ("opd", "permasalahan/templat.xlsx", "templat-permasalahan-"),
    ],
)
def test_spreadsheets_are_downloads_like_every_other_file(world, client_for, role, path, name):
    make_problem(world.agency_a)
    response = client_for(role).get(f"/rencana/{world.plan.pk}/{path}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(f'attachment; filename="{name}')
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_no_other_module_writes_a_file_response():
    """One way to download: a second one would drift (headers, names, a missing file)."""
    writers = []
    for app in ("rpjmd", "issues", "fgd", "drafts"):
        for path in (ROOT / app).rglob("*.py"):
            text = path.read_text()
            if re.search(r"Content-Disposition|FileResponse\(", text):
                writers.append(str(path.relative_to(ROOT)))
    assert writers == ["rpjmd/downloads.py"]
