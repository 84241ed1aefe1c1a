"""Taking a rater off asks first, and keeps their scores: ticking them again restores them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from issues.models import Rater, Score
from issues.strategic import workflow as strategic
from tests.issues.strategic_factories import make_criteria, make_issue, make_rater, score_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(world):
    first = make_issue(world.plan, "Pendidikan")
    second = make_issue(world.plan, "Kesehatan")
    make_criteria(world.plan)
    score_all(make_rater(world.plan, world.planner), {first: [5, 5], second: [3, 3]})
    score_all(make_rater(world.plan, world.resource_person), {first: [1, 1], second: [5, 5]})
    return first, second


def ranking(plan) -> list[str]:
    return [row.issue.title for row in strategic.results(plan)]


def checkbox(page: str, user) -> str:
    [tag] = re.findall(rf'<input type="checkbox" name="users" value="{user.pk}"[^>]*>', page)
    return tag


def post_raters(client, plan, users, confirm=None):
    data = {"users": [u.pk for u in users]}
    if confirm is not None:
        data["confirm"] = confirm
    return client.post(reverse("strategic:raters", args=[plan.pk]), data)


def test_unticking_a_rater_who_scored_asks_first_and_changes_nothing(world, client_for, scored):
    assert ranking(world.plan) == ["Kesehatan", "Pendidikan"]
    response = post_raters(client_for("planner"), world.plan, [world.planner])
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lepas penilai yang sudah menilai?" in page
    assert f"{world.resource_person.full_name}: 4 nilai" in page
    assert "4 nilai tidak lagi dihitung, dan peringkat isu strategis akan berubah" in page
    # The form comes back as the planner left it: the narasumber unticked.
    assert "checked" not in checkbox(page, world.resource_person)
    assert "checked" in checkbox(page, world.planner)
    assert Rater.objects.active().filter(plan=world.plan).count() == 2
    assert ranking(world.plan) == ["Kesehatan", "Pendidikan"]


def test_confirmed_the_scores_stop_counting_and_come_back_when_ticked_again(
    world, client_for, scored
):
    client = client_for("planner")
    leaving = Rater.objects.get(user=world.resource_person)
    response = post_raters(client, world.plan, [world.planner], confirm=str(leaving.pk))
    assert response.status_code == 302
    leaving.refresh_from_db()
    assert not leaving.active
    assert Score.objects.filter(rater=leaving).count() == 4  # kept, not deleted
    assert ranking(world.plan) == ["Pendidikan", "Kesehatan"]  # without the narasumber's scores
    page = client.get(reverse("strategic:raters", args=[world.plan.pk])).content.decode()
    assert f"{world.resource_person.full_name}: 4 nilai disimpan" in page
    sheet = client_for("resource_person").get(reverse("strategic:sheet", args=[world.plan.pk]))
    assert sheet.status_code == 403  # no longer a rater

    # Ticking the narasumber again asks nothing and brings the scores back.
    response = post_raters(client, world.plan, [world.planner, world.resource_person])
    assert response.status_code == 302
    leaving.refresh_from_db()
    assert leaving.active
    assert ranking(world.plan) == ["Kesehatan", "Pendidikan"]
    assert Rater.objects.filter(plan=world.plan).count() == 2


def test_a_rater_without_scores_is_taken_off_without_a_question(world, client_for, scored):
    make_rater(world.plan, world.leader)
    response = post_raters(
        client_for("planner"), world.plan, [world.planner, world.resource_person]
    )
    assert response.status_code == 302
    assert not Rater.objects.get(user=world.leader).active


def test_a_confirmation_covers_only_the_raters_it_named(world, client_for, scored):
    planner_rater = Rater.objects.get(user=world.planner)
    # Confirmed for the planner's own rater row, but the narasumber is the one unticked.
    response = post_raters(
        client_for("planner"), world.plan, [world.planner], confirm=str(planner_rater.pk)
    )
    assert response.status_code == 200
    assert Rater.objects.get(user=world.resource_person).active
