"""Excel in and out: the template, the all-or-nothing import, and the exports."""

import csv
import datetime as dt
import io
import random
import re
import zipfile

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from issues.models import Problem, ProblemImport
from issues.spreadsheets import HEADER_ROW, read_rows, safe_cell, template_columns
from tests.issues.factories import district, make_indicator, make_problem, pdf_bytes, upload

S = Problem.Status
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_template(world, client):
    response = client.get(f"/rencana/{world.plan.pk}/permasalahan/templat.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX_TYPE
    return load_workbook(io.BytesIO(response.getvalue()))


def fill(world, workbook, rows: list[dict]) -> bytes:
    sheet = workbook["Permasalahan"]
    keys = [c.key for c in template_columns(world.plan)]
    for offset, values in enumerate(rows, start=1):
        for key, value in values.items():
            sheet.cell(row=HEADER_ROW + offset, column=keys.index(key) + 1, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def good_row(**overrides):
    row = {
        "affair": "1.01 Pendidikan",
        "core_problem": "Belum meratanya akses pendidikan dasar",
        "statement": "Angka putus sekolah SMP di Tabang tinggi",
        "cause_1": "Jarak ke sekolah jauh",
        "cause_2": "Anak ikut bekerja",
        "districts": "Tabang; Tenggarong",
        "indicator": "Rata-rata lama sekolah",
        "unit": "tahun",
        "year_2018": 9.02,
        "year_2019": "9,1",
        "comparison_value": 9.7,
        "comparison_kind": "Rata-rata provinsi",
        "source": "BPS Kutai Kartanegara",
    }
    return row | overrides


@pytest.fixture(autouse=True)
def worker_in_process(settings):
    """The task runs inside the request here; one test below uses the real queue and worker."""
    settings.TASKS = IMMEDIATE


def post_import(world, client, content: bytes, name="isian.xlsx"):
    return client.post(
        f"/rencana/{world.plan.pk}/permasalahan/impor/", {"file": upload(name, content)}
    )


def imported(world, client, content: bytes) -> str:
    """Upload, then the import's page once the worker has run it."""
    response = post_import(world, client, content)
    assert response.status_code == 302, response.text[:3000]
    job = ProblemImport.objects.latest("pk")
    assert response["Location"] == f"/rencana/{world.plan.pk}/permasalahan/impor/{job.pk}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.text


def test_template_lists_the_agencys_bidang_urusan_and_the_kecamatan(world, affairs, client_for):
    district(world.region, "Tabang")
    district(world.region, "Tenggarong")
    workbook = download_template(world, client_for("opd"))
    lists = workbook["Daftar"]
    assert lists.sheet_state == "hidden"
    assert [c.value for c in lists["A"] if c.value] == ["1.01 Pendidikan"]  # not Kesehatan
    kecamatan = [c.value for c in lists["B"] if c.value]
    assert kecamatan[0] == "Seluruh kabupaten" and {"Tabang", "Tenggarong"} <= set(kecamatan)
    sheet = workbook["Permasalahan"]
    formulas = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert "=Daftar!$A$1:$A$1" in formulas
    headers = [c.value for c in sheet[HEADER_ROW]]
    assert headers[:3] == ["Bidang urusan *", "Masalah pokok *", "Masalah *"]
    assert "2020" in headers and "2016" in headers


def test_a_valid_file_imports_every_row_as_drafts(world, affairs, client_for):
    district(world.region, "Tabang")
    district(world.region, "Tenggarong")
    client = client_for("opd")
    content = fill(
        world,
        download_template(world, client),
        [
            good_row(),
            good_row(
                statement="Mutu guru rendah",
                districts="Seluruh kabupaten",
                indicator=None,
                unit=None,
                year_2018=None,
                year_2019=None,
                comparison_value=None,
                comparison_kind=None,
                source=None,
            ),
        ],
    )
    page = imported(world, client, content)
    assert "2 permasalahan diimpor sebagai draf" in page and 'hx-trigger="every' not in page
    problems = list(Problem.objects.order_by("pk"))
    assert len(problems) == 2 and {p.status for p in problems} == {S.DRAFT}
    first, second = problems
    assert first.agency == world.agency_a and first.created_by == world.staff_a
    assert [c.text for c in first.root_causes.all()] == [
        "Jarak ke sekolah jauh",
        "Anak ikut bekerja",
    ]
    assert sorted(d.name for d in first.districts.all()) == ["Tabang", "Tenggarong"]
    indicator = first.indicators.get()
    assert indicator.values == {"2018": "9.02", "2019": "9.1"}
    assert indicator.comparison_kind == "provincial"
    assert second.whole_region and not second.indicators.exists()
    assert first.core_problem == second.core_problem  # the same masalah pokok is reused


def test_errors_on_several_rows_import_nothing_and_are_listed(world, affairs, client_for):
    district(world.region, "Tabang")
    client = client_for("opd")
    content = fill(
        world,
        download_template(world, client),
        [
            good_row(districts="Tabang"),
            good_row(statement=None, districts="Atlantis"),
            good_row(affair="9.99 Entah", year_2019="sembilan", districts="Tabang"),
            good_row(districts="Tabang", unit=None),
        ],
    )
    page = imported(world, client, content)
    assert "tidak ada yang diimpor" in page
    for expected in [
        "<td>6</td><td>Masalah</td><td>wajib diisi.</td>",
        "kecamatan “Atlantis” tidak dikenal.",
        "“9.99 Entah” bukan bidang urusan yang dikenal.",
        "<td>7</td><td>2019</td><td>harus berupa angka.</td>",
        "<td>8</td><td>Satuan</td><td>wajib diisi bila indikator diisi.</td>",
    ]:
        assert expected in page, expected
    assert not Problem.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused(world, affairs, client_for):
    client = client_for("opd")
    response = post_import(world, client, pdf_bytes(), name="isian.xlsx")
    assert response.status_code == 200 and "adalah PDF" in response.text
    response = post_import(world, client, b"Nama;Masalah\nA;B\n", name="isian.xlsx")
    assert "tidak diizinkan" in response.text
    assert not Problem.objects.exists() and not ProblemImport.objects.exists()


def test_a_spreadsheet_with_other_columns_is_refused(world, affairs, client_for):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A4"] = "Kolom lain"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "Judul kolom tidak sesuai templat" in imported(
        world, client_for("opd"), buffer.getvalue()
    )


def test_identification_table_groups_by_affair_core_problem_and_problem(world, client_for):
    from tests.issues.factories import affair

    health = affair("1.02", "Kesehatan")
    make_problem(
        world.agency_b,
        status=S.ACCEPTED,
        affair=health,
        core="Stunting tinggi",
        statement="Prevalensi stunting 26,4%",
        causes=("ASI eksklusif rendah", "Sanitasi buruk"),
    )
    make_problem(
        world.agency_a,
        status=S.ACCEPTED,
        core="Akses pendidikan",
        statement="Putus sekolah SMP",
        causes=("Jarak jauh",),
    )
    make_problem(
        world.agency_a,
        status=S.ACCEPTED,
        core="Akses pendidikan",
        statement='=HYPERLINK("http://127.0.0.1:9/")',
        causes=("Guru kurang", "@SUM(1)"),
    )
    make_problem(world.agency_a, status=S.SUBMITTED, statement="Belum diterima")
    response = client_for("planner").get(
        f"/rencana/{world.plan.pk}/permasalahan/tabel-identifikasi.xlsx"
    )
    assert response.status_code == 200
    assert "attachment;" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet["A1"].value == "Identifikasi Permasalahan Pembangunan Daerah"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=6, max_col=5)]
    assert rows[0][:5] == [
        1,
        "1.01 Pendidikan",
        "Akses pendidikan",
        "Putus sekolah SMP",
        "Jarak jauh",
    ]
    assert rows[1][3] == '\'=HYPERLINK("http://127.0.0.1:9/")' and rows[2][4] == "'@SUM(1)"
    assert rows[3][:5] == [
        2,
        "1.02 Kesehatan",
        "Stunting tinggi",
        "Prevalensi stunting 26,4%",
        "ASI eksklusif rendah",
    ]
    assert rows[4][4] == "Sanitasi buruk"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A6:A8", "B6:B8", "C6:C8", "D7:D8", "A9:A10", "D9:D10"} <= merged
    assert all("Belum diterima" not in str(v) for row in rows for v in row)
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_csv_export_has_every_visible_problem_with_evidence_and_neutralised_cells(
    world, client_for
):
    problem = make_problem(
        world.agency_a,
        status=S.SUBMITTED,
        statement="+62 812 atau =1+1",
        causes=("-Kurang guru", "Jarak jauh"),
    )
    make_indicator(problem, source="@BPS")
    make_problem(world.agency_b, statement="Draf rahasia")  # drafts stay private
    response = client_for("planner").get(f"/rencana/{world.plan.pk}/permasalahan/ekspor.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:5] == ["Nomor", "Perangkat daerah", "Bidang urusan", "Masalah pokok", "Masalah"]
    assert len(rows) == 2
    row = rows[1]
    assert row[4] == "'+62 812 atau =1+1"
    assert row[5] == "1. -Kurang guru | 2. Jarak jauh"
    assert "Rata-rata lama sekolah (tahun) 2017: 8,9, 2018: 9, 2019: 9,1" in row[9]
    assert "sumber: @BPS" in row[9]
    assert "Draf rahasia" not in text


def test_safe_cell_neutralises_formulas_but_keeps_numbers():
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("\t=cmd") == "'\t=cmd"
    assert safe_cell("\r=cmd") == "'\r=cmd"
    assert safe_cell("-4,21") == "-4,21" and safe_cell("-2+3") == "'-2+3"
    assert safe_cell(3.5) == 3.5 and safe_cell("Biasa") == "Biasa"


# --- Hostile workbooks: bounded reading (issue 13) -------------------------------------------


def rewrite(content: bytes, part: str, change) -> bytes:
    """The workbook with one part's bytes replaced by change(old bytes)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, change(data) if info.filename == part else data)
    return out.getvalue()


SHEET_PART = "xl/worksheets/sheet1.xml"


def filled_template(world, client, count: int) -> bytes:
    district(world.region, "Tabang")
    rows = [good_row(statement=f"Masalah nomor {n}", districts="Tabang") for n in range(count)]
    return fill(world, download_template(world, client), rows)


def test_more_than_500_rows_stops_reading_at_the_501st(world, affairs, client_for):
    client = client_for("opd")
    content = filled_template(world, client, 520)
    read: list[int] = []
    rows, errors = read_rows(world.plan, upload("isian.xlsx", content), progress=read.append)
    assert rows == [] and len(errors) == 1
    assert "lebih dari 500 baris" in errors[0].message and errors[0].row == HEADER_ROW + 501
    assert max(read) == 500  # nothing after the 501st row was read
    page = imported(world, client, content)
    assert "lebih dari 500 baris" in page and not Problem.objects.exists()


def test_an_understated_dimension_does_not_hide_rows(world, affairs, client_for):
    client = client_for("opd")
    content = filled_template(world, client, 20)
    lying = rewrite(
        content,
        SHEET_PART,
        lambda xml: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:A2"', xml),
    )
    assert b'<dimension ref="A1:A2"' in zipfile.ZipFile(io.BytesIO(lying)).read(SHEET_PART)
    assert "20 permasalahan diimpor" in imported(world, client, lying)
    assert Problem.objects.count() == 20


def test_a_part_that_would_expand_too_far_is_refused_before_openpyxl_reads_it(
    world, affairs, client_for
):
    """The audit's file: a sheet far larger than any filled template, in a small upload, and
    under the general zip limits (ratio below 100:1)."""
    client = client_for("opd")
    content = filled_template(world, client, 2)
    noise = random.Random(3).randbytes(6 * 1024 * 1024).hex().encode()  # 12 MB, ratio ~2:1
    bloated = rewrite(
        content,
        SHEET_PART,
        lambda xml: xml.replace(b"</sheetData>", b"</sheetData><!--" + noise + b"-->"),
    )
    assert len(bloated) < 10 * 1024 * 1024
    response = post_import(world, client, bloated)
    assert response.status_code == 200
    assert "bagian “xl/worksheets/sheet1.xml” mengembang menjadi 12,0 MB" in response.text
    assert not ProblemImport.objects.exists() and not Problem.objects.exists()


def test_a_row_far_below_the_template_is_refused_without_walking_to_it(world, affairs, client_for):
    client = client_for("opd")
    content = filled_template(world, client, 2)
    far = rewrite(
        content,
        SHEET_PART,
        lambda xml: xml.replace(
            b"</sheetData>",
            b'<row r="99999999"><c r="A99999999" t="inlineStr"><is><t>x</t></is></c></row>'
            b"</sheetData>",
        ),
    )
    page = imported(world, client, far)
    assert "melewati baris 5004" in page and not Problem.objects.exists()


def test_one_import_at_a_time_per_person(world, affairs, client_for):
    client = client_for("opd")
    ProblemImport.objects.create(
        plan=world.plan, agency=world.agency_a, created_by=world.staff_a, original_name="a.xlsx"
    )
    response = post_import(world, client, filled_template(world, client, 1))
    assert response.status_code == 200 and "masih diproses" in response.text
    job = ProblemImport.objects.get()
    assert f"/permasalahan/impor/{job.pk}/" in response.text  # the way back to it
    assert ProblemImport.objects.count() == 1 and not Problem.objects.exists()


def test_an_import_the_worker_never_finished_is_shown_as_failed(world, client_for):
    job = ProblemImport.objects.create(
        plan=world.plan,
        agency=world.agency_a,
        created_by=world.staff_a,
        original_name="a.xlsx",
        status=ProblemImport.Status.RUNNING,
        heartbeat_at=timezone.now() - dt.timedelta(minutes=11),
    )
    page = client_for("opd").get(f"/rencana/{world.plan.pk}/permasalahan/impor/{job.pk}/").text
    assert "Impor terhenti sebelum selesai" in page and 'hx-trigger="every' not in page
    job.refresh_from_db()
    assert job.status == ProblemImport.Status.FAILED


def test_an_import_that_fails_while_saving_leaves_nothing(world, affairs, client_for, monkeypatch):
    from issues import spreadsheets

    client = client_for("opd")
    content = filled_template(world, client, 3)
    original = spreadsheets.Indicator.objects.create
    calls = []

    def third_breaks(**fields):
        calls.append(fields)
        if len(calls) == 3:
            raise RuntimeError("disk full on the third row")
        return original(**fields)

    monkeypatch.setattr(spreadsheets.Indicator.objects, "create", third_breaks)
    page = imported(world, client, content)
    assert "Terjadi kesalahan saat mengimpor. Tidak ada yang diimpor" in page
    assert not Problem.objects.exists()
    assert ProblemImport.objects.get().status == ProblemImport.Status.FAILED


# The worker closes its database connection after a task, as in production: the test's own
# transaction would not survive that, so this one commits for real.
@pytest.mark.django_db(transaction=True)
def test_the_import_runs_in_the_task_worker_with_progress_on_the_page(
    settings, world, affairs, client_for, private_media
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = client_for("opd")
    response = post_import(world, client, filled_template(world, client, 60))
    assert response.status_code == 302
    job = ProblemImport.objects.get()
    assert job.status == ProblemImport.Status.QUEUED and not Problem.objects.exists()
    waiting = client.get(response["Location"], headers={"HX-Request": "true"}).text
    assert 'hx-trigger="every 1s"' in waiting and "<progress" in waiting
    assert "<html" not in waiting  # the fragment only
    stored = private_media.parent / job.file.name
    assert stored.exists()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == ProblemImport.Status.DONE and job.created_count == 60
    assert job.rows_read == 60 and not stored.exists()  # read, then deleted
    assert Problem.objects.filter(agency=world.agency_a, status=S.DRAFT).count() == 60
    assert "60 permasalahan diimpor" in client.get(response["Location"]).text


def test_imported_rows_like_problems_already_in_the_plan_are_pointed_out(
    world, affairs, client_for
):
    # Issue 17: what the form suggests while typing, the import lists once it has run.
    district(world.region, "Tabang")
    existing = make_problem(
        world.agency_a, status=S.SUBMITTED, statement="Angka putus sekolah SMP di Tabang tinggi"
    )
    hidden = make_problem(
        world.agency_b, status=S.DRAFT, statement="Angka putus sekolah SMP di Tabang tinggi"
    )
    client = client_for("opd")
    content = fill(
        world,
        download_template(world, client),
        [good_row(), good_row(statement="Kekurangan guru ASN di sekolah satu atap desa terpencil")],
    )
    page = imported(world, client, content)
    job = ProblemImport.objects.get()
    assert [entry["row"] for entry in job.similar] == [HEADER_ROW + 1]
    assert existing.pk in job.similar[0]["similar"] and hidden.pk not in job.similar[0]["similar"]
    assert "mirip permasalahan yang sudah ada" in page and f"#{existing.pk}" in page
    assert f"#{hidden.pk}" not in page
