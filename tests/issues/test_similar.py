"""Similar problems while typing (issue 17): ranking, visibility, the fragment, the planner's
one-step merge, and the stemmed search on PostgreSQL."""

from __future__ import annotations

import pytest

from issues.models import Problem, ProblemSettings
from issues.similarity import meaningful_words, similar_problems
from tests.issues.factories import make_problem

S = Problem.Status
SCHOOL = "Angka putus sekolah SMP tinggi di kecamatan pedalaman"


def similar_url(world, text: str, **extra) -> str:
    from urllib.parse import urlencode

    return f"/rencana/{world.plan.pk}/permasalahan/serupa/?" + urlencode(
        {"statement": text} | extra
    )


def test_the_closest_problem_comes_first_and_unrelated_ones_stay_out(world):
    close = make_problem(world.agency_a, status=S.SUBMITTED, statement=SCHOOL)
    nearer_half = make_problem(
        world.agency_a, status=S.SUBMITTED, statement="Angka putus sekolah tinggi"
    )
    make_problem(world.agency_a, status=S.SUBMITTED, statement="Prevalensi stunting balita tinggi")
    found = similar_problems(
        user=world.planner,
        plan=world.plan,
        text="Angka putus sekolah tingkat SMP masih tinggi di kecamatan pedalaman",
    )
    assert [s.problem for s in found][:2] == [close, nearer_half]
    assert all("stunting" not in s.problem.statement for s in found)
    assert found[0].score > found[1].score


def test_at_most_five_and_never_a_merged_duplicate_or_the_problem_itself(world):
    problems = [
        make_problem(world.agency_a, status=S.SUBMITTED, statement=f"{SCHOOL} wilayah {n}")
        for n in range(7)
    ]
    merged = problems[0]
    Problem.objects.filter(pk=merged.pk).update(status=S.DUPLICATE, duplicate_of=problems[1])
    found = similar_problems(
        user=world.planner, plan=world.plan, text=SCHOOL, exclude=problems[2].pk
    )
    pks = [s.problem.pk for s in found]
    assert len(pks) == 5
    assert merged.pk not in pks and problems[2].pk not in pks


def test_another_agencys_unsubmitted_problem_is_never_suggested(world, client_for):
    draft_b = make_problem(world.agency_b, status=S.DRAFT, statement=SCHOOL)
    submitted_b = make_problem(world.agency_b, status=S.SUBMITTED, statement=SCHOOL + " sekali")
    own_draft = make_problem(world.agency_a, status=S.DRAFT, statement=SCHOOL + " lagi")
    opd = client_for("opd")
    page = opd.get(similar_url(world, SCHOOL))
    assert page.status_code == 200
    shown = [s.problem.pk for s in page.context["suggestions"]]
    # Agency A's own draft, never B's draft; B's submitted one only once problems are open.
    assert shown == [own_draft.pk]
    ProblemSettings.objects.create(plan=world.plan, open_to_all_participants=True)
    shown = [s.problem.pk for s in opd.get(similar_url(world, SCHOOL)).context["suggestions"]]
    assert set(shown) == {own_draft.pk, submitted_b.pk} and draft_b.pk not in shown
    # The planner never sees drafts at all.
    planner = client_for("planner")
    shown = [s.problem.pk for s in planner.get(similar_url(world, SCHOOL)).context["suggestions"]]
    assert shown == [submitted_b.pk]


def test_the_fragment_names_number_agency_and_status(world, client_for):
    problem = make_problem(world.agency_a, status=S.ACCEPTED, statement=SCHOOL)
    page = client_for("opd").get(
        similar_url(world, "putus sekolah SMP tinggi"), headers={"HX-Request": "true"}
    )
    assert page.status_code == 200
    text = page.text
    assert f"#{problem.pk}" in text and "Disdikbud" in text and "Diterima" in text
    assert "<html" not in text  # a fragment, not a page
    empty = client_for("opd").get(similar_url(world, "jalan rusak berat"))
    assert "Belum ada permasalahan serupa" in empty.text


def test_short_input_asks_nothing_and_stop_words_do_not_count(world):
    make_problem(world.agency_a, status=S.SUBMITTED, statement=SCHOOL)
    assert meaningful_words("yang dan di ke Sekolah sekolah 2019") == ["sekolah"]
    assert similar_problems(user=world.planner, plan=world.plan, text="sekolah") == []
    assert similar_problems(user=world.planner, plan=world.plan, text="yang dan di ke dari") == []


def test_other_roles_and_other_regions_get_no_suggestions(world, client_for):
    make_problem(world.agency_a, status=S.SUBMITTED, statement=SCHOOL)
    assert client_for("resource_person").get(similar_url(world, SCHOOL)).status_code == 403
    assert client_for("other_staff").get(similar_url(world, SCHOOL)).status_code == 404


def test_the_problem_form_asks_for_suggestions_while_typing(world, client_for, affairs):
    page = client_for("opd").get(f"/rencana/{world.plan.pk}/permasalahan/baru/").text
    assert f'hx-get="/rencana/{world.plan.pk}/permasalahan/serupa/"' in page
    assert 'hx-trigger="input changed delay:400ms"' in page
    assert 'id="similar-problems"' in page


def test_the_planner_merges_a_suggested_duplicate_in_one_step(world, client_for):
    original = make_problem(world.agency_a, status=S.ACCEPTED, statement=SCHOOL)
    copy = make_problem(world.agency_b, status=S.SUBMITTED, statement=SCHOOL + " juga")
    planner = client_for("planner")
    page = planner.get(f"/permasalahan/{copy.pk}/")
    assert [s.problem for s in page.context["suggestions"]] == [original]
    assert f'name="original" value="{original.pk}"' in page.text
    response = planner.post(
        f"/permasalahan/{copy.pk}/tinjau/",
        {"action": "duplicate", "original": original.pk, "note": f"Digabungkan ke #{original.pk}."},
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.status == S.DUPLICATE and copy.duplicate_of == original
    # The OPD that handed it in sees no merge button (it cannot review).
    own = client_for("opd_b").get(f"/permasalahan/{copy.pk}/")
    assert own.context["suggestions"] == []


@pytest.mark.postgres
def test_postgresql_stems_indonesian_so_pendidikan_finds_didik(world, client_for):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('indonesian', 'pendidikan')::text")
        assert cursor.fetchone()[0] == "'didik':1"
    stemmed = make_problem(
        world.agency_a, status=S.SUBMITTED, statement="Tenaga didik belum merata"
    )
    make_problem(
        world.agency_a,
        status=S.SUBMITTED,
        statement="Jalan poros rusak berat",
        core="Konektivitas antarkecamatan rendah",
        causes=("Anggaran pemeliharaan kecil",),
    )
    planner = client_for("planner")
    page = planner.get(f"/rencana/{world.plan.pk}/permasalahan/?q=pendidikan")
    assert [p.pk for p in page.context["page"].object_list] == [stemmed.pk]
    # A word still being typed matches as a prefix.
    page = planner.get(f"/rencana/{world.plan.pk}/permasalahan/?q=tenag")
    assert [p.pk for p in page.context["page"].object_list] == [stemmed.pk]
    # The suggestion meets the same stem: "pendidikan" and "didik" are one lexeme.
    found = similar_problems(
        user=world.planner, plan=world.plan, text="Tenaga pendidikan belum merata"
    )
    assert found and found[0].problem == stemmed


@pytest.mark.postgres
def test_postgresql_has_the_trigram_and_full_text_indexes(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'issues_problem'"
        )
        found = dict(cursor.fetchall())
    assert "gin_trgm_ops" in found["problem_statement_trgm"]
    assert "gin (statement_vector)" in found["problem_statement_fts"]
    assert "to_tsvector('indonesian'" in found["problem_search_fts"]
