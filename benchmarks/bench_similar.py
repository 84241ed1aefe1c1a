"""Similar problems while typing (issue 17), at province scale: the data set of
bench_problems (50 agencies, 5,000 problems) on PostgreSQL.

Measures, server-side through Django's test client with DEBUG off, the htmx fragment the
problem form asks for as the masalah is typed (issues:similar): for a planner (who reads every
handed-in problem) and for OPD staff with the plan's problems open to all participants (their
own plus every other agency's handed-in ones). Each request types a different masalah.
Budget (issue 17): the suggestion answers within 100 ms (median and p95).

    make bench BENCH=similar
"""

from __future__ import annotations

import itertools
import random
import time
from urllib.parse import urlencode

from benchmarks.bench_problems import AGENCIES, build, sentence
from benchmarks.common import fresh_database, measure, report, setup_django

BUDGET = {"budget_median_ms": 100, "budget_p95_ms": 100}
TYPED = 20  # different masalah, cycled through the runs


def main() -> None:
    fresh_database()
    setup_django()
    from django.contrib.postgres.search import SearchVector
    from django.db import connection
    from django.test import Client

    from issues.models import Problem, ProblemSettings
    from issues.similarity import similar_problems
    from rpjmd.models import User
    from tests.factories import sign_in

    started = time.perf_counter()
    data = build()
    print(
        f"data set: {AGENCIES} agencies, "
        + ", ".join(f"{v:,} {k}" for k, v in data["counts"].items())
        + f" (built in {time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    plan = data["plan"]
    # What Problem.update_search_text() keeps beside the search column, for the bulk-built set.
    Problem.objects.update(statement_vector=SearchVector("statement", config="indonesian"))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE issues_problem")
    ProblemSettings.objects.filter(plan=plan).update(open_to_all_participants=True)
    staff = User(username="bench.opd", full_name="Staf Uji", role="opd", agency=data["agency"])
    staff.set_unusable_password()
    staff.save()
    rng = random.Random(17)
    # What staff type: sentences of the same vocabulary, half of them the opening of a
    # problem already in the plan (a duplicate in the making).
    existing = list(
        Problem.objects.filter(plan=plan).order_by("?").values_list("statement", flat=True)[:10]
    )
    texts = [" ".join(s.split()[:10]) for s in existing] + [
        sentence(rng, 12) for _ in range(TYPED - len(existing))
    ]
    found = [len(similar_problems(user=data["planner"], plan=plan, text=t)) for t in texts]
    print(f"suggestions per typed masalah (planner): {found}", flush=True)
    url = f"/rencana/{plan.pk}/permasalahan/serupa/"
    for label, user in (("planner", data["planner"]), ("OPD staff, problems open", staff)):
        client = Client(HTTP_HOST="127.0.0.1")
        sign_in(client, user)
        cycle = itertools.cycle(texts)

        def get(client=client, cycle=cycle):
            response = client.get(
                f"{url}?{urlencode({'statement': next(cycle)})}", headers={"HX-Request": "true"}
            )
            assert response.status_code == 200, response.status_code

        cpu_before = time.process_time()
        report(f"similar problems while typing, {label}", measure(get, runs=60, warmup=5), **BUDGET)
        cpu = (time.process_time() - cpu_before) / 65 * 1000
        print(f"{'':<48} app CPU {cpu:6.1f} ms per request (mean)", flush=True)


if __name__ == "__main__":
    main()
