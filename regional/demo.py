"""This module's part of the Kutai Kartanegara demo (see rpjmd/demo.py).

Indicator series 2016–2019 and realised APBD 2015–2019, as Bappeda had them in March–April
2020. Published figures (BPS releases up to February 2020, Kukar Dalam Angka 2020) are kept
as published and named in the source; every figure we could not find published is marked
"ilustrasi" in its source, so the tables built from them say so on their source line. Rows
are created only where missing: what users changed stays.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from issues.models import Alignment, Problem, StrategicIssue
from regional.models import Aspect, FinanceEntry, FinanceSettings, RegionalIndicator
from rpjmd.longterm import save_rpjpd
from rpjmd.models import (
    Affair,
    Agency,
    NationalLongTermGoal,
    NationalPriority,
    Plan,
    Region,
    RegionalLongTermMission,
    RegionalLongTermPlan,
    User,
)

BPS = "BPS Kabupaten Kutai Kartanegara (IPM 2019 dirilis 17 Februari 2020)"
KDA = "Kukar Dalam Angka 2020"
ILLUSTRATIVE_TARGETS = "target: ilustrasi"

# (aspect, urusan code or None, agency short name or None, name, unit, polarity,
#  realisasi {year: value}, target {year: value}, source, status)
INDICATORS = [
    (
        Aspect.GEOGRAPHY,
        None,
        None,
        "Jumlah kecamatan",
        "kecamatan",
        "up",
        {2016: 18, 2017: 18, 2018: 18, 2019: 18},
        {},
        "Kemendagri (kode 64.02.01–64.02.18)",
        "accepted",
    ),
    (
        Aspect.GEOGRAPHY,
        None,
        None,
        "Luas daratan",
        "km²",
        "up",
        {2016: "27263.1", 2017: "27263.1", 2018: "27263.1", 2019: "27263.1"},
        {},
        "BPS Kabupaten Kutai Kartanegara",
        "accepted",
    ),
    (
        Aspect.GEOGRAPHY,
        None,
        None,
        "Jumlah desa dan kelurahan",
        "desa/kelurahan",
        "up",
        {2016: 237, 2017: 237, 2018: 237, 2019: 237},
        {},
        "Kemendagri (193 desa dan 44 kelurahan)",
        "accepted",
    ),
    # Population between SUPAS 2015 (716,319) and the 2019 figure of Bab II's own table: BPS's
    # projections were revised by the 2020 census, after this document's date, so the demo
    # marks the whole series as illustrative.
    (
        Aspect.GEOGRAPHY,
        None,
        None,
        "Jumlah penduduk",
        "jiwa",
        "up",
        {2016: 721000, 2017: 725700, 2018: 730400, 2019: 735000},
        {2016: 720500, 2017: 725000, 2018: 729500, 2019: 734000},
        "Proyeksi penduduk BPS (angka ilustrasi); target: ilustrasi",
        "accepted",
    ),
    (
        Aspect.GEOGRAPHY,
        None,
        None,
        "Laju pertumbuhan penduduk",
        "persen per tahun",
        "down",
        {2016: "0.65", 2017: "0.65", 2018: "0.65", 2019: "0.63"},
        {2016: "0.70", 2017: "0.68", 2018: "0.66", 2019: "0.64"},
        "Proyeksi penduduk BPS (angka ilustrasi); target: ilustrasi",
        "accepted",
    ),
    (
        Aspect.GEOGRAPHY,
        None,
        None,
        "Kepadatan penduduk",
        "jiwa/km²",
        "up",
        {2016: "26.4", 2017: "26.6", 2018: "26.8", 2019: "27.0"},
        {},
        "Dihitung dari jumlah penduduk dan luas daratan (angka ilustrasi)",
        "accepted",
    ),
    (
        Aspect.GEOGRAPHY,
        None,
        None,
        "Rasio jenis kelamin",
        "laki-laki per 100 perempuan",
        "down",
        {2016: "109.8", 2017: "109.7", 2018: "109.6", 2019: "109.5"},
        {},
        "Proyeksi penduduk BPS (angka ilustrasi)",
        "accepted",
    ),
    (
        Aspect.WELFARE,
        None,
        None,
        "Indeks Pembangunan Manusia (IPM)",
        "indeks",
        "up",
        {2017: "72.75", 2018: "73.15", 2019: "73.78"},
        {2016: "72.40", 2017: "72.90", 2018: "73.40", 2019: "73.90"},
        f"{BPS}; {ILLUSTRATIVE_TARGETS}",
        "accepted",
    ),
    (
        Aspect.WELFARE,
        None,
        None,
        "Persentase penduduk miskin",
        "persen",
        "down",
        {2016: "7.63"},
        {2016: "7.50", 2017: "7.40", 2018: "7.30", 2019: "7.20"},
        f"BPS, Susenas Maret 2016; {ILLUSTRATIVE_TARGETS}",
        "accepted",
    ),
    (
        Aspect.WELFARE,
        None,
        None,
        "Laju pertumbuhan ekonomi",
        "persen",
        "up",
        {2018: "2.16", 2019: "3.92"},
        {2018: "3.00", 2019: "3.50"},
        f"BPS Kabupaten Kutai Kartanegara; {ILLUSTRATIVE_TARGETS}",
        "accepted",
    ),
    (
        Aspect.SERVICES,
        "1.01",
        "Disdikbud",
        "Rata-rata lama sekolah",
        "tahun",
        "up",
        {2016: "8.72", 2017: "8.85", 2018: "8.96", 2019: "9.10"},
        {2016: "8.80", 2017: "8.90", 2018: "9.00", 2019: "9.20"},
        "BPS (2019); 2016–2018 dan target: ilustrasi",
        "accepted",
    ),
    (
        Aspect.SERVICES,
        "1.01",
        "Disdikbud",
        "Harapan lama sekolah",
        "tahun",
        "up",
        {2016: "13.20", 2017: "13.37", 2018: "13.48", 2019: "13.58"},
        {2016: "13.30", 2017: "13.40", 2018: "13.50", 2019: "13.60"},
        "BPS (2019); 2016–2018 dan target: ilustrasi",
        "accepted",
    ),
    (
        Aspect.SERVICES,
        "1.02",
        "Dinkes",
        "Angka harapan hidup",
        "tahun",
        "up",
        {2016: "71.80", 2017: "71.95", 2018: "72.08", 2019: "72.21"},
        {2016: "71.90", 2017: "72.00", 2018: "72.10", 2019: "72.30"},
        "BPS (2019); 2016–2018 dan target: ilustrasi",
        "accepted",
    ),
    (
        Aspect.SERVICES,
        "1.02",
        "Dinkes",
        "Prevalensi stunting balita",
        "persen",
        "down",
        {2018: "29.10", 2019: "26.40"},
        {2018: "28.00", 2019: "25.00"},
        "Dinas Kesehatan (ilustrasi)",
        "submitted",  # waiting for the planner: the review queue of the demo
    ),
    (
        Aspect.SERVICES,
        "1.03",
        "DPU",
        "Persentase panjang jalan kabupaten kondisi baik",
        "persen",
        "up",
        {2016: "49.80", 2017: "51.20", 2018: "52.10", 2019: "52.90"},
        {2016: "50.00", 2017: "52.00", 2018: "54.00", 2019: "56.00"},
        f"{KDA} (2019: 1.159 dari 2.191 km); 2016–2018 dan target: ilustrasi",
        "accepted",
    ),
    (
        Aspect.COMPETITIVENESS,
        None,
        None,
        "Pengeluaran per kapita disesuaikan",
        "ribu rupiah/tahun",
        "up",
        {2016: "10690", 2017: "10842", 2018: "10985", 2019: "11152"},
        {2016: "10700", 2017: "10850", 2018: "11000", 2019: "11200"},
        "BPS (2019); 2016–2018 dan target: ilustrasi",
        "accepted",
    ),
]

B = 1_000_000_000  # a billion rupiah (miliar)

# Realised APBD 2015–2019 in billions of rupiah. Kutai Kartanegara's full-year realisations of
# these years were not found published: the figures are illustrative, in the order of magnitude
# of its APBD (about Rp4–6 trillion, falling with coal revenue sharing in 2016–2017).
APBD = {
    "4.1.01": [118, 112, 121, 134, 146],
    "4.1.02": [16, 14, 15, 15, 17],
    "4.1.03": [28, 31, 30, 33, 35],
    "4.1.04": [262, 238, 251, 270, 288],
    "4.2": [4310, 3420, 3285, 3860, 4120],
    "4.3": [165, 140, 122, 131, 138],
    "5.1": [2980, 2760, 2690, 2850, 3010],
    "5.2": [1420, 980, 860, 1120, 1260],
    "5.3": [6, 4, 5, 8, 9],
    "5.4": [610, 590, 620, 680, 720],
    "6.1": [880, 640, 420, 310, 540],
    "6.2": [25, 20, 15, 15, 10],
}
APBD_YEARS = [2015, 2016, 2017, 2018, 2019]
APBD_SOURCE = (
    "Realisasi APBD 2015–2019 menurut kelompok akun Permendagri 90/2019: angka ilustrasi "
    "untuk demo, bukan angka LKPD resmi"
)


# Evaluasi capaian RPJMD Kabupaten Kutai Kartanegara 2016–2021 as Bappeda had it in March 2020:
# target and realisasi 2016–2019 (2020 and 2021 were not over). The IPM realisasi 2017–2019 is
# BPS's and the 2019 road condition Kukar Dalam Angka 2020's; every other figure and every
# target is illustrative and its source says so.
# (aspect, urusan code or None, agency or None, name, unit, polarity, realisasi, target,
#  source, status, cited by the first problem of this urusan)
EVALUATION_SOURCE = "RPJMD Kabupaten Kutai Kartanegara 2016–2021; target dan realisasi: ilustrasi"
EVALUATION = [
    (
        Aspect.WELFARE,
        None,
        None,
        "Indeks Pembangunan Manusia (IPM)",
        "indeks",
        "up",
        {2016: "72.19", 2017: "72.75", 2018: "73.15", 2019: "73.78"},
        {2016: "72.50", 2017: "73.20", 2018: "73.90", 2019: "74.60"},
        f"{BPS}; 2016 dan target: ilustrasi",
        "accepted",
        False,
    ),
    (
        Aspect.WELFARE,
        None,
        None,
        "Persentase penduduk miskin",
        "persen",
        "down",
        {2016: "7.80", 2017: "7.64", 2018: "7.42", 2019: "7.31"},
        {2016: "7.60", 2017: "7.20", 2018: "6.80", 2019: "6.40"},
        EVALUATION_SOURCE,
        "accepted",
        False,
    ),
    (
        Aspect.SERVICES,
        "1.01",
        "Disdikbud",
        "Angka partisipasi murni (APM) SMP/MTs",
        "persen",
        "up",
        {2016: "71.2", 2017: "72.0", 2018: "72.6", 2019: "73.1"},
        {2016: "74", 2017: "77", 2018: "80", 2019: "83"},
        EVALUATION_SOURCE,
        "accepted",
        True,
    ),
    (
        Aspect.SERVICES,
        "1.02",
        "Dinkes",
        "Prevalensi balita stunting",
        "persen",
        "down",
        {2016: "31.5", 2017: "30.9", 2018: "30.6", 2019: "30.4"},
        {2016: "29", 2017: "27", 2018: "24", 2019: "22"},
        EVALUATION_SOURCE,
        "accepted",
        True,
    ),
    (
        Aspect.SERVICES,
        "1.02",
        "Dinkes",
        "Angka kematian bayi",
        "per 1.000 kelahiran hidup",
        "down",
        {2016: "10.2", 2017: "9.6", 2018: "9.1", 2019: "8.7"},
        {2016: "10.5", 2017: "10", 2018: "9.5", 2019: "9"},
        EVALUATION_SOURCE,
        "submitted",
        False,
    ),
    (
        Aspect.SERVICES,
        "1.03",
        "DPU",
        "Persentase panjang jalan kabupaten dalam kondisi baik",
        "persen",
        "up",
        {2016: "49.5", 2017: "50.8", 2018: "51.6", 2019: "52.9"},
        {2016: "55", 2017: "60", 2018: "65", 2019: "70"},
        "Kukar Dalam Angka 2020 (realisasi 2019: 1.159 dari 2.191 km); 2016–2018 dan target: "
        "ilustrasi",
        "accepted",
        True,
    ),
    (
        Aspect.SERVICES,
        "1.03",
        "DPU",
        "Persentase rumah tangga dengan akses air minum perpipaan",
        "persen",
        "up",
        {2016: "31", 2017: "33", 2018: "36", 2019: "38"},
        {2016: "55", 2017: "65", 2018: "75", 2019: "85"},
        EVALUATION_SOURCE,
        "accepted",
        False,
    ),
]


def load(plan: Plan) -> None:
    """Create this module's demo data for the plan, only where it is missing."""
    _load_indicators(plan)
    load_evaluation(plan)


def load_evaluation(plan: Plan) -> None:
    """The evaluation of the RPJMD that is ending, and the problems citing its missed targets."""
    users = {u.username: u for u in User.objects.filter(region_id=plan.region_id)}
    affairs = {a.code: a for a in Affair.objects.all()}
    keepers = {
        u.agency.short_name: u for u in users.values() if u.is_opd and u.agency_id is not None
    }
    for order, row in enumerate(EVALUATION, start=1):
        aspect, code, agency, name, unit, polarity, actuals, targets, source, status, cited = row
        affair = affairs.get(code) if code else None
        if code and affair is None:
            continue
        rows = RegionalIndicator.objects.evaluations().filter(plan=plan, name=name)
        if rows.exists():
            continue
        indicator = RegionalIndicator.objects.create(
            plan=plan,
            series=RegionalIndicator.Series.EVALUATION,
            aspect=aspect,
            affair=affair,
            name=name,
            unit=unit,
            polarity=polarity,
            actuals={str(y): str(v) for y, v in actuals.items()},
            targets={str(y): str(v) for y, v in targets.items()},
            source=source,
            order=order,
            status=status,
            created_by=keepers.get(agency) if agency else users.get("perencana"),
        )
        problem = (
            Problem.objects.filter(plan=plan, affair__code=code).order_by("pk").first()
            if cited
            else None
        )
        if problem is not None:
            problem.missed_targets.add(indicator)


def _load_indicators(plan: Plan) -> None:
    users = {u.username: u for u in User.objects.filter(region_id=plan.region_id)}
    planner = users.get("perencana")
    agencies = {a.short_name: a for a in Agency.objects.filter(region_id=plan.region_id)}
    affairs = {a.code: a for a in Affair.objects.all()}
    keepers = {
        u.agency.short_name: u for u in users.values() if u.is_opd and u.agency_id is not None
    }
    for order, row in enumerate(INDICATORS, start=1):
        aspect, code, agency, name, unit, polarity, actuals, targets, source, status = row
        affair = affairs.get(code) if code else None
        if code and affair is None:
            continue  # reference data without this urusan: leave the row out
        if RegionalIndicator.objects.filter(plan=plan, aspect=aspect, name=name).exists():
            continue
        keeper = keepers.get(agency) if agency else planner
        if agency and agency in agencies and affair is not None:
            agencies[agency].affairs.add(affair)  # the agency carries the urusan it reports
        RegionalIndicator.objects.create(
            plan=plan,
            aspect=aspect,
            affair=affair,
            name=name,
            unit=unit,
            polarity=polarity,
            actuals={str(y): str(v) for y, v in actuals.items()},
            targets={str(y): str(v) for y, v in targets.items()},
            source=source,
            order=order,
            status=status,
            created_by=keeper,
        )
    for account, amounts in APBD.items():
        for year, amount in zip(APBD_YEARS, amounts, strict=True):
            FinanceEntry.objects.get_or_create(
                plan=plan, year=year, account=account, defaults={"amount": Decimal(amount * B)}
            )
    if not FinanceSettings.objects.filter(plan=plan).exists():
        FinanceSettings.objects.create(plan=plan, source=APBD_SOURCE)


# --- The current planning cycle ----------------------------------------------------------------

# Kutai Kartanegara's RPJPD 2025–2045 as a planner would type it. The Perda's text was not at
# hand: the wording below is illustrative, and its legal basis says so.
RPJPD_LEGAL_BASIS = "Perda RPJPD Kabupaten Kutai Kartanegara 2025–2045 (teks ilustrasi untuk demo)"
RPJPD_VISION = (
    "Kutai Kartanegara yang maju, sejahtera dan berkelanjutan sebagai penyangga Ibu Kota "
    "Nusantara (ilustrasi)"
)
RPJPD_MISSIONS = [
    "Mewujudkan transformasi ekonomi berbasis agribisnis, pariwisata dan hilirisasi sumber "
    "daya alam",
    "Mewujudkan sumber daya manusia yang sehat, cerdas, berdaya saing dan berbudaya",
    "Mewujudkan infrastruktur wilayah yang merata, terpadu dan terhubung dengan Ibu Kota Nusantara",
    "Mewujudkan lingkungan hidup yang lestari dan masyarakat yang tangguh bencana",
    "Mewujudkan tata kelola pemerintahan yang bersih, efektif dan melayani",
]
RPJPD_DIRECTIONS = {
    "2025-2029": "Penguatan fondasi transformasi: pemerataan layanan dasar pendidikan dan "
    "kesehatan, konektivitas wilayah hulu Mahakam, dan diversifikasi ekonomi dari batu bara "
    "(ilustrasi).",
    "2030-2034": "Akselerasi transformasi: hilirisasi pertanian dan perikanan, kawasan penyangga "
    "IKN (ilustrasi).",
    "2035-2039": "Ekspansi daya saing daerah berbasis inovasi dan ekonomi hijau (ilustrasi).",
    "2040-2045": "Perwujudan Kutai Kartanegara maju dan berkelanjutan (ilustrasi).",
}
# Bidang urusan → (PN of RPJMN 2025–2029, arah pembangunan RPJPN, misi RPJPD above).
AFFAIR_ALIGNMENT = {
    "1.01": ("PN4", "T2", 2),
    "1.02": ("PN4", "T1", 2),
    "1.03": ("PN3", "T8", 3),
    "1.04": ("PN3", "T8", 3),
    "1.05": ("PN7", "T10", 5),
    "1.06": ("PN6", "T3", 2),
    "2.11": ("PN8", "T15", 4),
    "2.22": ("PN8", "T13", 2),
    "3.31": ("PN5", "T4", 1),
}
CURRENT_RPJMN = "2025-2029"


def load_rpjpd(region: Region) -> RegionalLongTermPlan:
    """The region's RPJPD 2025–2045, typed once; a planner's later edits stay."""
    existing = RegionalLongTermPlan.objects.filter(region=region, first_year=2025).first()
    if existing is not None:
        return existing
    rpjpd = RegionalLongTermPlan(
        region=region,
        first_year=2025,
        last_year=2045,
        legal_basis=RPJPD_LEGAL_BASIS,
        vision=RPJPD_VISION,
    )
    return save_rpjpd(rpjpd, missions=RPJPD_MISSIONS, directions=RPJPD_DIRECTIONS)


def load_current_cycle(plan: Plan) -> Plan | None:
    """Kutai Kartanegara's RPJPD, and the region's plan starting in 2025 (when the demo has one)
    aligned with RPJMN 2025–2029, RPJPN 2025–2045 and that RPJPD. `plan` is the demo's 2020
    plan: only its region is read."""
    rpjpd = load_rpjpd(plan.region)
    current = Plan.objects.filter(region_id=plan.region_id, start_year=2025).order_by("pk").first()
    if current is not None:
        align_with_current_cycle(current, rpjpd)
    return current


def align_with_current_cycle(plan: Plan, rpjpd: RegionalLongTermPlan) -> None:
    """Point the plan at RPJMN 2025–2029, and give each of its problems and strategic issues
    the PN, RPJPN arah and RPJPD misi of its bidang urusan where it has none of them yet."""
    priorities = {p.code: p for p in NationalPriority.objects.filter(period=CURRENT_RPJMN)}
    goals = {g.code: g for g in NationalLongTermGoal.objects.filter(period="2025-2045")}
    missions = {m.number: m for m in RegionalLongTermMission.objects.filter(long_term_plan=rpjpd)}
    with transaction.atomic():
        if plan.rpjmn_period != CURRENT_RPJMN:
            plan.rpjmn_period = CURRENT_RPJMN
            plan.save()
        for problem in Problem.objects.filter(plan=plan).select_related("affair"):
            pn, goal, mission = AFFAIR_ALIGNMENT.get(problem.affair.code, (None, None, None))
            if (
                pn in priorities
                and not problem.national_priorities.filter(period=CURRENT_RPJMN).exists()
            ):
                problem.national_priorities.add(priorities[pn])
            if goal in goals and not problem.long_term_goals.exists():
                problem.long_term_goals.add(goals[goal])
            if mission in missions and not problem.regional_missions.exists():
                problem.regional_missions.add(missions[mission])
        for issue in StrategicIssue.objects.filter(plan=plan).prefetch_related("problems"):
            codes = [p.affair.code for p in issue.problems.select_related("affair")]
            mapped = next((AFFAIR_ALIGNMENT[c] for c in codes if c in AFFAIR_ALIGNMENT), None)
            if mapped is None:
                continue
            pn, goal, mission = mapped
            sources = set(issue.alignments.values_list("source", flat=True))
            if pn in priorities and Alignment.Source.RPJMN not in sources:
                issue.alignments.create(
                    source=Alignment.Source.RPJMN,
                    national_priority=priorities[pn],
                    note=f"Selaras dengan {pn} RPJMN 2025–2029",
                )
            if goal in goals and Alignment.Source.RPJPN not in sources:
                issue.alignments.create(
                    source=Alignment.Source.RPJPN,
                    long_term_goal=goals[goal],
                    note=f"Mendukung arah pembangunan {goal} RPJPN 2025–2045",
                )
            if mission in missions and Alignment.Source.RPJPD not in sources:
                issue.alignments.create(
                    source=Alignment.Source.RPJPD,
                    regional_mission=missions[mission],
                    note=f"Menjabarkan misi {mission} RPJPD 2025–2045 (ilustrasi)",
                )
