"""Figure blocks (issue 16): a data block drawn as a chart, numbered "Gambar 2.1" per chapter,
listed in the daftar gambar with its page, and the same SVG on screen and in the PDF."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from drafts import editing, export
from drafts.html import captions_of
from drafts.models import Section
from drafts.outline import create_document
from regional.models import Account, Aspect, RegionalIndicator
from tests.regional.factories import make_indicator, set_finance

REVENUE = {
    Account.PAD_TAX: {2017: 150_000_000_000, 2018: 170_000_000_000, 2019: 180_000_000_000},
    Account.TRANSFER: {2017: 3_100_000_000_000, 2018: 3_500_000_000_000, 2019: 3_900_000_000_000},
    Account.OTHER_REVENUE: {2017: 90_000_000_000, 2018: 110_000_000_000, 2019: 95_000_000_000},
}
FIGURE = '<figure class="data-block" data-block="{}"></figure>'


@pytest.fixture(autouse=True)
def pdf_settings(settings, tmp_path):
    settings.PDF_CACHE_DIR = tmp_path / "cache"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PDF_EXPORT_WORKERS = 0
    settings.PDF_EXPORT_LOWER_WORKER_PRIORITY = False
    return settings


def flat(text: str) -> str:
    # Join hyphenated line ends and lines: captions wrap.
    return re.sub(r"\s+", " ", text.replace("\u2010\n", "").replace("-\n", "-"))


def write(section: Section, body: str, by) -> None:
    section.refresh_from_db()
    editing.save_section(section_id=section.pk, body=body, base_version=section.version, by=by)


@pytest.fixture
def document(world):
    """Every section written; the first section of Bab II holds a table block and two figure
    blocks (APBD revenue and welfare indicator trends), the second a third figure."""
    set_finance(world.plan, REVENUE)
    make_indicator(
        world,
        aspect=Aspect.WELFARE,
        code=None,
        name="Indeks Pembangunan Manusia",
        unit="indeks",
        actuals={"2017": "72.75", "2018": "73.15", "2019": "73.78"},
        status=RegionalIndicator.Status.ACCEPTED,
    )
    make_indicator(
        world,
        aspect=Aspect.WELFARE,
        code=None,
        name="Persentase penduduk miskin",
        unit="persen",
        actuals={"2017": "7.41", "2018": "7.31", "2019": "7.08"},
        status=RegionalIndicator.Status.ACCEPTED,
    )
    doc = create_document(plan=world.plan, by=world.planner)
    doc.cover_date = dt.date(2020, 4, 1)
    doc.reference_date = dt.date(2020, 3, 31)
    doc.save()
    for section in Section.objects.filter(chapter__document=doc).select_related("chapter"):
        write(section, f"<p>Isi {section.title}.</p>", world.planner)
    first, second = Section.objects.filter(chapter__document=doc, chapter__order=2).order_by(
        "order"
    )[:2]
    write(
        first,
        "<p>Pendapatan daerah.</p>"
        + FIGURE.format("keuangan-pendapatan")
        + FIGURE.format("grafik-komposisi-pendapatan")
        + FIGURE.format("grafik-tren-kesejahteraan"),
        world.planner,
    )
    write(second, "<p>Belanja.</p>" + FIGURE.format("grafik-komposisi-belanja"), world.planner)
    return doc


def test_a_figure_block_is_numbered_with_the_pictures_not_the_tables(document):
    first = Section.objects.filter(chapter__document=document, chapter__order=2).order_by("order")[
        0
    ]
    kinds = [(c["kind"], c.get("block")) for c in captions_of(first.body)]
    assert kinds == [
        ("table", "keuangan-pendapatan"),
        ("figure", "grafik-komposisi-pendapatan"),
        ("figure", "grafik-tren-kesejahteraan"),
    ]


def test_the_chapter_page_shows_the_numbered_figures_as_accessible_svg(world, client_for, document):
    chapter = document.chapters.get(order=2)
    html = client_for("planner").get(f"/bab/{chapter.pk}/").text
    assert "Tabel 2.1" in html
    caption = (
        "Gambar 2.1</span> Komposisi Realisasi Pendapatan Daerah "
        f"{world.region.full_name}</figcaption>"
    )
    assert caption in html
    assert "Gambar 2.2</span> Tren Indikator Aspek Kesejahteraan Masyarakat" in html
    assert "Gambar 2.3</span> Komposisi Realisasi Belanja Daerah" in html
    svgs = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    # No spending figures yet: the third figure keeps its number and says so instead.
    assert len(svgs) == 2
    assert "Belum ada data untuk gambar ini." in html
    revenue = svgs[0]
    assert 'role="img"' in revenue
    title = re.search(r'<title id="([^"]+)">(.*?)</title>', revenue)
    assert title.group(2).startswith("Gambar 2.1 Komposisi Realisasi Pendapatan Daerah")
    assert f'aria-labelledby="{title.group(1)} ' in revenue
    # The text alternative names every figure; the picture holds bars and value labels.
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", revenue, flags=re.S).group(1)
    transfer = "Pendapatan transfer (miliar rupiah): 2017 3.100,00, 2018 3.500,00, 2019 3.900,00"
    assert transfer in desc
    assert ">3.900,00</text>" in revenue  # the 2019 transfer segment's own label
    assert ">4.175,00</text>" in revenue  # the 2019 bar's sum at its end
    assert ">Pendapatan asli daerah<" in revenue  # the legend
    assert revenue.count("<path") > 9  # 3 years × 3 groups of bars, plus axes
    # Ids are unique on the page, although every chart is drawn by the same library.
    ids = re.findall(r'\bid="([^"]+)"', " ".join(svgs))
    assert len(ids) == len(set(ids))
    trend = svgs[1]
    assert ">Indeks Pembangunan Manusia<" in trend and ">73,78<" in trend


def test_the_pdf_prints_gambar_2_1_and_lists_it_in_the_daftar_gambar_with_its_page(
    world, client_for, document
):
    result = export.build_pdf(document)
    reader = PdfReader(io.BytesIO(result.pdf))
    pages = [page.extract_text() for page in reader.pages]
    labels = reader.page_labels
    start = next(i for i, text in enumerate(pages) if "DAFTAR GAMBAR" in text)
    listing = flat(pages[start])
    assert "Tidak ada gambar" not in listing
    caption = f"Komposisi Realisasi Pendapatan Daerah {world.region.full_name}"
    entry = re.search(rf"Gambar 2\.1 {caption}\s*\.*\s*(II-\d+)", listing)
    assert entry, listing
    assert (
        "Gambar 2.2 Tren Indikator" in listing
        and "Gambar 2.3 Komposisi Realisasi Belanja" in listing
    )
    # The page the daftar gambar names shows the figure with its caption.
    page = flat(pages[labels.index(entry.group(1))])
    assert f"Gambar 2.1 {caption}" in page
    # Text in the chart stays text in the PDF, in the embedded Liberation Sans.
    assert "Pendapatan asli daerah" in page
    # The PDF draws the same SVG as the reading view.
    chapter = document.chapters.get(order=2)
    html = client_for("planner").get(f"/bab/{chapter.pk}/").text
    on_screen = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    printed = re.findall(
        r"<svg\b.*?</svg>",
        "".join(p.html for p in result.parts if p.key.startswith("bab2")),
        flags=re.S,
    )
    assert on_screen and on_screen == printed
