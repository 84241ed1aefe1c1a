"""Data blocks in the browser show each reader only what the module's own pages show them
(issue 13): every block key × every role, on the editor's block preview and in the chapter
reading view. The PDF export and snapshots still build every block complete.

The authorization matrix holds one Route per URL name (`drafts:block_preview` with one key),
so the walk over every key lives here.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from drafts.blocks import REGISTRY, LiveBlocks, kinds_for
from drafts.export import assemble
from drafts.snapshots import take_snapshot
from issues.models import Problem, ProblemSettings
from tests.authz_matrix import LOGIN, ROLES
from tests.drafts.factories import make_document, make_section
from tests.issues.factories import make_problem
from tests.issues.strategic_factories import make_issue

pytestmark = pytest.mark.django_db

# What agency A's staff (role "opd") may read, and what belongs to others only.
OWN_ACCEPTED = "Milik-Disdikbud-diterima"
OTHER_ACCEPTED = "Rahasia-Dinkes-diterima"
OTHER_SUBMITTED = "Rahasia-Dinkes-diajukan"
OTHER_DRAFT = "Rahasia-Dinkes-draf"
OWN_DRAFT = "Milik-Disdikbud-draf"
ISSUE = "Isu-strategis-rahasia"
NEVER_IN_A_BLOCK = (OTHER_SUBMITTED, OTHER_DRAFT, OWN_DRAFT)  # not accepted: in no one's table

# What each role may see in the problem and strategic-issue blocks.
SEES = {
    "opd": {OWN_ACCEPTED},
    "planner": {OWN_ACCEPTED, OTHER_ACCEPTED, ISSUE},
    "leader": {OWN_ACCEPTED, OTHER_ACCEPTED, ISSUE},
    "resource_person": {ISSUE},  # problems only when tabled in an FGD they attend
    "admin": set(),
}
SECRETS = {OWN_ACCEPTED, OTHER_ACCEPTED, ISSUE}

# The preview: the editor's authors (planners, OPD staff); outsiders of another pemda get 404.
PREVIEW = dict.fromkeys(ROLES, 403) | {
    "anonymous": LOGIN,
    "opd": 200,
    "planner": 200,
    "other_planner": 404,
    "other_staff": 404,
}


def block_keys() -> list[str]:
    return sorted(REGISTRY)


def seed(world) -> None:
    make_problem(world.agency_a, status=Problem.Status.ACCEPTED, statement=OWN_ACCEPTED)
    make_problem(world.agency_a, status=Problem.Status.DRAFT, statement=OWN_DRAFT)
    make_problem(world.agency_b, status=Problem.Status.ACCEPTED, statement=OTHER_ACCEPTED)
    make_problem(world.agency_b, status=Problem.Status.SUBMITTED, statement=OTHER_SUBMITTED)
    make_problem(world.agency_b, status=Problem.Status.DRAFT, statement=OTHER_DRAFT)
    make_issue(world.plan, ISSUE)


def test_every_block_key_is_walked(world):
    assert {k.key for k in kinds_for(world.plan)} <= set(block_keys())
    assert {"permasalahan", "isu_strategis", "kecamatan", "perangkat-daerah"} <= set(block_keys())


@pytest.mark.parametrize("key", block_keys())
def test_block_preview_of_every_key_as_every_role(world, client_for, key):
    seed(world)
    make_document(world.plan)
    url = reverse("drafts:block_preview", kwargs={"plan_id": world.plan.pk, "key": key})
    available = REGISTRY[key].available(world.plan)
    for role, expected in PREVIEW.items():
        response = client_for(role).get(url)
        if expected == LOGIN:
            assert response.status_code == 302, (key, role)
            assert response["Location"].startswith("/masuk/"), (key, role)
            continue
        if expected == 200 and not available:
            expected = 404
        assert response.status_code == expected, (key, role, response.status_code)
        text = response.content.decode()
        for secret in NEVER_IN_A_BLOCK:
            assert secret not in text, (key, role, secret)
        for secret in SECRETS - SEES.get(role, set()):
            assert secret not in text, (key, role, secret)
        if expected == 200 and key == "permasalahan":
            assert all(s in text for s in SEES[role] - {ISSUE}), (key, role)
        if expected == 200 and key == "isu_strategis":
            assert (ISSUE in text) == (ISSUE in SEES[role]), (key, role)


def test_the_chapter_reading_view_builds_blocks_for_its_reader(world, client_for):
    seed(world)
    body = (
        '<p>Tabel berikut.</p><figure class="data-block" data-block="permasalahan"></figure>'
        '<figure class="data-block" data-block="isu_strategis"></figure>'
    )
    section = make_section(world.plan, body=body, by=world.planner, status="approved")
    url = reverse("drafts:chapter", args=[section.chapter_id])
    for role, seen in SEES.items():
        if role == "resource_person":
            continue  # the section is not shared with them: they read no text at all
        text = client_for(role).get(url).content.decode()
        assert "Tabel berikut." in text, role
        for secret in SECRETS:
            assert (secret in text) == (secret in seen), (role, secret)
        for secret in NEVER_IN_A_BLOCK:
            assert secret not in text, (role, secret)
    # The section page and the editor are browser views too.
    page = client_for("opd").get(reverse("drafts:section", args=[section.pk])).content.decode()
    assert OWN_ACCEPTED in page and OTHER_ACCEPTED not in page and ISSUE not in page


def test_an_opd_that_may_read_all_submitted_problems_sees_them_in_the_block(world, client_for):
    """Opened to all participants, the list shows other agencies' problems: so does the block."""
    seed(world)
    ProblemSettings.objects.update_or_create(
        plan=world.plan, defaults={"open_to_all_participants": True}
    )
    make_document(world.plan)
    url = reverse("drafts:block_preview", args=[world.plan.pk, "permasalahan"])
    text = client_for("opd").get(url).content.decode()
    assert OWN_ACCEPTED in text and OTHER_ACCEPTED in text
    assert OTHER_SUBMITTED not in text and OTHER_DRAFT not in text


def test_the_export_and_snapshots_build_every_block_complete(world):
    seed(world)
    body = (
        '<figure class="data-block" data-block="permasalahan"></figure>'
        '<figure class="data-block" data-block="isu_strategis"></figure>'
    )
    section = make_section(world.plan, body=body, by=world.planner)
    document = section.chapter.document
    # What the PDF export renders (assemble without a viewer).
    assembled = assemble(document, None)
    (view,) = [s for c in assembled.chapters for s in c.sections if s.id == section.pk]
    html = str(assembled.render(view))
    assert OWN_ACCEPTED in html and OTHER_ACCEPTED in html and ISSUE in html
    snapshot = take_snapshot(document=document, name="Untuk FGD", by=world.planner)
    frozen = str(snapshot.blocks)
    assert OTHER_ACCEPTED in frozen and ISSUE in frozen
    # And the same builder, for a reader, leaves out what they may not read.
    table = LiveBlocks(world.plan, viewer=world.staff_a)("permasalahan")
    assert OTHER_ACCEPTED not in str(table.to_dict())
    assert "Hanya data yang boleh Anda lihat" in table.note
