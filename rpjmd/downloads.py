"""One way to hand a file to the browser: evidence, exports, PDFs and spreadsheets alike."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def content_disposition(name: str, *, inline: bool = False) -> str:
    """attachment (or inline), with an ASCII fallback and the exact UTF-8 name (RFC 6266 and
    RFC 5987): old clients read `filename`, every current browser `filename*`."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in name
    )
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def download(
    source: FieldFile | bytes | str,
    name: str,
    content_type: str,
    *,
    inline: bool = False,
    max_age: int = 0,
) -> FileResponse:
    """A FileResponse for a stored file (a 404 when it is gone from the disk) or for content
    made on the spot.

    Everything the app hands out is unpublished planning material or personal data (evidence,
    attendance lists, drafts): no cache may keep it, the browser may not guess another type
    than the one checked on upload, and a file opened at its address runs no script.
    `inline` shows it in the browser instead (a chapter preview, a picture in a section);
    `max_age` lets the user's own browser keep it that many seconds (pictures the editor shows
    again and again)."""
    if isinstance(source, FieldFile):
        if not source:
            raise Http404
        try:
            handle = source.open("rb")
        except OSError as error:  # gone from the disk (FileNotFoundError), or unreadable
            raise Http404 from error
    else:
        handle = io.BytesIO(source.encode() if isinstance(source, str) else source)
    response = FileResponse(
        handle, as_attachment=not inline, filename=name, content_type=content_type
    )
    response["Content-Disposition"] = content_disposition(name, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = f"private, max-age={max_age}" if max_age else "private, no-store"
    if not inline:
        # (a PDF viewer refuses to show a sandboxed document, so not on inline previews)
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
