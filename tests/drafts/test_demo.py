"""The drafts part of the Kutai Kartanegara demo."""

import datetime as dt

from django.core.management import call_command

from drafts.demo import SNAPSHOT_NAME
from drafts.models import Comment, Section, Snapshot
from rpjmd.models import Plan
from tests.factories import sign_in


def test_the_demo_document_has_written_chapters_versions_comments_and_a_snapshot(demo):
    plan = Plan.objects.get(start_year=2021)
    document = plan.document
    written = Section.objects.filter(chapter__document=document, version__gt=0)
    chapters = set(written.values_list("chapter__number", flat=True))
    assert {"I", "II", "III", "IV"} <= chapters
    # Several versions by different people.
    authors = set(
        Section.history.filter(id__in=written.values("pk"), version__gt=0).values_list(
            "history_user__username", flat=True
        )
    )
    assert {"perencana", "opd.disdikbud", "opd.dpu"} <= authors
    assert written.filter(version__gte=3).exists()
    # Chapter II has tables from the facts and statistics of Kutai Kartanegara.
    chapter_two = " ".join(written.filter(chapter__number="II").values_list("body", flat=True))
    assert "<table" in chapter_two and "1.045,9" in chapter_two
    assert 'data-block="capaian-kesejahteraan"' in chapter_two and "Sumber: BPS" in chapter_two
    assert Comment.objects.filter(section__chapter__document=document).count() >= 4
    snapshot = Snapshot.objects.get(document=document, name=SNAPSHOT_NAME)
    assert snapshot.name == "Bahan FGD II, 1 April 2020" and snapshot.blocks
    # Dated as its name says, so the dashboard's last versi beku is the final of 24 April.
    assert snapshot.created_at.astimezone(document.plan.region.zone).date() == dt.date(2020, 4, 1)
    # Handed in on 24 April 2020: every written section approved the day before, after the
    # review some of them went through.
    assert not written.exclude(status="approved").exists()
    history = Section.history.filter(id__in=written.values("pk"))
    assert history.filter(status="review").exists()
    approvals = history.filter(status="approved", history_change_reason__startswith="Status")
    zone = document.plan.region.zone
    assert dt.date(2020, 4, 23) in {a.history_date.astimezone(zone).date() for a in approvals}


def test_running_the_demo_twice_keeps_what_users_changed(demo):
    section = Section.objects.get(title="Latar Belakang", chapter__document__plan__start_year=2021)
    section.title = "Latar Belakang (diubah perencana)"
    section.save()
    counts = (
        Section.objects.count(),
        Section.history.count(),
        Comment.objects.count(),
        Snapshot.objects.count(),
    )
    call_command("demo", "--quiet")
    assert (
        Section.objects.count(),
        Section.history.count(),
        Comment.objects.count(),
        Snapshot.objects.count(),
    ) == counts
    assert Section.objects.filter(title="Latar Belakang (diubah perencana)").exists()


def test_every_demo_page_renders(demo, client):
    plan = Plan.objects.get(start_year=2021)
    sign_in(client, plan.region.users.get(username="perencana"))
    assert client.get(f"/rencana/{plan.pk}/dokumen/").status_code == 200
    for chapter in plan.document.chapters.all():
        assert client.get(f"/bab/{chapter.pk}/").status_code == 200
    for section in Section.objects.filter(version__gt=0):
        assert client.get(f"/bagian/{section.pk}/").status_code == 200
        assert client.get(f"/bagian/{section.pk}/ubah/").status_code == 200
    snapshot = Snapshot.objects.get(name=SNAPSHOT_NAME)
    assert "Tabel 2.1" in client.get(f"/snapshot/{snapshot.pk}/").text
