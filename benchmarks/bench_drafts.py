"""Drafts (issue 6): opening a section editor, comparing two versions, saving.

A nine-chapter document of about 250 pages of text (about 125,000 words) with 60 tables, and
300 versions of every section. Budget: each under 200 ms server-side at the median (full Django
stack through the test client, PostgreSQL, DEBUG off).

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch db> make bench BENCH=drafts
"""

from __future__ import annotations

import random
import time

from benchmarks.common import fresh_database, measure, report, setup_django

PAGES = 250
WORDS_PER_PAGE = 500
TABLES = 60
VERSIONS = 300
WORDS = [
    "pembangunan",
    "daerah",
    "kabupaten",
    "kecamatan",
    "desa",
    "penduduk",
    "pendidikan",
    "kesehatan",
    "infrastruktur",
    "jalan",
    "jembatan",
    "sungai",
    "mahakam",
    "pertanian",
    "perkebunan",
    "perikanan",
    "pariwisata",
    "ekonomi",
    "pertumbuhan",
    "kemiskinan",
    "pengangguran",
    "indeks",
    "layanan",
    "masyarakat",
    "program",
    "kegiatan",
    "capaian",
    "target",
    "indikator",
    "tahun",
    "data",
    "anggaran",
    "pendapatan",
    "belanja",
    "daerah",
    "wilayah",
    "kawasan",
    "lingkungan",
    "hidup",
    "banjir",
    "stunting",
    "sekolah",
    "guru",
    "puskesmas",
    "air",
    "minum",
    "sanitasi",
    "listrik",
    "investasi",
    "usaha",
    "kecil",
    "menengah",
    "tenaga",
    "kerja",
    "transmigrasi",
    "perdesaan",
    "perkotaan",
    "strategis",
    "prioritas",
]


def paragraph(rng: random.Random, words: int) -> str:
    sentence = " ".join(rng.choice(WORDS) for _ in range(words))
    return f"<p>{sentence.capitalize()}.</p>"


def table(rng: random.Random, number: int) -> str:
    rows = "".join(
        "<tr>"
        + f"<td>{rng.choice(WORDS).capitalize()}</td>"
        + "".join(
            f'<td class="text-right">{rng.randint(10, 99999):,}</td>'.replace(",", ".")
            for _ in range(4)
        )
        + "</tr>"
        for _ in range(10)
    )
    return (
        f'<table><caption>Tabel uji {number}</caption><thead><tr><th rowspan="2">Uraian</th>'
        '<th colspan="4">Tahun</th></tr><tr><th>2016</th><th>2017</th><th>2018</th><th>2019</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def build() -> dict:
    """The document, its 300 versions per section (written straight into the history table)."""
    from django.utils import timezone

    from drafts.html import captions_of, sanitize, word_count
    from drafts.models import Section
    from drafts.outline import create_document
    from rpjmd.demo import load_plan, load_users
    from rpjmd.models import Region
    from rpjmd.reference import KUKAR_CODE, load_reference

    load_reference()
    region = Region.objects.get(code=KUKAR_CODE)
    plan = load_plan(region)
    users = {u.username: u for u in load_users(region)}
    planner = users["perencana"]
    document = create_document(plan=plan, by=planner)
    sections = list(
        Section.objects.filter(chapter__document=document).order_by("chapter__order", "order")
    )
    rng = random.Random(2020)
    words_each = PAGES * WORDS_PER_PAGE // len(sections)
    tables_left = TABLES
    History = Section.history.model
    started = time.perf_counter()
    base_now = timezone.now()
    for index, section in enumerate(sections):
        # Tables, captions and revisions add words of their own: 80% goes to paragraphs.
        paragraphs = [paragraph(rng, 60) for _ in range(words_each * 4 // 5 // 60)]
        tables_here = TABLES // len(sections) + (1 if index < TABLES % len(sections) else 0)
        tables_left -= tables_here
        for t in range(tables_here):
            paragraphs.insert(
                (t + 1) * len(paragraphs) // (tables_here + 1), table(rng, index * 10 + t)
            )
        if index % 7 == 0:
            paragraphs.insert(
                2, '<figure class="data-block" data-block="perangkat-daerah"></figure>'
            )
        body = sanitize("".join(paragraphs))
        blocks = body.split("\n")
        text_blocks = [i for i, b in enumerate(blocks) if b.startswith("<p>")]
        rows = []
        for version in range(1, VERSIONS + 1):
            # Each version adds a few words to one paragraph: by version 300 every paragraph has
            # been touched several times, so distant versions differ in many places.
            target = text_blocks[(version * 7) % len(text_blocks)]
            blocks[target] = blocks[target][: -len("</p>")] + f" revisi {version}</p>"
            text = "\n".join(blocks)
            rows.append(
                History(
                    id=section.pk,
                    chapter_id=section.chapter_id,
                    order=section.order,
                    depth=section.depth,
                    title=section.title,
                    hint=section.hint,
                    body=text,
                    status="draft",
                    version=version,
                    captions=[],
                    word_count=0,
                    updated_at=base_now,
                    updated_by_id=planner.pk,
                    history_date=base_now,
                    history_type="~",
                    history_user_id=planner.pk,
                    history_change_reason=f"Revisi {version}",
                )
            )
        History.objects.bulk_create(rows, batch_size=100)
        section.body = text
        section.version = VERSIONS
        section.captions = captions_of(text)
        section.word_count = word_count(text)
        section.status = "draft"
        section.save_without_historical_record()
    total_words = sum(Section.objects.values_list("word_count", flat=True))
    print(
        f"built: {len(sections)} sections, {total_words:,} words "
        f"(~{total_words / WORDS_PER_PAGE:.0f} pages), "
        f"{TABLES - tables_left} tables, {History.objects.count():,} history rows "
        f"in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    return {"planner": planner, "sections": sections}


def main() -> None:
    fresh_database()
    setup_django()
    from django.test import Client

    from drafts.models import Section
    from tests.factories import sign_in

    data = build()
    client = Client(SERVER_NAME="127.0.0.1")
    sign_in(client, data["planner"])
    # The heaviest section: the most tables and a data block.
    section = max(
        Section.objects.filter(pk__in=[s.pk for s in data["sections"]]),
        key=lambda s: (len(s.captions), len(s.body)),
    )
    print(
        f"section measured: “{section.title}”, {len(section.body):,} characters, "
        f"{len(section.captions)} tables",
        flush=True,
    )

    def open_editor():
        response = client.get(f"/bagian/{section.pk}/ubah/")
        assert response.status_code == 200, response.status_code

    def compare_far():
        response = client.get(f"/bagian/{section.pk}/bandingkan/?a=150&b=300")
        assert response.status_code == 200, response.status_code

    def compare_next():
        response = client.get(f"/bagian/{section.pk}/bandingkan/?a=299&b=300")
        assert response.status_code == 200, response.status_code

    report("open the section editor", measure(open_editor), budget_median_ms=200)
    report("compare versions 150 and 300", measure(compare_far), budget_median_ms=200)
    report("compare versions 299 and 300", measure(compare_next), budget_median_ms=200)

    counter = iter(range(1_000_000))

    def save_direct():
        section.refresh_from_db(fields=["body", "version"])
        body = section.body.replace("revisi", f"revisi-{next(counter)}", 1)
        response = client.post(
            f"/bagian/{section.pk}/ubah/", {"body": body, "base_version": section.version}
        )
        assert response.status_code == 302, response.status_code

    def save_with_merge():
        # Saved on top of a version two saves old: the server merges (no overlap).
        section.refresh_from_db(fields=["body", "version"])
        old = (
            Section.history.filter(id=section.pk, version=section.version - 2)
            .values_list("body", flat=True)
            .first()
        )
        n = next(counter)
        # Each time another paragraph, away from what the saves in between changed.
        blocks = old.split("\n")
        paragraphs = [i for i, b in enumerate(blocks) if b.startswith("<p>")]
        target = paragraphs[-1 - (n * 3) % (len(paragraphs) - 2)]
        blocks[target] = blocks[target][: -len("</p>")] + f" tambahan-{n}</p>"
        body = "\n".join(blocks)
        response = client.post(
            f"/bagian/{section.pk}/ubah/", {"body": body, "base_version": section.version - 2}
        )
        assert response.status_code == 302, response.status_code

    report("save a version", measure(save_direct), budget_median_ms=200)
    report("save from an older version (merge)", measure(save_with_merge), budget_median_ms=200)
    response = client.get(f"/bagian/{section.pk}/versi/")
    assert response.status_code == 200
    report(
        "version list (300+ versions)",
        measure(lambda: client.get(f"/bagian/{section.pk}/versi/"), runs=10),
    )
    report("read a chapter", measure(lambda: client.get(f"/bab/{section.chapter_id}/"), runs=10))


if __name__ == "__main__":
    main()
