"""Problems at province scale: 50 agencies, 5,000 problems with root causes and indicators.

Measures, server-side through Django's test client with DEBUG off on PostgreSQL, the planner's
problem list (first page, filtered, full-text search) and the agency progress page.
Budget (issue 3): median under 60 ms and p95 under 150 ms per page.

    make bench BENCH=problems
"""

from __future__ import annotations

import random
import time

from benchmarks.common import fresh_database, measure, report, setup_django

AGENCIES = 50
PROBLEMS = 5_000
DISTRICTS = 60
BUDGET = {"budget_median_ms": 60, "budget_p95_ms": 150}

# Problem statements draw on a planning vocabulary with a few very common words and many rare
# ones (Zipf-like weights), so a two-word search matches a realistic few percent of problems.
WORDS = str.split(
    "dan yang di tidak masih belum rendah tinggi kurang terbatas akses layanan masyarakat desa "
    "kecamatan angka putus sekolah jarak jauh guru stunting gizi buruk sanitasi air bersih jalan "
    "rusak berat banjir sungai longsor tambang batu bara reklamasi kemiskinan pengangguran "
    "nelayan petani sawit karet irigasi puskesmas bidan dokter rujukan terpencil listrik "
    "internet sinyal pasar harga pangan inflasi investasi perizinan pariwisata budaya ibu hamil "
    "balita imunisasi posyandu jamban limbah sampah tempat pembuangan akhir drainase genangan "
    "jembatan dermaga pelabuhan bandara angkutan umum trayek terminal perumahan kumuh rumah "
    "layak huni sertifikat tanah tata ruang kawasan hutan lindung kebakaran lahan gambut asap "
    "emisi karbon mangrove abrasi pesisir tambak udang rumput laut perikanan tangkap budidaya "
    "kelapa padi sawah cetak jagung hortikultura peternakan sapi ayam pupuk benih penyuluh "
    "koperasi usaha mikro kecil menengah modal kredit pemasaran digital ekspor industri "
    "pengolahan hilirisasi kawasan ekonomi khusus tenaga kerja pelatihan vokasi keterampilan "
    "sertifikasi disabilitas lansia anak perempuan kekerasan perlindungan sosial bantuan data "
    "terpadu kependudukan akta kelahiran administrasi pelayanan publik aparatur kompetensi "
    "pendapatan asli daerah pajak retribusi belanja modal aset perencanaan penganggaran "
    "evaluasi kinerja integritas pengawasan inspektorat keterbukaan informasi olahraga pemuda "
    "perpustakaan minat baca arsip cagar budaya kesultanan adat seni kerajinan wisata danau "
    "transmigrasi permukiman ketertiban keamanan bencana peringatan dini relawan"
)
WEIGHTS = [1 / (rank + 1) ** 0.8 for rank in range(len(WORDS))]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(WORDS, WEIGHTS, k=n)).capitalize()


def build() -> dict:
    """Create the data set with bulk inserts; returns what the measurements need."""
    from django.db import transaction

    from issues.models import (
        CoreProblem,
        Indicator,
        Problem,
        ProblemSettings,
        RootCause,
        Transition,
    )
    from rpjmd.models import Affair, Agency, District, NationalPriority, Plan, Region, Stage, User
    from rpjmd.reference import load_reference

    rng = random.Random(2020)
    load_reference()
    affairs = list(Affair.objects.all())
    priorities = list(NationalPriority.objects.filter(period="2020-2024"))
    with transaction.atomic():
        region = Region.objects.create(
            name="Provinsi Uji", kind=Region.Kind.PROVINCE, code="99", time_zone="Asia/Makassar"
        )
        plan = Plan.objects.create(
            region=region,
            title="RPJMD Provinsi Uji 2025–2029",
            start_year=2025,
            end_year=2029,
            rpjmn_period="2020-2024",
        )
        ProblemSettings.objects.create(plan=plan)
        stage = Stage.objects.create(
            plan=plan,
            kind=Stage.Kind.IDENTIFICATION,
            name="Identifikasi permasalahan",
            opens_on="2024-03-01",
            closes_on="2024-04-30",
            state=Stage.State.OPEN,
        )
        agencies = Agency.objects.bulk_create(
            Agency(region=region, name=f"Dinas Uji {n:02d}", short_name=f"DU{n:02d}")
            for n in range(1, AGENCIES + 1)
        )
        planning = Agency.objects.create(
            region=region, name="Bappeda Uji", short_name="Bappeda", is_planning_agency=True
        )
        for agency in agencies:
            agency.affairs.set(rng.sample(affairs, 2))
        districts = District.objects.bulk_create(
            District(region=region, name=f"Kecamatan {n:02d}") for n in range(1, DISTRICTS + 1)
        )
        planner = User(
            username="bench.planner", full_name="Perencana Uji", role="planner", agency=planning
        )
        planner.set_unusable_password()
        planner.save()
        cores = CoreProblem.objects.bulk_create(
            CoreProblem(
                plan=plan, agency=agency, text=f"{sentence(rng, 5)} ({agency.short_name}-{k})"
            )
            for agency in agencies
            for k in range(5)
        )
        statuses = ["draft"] * 10 + ["submitted"] * 40 + ["accepted"] * 35 + ["returned"] * 15
        problems = []
        for n in range(PROBLEMS):
            core = cores[n % len(cores)]
            problems.append(
                Problem(
                    plan=plan,
                    agency_id=core.agency_id,
                    stage=stage,
                    affair=rng.choice(affairs),
                    core_problem=core,
                    statement=sentence(rng, 18),
                    status=rng.choice(statuses),
                    whole_region=n % 10 == 0,
                    reviewer_note=sentence(rng, 8) if n % 7 == 0 else "",
                )
            )
        problems = Problem.objects.bulk_create(problems, batch_size=1000)
        causes, indicators, links, pn_links, transitions = [], [], [], [], []
        through = Problem.districts.through
        pn_through = Problem.national_priorities.through
        for problem in problems:
            for order in range(1, rng.randint(2, 4)):
                causes.append(RootCause(problem=problem, order=order, text=sentence(rng, 10)))
            for _ in range(rng.randint(1, 2)):
                indicators.append(
                    Indicator(
                        problem=problem,
                        name=sentence(rng, 4),
                        unit="persen",
                        values={
                            str(y): str(round(rng.uniform(1, 90), 2)) for y in range(2020, 2024)
                        },
                        comparison_value=round(rng.uniform(1, 90), 2),
                        comparison_kind="provincial",
                        source="BPS Provinsi Uji",
                    )
                )
            if not problem.whole_region:
                for district in rng.sample(districts, rng.randint(1, 3)):
                    links.append(through(problem_id=problem.pk, district_id=district.pk))
            if priorities:
                pn_links.append(
                    pn_through(problem_id=problem.pk, nationalpriority_id=rng.choice(priorities).pk)
                )
            if problem.status != "draft":
                transitions.append(
                    Transition(problem=problem, from_status="draft", to_status="submitted")
                )
        RootCause.objects.bulk_create(causes, batch_size=2000)
        Indicator.objects.bulk_create(indicators, batch_size=2000)
        through.objects.bulk_create(links, batch_size=5000)
        pn_through.objects.bulk_create(pn_links, batch_size=5000)
        Transition.objects.bulk_create(transitions, batch_size=5000)
        Problem.objects.filter(status__in=["submitted", "accepted", "returned"]).update(
            submitted_at="2024-04-01T02:00:00Z"
        )
        # The search column, as update_search_text() would leave it, in one pass.
        by_problem: dict[int, list[str]] = {}
        for cause in causes:
            by_problem.setdefault(cause.problem_id, []).append(cause.text)
        for indicator in indicators:
            by_problem.setdefault(indicator.problem_id, []).extend(
                [indicator.name, indicator.source]
            )
        core_text = {c.pk: c.text for c in cores}
        for problem in problems:
            problem.search_text = " ".join(
                [problem.statement, core_text[problem.core_problem_id], problem.reviewer_note]
                + by_problem.get(problem.pk, [])
            ).lower()
        Problem.objects.bulk_update(problems, ["search_text"], batch_size=1000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "plan": plan,
        "planner": planner,
        "agency": agencies[7],
        "district": districts[3],
        "counts": {
            "problems": Problem.objects.count(),
            "root causes": RootCause.objects.count(),
            "indicators": Indicator.objects.count(),
        },
    }


def main() -> None:
    fresh_database()
    setup_django()
    from django.test import Client

    from tests.factories import sign_in

    started = time.perf_counter()
    data = build()
    print(
        f"data set: {AGENCIES} agencies, "
        + ", ".join(f"{v:,} {k}" for k, v in data["counts"].items())
        + f" (built in {time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    from issues.models import Problem

    for query in ("jalan rusak", "sekolah"):
        print(f"search “{query}” matches {Problem.objects.search(query).count():,} problems")
    client = Client(HTTP_HOST="127.0.0.1")
    sign_in(client, data["planner"])
    base = f"/rencana/{data['plan'].pk}/permasalahan/"
    pages = {
        "planner list, first page": base,
        "planner list, filtered (agency+status+kecamatan)": (
            f"{base}?agency={data['agency'].pk}&status=submitted&district={data['district'].pk}"
        ),
        "planner list, full-text search (2 words)": f"{base}?q=jalan+rusak",
        "planner list, search + sort + page 2": f"{base}?q=sekolah&sort=opd&page=2",
        "planner list, htmx fragment": base,
        "agency progress page": f"{base}progres/",
    }
    for name, url in pages.items():
        headers = {"HX-Request": "true"} if "htmx" in name else {}

        def get(url=url, headers=headers):
            response = client.get(url, headers=headers)
            assert response.status_code == 200, (url, response.status_code)

        cpu_before = time.process_time()
        report(name, measure(get, runs=40, warmup=5), **BUDGET)
        # Python CPU per request (the web process only, not PostgreSQL): on a shared 2-core
        # machine wall-clock figures also carry other processes' load; this one mostly does not.
        cpu = (time.process_time() - cpu_before) / 45 * 1000
        print(f"{'':<48} app CPU {cpu:6.1f} ms per request (mean)", flush=True)


if __name__ == "__main__":
    main()
