"""Evidence files: checked by what they contain, never by what they are called.

Allowed: PDF, XLSX, DOCX, JPG and PNG up to 10 MB. The type comes from the bytes (magic numbers;
for XLSX and DOCX the zip's structure, checked for zip bombs before anything is decompressed;
images are opened and verified with Pillow). The uploader's file name is kept only for display,
cleaned of path separators, control and bidi characters; the file is stored under a random name
(see Attachment.file). Downloads go through issues:attachment_download, which checks visibility.
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

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_NAME_LENGTH = 120
# Zip bombs: refuse before decompressing anything.
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_UNCOMPRESSED = 100 * 1024 * 1024
MAX_ZIP_RATIO = 100
MAX_IMAGE_PIXELS = 40_000_000  # e.g. 8000 × 5000: more than any phone photo or scan needs

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

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
        declared = sum(entry.file_size for entry in entries)
        compressed = sum(entry.compress_size for entry in entries) or 1
        if declared > MAX_ZIP_UNCOMPRESSED or declared / compressed > MAX_ZIP_RATIO:
            raise _refuse(
                _("“%(name)s” ditolak: isinya mengembang terlalu besar saat dibuka.")
                % {"name": name}
            )
        names = {entry.filename for entry in entries}
        if any(n.startswith(("/", "\\")) or ".." in PurePath(n).parts for n in names):
            raise _refuse(_("“%(name)s” berisi jalur berkas yang tidak sah.") % {"name": name})
        if any(entry.flag_bits & 0x1 for entry in entries):
            raise _refuse(_("“%(name)s” terkunci kata sandi.") % {"name": name})
        if "[Content_Types].xml" in names:
            if "xl/workbook.xml" in names:
                return XLSX
            if "word/document.xml" in names:
                return DOCX
    raise _refuse(
        _("“%(name)s” bukan berkas XLSX atau DOCX yang sah (arsip ZIP lain tidak diterima).")
        % {"name": name}
    )


def _check_image(data: bytes, name: str, expected: str) -> str:
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
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse(
            _("Gambar “%(name)s” rusak atau tidak dapat dibaca.") % {"name": name}
        ) from None
    if found != expected:
        raise _refuse(_("Gambar “%(name)s” rusak atau tidak dapat dibaca.") % {"name": name})
    return found


def sniff(data: bytes, name: str) -> str:
    """The content type the bytes really are, or ValidationError."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _check_image(data, name, PNG)
    if data.startswith(b"\xff\xd8\xff"):
        return _check_image(data, name, JPEG)
    if data.startswith(b"PK\x03\x04"):
        return _check_zip(data, name)
    raise _refuse(
        _("Jenis berkas “%(name)s” tidak diizinkan. Unggah PDF, XLSX, DOCX, JPG atau PNG.")
        % {"name": name}
    )


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
    content_type = sniff(data, name)
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
    return CheckedFile(name=name, content_type=content_type, size=len(data))


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
