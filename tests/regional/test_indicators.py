"""Indicator series: capaian, who keeps which rows, the review, history, and the link from a
problem's indicator."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from issues.models import Problem
from regional.models import Aspect, FinanceEntry, RegionalIndicator
from tests.factories import make_user, sign_in
from tests.issues.factories import affair, make_problem
from tests.regional.factories import make_indicator
from tests.stale import assert_conflict, save_twice

S = RegionalIndicator.Status


def test_capaian_is_realisasi_over_target_and_inverted_for_turun_baik(world):
    up = make_indicator(world, actuals={"2019": "72"}, targets={"2019": "80"})
    assert up.achievement(2019) == Decimal("90.00")
    assert up.achievement(2017) is None  # no figures
    down = make_indicator(
        world,
        name="Persentase penduduk miskin",
        polarity=RegionalIndicator.Polarity.DOWN,
        actuals={"2019": "7.5"},
        targets={"2019": "8"},
    )
    assert down.achievement(2019) == Decimal("106.25")  # (2 − 7,5/8) × 100
    zero = make_indicator(world, name="Tanpa target", actuals={"2019": "3"}, targets={"2019": "0"})
    assert zero.achievement(2019) is None


def test_a_public_service_indicator_needs_a_bidang_urusan(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_indicator(world, code="", aspect=Aspect.SERVICES)
    make_indicator(world, code="", aspect=Aspect.WELFARE, name="IPM")  # other aspects may not


def test_finance_amounts_are_never_negative(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        FinanceEntry.objects.create(plan=world.plan, year=2019, account="4.2", amount=-1)


def _form(**overrides):
    data = {
        "aspect": Aspect.SERVICES,
        "affair": affair("1.01", "Pendidikan").pk,
        "name": "APM SD",
        "unit": "persen",
        "polarity": "up",
        "order": "1",
        "source": "Dapodik",
        "actual_2019": "97,5",
        "target_2019": "98",
    }
    return data | overrides


def test_opd_staff_add_their_urusans_rows_which_wait_for_review(world, client_for):
    world.agency_a.affairs.add(affair("1.01", "Pendidikan"))
    client = client_for("opd")
    response = client.post(f"/rencana/{world.plan.pk}/data-daerah/indikator/baru/", _form())
    assert response.status_code == 302
    row = RegionalIndicator.objects.get(name="APM SD")
    assert row.status == S.SUBMITTED and row.created_by == world.staff_a
    assert row.actuals == {"2019": "97.5"} and row.targets == {"2019": "98"}
    assert row.history.count() == 1


def test_a_second_row_with_the_same_name_is_refused_with_what_was_typed(world, client_for):
    """Same plan, aspect and urusan, the same name however it is capitalised or spaced: a form
    error in Indonesian, the typed figures kept, nothing saved (it was a 500 before)."""
    world.agency_a.affairs.add(affair("1.01", "Pendidikan"))
    client = client_for("opd")
    url = f"/rencana/{world.plan.pk}/data-daerah/indikator/baru/"
    assert client.post(url, _form()).status_code == 302
    response = client.post(url, _form(name="  apm sd ", actual_2019="88,25"))
    assert response.status_code == 200
    assert "Indikator dengan nama ini sudah ada pada aspek dan urusan itu." in response.text
    assert 'value="88,25"' in response.text
    assert RegionalIndicator.objects.filter(plan=world.plan).count() == 1
    # Without an urusan (another aspect) the rule holds too: NULLs are not told apart by SQL.
    planner = client_for("planner")
    welfare = _form(aspect=Aspect.WELFARE, affair="", name="Indeks Pembangunan Manusia")
    assert planner.post(url, welfare).status_code == 302
    again = planner.post(url, welfare | {"name": "indeks pembangunan manusia"})
    assert again.status_code == 200 and "sudah ada" in again.text
    # Saving a row again under its own name is no duplicate.
    row = RegionalIndicator.objects.get(name="Indeks Pembangunan Manusia")
    url = reverse("regional:indicator_update", args=[row.pk])
    form = planner.get(url).context["form"]
    edit = {**welfare, "seen_version": form["seen_version"].value(), "unit": "indeks"}
    assert planner.post(url, edit).status_code == 302


def test_opd_staff_cannot_choose_another_agencys_urusan(world, client_for):
    health = affair("1.02", "Kesehatan")
    world.agency_b.affairs.add(health)
    affair("1.01", "Pendidikan")
    world.agency_a.affairs.add(affair("1.01"))
    response = client_for("opd").post(
        f"/rencana/{world.plan.pk}/data-daerah/indikator/baru/", _form(affair=health.pk)
    )
    assert response.status_code == 200
    assert not RegionalIndicator.objects.exists()
    assert "affair" in response.context["form"].errors


def test_opd_of_another_urusan_cannot_edit_and_another_region_sees_nothing(world, client_for):
    row = make_indicator(world)  # urusan 1.01: agency A's
    url = f"/indikator-daerah/{row.pk}/ubah/"
    assert client_for("opd_b").get(url).status_code == 403
    assert client_for("opd_b").post(url, _form(name="Diubah")).status_code == 403
    assert client_for("other_staff").get(url).status_code == 404
    assert client_for("other_planner").post(url, _form(name="Diubah")).status_code == 404
    assert client_for("other_staff").get(f"/indikator-daerah/{row.pk}/").status_code == 404
    assert (
        client_for("other_planner").get(f"/rencana/{world.plan.pk}/data-daerah/").status_code == 404
    )
    row.refresh_from_db()
    assert row.name == "Angka partisipasi murni SMP"
    assert client_for("opd_b").get(f"/indikator-daerah/{row.pk}/").status_code == 200  # reads


def test_review_accepts_or_returns_and_accepted_rows_are_frozen_for_the_agency(world, client_for):
    row = make_indicator(world)
    planner = client_for("planner")
    review = f"/indikator-daerah/{row.pk}/tinjau/"
    response = planner.post(review, {"action": "return", "note": ""}, follow=True)
    row.refresh_from_db()
    assert row.status == S.SUBMITTED  # a return needs a reason
    assert "Tuliskan alasan" in response.content.decode()
    planner.post(review, {"action": "return", "note": "Target 2019 keliru"})
    row.refresh_from_db()
    assert (row.status, row.reviewer_note) == (S.RETURNED, "Target 2019 keliru")
    note = world.staff_a.notifications.get()
    assert "Target 2019 keliru" in note.message and note.url == f"/indikator-daerah/{row.pk}/ubah/"
    opd = client_for("opd")
    again = _form() | {"seen_version": row.version}
    assert opd.post(f"/indikator-daerah/{row.pk}/ubah/", again).status_code == 302
    row.refresh_from_db()
    assert row.status == S.SUBMITTED and row.name == "APM SD"
    planner.post(review, {"action": "accept", "note": ""})
    row.refresh_from_db()
    assert row.status == S.ACCEPTED
    assert opd.get(f"/indikator-daerah/{row.pk}/ubah/").status_code == 403
    assert client_for("opd").post(review, {"action": "accept"}).status_code == 403
    assert row.history.count() >= 4


def test_the_list_groups_rows_by_aspect(world, client_for):
    make_indicator(world, name="APM SMP")
    make_indicator(world, name="IPM", aspect=Aspect.WELFARE, code="")
    response = client_for("leader").get(f"/rencana/{world.plan.pk}/data-daerah/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Aspek kesejahteraan masyarakat") < html.index("IPM")
    assert html.index("Aspek pelayanan umum") < html.index("APM SMP")
    row = RegionalIndicator.objects.get(name="APM SMP")
    edit = f"/indikator-daerah/{row.pk}/ubah/"
    assert edit not in html  # leaders read only
    assert edit in client_for("opd").get(f"/rencana/{world.plan.pk}/data-daerah/").text
    assert edit not in client_for("opd_b").get(f"/rencana/{world.plan.pk}/data-daerah/").text


def test_a_problems_indicator_can_point_at_an_accepted_series(world, client_for):
    series = make_indicator(
        world, status=S.ACCEPTED, actuals={"2018": "70.5", "2019": "72"}, name="APM SMP"
    )
    problem = make_problem(world.agency_a, status="draft")
    client = client_for("opd")
    form_page = client.get(f"/permasalahan/{problem.pk}/ubah/")
    assert form_page.status_code == 200
    assert 'name="indicators-0-regional_series"' in form_page.content.decode()
    data = {
        "affair": problem.affair_id,
        "core_problem": problem.core_problem_id,
        "statement": problem.statement,
        "whole_region": "on",
        "causes-TOTAL_FORMS": "1",
        "causes-INITIAL_FORMS": "0",
        "causes-0-order": "1",
        "causes-0-text": "Jarak sekolah jauh",
        "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-regional_series": series.pk,
        "seen_version": problem.version,  # the edit form's hidden version (issue 13)
    }
    response = client.post(f"/permasalahan/{problem.pk}/ubah/", data)
    assert response.status_code == 302, response.context and [
        f.errors for f in response.context["indicators"]
    ]
    indicator = problem.indicators.get()
    assert indicator.regional_series == series
    assert (indicator.name, indicator.unit, indicator.source) == ("APM SMP", "persen", "Dapodik")
    assert indicator.value_for(2019) == Decimal("72")  # read from the series, not retyped
    page = client.get(f"/permasalahan/{problem.pk}/").content.decode()
    assert f"/indikator-daerah/{series.pk}/" in page and "Seri data daerah" in page

    # The series is later returned for review: the problem keeps pointing at it on re-save.
    make_indicator(world, status=S.ACCEPTED, name="Seri lain")
    series.status = S.RETURNED
    series.save()
    again = data | {
        "indicators-INITIAL_FORMS": "1",
        "indicators-0-id": indicator.pk,
        "indicators-0-problem": problem.pk,
        "seen_version": Problem.objects.get(pk=problem.pk).version,
    }
    assert client.post(f"/permasalahan/{problem.pk}/ubah/", again).status_code == 302
    indicator.refresh_from_db()
    assert indicator.regional_series == series


def test_the_finance_grid_saves_every_cell_with_history(world, client_for):
    client = client_for("planner")
    url = f"/rencana/{world.plan.pk}/data-daerah/keuangan/"
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="a_2015_4_1_01"' in response.content.decode()  # 2015–2020: six years
    data = {
        "grid_years": "2015-2020",
        "loaded": grid(client, url)["loaded"],
        "source": "LRA (ilustrasi)",
        "projection_rate": "5,5",
        "a_2019_4_2": "1.000.000,50",
        "a_2019_5_1": "800000",
    }
    assert client.post(url, data).status_code == 302
    entries = {(e.year, e.account): e.amount for e in FinanceEntry.objects.filter(plan=world.plan)}
    assert entries == {(2019, "4.2"): Decimal("1000000.50"), (2019, "5.1"): Decimal("800000")}
    assert world.plan.finance_settings.projection_rate == Decimal("5.5")
    data = grid(client, url)
    response = client.post(url, data | {"a_2019_5_1": "-5", "a_2019_4_2": "7"})
    assert response.status_code == 200  # a negative figure: nothing saved
    assert FinanceEntry.objects.get(year=2019, account="4.2").amount == Decimal("1000000.50")
    stale = client.post(url, {"a_2019_4_2": "1"})  # not the grid on the page: refused
    assert stale.status_code == 200 and "grid_years" in stale.context["form"].errors
    assert "loaded" in stale.context["form"].errors
    client.post(url, data | {"a_2019_5_1": ""})  # emptied: no figure
    assert not FinanceEntry.objects.filter(account="5.1").exists()
    assert FinanceEntry.history.count() == 3  # two created, one deleted; unchanged cells stay
    assert client_for("opd").get(url).status_code == 403


def as_posted(form) -> dict[str, str]:
    """A form's fields as its page shows them (every cell, the hidden ones)."""
    shown = {name: form[name].value() for name in form.fields}
    return {
        name: "" if value is None else form.fields[name].prepare_value(value)
        for name, value in shown.items()
    }


def grid(client, url) -> dict[str, str]:
    return as_posted(client.get(url).context["form"])


def test_two_planners_on_the_finance_grid_lose_nothing(world, client_for):
    """Each save writes only the cells its planner changed; a cell someone changed after the
    page was opened is named with its value now, nothing is written, and the typed figures stay
    on the page. Saving again then overwrites it on purpose."""
    url = f"/rencana/{world.plan.pk}/data-daerah/keuangan/"
    first = client_for("planner")
    second = Client()
    sign_in(second, make_user("planner", agency=world.bappeda))
    mine, theirs = grid(first, url), grid(second, url)
    assert first.post(url, mine | {"a_2019_4_1_01": "500"}).status_code == 302
    # The second planner, on the page opened before, fills another cell: both are kept.
    assert second.post(url, theirs | {"a_2019_5_1": "700"}).status_code == 302
    cells = {(e.year, e.account): e.amount for e in FinanceEntry.objects.filter(plan=world.plan)}
    assert cells == {(2019, "4.1.01"): Decimal("500"), (2019, "5.1"): Decimal("700")}
    # Still on that old page, they change the cell the first planner filled: a conflict.
    response = second.post(url, theirs | {"a_2019_4_1_01": "650", "source": "LRA 2019"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Tidak ada yang disimpan" in text and "sekarang: 500." in text
    assert 'value="650"' in text and 'value="LRA 2019"' in text
    assert FinanceEntry.objects.get(year=2019, account="4.1.01").amount == Decimal("500")
    assert FinanceEntry.history.count() == 2
    # Saving the page as it came back overwrites, knowingly.
    assert second.post(url, as_posted(response.context["form"])).status_code == 302
    assert FinanceEntry.objects.get(year=2019, account="4.1.01").amount == Decimal("650")
    assert world.plan.finance_settings.source == "LRA 2019"


def test_a_projection_rate_changed_by_both_is_named_in_indonesian_notation(world, client_for):
    url = f"/rencana/{world.plan.pk}/data-daerah/keuangan/"
    first = client_for("planner")
    second = Client()
    sign_in(second, make_user("planner", agency=world.bappeda))
    mine, theirs = grid(first, url), grid(second, url)
    assert first.post(url, mine | {"projection_rate": "5,5"}).status_code == 302
    response = second.post(url, theirs | {"projection_rate": "6"})
    assert response.status_code == 200
    assert "sekarang: 5,50." in response.content.decode()
    assert world.plan.finance_settings.projection_rate == Decimal("5.5")


def test_permission_rules_directly(world):
    from regional.permissions import affairs_of, can_edit_indicator, can_view

    row = make_indicator(world)
    assert can_edit_indicator(world.planner, row)
    assert can_edit_indicator(world.staff_a, row)
    assert not can_edit_indicator(world.other_planner, row)  # another pemda
    assert not can_edit_indicator(world.staff_b, row)  # another urusan
    assert not can_edit_indicator(world.leader, row)
    assert affairs_of(world.planner) is None and affairs_of(world.staff_b) == set()
    assert can_view(world.resource_person, world.plan) and not can_view(world.admin, world.plan)


def test_a_stale_indicator_form_gets_the_conflict_page_and_overwrites_nothing(world, client_for):
    """Issue 13's version check on the new regional form: two tabs opened at one version."""
    row = make_indicator(world, name="APM SD")
    url = f"/indikator-daerah/{row.pk}/ubah/"
    response = save_twice(
        client_for("planner"), client_for("planner"), url, {"name": "APM SD/MI"}, {"name": "APK SD"}
    )
    assert_conflict(response, "APM SD/MI", "APK SD")
    row.refresh_from_db()
    assert row.name == "APM SD/MI" and row.history.count() == 2
