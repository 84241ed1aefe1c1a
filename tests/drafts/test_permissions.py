"""Who may edit what: planners everything, OPD staff their agency's sections, others nobody.
Refusals leave the database exactly as it was."""

import pytest

from drafts.models import Comment, Section, SectionShare, WorkingCopy
from tests.drafts.factories import make_section
from tests.writes import changes_nothing

WRITES = [
    ("post", "/bagian/{pk}/ubah/", {"body": "<p>Ditimpa</p>", "base_version": 1}),
    ("post", "/bagian/{pk}/simpan-otomatis/", {"body": "<p>Salinan</p>", "base_version": 1}),
    ("post", "/bagian/{pk}/status/", {"action": "submit"}),
    ("post", "/bagian/{pk}/status/", {"action": "approve"}),
    ("post", "/bagian/{pk}/versi/1/pulihkan/", {}),
    ("post", "/bagian/{pk}/gabung/", {"mine": "<p>x</p>", "base_version": 0, "theirs_version": 1}),
    ("post", "/bagian/{pk}/salinan-kerja/buang/", {}),
    ("post", "/bagian/{pk}/komentar/", {"body": "Komentar"}),
    ("post", "/bagian/{pk}/pengaturan/", {"section-title": "Diganti", "section-depth": 1}),
    ("post", "/bagian/{pk}/pindah/", {"direction": "up"}),
    ("post", "/bagian/{pk}/hapus/", {}),
    ("post", "/bagian/{pk}/bagikan/", {}),
]


@pytest.mark.parametrize(("method", "url", "data"), WRITES)
def test_staff_of_another_agency_get_404_and_change_nothing(
    world, client_for, section_a, method, url, data
):
    client = client_for("opd_b")  # logging in writes last_login: outside the check
    with changes_nothing():
        response = getattr(client, method)(url.format(pk=section_a.pk), data)
        assert response.status_code == 404


@pytest.mark.parametrize("role", ["leader", "admin"])
@pytest.mark.parametrize(("method", "url", "data"), [w for w in WRITES if "komentar" not in w[1]])
def test_readers_who_may_not_edit_get_403_and_change_nothing(
    world, client_for, section_a, role, method, url, data
):
    client = client_for(role)
    with changes_nothing():
        response = getattr(client, method)(url.format(pk=section_a.pk), data)
        assert response.status_code == 403


def test_staff_edit_their_agencys_sections_and_read_approved_ones_of_others(world, client_for):
    own = make_section(world.plan, agency=world.agency_a, body="<p>Milik A.</p>", by=world.staff_a)
    other_draft = make_section(
        world.plan, agency=world.agency_b, body="<p>Draf B.</p>", by=world.staff_b
    )
    other_done = make_section(
        world.plan,
        agency=world.agency_b,
        body="<p>Disetujui B.</p>",
        by=world.staff_b,
        status="approved",
    )
    client = client_for("opd")
    assert client.get(f"/bagian/{own.pk}/ubah/").status_code == 200
    assert client.get(f"/bagian/{other_draft.pk}/").status_code == 404
    assert client.get(f"/bagian/{other_done.pk}/").status_code == 200
    assert client.get(f"/bagian/{other_done.pk}/ubah/").status_code == 403
    # The chapter shows what they may read, and says some is hidden.
    chapter = client.get(f"/bab/{own.chapter_id}/").text
    assert "Milik A." in chapter and "Disetujui B." in chapter and "Draf B." not in chapter
    assert "1 bagian lain belum dapat Anda baca" in chapter


def test_a_section_assigned_to_a_person_is_theirs_to_edit(world, client_for):
    section = make_section(world.plan, user=world.staff_b)
    assert client_for("opd_b").get(f"/bagian/{section.pk}/ubah/").status_code == 200
    assert client_for("opd").get(f"/bagian/{section.pk}/ubah/").status_code == 404


def test_only_planners_approve_and_authors_submit(world, client_for, section_a):
    opd = client_for("opd")
    opd.post(f"/bagian/{section_a.pk}/status/", {"action": "approve"})
    assert opd.post(f"/bagian/{section_a.pk}/status/", {"action": "approve"}).status_code == 403
    opd.post(f"/bagian/{section_a.pk}/status/", {"action": "submit"})
    section_a.refresh_from_db()
    assert section_a.status == Section.Status.REVIEW
    client_for("planner").post(f"/bagian/{section_a.pk}/status/", {"action": "approve"})
    section_a.refresh_from_db()
    assert section_a.status == Section.Status.APPROVED
    # Sending back needs a reason.
    planner = client_for("planner")
    planner.post(f"/bagian/{section_a.pk}/status/", {"action": "return"})
    section_a.refresh_from_db()
    assert section_a.status == Section.Status.APPROVED
    planner.post(
        f"/bagian/{section_a.pk}/status/", {"action": "return", "note": "Data belum lengkap"}
    )
    section_a.refresh_from_db()
    assert section_a.status == Section.Status.DRAFT
    last = Section.history.filter(id=section_a.pk).order_by("-history_id").first()
    assert last.history_change_reason == "Status: Disetujui → Draf — Data belum lengkap"


def test_outsiders_cannot_even_read(world, client_for, section_a):
    for role in ["other_planner", "other_staff"]:
        assert client_for(role).get(f"/bagian/{section_a.pk}/").status_code == 404
        assert client_for(role).get(f"/rencana/{world.plan.pk}/dokumen/").status_code == 404


def test_mass_assignment_through_the_editor_is_ignored(world, client_for, section_a):
    client_for("opd").post(
        f"/bagian/{section_a.pk}/ubah/",
        {
            "body": "<p>Teks.</p>",
            "base_version": 1,
            "status": "approved",
            "assigned_agency": world.agency_b.pk,
            "version": 99,
        },
    )
    section_a.refresh_from_db()
    assert section_a.status == Section.Status.DRAFT
    assert section_a.assigned_agency == world.agency_a and section_a.version == 2
    assert not (
        Comment.objects.exists() or SectionShare.objects.exists() or WorkingCopy.objects.exists()
    )


def test_deactivated_users_and_other_regions_edit_export_and_preview_nothing(world, section_a):
    """The guards every drafts permission starts with, checked directly (the HTTP walks reach
    them only through lookups that already hide other regions' objects)."""
    from drafts.permissions import can_edit_section, can_export, can_preview_chapter

    document, chapter = section_a.chapter.document, section_a.chapter
    assert can_edit_section(world.planner, section_a)
    assert can_export(world.planner, document) and can_preview_chapter(world.planner, chapter)
    outsider = world.other_planner
    assert not can_edit_section(outsider, section_a)
    assert not can_export(outsider, document)
    assert not can_preview_chapter(outsider, chapter)
    world.planner.is_active = False
    assert not can_edit_section(world.planner, section_a)
    assert not can_export(world.planner, document)
    assert not can_preview_chapter(world.planner, chapter)
