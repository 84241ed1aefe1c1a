"""The current planning cycle: RPJPN 2025–2045 reference data, the region's RPJPD, and alignment
pickers and tables that follow the plan's RPJMN period."""

import json

from django.contrib.auth.models import AnonymousUser

from drafts.blocks import REGISTRY, as_cell
from issues.forms import ProblemForm
from issues.models import Alignment, StrategicIssue
from issues.strategic.forms import AlignmentForm
from regional.demo import RPJPD_MISSIONS, load_current_cycle
from rpjmd.models import (
    NationalLongTermGoal,
    NationalPriority,
    RegionalLongTermMission,
    RegionalLongTermPlan,
)
from rpjmd.permissions import can_read_plan
from rpjmd.reference import DATA_DIR, load_reference
from tests.factories import make_plan
from tests.issues.factories import affair, make_problem

GOAL = NationalLongTermGoal


def _rpjpn():
    return json.loads((DATA_DIR / "rpjpn.json").read_text(encoding="utf-8"))["RPJPN 2025-2045"]


def test_the_rpjpn_file_cites_its_law_and_numbers_8_misi_and_17_arah():
    data = _rpjpn()
    assert data["dasar"] == "UU 59 Tahun 2024" and "59 Tahun 2024" in data["sumber"]
    assert [m["kode"] for m in data["misi"]] == [f"M{n}" for n in range(1, 9)]
    codes = [a["kode"] for m in data["misi"] for a in m["arah"]]
    assert codes == [f"T{n}" for n in range(1, 18)]


def test_loading_the_rpjpn_twice_changes_nothing_and_restores_edited_names(db):
    load_reference()
    first = list(GOAL.objects.values_list("period", "level", "code", "name", "mission__code"))
    assert GOAL.objects.filter(level=GOAL.Level.MISSION).count() == 8
    assert GOAL.objects.filter(level=GOAL.Level.DIRECTION).count() == 17
    assert GOAL.objects.get(code="T2").mission.code == "M1"
    GOAL.objects.filter(code="T1").update(name="diubah tangan")
    report = load_reference()
    assert "arah pembangunan RPJPN" not in report.created  # nothing new the second time
    assert report.present["arah pembangunan RPJPN"] == 17
    again = list(GOAL.objects.values_list("period", "level", "code", "name", "mission__code"))
    assert again == first  # the official wording is back


def _current_plan(world):
    return make_plan(
        world.region,
        title="Rancangan Teknokratik RPJMD Uji 2025–2029",
        start_year=2025,
        end_year=2029,
        rpjmn_period="2025-2029",
    )


def _rpjpd(world):
    rpjpd = RegionalLongTermPlan.objects.create(region=world.region, vision="Maju (ilustrasi)")
    for number, text in enumerate(["Ekonomi", "SDM"], start=1):
        RegionalLongTermMission.objects.create(long_term_plan=rpjpd, number=number, text=text)
    return rpjpd


def test_problem_pickers_follow_the_plans_rpjmn_period(world):
    load_reference()
    _rpjpd(world)
    current = _current_plan(world)
    old = ProblemForm(plan=world.plan, agency=world.agency_a)
    assert {p.period for p in old.fields["national_priorities"].queryset} == {"2020-2024"}
    assert "long_term_goals" not in old.fields and "regional_missions" not in old.fields
    new = ProblemForm(plan=current, agency=world.agency_a)
    assert {p.period for p in new.fields["national_priorities"].queryset} == {"2025-2029"}
    assert new.fields["national_priorities"].queryset.count() == 8
    goals = new.fields["long_term_goals"].queryset
    assert goals.count() == 17 and {g.level for g in goals} == {"arah"}
    assert [m.text for m in new.fields["regional_missions"].queryset] == ["Ekonomi", "SDM"]


def test_strategic_alignment_sources_follow_the_plans_cycle(world):
    load_reference()
    rpjpd = _rpjpd(world)
    current = _current_plan(world)
    old = AlignmentForm(plan=world.plan)
    sources = [value for value, _label in old.fields["source"].choices]
    assert "rpjpn" not in sources and "rpjpd" not in sources and "rpjmn" in sources
    new = AlignmentForm(plan=current)
    assert {"rpjmn", "rpjpn", "rpjpd"} <= {v for v, _label in new.fields["source"].choices}
    missing = AlignmentForm({"source": "rpjpn", "note": "x"}, plan=current)
    assert not missing.is_valid() and "long_term_goal" in missing.errors
    mission = rpjpd.missions.get(number=2)
    chosen = AlignmentForm(
        {"source": "rpjpd", "regional_mission": mission.pk, "note": "SDM"}, plan=current
    )
    assert chosen.is_valid(), chosen.errors
    # A 2020–2024 plan cannot be given an RPJPN arah by a forged post.
    goal = GOAL.objects.get(code="T2")
    forged = AlignmentForm(
        {"source": "rpjpn", "long_term_goal": goal.pk, "note": "x"}, plan=world.plan
    )
    assert not forged.is_valid()


def test_the_review_table_gains_rpjpn_and_rpjpd_columns_for_a_plan_of_the_cycle(world):
    load_reference()
    rpjpd = _rpjpd(world)
    current = _current_plan(world)
    issue = StrategicIssue.objects.create(plan=current, title="Ketimpangan mutu pendidikan")
    issue.alignments.create(
        source=Alignment.Source.RPJPN, long_term_goal=GOAL.objects.get(code="T2"), note="mutu"
    )
    issue.alignments.create(
        source=Alignment.Source.RPJPD, regional_mission=rpjpd.missions.get(number=2), note=""
    )
    table = REGISTRY["isu-strategis-telaahan"].build(current)
    header = [as_cell(c).text for c in table.header[0]]
    assert header[4:6] == ["RPJPN 2025–2045", "RPJPD Kabupaten Kutai Kartanegara"]
    row = [as_cell(c).text for c in table.rows[0]]
    assert row[4] == "T2 Pendidikan berkualitas yang merata: mutu"
    assert row[5] == "Misi 2 RPJPD"
    old = REGISTRY["isu-strategis-telaahan"].build(world.plan)
    assert not any("RPJPN" in as_cell(c).text for c in old.header[0])


def test_a_planner_enters_the_rpjpd_with_history_and_others_only_read_it(world, client_for):
    url = f"/rencana/{world.plan.pk}/rpjpd/"
    planner = client_for("planner")
    page = planner.get(url)
    assert page.status_code == 200 and "direction_2040-2045" in page.context["form"].fields
    data = {
        "first_year": 2025,
        "last_year": 2045,
        "legal_basis": "Perda (ilustrasi)",
        "vision": "Kutai Kartanegara maju (ilustrasi)",
        "missions": "Ekonomi tangguh\n\nSDM unggul\n",
        "direction_2025-2029": "Fondasi transformasi",
    }
    assert planner.post(url, data).status_code == 302
    rpjpd = RegionalLongTermPlan.objects.get(region=world.region)
    assert [m.text for m in rpjpd.missions.all()] == ["Ekonomi tangguh", "SDM unggul"]
    assert rpjpd.directions == {"2025-2029": "Fondasi transformasi"}
    kept = rpjpd.missions.get(number=1)
    changed = data | {"missions": "Ekonomi hijau", "seen_version": rpjpd.version}
    assert planner.post(url, changed).status_code == 302
    rpjpd.refresh_from_db()
    assert list(rpjpd.missions.values_list("pk", "text")) == [(kept.pk, "Ekonomi hijau")]
    assert rpjpd.history.count() == 2 and kept.history.count() == 2
    empty = planner.post(url, data | {"missions": " ", "seen_version": rpjpd.version})
    assert empty.status_code == 200 and "missions" in empty.context["form"].errors
    assert empty.context["form"]["vision"].value() == data["vision"]  # typed text stays
    opd = client_for("opd")
    reading = opd.get(url)
    assert reading.status_code == 200 and reading.context["form"] is None
    assert "Ekonomi hijau" in reading.text and "Transformasi digital" not in reading.text
    assert opd.post(url, data).status_code == 403
    assert client_for("other_planner").post(url, data).status_code == 404
    assert rpjpd.missions.get().text == "Ekonomi hijau"


def test_the_demo_aligns_the_regions_2025_plan_with_the_current_cycle(world):
    load_reference()
    education = affair("1.01", "Pendidikan")
    world.agency_a.affairs.add(education)
    # Created as the other demo module may: the right years, the RPJMN period not yet set.
    current = _current_plan(world)
    current.rpjmn_period = "2020-2024"
    current.save()
    problem = make_problem(world.agency_a, plan=current, affair=education)
    issue = StrategicIssue.objects.create(plan=current, title="Mutu pendidikan")
    issue.problems.add(problem)
    assert load_current_cycle(world.plan) == current
    current.refresh_from_db()
    assert current.rpjmn_period == "2025-2029" and current.long_term_period == "2025-2045"
    rpjpd = current.regional_long_term_plan()
    assert [m.text for m in rpjpd.missions.all()] == RPJPD_MISSIONS
    assert "ilustrasi" in rpjpd.legal_basis and "ilustrasi" in rpjpd.vision
    assert [p.code for p in problem.national_priorities.all()] == ["PN4"]
    assert [g.code for g in problem.long_term_goals.all()] == ["T2"]
    assert [m.number for m in problem.regional_missions.all()] == [2]
    sources = sorted(issue.alignments.values_list("source", flat=True))
    assert sources == ["rpjmn", "rpjpd", "rpjpn"]
    assert issue.alignments.get(source="rpjmn").national_priority.period == "2025-2029"
    # Running the demo again adds nothing and keeps a planner's edits.
    rpjpd.vision = "Diubah perencana"
    rpjpd.save()
    load_current_cycle(world.plan)
    assert issue.alignments.count() == 3 and problem.long_term_goals.count() == 1
    assert RegionalLongTermPlan.objects.get().vision == "Diubah perencana"
    assert NationalPriority.objects.filter(problems=problem).count() == 1


def test_without_a_2025_plan_the_demo_only_enters_the_rpjpd(world):
    load_reference()
    assert load_current_cycle(world.plan) is None
    assert RegionalLongTermPlan.objects.get().missions.count() == len(RPJPD_MISSIONS)
    world.plan.refresh_from_db()
    assert world.plan.rpjmn_period == "2020-2024"


def test_the_rpjpd_is_read_by_the_pemdas_own_people_only(world):
    for user in (world.planner, world.staff_a, world.leader, world.resource_person):
        assert can_read_plan(user, world.plan)
    assert not can_read_plan(AnonymousUser(), world.plan)
    assert not can_read_plan(world.other_planner, world.plan)  # another pemda
    assert not can_read_plan(world.admin, world.plan)  # IT staff keep reference data, not plans
    world.staff_a.is_active = False
    assert not can_read_plan(world.staff_a, world.plan)
