"""The conflict page when the same person saves the section from two tabs at once.

Found by tests/fault/test_concurrent_saves.py (50 sessions of one planner over HTTP): a save
that conflicts keeps the author's text as their working copy, and the conflict page used to
read its base version back from that copy; a save from the author's other tab, landing in
between, deletes the copy, and the page failed with a 500.
"""

from drafts import editing
from drafts.models import WorkingCopy


def test_a_conflict_page_does_not_need_the_working_copy_another_tab_removed(
    world, client_for, section_a, monkeypatch
):
    opd, planner = client_for("opd"), client_for("planner")
    saved = opd.post(
        f"/bagian/{section_a.pk}/ubah/",
        {"body": section_a.body.replace("meningkat", "naik"), "base_version": 1},
    )
    assert saved.status_code == 302
    # The other tab's save removes the working copy before this conflict page is built.
    monkeypatch.setattr(editing, "_keep_working_copy", lambda *args: None)
    response = planner.post(
        f"/bagian/{section_a.pk}/ubah/",
        {"body": section_a.body.replace("meningkat", "membaik"), "base_version": 1},
    )
    assert response.status_code == 409
    assert not WorkingCopy.objects.filter(user=world.planner, section=section_a).exists()
    assert 'name="base_version" value="1"' in response.text
    assert 'name="theirs_version" value="2"' in response.text
