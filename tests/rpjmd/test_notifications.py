from django.core import mail

from rpjmd.models import Notification
from rpjmd.notifications import notify


def test_notify_creates_one_notification_per_active_recipient(
    world, django_capture_on_commit_callbacks
):
    world.staff_b.is_active = False
    world.staff_a.email = "ahmad@disdikbud.invalid"
    with django_capture_on_commit_callbacks(execute=True):
        notes = notify(
            recipients=[world.staff_a, world.staff_a, world.staff_b],
            message="Permasalahan “Angka putus sekolah” dikembalikan dengan catatan.",
            url="/rencana/1/",
            plan=world.plan,
        )
    assert [n.recipient for n in notes] == [world.staff_a]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ahmad@disdikbud.invalid"]
    assert "dikembalikan dengan catatan" in mail.outbox[0].subject
    assert "http://127.0.0.1:8000/rencana/1/" in mail.outbox[0].body


def test_no_mail_leaves_when_the_action_is_rolled_back(world, django_capture_on_commit_callbacks):
    world.staff_a.email = "ahmad@disdikbud.invalid"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[world.staff_a], message="Uji")
    assert len(callbacks) == 1  # queued for commit, not sent
    assert mail.outbox == []


def test_unread_count_shows_in_the_header_and_opening_marks_read(world, client_for):
    note = notify(recipients=[world.staff_a], message="Undangan FGD", url="/rencana/", email=False)[
        0
    ]
    client = client_for("opd")
    page = client.get("/notifikasi/").text
    assert "Undangan FGD" in page and 'class="count-badge">1' in page
    response = client.post(f"/notifikasi/{note.pk}/buka/")
    assert response.status_code == 302 and response["Location"] == "/rencana/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert "count-badge" not in client.get("/notifikasi/").text


def test_a_notification_never_redirects_off_site(world, client_for):
    note = Notification.objects.create(
        recipient=world.staff_a, message="x", url="https://evil.example/"
    )
    response = client_for("opd").post(f"/notifikasi/{note.pk}/buka/")
    assert response["Location"] == "/notifikasi/"


def test_mark_all_read_touches_only_my_notifications(world, client_for):
    mine = Notification.objects.create(recipient=world.staff_a, message="a")
    theirs = Notification.objects.create(recipient=world.staff_b, message="b")
    response = client_for("opd").post("/notifikasi/baca-semua/", follow=True)
    assert "1 notifikasi ditandai sudah dibaca." in response.text
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None


def test_empty_inbox_says_what_will_appear(world, client_for):
    assert "Belum ada notifikasi." in client_for("leader").get("/notifikasi/").text
