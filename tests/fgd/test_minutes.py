"""Live minutes: saves carry the version they started from; nothing is silently overwritten."""

import threading

import pytest
from django.db import connection

from fgd.models import Minutes, MinutesRevision
from tests.fgd.factories import make_agenda_item

JSON = {"Accept": "application/json"}


def save(client, item, text, version, **headers):
    return client.post(
        f"/acara/{item.pk}/notulensi/", {"text": text, "version": str(version)}, headers=headers
    )


def test_autosave_returns_the_new_version(agenda_item, client_for):
    response = save(client_for("planner"), agenda_item, "Pembukaan oleh Kepala Bappeda.", 0, **JSON)
    assert response.status_code == 200
    data = response.json()
    assert data["saved"] is True and data["version"] == 1
    minutes = Minutes.objects.get(agenda_item=agenda_item)
    assert (minutes.text, minutes.version) == ("Pembukaan oleh Kepala Bappeda.", 1)
    assert minutes.updated_by.username == "planner"


def test_two_saves_from_the_same_base_never_silently_overwrite(agenda_item, client_for, world):
    world.meeting = agenda_item.meeting
    agenda_item.meeting.notulis = world.staff_a
    agenda_item.meeting.save()
    planner, notulis = client_for("planner"), client_for("opd")

    first = save(planner, agenda_item, "Versi perencana", 0, **JSON)
    second = save(notulis, agenda_item, "Versi notulis", 0, **JSON)

    assert first.status_code == 200
    assert second.status_code == 409
    conflict = second.json()
    assert conflict["conflict"] is True
    assert conflict["text"] == "Versi perencana" and conflict["version"] == 1
    assert Minutes.objects.get(agenda_item=agenda_item).text == "Versi perencana"

    # The notulis merges knowingly, from the version the server showed.
    merged = save(notulis, agenda_item, "Versi perencana\nVersi notulis", 1, **JSON)
    assert merged.status_code == 200 and merged.json()["version"] == 2
    revisions = MinutesRevision.objects.filter(minutes__agenda_item=agenda_item)
    assert list(revisions.values_list("version", "text")) == [
        (2, "Versi perencana\nVersi notulis"),
        (1, "Versi perencana"),
    ]


def test_without_javascript_a_conflict_shows_both_versions_side_by_side(agenda_item, client_for):
    planner = client_for("planner")
    save(planner, agenda_item, "Teks yang sudah tersimpan", 0)
    response = save(planner, agenda_item, "Teks saya yang belum tersimpan", 0)
    assert response.status_code == 200
    assert "Teks yang sudah tersimpan" in response.text
    assert "Teks saya yang belum tersimpan" in response.text
    assert "minutes-conflict" in response.text
    assert "sudah diubah orang lain" in response.text
    assert Minutes.objects.get(agenda_item=agenda_item).text == "Teks yang sudah tersimpan"


def test_without_javascript_a_save_redirects_back_to_the_item(agenda_item, client_for):
    response = save(client_for("planner"), agenda_item, "Catatan", 0)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#acara-{agenda_item.pk}")


def test_versions_are_listed(agenda_item, client_for):
    planner = client_for("planner")
    for version, text in enumerate(["satu", "satu dua", "satu dua tiga"]):
        assert save(planner, agenda_item, text, version, **JSON).status_code == 200
    page = planner.get(f"/acara/{agenda_item.pk}/notulensi/versi/").text
    assert page.index("Versi 3") < page.index("Versi 2") < page.index("Versi 1")
    assert "satu dua tiga" in page


def test_a_bad_version_or_nul_text_is_refused_with_a_message(agenda_item, client_for):
    planner = client_for("planner")
    assert save(planner, agenda_item, "x", "abc", **JSON).status_code == 400
    response = save(planner, agenda_item, "a\x00b", 0, **JSON)
    assert response.status_code == 400
    assert "tidak diizinkan" in response.json()["error"]
    assert Minutes.objects.get(agenda_item=agenda_item).version == 0


def test_invitees_read_minutes_only_once_published(agenda_item, client_for):
    save(client_for("planner"), agenda_item, "Isi notulensi rahasia sementara", 0)
    meeting = agenda_item.meeting
    page = client_for("opd").get(f"/fgd/{meeting.pk}/notulensi/").text
    assert "Isi notulensi rahasia sementara" not in page
    assert "setelah FGD ditutup" in page
    client_for("planner").post(f"/fgd/{meeting.pk}/tutup/", {"pending_reason": ""})
    page = client_for("opd").get(f"/fgd/{meeting.pk}/notulensi/").text
    assert "Isi notulensi rahasia sementara" in page
    assert "<textarea" not in page  # read-only for invitees


def test_opd_staff_cannot_write_minutes(agenda_item, client_for):
    assert save(client_for("opd"), agenda_item, "x", 0, **JSON).status_code == 403
    assert Minutes.objects.get(agenda_item=agenda_item).text == ""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_from_one_base_keep_exactly_one(world):
    """Twenty writers race from version 0: one wins, every other gets the conflict (H1)."""
    from fgd.workflow import save_minutes
    from tests.fgd.factories import scoped_meeting

    item = make_agenda_item(scoped_meeting(world))
    minutes = Minutes.objects.get(agenda_item=item)
    results, barrier = [], threading.Barrier(20)

    def writer(n):
        try:
            barrier.wait()
            results.append(
                save_minutes(minutes=minutes, text=f"penulis {n}", base_version=0, by=world.planner)
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.saved for r in results) == 1
    winner = next(r for r in results if r.saved)
    minutes.refresh_from_db()
    assert minutes.version == 1 and minutes.text == winner.minutes.text
    assert MinutesRevision.objects.filter(minutes=minutes).count() == 1
