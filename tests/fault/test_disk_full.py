"""A full disk while a file is uploaded (QUALITY I3): a 512 KB tmpfs as MEDIA_ROOT.

The upload path that exists now is a region's logo in the admin; later modules add their
attachments and exports here. Passing means: a clear Indonesian 507 page, no database change,
no half-written file left, the earlier file intact and downloadable, and the app keeps serving.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rpjmd.models import Region

pytestmark = [pytest.mark.fault, pytest.mark.django_db]


@pytest.fixture
def tiny_media(settings):
    if os.geteuid() != 0:
        pytest.skip("the disk-full test mounts a tmpfs: it needs root")
    mountpoint = Path(tempfile.mkdtemp(prefix="rpjmd-tiny-media-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k,mode=0755", "tmpfs", str(mountpoint)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        mountpoint.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    settings.MEDIA_ROOT = mountpoint
    yield mountpoint
    # (lazily, should a file handle still be open: the mount goes away either way)
    subprocess.run(["umount", "--lazy", str(mountpoint)], check=True)
    mountpoint.rmdir()


def logo_form(region: Region, logo) -> dict:
    return {
        "name": region.name,
        "kind": region.kind,
        "code": region.code,
        "province": region.province,
        "capital": region.capital,
        "time_zone": region.time_zone,
        "logo": logo,
    }


def digest(field_file) -> str:
    with field_file.open("rb") as handle:
        content = handle.read()
    field_file.close()
    return hashlib.sha256(content).hexdigest()


def png(size: int, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + os.urandom(size), "image/png")


def test_an_upload_onto_a_full_disk_fails_cleanly_and_the_app_keeps_serving(
    world, client_for, tiny_media
):
    admin = client_for("admin")
    admin.raise_request_exception = False
    url = f"/admin/rpjmd/region/{world.region.pk}/change/"
    first = admin.post(url, logo_form(world.region, png(150_000, "logo-lama.png")))
    assert first.status_code == 302
    world.region.refresh_from_db()
    old_name = world.region.logo.name
    old_hash = digest(world.region.logo)
    files_before = sorted(p.name for p in tiny_media.rglob("*") if p.is_file())

    response = admin.post(url, logo_form(world.region, png(600_000, "logo-baru.png")))
    assert response.status_code == 507
    assert "Ruang penyimpanan server penuh" in response.text
    assert "Traceback" not in response.text and "No space" not in response.text

    world.region.refresh_from_db()
    assert world.region.logo.name == old_name  # no database change
    assert digest(world.region.logo) == old_hash
    files_after = sorted(p.name for p in tiny_media.rglob("*") if p.is_file())
    assert files_after == files_before  # no half-written file left behind
    # The app keeps serving, and a small upload works again once there is room.
    assert client_for("planner").get(f"/rencana/{world.plan.pk}/").status_code == 200
    again = admin.post(url, logo_form(world.region, png(100_000, "logo-kecil.png")))
    assert again.status_code == 302
    used = sum(p.stat().st_size for p in tiny_media.rglob("*") if p.is_file())
    print(f"\nI3 disk full: 507 page, no row changed, no partial file; {used} bytes used of 512 KB")


def test_evidence_onto_a_full_disk_saves_no_problem_and_leaves_no_file(
    world, client_for, tiny_media
):
    """The private storage (evidence, FGD documents, exports) cleans up like the default one."""
    from issues.models import Attachment, Problem
    from tests.issues.factories import affair, pdf_bytes, upload
    from tests.issues.test_pages import form_data

    education = affair("1.01", "Pendidikan")
    world.agency_a.affairs.add(education)
    staff = client_for("opd")
    staff.raise_request_exception = False
    url = f"/rencana/{world.plan.pk}/permasalahan/baru/"
    data = form_data(world, {"education": education})
    big = upload("bukti besar.pdf", pdf_bytes("x" * 600_000))

    response = staff.post(url, data | {"attachments": [big]})
    assert response.status_code == 507
    assert "Ruang penyimpanan server penuh" in response.text
    assert not Problem.objects.exists() and not Attachment.objects.exists()
    assert [p for p in tiny_media.rglob("*") if p.is_file()] == []  # no half-written file

    small = upload("bukti.pdf", pdf_bytes())
    assert staff.post(url, data | {"attachments": [small]}).status_code == 302
    stored = [p.relative_to(tiny_media) for p in tiny_media.rglob("*") if p.is_file()]
    assert [p.parts[0] for p in stored] == ["private"]
    print(f"\nI3 disk full (evidence): 507 page, no problem saved, no partial file; {stored}")
