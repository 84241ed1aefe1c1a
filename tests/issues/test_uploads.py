"""Evidence files are checked by content, stored under random names, served only to readers."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from issues.editing import add_attachments
from issues.models import Attachment, Problem
from issues.uploads import MAX_BYTES, check_upload, removing_files_on_failure, sanitize_filename
from tests.issues.factories import (
    attach,
    docx_bytes,
    jpeg_bytes,
    make_problem,
    pdf_bytes,
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
    assert checked.content_type == expected and checked.size == len(content)


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
        ("data.xlsx", zip_bomb_xlsx(), "mengembang terlalu besar"),
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
    at_limit = pdf_bytes() + b"\0" * (MAX_BYTES - len(pdf_bytes()))
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


def test_evidence_gone_from_the_disk_is_a_404_with_no_cache(world, client_for):
    problem = make_problem(world.agency_a)
    attach(problem, "bukti.pdf", by=world.staff_a)
    attachment = Attachment.objects.get()
    client = client_for("opd")
    response = client.get(f"/lampiran/{attachment.pk}/unduh/")
    assert response["Cache-Control"] == "private, no-store"
    response.close()
    attachment.file.storage.delete(attachment.file.name)
    assert client.get(f"/lampiran/{attachment.pk}/unduh/").status_code == 404
