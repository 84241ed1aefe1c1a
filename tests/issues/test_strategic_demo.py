"""The demo's strategic issues: six Kukar issues, linked, scored by three raters, adopted."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from issues.models import (
    Criterion,
    IssueChange,
    Rater,
    Score,
    StrategicIssue,
    StrategicSettings,
)
from issues.strategic import workflow as strategic
from rpjmd.models import User
from tests.factories import sign_in


def snapshot():
    return (
        sorted(StrategicIssue.objects.values_list("title", "adopted_rank")),
        sorted(StrategicIssue.objects.values_list("title", "problems", "fgd_inputs", "alignments")),
        sorted(Criterion.objects.values_list("name", "weight")),
        sorted(Score.objects.values_list("rater__user__username", "issue__title", "value")),
        IssueChange.objects.count(),
    )


def test_demo_strategic_issues_are_the_six_kukar_issues_scored_and_adopted(demo):
    data = json.loads(
        (settings.BASE_DIR / "rpjmd/data/kutai_kartanegara.json").read_text(encoding="utf-8")
    )
    issues = StrategicIssue.objects.all()
    assert sorted(i.title for i in issues) == sorted(data["isu_strategis_rpjmd_2021_2026"])
    for issue in issues:
        assert issue.problems.exists(), issue.title
        assert issue.alignments.exists(), issue.title
    assert StrategicIssue.objects.filter(fgd_inputs__isnull=False).distinct().count() >= 3
    # The technocratic stage drops the campaign-promise criterion and re-weights to 100.
    assert sum(Criterion.objects.values_list("weight", flat=True)) == 100
    assert not Criterion.objects.filter(name__icontains="janji politik").exists()
    assert sorted(Rater.objects.values_list("user__username", flat=True)) == sorted(
        strategic_demo_raters()
    )
    plan = issues[0].plan
    assert StrategicSettings.for_plan(plan).results_open
    rows = strategic.results(plan)
    assert all(row.rank is not None and not row.missing for row in rows)
    assert IssueChange.objects.filter(kind=IssueChange.Kind.ADOPT).count() == 1
    assert issues.filter(adopted_rank__isnull=False).count() == 6

    # Section 4.2 of the demo document shows the ranking as a data block.
    from drafts.models import Section

    section = Section.objects.get(
        title="Isu Strategis", chapter__number="IV", chapter__document__plan=plan
    )
    assert 'data-block="isu_strategis"' in section.body

    # The leader reads the results; the third rater logs in with the demo password.
    leader = Client()
    sign_in(leader, User.objects.get(username="wiyono"))
    page = leader.get(reverse("strategic:results", args=[plan.pk])).content.decode()
    assert data["isu_strategis_rpjmd_2021_2026"][0] in page


def strategic_demo_raters():
    from issues.strategic.demo import RATERS

    return RATERS


def test_running_the_demo_again_adds_no_duplicates(demo):
    before = snapshot()
    call_command("demo", "--quiet")
    assert snapshot() == before
