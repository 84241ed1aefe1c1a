"""Charts (issue 16): the dashboard's four charts drawn fresh, the dashboard with them cached,
and a figure block drawn for the document.

Budgets: the four charts drawn from nothing within 1 s median (once per change of the data and
per worker process: the SVG is cached under a digest of its data); the dashboard page within
300 ms median with its charts cached.
"""

from benchmarks.common import fresh_database, measure, report, setup_django

fresh_database()
setup_django()

import datetime as dt  # noqa: E402

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from drafts.blocks import REGISTRY, render_figure  # noqa: E402
from issues.models import Problem  # noqa: E402
from rpjmd.dashboard import charts_for  # noqa: E402
from rpjmd.models import Agency, Plan, User  # noqa: E402
from tests.factories import sign_in  # noqa: E402
from tests.issues.factories import make_problem  # noqa: E402

call_command("demo", "--quiet")
plan = Plan.objects.order_by("pk").first()
# A big kabupaten: forty agencies that handed in problems.
for n in range(40 - Agency.objects.filter(problems__plan=plan).distinct().count()):
    agency = Agency.objects.create(
        region=plan.region, name=f"Dinas Uji Beban {n:02d}", short_name=f"DUB{n:02d}"
    )
    for status in ("submitted", "accepted", "returned"):
        make_problem(agency, plan=plan, status=status)
leader = User.objects.get(username="wiyono")
today = dt.date.today()
print(
    f"{Problem.objects.filter(plan=plan).count()} problems of "
    f"{Agency.objects.filter(problems__plan=plan).distinct().count()} agencies",
    flush=True,
)


def draw_all() -> None:
    cache.clear()
    for chart in charts_for(leader, plan, today):
        str(chart.svg)


report("four dashboard charts, drawn", measure(draw_all, runs=10, warmup=1), budget_median_ms=1000)

client = Client(HTTP_HOST="127.0.0.1")
sign_in(client, leader)
url = f"/rencana/{plan.pk}/"
assert client.get(url).status_code == 200
report("dashboard, charts cached", measure(lambda: client.get(url), runs=20), budget_median_ms=300)

figure = REGISTRY["grafik-peringkat-isu"].build(plan, "", viewer=None)


def draw_figure() -> None:
    cache.clear()
    render_figure(figure, number="Gambar 4.1", element_id="bench")


report("strategic issue figure, drawn", measure(draw_figure, runs=10, warmup=1))
