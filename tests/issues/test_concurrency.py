"""No lost update on a problem under real parallel saves (issue 13), on PostgreSQL with one
connection per thread: 50 tabs save the same problem from the version they all loaded."""

import threading

import pytest
from django.db import connection
from django.test import Client

from issues.models import Problem
from tests.factories import make_user, sign_in
from tests.issues.factories import make_problem
from tests.stale import open_form, typed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WRITERS = 50
RUNS = 3


def save_all_at_once(problem: Problem, people) -> tuple[dict[int, int], dict[int, str]]:
    """Every writer loads the form, then all post their own statement and first root cause at
    the same moment."""
    url = f"/permasalahan/{problem.pk}/ubah/"
    clients = {}
    for i, person in enumerate(people):
        clients[i] = Client()
        sign_in(clients[i], person)
    # They all loaded the same version: one page load gives every writer's form (the fields
    # carry no per-person token; CSRF is not what this test is about).
    loaded = open_form(clients[0], url)
    forms = dict.fromkeys(clients, loaded)
    markers = {i: f"penulis-{problem.version}-{i}" for i in range(len(people))}
    start = threading.Barrier(len(people))
    statuses: dict[int, int] = {}

    def write(i: int) -> None:
        try:
            start.wait()
            response = clients[i].post(
                url,
                typed(
                    forms[i],
                    statement=f"Pernyataan {markers[i]}",
                    **{"causes-0-text": f"Akar {markers[i]}"},
                ),
            )
            statuses[i] = response.status_code
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=write, args=(i,)) for i in range(len(people))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return statuses, markers


def test_fifty_stale_saves_of_one_problem_save_exactly_one(world, affairs):
    people = [make_user("opd", agency=world.agency_a) for _ in range(WRITERS)]
    problem = make_problem(world.agency_a, causes=("Jarak ke sekolah jauh", "Guru kurang"))
    for _run in range(RUNS):
        problem.refresh_from_db()
        version, rows = problem.version, problem.history.count()
        statuses, markers = save_all_at_once(problem, people)
        assert len(statuses) == WRITERS
        assert set(statuses.values()) <= {302, 409}, statuses  # never a 500
        saved = [i for i, status in statuses.items() if status == 302]
        assert len(saved) == 1, statuses  # exactly one "saved" for this version
        winner = markers[saved[0]]
        problem.refresh_from_db()
        # The winner's save is whole (statement and root causes), nobody else's is in it.
        assert problem.statement == f"Pernyataan {winner}"
        assert list(problem.root_causes.values_list("text", flat=True)) == [
            f"Akar {winner}",
            "Guru kurang",
        ]
        assert problem.version == version + 1
        assert problem.history.count() == rows + 1  # one history row for the one save
        assert problem.status == Problem.Status.DRAFT
