"""Comments on a section or a passage: anchoring, threads, mentions, resolve and reopen."""

from drafts import editing
from drafts.comments import locate
from drafts.html import text_of
from drafts.models import Comment, SectionShare
from rpjmd.models import Notification


def post(client, section, **data):
    return client.post(f"/bagian/{section.pk}/komentar/", data)


def test_a_passage_comment_stays_attached_when_the_text_around_it_changes(
    world, client_for, section_a
):
    post(
        client_for("planner"),
        section_a,
        body="Sumber datanya apa?",
        quote="Ruang kelas rusak",
        prefix="Angka partisipasi sekolah meningkat.",
        suffix="berkurang.",
    )
    comment = Comment.objects.get()
    editing.save_section(
        section_id=section_a.pk,
        body="<p>Pendahuluan baru ditambahkan.</p><p>Angka partisipasi sekolah naik.</p>"
        "<p>Jumlah ruang kelas rusak turun; Ruang kelas rusak berkurang di semua kecamatan.</p>",
        base_version=1,
        by=world.staff_a,
    )
    section_a.refresh_from_db()
    text = text_of(section_a.body)
    anchor = locate(text, comment.quote, comment.prefix, comment.suffix)
    assert anchor is not None and text[anchor.start : anchor.end] == "Ruang kelas rusak"
    # Of the two "ruang kelas rusak", the one followed by "berkurang" is chosen.
    assert text[anchor.end :].startswith(" berkurang")
    page = client_for("opd").get(f"/bagian/{section_a.pk}/").text
    assert "Teks yang dikomentari sudah berubah" not in page


def test_a_comment_whose_passage_is_gone_says_so(world, client_for, section_a):
    post(client_for("planner"), section_a, body="Perlu data.", quote="Ruang kelas rusak berkurang.")
    editing.save_section(
        section_id=section_a.pk, body="<p>Semua diganti.</p>", base_version=1, by=world.planner
    )
    page = client_for("planner").get(f"/bagian/{section_a.pk}/").text
    assert "Teks yang dikomentari sudah berubah atau dihapus." in page


def test_mentions_notify_the_people_who_can_read_the_section(world, client_for, section_a):
    planner = client_for("planner")
    response = post(planner, section_a, body="@staff_a mohon lengkapi. @staff_b juga? @tidakada")
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert list(comment.mentions.all()) == [world.staff_a]
    note = Notification.objects.get(recipient=world.staff_a)
    assert "menyebut Anda" in note.message and note.url.startswith(f"/bagian/{section_a.pk}/")
    # staff_b cannot read agency A's draft: not told (and the author is warned).
    assert not Notification.objects.filter(recipient=world.staff_b).exists()
    messages = [str(m) for m in planner.get(response["Location"]).context["messages"]]
    assert any("@staff_b" in m and "@tidakada" in m for m in messages)


def test_replies_thread_under_the_first_comment_and_notify_its_author(world, client_for, section_a):
    post(client_for("leader"), section_a, body="Mohon tabel APS per jenjang.")
    root = Comment.objects.get()
    post(client_for("opd"), section_a, body="Baik, kami lengkapi.", parent=root.pk)
    reply = Comment.objects.exclude(pk=root.pk).get()
    assert reply.parent == root
    assert Notification.objects.filter(
        recipient=world.leader, message__contains="membalas"
    ).exists()
    # A reply to the reply still lands under the root.
    post(client_for("planner"), section_a, body="Terima kasih.", parent=reply.pk)
    assert Comment.objects.filter(parent=root).count() == 2


def test_resolve_and_reopen_a_thread(world, client_for, section_a):
    post(client_for("leader"), section_a, body="Periksa angka.")
    comment = Comment.objects.get()
    # Someone who neither wrote it nor edits the section may not close it.
    assert client_for("admin").post(f"/komentar/{comment.pk}/selesai/").status_code == 403
    client_for("opd").post(f"/komentar/{comment.pk}/selesai/", {"resolved": "1"})
    comment.refresh_from_db()
    assert comment.is_resolved and comment.resolved_by == world.staff_a
    client_for("leader").post(f"/komentar/{comment.pk}/selesai/", {"resolved": "0"})
    comment.refresh_from_db()
    assert not comment.is_resolved


def test_posting_with_htmx_returns_the_comments_panel(client_for, section_a):
    response = client_for("leader").post(
        f"/bagian/{section_a.pk}/komentar/",
        {"body": "Dari pimpinan."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'id="comments"' in response.text and "Dari pimpinan." in response.text
    assert "<html" not in response.text and 'hx-swap-oob="true"' in response.text


def test_an_empty_comment_is_refused_with_a_message(client_for, section_a):
    response = post(client_for("leader"), section_a, body="   ")
    assert response.status_code == 302
    assert not Comment.objects.exists()


def test_narasumber_comment_only_on_sections_shared_with_them(world, client_for, section_a):
    assert post(client_for("resource_person"), section_a, body="Masukan.").status_code == 404
    SectionShare.objects.create(
        section=section_a, user=world.resource_person, shared_by=world.planner
    )
    assert client_for("resource_person").get(f"/bagian/{section_a.pk}/").status_code == 200
    assert post(client_for("resource_person"), section_a, body="Masukan.").status_code == 302
    assert client_for("resource_person").get(f"/bagian/{section_a.pk}/ubah/").status_code == 403


def test_planners_share_a_section_with_narasumber(world, client_for, section_a):
    client_for("planner").post(
        f"/bagian/{section_a.pk}/bagikan/", {"people": [world.resource_person.pk]}
    )
    assert SectionShare.objects.filter(section=section_a, user=world.resource_person).exists()
    client_for("planner").post(f"/bagian/{section_a.pk}/bagikan/", {})
    assert not SectionShare.objects.exists()
