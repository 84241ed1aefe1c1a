"""This module's part of the Kutai Kartanegara demo (see rpjmd/demo.py).

Indicator series 2016–2019 and realised APBD 2015–2019, as Bappeda had them in March–April
2020. Published figures (BPS releases up to February 2020, Kukar Dalam Angka 2020) are kept
as published and named in the source; every figure we could not find published is marked
"ilustrasi" in its source, so the tables built from them say so on their source line. Rows
are created only where missing: what users changed stays.
"""

from __future__ import annotations

from decimal import Decimal

from regional.models import Aspect, FinanceEntry, FinanceSettings, RegionalIndicator
from rpjmd.models import Affair, Agency, Plan, User

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


def load(plan: Plan) -> None:
    """Create this module's demo data for the plan, only where it is missing."""
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
