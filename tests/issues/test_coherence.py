"""Chapter IV holds together: adoption needs accepted problems or a recorded reason, and a final
snapshot waits until every accepted problem ends in a strategic issue or is marked not strategic."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from drafts import completeness
from drafts.models import Snapshot
from drafts.snapshots import approve_snapshot, refusal_html
from issues.blocks import strategic_issues
from issues.models import Problem, StrategicIssue
from issues.strategic import workflow as strategic
from tests.drafts.factories import make_document, make_snapshot
from tests.issues.factories import make_problem
from tests.issues.strategic_factories import (
    accepted,
    make_criteria,
    make_issue,
    make_rater,
    open_results,
    score_all,
)


@pytest.fixture
def ranked(world):
    """Two scored issues with results open: one on an accepted problem, one on a submitted one."""
    solid = make_issue(world.plan, "Akses pendidikan", problems=[accepted(world.agency_a)])
    submitted = make_problem(world.agency_b, status=Problem.Status.SUBMITTED)
    shaky = make_issue(world.plan, "Layanan kesehatan dasar", problems=[submitted])
    make_criteria(world.plan)
    score_all(make_rater(world.plan, world.planner), {solid: [5, 5], shaky: [4, 4]})
    open_results(world.plan)
    return solid, shaky, submitted


def test_adoption_refused_while_a_problem_behind_the_issue_is_not_accepted(world, ranked):
    solid, shaky, _ = ranked
    with pytest.raises(ValidationError) as error:
        strategic.adopt(plan=world.plan, by=world.planner, top=2)
    assert "Layanan kesehatan dasar" in error.value.messages[0]
    assert "belum diterima" in error.value.messages[0]
    assert not StrategicIssue.objects.filter(adopted_rank__isnull=False).exists()
    # The issue on accepted problems alone is adopted without a reason.
    strategic.adopt(plan=world.plan, by=world.planner, top=1)
    assert StrategicIssue.objects.get(adopted_rank=1) == solid


def test_adoption_view_says_why_and_accepts_a_recorded_reason(world, ranked, client_for):
    solid, shaky, _ = ranked
    client = client_for("planner")
    url = reverse("strategic:adopt", args=[world.plan.pk])
    page = client.get(reverse("strategic:results", args=[world.plan.pk])).content.decode()
    assert f'name="reason-{shaky.pk}"' in page and f'name="reason-{solid.pk}"' not in page
    response = client.post(url, {"rule": "top", "top": 2}, follow=True)
    assert "belum diterima" in response.content.decode()
    assert not StrategicIssue.objects.filter(adopted_rank__isnull=False).exists()
    reason = "Dibahas pada FGD 7 Maret 2020; verifikasi Dinkes menyusul."
    client.post(url, {"rule": "top", "top": 2, f"reason-{shaky.pk}": reason})
    shaky.refresh_from_db()
    assert shaky.adopted_rank == 2 and shaky.adoption_reason == reason
    table = strategic_issues(world.plan)
    assert "Catatan:" in table.note and reason in table.note
    assert "Layanan kesehatan dasar" in table.note


def waive_kelengkapan(snapshot, by) -> None:
    """The test document's empty sections are the kelengkapan check's (issue 12 G), which runs
    before Chapter IV's coherence: waived here, so the coherence check is the one that speaks."""
    for finding in completeness.open_findings(snapshot.document, snapshot):
        completeness.waive(
            document=snapshot.document,
            key=finding.key,
            reason="Dokumen uji",
            by=by,
            snapshot=snapshot,
        )


def test_final_snapshot_refused_while_an_accepted_problem_ends_nowhere(world, client_for):
    document = make_document(world.plan)
    lonely = accepted(world.agency_a, statement="Angka putus sekolah SMP tinggi")
    make_issue(world.plan, "Akses pendidikan", problems=[accepted(world.agency_a)])
    snapshot = make_snapshot(document, world.planner)
    waive_kelengkapan(snapshot, world.planner)
    findings = strategic.coherence_findings(world.plan)
    assert len(findings) == 1 and "Angka putus sekolah SMP tinggi" in findings[0].message
    assert findings[0].url == reverse("issues:detail", args=[lonely.pk])
    with pytest.raises(strategic.IncoherentPlan):
        approve_snapshot(snapshot=snapshot, by=world.leader)
    response = client_for("leader").post(
        reverse("drafts:snapshot_approve", args=[snapshot.pk]), {"final": "1"}, follow=True
    )
    page = response.content.decode()
    assert "Bab IV belum utuh" in page
    assert f'href="{reverse("issues:detail", args=[lonely.pk])}"' in page
    assert not Snapshot.objects.get(pk=snapshot.pk).is_final

    strategic.mark_not_strategic(problems=[lonely], reason="Urusan provinsi", by=world.planner)
    assert strategic.coherence_findings(world.plan) == []
    approve_snapshot(snapshot=snapshot, by=world.leader)
    assert Snapshot.objects.get(pk=snapshot.pk).is_final


def test_final_snapshot_allowed_once_the_problem_is_mapped(world):
    document = make_document(world.plan)
    lonely = accepted(world.agency_b)
    issue = make_issue(world.plan, "Layanan kesehatan dasar")
    snapshot = make_snapshot(document, world.planner)
    waive_kelengkapan(snapshot, world.planner)
    with pytest.raises(strategic.IncoherentPlan):
        approve_snapshot(snapshot=snapshot, by=world.leader)
    strategic.link_problems(issue, [lonely])
    approve_snapshot(snapshot=snapshot, by=world.leader)
    assert Snapshot.objects.get(pk=snapshot.pk).is_final


def test_adopted_issue_without_reason_on_a_problem_later_returned_is_a_finding(world, ranked):
    solid, shaky, submitted = ranked
    strategic.adopt(plan=world.plan, by=world.planner, top=1)
    problem = solid.problems.get()
    Problem.objects.filter(pk=problem.pk).update(status=Problem.Status.RETURNED)
    findings = strategic.coherence_findings(world.plan)
    assert any("Akses pendidikan" in f.message for f in findings)


def test_findings_and_reasons_are_escaped(world, ranked, client_for):
    solid, shaky, _ = ranked
    payload = '<script>alert("x")</script>'
    strategic.adopt(plan=world.plan, by=world.planner, top=2, reasons={shaky.pk: payload})
    page = client_for("planner").get(reverse("strategic:results", args=[world.plan.pk])).text
    assert payload not in page and "&lt;script&gt;" in page
    accepted(world.agency_a, statement=f"Masalah {payload}")
    html = str(refusal_html(strategic.IncoherentPlan(strategic.coherence_findings(world.plan))))
    assert payload not in html and "&lt;script&gt;" in html and "<a href=" in html


def test_the_planner_sees_the_findings_with_links_on_the_issue_list(world, client_for):
    lonely = accepted(world.agency_a, statement="Angka putus sekolah SMP tinggi")
    url = reverse("strategic:list", args=[world.plan.pk])
    page = client_for("planner").get(url).text
    assert "Bab IV belum utuh" in page
    assert f'href="{reverse("issues:detail", args=[lonely.pk])}"' in page
    strategic.mark_not_strategic(problems=[lonely], reason="Urusan provinsi", by=world.planner)
    assert "Bab IV belum utuh" not in client_for("planner").get(url).text
