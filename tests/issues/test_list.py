"""The planner's list: visibility, filters and search in the URL, sorting, paging, bulk review."""

import datetime as dt

import pytest

from issues.models import Problem, ProblemSettings
from rpjmd.models import NationalPriority
from tests.issues.factories import affair, district, make_indicator, make_problem

S = Problem.Status


def list_url(world, query=""):
    return f"/rencana/{world.plan.pk}/permasalahan/{query}"


def numbers(response) -> set[int]:
    return {p.pk for p in response.context["page"].object_list}


def test_planners_see_submitted_problems_of_every_agency_but_no_drafts(world, client_for):
    submitted = make_problem(world.agency_a, status=S.SUBMITTED)
    returned = make_problem(world.agency_b, status=S.RETURNED)
    draft = make_problem(world.agency_a)
    foreign = make_problem(world.other_staff.agency, status=S.SUBMITTED)
    for role in ("planner", "leader"):
        response = client_for(role).get(list_url(world))
        assert numbers(response) == {submitted.pk, returned.pk}, role
    assert draft.pk not in numbers(client_for("planner").get(list_url(world)))
    assert foreign.pk not in numbers(client_for("planner").get(list_url(world)))


def test_staff_see_other_agencies_only_when_the_plan_opens_them(world, client_for):
    theirs = make_problem(world.agency_b, status=S.SUBMITTED)
    their_draft = make_problem(world.agency_b)
    mine = make_problem(world.agency_a)
    client = client_for("opd")
    assert numbers(client.get(list_url(world))) == {mine.pk}
    assert client.get(f"/permasalahan/{theirs.pk}/").status_code == 404
    ProblemSettings.objects.create(plan=world.plan, open_to_all_participants=True)
    assert numbers(client.get(list_url(world))) == {mine.pk, theirs.pk}
    page = client.get(f"/permasalahan/{theirs.pk}/")
    assert page.status_code == 200 and "Ajukan" not in page.text and "Ubah" not in page.text
    assert client.get(f"/permasalahan/{their_draft.pk}/").status_code == 404
    assert client.post(f"/permasalahan/{theirs.pk}/ubah/").status_code == 403


def test_the_planner_opens_submitted_problems_to_all_participants(world, client_for):
    response = client_for("planner").post(
        f"/rencana/{world.plan.pk}/permasalahan/pengaturan/",
        {"open_to_all_participants": "on"},
        follow=True,
    )
    assert "terbuka untuk semua peserta" in response.text
    assert ProblemSettings.objects.get(plan=world.plan).open_to_all_participants
    client_for("planner").post(f"/rencana/{world.plan.pk}/permasalahan/pengaturan/", {})
    assert not ProblemSettings.objects.get(plan=world.plan).open_to_all_participants


def test_filters_live_in_the_url_and_combine(world, client_for):
    health = affair("1.02", "Kesehatan")
    tabang = district(world.region, "Tabang")
    a = make_problem(world.agency_a, status=S.SUBMITTED, districts=("Tabang",))
    b = make_problem(world.agency_b, status=S.SUBMITTED, affair=health, districts=("Tenggarong",))
    c = make_problem(world.agency_b, status=S.ACCEPTED, affair=health, districts=())  # whole region
    pn3 = NationalPriority.objects.create(period="2020-2024", code="PN3", name="SDM")
    b.national_priorities.add(pn3)
    planner = client_for("planner")
    assert numbers(planner.get(list_url(world, f"?agency={world.agency_b.pk}"))) == {b.pk, c.pk}
    assert numbers(planner.get(list_url(world, f"?affair={health.pk}&status=accepted"))) == {c.pk}
    assert numbers(planner.get(list_url(world, f"?district={tabang.pk}"))) == {a.pk, c.pk}
    assert numbers(planner.get(list_url(world, f"?priority={pn3.pk}"))) == {b.pk}
    assert numbers(planner.get(list_url(world, f"?stage={world.stage.pk}"))) == {a.pk, b.pk, c.pk}
    page = planner.get(list_url(world, f"?agency={world.agency_b.pk}&status=accepted")).text
    assert f'<option value="{world.agency_b.pk}" selected>' in page  # the form shows the filter


def test_search_covers_every_text_field(world, client_for):
    problem = make_problem(
        world.agency_a,
        status=S.SUBMITTED,
        statement="Angka putus sekolah tinggi",
        core="Akses pendidikan timpang",
        causes=("Perahu sekolah kurang",),
    )
    make_indicator(problem, name="Angka partisipasi murni", source="Dapodik Kemendikbud")
    other = make_problem(world.agency_b, status=S.SUBMITTED, statement="Stunting tinggi")
    from issues import review

    review.return_problem(problem=other, by=world.planner, note="Lengkapi data e-PPGBM")
    planner = client_for("planner")
    for term in [
        "PUTUS sekolah",
        "timpang",
        "perahu",
        "partisipasi murni",
        "dapodik",
        "tinggi putus",
    ]:
        assert numbers(planner.get(list_url(world, f"?q={term}"))) == {problem.pk}, term
    assert numbers(planner.get(list_url(world, "?q=e-ppgbm"))) == {other.pk}
    assert numbers(planner.get(list_url(world, "?q=tinggi"))) == {problem.pk, other.pk}
    response = planner.get(list_url(world, "?q=tidak+ada+hasilnya"))
    assert "Tidak ada permasalahan yang cocok" in response.text


def test_the_search_column_follows_edits_of_root_causes(world, affairs, client_for):
    from tests.issues.test_pages import form_data

    client = client_for("opd")
    client.post(f"/rencana/{world.plan.pk}/permasalahan/baru/", form_data(world, affairs))
    problem = Problem.objects.get()
    cause = problem.root_causes.first()
    data = form_data(world, affairs) | {
        "core_problem": problem.core_problem_id,
        "new_core_problem": "",
        "causes-TOTAL_FORMS": "2",
        "causes-INITIAL_FORMS": "2",
        "causes-0-id": cause.pk,
        "causes-0-text": "Perahu sekolah rusak",
        "causes-1-id": problem.root_causes.last().pk,
        "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "1",
        "indicators-0-id": problem.indicators.get().pk,
        "seen_version": problem.version,
    }
    response = client.post(f"/permasalahan/{problem.pk}/ubah/", data)
    assert response.status_code == 302, response.text[:2000]
    problem.refresh_from_db()
    assert (
        "perahu sekolah rusak" in problem.search_text and "jarak ke smp" not in problem.search_text
    )
    assert numbers(client.get(list_url(world, "?q=perahu"))) == {problem.pk}


@pytest.mark.parametrize(
    "sort",
    ["nomor", "-nomor", "opd", "-opd", "urusan", "status", "-diajukan", "diajukan", "diubah"],
)
def test_sorting_by_allowed_columns(world, client_for, sort):
    make_problem(world.agency_a, status=S.SUBMITTED)
    make_problem(world.agency_b, status=S.ACCEPTED)
    response = client_for("planner").get(list_url(world, f"?sort={sort}"))
    assert response.status_code == 200 and len(response.context["page"].object_list) == 2


def test_sorting_by_number_and_an_unknown_key_falls_back(world, client_for):
    first = make_problem(world.agency_a, status=S.SUBMITTED)
    second = make_problem(world.agency_b, status=S.SUBMITTED)
    planner = client_for("planner")
    ordered = [
        p.pk for p in planner.get(list_url(world, "?sort=-nomor")).context["page"].object_list
    ]
    assert ordered == [second.pk, first.pk]
    response = planner.get(list_url(world, "?sort=statement;drop"))
    assert response.status_code == 200  # not an allowed key: ignored, default order


def test_pages_of_25_keep_the_filters(world, client_for):
    for _ in range(27):
        make_problem(world.agency_a, status=S.SUBMITTED)
    planner = client_for("planner")
    first = planner.get(list_url(world, f"?agency={world.agency_a.pk}"))
    assert len(first.context["page"].object_list) == 25
    assert f"?agency={world.agency_a.pk}&amp;page=2" in first.text
    second = planner.get(list_url(world, f"?agency={world.agency_a.pk}&page=2"))
    assert len(second.context["page"].object_list) == 2


def test_htmx_requests_get_only_the_results(world, client_for):
    make_problem(world.agency_a, status=S.SUBMITTED, statement="Putus sekolah")
    response = client_for("planner").get(
        list_url(world, "?q=putus"), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="results"' in response.text
    assert "Putus sekolah" in response.text


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_makes_the_same_number_of_queries_whatever_the_size(
    world, client_for, django_assert_max_num_queries, count
):
    for n in range(count):
        problem = make_problem(
            world.agency_a if n % 2 else world.agency_b,
            status=S.SUBMITTED,
            districts=("Tenggarong", "Tabang"),
        )
        make_indicator(problem)
    planner = client_for("planner")
    planner.get(list_url(world))  # warm the session
    with django_assert_max_num_queries(16):
        planner.get(list_url(world, "?q=sekolah&sort=opd"))
    with django_assert_max_num_queries(16):
        planner.get(list_url(world), headers={"HX-Request": "true"})


@pytest.mark.parametrize("count", [2, 20])
def test_progress_and_exports_make_a_constant_number_of_queries(
    world, client_for, django_assert_max_num_queries, count
):
    for n in range(count):
        make_indicator(make_problem(world.agency_a if n % 2 else world.agency_b, status=S.ACCEPTED))
    planner = client_for("planner")
    planner.get(list_url(world))
    with django_assert_max_num_queries(13):
        planner.get(f"/rencana/{world.plan.pk}/permasalahan/progres/")
    with django_assert_max_num_queries(13):
        planner.get(f"/rencana/{world.plan.pk}/permasalahan/ekspor.csv")
    with django_assert_max_num_queries(8):
        planner.get(f"/rencana/{world.plan.pk}/permasalahan/tabel-identifikasi.xlsx")


def test_bulk_review_accepts_several_at_once(world, client_for):
    a = make_problem(world.agency_a, status=S.SUBMITTED)
    b = make_problem(world.agency_b, status=S.SUBMITTED)
    response = client_for("planner").post(
        f"/rencana/{world.plan.pk}/permasalahan/tinjau-massal/",
        {"problems": [a.pk, b.pk], "action": "accept", "query": "status=submitted"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/rencana/{world.plan.pk}/permasalahan/?status=submitted"
    assert set(Problem.objects.values_list("status", flat=True)) == {S.ACCEPTED}


def test_bulk_review_is_refused_whole_when_one_cannot_be_reviewed(world, client_for):
    a = make_problem(world.agency_a, status=S.SUBMITTED)
    b = make_problem(world.agency_b, status=S.ACCEPTED)
    response = client_for("planner").post(
        f"/rencana/{world.plan.pk}/permasalahan/tinjau-massal/",
        {"problems": [a.pk, b.pk], "action": "accept", "query": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and 'id="results"' in response.text
    assert "tidak ada yang diubah" in response.text
    assert Problem.objects.get(pk=a.pk).status == S.SUBMITTED


def test_bulk_return_needs_a_note_and_drafts_cannot_be_smuggled_in(world, client_for):
    a = make_problem(world.agency_a, status=S.SUBMITTED)
    draft = make_problem(world.agency_b)
    planner = client_for("planner")
    response = planner.post(
        f"/rencana/{world.plan.pk}/permasalahan/tinjau-massal/",
        {"problems": [a.pk], "action": "return", "query": ""},
        follow=True,
    )
    assert "Tulis catatan" in response.text
    response = planner.post(
        f"/rencana/{world.plan.pk}/permasalahan/tinjau-massal/",
        {"problems": [a.pk, draft.pk], "action": "accept", "query": ""},
        follow=True,
    )
    assert Problem.objects.get(pk=a.pk).status == S.SUBMITTED
    assert Problem.objects.get(pk=draft.pk).status == S.DRAFT


def test_progress_shows_counts_silent_agencies_and_extends_a_deadline(world, client_for):
    make_problem(world.agency_a, status=S.SUBMITTED)
    make_problem(world.agency_a, status=S.ACCEPTED)
    make_problem(world.agency_b)  # a draft only: still "nothing handed in"
    planner = client_for("planner")
    page = planner.get(f"/rencana/{world.plan.pk}/permasalahan/progres/")
    rows = {r["agency"].short_name: r for r in page.context["rows"]}
    assert (rows["Disdikbud"]["submitted"], rows["Disdikbud"]["accepted"]) == (1, 1)
    assert rows["Dinkes"]["drafted"] == 1 and rows["Dinkes"]["nothing"]
    assert [a.short_name for a in page.context["silent"]] == ["Dinkes"]
    response = planner.post(
        f"/rencana/{world.plan.pk}/permasalahan/perpanjangan/",
        {"agency": world.agency_b.pk, "until": "2026-12-18", "reason": "Data puskesmas"},
        follow=True,
    )
    assert "Tenggat Dinkes diperpanjang sampai 18 Desember 2026." in response.text
    rows = {r["agency"].short_name: r for r in response.context["rows"]}
    assert rows["Dinkes"]["deadline"] == dt.date(2026, 12, 18)
    response = planner.post(
        f"/rencana/{world.plan.pk}/permasalahan/perpanjangan/",
        {"agency": world.agency_b.pk, "until": "2026-12-01", "reason": "x"},
    )
    assert response.status_code == 200 and "harus setelah tenggat" in response.text
    foreign = world.other_staff.agency
    response = planner.post(
        f"/rencana/{world.plan.pk}/permasalahan/perpanjangan/",
        {"agency": foreign.pk, "until": "2026-12-20", "reason": "x"},
    )
    assert response.status_code == 200 and "Masukkan pilihan yang valid" in response.text


@pytest.mark.postgres
def test_postgresql_gets_a_trigram_index_for_the_search(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'problem_search_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition
