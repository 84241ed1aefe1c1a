"""Problems for tests: each factory makes one valid object with Kutai Kartanegara defaults."""

from __future__ import annotations

import io
import itertools
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from issues.models import CoreProblem, Indicator, Problem, RootCause, Transition
from rpjmd.models import Affair, Agency, District, Plan, Stage

_seq = itertools.count(1)


def affair(code: str = "1.01", name: str = "Pendidikan") -> Affair:
    found, _ = Affair.objects.get_or_create(
        code=code,
        defaults={
            "group_code": code.split(".")[0],
            "group_name": "Urusan Pemerintahan Wajib yang Berkaitan dengan Pelayanan Dasar",
            "name": name,
            "nomenclature": f"URUSAN PEMERINTAHAN BIDANG {name.upper()}",
            "kind": "wajib pelayanan dasar",
        },
    )
    return found


def district(region, name: str = "Tenggarong") -> District:
    found, _ = District.objects.get_or_create(region=region, name=name)
    return found


def make_problem(
    agency: Agency,
    *,
    plan: Plan | None = None,
    status: str = Problem.Status.DRAFT,
    statement: str | None = None,
    core: str = "Belum meratanya akses pendidikan",
    causes: tuple[str, ...] = ("Jarak ke sekolah jauh",),
    districts: tuple[str, ...] = ("Tenggarong",),
    by=None,
    **fields,
) -> Problem:
    """A problem in the given status (with the transitions that got it there)."""
    plan = plan or Plan.objects.filter(region=agency.region).order_by("pk").first()
    n = next(_seq)
    core_problem, _ = CoreProblem.objects.get_or_create(plan=plan, agency=agency, text=core)
    problem = Problem.objects.create(
        plan=plan,
        agency=agency,
        stage=plan.stage_of_kind(Stage.Kind.IDENTIFICATION),
        affair=fields.pop("affair", None) or affair(),
        core_problem=core_problem,
        statement=statement or f"Angka putus sekolah SMP tinggi di pedalaman ({n})",
        whole_region=not districts,
        **fields,
    )
    problem.districts.set([district(agency.region, name) for name in districts])
    for order, text in enumerate(causes, start=1):
        RootCause.objects.create(problem=problem, order=order, text=text)
    path = {
        Problem.Status.DRAFT: [],
        Problem.Status.SUBMITTED: ["submitted"],
        Problem.Status.ACCEPTED: ["submitted", "accepted"],
        Problem.Status.RETURNED: ["submitted", "returned"],
    }[status]
    previous = Problem.Status.DRAFT
    for step in path:
        Transition.objects.create(problem=problem, from_status=previous, to_status=step, by=by)
        previous = step
    if status != Problem.Status.DRAFT:
        problem.status = status
        problem.submitted_at = timezone.now()
        if status == Problem.Status.RETURNED:
            problem.reviewer_note = "Lengkapi data per kecamatan."
        problem.save()
    problem.update_search_text()
    return problem


def attach(problem: Problem, name: str = "bukti.pdf", content: bytes | None = None, *, by=None):
    """Store one evidence file on a problem, checked as an upload would be."""
    from issues.editing import add_attachments
    from issues.uploads import check_upload

    content = pdf_bytes() if content is None else content
    (attachment,) = add_attachments(
        problem=problem,
        files=[(check_upload(upload(name, content)), upload(name, content))],
        by=by,
        stored=[],
    )
    return attachment


def make_potential(plan: Plan, *, agency: Agency | None = None, by=None, **fields):
    """A potensi of the plan (an agency's, or with agency=None a narasumber's)."""
    from issues.models import Potential

    defaults = {
        "kind": Potential.Kind.STRENGTH,
        "affair": fields.pop("affair", None) or affair(),
        "title": "Sekolah lapangan petani di setiap kecamatan",
        "description": "Jaringan sekolah lapangan yang sudah berjalan sejak 2017.",
        "source": "Kukar Dalam Angka 2020",
    }
    return Potential.objects.create(plan=plan, agency=agency, created_by=by, **(defaults | fields))


def make_indicator(problem: Problem, **fields) -> Indicator:
    defaults = {
        "name": "Rata-rata lama sekolah",
        "unit": "tahun",
        "values": {"2017": "8.9", "2018": "9.0", "2019": "9.1"},
        "comparison_value": "9.7",
        "comparison_kind": Indicator.ComparisonKind.PROVINCIAL,
        "source": "BPS Kabupaten Kutai Kartanegara",
    }
    indicator = Indicator.objects.create(problem=problem, **(defaults | fields))
    problem.update_search_text()
    return indicator


# --- Files for the upload checks --------------------------------------------------------------


def pdf_bytes(text: str = "Laporan capaian", *, extra: bytes = b"", pad: int = 0) -> bytes:
    """A small valid PDF (with its cross-reference table); `extra` goes into the catalog,
    `pad` adds a comment of that many bytes before the objects."""
    body = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    return pdf_from_objects(
        [
            b"<</Type/Catalog/Pages 2 0 R" + extra + b">>",
            b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>",
            f"<</Length {len(body)}>>stream\n".encode() + body + b"\nendstream",
        ],
        pad=pad,
    )


def pdf_from_objects(objects: list[bytes], *, head: bytes = b"", pad: int = 0) -> bytes:
    """Objects 1..n written with a correct xref table, so that pypdf reads them as a viewer
    would; object 1 is the catalog."""
    out = b"%PDF-1.4\n" + head
    if pad:
        out += b"%" + b"x" * pad + b"\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj".encode() + obj + b"endobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer<</Size {len(objects) + 1}/Root 1 0 R>>\n".encode()
    return out + f"startxref\n{xref}\n%%EOF\n".encode()


def png_bytes(size=(4, 3)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 79, 138)).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 120, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "Data capaian"
    workbook.save(buffer)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types(DOCX_MAIN, "/word/document.xml"))
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def content_types(main: str, part: str) -> str:
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="{part}" ContentType="{main}"/></Types>'
    )


def zip_bomb_xlsx() -> bytes:
    """A valid-looking XLSX whose one part expands from ~30 KB to 30 MB (ratio ~1000:1)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
