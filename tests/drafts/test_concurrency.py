"""No lost work under real parallel saves (QUALITY H1), on PostgreSQL with one connection per
thread: 50 people save the same section from the same version at the same moment."""

import threading

import pytest
from django.db import connection
from django.test import Client

from drafts.models import Section, WorkingCopy
from tests.drafts.factories import make_section
from tests.factories import make_user, sign_in

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WRITERS = 50
RUNS = 3


def paragraphs(n: int) -> str:
    return "".join(f"<p>Paragraf {i} tentang pembangunan kecamatan.</p>" for i in range(n))


def save_all_at_once(section: Section, people, bodies: dict[int, str]) -> dict[int, int]:
    """Every writer posts their body from the same base version at the same moment."""
    clients = {}
    for i, person in enumerate(people):
        clients[i] = Client()
        sign_in(clients[i], person)
    base = section.version
    start = threading.Barrier(len(people))
    statuses: dict[int, int] = {}

    def write(i: int) -> None:
        try:
            start.wait()
            response = clients[i].post(
                f"/bagian/{section.pk}/ubah/",
                {"body": bodies[i], "base_version": base, "note": f"penulis {i}"},
            )
            statuses[i] = response.status_code
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=write, args=(i,)) for i in range(len(people))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def check_nothing_lost(section, people, statuses, markers):
    """Each save landed (its marker is in the text and in exactly one version) or came back as a
    conflict (its text kept as the writer's working copy, not in the section)."""
    assert len(statuses) == len(people)
    assert set(statuses.values()) <= {302, 409}, statuses  # never a 500
    section.refresh_from_db()
    landed = [i for i, status in statuses.items() if status == 302]
    conflicts = [i for i, status in statuses.items() if status == 409]
    for i in landed:
        assert markers[i] in section.body, f"save {i} was acknowledged but its text is gone"
    for i in conflicts:
        assert markers[i] not in section.body
        copy = WorkingCopy.objects.get(user=people[i], section=section)
        assert markers[i] in copy.body, f"conflicting save {i} lost its text"
    versions = Section.history.filter(id=section.pk).values_list("version", flat=True)
    assert len(set(versions)) == len(list(versions))  # one history row per version
    return landed, conflicts


def test_fifty_simultaneous_saves_from_one_version_lose_nothing(world):
    people = [make_user("planner", agency=world.bappeda) for _ in range(WRITERS)]
    for run in range(RUNS):
        # Everyone changes their own paragraph: all fifty merge, one after the other.
        section = make_section(world.plan, body=paragraphs(WRITERS), by=world.planner)
        markers = {i: f"[tambahan-{run}-{i}]" for i in range(WRITERS)}
        bodies = {
            i: section.body.replace(f"Paragraf {i} tentang", f"Paragraf {i} {markers[i]} tentang")
            for i in range(WRITERS)
        }
        statuses = save_all_at_once(section, people, bodies)
        landed, conflicts = check_nothing_lost(section, people, statuses, markers)
        assert len(landed) == WRITERS and not conflicts, statuses
        assert section.version == 1 + WRITERS

        # Everyone rewrites the same sentence: one lands, forty-nine are asked to decide.
        section = make_section(world.plan, body="<p>Kalimat yang sama.</p>", by=world.planner)
        markers = {i: f"[versi-{run}-{i}]" for i in range(WRITERS)}
        bodies = {i: f"<p>Kalimat {markers[i]}.</p>" for i in range(WRITERS)}
        statuses = save_all_at_once(section, people, bodies)
        landed, conflicts = check_nothing_lost(section, people, statuses, markers)
        assert len(landed) == 1 and len(conflicts) == WRITERS - 1, statuses
        assert section.version == 2
