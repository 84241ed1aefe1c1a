"""Strategic issues: mapping, merge/split, criteria, scoring rules, results, adoption, export."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from issues.models import (
    Alignment,
    Criterion,
    IssueChange,
    NotStrategic,
    Problem,
    Score,
    StrategicIssue,
)
from issues.strategic import workflow as strategic
from rpjmd.models import Stage
from tests.factories import make_user, sign_in
from tests.fgd.factories import invite, make_input, make_meeting
from tests.issues.strategic_factories import (
    accepted,
    make_criteria,
    make_issue,
    make_rater,
    open_results,
    score_all,
)

pytestmark = pytest.mark.django_db


def accounted_for(plan) -> bool:
    """Every accepted problem is in an issue, marked not strategic, or in the unmapped list."""
    unmapped = set(strategic.unmapped_problems(plan).values_list("pk", flat=True))
    mapped = set(StrategicIssue.objects.filter(plan=plan).values_list("problems", flat=True)) - {
        None
    }
    excluded = set(NotStrategic.objects.values_list("problem_id", flat=True))
    accepted_ids = set(strategic.accepted_problems(plan).values_list("pk", flat=True))
    return accepted_ids <= unmapped | mapped | excluded


def test_unmapped_lists_accepted_problems_not_in_an_issue_or_excluded(world):
    a, b, c = (accepted(world.agency_a) for _ in range(3))
    make_issue(world.plan, problems=[a])
    NotStrategic.objects.create(problem=b, reason="Cukup ditangani OPD")
    from tests.issues.factories import make_problem

    make_problem(world.agency_a, status=Problem.Status.SUBMITTED)  # not accepted: not listed
    assert list(strategic.unmapped_problems(world.plan)) == [c]


def test_merge_keeps_every_problem_link_input_and_alignment_and_records_it(world):
    p1, p2, p3 = (accepted(world.agency_a) for _ in range(3))
    keep = make_issue(world.plan, "Pendidikan", problems=[p1])
    absorb = make_issue(world.plan, "Mutu guru", problems=[p2, p3], lead_agency=world.agency_b)
    meeting = make_meeting(world.plan)
    invite(meeting, world.agency_a)
    item = make_input(meeting, kind="strategic_issue", text="Usulan isu pendidikan")
    absorb.fgd_inputs.add(item)
    Alignment.objects.create(issue=absorb, source="klhs", note="Rekomendasi KLHS 3")

    strategic.merge(keep=keep, absorb=absorb, by=world.planner)

    assert set(keep.problems.all()) == {p1, p2, p3}
    assert list(keep.fgd_inputs.all()) == [item]
    assert keep.alignments.get().note == "Rekomendasi KLHS 3"
    assert world.agency_b in keep.supporting_agencies.all()
    assert not StrategicIssue.objects.filter(pk=absorb.pk).exists()
    change = IssueChange.objects.get(kind=IssueChange.Kind.MERGE)
    assert change.details["problems"] == sorted([p2.pk, p3.pk])
    assert "Mutu guru" in change.summary
    assert accounted_for(world.plan)


def test_merge_refuses_itself(world):
    issue = make_issue(world.plan)
    with pytest.raises(ValidationError):
        strategic.merge(keep=issue, absorb=issue, by=world.planner)


def test_split_moves_chosen_problems_and_keeps_the_rest(world):
    p1, p2, p3 = (accepted(world.agency_a) for _ in range(3))
    issue = make_issue(world.plan, "Pendidikan dan kesehatan", problems=[p1, p2, p3])
    Alignment.objects.create(issue=issue, source="rtrw", note="Kawasan strategis")

    new = strategic.split(issue=issue, title="Kesehatan", problems=[p3], by=world.planner)

    assert set(issue.problems.all()) == {p1, p2}
    assert set(new.problems.all()) == {p3}
    assert new.alignments.get().note == "Kawasan strategis"
    assert IssueChange.objects.get(kind=IssueChange.Kind.SPLIT).details["problems"] == [p3.pk]
    assert accounted_for(world.plan)
    with pytest.raises(ValidationError):
        strategic.split(issue=issue, title="Kosong", problems=[], by=world.planner)


def test_split_links_the_chosen_fgd_inputs_to_the_new_issue_and_keeps_them_on_the_old(world):
    p1, p2 = accepted(world.agency_a), accepted(world.agency_a)
    issue = make_issue(world.plan, "Pendidikan dan kesehatan", problems=[p1, p2])
    meeting = make_meeting(world.plan)
    both, old_only = make_input(meeting, text="Dua sisi"), make_input(meeting, text="Sekolah")
    issue.fgd_inputs.add(both, old_only)

    new = strategic.split(
        issue=issue, title="Kesehatan", problems=[p2], fgd_inputs=[both], by=world.planner
    )

    assert set(new.fgd_inputs.all()) == {both}
    assert set(issue.fgd_inputs.all()) == {both, old_only}
    assert IssueChange.objects.get(kind=IssueChange.Kind.SPLIT).details["fgd_inputs"] == [both.pk]


def test_removing_a_problem_from_an_issue_puts_it_back_in_the_unmapped_list(world, client_for):
    p1, p2 = accepted(world.agency_a), accepted(world.agency_a)
    issue = make_issue(world.plan, problems=[p1, p2])
    url = reverse("strategic:problems", args=[issue.pk])
    response = client_for("planner").post(url, {"problems": [p1.pk]})
    assert response.status_code == 302
    assert list(issue.problems.all()) == [p1]
    assert list(strategic.unmapped_problems(world.plan)) == [p2]
    assert accounted_for(world.plan)


def test_move_from_unmapped_into_a_new_issue_and_mark_not_strategic(world, client_for):
    p1, p2 = accepted(world.agency_a), accepted(world.agency_b)
    client = client_for("planner")
    url = reverse("strategic:unmapped", args=[world.plan.pk])
    response = client.post(url, {"action": "move", "problems": [p1.pk], "new_title": "Stunting"})
    assert response.status_code == 302
    assert list(StrategicIssue.objects.get(title="Stunting").problems.all()) == [p1]
    # A reason is required to set a problem aside.
    client.post(url, {"action": "exclude", "problems": [p2.pk], "reason": ""})
    assert not NotStrategic.objects.exists()
    client.post(url, {"action": "exclude", "problems": [p2.pk], "reason": "Urusan provinsi"})
    assert NotStrategic.objects.get(problem=p2).reason == "Urusan provinsi"
    page = client.get(reverse("strategic:list", args=[world.plan.pk]))
    assert "Urusan provinsi" in page.content.decode()
    client.post(url, {"restore": p2.pk})
    assert list(strategic.unmapped_problems(world.plan)) == [p2]


def test_criteria_weights_must_add_up_to_100(world, client_for):
    client = client_for("planner")
    url = reverse("strategic:criteria", args=[world.plan.pk])
    page = client.get(url)
    # Nothing saved yet: the six standard criteria are offered, and nothing is written by GET.
    assert "janji politik" in page.content.decode()
    assert not Criterion.objects.exists()
    data = {
        "scale-scale_min": 1,
        "scale-scale_max": 5,
        "criteria-TOTAL_FORMS": 2,
        "criteria-INITIAL_FORMS": 0,
        "criteria-0-order": 1,
        "criteria-0-name": "Dampak",
        "criteria-0-weight": 60,
        "criteria-1-order": 2,
        "criteria-1-name": "Kewenangan",
        "criteria-1-weight": 30,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Jumlah bobot harus 100; sekarang 90." in response.content.decode()
    assert not Criterion.objects.exists()
    response = client.post(url, data | {"criteria-1-weight": 40, "scale-scale_max": 7})
    assert response.status_code == 302
    assert [(c.name, c.weight) for c in Criterion.objects.all()] == [
        ("Dampak", 60),
        ("Kewenangan", 40),
    ]
    assert world.plan.strategic_settings.scale_max == 7


def test_drop_political_promises_reweights_the_rest_to_100(world, client_for):
    strategic.save_default_criteria(world.plan)
    response = client_for("planner").post(reverse("strategic:drop_political", args=[world.plan.pk]))
    assert response.status_code == 302
    weights = list(Criterion.objects.values_list("weight", flat=True))
    assert len(weights) == 5 and sum(weights) == 100
    # 20:10:20:10:15 of 75 → 26.67:13.33:26.67:13.33:20
    assert weights == [27, 13, 27, 13, 20]
    assert not Criterion.objects.filter(name__icontains="janji politik").exists()


def test_reweight_keeps_proportions():
    assert strategic.reweight([1, 1, 1]) == [34, 33, 33]
    assert strategic.reweight([20, 30]) == [40, 60]


def test_scores_are_validated_inside_the_scale_and_closed_once_results_open(world):
    issue = make_issue(world.plan)
    criterion, _ = make_criteria(world.plan)
    rater = make_rater(world.plan, world.planner)
    with pytest.raises(ValidationError):
        strategic.save_scores(rater=rater, values={(issue.pk, criterion.pk): "6"})
    with pytest.raises(ValidationError):
        strategic.save_scores(rater=rater, values={(issue.pk, 999999): "3"})
    strategic.save_scores(rater=rater, values={(issue.pk, criterion.pk): "4"})
    strategic.save_scores(rater=rater, values={(issue.pk, criterion.pk): "5"})
    assert Score.objects.get().value == 5  # one per rater, issue and criterion
    assert strategic.progress(rater) == (1, 2)
    open_results(world.plan)
    with pytest.raises(ValidationError):
        strategic.save_scores(rater=rater, values={(issue.pk, criterion.pk): "3"})
    open_results(world.plan, False)  # the planner reopens scoring
    strategic.save_scores(rater=rater, values={(issue.pk, criterion.pk): "3"})
    assert Score.objects.get().value == 3


def test_sheet_saves_one_score_with_htmx_and_shows_own_progress_only(world, client_for):
    issue = make_issue(world.plan)
    c1, c2 = make_criteria(world.plan)
    mine = make_rater(world.plan, world.resource_person)
    other = make_rater(world.plan, world.planner)
    score_all(other, {issue: [1, 2]})
    client = client_for("resource_person")
    url = reverse("strategic:sheet", args=[world.plan.pk])
    response = client.post(url, {f"s-{issue.pk}-{c1.pk}": "4"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "1 dari 2 nilai terisi" in response.content.decode()
    assert Score.objects.get(rater=mine).value == 4
    page = client.get(url).content.decode()
    assert 'value="4"' in page
    # The other rater's values are not on this sheet.
    assert f'name="s-{issue.pk}-{c2.pk}" value=""' in page.replace("\n", "")
    # Results are closed: the narasumber cannot see them.
    assert client.get(reverse("strategic:results", args=[world.plan.pk])).status_code == 403


def test_results_hidden_until_opened_then_ranked_with_missing_raters(world, client_for):
    first = make_issue(world.plan, "Pendidikan")
    second = make_issue(world.plan, "Kesehatan")
    make_criteria(world.plan)
    r1 = make_rater(world.plan, world.planner)
    r2 = make_rater(world.plan, world.resource_person)
    score_all(r1, {first: [5, 5], second: [3, 4]})
    score_all(r2, {first: [4, 3]})
    client = client_for("planner")
    url = reverse("strategic:results", args=[world.plan.pk])
    page = client.get(url).content.decode()
    assert 'id="ranking"' not in page
    assert client_for("leader").get(url).status_code == 403
    client.post(reverse("strategic:results_state", args=[world.plan.pk]), {"open": "1"})
    rows = strategic.results(world.plan)
    assert [(r.issue, r.rank) for r in rows] == [(first, 1), (second, 2)]
    # first: r1 = 5, r2 = (4*60+3*40)/100 = 3.6 → 4.3, spread 1.4
    assert float(rows[0].score) == pytest.approx(4.3)
    assert float(rows[0].spread) == pytest.approx(1.4)
    assert rows[1].missing == [world.resource_person]
    page = client_for("leader").get(url).content.decode()
    assert "4,30" in page or "4.30" in page


def test_adopt_top_n_records_the_decision_and_locks_after_finalisation(world, client_for):
    issues = [make_issue(world.plan, f"Isu {n}") for n in range(3)]
    make_criteria(world.plan)
    rater = make_rater(world.plan, world.planner)
    score_all(rater, {issues[0]: [2, 2], issues[1]: [5, 5], issues[2]: [4, 4]})
    client = client_for("planner")
    url = reverse("strategic:adopt", args=[world.plan.pk])
    client.post(url, {"rule": "top", "top": 2})
    assert not StrategicIssue.objects.filter(adopted_rank__isnull=False).exists()  # closed
    open_results(world.plan)
    client.post(url, {"rule": "top", "top": 2, "note": "Rapat pimpinan 8 April"})
    adopted = StrategicIssue.objects.filter(adopted_rank__isnull=False).order_by("adopted_rank")
    assert [(i.title, i.adopted_rank) for i in adopted] == [("Isu 1", 1), ("Isu 2", 2)]
    decision = IssueChange.objects.get(kind=IssueChange.Kind.ADOPT)
    assert decision.details["note"] == "Rapat pimpinan 8 April"
    client.post(url, {"rule": "threshold", "threshold": "4.5"})
    assert list(
        StrategicIssue.objects.filter(adopted_rank__isnull=False).values_list("title", flat=True)
    ) == ["Isu 1"]
    Stage.objects.create(
        plan=world.plan,
        kind=Stage.Kind.FINALISATION,
        name="Finalisasi",
        opens_on="2020-04-06",
        closes_on="2020-04-10",
        state=Stage.State.CLOSED,
    )
    client.post(url, {"rule": "top", "top": 3})
    assert StrategicIssue.objects.filter(adopted_rank__isnull=False).count() == 1


def test_xlsx_export_has_ranking_and_full_matrix_with_formulas_neutralised(world, client_for):
    first = make_issue(world.plan, '=HYPERLINK("http://x")')
    second = make_issue(world.plan, "Kesehatan")
    c1, c2 = make_criteria(world.plan)
    r1 = make_rater(world.plan, world.planner)
    r2 = make_rater(world.plan, world.resource_person)
    score_all(r1, {first: [5, 5], second: [3, 4]})
    score_all(r2, {first: [4, 3], second: [2, 2]})
    open_results(world.plan)
    response = client_for("leader").get(reverse("strategic:export", args=[world.plan.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.getvalue()))
    ranking, criteria_sheet, matrix = book.worksheets
    assert [ranking.cell(row=r, column=1).value for r in (5, 6)] == [1, 2]
    assert ranking.cell(row=5, column=2).value == '\'=HYPERLINK("http://x")'
    assert ranking.cell(row=5, column=3).value == pytest.approx(4.3)
    assert criteria_sheet.cell(row=2, column=3).value == 60
    rows = [[c.value for c in row] for row in matrix.iter_rows(min_row=2)]
    assert len(rows) == 4  # 2 raters × 2 issues
    by_key = {(r[0], r[1]): r[2:] for r in rows}
    assert by_key[(world.resource_person.full_name, "Kesehatan")] == [2, 2, 2.0]
    assert by_key[(world.planner.full_name, "Kesehatan")] == [3, 4, pytest.approx(3.4)]


def test_alignment_requires_a_national_priority_of_the_plan_period(world, client_for):
    from rpjmd.models import NationalPriority

    issue = make_issue(world.plan)
    url = reverse("strategic:alignment", args=[issue.pk])
    client = client_for("planner")
    client.post(url, {"source": "rpjmn", "note": "PN 3"})
    assert not Alignment.objects.exists()
    other_period = NationalPriority.objects.create(period="2025-2029", code="PNX", name="Lain")
    client.post(url, {"source": "rpjmn", "national_priority": other_period.pk, "note": "x"})
    assert not Alignment.objects.exists()
    priority = NationalPriority.objects.create(
        period=world.plan.rpjmn_period, code="PN3", name="SDM"
    )
    client.post(url, {"source": "rpjmn", "national_priority": priority.pk, "note": "PN 3"})
    alignment = Alignment.objects.get()
    assert alignment.national_priority == priority
    page = client.get(reverse("strategic:detail", args=[issue.pk])).content.decode()
    assert "PN 3" in page
    client.post(url, {"remove": alignment.pk})
    assert not Alignment.objects.exists()


def test_pages_render_for_planner_and_trace_shows_where_problems_ended(world, client_for):
    p1, p2 = accepted(world.agency_a), accepted(world.agency_b)
    issue = make_issue(world.plan, "Pendidikan", problems=[p1])
    NotStrategic.objects.create(problem=p2, reason="Urusan provinsi")
    client = client_for("planner")
    for name, args in [
        ("strategic:list", [world.plan.pk]),
        ("strategic:detail", [issue.pk]),
        ("strategic:update", [issue.pk]),
        ("strategic:problems", [issue.pk]),
        ("fgd:strategic_inputs", [issue.pk]),
        ("strategic:merge", [issue.pk]),
        ("strategic:split", [issue.pk]),
        ("strategic:raters", [world.plan.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    problem_page = client.get(reverse("issues:detail", args=[p1.pk])).content.decode()
    assert reverse("strategic:detail", args=[issue.pk]) in problem_page
    assert "Urusan provinsi" in client.get(reverse("issues:detail", args=[p2.pk])).text
    page = client.get(reverse("strategic:trace", args=[world.plan.pk])).content.decode()
    assert "Pendidikan" in page and "Bukan isu strategis" in page
    assert (
        client_for("leader").get(reverse("strategic:trace", args=[world.plan.pk])).status_code
        == 200
    )


def test_the_offered_standard_criteria_are_saved_even_untouched(world, client_for):
    _scale, defaults = strategic.default_criteria()
    data = {
        "scale-scale_min": 1,
        "scale-scale_max": 5,
        "criteria-TOTAL_FORMS": len(defaults) + 1,
        "criteria-INITIAL_FORMS": 0,
        f"criteria-{len(defaults)}-order": 1,  # the blank row for a new criterion, as shown
    }
    for n, item in enumerate(defaults):
        data |= {
            f"criteria-{n}-order": n + 1,
            f"criteria-{n}-name": item["name"],
            f"criteria-{n}-weight": item["weight"],
        }
    url = reverse("strategic:criteria", args=[world.plan.pk])
    response = client_for("planner").post(url, data)
    assert response.status_code == 302
    assert list(Criterion.objects.values_list("name", "weight")) == [
        (d["name"], d["weight"]) for d in defaults
    ]


def test_only_raters_have_a_sheet_and_each_sees_only_their_own(world, client_for):

    issue = make_issue(world.plan)
    make_criteria(world.plan)
    rater = make_rater(world.plan, world.planner)
    score_all(rater, {issue: [5, 4]})
    url = reverse("strategic:sheet", args=[world.plan.pk])
    assert client_for("resource_person").get(url).status_code == 403  # not a rater
    outsider = make_user("planner", agency=world.bappeda, username="bukan_penilai")
    client = client_for("anonymous")
    sign_in(client, outsider)
    assert client.get(url).status_code == 403
    make_rater(world.plan, world.resource_person)
    page = client_for("resource_person").get(url).content.decode()
    assert "0 dari 2 nilai terisi" in page and 'value="5"' not in page


def test_workflow_moves_problems_into_a_new_issue_and_sets_the_raters(world):
    problem = accepted(world.agency_a)
    NotStrategic.objects.create(problem=problem, reason="Bukan lintas OPD", by=world.planner)

    issue = strategic.move_problems(
        plan=world.plan, problems=[problem], issue=None, new_title="Isu baru", by=world.planner
    )
    assert issue.title == "Isu baru" and issue.created_by == world.planner
    assert list(issue.problems.all()) == [problem]
    assert not NotStrategic.objects.filter(problem=problem).exists()

    kept = make_rater(world.plan, world.planner)
    make_criteria(world.plan, weights=(100,))
    score_all(kept, {issue: [4]})
    gone = make_rater(world.plan, world.leader)
    score_all(gone, {issue: [2]})
    strategic.set_raters(plan=world.plan, users=[world.planner, world.resource_person])
    assert set(world.plan.raters.active().values_list("user__username", flat=True)) == {
        "planner",
        "narasumber",
    }
    # The rater taken off keeps their score, which no longer counts.
    assert set(Score.objects.values_list("rater__user__username", flat=True)) == {
        "planner",
        gone.user.username,
    }
    assert [row.score for row in strategic.results(world.plan)] == [4]
