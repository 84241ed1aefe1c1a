"""National scale (issue 15): 546 regions, each with its agencies, users, a plan with about 183
problems (about 100,000 in all), an FGD and a document, on one PostgreSQL database.

Measures, server-side through Django's test client with DEBUG off, as the planner of a small,
a middle and a big region: the problem list, the plan dashboard and the progress page; then,
as the central administrator (superuser), the Django admin changelists that span regions.
Beside the figures: the queries per page (the same for a small region and a big one) and the
EXPLAIN ANALYZE of every SELECT a page makes, with any sequential scan of a big table.
Budget (issue 15, the single-region budget of issue 3): median under 60 ms and p95 under 150 ms.

    make bench BENCH=national
    NATIONAL_REGIONS=20 make bench BENCH=national   # a quick try on fewer regions
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import time

from benchmarks.bench_problems import sentence
from benchmarks.common import fresh_database, measure, report, setup_django

REGIONS = int(os.environ.get("NATIONAL_REGIONS", "546"))
AGENCIES = 10  # per region, besides its Bappeda
STAFF_PER_AGENCY = 2
DISTRICTS = 12  # kecamatan per region
# Problems per region rise evenly from SMALLEST to 2 * 183 - SMALLEST: 183 on average
# (99,918 for 546 regions), so the first region is small and the last one big.
MEAN_PROBLEMS = 183
SMALLEST = 40
CHUNK = 40  # regions generated per transaction
BIG_TABLE_ROWS = 5_000  # a sequential scan of a table at least this big is reported
BUDGET = {"budget_median_ms": 60, "budget_p95_ms": 150}
STATUSES = ["draft"] * 10 + ["submitted"] * 40 + ["accepted"] * 35 + ["returned"] * 15


def problems_in(index: int) -> int:
    if REGIONS == 1:
        return MEAN_PROBLEMS
    return round(SMALLEST + (2 * (MEAN_PROBLEMS - SMALLEST)) * index / (REGIONS - 1))


def build() -> dict:
    """Create the national data set with bulk inserts (history rows included, in bulk too);
    returns what the measurements need."""
    from django.db import connection, transaction
    from simple_history.utils import bulk_create_with_history

    from drafts.outline import create_document
    from fgd.models import Invitation, Meeting
    from issues.models import (
        CoreProblem,
        Indicator,
        Problem,
        ProblemSettings,
        RootCause,
        Transition,
    )
    from rpjmd.models import Affair, Agency, District, Plan, Region, Stage, User
    from rpjmd.reference import load_reference

    rng = random.Random(546)
    load_reference()
    affairs = list(Affair.objects.all())
    zones = list(Region.TimeZone.values)
    admin = User(username="bench.pusat", full_name="Administrator Pusat", role="admin")
    admin.is_superuser = True
    admin.set_unusable_password()
    admin.save()
    planners: list = []
    plans: list = []
    timings = {"rows": 0.0, "documents": 0.0}
    for first in range(0, REGIONS, CHUNK):
        started = time.perf_counter()
        numbers = range(first, min(first + CHUNK, REGIONS))
        with transaction.atomic():
            regions = Region.objects.bulk_create(
                Region(
                    name=f"Uji {n + 1:03d}",
                    kind=Region.Kind.CITY if n % 5 == 4 else Region.Kind.REGENCY,
                    code=f"98.{n + 1:03d}",
                    province=f"Provinsi Uji {n // 16 + 1:02d}",
                    time_zone=zones[n % len(zones)],
                )
                for n in numbers
            )
            chunk_plans = bulk_create_with_history(
                [
                    Plan(
                        region=region,
                        title=f"Rancangan Teknokratik RPJMD {region.name} 2025–2029",
                        start_year=2025,
                        end_year=2029,
                        rpjmn_period="2020-2024",
                    )
                    for region in regions
                ],
                Plan,
            )
            ProblemSettings.objects.bulk_create(ProblemSettings(plan=p) for p in chunk_plans)
            stages = bulk_create_with_history(
                [
                    Stage(
                        plan=plan,
                        kind=Stage.Kind.IDENTIFICATION,
                        name="FGD Identifikasi Permasalahan",
                        opens_on=dt.date(2026, 11, 2),
                        closes_on=dt.date(2026, 12, 31),
                        state=Stage.State.OPEN,
                    )
                    for plan in chunk_plans
                ],
                Stage,
            )
            agencies = Agency.objects.bulk_create(
                Agency(
                    region=region,
                    name=f"Dinas Uji {k:02d} {region.name}" if k else f"Bappeda {region.name}",
                    short_name=f"DU{k:02d}" if k else "Bappeda",
                    is_planning_agency=k == 0,
                )
                for region in regions
                for k in range(AGENCIES + 1)
            )
            through = Agency.affairs.through
            through.objects.bulk_create(
                through(agency_id=agency.pk, affair_id=affair.pk)
                for agency in agencies
                if not agency.is_planning_agency
                for affair in rng.sample(affairs, 2)
            )
            districts = District.objects.bulk_create(
                District(region=region, name=f"Kecamatan {k:02d}")
                for region in regions
                for k in range(1, DISTRICTS + 1)
            )
            people = []
            for region_agencies in _per_region(agencies, AGENCIES + 1):
                bappeda, dinas = region_agencies[0], region_agencies[1:]
                region = bappeda.region
                for role, who in (("planner", "perencana"), ("leader", "pimpinan")):
                    people.append(
                        User(
                            username=f"{who}.{region.code}",
                            full_name=f"{who.capitalize()} {region.name}",
                            role=role,
                            region=region,
                            agency=bappeda if role == "planner" else None,
                        )
                    )
                for agency in dinas:
                    for k in range(STAFF_PER_AGENCY):
                        people.append(
                            User(
                                username=f"opd.{region.code}.{agency.short_name}.{k}",
                                full_name=f"Staf {agency.short_name} {region.name} {k}",
                                role="opd",
                                region=region,
                                agency=agency,
                            )
                        )
            for person in people:
                person.set_unusable_password()  # no hashing: nobody signs in with a password
            people = User.objects.bulk_create(people, batch_size=2000)
            chunk_planners = people[:: 2 + AGENCIES * STAFF_PER_AGENCY]
            meetings = bulk_create_with_history(
                [
                    Meeting(
                        plan=plan,
                        stage=stage,
                        title=f"FGD Identifikasi Permasalahan {plan.region.name}",
                        purposes="Menghimpun permasalahan\nMenyepakati akar masalah",
                        starts_at=dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC),
                        ends_at=dt.datetime(2026, 11, 20, 7, 0, tzinfo=dt.UTC),
                        venue=f"Aula Bappeda {plan.region.name}",
                        created_by=planner,
                    )
                    for plan, stage, planner in zip(
                        chunk_plans, stages, chunk_planners, strict=True
                    )
                ],
                Meeting,
            )
            Invitation.objects.bulk_create(
                Invitation(meeting=meeting, agency=agency, invited_by=meeting.created_by)
                for meeting, region_agencies in zip(
                    meetings, _per_region(agencies, AGENCIES + 1), strict=True
                )
                for agency in region_agencies[1:]
            )
            _problems(
                rng,
                numbers,
                chunk_plans,
                stages,
                _per_region(agencies, AGENCIES + 1),
                _per_region(districts, DISTRICTS),
                _per_region(people, 2 + AGENCIES * STAFF_PER_AGENCY),
                affairs,
                models=(CoreProblem, Problem, RootCause, Indicator, Transition),
            )
        timings["rows"] += time.perf_counter() - started
        started = time.perf_counter()
        # The document as the app creates it (the outline, each section's first history row).
        for plan, planner in zip(chunk_plans, chunk_planners, strict=True):
            create_document(plan=plan, by=planner)
        timings["documents"] += time.perf_counter() - started
        planners += chunk_planners
        plans += chunk_plans
        print(f"  {len(plans)} regions generated", flush=True)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # What Problem.update_search_text() keeps beside search_text, in one statement.
        cursor.execute(
            "UPDATE issues_problem SET statement_vector = to_tsvector('indonesian', statement)"
        )
        cursor.execute("VACUUM ANALYZE")
    timings["vector+analyze"] = time.perf_counter() - started
    from drafts.models import Section

    return {
        "plans": plans,
        "planners": planners,
        "admin": admin,
        "timings": timings,
        "counts": {
            "regions": Region.objects.count(),
            "agencies": Agency.objects.count(),
            "users": User.objects.count(),
            "problems": Problem.objects.count(),
            "root causes": RootCause.objects.count(),
            "indicators": Indicator.objects.count(),
            "FGDs": Meeting.objects.count(),
            "document sections": Section.objects.count(),
            "problem history rows": Problem.history.count(),
        },
    }


def _per_region(rows: list, size: int) -> list[list]:
    return [rows[k : k + size] for k in range(0, len(rows), size)]


def _problems(rng, numbers, plans, stages, agencies, districts, people, affairs, *, models):
    """Each region's problems with their core problems, root causes, an indicator, kecamatan
    and transitions; search_text is filled as update_search_text() would leave it."""
    from simple_history.utils import bulk_create_with_history

    CoreProblem, Problem, RootCause, Indicator, Transition = models
    cores = CoreProblem.objects.bulk_create(
        CoreProblem(plan=plan, agency=agency, text=f"{sentence(rng, 5)} ({agency.short_name}-{k})")
        for plan, region_agencies in zip(plans, agencies, strict=True)
        for agency in region_agencies[1:]
        for k in range(3)
    )
    cores_of = _per_region(cores, AGENCIES * 3)
    problems, causes_of, indicator_of = [], [], []
    for index, plan, stage, region_cores, region_people, region_affairs in zip(
        numbers, plans, stages, cores_of, people, [affairs] * len(plans), strict=True
    ):
        staff = {u.agency_id: u for u in region_people[2:]}
        for n in range(problems_in(index)):
            core = region_cores[n % len(region_cores)]
            status = rng.choice(STATUSES)
            causes = [sentence(rng, 10) for _ in range(rng.randint(1, 3))]
            indicator = Indicator(
                name=sentence(rng, 4),
                unit="persen",
                values={str(y): str(round(rng.uniform(1, 90), 2)) for y in range(2020, 2024)},
                comparison_value=round(rng.uniform(1, 90), 2),
                comparison_kind="provincial",
                source=f"BPS {plan.region.name}",
            )
            statement = sentence(rng, 18)
            note = sentence(rng, 8) if status == "returned" else ""
            problems.append(
                Problem(
                    plan=plan,
                    agency_id=core.agency_id,
                    stage=stage,
                    affair=rng.choice(region_affairs),
                    core_problem=core,
                    statement=statement,
                    status=status,
                    whole_region=n % 10 == 0,
                    reviewer_note=note,
                    created_by=staff[core.agency_id],
                    submitted_at=(
                        None
                        if status == "draft"
                        else dt.datetime(2026, 11, 10, tzinfo=dt.UTC) + dt.timedelta(minutes=n)
                    ),
                    search_text=" ".join(
                        p
                        for p in [statement, core.text, note, *causes, indicator.name]
                        + [indicator.source]
                        if p
                    ).lower(),
                )
            )
            causes_of.append(causes)
            indicator_of.append(indicator)
    problems = bulk_create_with_history(problems, Problem, batch_size=2000)
    causes, links, transitions = [], [], []
    through = Problem.districts.through
    for problem, texts, indicator, region_districts in zip(
        problems,
        causes_of,
        indicator_of,
        _expand(districts, numbers),
        strict=True,
    ):
        causes += [RootCause(problem=problem, order=k, text=t) for k, t in enumerate(texts, 1)]
        indicator.problem = problem
        if not problem.whole_region:
            links += [
                through(problem_id=problem.pk, district_id=d.pk)
                for d in rng.sample(region_districts, rng.randint(1, 3))
            ]
        if problem.status != "draft":
            transitions.append(
                Transition(
                    problem=problem,
                    from_status="draft",
                    to_status="submitted",
                    by=problem.created_by,
                )
            )
            if problem.status != "submitted":
                transitions.append(
                    Transition(problem=problem, from_status="submitted", to_status=problem.status)
                )
    bulk_create_with_history(causes, RootCause, batch_size=5000)
    bulk_create_with_history(indicator_of, Indicator, batch_size=5000)
    through.objects.bulk_create(links, batch_size=5000)
    Transition.objects.bulk_create(transitions, batch_size=5000)


def _expand(districts: list[list], numbers: range):
    """Each problem's region's kecamatan, in the order the problems were made."""
    for region_districts, index in zip(districts, numbers, strict=True):
        for _ in range(problems_in(index)):
            yield region_districts


SCAN = re.compile(r"Seq Scan on (\w+)")


def explain(queries: list[dict], big: set[str]) -> list[tuple[str, str]]:
    """(table, query) for every sequential scan of a big table in the pages' SELECTs."""
    from django.db import connection

    found = []
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN ANALYZE {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            found += [(table, sql) for table in SCAN.findall(plan) if table in big]
    return found


def main() -> None:
    fresh_database()
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from issues.models import Problem
    from tests.factories import sign_in

    started = time.perf_counter()
    data = build()
    took = time.perf_counter() - started
    print(
        "data set: "
        + ", ".join(f"{v:,} {k}" for k, v in data["counts"].items())
        + f" (built in {took:.0f} s: rows {data['timings']['rows']:.0f} s, documents "
        f"{data['timings']['documents']:.0f} s, search vectors and ANALYZE "
        f"{data['timings']['vector+analyze']:.0f} s)",
        flush=True,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples >= %s"
            " AND relnamespace = 'public'::regnamespace",
            [BIG_TABLE_ROWS],
        )
        big = {row[0] for row in cursor.fetchall()}
    print(f"big tables (≥ {BIG_TABLE_ROWS:,} rows): {', '.join(sorted(big))}", flush=True)

    samples = sorted({0, REGIONS // 2, REGIONS - 1})
    queries_per_page: dict[str, dict[int, int]] = {}
    scans: dict[tuple[str, str], str] = {}
    for index in samples:
        plan, planner = data["plans"][index], data["planners"][index]
        size = Problem.objects.filter(plan=plan).count()
        print(f"\n-- region {index + 1} ({plan.region}, {size} problems), as its planner")
        client = Client(HTTP_HOST="127.0.0.1")
        sign_in(client, planner)
        pages = {
            "problem list (issues:list)": reverse("issues:list", args=[plan.pk]),
            "dashboard (plan_dashboard)": reverse("plan_dashboard", args=[plan.pk]),
            "progress (issues:progress)": reverse("issues:progress", args=[plan.pk]),
        }
        for name, url in pages.items():
            count = _measure_page(client, f"{name}, region {index + 1}", url, big, scans)
            queries_per_page.setdefault(name, {})[size] = count

    print("\n-- central administrator (superuser), pages across regions (paginated)")
    client = Client(HTTP_HOST="127.0.0.1")
    sign_in(client, data["admin"])
    middle_region = data["plans"][REGIONS // 2].region_id
    from rpjmd.admin import NATIONAL_LIST_ROWS

    last_page = (data["counts"]["users"] - 1) // NATIONAL_LIST_ROWS  # pages count from 0
    admin_pages = {
        "admin users, first page": "/admin/rpjmd/user/",
        "admin users, last page": f"/admin/rpjmd/user/?p={last_page}",
        "admin users, one region": f"/admin/rpjmd/user/?region__id__exact={middle_region}",
        "admin users, search": "/admin/rpjmd/user/?q=perencana",
        "admin agencies, first page": "/admin/rpjmd/agency/",
        "admin kecamatan, first page": "/admin/rpjmd/district/",
        "admin regions, first page": "/admin/rpjmd/region/",
        "admin plans, first page": "/admin/rpjmd/plan/",
    }
    for name, url in admin_pages.items():
        queries_per_page[name] = {0: _measure_page(client, name, url, big, scans)}

    print("\nqueries per page (by the region's number of problems):")
    for name, counts in queries_per_page.items():
        shown = ", ".join(f"{size} problems: {n}" for size, n in counts.items() if size)
        constant = "constant" if len(set(counts.values())) == 1 else "NOT constant"
        print(
            f"  {name:<44} {shown or next(iter(counts.values()))}"
            + (f"  [{constant}]" if len(counts) > 1 else "")
        )
    # One line per page and table (the sample regions' queries differ only in their ids).
    by_page: dict[tuple[str, str], tuple[list[str], str]] = {}
    for (table, sql), page in scans.items():
        kind, _, region = page.partition(", region ")
        regions, _ = by_page.setdefault((kind, table), ([], sql))
        if region and region not in regions:
            regions.append(region)
    print(f"\nEXPLAIN ANALYZE: sequential scans of big tables: {len(by_page)}")
    for (kind, table), (regions, sql) in by_page.items():
        where = f", regions {', '.join(regions)}" if regions else ""
        print(f"  Seq Scan on {table} ({kind}{where}):\n    {sql[sql.find(' FROM ') :][:600]}")


def _measure_page(client, name: str, url: str, big: set[str], scans: dict) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    with CaptureQueriesContext(connection) as captured:
        get()
    # A copy: captured_queries reads the connection's log, which the next request empties.
    queries = list(captured.captured_queries)
    for table, sql in explain(queries, big):
        scans.setdefault((table, sql), name)
    cpu_before = time.process_time()
    report(name, measure(get, runs=30, warmup=3), **BUDGET)
    cpu = (time.process_time() - cpu_before) / 33 * 1000
    print(
        f"{'':<48} {len(queries)} queries, app CPU {cpu:6.1f} ms per request",
        flush=True,
    )
    return len(queries)


if __name__ == "__main__":
    main()
