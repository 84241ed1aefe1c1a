"""The document: created from the outline, its numbering, the planners' outline changes, the
board, the reading view with numbered tables, references and footnotes."""

import datetime as dt

import pytest

from drafts import editing
from drafts.models import Chapter, Document, Section
from drafts.outline import number_of
from rpjmd.reference import read
from tests.drafts.factories import make_section


def test_a_planner_creates_the_document_from_the_outline(world, client_for):
    assert (
        "Buat dokumen dari sistematika"
        in client_for("planner").get(f"/rencana/{world.plan.pk}/dokumen/").text
    )
    assert "Buat dokumen" not in client_for("opd").get(f"/rencana/{world.plan.pk}/dokumen/").text
    response = client_for("planner").post(f"/rencana/{world.plan.pk}/dokumen/buat/")
    assert response.status_code == 302
    document = Document.objects.get(plan=world.plan)
    outline = read("sistematika.json")["bab"]
    chapters = list(document.chapters.order_by("order"))
    assert [c.number for c in chapters] == [""] + [b["nomor"] for b in outline]
    assert chapters[0].is_front and chapters[0].title == "KATA PENGANTAR"
    assert chapters[5].technocratic == "sementara" and chapters[9].technocratic == "kerangka"
    ii = document.chapters.get(number="II")
    numbers = {s.title: number_of(s) for s in ii.sections.all()}
    assert numbers["Aspek Geografi dan Demografi"] == "2.1"
    assert numbers["Demografi"] == "2.1.4"
    assert numbers["Aspek Daya Saing Daerah"] == "2.4"
    hint = ii.sections.get(title="Demografi").hint
    assert "per kecamatan" in hint
    # A chapter without sub-bab is written as one text.
    assert document.chapters.get(number="VII").sections.get().depth == Section.Depth.INTRO
    # Every section starts its history.
    assert (
        Section.history.filter(id__in=Section.objects.values("pk")).count()
        == Section.objects.count()
    )
    page = client_for("opd").get(f"/rencana/{world.plan.pk}/dokumen/").text
    assert "GAMBARAN UMUM KONDISI DAERAH" in page and "2.1.4" in page


def test_creating_twice_keeps_the_first_document(world, client_for, document):
    client_for("planner").post(f"/rencana/{world.plan.pk}/dokumen/buat/")
    assert Document.objects.count() == 1 and Chapter.objects.count() == 10


def test_numbers_follow_adding_moving_and_removing_sections(world, client_for, document):
    chapter = document.chapters.get(number="I")
    first = chapter.sections.order_by("order").first()
    planner = client_for("planner")
    response = planner.post(
        f"/bab/{chapter.pk}/bagian/baru/",
        {
            "title": "Gambaran Proses Penyusunan",
            "depth": 1,
            "hint": "FGD dan tahapan.",
            "after": first.pk,
        },
    )
    added = Section.objects.get(title="Gambaran Proses Penyusunan")
    assert response["Location"] == f"/bagian/{added.pk}/pengaturan/"
    assert number_of(added) == "1.2"
    assert number_of(chapter.sections.get(title="Dasar Hukum Penyusunan")) == "1.3"
    planner.post(f"/bagian/{added.pk}/pindah/", {"direction": "up"})
    assert number_of(Section.objects.get(pk=added.pk)) == "1.1"
    assert number_of(Section.objects.get(pk=first.pk)) == "1.2"
    planner.post(f"/bagian/{added.pk}/hapus/")
    assert number_of(Section.objects.get(pk=first.pk)) == "1.1"
    assert list(chapter.sections.order_by("order").values_list("order", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert Section.history.filter(id=added.pk, history_type="-").exists()


def test_planners_assign_a_section_with_a_due_date(world, client_for, document):
    section = document.chapters.get(number="II").sections.get(title="Urusan Wajib Pelayanan Dasar")
    response = client_for("planner").post(
        f"/bagian/{section.pk}/pengaturan/",
        {
            "section-title": section.title,
            "section-depth": 2,
            "section-hint": section.hint,
            "assign-assigned_agency": world.agency_a.pk,
            "assign-assigned_user": "",
            "assign-due_date": "2026-11-20",
            "section-seen_version": section.settings_version,
        },
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.assigned_agency == world.agency_a and section.due_date == dt.date(2026, 11, 20)
    assert world.staff_a.notifications.filter(message__contains="ditugasi").exists()
    assert client_for("opd").get(f"/bagian/{section.pk}/ubah/").status_code == 200


def test_a_writer_must_belong_to_the_assigned_agency(world, client_for, document):
    section = document.chapters.get(number="II").sections.first()
    response = client_for("planner").post(
        f"/bagian/{section.pk}/pengaturan/",
        {
            "section-title": section.title,
            "section-depth": 1,
            "assign-assigned_agency": world.agency_a.pk,
            "assign-assigned_user": world.staff_b.pk,
            "section-seen_version": section.settings_version,
        },
    )
    assert response.status_code == 200
    assert "Penulis harus staf perangkat daerah yang ditugasi." in response.text
    section.refresh_from_db()
    assert section.assigned_agency is None


def test_the_board_groups_sections_by_status_and_shows_who_is_late(world, client_for, time_machine):
    time_machine.move_to("2026-11-25 10:00 +0800", tick=False)
    late = make_section(world.plan, agency=world.agency_a, title="Bagian Terlambat")
    Section.objects.filter(pk=late.pk).update(due_date=dt.date(2026, 11, 24))
    done = make_section(
        world.plan, agency=world.agency_b, title="Bagian Selesai", status="approved"
    )
    Section.objects.filter(pk=done.pk).update(due_date=dt.date(2026, 11, 1))
    page = client_for("opd").get(f"/rencana/{world.plan.pk}/dokumen/papan/")
    text = page.text
    assert "1 bagian melewati tenggat." in text
    columns = {value: [s.title for s in items] for value, _label, items in page.context["columns"]}
    assert columns["not_started"] == ["Bagian Terlambat"] and columns["approved"] == [
        "Bagian Selesai"
    ]
    filtered = client_for("opd").get(
        f"/rencana/{world.plan.pk}/dokumen/papan/?perangkat={world.agency_b.pk}",
        headers={"HX-Request": "true"},
    )
    assert "Bagian Selesai" in filtered.text and "Bagian Terlambat" not in filtered.text
    assert "<html" not in filtered.text


def test_document_settings_for_the_pdf(world, client_for, document):
    response = client_for("planner").post(
        f"/rencana/{world.plan.pk}/dokumen/pengaturan/",
        {
            "kind": "teknokratik",
            "paper": "a4",
            "page_numbering": "continuous",
            "running_header": "",
            "cover_place": "Tenggarong",
            "cover_date": "2020-04-24",
            "seen_version": document.version,
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.page_numbering == "continuous" and not document.running_header
    # Only the penyampaian month prints on the cover: it is kept as the first of the month.
    assert document.place == "Tenggarong" and document.cover_date == dt.date(2020, 4, 1)


def test_tables_and_figures_are_numbered_per_chapter_and_referenced(world, client_for, document):
    one = document.chapters.get(number="I").sections.order_by("order").first()
    two = document.chapters.get(number="II").sections.order_by("order")
    a, b = two[0], two[1]

    def write(section, body):
        section.refresh_from_db()
        editing.save_section(
            section_id=section.pk, body=body, base_version=section.version, by=world.planner
        )
        section.refresh_from_db()
        return section

    write(one, "<table><caption>Dasar hukum</caption><tr><td>UU</td></tr></table>")
    a = write(
        a,
        "<table><caption>Luas wilayah</caption><tr><td>1</td></tr></table>"
        '<figure class="data-block" data-block="kecamatan"></figure>',
    )
    target = a.captions[1]["id"]
    b = write(
        b,
        f'<p>Lihat <a class="xref" href="#{target}">Tabel ?</a>'
        ' dan <a class="xref" href="#tbl-00000000">x</a>.</p><table><caption>'
        "Topografi</caption><tr><td>2</td></tr></table>",
    )
    page = client_for("leader").get(f"/bab/{a.chapter_id}/").text
    assert "Tabel 2.1</span> Luas wilayah" in page
    assert "Tabel 2.2</span> Kecamatan di" in page  # the data block's table
    assert "Tabel 2.3</span> Topografi" in page
    assert "Lihat <a" in page and ">Tabel 2.2</a>" in page
    assert "[rujukan tidak ditemukan]" in page
    assert "Tabel 1.1" in client_for("leader").get(f"/bab/{one.chapter_id}/").text
    picture = (
        '<figure class="image"><img src="/gambar/0f8c2b1a-1234-4abc-9def-0123456789ab/" alt="Peta">'
    )
    write(b, b.body + picture + "<figcaption>Peta administrasi</figcaption></figure>")
    assert (
        "Gambar 2.1</span> Peta administrasi"
        in client_for("leader").get(f"/bab/{a.chapter_id}/").text
    )
    refs = client_for("planner").get(f"/rencana/{world.plan.pk}/dokumen/rujukan/").json()["items"]
    assert [r["label"] for r in refs] == [
        "Tabel 1.1",
        "Tabel 2.1",
        "Tabel 2.2",
        "Tabel 2.3",
        "Gambar 2.1",
    ]
    assert refs[2]["caption"] == "Daftar kecamatan"


def test_footnotes_are_numbered_after_the_text(world, client_for, section_a):
    editing.save_section(
        section_id=section_a.pk,
        body='<p>Penduduk<span class="footnote">Sensus Penduduk 2020.</span> bertambah'
        '<span class="footnote">BPS.</span>.</p>',
        base_version=1,
        by=world.staff_a,
    )
    page = client_for("planner").get(f"/bagian/{section_a.pk}/").text
    assert (
        f'<a href="#fn-{section_a.pk}-1">1</a>' in page
        and f'<a href="#fn-{section_a.pk}-2">2</a>' in page
    )
    assert '<ol class="footnotes" data-generated="">' in page
    assert f'<li id="fn-{section_a.pk}-1">Sensus Penduduk 2020.</li>' in page


@pytest.mark.parametrize("count", [3, 12])
def test_the_document_page_and_board_use_a_constant_number_of_queries(
    world, client_for, django_assert_max_num_queries, count, document
):
    chapter = document.chapters.get(number="II")
    for _ in range(count):
        make_section(chapter=chapter, agency=world.agency_a, body="<p>x</p>", by=world.planner)
    client = client_for("opd")
    with django_assert_max_num_queries(14):
        assert client.get(f"/rencana/{world.plan.pk}/dokumen/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(f"/rencana/{world.plan.pk}/dokumen/papan/").status_code == 200


def test_dashboard_cards_fit_the_role(world, client_for, section_a):
    opd = client_for("opd").get(f"/rencana/{world.plan.pk}/").text
    assert "Bagian dokumen untuk Anda tulis" in opd
    planner = client_for("planner").get(f"/rencana/{world.plan.pk}/").text
    assert "Menunggu tinjauan Anda" in planner and "Bagian dokumen disetujui" in planner
    assert (
        "Bagian dokumen dibagikan kepada Anda"
        in client_for("resource_person").get(f"/rencana/{world.plan.pk}/").text
    )
