"""Snapshots freeze the whole document, data blocks included, and reproduce exactly that."""

from drafts import completeness, editing
from drafts.models import Section, Snapshot, Waiver
from drafts.snapshots import assemble_snapshot, take_snapshot
from rpjmd.models import District


def write(section, body, by):
    return editing.save_section(
        section_id=section.pk, body=body, base_version=section.version, by=by
    )


def first_sections(document, n=2):
    return list(
        Section.objects.filter(chapter__document=document, depth=1).order_by(
            "chapter__order", "order"
        )[:n]
    )


def test_a_snapshot_reproduces_exactly_the_versions_it_froze(world, document):
    one, two = first_sections(document)
    write(one, "<p>Latar belakang versi satu.</p>", world.planner)
    write(two, "<p>Dasar hukum versi satu.</p>", world.planner)
    snapshot = take_snapshot(document=document, name="Bahan FGD II", by=world.planner)
    one.refresh_from_db()
    write(one, "<p>Latar belakang versi dua.</p>", world.planner)

    frozen = assemble_snapshot(Snapshot.objects.get(pk=snapshot.pk))
    entries = {s.id: s for c in frozen.chapters for s in c.sections}
    assert (
        entries[one.pk].body == "<p>Latar belakang versi satu.</p>" and entries[one.pk].version == 1
    )
    assert entries[two.pk].body == "<p>Dasar hukum versi satu.</p>"
    # The frozen row is the history row of that version.
    entry = snapshot.entries.get(section=one)
    assert entry.record.version == 1 and entry.record.body == entry.body
    assert snapshot.entries.count() == Section.objects.filter(chapter__document=document).count()


def test_a_snapshot_keeps_the_data_block_table_it_showed(world, document, client_for):
    [section] = first_sections(document, 1)
    write(
        section,
        '<p>Kecamatan:</p><figure class="data-block" data-block="kecamatan"></figure>',
        world.planner,
    )
    District.objects.create(region=world.region, name="Tenggarong", code="64.02.06")
    snapshot = take_snapshot(document=document, name="Sebelum pemekaran", by=world.planner)
    District.objects.create(region=world.region, name="Samboja Barat")

    frozen = client_for("leader").get(f"/snapshot/{snapshot.pk}/").text
    live = client_for("leader").get(f"/bagian/{section.pk}/").text
    assert "Tenggarong" in frozen and "Samboja Barat" not in frozen
    assert "Tenggarong" in live and "Samboja Barat" in live


def test_a_removed_section_stays_in_the_snapshot(world, document, client_for):
    [section] = first_sections(document, 1)
    write(section, "<p>Teks yang nanti dihapus.</p>", world.planner)
    snapshot = take_snapshot(document=document, name="Sebelum dihapus", by=world.planner)
    client_for("planner").post(f"/bagian/{section.pk}/hapus/")
    assert not Section.objects.filter(pk=section.pk).exists()
    assert "Teks yang nanti dihapus." in client_for("leader").get(f"/snapshot/{snapshot.pk}/").text


def test_planners_take_snapshots_by_name_through_the_page(world, document, client_for):
    response = client_for("planner").post(
        f"/rencana/{world.plan.pk}/dokumen/snapshot/", {"name": "Bahan FGD II, 1 April 2020"}
    )
    snapshot = Snapshot.objects.get()
    assert response["Location"] == f"/snapshot/{snapshot.pk}/"
    assert snapshot.created_by == world.planner
    again = client_for("planner").post(
        f"/rencana/{world.plan.pk}/dokumen/snapshot/", {"name": "Bahan FGD II, 1 April 2020"}
    )
    assert again.status_code == 200 and "sudah dipakai" in again.text
    assert Snapshot.objects.count() == 1


def test_comparing_two_snapshots_chapter_by_chapter(world, document, client_for):
    one, two = first_sections(document)
    write(one, "<p>Penduduk 729.382 jiwa.</p>", world.planner)
    first = take_snapshot(document=document, name="Pertama", by=world.planner)
    one.refresh_from_db()
    write(one, "<p>Penduduk 734.485 jiwa.</p>", world.planner)
    write(two, '<figure class="data-block" data-block="kecamatan"></figure>', world.planner)
    District.objects.create(region=world.region, name="Loa Kulu")
    second = take_snapshot(document=document, name="Kedua", by=world.planner)

    page = client_for("resource_person").get(
        f"/rencana/{world.plan.pk}/dokumen/snapshot/bandingkan/?a={first.pk}&b={second.pk}"
    )
    assert page.status_code == 200
    text = page.text
    assert "<del>729.382</del>" in text and "<ins>734.485</ins>" in text
    assert "BAB I PENDAHULUAN" in text
    assert "Loa Kulu" in text  # the frozen table of the data block is compared too
    assert "tidak berubah" in text


def test_a_leader_approves_one_snapshot_as_final(world, document, client_for):
    first = take_snapshot(document=document, name="Pertama", by=world.planner)
    second = take_snapshot(document=document, name="Final — disampaikan", by=world.planner)
    # The empty outline has kelengkapan findings: waived here (tests/drafts/test_document_kinds
    # covers the refusal).
    for finding in completeness.check_document(document, second):
        Waiver.objects.create(
            document=document, key=finding.key, reason="Uji", created_by=world.planner
        )
    assert client_for("planner").post(f"/snapshot/{first.pk}/setujui/").status_code == 403
    client_for("leader").post(f"/snapshot/{first.pk}/setujui/", {"final": "1"})
    client_for("leader").post(f"/snapshot/{second.pk}/setujui/", {"final": "1"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.is_final and second.is_final and second.approved_by == world.leader
    client_for("leader").post(f"/snapshot/{second.pk}/setujui/", {"final": "0"})
    second.refresh_from_db()
    assert not second.is_final
