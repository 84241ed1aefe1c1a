import json
import re
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from rpjmd.models import Affair, Agency, District, NationalPriority, Region, Sdg
from rpjmd.reference import DATA_DIR, load_reference
from tests.project import APP_PACKAGES

ISSUES_DATA = Path(__file__).resolve().parents[2] / "issues" / "data"


def read(name: str):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


# The project owns its reference data (copied once from the published sources named inside each
# file); these checks keep the copies internally consistent without anything outside the repo.


def test_bidang_urusan_codes_are_unique_and_well_formed():
    rows = read("urusan.json")
    codes = [row["kode"] for row in rows]
    assert len(codes) == len(set(codes)) == 47
    for row in rows:
        assert re.fullmatch(r"[1-9]\.\d{2}", row["kode"]), row
        assert row["kode"].startswith(row["kode_urusan"] + "."), row
        assert row["bidang"].strip() and row["urusan"].strip(), row


def test_national_priorities_and_sdgs_are_complete_and_numbered():
    periods = read("prioritas_nasional.json")
    assert {name: len(p["items"]) for name, p in periods.items()} == {
        "RPJMN 2020-2024": 7,
        "RPJMN 2025-2029": 8,
    }
    for period in periods.values():
        codes = [item["kode"] for item in period["items"]]
        assert len(codes) == len(set(codes)) and period["dasar"].strip()
    assert [goal["tujuan"] for goal in read("sdgs.json")] == list(range(1, 18))


def test_region_data_refers_only_to_known_bidang_urusan():
    known = {row["kode"] for row in read("urusan.json")}
    region = read("kutai_kartanegara.json")
    district_codes = [d["kode"] for d in region["kecamatan"] if d["kode"]]
    assert len(district_codes) == len(set(district_codes))
    assert all(
        code.startswith(region["wilayah"]["kode_kemendagri"] + ".") for code in district_codes
    )
    short_names = [agency["singkatan"] for agency in region["opd"]]
    assert len(short_names) == len(set(short_names))
    unknown = {c for agency in region["opd"] for c in agency["bidang_urusan"]} - known
    assert unknown == set()


def test_outline_has_nine_chapters_in_order():
    outline = read("sistematika.json")
    assert [chapter["urutan"] for chapter in outline["bab"]] == list(range(1, 10))
    assert all(chapter["judul"].strip() for chapter in outline["bab"])
    # Bab I–IV carry the sub-bab the rancangan teknokratik must fill.
    assert all(chapter["subbab"] for chapter in outline["bab"][:4])


def test_scoring_criteria_weigh_one_hundred_and_both_copies_agree():
    criteria = read("kriteria_isu_strategis.json")
    assert sum(c["bobot"] for c in criteria["kriteria"]) == 100
    assert criteria["skala_default"]["min"] < criteria["skala_default"]["max"]
    issues_copy = json.loads(
        (ISSUES_DATA / "kriteria_isu_strategis.json").read_text(encoding="utf-8")
    )
    assert issues_copy == criteria


def test_statistics_tables_have_rows_as_wide_as_their_columns():
    for table in read("kukar_statistik.json")["tabel"]:
        assert table["sumber"].strip(), table["judul"]
        for row in table["baris"]:
            assert len(row) == len(table["kolom"]), (table["judul"], row)


def test_reference_data_loads_completely(db):
    load_reference()
    assert Affair.objects.count() == 47
    assert Affair.objects.get(code="1.01").name == "Pendidikan"
    assert Affair.objects.filter(code__startswith="4.").exists()  # unsur pendukung
    assert NationalPriority.objects.filter(period="2020-2024").count() == 7
    assert NationalPriority.objects.filter(period="2025-2029").count() == 8
    assert Sdg.objects.count() == 17
    kukar = Region.objects.get(code="64.02")
    assert kukar.full_name == "Kabupaten Kutai Kartanegara"
    assert kukar.time_zone == "Asia/Makassar"
    assert District.objects.filter(region=kukar).count() == 20
    assert District.objects.get(region=kukar, name="Tenggarong").code == "64.02.06"
    assert District.objects.get(region=kukar, name="Samboja Barat").code == ""
    assert Agency.objects.filter(region=kukar).count() == 35
    disdikbud = Agency.objects.get(region=kukar, short_name="Disdikbud")
    assert sorted(disdikbud.affairs.values_list("code", flat=True)) == ["1.01", "2.22"]
    assert Agency.objects.get(short_name="Bappeda").is_planning_agency


def test_loading_twice_changes_nothing_and_keeps_admin_edits(db):
    load_reference()
    agency = Agency.objects.get(short_name="Dinkes")
    agency.name = "Dinas Kesehatan Kabupaten Kutai Kartanegara"
    agency.save()
    agency.affairs.clear()
    counts = [m.objects.count() for m in (Affair, NationalPriority, Sdg, Region, District, Agency)]
    report = load_reference()
    assert [
        m.objects.count() for m in (Affair, NationalPriority, Sdg, Region, District, Agency)
    ] == counts
    assert report.created == {}
    agency.refresh_from_db()
    assert agency.name == "Dinas Kesehatan Kabupaten Kutai Kartanegara"
    assert not agency.affairs.exists()


def test_national_reference_data_is_restored_to_the_source(db):
    load_reference()
    Affair.objects.filter(code="1.01").update(name="Salah ketik")
    call_command("load_reference", stdout=StringIO())
    assert Affair.objects.get(code="1.01").name == "Pendidikan"


def test_the_app_reads_nothing_outside_the_repository():
    """The app's data lives in the repository: no module climbs out of it to read a file (a
    relative path going up, or a parent four levels above a module)."""
    root = Path(__file__).resolve().parents[2]
    outside = re.compile(r"[\"']\.\./\w|parents\[[3-9]\]")
    offenders = [
        str(path.relative_to(root))
        for folder in APP_PACKAGES
        for path in (root / folder).rglob("*.py")
        if outside.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
