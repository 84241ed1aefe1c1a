"""Evidence files: checked by what they contain, never by what they are called.

Allowed: PDF, XLSX, DOCX, JPG and PNG up to 10 MB. The type comes from the bytes (magic numbers),
and then each kind is opened as what it claims to be:
- PDF: parsed with pypdf; refused when it carries active content (JavaScript, launch actions,
  embedded files, additional actions) or cannot be parsed at all (a viewer would repair it).
- XLSX/DOCX: the zip is checked for bombs from its central directory (whole and per part)
  before anything is decompressed; it must declare the OOXML main content type, an XLSX must
  open with openpyxl, a DOCX must hold word/document.xml; macros and program files inside
  (any member named or starting like an executable) are refused.
- JPG/PNG: opened with Pillow (at most 40 megapixels) and re-encoded: what is stored are the
  pixels only, without metadata or anything hidden around them (`CheckedFile.content`).
- Any file whose first kilobytes contain HTML markup (`<html`, `<script`...) is refused: a
  browser that sniffs would render it as a page.
The uploader's file name is kept only for display, cleaned of path separators, control and bidi
characters; the file is stored under a random name (see Attachment.file), with mode 0600.
Downloads go through issues:attachment_download, which checks visibility.
"""

from __future__ import annotations

import contextlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath

from defusedxml import ElementTree
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from rpjmd import heavy

MAX_BYTES = 10 * 1024 * 1024
MAX_NAME_LENGTH = 120
# Zip bombs: refuse before decompressing anything.
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_UNCOMPRESSED = 100 * 1024 * 1024
MAX_ZIP_RATIO = 100
# Per part, for parts big enough to matter: one 90 MB sheet inside a 1 MB file is refused even
# when the whole archive stays under the limits above.
MAX_PART_RATIO = 100
PART_RATIO_FROM = 1024 * 1024
MAX_MANIFEST_BYTES = 1024 * 1024  # [Content_Types].xml and the workbook part, parsed here
HTML_SNIFF_BYTES = 8192
HTML_MARKERS = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|frameset|object|embed|svg|meta|link|"
    rb"style|img|form)(?=[\s/>])",
    re.IGNORECASE,
)
# Names and leading bytes of programs; a member like these makes the whole file refused.
EXECUTABLE_SUFFIXES = (
    ".exe",
    ".dll",
    ".com",
    ".scr",
    ".pif",
    ".msi",
    ".bat",
    ".cmd",
    ".ps1",
    ".vbs",
    ".vbe",
    ".js",
    ".jse",
    ".wsf",
    ".hta",
    ".jar",
    ".sh",
    ".elf",
    ".so",
    ".dylib",
    ".lnk",
    ".cpl",
)
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")
# PDF dictionary keys and action types that run something when the file is opened or clicked.
PDF_ACTIVE_KEYS = {
    "/JS",
    "/JavaScript",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/AA",
    "/RichMedia",
    "/XFA",  # XML forms carry their own scripts
}
PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute", "/GoToE"}
MAX_PDF_NODES = 500_000
# Modes a PNG is written back in unchanged (16-bit grey too: converting it would clip it).
PNG_MODES = ("RGB", "RGBA", "L", "LA", "P", "1", "I;16")
PDF_CONTAINERS = (ArrayObject, DictionaryObject, IndirectObject)
MAX_IMAGE_PIXELS = 40_000_000  # e.g. 8000 × 5000: more than any phone photo or scan needs

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The content type the main part must declare in [Content_Types].xml (macro-enabled ones differ).
MAIN_PART_TYPES = {XLSX: XLSX + ".main+xml", DOCX: DOCX + ".main+xml"}

EXTENSIONS = {
    PDF: (".pdf",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
    XLSX: (".xlsx",),
    DOCX: (".docx",),
}
LABELS = {PDF: "PDF", PNG: "PNG", JPEG: "JPG", XLSX: "XLSX", DOCX: "DOCX"}


@dataclass(frozen=True)
class CheckedFile:
    name: str  # sanitised, for display and the download's file name
    content_type: str
    size: int
    content: bytes = b""  # what to store: the upload's bytes, or the re-encoded picture


def sanitize_filename(name: str, *, fallback: str = "berkas") -> str:
    """A file name safe to show and to send back: no folders, no control or bidi characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    # Cc: control characters; Cf: format characters such as U+202E (right-to-left override),
    # which make "gpj.exe" look like "exe.jpg"; Zl/Zp: line breaks.
    name = "".join(
        " " if ch.isspace() else ch
        for ch in name
        if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn")
        or ch.isspace()
    )
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    suffix = suffix[:10]
    room = MAX_NAME_LENGTH - (len(suffix) + 1 if suffix else 0)
    stem = stem[:room].rstrip(" .")
    if not stem:
        stem = fallback
    return f"{stem}.{suffix}" if suffix else stem


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_upload")


def _check_zip(data: bytes, name: str) -> str:
    """XLSX or DOCX by structure; refuses zip bombs from the central directory alone."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise _refuse(_("“%(name)s” rusak atau bukan dokumen Office.") % {"name": name}) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise _refuse(_("“%(name)s” berisi terlalu banyak bagian.") % {"name": name})
        check_zip_sizes(entries, name, max_total=MAX_ZIP_UNCOMPRESSED)
        names = {entry.filename for entry in entries}
        if any(n.startswith(("/", "\\")) or ".." in PurePath(n).parts for n in names):
            raise _refuse(_("“%(name)s” berisi jalur berkas yang tidak sah.") % {"name": name})
        if any(entry.flag_bits & 0x1 for entry in entries):
            raise _refuse(_("“%(name)s” terkunci kata sandi.") % {"name": name})
        if "[Content_Types].xml" in names:
            if "xl/workbook.xml" in names:
                kind = XLSX
            elif "word/document.xml" in names:
                kind = DOCX
            else:
                kind = None
            if kind:
                _check_office_members(archive, entries, name)
                _check_content_types(archive, kind, name)
                if kind == XLSX:
                    _open_workbook(data, name)
                return kind
    raise _refuse(
        _("“%(name)s” bukan berkas XLSX atau DOCX yang sah (arsip ZIP lain tidak diterima).")
        % {"name": name}
    )


def check_zip_sizes(entries: list[zipfile.ZipInfo], name: str, *, max_total: int, max_part=None):
    """Refuse, before decompressing anything, an archive or one of its parts that would expand
    too far. zipfile never returns more than a part's declared size (and checks its CRC), so
    the declared sizes bound what any reader gets out of it."""
    # Parts first: a message that names the part tells the user what to look at.
    for entry in entries:
        too_big = max_part is not None and entry.file_size > max_part
        ratio = entry.file_size / (entry.compress_size or 1)
        if too_big or (entry.file_size > PART_RATIO_FROM and ratio > MAX_PART_RATIO):
            raise _refuse(
                _(
                    "“%(name)s” ditolak: bagian “%(part)s” mengembang menjadi %(size)s MB saat "
                    "dibuka (rasio %(ratio)s:1). Simpan ulang berkas dari Excel tanpa data "
                    "tersembunyi."
                )
                % {
                    "name": name,
                    "part": entry.filename[:80],
                    "size": f"{entry.file_size / 1024 / 1024:.1f}".replace(".", ","),
                    "ratio": int(ratio),
                }
            )
    declared = sum(entry.file_size for entry in entries)
    compressed = sum(entry.compress_size for entry in entries) or 1
    if declared > max_total or declared / compressed > MAX_ZIP_RATIO:
        raise _refuse(
            _("“%(name)s” ditolak: isinya mengembang terlalu besar saat dibuka.") % {"name": name}
        )


def _check_office_members(archive: zipfile.ZipFile, entries: list, name: str) -> None:
    for entry in entries:
        lower = entry.filename.lower()
        if lower.endswith("vbaproject.bin"):
            raise _refuse(
                _("“%(name)s” berisi makro. Simpan sebagai XLSX/DOCX biasa tanpa makro.")
                % {"name": name}
            )
        executable = lower.endswith(EXECUTABLE_SUFFIXES)
        if not executable and entry.file_size and not entry.is_dir():
            try:
                with archive.open(entry) as member:
                    executable = member.read(4).startswith(EXECUTABLE_MAGIC)
            except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, ValueError):
                raise _refuse(
                    _("“%(name)s” rusak atau bukan dokumen Office.") % {"name": name}
                ) from None
        if executable:
            raise _refuse(
                _("“%(name)s” ditolak: berisi berkas program (“%(member)s”).")
                % {"name": name, "member": entry.filename[-80:]}
            )


def _check_content_types(archive: zipfile.ZipFile, kind: str, name: str) -> None:
    """The main part must be declared as a plain workbook or document (not macro-enabled)."""

    refused = _refuse(
        _("“%(name)s” bukan berkas %(kind)s yang sah: jenis isinya tidak dikenali.")
        % {"name": name, "kind": LABELS[kind]}
    )
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > MAX_MANIFEST_BYTES:
        raise refused
    try:
        root = ElementTree.fromstring(archive.read(info))
    except Exception:  # defusedxml refuses entities and DTDs; broken XML is just as unusable
        raise refused from None
    declared = {
        element.get("ContentType", "")
        for element in root
        if element.tag.endswith(("}Override", "Override"))
    }
    if "macroEnabled" in " ".join(declared):
        raise _refuse(
            _("“%(name)s” berisi makro. Simpan sebagai XLSX/DOCX biasa tanpa makro.")
            % {"name": name}
        )
    if MAIN_PART_TYPES[kind] not in declared:
        raise refused


def _open_workbook(data: bytes, name: str) -> None:
    """Open the workbook with openpyxl as far as its sheet list: the package manifest and the
    workbook part, not the (possibly large) shared strings and sheets."""

    try:
        reader = ExcelReader(io.BytesIO(data), read_only=True)
        with reader.archive:
            if reader.archive.getinfo("xl/workbook.xml").file_size > MAX_MANIFEST_BYTES:
                raise ValueError
            reader.read_manifest()
            reader.read_workbook()
            sheets = list(reader.parser.find_sheets())
    except Exception:  # openpyxl raises many types for a broken file; all mean "unreadable"
        sheets = []
    if not sheets:
        raise _refuse(
            _("“%(name)s” tidak dapat dibuka sebagai lembar kerja Excel.") % {"name": name}
        )


def _reencode_image(data: bytes, name: str, expected: str) -> tuple[str, bytes]:
    """The picture's pixels in a fresh file: no EXIF (location), comments, text chunks, ICC
    profile or bytes appended after the image survive."""
    broken = _refuse(_("Gambar “%(name)s” rusak atau tidak dapat dibaca.") % {"name": name})
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise _refuse(
                    _("Gambar “%(name)s” terlalu besar (%(w)s × %(h)s piksel).")
                    % {"name": name, "w": width, "h": height}
                )
            found = {"PNG": PNG, "JPEG": JPEG}.get(image.format or "")
            image.verify()
        if found != expected:
            raise broken
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            picture = ImageOps.exif_transpose(image)  # keep the orientation the EXIF gave
            out = io.BytesIO()
            if found == JPEG:
                picture = picture.convert("L" if picture.mode == "L" else "RGB")
                picture.info = {}
                picture.save(out, "JPEG", quality=90, optimize=True)
            else:
                if picture.mode not in PNG_MODES:
                    picture = picture.convert("RGBA")
                picture.info = {}
                picture.save(out, "PNG", optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise broken from None
    return found, out.getvalue()


def _check_pdf(data: bytes, name: str) -> None:
    """Refuse a PDF that can run something: JavaScript (also as /OpenAction), launch actions,
    embedded files, additional actions. Every object reachable from the trailer is visited,
    including those inside compressed object streams; names spelt with #xx escapes are decoded
    by pypdf. A PDF pypdf cannot read is refused: viewers repair such files and would run what
    a broken cross-reference table hides."""
    active = _refuse(
        _(
            "PDF “%(name)s” ditolak: berisi konten aktif (JavaScript, tindakan otomatis atau "
            "berkas tersemat). Cetak ulang ke PDF biasa (Print to PDF), lalu unggah lagi."
        )
        % {"name": name}
    )
    broken = _refuse(_("PDF “%(name)s” rusak atau tidak dapat dibaca.") % {"name": name})
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _refuse(_("PDF “%(name)s” terkunci kata sandi.") % {"name": name})
        stack: list = [reader.trailer]
        seen: set = set()
        nodes = 0
        while stack:
            node = stack.pop()
            if isinstance(node, IndirectObject):
                key = (node.idnum, node.generation)
                if key in seen:
                    continue
                seen.add(key)
                node = node.get_object()
            nodes += 1
            if nodes > MAX_PDF_NODES:
                raise broken
            if isinstance(node, DictionaryObject):
                if PDF_ACTIVE_KEYS.intersection(node.keys()):
                    raise active
                action, kind = _resolved(node.get("/S")), _resolved(node.get("/Type"))
                if action in PDF_ACTIVE_ACTIONS or kind == "/EmbeddedFile":
                    raise active
                stack.extend(v for v in node.values() if isinstance(v, PDF_CONTAINERS))
            elif isinstance(node, ArrayObject):
                stack.extend(v for v in node if isinstance(v, PDF_CONTAINERS))
    except ValidationError:
        raise
    except Exception:  # pypdf raises many types for a broken file; all mean "unreadable"
        raise broken from None


def _resolved(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _refuse_html(data: bytes, name: str) -> None:
    if HTML_MARKERS.search(data[:HTML_SNIFF_BYTES]):
        raise _refuse(
            _(
                "“%(name)s” ditolak: awal berkas berisi kode HTML/skrip, bukan dokumen atau "
                "gambar biasa."
            )
            % {"name": name}
        )


def sniff(data: bytes, name: str) -> str:
    """The content type the bytes really are, or ValidationError. Office files are opened and
    checked here; PDFs and pictures by _inspect."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _check_zip(data, name)
    raise _refuse(
        _("Jenis berkas “%(name)s” tidak diizinkan. Unggah PDF, XLSX, DOCX, JPG atau PNG.")
        % {"name": name}
    )


def _inspect(data: bytes, name: str) -> tuple[str, bytes]:
    """Type and the bytes to store, after opening the file as what it claims to be."""
    content_type = sniff(data, name)
    _refuse_html(data, name)
    if content_type == PDF:
        _check_pdf(data, name)
    elif content_type in (PNG, JPEG):
        return _reencode_image(data, name, content_type)
    return content_type, data


def check_upload(upload: UploadedFile, *, allowed: tuple[str, ...] | None = None) -> CheckedFile:
    """Check one uploaded file; raise ValidationError with an Indonesian message if refused."""
    name = sanitize_filename(upload.name or "")
    size = upload.size or 0
    if size == 0:
        raise _refuse(_("Berkas “%(name)s” kosong.") % {"name": name})
    if size > MAX_BYTES:
        raise _refuse(
            _("Berkas “%(name)s” melebihi batas 10 MB (%(size)s MB).")
            % {"name": name, "size": f"{size / 1024 / 1024:.1f}".replace(".", ",")}
        )
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    upload.seek(0)
    if len(data) > MAX_BYTES:  # the declared size lied
        raise _refuse(_("Berkas “%(name)s” melebihi batas 10 MB.") % {"name": name})
    try:
        # Parsing a PDF or re-encoding a picture takes a core for a while: a few at a time on
        # the whole site; the others wait their turn for a moment (heavy.py).
        with heavy.slot(None, wait=heavy.UPLOAD_WAIT_SECONDS):
            content_type, content = _inspect(data, name)
    except heavy.Busy:
        raise _refuse(heavy.busy_message()) from None
    if allowed is not None and content_type not in allowed:
        raise _refuse(
            _("“%(name)s” adalah %(kind)s; yang diminta: %(allowed)s.")
            % {
                "name": name,
                "kind": LABELS[content_type],
                "allowed": ", ".join(LABELS[a] for a in allowed),
            }
        )
    suffix = PurePath(name).suffix.lower()
    if suffix not in EXTENSIONS[content_type]:
        raise _refuse(
            _(
                "“%(name)s” berisi %(kind)s tetapi berakhiran “%(suffix)s”. "
                "Ganti nama berkas sesuai isinya."
            )
            % {"name": name, "kind": LABELS[content_type], "suffix": suffix or "-"}
        )
    return CheckedFile(name=name, content_type=content_type, size=len(content), content=content)


@contextlib.contextmanager
def removing_files_on_failure() -> Iterator[list]:
    """Collect the files a block stores; delete them again if the block fails.

    Wrap it around the transaction.atomic() that creates the Attachment rows: a failed upload
    leaves no row (the transaction rolls back) and no file (this), so the private folder never
    holds orphans. Files are stored last, after every check has passed.
    """
    stored: list = []  # FieldFile objects saved to storage
    try:
        yield stored
    except BaseException:
        for field_file in stored:
            with contextlib.suppress(OSError):
                field_file.storage.delete(field_file.name)
        raise
