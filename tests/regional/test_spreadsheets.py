"""Both Excel templates of regional data: download, fill, import all or nothing."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from regional.models import FinanceEntry, RegionalIndicator
from regional.spreadsheets import HEADER_ROW, indicator_columns
from tests.issues.factories import affair, upload
from tests.regional.factories import make_indicator

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == XLSX_TYPE
    return load_workbook(io.BytesIO(response.getvalue()))


def save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def fill_indicators(world, workbook, rows: list[dict]) -> bytes:
    sheet = workbook["Indikator"]
    keys = [key for key, _label in indicator_columns(world.plan)]
    for offset, values in enumerate(rows, start=1):
        for key, value in values.items():
            sheet.cell(row=HEADER_ROW + offset, column=keys.index(key) + 1, value=value)
    return save(workbook)


def good_row(**overrides):
    return {
        "aspect": "Aspek pelayanan umum",
        "affair": "1.01 Pendidikan",
        "name": "Angka partisipasi murni SD",
        "unit": "persen",
        "polarity": "Naik baik",
        "actual_2018": 96.2,
        "actual_2019": "97,5",
        "target_2019": 98,
        "source": "Dapodik",
    } | overrides


def test_opd_staff_import_their_urusans_indicators(world, client_for):
    world.agency_a.affairs.add(affair("1.01", "Pendidikan"))
    client = client_for("opd")
    base = f"/rencana/{world.plan.pk}/data-daerah/indikator/"
    workbook = download(client, base + "templat.xlsx")
    assert workbook["Daftar"]["B1"].value == "1.01 Pendidikan"  # only their urusan
    content = fill_indicators(
        world, workbook, [good_row(), good_row(name="Angka putus sekolah", polarity="Turun baik")]
    )
    response = client.post(base + "impor/", {"file": upload("isian.xlsx", content)})
    assert response.status_code == 302
    rows = {r.name: r for r in RegionalIndicator.objects.all()}
    assert rows["Angka partisipasi murni SD"].actuals == {"2018": "96.2", "2019": "97.5"}
    assert rows["Angka putus sekolah"].polarity == "down"
    assert {r.status for r in rows.values()} == {"submitted"}

    # The template comes back with today's rows; importing it again updates, not duplicates.
    again = download(client, base + "templat.xlsx")
    assert again["Indikator"].cell(row=HEADER_ROW + 1, column=3).value in rows
    content = fill_indicators(world, again, [good_row(target_2019=99)])
    assert client.post(base + "impor/", {"file": upload("b.xlsx", content)}).status_code == 302
    assert RegionalIndicator.objects.count() == 2
    assert RegionalIndicator.objects.get(name="Angka partisipasi murni SD").targets["2019"] == "99"


def test_a_wrong_indicator_row_is_reported_by_row_and_column_and_nothing_is_saved(
    world, client_for
):
    world.agency_a.affairs.add(affair("1.01", "Pendidikan"))
    affair("1.02", "Kesehatan")
    accepted = make_indicator(world, status="accepted", name="APK SMP")
    client = client_for("opd")
    base = f"/rencana/{world.plan.pk}/data-daerah/indikator/"
    workbook = download(client, base + "templat.xlsx")
    content = fill_indicators(
        world,
        workbook,
        [
            good_row(name="Baris baik"),
            good_row(actual_2019="tujuh", polarity="Kadang"),
            good_row(affair="1.02 Kesehatan", name="Bukan urusannya"),
            good_row(affair=None, name="Tanpa urusan"),
            good_row(name="APK SMP", source=accepted.source),
        ],
    )
    response = client.post(base + "impor/", {"file": upload("isian.xlsx", content)})
    assert response.status_code == 200
    errors = {(e.row, e.column): e.message for e in response.context["errors"]}
    first = HEADER_ROW + 2
    assert errors[(first, "Realisasi 2019")] == "harus berupa angka."
    assert "Naik baik" in errors[(first, "Polaritas")]
    assert "perangkat daerah Anda" in errors[(first + 1, "Bidang urusan")]
    assert errors[(first + 2, "Bidang urusan")] == "wajib diisi untuk indikator ini."
    assert "sudah diterima" in errors[(first + 3, "Indikator")]
    assert RegionalIndicator.objects.count() == 1  # only the accepted one: nothing half-saved
    assert "tidak ada yang diimpor" in response.content.decode()


def test_a_changed_header_or_a_broken_file_is_refused(world, client_for):
    client = client_for("planner")
    base = f"/rencana/{world.plan.pk}/data-daerah/indikator/"
    workbook = download(client, base + "templat.xlsx")
    workbook["Indikator"].cell(row=HEADER_ROW, column=3, value="Nama")
    response = client.post(base + "impor/", {"file": upload("a.xlsx", save(workbook))})
    assert "Judul kolom tidak sesuai" in response.context["errors"][0].message
    response = client.post(base + "impor/", {"file": upload("a.xlsx", b"bukan excel")})
    assert response.context["errors"] and not RegionalIndicator.objects.exists()


def fill_finance(workbook, values: dict[tuple[str, int], object]) -> bytes:
    sheet = workbook["Realisasi APBD"]
    header = [str(c.value) for c in sheet[HEADER_ROW]]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(HEADER_ROW + 1, sheet.max_row + 1)}
    for (code, year), value in values.items():
        # .value, not cell(value=…): openpyxl's cell() ignores None.
        sheet.cell(row=rows[code], column=header.index(str(year)) + 1).value = value
    return save(workbook)


def test_planners_import_the_apbd_grid(world, client_for):
    FinanceEntry.objects.create(plan=world.plan, year=2015, account="5.3", amount=5)
    client = client_for("planner")
    base = f"/rencana/{world.plan.pk}/data-daerah/keuangan/"
    workbook = download(client, base + "templat.xlsx")
    sheet = workbook["Realisasi APBD"]
    assert [c.value for c in sheet[HEADER_ROW]] == [
        "Kode",
        "Kelompok akun",
        *(str(y) for y in range(2015, 2021)),
    ]
    assert sheet.cell(row=HEADER_ROW + 1, column=2).value == "Pajak daerah"
    content = fill_finance(
        workbook,
        {
            ("4.1.01", 2018): 150_000_000_000,
            ("4.2", 2019): "3.250.000.000.000",
            ("5.3", 2015): None,
        },
    )
    response = client.post(base + "impor/", {"file": upload("apbd.xlsx", content)})
    assert response.status_code == 302
    amounts = {(e.year, e.account): e.amount for e in FinanceEntry.objects.all()}
    assert amounts == {
        (2018, "4.1.01"): Decimal("150000000000"),
        (2019, "4.2"): Decimal("3250000000000"),
    }  # the emptied 2015 cell is gone
    assert client_for("opd").get(base + "templat.xlsx").status_code == 403


def test_a_wrong_apbd_cell_is_reported_and_nothing_changes(world, client_for):
    FinanceEntry.objects.create(plan=world.plan, year=2019, account="4.2", amount=10)
    client = client_for("planner")
    base = f"/rencana/{world.plan.pk}/data-daerah/keuangan/"
    workbook = download(client, base + "templat.xlsx")
    workbook["Realisasi APBD"].cell(row=HEADER_ROW + 20, column=1, value="9.9")
    content = fill_finance(
        workbook, {("4.2", 2019): 20, ("5.1", 2018): "banyak", ("5.2", 2017): -3}
    )
    response = client.post(base + "impor/", {"file": upload("apbd.xlsx", content)})
    assert response.status_code == 200
    errors = {(e.row, e.column): e.message for e in response.context["errors"]}
    codes = ["4.1.01", "4.1.02", "4.1.03", "4.1.04", "4.2", "4.3", "5.1", "5.2"]
    assert errors[(HEADER_ROW + 1 + codes.index("5.1"), "2018")] == "harus berupa angka."
    assert errors[(HEADER_ROW + 1 + codes.index("5.2"), "2017")] == "tidak boleh negatif."
    assert "tidak dikenal" in errors[(HEADER_ROW + 20, "Kode")]
    assert FinanceEntry.objects.get().amount == 10  # the valid 20 was not written either
