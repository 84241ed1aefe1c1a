import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from rpjmd.models import Affair, Agency, District, NationalPriority, Region, Sdg
from rpjmd.reference import DATA_DIR, load_reference

SHARED = Path(__file__).resolve().parents[3] / "shared" / "domain"
COPIED = [
    "urusan.json",
    "prioritas_nasional.json",
    "sdgs.json",
    "kutai_kartanegara.json",
    "kriteria_isu_strategis.json",
    "sistematika.json",
    "kukar_statistik.json",
]


@pytest.mark.parametrize("name", COPIED)
def test_project_copy_of_reference_data_matches_the_shared_source(name):
    # The app reads only its own copy; this keeps the copy honest while the source is beside us.
    assert SHARED.is_dir(), f"shared domain folder not found at {SHARED}"
    ours = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
    theirs = json.loads((SHARED / name).read_text(encoding="utf-8"))
    assert ours == theirs


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


def test_the_app_never_reads_the_shared_folder_at_run_time():
    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for folder in ("rpjmd", "issues", "fgd", "drafts")
        for path in (root / folder).rglob("*.py")
        if "../shared" in path.read_text(encoding="utf-8")
        or "shared/domain" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
