"""The allow-list sanitizer (QUALITY D3): dangerous markup goes, the document's formatting stays."""

from pathlib import Path

import pytest
from lxml import html as lxml_html

from drafts.html import captions_of, sanitize, text_of

CLIPBOARD = Path(__file__).parent / "clipboard"  # what Word and Excel put on the clipboard
IMAGE = "/gambar/0f8c2b1a-1234-4abc-9def-0123456789ab/"


def elements(html):
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    return [el for el in root.iter() if el is not root]


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
        "<svg><script>alert(1)</script></svg>",
        "<style>p{color:red}</style>",
        '<link rel="stylesheet" href="https://x.example/a.css">',
        '<link rel="attachment" href="file:///etc/passwd">',
        '<iframe src="https://x.example/"></iframe>',
        '<object data="x.swf"></object>',
        '<embed src="x.swf">',
        '<meta http-equiv="refresh" content="0;url=https://x.example">',
        '<base href="https://x.example/">',
        '<form action="/keluar/"><button>x</button></form>',
        "<template><img src=x onerror=alert(1)></template>",
    ],
)
def test_dangerous_elements_are_removed_with_their_content(dangerous):
    cleaned = sanitize(f"<p>sebelum</p>{dangerous}<p>sesudah</p>")
    tags = {el.tag for el in elements(cleaned)}
    assert tags <= {"p"}, cleaned
    assert "alert" not in cleaned
    assert "sebelum" in cleaned and "sesudah" in cleaned


@pytest.mark.parametrize(
    "attribute",
    [
        'onclick="alert(1)"',
        'onmouseover="alert(1)"',
        'ONLOAD="alert(1)"',
        'hx-get="/keluar/"',
        'hx-post="/keluar/" hx-trigger="load"',
        'hx-on:click="alert(1)"',
        'data-hx-get="/keluar/"',
        'style="background:url(javascript:alert(1))"',
        'contenteditable="true"',
        'id="clobber"',
    ],
)
def test_event_handlers_htmx_and_style_attributes_are_removed(attribute):
    cleaned = sanitize(
        f"<p {attribute}>teks</p><table {attribute}><tr><td {attribute}>1</td></tr></table>"
    )
    for el in elements(cleaned):
        names = set(el.attrib) - {"id"} if el.tag == "table" else set(el.attrib)
        assert not names, (el.tag, dict(el.attrib))
    assert "alert" not in cleaned and "keluar" not in cleaned and "clobber" not in cleaned


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://x.example/a",
    ],
)
def test_links_keep_only_http_https_mailto_and_relative_urls(url):
    cleaned = sanitize(f'<p><a href="{url}">tautan</a></p>')
    assert "href" not in cleaned
    assert "tautan" in cleaned


@pytest.mark.parametrize(
    "url",
    [
        "https://bappeda.kukarkab.go.id/",
        "http://bps.go.id/a?b=1",
        "mailto:bappeda@example.go.id",
        "/rencana/1/dokumen/",
    ],
)
def test_safe_links_survive_with_noopener(url):
    cleaned = sanitize(f'<p><a href="{url}">tautan</a></p>')
    link = next(el for el in elements(cleaned) if el.tag == "a")
    assert link.get("href") == url
    assert link.get("rel") == "noopener noreferrer"


@pytest.mark.parametrize(
    "src",
    [
        "https://x.example/a.png",
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "javascript:alert(1)",
        "/gambar/../../etc/passwd/",
        "/media/drafts/images/x.png",
    ],
)
def test_images_come_only_from_this_application(src):
    cleaned = sanitize(
        f'<figure class="image"><img src="{src}" alt="x"><figcaption>Peta</figcaption></figure>'
    )
    assert "<img" not in cleaned


def test_tables_keep_captions_headers_and_merged_cells():
    source = (
        '<table border="1" style="width:100%"><caption>Jumlah Penduduk</caption>'
        '<thead><tr><th rowspan="2" scope="col">Kecamatan</th><th colspan="2">Tahun</th></tr>'
        "<tr><th>2010</th><th>2020</th></tr></thead>"
        '<tbody><tr><td>Samboja</td><td class="text-right">54.515</td>'
        '<td class="text-right">66.617</td></tr></tbody></table>'
    )
    cleaned = sanitize(source)
    table = next(el for el in elements(cleaned) if el.tag == "table")
    assert table.get("id", "").startswith("tbl-")
    assert table.find("caption").text == "Jumlah Penduduk"
    header = table.find("thead").findall("tr")[0].findall("th")
    assert header[0].get("rowspan") == "2" and header[0].get("scope") == "col"
    assert header[1].get("colspan") == "2"
    assert table.find("tbody").find("tr").findall("td")[1].get("class") == "text-right"
    assert "style" not in cleaned and "border" not in cleaned


def test_silly_spans_are_refused():
    cleaned = sanitize('<table><tr><td colspan="99999" rowspan="-1">x</td></tr></table>')
    assert "colspan" not in cleaned and "rowspan" not in cleaned


def test_figures_with_captions_footnotes_and_data_blocks_survive():
    source = (
        f'<figure class="image"><img src="{IMAGE}" alt="Peta Kukar"><figcaption>'
        "Peta wilayah</figcaption></figure>"
        '<p>Teks<span class="footnote">Sumber: BPS 2020.</span> lanjut.</p>'
        '<figure class="data-block" data-block="kecamatan" contenteditable="false">'
        "<table><tr><td>dari klien</td></tr></table></figure>"
        '<p>Lihat <a class="xref" href="#tbl-0123abcd">Tabel 2.1</a>.</p>'
    )
    cleaned = sanitize(source)
    found = {el.tag: el for el in reversed(elements(cleaned))}
    assert found["img"].get("src") == IMAGE and found["img"].get("alt") == "Peta Kukar"
    assert found["figcaption"].text == "Peta wilayah"
    footnote = next(el for el in elements(cleaned) if el.tag == "span")
    assert footnote.get("class") == "footnote" and footnote.text == "Sumber: BPS 2020."
    block = next(el for el in elements(cleaned) if el.get("data-block"))
    assert block.get("class") == "data-block" and block.get("data-block") == "kecamatan"
    assert len(block) == 0 and "dari klien" not in cleaned  # the table comes from the server
    xref = next(el for el in elements(cleaned) if el.tag == "a")
    assert xref.get("class") == "xref" and xref.get("href") == "#tbl-0123abcd"


def test_headings_lists_and_inline_formatting_survive():
    source = (
        "<h3>Subjudul</h3><h4>Lebih kecil</h4><p><strong>tebal</strong> <em>miring</em>"
        " <u>garis</u> "
        "<s>coret</s> H<sub>2</sub>O m<sup>2</sup></p><ul><li>satu</li></ul>"
        '<ol start="3"><li>tiga</li></ol>'
        "<blockquote>kutipan</blockquote>"
    )
    assert sanitize(source) == sanitize(sanitize(source))
    tags = [el.tag for el in elements(sanitize(source))]
    for tag in ["h3", "h4", "strong", "em", "u", "s", "sub", "sup", "ul", "ol", "li", "blockquote"]:
        assert tag in tags


def test_pasted_word_headings_and_bold_are_renamed_not_flattened():
    cleaned = sanitize("<h1>Judul</h1><div>baris satu</div><div>baris dua</div><b>x</b><i>y</i>")
    assert cleaned.splitlines() == [
        "<h3>Judul</h3>",
        "<p>baris satu</p>",
        "<p>baris dua</p>",
        "<p><strong>x</strong><em>y</em></p>",
    ]


WORD_CLIPBOARD = (CLIPBOARD / "word.html").read_text(encoding="utf-8")

EXCEL_CLIPBOARD = (CLIPBOARD / "excel.html").read_text(encoding="utf-8")


def test_word_clipboard_keeps_text_and_table_and_drops_office_junk():
    cleaned = sanitize(WORD_CLIPBOARD)
    assert "Kondisi jalan kabupaten" in cleaned
    assert "<table" in cleaned and "2.191" in cleaned and "<strong>Kondisi</strong>" in cleaned
    for junk in [
        "Mso",
        "mso-",
        "o:p",
        "WordDocument",
        "style",
        "lang=",
        "Generator",
        "width",
        "valign",
    ]:
        assert junk not in cleaned, junk


def test_excel_clipboard_keeps_the_table_and_drops_the_styles():
    cleaned = sanitize(EXCEL_CLIPBOARD)
    rows = [el for el in elements(cleaned) if el.tag == "tr"]
    assert [[td.text for td in row] for row in rows] == [
        ["Kecamatan", "SP2010", "SP2020"],
        ["Samboja", "54.515", "66.617"],
    ]
    for junk in ["xl65", "xl66", "mso", "<col", "x:num", "height", "style"]:
        assert junk not in cleaned, junk


def test_plain_text_becomes_paragraphs():
    assert sanitize("Satu baris\nlanjut.\n\nParagraf <kedua>") != ""
    assert sanitize("Satu baris\nlanjut.\n\nParagraf kedua & ketiga") == (
        "<p>Satu baris lanjut.</p>\n<p>Paragraf kedua &amp; ketiga</p>"
    )


def test_sanitizing_is_idempotent_and_keeps_ids():
    first = sanitize(
        "<table><caption>A</caption><tr><td>1</td></tr></table>"
        "<figure class='data-block' data-block='kecamatan'></figure>"
    )
    assert sanitize(first) == first
    assert [c["id"] for c in captions_of(first)] == [c["id"] for c in captions_of(sanitize(first))]


def test_a_copied_table_gets_a_new_id():
    once = sanitize("<table><tr><td>1</td></tr></table>")
    doubled = sanitize(once + once)
    ids = [c["id"] for c in captions_of(doubled)]
    assert len(ids) == 2 and len(set(ids)) == 2


def test_text_for_anchoring_leaves_out_footnotes_and_references():
    body = sanitize(
        '<p>Penduduk tumbuh<span class="footnote">BPS</span>'
        ' cepat, lihat <a class="xref" href="#tbl-0123abcd">Tabel 2.1</a>.</p>'
    )
    assert text_of(body) == "Penduduk tumbuh cepat, lihat ."
