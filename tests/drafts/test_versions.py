"""Every save is a version; versions can be opened, compared and restored; no save overwrites
another (merge or conflict)."""

import html
import re

from drafts.models import Section, WorkingCopy


def save(client, section, body, base, note=""):
    return client.post(
        f"/bagian/{section.pk}/ubah/", {"body": body, "base_version": base, "note": note}
    )


def history(section):
    return list(
        Section.history.filter(id=section.pk)
        .order_by("history_id")
        .values_list("version", "history_user__username", "history_change_reason")
    )


def test_each_save_is_a_version_with_author_time_and_note(world, client_for, section_a):
    response = save(client_for("opd"), section_a, "<p>Teks kedua.</p>", 1, note="Memperbaiki angka")
    assert response.status_code == 302
    section_a.refresh_from_db()
    assert section_a.version == 2 and section_a.body == "<p>Teks kedua.</p>"
    assert section_a.updated_by == world.staff_a and section_a.updated_at is not None
    assert history(section_a)[-1] == (2, "staff_a", "Memperbaiki angka")
    page = client_for("planner").get(f"/bagian/{section_a.pk}/versi/")
    assert "Memperbaiki angka" in page.text and "staff_a" not in page.text
    assert world.staff_a.full_name in page.text


def test_saving_unchanged_text_makes_no_version(client_for, section_a):
    response = save(client_for("opd"), section_a, section_a.body, 1)
    assert response.status_code == 302
    section_a.refresh_from_db()
    assert section_a.version == 1


def test_any_version_opens_and_shows_its_own_text(client_for, section_a):
    save(client_for("opd"), section_a, "<p>Teks versi dua.</p>", 1)
    old = client_for("leader").get(f"/bagian/{section_a.pk}/versi/1/")
    assert "Angka partisipasi sekolah meningkat." in old.text
    assert "Teks versi dua." not in old.text
    assert client_for("leader").get(f"/bagian/{section_a.pk}/versi/9/").status_code == 404


def test_comparing_two_versions_marks_words_inserted_and_deleted(client_for, section_a):
    save(
        client_for("opd"),
        section_a,
        "<p>Angka partisipasi sekolah menurun.</p><p>Ruang kelas rusak berkurang.</p>",
        1,
    )
    page = client_for("planner").get(f"/bagian/{section_a.pk}/bandingkan/?a=1&b=2").text
    assert "<del>meningkat.</del>" in page and "<ins>menurun.</ins>" in page
    assert "Ruang kelas rusak berkurang." in page


def test_comparing_tables_marks_the_changed_cell(client_for, section_a):
    table = "<table><caption>APS</caption><tr><td>SD</td><td>98,5</td></tr></table>"
    client = client_for("opd")
    save(client, section_a, table, 1)
    section_a.refresh_from_db()
    save(client, section_a, section_a.body.replace("98,5", "99,1"), 2)
    page = client_for("planner").get(f"/bagian/{section_a.pk}/bandingkan/?a=2&b=3").text
    assert "<td><del>98,5</del><ins>99,1</ins></td>" in page
    assert "Tabel 2.1" in page  # numbered as readers see it


def test_restoring_adds_a_new_version_and_rewrites_nothing(world, client_for, section_a):
    client = client_for("opd")
    save(client, section_a, "<p>Versi dua.</p>", 1)
    save(client, section_a, "<p>Versi tiga.</p>", 2)
    before = history(section_a)
    response = client_for("planner").post(f"/bagian/{section_a.pk}/versi/1/pulihkan/")
    assert response.status_code == 302
    section_a.refresh_from_db()
    assert section_a.version == 4
    assert "Angka partisipasi sekolah meningkat." in section_a.body
    after = history(section_a)
    assert after[: len(before)] == before  # nothing before was touched
    assert after[-1] == (4, "planner", "Dipulihkan dari versi 1")


def test_a_save_from_an_older_version_merges_changes_that_do_not_overlap(
    world, client_for, section_a
):
    opd, planner = client_for("opd"), client_for("planner")
    save(opd, section_a, section_a.body.replace("meningkat", "meningkat tajam"), 1)
    response = save(planner, section_a, section_a.body.replace("berkurang", "berkurang 40%"), 1)
    assert response.status_code == 302
    section_a.refresh_from_db()
    assert section_a.version == 3
    assert "meningkat tajam" in section_a.body and "berkurang 40%" in section_a.body
    messages = [str(m) for m in planner.get(response["Location"]).context["messages"]]
    assert any("digabungkan" in m for m in messages)


def test_overlapping_edits_come_back_as_a_conflict_and_nothing_is_overwritten(
    world, client_for, section_a
):
    opd, planner = client_for("opd"), client_for("planner")
    save(opd, section_a, section_a.body.replace("meningkat", "naik"), 1)
    mine = section_a.body.replace("meningkat", "membaik")
    response = save(planner, section_a, mine, 1, note="Versi perencana")
    assert response.status_code == 409
    assert "bertabrakan" in response.text
    assert "naik" in response.text and "membaik" in response.text
    section_a.refresh_from_db()
    assert section_a.version == 2 and "naik" in section_a.body and "membaik" not in section_a.body
    copy = WorkingCopy.objects.get(user=world.planner, section=section_a)
    assert "membaik" in copy.body and copy.base_version == 1

    # The planner keeps their own wording for the one conflict.
    resolved = planner.post(
        f"/bagian/{section_a.pk}/gabung/",
        {
            "mine": mine,
            "base_version": 1,
            "theirs_version": 2,
            "note": "Versi perencana",
            "choice-0": "mine",
        },
    )
    assert resolved.status_code == 302
    section_a.refresh_from_db()
    assert section_a.version == 3 and "membaik" in section_a.body and "naik" not in section_a.body
    assert not WorkingCopy.objects.filter(user=world.planner, section=section_a).exists()


def test_resolving_against_a_section_that_moved_again_asks_again(world, client_for, section_a):
    opd, planner = client_for("opd"), client_for("planner")
    save(opd, section_a, section_a.body.replace("meningkat", "naik"), 1)
    mine = section_a.body.replace("meningkat", "membaik")
    save(planner, section_a, mine, 1)
    save(opd, section_a, section_a.body.replace("meningkat", "naik pesat"), 2)
    response = planner.post(
        f"/bagian/{section_a.pk}/gabung/",
        {"mine": mine, "base_version": 1, "theirs_version": 2, "choice-0": "mine"},
    )
    assert response.status_code == 409
    assert "naik pesat" in response.text
    section_a.refresh_from_db()
    assert "membaik" not in section_a.body


def test_an_unknown_base_version_is_refused_with_the_text_kept(client_for, section_a):
    response = save(client_for("opd"), section_a, "<p>Teks saya yang panjang.</p>", 7)
    assert response.status_code == 200
    assert "Versi dasar tidak dikenal" in response.text
    assert "Teks saya yang panjang." in response.text
    section_a.refresh_from_db()
    assert section_a.version == 1


def test_saving_an_approved_section_sends_it_back_to_review(client_for, section_a):
    section_a.status = Section.Status.APPROVED
    section_a.save()
    save(client_for("opd"), section_a, "<p>Perubahan setelah disetujui.</p>", 1)
    section_a.refresh_from_db()
    assert section_a.status == Section.Status.REVIEW


def test_the_editor_offers_the_private_working_copy_back(world, client_for, section_a):
    client = client_for("opd")
    response = client.post(
        f"/bagian/{section_a.pk}/simpan-otomatis/",
        {"body": "<p>Belum disimpan <script>x</script>.</p>", "base_version": 1},
    )
    assert response.status_code == 200 and "Salinan kerja tersimpan" in response.text
    copy = WorkingCopy.objects.get(user=world.staff_a, section=section_a)
    assert copy.body == "<p>Belum disimpan .</p>"
    page = client.get(f"/bagian/{section_a.pk}/ubah/").text
    assert "Ada teks yang belum Anda simpan" in page
    restored = client.get(f"/bagian/{section_a.pk}/ubah/?salinan=1")
    assert "Belum disimpan" in restored.context["form"]["body"].value()
    # Nobody else sees it.
    assert (
        "Ada teks yang belum Anda simpan"
        not in client_for("planner").get(f"/bagian/{section_a.pk}/ubah/").text
    )
    client.post(f"/bagian/{section_a.pk}/salinan-kerja/buang/")
    assert not WorkingCopy.objects.filter(user=world.staff_a).exists()


def test_the_editor_shows_who_else_has_the_section_open(world, client_for, section_a):
    client_for("planner").post(f"/bagian/{section_a.pk}/kehadiran/", {"editing": "1"})
    response = client_for("opd").post(f"/bagian/{section_a.pk}/kehadiran/", {"editing": "1"})
    assert world.planner.full_name in response.text and "sedang menyunting" in response.text
    alone = client_for("planner").post(f"/bagian/{section_a.pk}/kehadiran/", {"editing": "1"})
    assert world.staff_a.full_name in alone.text


def test_presence_expires(world, client_for, section_a, time_machine):
    time_machine.move_to("2026-11-10 09:00 +0800", tick=False)
    client_for("planner").post(f"/bagian/{section_a.pk}/kehadiran/", {"editing": "1"})
    time_machine.move_to("2026-11-10 09:05 +0800", tick=False)
    response = client_for("opd").post(f"/bagian/{section_a.pk}/kehadiran/", {"editing": "1"})
    assert world.planner.full_name not in response.text


def test_the_editor_shows_data_blocks_and_numbers(world, client_for, document):
    section = Section.objects.filter(chapter__document=document, depth=1).first()
    save(
        client_for("planner"),
        section,
        '<p>Daftar:</p><figure class="data-block" data-block="kecamatan"></figure>',
        0,
    )
    page = client_for("planner").get(f"/bagian/{section.pk}/ubah/").text
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1)
    assert 'contenteditable="false"' in html.unescape(textarea)
    assert "Tabel 1.1" in textarea  # the block's table, numbered in chapter I


def test_keeping_both_sides_of_a_conflict_writes_the_paragraph_once(world, client_for, section_a):
    opd, planner = client_for("opd"), client_for("planner")
    save(opd, section_a, section_a.body.replace("meningkat.", "meningkat (BPS)."), 1)
    mine = section_a.body.replace("meningkat.", "meningkat pesat.")
    assert save(planner, section_a, mine, 1).status_code == 409
    resolved = planner.post(
        f"/bagian/{section_a.pk}/gabung/",
        {"mine": mine, "base_version": 1, "theirs_version": 2, "choice-0": "both"},
    )
    assert resolved.status_code == 302
    section_a.refresh_from_db()
    assert section_a.body == (
        "<p>Angka partisipasi sekolah meningkat (BPS). pesat.</p>\n"
        "<p>Ruang kelas rusak berkurang.</p>"
    )
