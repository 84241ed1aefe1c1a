"""Evidence files are checked by content, stored under random names, served only to readers."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from issues.editing import add_attachments
from issues.models import Attachment, Problem
from issues.uploads import MAX_BYTES, check_upload, removing_files_on_failure, sanitize_filename
from tests.issues.factories import (
    XLSX_MAIN,
    attach,
    content_types,
    docx_bytes,
    jpeg_bytes,
    make_problem,
    pdf_bytes,
    pdf_from_objects,
    png_bytes,
    upload,
    xlsx_bytes,
    zip_bomb_xlsx,
)

S = Problem.Status


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("laporan.pdf", pdf_bytes(), "application/pdf"),
        ("foto jalan.jpg", jpeg_bytes(), "image/jpeg"),
        ("foto.JPEG", jpeg_bytes(), "image/jpeg"),
        ("peta.png", png_bytes(), "image/png"),
        (
            "data.xlsx",
            xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "kajian.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_allowed_files_are_recognised_by_their_content(name, content, expected):
    checked = check_upload(upload(name, content, "text/plain"))  # the browser's claim is ignored
    assert checked.content_type == expected and checked.size == len(checked.content)
    if not expected.startswith("image/"):
        assert checked.content == content  # stored as uploaded; pictures are re-encoded


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("laporan.pdf", b"MZ\x90\x00\x03" + b"\0" * 200, "tidak diizinkan"),  # Windows .exe
        ("laporan.pdf", b"\x7fELF\x02\x01\x01" + b"\0" * 200, "tidak diizinkan"),  # Linux binary
        ("halaman.html", b"<!doctype html><script>alert(1)</script>", "tidak diizinkan"),
        ("laporan.pdf", b"<html><body>bukan pdf</body></html>", "tidak diizinkan"),
        (
            "peta.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "tidak diizinkan",
        ),
        ("kosong.pdf", b"", "kosong"),
        ("data.xlsx", zip_bomb_xlsx(), "mengembang menjadi 30,0 MB"),
        ("arsip.xlsx", b"PK\x03\x04" + b"\0" * 64, "rusak"),
        ("foto.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "rusak"),
        ("foto.pdf", png_bytes(), "Ganti nama berkas"),  # a PNG that calls itself a PDF
    ],
    ids=[
        "exe-renamed-pdf",
        "elf-renamed-pdf",
        "html",
        "html-renamed-pdf",
        "svg",
        "empty",
        "zip-bomb-as-xlsx",
        "broken-zip",
        "broken-png",
        "png-named-pdf",
    ],
)
def test_dangerous_or_broken_files_are_refused_with_a_message(name, content, message):
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(name, content, "application/pdf"))
    assert message in refused.value.messages[0]


def test_a_plain_zip_that_is_not_an_office_file_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("virus.exe", b"MZ")
    with pytest.raises(ValidationError, match="bukan berkas XLSX atau DOCX"):
        check_upload(upload("data.xlsx", buffer.getvalue()))


def test_a_file_one_byte_over_the_limit_is_refused_and_the_limit_itself_is_fine():
    pad = MAX_BYTES - len(pdf_bytes(pad=1)) + 1
    pad -= len(pdf_bytes(pad=pad)) - MAX_BYTES  # the startxref offset grows a few digits
    at_limit = pdf_bytes(pad=pad)
    assert check_upload(upload("besar.pdf", at_limit)).size == MAX_BYTES
    with pytest.raises(ValidationError, match="melebihi batas 10 MB"):
        check_upload(upload("besar.pdf", at_limit + b"\0"))


def test_an_image_too_large_in_pixels_is_refused():
    with pytest.raises(ValidationError, match="terlalu besar"):
        check_upload(upload("flood.png", png_bytes(size=(9000, 5000))))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\staf\\Dokumen\\laporan.pdf", "laporan.pdf"),
        ("foto\u202egnp.exe.pdf", "fotognp.exe.pdf"),  # right-to-left override removed
        ("lap\x00oran\x1b.pdf", "laporan.pdf"),
        ("  .laporan  final .pdf", "laporan final.pdf"),
        ("/", "berkas"),
        ("Data Dinas Kesehatan – 2019 ✓.pdf", "Data Dinas Kesehatan – 2019 ✓.pdf"),
    ],
)
def test_file_names_are_sanitised(raw, expected):
    assert sanitize_filename(raw) == expected


def test_a_300_character_name_is_shortened_keeping_its_extension():
    name = sanitize_filename("a" * 300 + ".pdf")
    assert len(name) == 120 and name.endswith("a.pdf")


def test_odd_names_are_stored_under_random_names_and_served_back_clean(world, client_for):
    problem = make_problem(world.agency_a)
    names = ["../../rahasia/laporan.pdf", "foto\u202egnp.exe.pdf", "x" * 300 + ".pdf"]
    stored: list = []
    for name in names:
        add_attachments(
            problem=problem,
            files=[(check_upload(upload(name, pdf_bytes())), upload(name, pdf_bytes()))],
            by=world.staff_a,
            stored=stored,
        )
    client = client_for("opd")
    for attachment in Attachment.objects.all():
        assert attachment.file.name.startswith("attachments/")
        assert len(attachment.file.name) == len("attachments/") + 32 + len(".pdf")
        assert "/" not in attachment.original_name and "\u202e" not in attachment.original_name
        response = client.get(f"/lampiran/{attachment.pk}/unduh/")
        assert response.status_code == 200
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment; ") and "filename*=UTF-8''" in disposition
        assert "/" not in disposition.split("filename*=")[0] and "\u202e" not in disposition
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == pdf_bytes()


def test_private_files_are_not_under_media_url(world, settings):
    problem = make_problem(world.agency_a)
    attach(problem, "a.pdf", by=world.staff_a)
    attachment = Attachment.objects.get()
    assert str(settings.MEDIA_ROOT / "private") in attachment.file.path
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 - there is no public URL


def test_a_failed_transaction_leaves_no_row_and_no_file(world, private_media):
    problem = make_problem(world.agency_a)
    files = [
        (check_upload(upload(f"{n}.pdf", pdf_bytes())), upload(f"{n}.pdf", pdf_bytes()))
        for n in range(2)
    ]
    with pytest.raises(RuntimeError), removing_files_on_failure() as stored, transaction.atomic():
        add_attachments(problem=problem, files=files, by=world.staff_a, stored=stored)
        assert len(list(private_media.iterdir())) == 2  # written...
        raise RuntimeError("disk full after the second file")
    assert not Attachment.objects.exists()
    assert list(private_media.iterdir()) == []  # ...and removed again


def test_downloads_of_another_agencys_draft_are_404_and_change_nothing(world, client_for):
    draft = make_problem(world.agency_a)
    attach(draft, "a.pdf", by=world.staff_a)
    attachment = Attachment.objects.get()
    for role in ("opd_b", "planner", "leader", "resource_person", "other_planner", "other_staff"):
        assert client_for(role).get(f"/lampiran/{attachment.pk}/unduh/").status_code == 404, role
        assert client_for(role).post(f"/lampiran/{attachment.pk}/hapus/").status_code == 404, role
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert client_for("opd").get(f"/lampiran/{attachment.pk}/unduh/").status_code == 200


def test_a_merged_duplicates_evidence_stays_reachable_from_the_original(world, client_for):
    from issues import review

    original = make_problem(world.agency_a, status=S.SUBMITTED)
    copy = make_problem(world.agency_b, status=S.SUBMITTED)
    attach(copy, "bukti-dinkes.pdf", by=world.staff_b)
    review.mark_duplicate(problem=copy, original=original, by=world.planner)
    attachment = Attachment.objects.get()
    staff_a = client_for("opd")
    assert "bukti-dinkes.pdf" in staff_a.get(f"/permasalahan/{original.pk}/").text
    assert staff_a.get(f"/lampiran/{attachment.pk}/unduh/").status_code == 200
    assert (
        staff_a.get(f"/permasalahan/{copy.pk}/").status_code == 404
    )  # the copy itself stays theirs


# --- Hostile files of every kind the audit found accepted (issue 13) -------------------------


def refused(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as error:
        check_upload(upload(name, content))
    return error.value.messages[0]


def zip_of(members: dict[str, bytes | str], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return buffer.getvalue()


def xlsx_with(extra: dict[str, bytes | str]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes())) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    return zip_of(members | extra)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (pdf_from_objects([], head=b"<html><body><script>alert(1)</script>\n"), "kode HTML"),
        (pdf_bytes(extra=b"/OpenAction<</S/JavaScript/JS(app.alert(1))>>"), "konten aktif"),
        # The same, with the names spelt in #xx escapes that a byte search would miss.
        (pdf_bytes(extra=b"/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>"), "konten aktif"),
        (pdf_bytes(extra=b"/OpenAction<</S/Launch/F(cmd.exe)>>"), "konten aktif"),
        (pdf_bytes(extra=b"/Names<</EmbeddedFiles<</Names[]>>>>"), "konten aktif"),
        (pdf_bytes(extra=b"/AA<</WC<</S/GoTo/D[3 0 R/Fit]>>>>"), "konten aktif"),
        (pdf_bytes()[:-40], "rusak"),  # no cross-reference table: a viewer would repair it
    ],
    ids=[
        "pdf-html-polyglot",
        "pdf-openaction-js",
        "pdf-escaped-js",
        "pdf-launch",
        "pdf-embedded-file",
        "pdf-additional-actions",
        "pdf-unparseable",
    ],
)
def test_pdfs_with_active_content_or_html_are_refused(content, message):
    assert message in refused("laporan.pdf", content)


@pytest.mark.parametrize("kind", ["javascript", "attachment"])
def test_pdfs_made_by_a_library_with_javascript_or_an_attached_file_are_refused(kind):
    from pypdf import PdfWriter
    from pypdf.actions import JavaScript

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    if kind == "javascript":
        writer.add_open_action(JavaScript("app.launchURL('http://127.0.0.1:9/', true);"))
    else:
        writer.add_attachment("setup.exe", b"MZ\x90\x00")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "konten aktif" in refused("laporan.pdf", buffer.getvalue())


def test_a_pdf_that_opens_at_its_first_page_is_fine():
    content = pdf_bytes(extra=b"/OpenAction[3 0 R/Fit]")
    assert check_upload(upload("laporan.pdf", content)).content == content


def png_with_text(key: str, text: str, size=(4, 3)) -> bytes:
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text(key, text)
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 79, 138)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def test_images_with_html_inside_are_refused():
    assert "kode HTML" in refused("peta.png", png_with_text("Comment", "<html><script>x</script>"))
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "JPEG", comment=b"<script>alert(1)</script>")
    assert "kode HTML" in refused("foto.jpg", buffer.getvalue())


def test_pictures_are_stored_re_encoded_without_metadata_or_trailing_bytes():
    import random

    from PIL import Image

    noisy = Image.frombytes("RGB", (64, 64), random.Random(1).randbytes(64 * 64 * 3))
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "Lokasi rahasia -0.45,117.1"
    noisy.save(buffer, "PNG", exif=exif)
    # Past the first kilobytes, where only a re-encoding removes it.
    content = buffer.getvalue() + b"<html><script>alert(1)</script></html>"
    assert len(content) > 8192
    checked = check_upload(upload("peta.png", content))
    assert b"Lokasi rahasia" not in checked.content and b"<script" not in checked.content
    with Image.open(io.BytesIO(checked.content)) as stored:
        assert stored.size == (64, 64) and stored.tobytes() == noisy.tobytes()  # same pixels


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (xlsx_with({"xl/media/setup.exe": b"MZ\x90\x00" + b"\0" * 64}), "berkas program"),
        (xlsx_with({"xl/media/image1.png": b"MZ\x90\x00" + b"\0" * 64}), "berkas program"),
        (xlsx_with({"xl/media/run.sh": b"echo"}), "berkas program"),
        (xlsx_with({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), "makro"),
        (
            zip_of(
                {
                    "[Content_Types].xml": content_types(XLSX_MAIN, "/xl/workbook.xml"),
                    "xl/workbook.xml": "ini bukan xml",
                }
            ),
            "tidak dapat dibuka sebagai lembar kerja",
        ),
        (
            zip_of({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}),
            "jenis isinya tidak dikenali",
        ),
    ],
    ids=[
        "exe-member",
        "exe-disguised-as-png",
        "script-member",
        "macro",
        "not-a-workbook",
        "no-content-type",
    ],
)
def test_office_files_are_opened_as_what_they_claim_to_be(content, message):
    assert message in refused("data.xlsx", content)


def test_a_docx_with_a_program_inside_or_without_its_document_is_refused():
    good = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    members = {info.filename: good.read(info) for info in good.infolist()}
    assert "berkas program" in refused(
        "kajian.docx", zip_of(members | {"word/embeddings/setup.exe": b"MZ"})
    )
    without = zip_of({"[Content_Types].xml": members["[Content_Types].xml"]})
    assert "bukan berkas XLSX atau DOCX" in refused("kajian.docx", without)


def test_one_part_expanding_too_far_is_refused_even_when_the_whole_file_is_not():
    import random

    content = xlsx_with(
        {
            "xl/media/foto.bin": random.Random(2).randbytes(300_000),  # incompressible
            "xl/worksheets/sheet9.xml": b" " * (3 * 1024 * 1024),  # 3 MB from ~3 KB
        }
    )
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        entries = archive.infolist()
    assert sum(e.file_size for e in entries) / sum(e.compress_size for e in entries) < 100
    message = refused("data.xlsx", content)
    assert "xl/worksheets/sheet9.xml" in message and "mengembang" in message


def test_stored_evidence_is_readable_by_the_owner_only(world):
    import os
    import stat

    problem = make_problem(world.agency_a)
    attachment = attach(problem, "a.pdf", by=world.staff_a)
    assert stat.S_IMODE(os.stat(attachment.file.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(attachment.file.path)).st_mode) == 0o700


def test_checks_wait_for_a_free_slot_and_then_say_the_server_is_busy(settings, monkeypatch):
    from rpjmd import heavy

    settings.HEAVY_WORK_SLOTS = 1
    monkeypatch.setattr(heavy, "UPLOAD_WAIT_SECONDS", 0.2)
    with heavy.slot(None):
        assert "Server sedang memproses" in refused("laporan.pdf", pdf_bytes())
    assert check_upload(upload("laporan.pdf", pdf_bytes())).content_type == "application/pdf"


def test_evidence_gone_from_the_disk_is_a_404_with_no_cache(world, client_for):
    problem = make_problem(world.agency_a)
    attach(problem, "bukti.pdf", by=world.staff_a)
    attachment = Attachment.objects.get()
    client = client_for("opd")
    response = client.get(f"/lampiran/{attachment.pk}/unduh/")
    assert response["Cache-Control"] == "private, no-store"
    assert response.getvalue().startswith(b"%PDF")  # read whole, as a browser would
    attachment.file.storage.delete(attachment.file.name)
    assert client.get(f"/lampiran/{attachment.pk}/unduh/").status_code == 404
