"""PDF rendering shared by every document the workbench issues (berita acara, the RPJMD).

One renderer, one print stylesheet (`static/css/print.css`) and the fonts shipped with the
project (`static/fonts/liberation/`, metric-compatible with Arial and Times New Roman), so a PDF
looks the same on every machine.

The renderer reaches nothing but the project's own static files and `data:` URLs: content
written by users may contain `file:` or network URLs, and following them would leak local files
into the PDF or make the server call out (SSRF). Images that live in the app's storage must be
turned into `data:` URLs by the caller before rendering.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

STATIC_DIR = Path(settings.BASE_DIR) / "static"


class StaticOnlyFetcher(URLFetcher):
    """Serve `data:` URLs and files inside the static folder; refuse everything else."""

    def __init__(self, static_dir: Path = STATIC_DIR):
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self.static_dir = static_dir.resolve()
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file:"):
            path = Path(unquote(urlsplit(url).path)).resolve()
            if path.is_file() and path.is_relative_to(self.static_dir):
                mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime_type})
        self.refused.append(url[:200])
        logger.warning("PDF renderer refused to fetch %s", url[:200])
        raise ValueError("only the project's static files and data: URLs may be fetched")


def render_pdf_html(html: str, *, fetcher: StaticOnlyFetcher | None = None, **options) -> bytes:
    """Render a complete HTML document (with `lang`, `<title>` and `<meta name=author>`, which
    become the PDF's language and metadata) to PDF bytes. Relative URLs resolve against the
    static folder, so `css/print.css` and `fonts/...` work from any template."""
    document = weasyprint.HTML(
        string=html,
        base_url=f"{STATIC_DIR.as_uri()}/",
        url_fetcher=fetcher or StaticOnlyFetcher(),
    )
    return document.write_pdf(**options)


def render_pdf(template_name: str, context: dict, **options) -> bytes:
    return render_pdf_html(render_to_string(template_name, context), **options)
