"""Evaluasi capaian RPJMD periode lalu: capaian and kategori per polarity, OPD entry and planner
review, the Excel import, the data block, and the problem citing a missed target."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from drafts.blocks import REGISTRY, as_cell, render_table
from issues.models import Problem
from regional.models import (
    Aspect,
    Category,
    RegionalIndicator,
    achievement_category,
    evaluation_years,
)
from regional.spreadsheets import HEADER_ROW, indicator_columns
from tests.issues.factories import affair, make_problem, upload
from tests.regional.factories import make_indicator

S = RegionalIndicator.Status
EVALUATION = RegionalIndicator.Series.EVALUATION
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def evaluation(world, **fields):
    return make_indicator(world, series=EVALUATION, **fields)


@pytest.mark.parametrize(
    ("capaian", "category"),
    [
        ("150", Category.VERY_HIGH),  # above target stays "sangat tinggi"
        ("91", Category.VERY_HIGH),
        ("90.99", Category.HIGH),
        ("76", Category.HIGH),
        ("75.99", Category.MEDIUM),
        ("66", Category.MEDIUM),
        ("65.99", Category.LOW),
        ("51", Category.LOW),
        ("50.99", Category.VERY_LOW),
        ("50", Category.VERY_LOW),
        ("0", Category.VERY_LOW),
    ],
)
def test_the_category_follows_the_permendagri_86_thresholds_at_their_edges(capaian, category):
    assert achievement_category(Decimal(capaian)) == category


def test_no_capaian_has_no_category():
    assert achievement_category(None) is None


def test_capaian_and_category_per_polarity(world):
    # Naik baik: realisasi ÷ target. 45,5 of 50 is 91 %: the lowest "sangat tinggi".
    up = evaluation(world, actuals={"2019": "45.5"}, targets={"2019": "50"})
    assert up.achievement(2019) == Decimal("91.00") and up.category(2019) == Category.VERY_HIGH
    # Turun baik: (2 − realisasi ÷ target). Stunting 30,4 against 22: 61,82 % → rendah.
    down = evaluation(
        world,
        name="Prevalensi balita stunting",
        polarity="down",
        actuals={"2019": "30.4"},
        targets={"2019": "22"},
    )
    assert down.achievement(2019) == Decimal("61.82") and down.category(2019) == Category.LOW
    # Turun baik: 11,2 against 10 is (2 − 1,12) = 88 % → tinggi, although the figure "grew".
    edge = evaluation(
        world,
        name="Angka kematian bayi",
        polarity="down",
        actuals={"2019": "11.2"},
        targets={"2019": "10"},
    )
    assert edge.achievement(2019) == Decimal("88.00") and edge.category(2019) == Category.HIGH
    # Turun baik at half the target: 150 % → still sangat tinggi.
    better = evaluation(
        world, name="Kemiskinan", polarity="down", actuals={"2019": "5"}, targets={"2019": "10"}
    )
    assert better.category(2019) == Category.VERY_HIGH
    years = evaluation_years(world.plan)
    assert years == [2016, 2017, 2018, 2019, 2020, 2021]  # RPJMD 2016–2021 for a 2021 plan
    assert down.missed(years) and not better.missed(years)


def test_the_previous_period_is_the_plans_choice_when_it_names_one(world):
    world.plan.previous_start_year, world.plan.previous_end_year = 2015, 2020
    world.plan.save()
    assert evaluation_years(world.plan) == list(range(2015, 2021))


def _form(**overrides):
    data = {
        "aspect": Aspect.SERVICES,
        "affair": affair("1.01", "Pendidikan").pk,
        "name": "APM SMP",
        "unit": "persen",
        "polarity": "up",
        "order": "1",
        "source": "RPJMD 2016–2021; realisasi: Dapodik",
        "target_2016": "74",
        "actual_2016": "71,2",
        "target_2019": "83",
        "actual_2019": "73,1",
    }
    return data | overrides


def test_opd_staff_enter_an_evaluation_row_of_their_urusan_which_waits_for_review(
    world, client_for
):
    world.agency_a.affairs.add(affair("1.01", "Pendidikan"))
    client = client_for("opd")
    form = client.get(f"/rencana/{world.plan.pk}/evaluasi-rpjmd/baru/")
    assert "target_2021" in form.context["form"].fields  # the years of RPJMD 2016–2021
    response = client.post(f"/rencana/{world.plan.pk}/evaluasi-rpjmd/baru/", _form())
    assert response.status_code == 302
    assert response["Location"] == f"/rencana/{world.plan.pk}/evaluasi-rpjmd/"
    row = RegionalIndicator.objects.get(name="APM SMP")
    assert (row.series, row.status, row.created_by) == (EVALUATION, S.SUBMITTED, world.staff_a)
    assert row.actuals == {"2016": "71.2", "2019": "73.1"}
    assert row.history.count() == 1
    listing = client.get(f"/rencana/{world.plan.pk}/evaluasi-rpjmd/")
    (item,) = listing.context["items"]
    assert (item["year"], item["achievement"]) == (2019, Decimal("88.07"))
    assert item["category"] == Category.HIGH
    assert "Tinggi" in listing.text
    # The evaluation does not leak into the gambaran umum list (and the other way round).
    assert "APM SMP" not in client.get(f"/rencana/{world.plan.pk}/data-daerah/").text


def test_opd_staff_cannot_enter_another_agencys_urusan_or_review(world, client_for):
    health = affair("1.02", "Kesehatan")
    world.agency_b.affairs.add(health)
    world.agency_a.affairs.add(affair("1.01", "Pendidikan"))
    response = client_for("opd").post(
        f"/rencana/{world.plan.pk}/evaluasi-rpjmd/baru/", _form(affair=health.pk)
    )
    assert response.status_code == 200 and "affair" in response.context["form"].errors
    assert response.context["form"]["name"].value() == "APM SMP"  # what was typed stays
    assert not RegionalIndicator.objects.exists()
    row = evaluation(world)
    assert client_for("opd_b").post(f"/indikator-daerah/{row.pk}/ubah/", _form()).status_code == 403
    review = f"/indikator-daerah/{row.pk}/tinjau/"
    assert client_for("opd").post(review, {"action": "accept"}).status_code == 403
    assert client_for("leader").post(review, {"action": "accept"}).status_code == 403
    assert client_for("other_planner").post(review, {"action": "accept"}).status_code == 404
    assert (
        client_for("resource_person").get(f"/rencana/{world.plan.pk}/evaluasi-rpjmd/baru/")
    ).status_code == 403
    row.refresh_from_db()
    assert row.status == S.SUBMITTED


def test_a_planner_reviews_and_the_accepted_row_is_frozen_for_the_agency(world, client_for):
    row = evaluation(world)
    planner = client_for("planner")
    response = planner.post(f"/indikator-daerah/{row.pk}/tinjau/", {"action": "accept"})
    assert response["Location"] == f"/rencana/{world.plan.pk}/evaluasi-rpjmd/"
    row.refresh_from_db()
    assert row.status == S.ACCEPTED
    assert client_for("opd").get(f"/indikator-daerah/{row.pk}/ubah/").status_code == 403
    detail = client_for("opd").get(f"/indikator-daerah/{row.pk}/")
    assert detail.status_code == 200 and "Evaluasi RPJMD periode lalu" in detail.text
    years = [y for y, *_rest in detail.context["years"]]
    assert years == list(range(2016, 2022))


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == XLSX_TYPE
    return load_workbook(io.BytesIO(response.getvalue()))


def fill(world, workbook, rows: list[dict]) -> bytes:
    sheet = workbook["Indikator"]
    keys = [key for key, _label in indicator_columns(world.plan, EVALUATION)]
    for offset, values in enumerate(rows, start=1):
        for key, value in values.items():
            sheet.cell(row=HEADER_ROW + offset, column=keys.index(key) + 1, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def good_row(**overrides):
    return {
        "aspect": "Aspek pelayanan umum",
        "affair": "1.01 Pendidikan",
        "name": "Angka partisipasi murni SMP",
        "unit": "persen",
        "polarity": "Naik baik",
        "target_2018": 80,
        "actual_2018": "72,6",
        "target_2019": 83,
        "actual_2019": 73.1,
        "source": "RPJMD 2016–2021 (ilustrasi)",
    } | overrides


def test_opd_staff_import_the_evaluation_from_its_excel_template(world, client_for):
    world.agency_a.affairs.add(affair("1.01", "Pendidikan"))
    make_indicator(world, name="Angka partisipasi murni SMP")  # same name, other series
    client = client_for("opd")
    base = f"/rencana/{world.plan.pk}/evaluasi-rpjmd/"
    workbook = download(client, base + "templat.xlsx")
    header = [c.value for c in workbook["Indikator"][HEADER_ROW]]
    assert "Target 2021" in header and "Realisasi 2016" in header
    assert "Evaluasi Capaian Indikator RPJMD 2016–2021" in workbook["Indikator"]["A1"].value
    content = fill(world, workbook, [good_row(), good_row(name="APK SMP", polarity="Turun baik")])
    response = client.post(base + "impor/", {"file": upload("evaluasi.xlsx", content)})
    assert response.status_code == 302 and response["Location"] == base
    rows = {r.name: r for r in RegionalIndicator.objects.evaluations()}
    assert set(rows) == {"Angka partisipasi murni SMP", "APK SMP"}
    assert rows["Angka partisipasi murni SMP"].actuals == {"2018": "72.6", "2019": "73.1"}
    assert rows["APK SMP"].polarity == "down"
    assert RegionalIndicator.objects.conditions().count() == 1  # the other series untouched
    # The template comes back with the evaluation rows only; importing it again updates them.
    again = download(client, base + "templat.xlsx")
    names = {again["Indikator"].cell(row=HEADER_ROW + n, column=3).value for n in (1, 2, 3)}
    assert names == {"Angka partisipasi murni SMP", "APK SMP", None}


def test_a_wrong_evaluation_row_is_reported_by_row_and_column_and_nothing_is_saved(
    world, client_for
):
    world.agency_a.affairs.add(affair("1.01", "Pendidikan"))
    affair("1.02", "Kesehatan")
    client = client_for("opd")
    base = f"/rencana/{world.plan.pk}/evaluasi-rpjmd/"
    content = fill(
        world,
        download(client, base + "templat.xlsx"),
        [
            good_row(name="Baris baik"),
            good_row(target_2019="delapan puluh", polarity="Kadang"),
            good_row(affair="1.02 Kesehatan", name="Bukan urusannya"),
            good_row(name="Baris baik"),
        ],
    )
    response = client.post(base + "impor/", {"file": upload("evaluasi.xlsx", content)})
    assert response.status_code == 200
    errors = {(e.row, e.column): e.message for e in response.context["errors"]}
    first = HEADER_ROW + 2
    assert errors[(first, "Target 2019")] == "harus berupa angka."
    assert "Naik baik" in errors[(first, "Polaritas")]
    assert "perangkat daerah Anda" in errors[(first + 1, "Bidang urusan")]
    assert errors[(first + 2, "Indikator")] == f"sama dengan baris {first - 1}."
    assert not RegionalIndicator.objects.exists()  # all rows or none
    assert "tidak ada yang diimpor" in response.text
    fake = client.post(base + "impor/", {"file": upload("evaluasi.xlsx", b"%PDF-1.4 bukan")})
    assert fake.context["errors"] and not RegionalIndicator.objects.exists()


def test_the_data_block_tables_accepted_rows_with_capaian_and_category(world):
    evaluation(
        world,
        status="accepted",
        name="Angka partisipasi murni SMP",
        actuals={"2018": "72.6", "2019": "73.1"},
        targets={"2018": "80", "2019": "83"},
        source="RPJMD 2016–2021; target dan realisasi: ilustrasi",
    )
    evaluation(world, status="submitted", name="Belum ditinjau")
    make_indicator(world, status="accepted", name="Gambaran umum saja")
    evaluation(
        world,
        status="accepted",
        name="Prevalensi balita stunting",
        code="1.02",
        affair_name="Kesehatan",
        polarity="down",
        actuals={"2019": "30.4"},
        targets={"2019": "22"},
        source="Dinkes (ilustrasi)",
    )
    table = REGISTRY["evaluasi-rpjmd-lalu"].build(world.plan)
    top, years = table.header
    assert [as_cell(c).text for c in top][-1] == "Kategori capaian"
    assert [c.text for c in years] == ["2018", "2019"] * 3  # only years with figures
    rows = [[as_cell(c).text for c in row] for row in table.rows]
    assert rows == [
        ["1.01 Pendidikan"],
        ["1", "Angka partisipasi murni SMP", "persen", "80,0", "83,0", "72,6", "73,1", "90,75"]
        + ["88,07", "Tinggi"],
        ["1.02 Kesehatan"],
        ["2", "Prevalensi balita stunting", "persen", "–", "22,0", "–", "30,4", "–", "61,82"]
        + ["Rendah"],
    ]
    assert table.caption.startswith("Evaluasi Capaian Indikator Kinerja RPJMD")
    assert "2016–2021" in table.caption and table.caption.endswith("(Tahun 2018–2019)")
    assert table.source == "RPJMD 2016–2021; target dan realisasi: ilustrasi; Dinkes (ilustrasi)"
    html = render_table(table, number="Tabel 4.1")
    assert "Sumber: RPJMD 2016–2021; target dan realisasi: ilustrasi" in html
    assert "sangat tinggi ≥ 91" in html and "(2 − realisasi" in html
    assert "Gambaran umum saja" not in html and "Belum ditinjau" not in html


def test_a_problem_cites_a_missed_target_and_its_page_shows_it(world, client_for):
    world.agency_a.affairs.add(affair("1.01", "Pendidikan"))
    missed = evaluation(world, status="accepted", actuals={"2019": "73.1"}, targets={"2019": "83"})
    reached = evaluation(
        world, status="accepted", name="APK SD", actuals={"2019": "99"}, targets={"2019": "98"}
    )
    problem = make_problem(world.agency_a, plan=world.plan, by=world.staff_a)
    client = client_for("opd")
    form = client.get(f"/permasalahan/{problem.pk}/ubah/")
    assert form.status_code == 200
    choices = form.context["form"].fields["missed_targets"].queryset
    assert list(choices) == [missed]  # only targets that were missed
    assert "capaian 88,07% (2019)" in form.text
    assert reached.name not in form.text
    problem.missed_targets.add(missed)
    detail = client.get(f"/permasalahan/{problem.pk}/")
    assert "Target RPJMD periode lalu yang tidak tercapai" in detail.text
    assert f"/indikator-daerah/{missed.pk}/" in detail.text and "Tinggi" in detail.text
    indicator_page = client.get(f"/indikator-daerah/{missed.pk}/")
    assert list(indicator_page.context["citing_problems"]) == [problem]
    assert Problem.objects.filter(missed_targets=missed).count() == 1


def test_a_planner_names_the_previous_rpjmds_years_on_the_plan(world, client_for):
    url = f"/rencana/{world.plan.pk}/ubah/"
    data = {
        "title": world.plan.title,
        "kind": "rpjmd",
        "start_year": 2021,
        "end_year": 2026,
        "rpjmn_period": "2020-2024",
        "previous_start_year": 2016,
        "previous_end_year": 2015,
        "seen_version": world.plan.version,
    }
    planner = client_for("planner")
    refused = planner.post(url, data)
    assert refused.status_code == 200
    assert "Tahun akhir RPJMD lalu harus setelah tahun awalnya." in refused.text
    world.plan.refresh_from_db()
    assert world.plan.previous_end_year is None
    assert planner.post(url, data | {"previous_end_year": 2020}).status_code == 302
    world.plan.refresh_from_db()
    assert evaluation_years(world.plan) == list(range(2016, 2021))
