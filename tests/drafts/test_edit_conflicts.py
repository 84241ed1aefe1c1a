"""Stale document and section settings forms (issue 13): 409, the first save intact."""

from drafts import editing
from tests.stale import assert_conflict, open_form, save_on_top, save_twice, typed


def test_a_stale_document_settings_form_is_refused(world, client_for, document):
    url = f"/rencana/{world.plan.pk}/dokumen/pengaturan/"
    response = save_twice(
        client_for("planner"),
        client_for("planner"),
        url,
        mine={"cover_place": "Tenggarong"},
        theirs={"cover_place": "Samarinda"},
    )
    page = assert_conflict(response, "Tenggarong", "Samarinda")
    document.refresh_from_db()
    assert document.cover_place == "Tenggarong"
    assert save_on_top(client_for("planner"), page, url).status_code == 302
    document.refresh_from_db()
    assert document.cover_place == "Samarinda"


def test_a_stale_section_settings_form_is_refused(world, client_for, section_a):
    url = f"/bagian/{section_a.pk}/pengaturan/"
    before = section_a.history.count()
    response = save_twice(
        client_for("planner"),
        client_for("planner"),
        url,
        mine={"section-title": "Pendidikan Dasar"},
        theirs={"section-hint": "Petunjuk dari tab kedua"},
    )
    assert_conflict(response, "Pendidikan Dasar", "Petunjuk dari tab kedua")
    section_a.refresh_from_db()
    assert section_a.title == "Pendidikan Dasar" and section_a.hint != "Petunjuk dari tab kedua"
    assert section_a.history.count() == before + 1  # one row for the one save


def test_a_text_save_does_not_make_the_settings_form_stale(world, client_for, section_a):
    url = f"/bagian/{section_a.pk}/pengaturan/"
    form = open_form(client_for("planner"), url)
    editing.save_section(
        section_id=section_a.pk,
        body="<p>Teks baru.</p>",
        base_version=section_a.version,
        by=world.staff_a,
    )
    response = client_for("planner").post(url, typed(form, **{"section-title": "Judul baru"}))
    assert response.status_code == 302
    section_a.refresh_from_db()
    assert section_a.title == "Judul baru" and section_a.body == "<p>Teks baru.</p>"
