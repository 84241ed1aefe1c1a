"""Files in object storage (issue 15): evidence, section images, issued FGD documents, exported
PDFs and the PDF parts cache in a private S3 bucket on a real S3 server (moto in server mode on
127.0.0.1, started here), reached through django-storages and boto3 with nothing mocked.

A few seconds in all (the export renders one short document): part of the normal run."""

from __future__ import annotations

import io
import urllib.error
import urllib.request
import uuid

import pytest
from django.core.files.storage import storages
from pypdf import PdfReader

from benchmarks.objectstore import S3Server
from drafts import editing, export
from drafts.models import Document, Export, Image, Section
from drafts.outline import create_document
from fgd.models import OfficialRecord
from issues.models import Attachment, Problem
from rpjmd.settings import object_storages
from tests.drafts.factories import png_bytes
from tests.fgd.factories import make_agreed, make_record, scoped_meeting
from tests.issues.factories import affair, pdf_bytes, upload
from tests.issues.test_pages import form_data

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def affairs(world):
    education = affair("1.01", "Pendidikan")
    world.agency_a.affairs.add(education)
    return {"education": education}


@pytest.fixture(scope="module")
def s3_server():
    with S3Server() as server:
        yield server


@pytest.fixture
def bucket(s3_server, settings, tmp_path):
    """A fresh private bucket holding every storage alias, and a media folder that must stay
    empty (a file written there would not be seen by another node)."""
    name = f"rpjmd-{uuid.uuid4().hex[:12]}"
    s3_server.create_private_bucket(name)
    env = s3_server.storage_env(name)
    settings.STORAGES = settings.STORAGES | object_storages(
        name,
        endpoint_url=env["S3_ENDPOINT_URL"],
        access_key=env["S3_ACCESS_KEY_ID"],
        secret_key=env["S3_SECRET_ACCESS_KEY"],
    )
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PDF_CACHE_DIR = tmp_path / "cache"
    settings.TASKS = IMMEDIATE
    settings.PDF_EXPORT_WORKERS = 0
    settings.PDF_EXPORT_LOWER_WORKER_PRIORITY = False
    return name


def keys(s3_server, bucket: str, prefix: str = "") -> list[str]:
    listing = s3_server.client().list_objects_v2(Bucket=bucket, Prefix=prefix)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def anonymous_get(s3_server, bucket: str, key: str) -> int:
    try:
        with urllib.request.urlopen(f"{s3_server.url}/{bucket}/{key}", timeout=5) as answer:  # noqa: S310 - loopback
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


def nothing_on_local_disk(settings) -> None:
    media, cache = settings.MEDIA_ROOT, settings.PDF_CACHE_DIR
    assert not (media.exists() and any(p.is_file() for p in media.rglob("*")))
    assert not (cache.exists() and any(p.is_file() for p in cache.rglob("*")))


def test_evidence_uploaded_goes_to_the_bucket_and_back_through_the_view_only(
    world,
    affairs,
    client_for,
    s3_server,
    bucket,
    settings,  # noqa: F811 - imported fixture
):
    content = pdf_bytes()
    data = form_data(world, affairs) | {"attachments": [upload("Laporan capaian.pdf", content)]}
    response = client_for("opd").post(f"/rencana/{world.plan.pk}/permasalahan/baru/", data)
    assert response.status_code == 302, response.text[:1000]
    attachment = Attachment.objects.get(problem=Problem.objects.get())
    key = f"private/{attachment.file.name}"
    assert keys(s3_server, bucket, "private/") == [key]
    download = client_for("opd").get(f"/lampiran/{attachment.pk}/unduh/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Cache-Control"] == "private, no-store"
    assert "Laporan%20capaian.pdf" in download["Content-Disposition"]
    # The bucket is private: the object's own address refuses a browser without credentials,
    # and the private storage makes no address at all.
    assert anonymous_get(s3_server, bucket, key) == 403
    with pytest.raises(ValueError, match="no public address"):
        attachment.file.url  # noqa: B018 - the property raises
    # Another region's planner gets nothing, as on a local disk.
    assert client_for("other_planner").get(f"/lampiran/{attachment.pk}/unduh/").status_code == 404
    # Gone from the bucket: a 404, not a server error.
    attachment.file.storage.delete(attachment.file.name)
    assert client_for("opd").get(f"/lampiran/{attachment.pk}/unduh/").status_code == 404
    nothing_on_local_disk(settings)


def test_a_signed_berita_acara_is_kept_in_the_bucket_and_served_from_it(
    world,
    client_for,
    s3_server,
    bucket,
    settings,  # noqa: F811 - imported fixture
):
    meeting = scoped_meeting(world)
    planner = client_for("planner")
    make_agreed(meeting, "Data resmi terbaru dipakai.")
    assert planner.post(f"/fgd/{meeting.pk}/tutup/", {"pending_reason": ""}).status_code == 302
    make_record(meeting)
    assert planner.post(f"/fgd/{meeting.pk}/berita-acara/tandatangani/").status_code == 302
    record = OfficialRecord.objects.get(meeting=meeting)
    assert record.is_signed
    key = f"private/{record.pdf.name}"
    assert keys(s3_server, bucket, "private/fgd/") == [key]
    stored = s3_server.client().get_object(Bucket=bucket, Key=key)["Body"].read()
    response = planner.get(f"/fgd/{meeting.pk}/dokumen/berita-acara.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored  # the issued file, not a new render
    assert anonymous_get(s3_server, bucket, key) == 403
    nothing_on_local_disk(settings)


def test_a_section_image_and_the_exported_pdf_live_in_the_bucket_and_parts_are_shared(
    world, client_for, s3_server, bucket, settings
):
    document = create_document(plan=world.plan, by=world.planner)
    planner = client_for("planner")
    picture = png_bytes(size=(64, 40), color=(10, 120, 200))
    answer = planner.post(
        f"/rencana/{world.plan.pk}/dokumen/gambar/", {"file": upload("peta.png", picture)}
    )
    assert answer.status_code == 200, answer.content
    location = answer.json()["location"]
    image = Image.objects.get(document=document)
    assert keys(s3_server, bucket, "media/") == [f"media/{image.file.name}"]
    assert anonymous_get(s3_server, bucket, f"media/{image.file.name}") == 403
    stored = s3_server.client().get_object(Bucket=bucket, Key=f"media/{image.file.name}")
    shown = planner.get(location)
    assert shown.status_code == 200
    assert b"".join(shown.streaming_content) == stored["Body"].read()  # (re-encoded on upload)
    section = Section.objects.filter(chapter__document=document).order_by("pk").first()
    editing.save_section(
        section_id=section.pk,
        body=f'<p>Peta wilayah.</p><p><img src="{location}" alt="Peta"></p>',
        base_version=section.version,
        by=world.planner,
    )

    assert (
        planner.post(f"/rencana/{world.plan.pk}/dokumen/ekspor/", {"source": "live"}).status_code
        == 302
    )
    item = Export.objects.get()
    assert item.status == Export.Status.DONE, item.failure
    assert keys(s3_server, bucket, "private/drafts/") == [f"private/{item.file.name}"]
    download = planner.get(f"/rencana/{world.plan.pk}/dokumen/ekspor/{item.pk}/unduh/")
    pdf = b"".join(download.streaming_content)
    assert download.status_code == 200 and pdf.startswith(b"%PDF") and len(pdf) == item.size
    sizes = {
        (picture_.image.width, picture_.image.height)
        for page in PdfReader(io.BytesIO(pdf)).pages
        for picture_ in page.images
    }
    assert (64, 40) in sizes  # the picture was read from the bucket into the PDF
    assert anonymous_get(s3_server, bucket, f"private/{item.file.name}") == 403

    # The rendered parts are in the bucket, keyed by content: a worker on another node (here:
    # the same process, with nothing on its disk) reuses them instead of rendering again.
    parts = keys(s3_server, bucket, "cache/pdf/")
    assert parts and {p.rsplit(".", 1)[1] for p in parts} == {"pdf", "json"}
    again = export.build_pdf(Document.objects.get(pk=document.pk))
    chapters = [p for p in again.parts if p.key.startswith("bab")]
    assert chapters and all(p.reused for p in chapters)
    nothing_on_local_disk(settings)

    # Pruning goes through the storage too: nothing is old yet, then everything is.
    export.prune_cache()
    assert keys(s3_server, bucket, "cache/pdf/") == parts
    settings.PDF_CACHE_DAYS = -1
    export.prune_cache()
    assert keys(s3_server, bucket, "cache/pdf/") == []


def test_the_local_parts_cache_replaces_a_part_atomically_and_keeps_its_name(settings, tmp_path):
    settings.PDF_CACHE_DIR = tmp_path / "cache"
    storage = storages["pdf_parts"]
    part = export.RenderedPart(pdf=b"%PDF-1.7 satu", pages=1, anchors={"a": 0}, landscape=[])
    export._store("abc", part)
    export._store("abc", part)  # a second worker rendered the same part
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["abc.json", "abc.pdf"]
    assert export._cached("abc") == part
    assert storage.path("abc.pdf") == str(tmp_path / "cache" / "abc.pdf")
    # A part whose bytes do not match its description (replaced while read) is not used.
    (tmp_path / "cache" / "abc.pdf").write_bytes(b"%PDF-1.7 sat")
    assert export._cached("abc") is None


def test_s3_is_configuration_and_the_local_folders_stay_the_default():
    from tests.rpjmd.test_settings import run_manage

    code = (
        "from django.conf import settings as s; from django.core.files.storage import storages; "
        "print(repr([(a, type(storages[a]).__name__, getattr(storages[a], 'bucket_name', ''), "
        "getattr(storages[a], 'location', '')) for a in ('default', 'private', 'pdf_parts')]))"
    )
    local = run_manage("shell", "-c", code, DEBUG="1", PDF_CACHE_DIR="/srv/cache/pdf")
    assert local.returncode == 0, local.stderr
    assert "('pdf_parts', 'PartCacheFileSystemStorage', '', '/srv/cache/pdf')" in local.stdout
    assert "('private', 'PrivateFileSystemStorage'" in local.stdout
    s3 = run_manage(
        "shell",
        "-c",
        code,
        DEBUG="1",
        S3_BUCKET="rpjmd-kukar",
        S3_ENDPOINT_URL="http://127.0.0.1:9",
    )
    assert s3.returncode == 0, s3.stderr
    assert s3.stdout.strip().splitlines()[-1] == repr(
        [
            ("default", "S3Storage", "rpjmd-kukar", "media"),
            ("private", "PrivateS3Storage", "rpjmd-kukar", "private"),
            ("pdf_parts", "S3Storage", "rpjmd-kukar", "cache/pdf"),
        ]
    )


# Outside a transaction, as `make backup` runs: on SQLite the copy waits for the test's own open
# write transaction on the shared in-memory database, for ever.
@pytest.mark.django_db(transaction=True)
def test_a_backup_says_the_files_in_the_bucket_are_not_in_it(world, settings, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path / "media"
    out = StringIO()
    call_command("backup", dest=str(tmp_path / "backups"), stdout=out)
    assert "bucket" not in out.getvalue()
    settings.S3_BUCKET = "rpjmd-kukar"
    call_command("backup", dest=str(tmp_path / "backups-2"), stdout=out)
    assert "bucket S3 'rpjmd-kukar' dan tidak masuk cadangan ini" in out.getvalue()
