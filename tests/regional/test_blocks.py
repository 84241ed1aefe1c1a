"""The Bab II–IV data blocks: rows computed from known data, rendered with caption and source."""

from decimal import Decimal

from drafts.blocks import REGISTRY, as_cell, kinds_for, render_table
from regional import finance
from regional.models import Aspect, FinanceSettings
from tests.regional.factories import make_indicator, set_finance
from tests.xss import XSS_PAYLOADS, assert_no_injection

M = 1_000_000


def texts(table):
    return [[as_cell(c).text for c in row] for row in table.rows]


def test_the_new_blocks_are_registered_for_the_editor(world):
    keys = {k.key for k in kinds_for(world.plan)}
    assert {
        "capaian-geografi",
        "capaian-kesejahteraan",
        "capaian-pelayanan-umum",
        "capaian-daya-saing",
        "capaian-urusan",
        "keuangan-pendapatan",
        "keuangan-belanja",
        "keuangan-proporsi-belanja",
        "keuangan-proyeksi-pendapatan",
        "keuangan-kapasitas-riil",
        "keuangan-kerangka-pendanaan",
        "isu-strategis-telaahan",
        "isu-strategis-kriteria",
        "isu-strategis-matriks",
    } <= keys


def test_capaian_per_urusan_shows_target_realisasi_and_capaian_of_accepted_rows(world):
    make_indicator(world, status="accepted", source="Dapodik (ilustrasi)")
    make_indicator(world, status="submitted", name="Belum ditinjau")
    make_indicator(
        world,
        status="accepted",
        name="Angka kematian bayi",
        code="1.02",
        affair_name="Kesehatan",
        unit="per 1.000 kelahiran hidup",
        polarity="down",
        actuals={"2019": "9"},
        targets={"2019": "10"},
        source="Dinkes",
    )
    table = REGISTRY["capaian-urusan"].build(world.plan)
    top, years = table.header
    assert [c.text for c in top] == [
        "No.",
        "Indikator",
        "Satuan",
        "Target",
        "Realisasi",
        "Capaian (%)",
    ]
    assert top[3].colspan == 2 and top[0].rowspan == 2
    assert [c.text for c in years] == ["2018", "2019"] * 3  # years without figures left out
    assert texts(table) == [
        ["1.01 Pendidikan"],
        # One number of decimals per row, as typed at most; capaian always with two.
        ["1", "Angka partisipasi murni SMP", "persen", "75,0", "80,0", "70,5", "72,0"]
        + ["94,00", "90,00"],
        ["1.02 Kesehatan"],
        ["2", "Angka kematian bayi", "per 1.000 kelahiran hidup", "–", "10", "–", "9", "–"]
        + ["110,00"],
    ]
    assert table.rows[0][0].colspan == 9
    assert table.source == "Dapodik (ilustrasi); Dinkes"  # each source once
    html = render_table(table, number="Tabel 2.10")
    assert "Tabel 2.10" in html and "Capaian Kinerja Penyelenggaraan Urusan" in html
    assert table.caption.endswith("Tahun 2018–2019")  # the years shown
    assert "Sumber: Dapodik (ilustrasi); Dinkes" in html and "(2 − realisasi" in html
    one = REGISTRY["capaian-urusan"].build(world.plan, "urusan=1.02")
    assert [r[0] for r in texts(one)] == ["1.02 Kesehatan", "1"]


def test_capaian_per_aspect_keeps_its_aspect(world):
    make_indicator(
        world,
        status="accepted",
        aspect=Aspect.WELFARE,
        code="",
        name=XSS_PAYLOADS[0],
        actuals={"2017": "72.75", "2019": "73.78"},
        targets={},
        source="BPS",
    )
    make_indicator(world, status="accepted")  # pelayanan umum: not here
    table = REGISTRY["capaian-kesejahteraan"].build(world.plan)
    assert "Aspek Kesejahteraan Masyarakat" in table.caption
    assert texts(table) == [["1", XSS_PAYLOADS[0], "persen", "–", "–", "72,75", "73,78", "–", "–"]]
    assert_no_injection(render_table(table), "in the capaian block")


def _finance(world, rate=None):
    set_finance(
        world.plan,
        {
            "4.1.01": {2017: 100 * M, 2018: 110 * M, 2019: 121 * M},
            "4.2": {2017: 1000 * M, 2018: 900 * M, 2019: 990 * M},
            "5.1": {2018: 500 * M, 2019: 600 * M},
            "5.2": {2018: 500 * M, 2019: 300 * M},
            "5.3": {2019: 10 * M},
            "5.4": {2019: 90 * M},
            "6.1": {2018: 50 * M, 2019: 150 * M},
            "6.2": {2019: 20 * M},
        },
    )
    FinanceSettings.objects.update_or_create(
        plan=world.plan,
        defaults={"source": "LRA 2017–2019 (angka ilustrasi)", "projection_rate": rate},
    )


def test_average_growth_is_the_mean_of_yearly_growth():
    assert finance.average_growth([Decimal(100), Decimal(110), Decimal(121)]) == Decimal("10.00")
    assert finance.average_growth([None, Decimal(100), None, Decimal(50)]) is None
    assert finance.average_growth([Decimal(0), Decimal(10), Decimal(5)]) == Decimal("-50.00")


def test_revenue_and_spending_growth_tables(world):
    _finance(world)
    revenue = REGISTRY["keuangan-pendapatan"].build(world.plan)
    assert [c.text for c in revenue.header[1]] == ["2017", "2018", "2019"]
    rows = texts(revenue)
    assert rows[0] == ["1", "Pendapatan asli daerah", "100,00", "110,00", "121,00", "10,00"]
    assert rows[1] == ["1.1", "Pajak daerah", "100,00", "110,00", "121,00", "10,00"]
    assert rows[2] == ["1.2", "Retribusi daerah", "–", "–", "–", "–"]
    assert rows[5] == ["2", "Pendapatan transfer", "1.000,00", "900,00", "990,00", "0,00"]
    # (1010 − 1100) / 1100 = −8,18 %; (1111 − 1010) / 1010 = 10 %; mean 0,91 %.
    assert rows[-1] == ["", "Jumlah pendapatan daerah", "1.100,00", "1.010,00", "1.111,00", "0,91"]
    html = render_table(revenue)
    assert "Rata-rata Pertumbuhan Realisasi Pendapatan Daerah" in html
    assert "Sumber: LRA 2017–2019 (angka ilustrasi)" in html
    spending = texts(REGISTRY["keuangan-belanja"].build(world.plan))
    assert spending[0] == ["1", "Belanja operasi", "–", "500,00", "600,00", "20,00"]
    assert spending[-1] == ["", "Jumlah belanja daerah", "–", "1.000,00", "1.000,00", "0,00"]


def test_spending_proportions(world):
    _finance(world)
    rows = texts(REGISTRY["keuangan-proporsi-belanja"].build(world.plan))
    # columns: 2017 (no spending), 2018, 2019, average
    assert rows[0] == ["1", "Belanja operasi", "–", "50,00", "60,00", "55,00"]
    assert rows[1] == ["2", "Belanja modal", "–", "50,00", "30,00", "40,00"]
    assert rows[2] == ["3", "Belanja tidak terduga", "–", "–", "1,00", "1,00"]
    assert rows[3] == ["4", "Belanja transfer", "–", "–", "9,00", "9,00"]
    assert rows[4] == ["", "Jumlah belanja daerah", "–", "100", "100", "100"]


def test_revenue_projection_at_the_planners_rate_says_so(world):
    _finance(world, rate=Decimal("5"))
    table = REGISTRY["keuangan-proyeksi-pendapatan"].build(world.plan)
    top, years = table.header
    assert top[2].text == "Realisasi 2019 (juta rupiah)"
    assert [c.text for c in years] == [str(y) for y in range(2021, 2027)]
    rows = texts(table)
    tax = rows[1]
    # 121 × 1,05² = 133,4025 in 2021; 121 × 1,05³ = 140,0726 in 2022
    assert tax[:5] == ["1.1", "Pajak daerah", "121,00", "133,40", "140,07"] and tax[-1] == "5,00"
    total = rows[-1]
    assert total[:4] == ["", "Jumlah pendapatan daerah", "1.111,00", "1.224,88"]
    assert "laju 5% per tahun yang ditetapkan perencana" in table.note
    assert "Catatan: Proyeksi memakai laju 5%" in render_table(table)


def test_revenue_projection_at_average_growth(world):
    _finance(world)
    table = REGISTRY["keuangan-proyeksi-pendapatan"].build(world.plan)
    rows = texts(table)
    assert rows[1][3] == "146,41"  # 121 × 1,10²
    assert rows[5][3] == "990,00" and rows[5][-1] == "0,00"  # transfer: no growth on average
    assert "rata-rata pertumbuhan realisasi tiap akun" in table.note


def test_real_capacity_and_funding_framework(world):
    _finance(world, rate=Decimal("5"))
    rows = texts(REGISTRY["keuangan-kapasitas-riil"].build(world.plan))
    assert rows[0][2] == "1.224,88"  # projected revenue 2021
    assert rows[1][2] == "100,00"  # penerimaan pembiayaan: mean of 50 and 150
    assert rows[2][2] == "1.324,88"
    assert rows[3][2] == "20,00"
    assert rows[4][:3] == ["", "Kapasitas riil kemampuan keuangan daerah", "1.304,88"]
    framework = texts(REGISTRY["keuangan-kerangka-pendanaan"].build(world.plan))
    assert framework[1][2] == "864,00"  # belanja operasi 600 × 1,2²
    assert framework[2][2] == "100,00"  # tidak terduga 10 + transfer 90, no growth history
    assert framework[3][2] == "340,88"  # 1.304,8775 − 864 − 100


def test_strategic_issue_review_criteria_and_scoring_matrix(world):
    from issues.models import Alignment
    from tests.issues.strategic_factories import (
        make_criteria,
        make_issue,
        make_rater,
        open_results,
        score_all,
    )

    issue = make_issue(world.plan, "Ketimpangan akses pendidikan")
    other = make_issue(world.plan, "Banjir")
    Alignment.objects.create(issue=issue, source="international", note="Revolusi industri 4.0")
    Alignment.objects.create(issue=issue, source="sdg", note="TPB 4 pendidikan berkualitas")
    Alignment.objects.create(issue=issue, source="klhs", note="Daya dukung air")
    Alignment.objects.create(issue=other, source="rtrw", note="Kawasan rawan banjir Mahakam")
    review = REGISTRY["isu-strategis-telaahan"].build(world.plan)
    assert [str(c) for c in review.header[0]][2:] == [
        "Dinamika internasional (termasuk TPB/SDGs)",
        "Isu nasional (RPJMN)",
        "RPJMD provinsi",
        "KLHS",
        "RTRW",
    ]
    assert texts(review) == [
        [
            "1",
            "Ketimpangan akses pendidikan",
            "Revolusi industri 4.0; TPB 4 pendidikan berkualitas",
            "–",
            "–",
            "Daya dukung air",
            "–",
        ],
        ["2", "Banjir", "–", "–", "–", "–", "Kawasan rawan banjir Mahakam"],
    ]
    assert "Sumber" in render_table(review)

    make_criteria(world.plan)
    criteria = REGISTRY["isu-strategis-kriteria"].build(world.plan)
    assert texts(criteria) == [
        ["1", "Kriteria 1", "60"],
        ["2", "Kriteria 2", "40"],
        ["", "Jumlah", "100"],
    ]

    score_all(make_rater(world.plan, world.planner), {issue: [5, 4], other: [2, 3]})
    hidden = REGISTRY["isu-strategis-matriks"].build(world.plan)
    assert hidden.rows == [] and "setelah perencana membuka" in hidden.note
    open_results(world.plan)
    matrix = REGISTRY["isu-strategis-matriks"].build(world.plan)
    assert [str(c) for c in matrix.header[0]] == [
        "No.",
        "Isu strategis",
        "Penilai",
        "Kriteria 1 (60%)",
        "Kriteria 2 (40%)",
        "Nilai tertimbang",
    ]
    planner = str(world.planner)
    assert texts(matrix) == [
        ["1", "Ketimpangan akses pendidikan", planner, "5", "4", "4,60"],
        ["2", "Banjir", planner, "2", "3", "2,40"],
    ]
    assert "Matriks Penilaian" in render_table(matrix)


def test_an_aspect_table_is_captioned_as_a_title_and_keeps_a_rows_decimals(world):
    make_indicator(
        world,
        status="accepted",
        name="Laju pertumbuhan penduduk",
        aspect=Aspect.GEOGRAPHY,
        code=None,
        unit="persen per tahun",
        polarity="down",
        actuals={"2018": "0.65", "2019": "0.63"},
        targets={"2018": "0.7", "2019": "0.64"},
    )
    table = REGISTRY["capaian-geografi"].build(world.plan)
    assert table.caption.startswith("Capaian Kinerja Aspek Geografi dan Demografi ")
    assert texts(table)[-1][3:] == ["0,70", "0,64", "0,65", "0,63", "107,14", "101,56"]
