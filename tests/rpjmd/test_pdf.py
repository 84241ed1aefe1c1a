"""The shared PDF renderer: our fonts embedded, and nothing fetched but our own files (F1)."""

import base64
import http.server
import io
import threading

import pytest
from pypdf import PdfReader

from rpjmd.pdf import STATIC_DIR, StaticOnlyFetcher, render_pdf_html

TINY_PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
    )
).decode()


def page(body: str) -> str:
    return (
        '<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Berita Acara</title>'
        '<meta name="author" content="Bappeda Kabupaten Kutai Kartanegara">'
        '<link rel="stylesheet" href="css/print.css"></head>'
        f"<body>{body}</body></html>"
    )


def fonts(reader: PdfReader) -> set[str]:
    names = set()
    for pdf_page in reader.pages:
        for font in (pdf_page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]))
    return names


def test_pdf_uses_the_shipped_fonts_and_keeps_indonesian_text():
    pdf = render_pdf_html(
        page(
            "<h1>Berita Acara</h1><p>Pada hari Sabtu tanggal tujuh bulan Maret "
            "tahun dua ribu dua puluh, bertempat di Hotel Astara, Balikpapan.</p>"
        )
    )
    reader = PdfReader(io.BytesIO(pdf))
    # Indonesian hyphenation is on: join words broken at the end of a line.
    text = reader.pages[0].extract_text().replace("\u2010\n", "").replace("\n", " ")
    assert "BERITA ACARA" in text
    assert "Hotel Astara, Balikpapan" in text
    assert any("Liberation-Sans" in name for name in fonts(reader))
    assert reader.metadata.title == "Berita Acara"
    assert reader.metadata.author == "Bappeda Kabupaten Kutai Kartanegara"


def test_data_urls_are_allowed():
    pdf = render_pdf_html(page(f'<p>Logo</p><img src="data:image/png;base64,{TINY_PNG}">'))
    assert b"/Subtype /Image" in pdf


@pytest.fixture
def canary():
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(base64.b64decode(TINY_PNG))

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], hits
    server.shutdown()


def test_file_and_network_urls_in_content_are_refused(canary, tmp_path):
    port, hits = canary
    secret = tmp_path / "rahasia.txt"
    secret.write_text("kata sandi basis data")
    body = f"""
      <p>Isi bab</p>
      <img src="file://{secret}">
      <img src="http://127.0.0.1:{port}/canary.png">
      <link rel="attachment" href="file://{secret}">
      <a rel="attachment" href="file://{secret}">lampiran</a>
      <div style="background: url(file://{secret}); height: 1cm"></div>
      <div style="background: url(http://127.0.0.1:{port}/bg.png); height: 1cm"></div>
      <img src="file://{STATIC_DIR}/../rpjmd/settings.py">
      <img src="ftp://127.0.0.1:{port}/x.png">
    """
    fetcher = StaticOnlyFetcher()
    pdf = render_pdf_html(page(body), fetcher=fetcher)
    assert hits == []
    assert b"/EmbeddedFile" not in pdf
    assert b"kata sandi basis data" not in pdf
    assert "Isi bab" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    refused = " ".join(fetcher.refused)
    assert str(secret) in refused and f"127.0.0.1:{port}" in refused and "settings.py" in refused


def test_static_files_outside_the_static_folder_are_refused_even_by_relative_path():
    fetcher = StaticOnlyFetcher()
    render_pdf_html(
        page('<link rel="stylesheet" href="../rpjmd/settings.py"><p>x</p>'), fetcher=fetcher
    )
    assert any("settings.py" in url for url in fetcher.refused)
