"""Strategic issue figures: 40 issues, 6 criteria, 12 raters with full sheets (2,880 scores).

Budget: every page and the XLSX within 300 ms median (the results are computed exactly, with
fractions, on every request).
"""

from benchmarks.common import fresh_database, measure, report, setup_django

fresh_database()
setup_django()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from issues.models import (  # noqa: E402
    Criterion,
    Rater,
    Score,
    StrategicIssue,
    StrategicSettings,
)
from rpjmd.models import Plan, User  # noqa: E402
from tests.factories import sign_in  # noqa: E402

call_command("demo", "--quiet")
plan = Plan.objects.get(start_year=2021)
perencana = User.objects.get(username="perencana")
for n in range(34):
    StrategicIssue.objects.create(plan=plan, title=f"Isu strategis uji {n:02d}")
raters = list(Rater.objects.filter(plan=plan))
for n in range(12 - len(raters)):
    user = User.objects.create(
        username=f"penilai{n}", full_name=f"Penilai Uji {n}", role="planner", region=plan.region
    )
    raters.append(Rater.objects.create(plan=plan, user=user))
Score.objects.filter(rater__plan=plan).delete()
issues = list(StrategicIssue.objects.filter(plan=plan))
criteria = list(Criterion.objects.filter(plan=plan))
if len(criteria) < 6:
    Criterion.objects.create(plan=plan, order=6, name="Kriteria tambahan", weight=1)
    criteria = list(Criterion.objects.filter(plan=plan))
Score.objects.bulk_create(
    Score(rater=r, issue=i, criterion=c, value=1 + (ri + ii + ci) % 5)
    for ri, r in enumerate(raters)
    for ii, i in enumerate(issues)
    for ci, c in enumerate(criteria)
)
settings = StrategicSettings.for_plan(plan)
settings.results_open = True
settings.save()
print(
    f"{len(issues)} issues, {len(criteria)} criteria, {len(raters)} raters, "
    f"{Score.objects.filter(rater__plan=plan).count()} scores",
    flush=True,
)

planner = Client(HTTP_HOST="127.0.0.1")
sign_in(planner, perencana)
base = f"/rencana/{plan.pk}/isu-strategis"
for name, url in [
    ("issue list", f"{base}/"),
    ("results", f"{base}/hasil/"),
    ("traceability", f"{base}/ketertelusuran/"),
    ("XLSX ranking and matrix", f"{base}/hasil.xlsx"),
]:
    assert planner.get(url).status_code == 200, url
    report(name, measure(lambda u=url: planner.get(u), runs=15), budget_median_ms=300)
settings.results_open = False
settings.save()
assert planner.get(f"{base}/penilaian/").status_code == 200
report(
    "scoring sheet (240 fields)",
    measure(lambda: planner.get(f"{base}/penilaian/"), runs=15),
    budget_median_ms=300,
)
