from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.test import Client

from rpjmd.demo import DEMO_PASSWORD
from rpjmd.models import Plan, Stage, User


def counts():
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label != "sessions"
    }


def test_demo_prints_one_login_per_role(demo):
    # (loaded already for the module: every run prints the logins, the first and the next)
    out = StringIO()
    call_command("demo", stdout=out)
    printed = out.getvalue()
    assert DEMO_PASSWORD in printed
    for username in ["perencana", "opd.disdikbud", "opd.dinkes", "sumedi", "wiyono", "admin"]:
        assert username in printed
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {"opd", "planner", "resource_person", "leader", "admin"}
    opd_agencies = set(User.objects.filter(role="opd").values_list("agency__short_name", flat=True))
    assert len(opd_agencies) >= 2


def test_demo_follows_the_2020_process_of_the_seed_article(demo):
    plan = Plan.objects.get(start_year=2021)
    assert plan.title.startswith("Rancangan Teknokratik RPJMD Kabupaten Kutai Kartanegara")
    assert plan.region.time_zone == "Asia/Makassar"
    stages = list(plan.stages.values_list("kind", "opens_on", "closes_on"))
    assert [s[0] for s in stages] == ["identification", "draft_fgd", "finalisation", "submission"]
    assert all(opens.year == 2020 and opens.month in (3, 4) for _, opens, _ in stages)
    assert plan.stages.get(kind="identification").closes_on.isoformat() == "2020-03-13"


def test_demo_users_can_log_in_with_the_printed_password(demo):
    client = Client()
    response = client.post("/masuk/", {"username": "perencana", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(pk=client.session["_auth_user_id"]).is_planner


def test_running_the_demo_twice_changes_nothing_and_loses_nothing(demo):
    plan = Plan.objects.get(start_year=2021)
    plan.title = "Judul yang diubah perencana"
    plan.save()
    Stage.objects.filter(kind="finalisation", plan__start_year=2021).update(state="closed")
    before = counts()
    call_command("demo", "--quiet")
    assert counts() == before
    plan.refresh_from_db()
    assert plan.title == "Judul yang diubah perencana"
    assert Stage.objects.get(kind="finalisation", plan__start_year=2021).state == "closed"
