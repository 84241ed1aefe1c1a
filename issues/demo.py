"""This module's part of the Kutai Kartanegara demo (see rpjmd/demo.py).

Problems of the March 2020 identification round, in the words an OPD would use, with the real
figures of `kukar_statistik.json` where one fits (read from the file, not retyped). Some are
submitted, some accepted, one returned with a note, one still a draft. The 2020 deadline has long
passed, so Disdikbud, Dinkes and DPU get an extension until some weeks after the demo is first
loaded: the OPD journey then works on `make run`. Everything is created only when missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from issues.models import (
    CoreProblem,
    DeadlineExtension,
    Indicator,
    Potential,
    Problem,
    RootCause,
    Transition,
)
from rpjmd.models import Affair, Agency, District, NationalPriority, Plan, Sdg, Stage, User
from rpjmd.reference import read

EXTENSION_WEEKS = 6
# Figures a March 2020 document needs but the statistics file has no official value for (its
# series start later): illustrative, and the indicator's source line says "angka ilustrasi".
STUNTING_2019 = Decimal("26.4")  # as the regional demo's series (regional/demo.py)
STUNTING_KALTIM_2018 = Decimal("29.2")
MINING_SHARE_2019 = Decimal("66.2")
EXTENDED_AGENCIES = ["Disdikbud", "Dinkes", "DPU"]
S = Problem.Status


def _table(title_start: str) -> dict:
    return next(
        t for t in read("kukar_statistik.json")["tabel"] if t["judul"].startswith(title_start)
    )


def figure(title_start: str, row_label, column: str) -> Decimal:
    """One number from the statistics file: the row whose first cell is `row_label`."""
    table = _table(title_start)
    index = table["kolom"].index(column)
    row = next(r for r in table["baris"] if r[0] == row_label)
    return Decimal(str(row[index]))


@dataclass
class DemoIndicator:
    name: str
    unit: str
    values: dict[str, Decimal]
    source: str
    comparison: Decimal | None = None
    comparison_kind: str = ""


@dataclass
class DemoProblem:
    agency: str
    affair: str
    core: str
    statement: str
    causes: list[str]
    districts: list[str] = field(default_factory=list)  # empty: the whole kabupaten
    status: str = S.SUBMITTED
    note: str = ""
    priorities: list[str] = field(default_factory=list)
    sdgs: list[int] = field(default_factory=list)
    indicators: list[DemoIndicator] = field(default_factory=list)
    day: int = 9  # of March 2020, when it was handed in


def demo_problems() -> list[DemoProblem]:
    ipm = "Indikator Kunci Kutai Kartanegara"
    poverty = "Persentase dan Jumlah Penduduk Miskin"
    roads = "Panjang Jalan Kabupaten"
    growth = "Laju Pertumbuhan Ekonomi"
    hdi_parts = "Komponen IPM Kabupaten"
    return [
        DemoProblem(
            agency="Disdikbud",
            affair="1.01",
            core="Belum meratanya akses dan mutu pendidikan dasar",
            statement=(
                "Anak usia SMP di kecamatan hulu Mahakam banyak yang putus sekolah atau tidak "
                "melanjutkan, terutama dari keluarga nelayan dan peladang yang tinggal jauh dari "
                "sekolah; rata-rata lama sekolah Kutai Kartanegara masih di bawah rata-rata "
                "Kalimantan Timur."
            ),
            causes=[
                "Jarak ke SMP terdekat lebih dari 10 km dan bergantung pada angkutan sungai",
                "Anak usia sekolah ikut bekerja membantu ekonomi keluarga saat musim panen dan "
                "musim ikan",
                "Kekurangan guru ASN di sekolah satu atap di desa terpencil",
            ],
            districts=["Tabang", "Kembang Janggut", "Kenohan", "Muara Wis", "Muara Muntai"],
            status=S.ACCEPTED,
            priorities=["PN3"],
            sdgs=[4],
            indicators=[
                DemoIndicator(
                    "Rata-rata lama sekolah (RLS)",
                    "tahun",
                    {"2019": figure(hdi_parts, 2019, "RLS (tahun)")},
                    "BPS Kabupaten Kutai Kartanegara, Kutai Kartanegara Dalam Angka 2020",
                    _kaltim_rls_2019(),
                    Indicator.ComparisonKind.PROVINCIAL,
                ),
            ],
            day=6,
        ),
        DemoProblem(
            agency="Disdikbud",
            affair="1.01",
            core="Belum meratanya akses dan mutu pendidikan dasar",
            statement=(
                "Mutu pembelajaran di sekolah pedalaman tertinggal dari sekolah di Tenggarong: "
                "Indeks Pembangunan Manusia kabupaten tumbuh lambat dan tetap di bawah provinsi."
            ),
            causes=[
                "Guru bersertifikat pendidik terpusat di ibu kota kecamatan",
                "Sarana TIK sekolah minim dan sinyal internet lemah di pedalaman",
            ],
            districts=["Tabang", "Muara Kaman", "Kembang Janggut"],
            status=S.ACCEPTED,
            priorities=["PN3"],
            sdgs=[4],
            indicators=[
                DemoIndicator(
                    "Indeks Pembangunan Manusia (IPM)",
                    "indeks",
                    {
                        str(year): figure(ipm, "IPM Kukar (indeks, seri lama)", str(year))
                        for year in (2017, 2018, 2019)
                    },
                    "BPS Kabupaten Kutai Kartanegara; BPS Provinsi Kalimantan Timur",
                    figure(ipm, "IPM Kaltim (indeks)", "2019"),
                    Indicator.ComparisonKind.PROVINCIAL,
                )
            ],
        ),
        DemoProblem(
            agency="Disdikbud",
            affair="2.22",
            core="Warisan budaya Kutai belum terpelihara sebagai daya tarik daerah",
            statement=(
                "Situs dan benda cagar budaya peninggalan Kesultanan Kutai Kartanegara belum "
                "terdata lengkap dan sebagian rusak."
            ),
            causes=["Belum ada tim ahli cagar budaya kabupaten"],
            districts=["Tenggarong"],
            status=S.DRAFT,
        ),
        DemoProblem(
            agency="Dinkes",
            affair="1.02",
            core="Tingginya prevalensi stunting dan belum meratanya pelayanan kesehatan",
            statement=(
                "Prevalensi balita stunting di Kutai Kartanegara masih jauh di atas sasaran "
                "nasional 14 persen pada RPJMN 2020–2024; kasus terpusat di desa dengan sanitasi "
                "dan air bersih buruk."
            ),
            causes=[
                "Cakupan ASI eksklusif dan makanan pendamping ASI yang bergizi rendah",
                "Akses air minum layak dan jamban sehat di desa tepi sungai terbatas",
                "Posyandu belum rutin mengukur tinggi badan balita",
            ],
            status=S.RETURNED,
            note=(
                "Mohon lengkapi desa/kecamatan lokus stunting dan data e-PPGBM per kecamatan; "
                "angka prevalensi kabupaten belum bersumber resmi, mohon dirujuk ke Riskesdas 2018."
            ),
            priorities=["PN3"],
            sdgs=[2, 3, 6],
            indicators=[
                # No official kabupaten figure existed in March 2020 (the SSGI series began in
                # 2021): an illustrative value, said so on the source line.
                DemoIndicator(
                    "Prevalensi balita stunting",
                    "persen",
                    {"2019": STUNTING_2019},
                    "Dinas Kesehatan, rekapitulasi e-PPGBM 2019; pembanding Kalimantan Timur: "
                    "Riskesdas 2018 (angka ilustrasi)",
                    STUNTING_KALTIM_2018,
                    Indicator.ComparisonKind.PROVINCIAL,
                )
            ],
            day=10,
        ),
        DemoProblem(
            agency="Dinkes",
            affair="1.02",
            core="Tingginya prevalensi stunting dan belum meratanya pelayanan kesehatan",
            statement=(
                "Puskesmas di kecamatan terpencil kekurangan dokter dan bidan, sehingga rujukan "
                "ibu hamil berisiko tinggi ke RSUD A.M. Parikesit sering terlambat."
            ),
            causes=[
                "Insentif tenaga kesehatan di daerah terpencil tidak menarik",
                "Perjalanan rujukan lewat sungai memakan waktu lebih dari enam jam",
            ],
            districts=["Tabang", "Muara Wis", "Kenohan"],
            status=S.ACCEPTED,
            sdgs=[3],
        ),
        DemoProblem(
            agency="DPU",
            affair="1.03",
            core="Kesenjangan infrastruktur antarwilayah",
            statement=(
                "Jalan kabupaten penghubung antarkecamatan banyak yang rusak berat, sehingga "
                "hasil kebun dan ikan dari pedalaman mahal diangkut ke Tenggarong dan Samarinda."
            ),
            causes=[
                "Beban angkutan batu bara dan sawit melebihi kelas jalan",
                "Anggaran pemeliharaan rutin jalan tidak sebanding dengan panjang jalan",
                "Tanah lunak dan genangan di ruas dekat sungai mempercepat kerusakan",
            ],
            districts=["Muara Kaman", "Kota Bangun", "Sebulu", "Kenohan"],
            status=S.ACCEPTED,
            priorities=["PN2", "PN5"],
            sdgs=[9],
            indicators=[
                DemoIndicator(
                    "Panjang jalan kabupaten kondisi rusak berat",
                    "km",
                    {"2019": figure(roads, "BPS, Kukar Dalam Angka 2020 (km)", "Rusak berat")},
                    "BPS, Kutai Kartanegara Dalam Angka 2020",
                ),
                DemoIndicator(
                    "Panjang jalan kabupaten kondisi rusak",
                    "km",
                    {
                        "2019": figure(
                            roads, "BPS, Kukar Dalam Angka 2020 (km)", "Rusak / rusak ringan"
                        )
                    },
                    "BPS, Kutai Kartanegara Dalam Angka 2020",
                ),
            ],
            day=5,
        ),
        DemoProblem(
            agency="DPU",
            affair="1.03",
            core="Kesenjangan infrastruktur antarwilayah",
            statement=(
                "Drainase perkotaan Tenggarong dan Loa Janan tidak mampu menampung hujan lebat, "
                "sehingga permukiman dan jalan protokol tergenang."
            ),
            causes=[
                "Saluran drainase primer tersumbat sedimen",
                "Belum ada rencana induk sistem drainase perkotaan",
            ],
            districts=["Tenggarong", "Loa Janan"],
            priorities=["PN5", "PN6"],
            sdgs=[11],
        ),
        DemoProblem(
            agency="BPBD",
            affair="1.05",
            core="Tingginya risiko bencana banjir di sepanjang Sungai Mahakam",
            statement=(
                "Banjir tahunan merendam permukiman di tepi Sungai Mahakam dan anak-anak "
                "sungainya; sebagian besar wilayah pesisir dan danau berada di ketinggian 0–7 mdpl."
            ),
            causes=[
                "Daerah tangkapan air rusak akibat pembukaan lahan tambang dan perkebunan",
                "Sistem peringatan dini banjir belum ada di tingkat desa",
                "Permukiman tumbuh di sempadan sungai",
            ],
            districts=["Muara Muntai", "Kota Bangun", "Kenohan", "Muara Wis", "Sebulu"],
            status=S.ACCEPTED,
            priorities=["PN6"],
            sdgs=[11, 13],
            day=11,
        ),
        DemoProblem(
            agency="Disperindag",
            affair="3.31",
            core="Ketergantungan ekonomi daerah pada pertambangan",
            statement=(
                "Perekonomian Kutai Kartanegara bertumpu pada pertambangan batu bara dan migas, "
                "sehingga pertumbuhan ekonomi naik-turun mengikuti harga komoditas; industri "
                "pengolahan hasil pertanian dan perikanan belum berkembang."
            ),
            causes=[
                "Hilirisasi hasil perkebunan dan perikanan belum didukung kawasan industri",
                "Tenaga kerja lokal belum memiliki keterampilan industri pengolahan",
            ],
            status=S.ACCEPTED,
            priorities=["PN1"],
            sdgs=[8, 9],
            indicators=[
                DemoIndicator(
                    "Laju pertumbuhan ekonomi (PDRB ADHK)",
                    "persen",
                    {str(year): figure(growth, year, "Kutai Kartanegara") for year in (2018, 2019)},
                    "BPS Kabupaten Kutai Kartanegara",
                    figure(growth, 2019, "Kalimantan Timur"),
                    Indicator.ComparisonKind.PROVINCIAL,
                ),
                DemoIndicator(
                    "Kontribusi pertambangan dan penggalian terhadap PDRB ADHB",
                    "persen",
                    {"2019": MINING_SHARE_2019},
                    "BPS Kabupaten Kutai Kartanegara, PDRB menurut lapangan usaha 2015–2019 "
                    "(angka ilustrasi)",
                ),
            ],
            day=7,
        ),
        DemoProblem(
            agency="DLHK",
            affair="2.11",
            core="Menurunnya kualitas lingkungan hidup",
            statement=(
                "Lubang bekas tambang batu bara yang tidak direklamasi mencemari air sungai dan "
                "membahayakan warga, termasuk anak-anak di sekitar permukiman."
            ),
            causes=[
                "Pengawasan reklamasi pascatambang lemah",
                "Data lubang bekas tambang tersebar di beberapa instansi",
            ],
            districts=["Tenggarong Seberang", "Loa Kulu", "Loa Janan", "Sanga-Sanga"],
            priorities=["PN6"],
            sdgs=[6, 15],
            day=12,
        ),
        # The village agency hands in the stunting problem Dinkes already wrote, in other
        # words: the near-duplicate a planner finds beside it on the review page and merges.
        DemoProblem(
            agency="DPMD",
            affair="2.13",
            core="Belum optimalnya peran desa dalam penurunan stunting",
            statement=(
                "Prevalensi stunting pada balita di desa-desa Kutai Kartanegara masih tinggi, di "
                "atas sasaran nasional; kasus terbanyak di desa dengan sanitasi dan air bersih "
                "yang buruk."
            ),
            causes=[
                "Dana desa untuk konvergensi stunting belum dianggarkan di setiap desa",
                "Kader pembangunan manusia desa belum terlatih",
            ],
            districts=["Muara Muntai", "Kenohan", "Kota Bangun"],
            priorities=["PN3"],
            sdgs=[2],
            day=6,
        ),
        DemoProblem(
            agency="Dinsos",
            affair="1.06",
            core="Tingginya kemiskinan",
            statement=(
                "Persentase penduduk miskin Kutai Kartanegara lebih tinggi dari rata-rata "
                "Kalimantan Timur; kemiskinan terpusat di desa pedalaman dan pesisir."
            ),
            causes=[
                "Data terpadu kesejahteraan sosial belum diperbarui",
                "Bantuan sosial belum terhubung dengan pemberdayaan ekonomi",
            ],
            status=S.ACCEPTED,
            priorities=["PN1", "PN3"],
            sdgs=[1],
            indicators=[
                DemoIndicator(
                    "Persentase penduduk miskin",
                    "persen",
                    {"2016": figure(poverty, 2016, "Kukar: persentase penduduk miskin (%)")},
                    "BPS Kabupaten Kutai Kartanegara (Susenas Maret 2016)",
                    figure(poverty, 2016, "Kaltim: persentase penduduk miskin (%)"),
                    Indicator.ComparisonKind.PROVINCIAL,
                )
            ],
        ),
    ]


def _kaltim_rls_2019() -> Decimal:
    table = _table("Komponen IPM Provinsi")
    index = table["kolom"].index("RLS (tahun)")
    row = next(r for r in table["baris"] if r[0] == "Kalimantan Timur" and r[1] == 2019)
    return Decimal(str(row[index]))


def _moment(plan: Plan, day: int, hour: int) -> dt.datetime:
    return dt.datetime(2020, 3, day, hour, 0, tzinfo=plan.region.zone)


def _create(plan: Plan, stage: Stage | None, item: DemoProblem, users: dict) -> Problem:
    agency = Agency.objects.get(region=plan.region, short_name=item.agency)
    staff = users.get(item.agency)
    planner = users.get("planner")
    core, _created = CoreProblem.objects.get_or_create(plan=plan, agency=agency, text=item.core)
    problem = Problem.objects.create(
        plan=plan,
        agency=agency,
        stage=stage,
        affair=Affair.objects.get(code=item.affair),
        core_problem=core,
        statement=item.statement,
        whole_region=not item.districts,
        created_by=staff,
        created_at=_moment(plan, max(item.day - 2, 2), 9),
    )
    problem.districts.set(District.objects.filter(region=plan.region, name__in=item.districts))
    problem.national_priorities.set(
        NationalPriority.objects.filter(period=plan.rpjmn_period, code__in=item.priorities)
    )
    problem.sdgs.set(Sdg.objects.filter(number__in=item.sdgs))
    # nosemgrep: rpjmd-no-bulk-write-on-history-models - demo data, history starts at the first edit
    RootCause.objects.bulk_create(
        RootCause(problem=problem, order=n, text=text) for n, text in enumerate(item.causes, 1)
    )
    for indicator in item.indicators:
        Indicator.objects.create(
            problem=problem,
            name=indicator.name,
            unit=indicator.unit,
            values={year: str(value) for year, value in indicator.values.items()},
            comparison_value=indicator.comparison,
            comparison_kind=indicator.comparison_kind,
            source=indicator.source,
        )
    if item.status != S.DRAFT:
        submitted_at = _moment(plan, item.day, 10)
        Transition.objects.create(
            problem=problem, from_status=S.DRAFT, to_status=S.SUBMITTED, by=staff, at=submitted_at
        )
        problem.submitted_at = submitted_at
        if item.status in (S.ACCEPTED, S.RETURNED):
            Transition.objects.create(
                problem=problem,
                from_status=S.SUBMITTED,
                to_status=item.status,
                by=planner,
                at=_moment(plan, 12, 14),
                note=item.note,
            )
        problem.status = item.status
        problem.reviewer_note = item.note
        problem.save()
    problem.update_search_text()
    return problem


# Potensi the agencies recorded beside their problems: (agency, bidang urusan, kind, title,
# description, source). The narasumber's come from the FGD of 7 March 2020 (fgd/demo.py).
DEMO_POTENTIALS = [
    (
        "Disdikbud",
        "1.01",
        Potential.Kind.STRENGTH,
        "Sekolah satu atap sudah berdiri di desa-desa terpencil",
        "Sekolah satu atap SD–SMP di desa tepi sungai menjadi simpul untuk menambah guru dan "
        "angkutan sekolah tanpa membangun sekolah baru.",
        "Dinas Pendidikan dan Kebudayaan, data pokok pendidikan 2019",
    ),
    (
        "Dinkes",
        "1.02",
        Potential.Kind.STRENGTH,
        "Posyandu aktif hampir di setiap desa",
        "Jaringan posyandu dan kader kesehatan desa dapat dipakai untuk mengukur tinggi badan "
        "balita setiap bulan dan memberi makanan tambahan.",
        "Dinas Kesehatan, profil kesehatan kabupaten 2019",
    ),
]


def _potentials(plan: Plan, users: dict) -> None:
    """Each agency's demo potensi, once: an agency that already has a potensi gets none."""
    started = set(
        Potential.objects.filter(plan=plan, agency__isnull=False).values_list(
            "agency__short_name", flat=True
        )
    )
    for short_name, affair, kind, title, description, source in DEMO_POTENTIALS:
        agency = Agency.objects.filter(region=plan.region, short_name=short_name).first()
        if agency is None or short_name in started:
            continue
        Potential.objects.create(
            plan=plan,
            agency=agency,
            affair=Affair.objects.get(code=affair),
            kind=kind,
            title=title,
            description=description,
            source=source,
            created_by=users.get(short_name),
            created_at=_moment(plan, 6, 11),
        )


def load(plan: Plan) -> None:
    """Create this module's demo data for the plan, only where it is missing."""
    stage = plan.stage_of_kind(Stage.Kind.IDENTIFICATION)
    usernames = {
        "Disdikbud": "opd.disdikbud",
        "Dinkes": "opd.dinkes",
        "DPU": "opd.dpu",
        "planner": "perencana",
    }
    found = {u.username: u for u in User.objects.filter(username__in=usernames.values())}
    users = {key: found.get(name) for key, name in usernames.items()}
    with transaction.atomic():
        # Keyed on the agency, not the text: an agency that already has problems in the plan
        # (the demo's or its own, edited or not) gets nothing new, so edits never come back.
        started = set(
            Problem.objects.filter(plan=plan).values_list("agency__short_name", flat=True)
        )
        for item in demo_problems():
            if item.agency not in started:
                _create(plan, stage, item, users)
        _potentials(plan, users)
        if stage is not None:
            until = plan.region.today() + dt.timedelta(weeks=EXTENSION_WEEKS)
            for agency in Agency.objects.filter(
                region=plan.region, short_name__in=EXTENDED_AGENCIES
            ):
                DeadlineExtension.objects.get_or_create(
                    stage=stage,
                    agency=agency,
                    defaults={
                        "until": max(until, stage.closes_on + dt.timedelta(days=1)),
                        "reason": "Data pendukung masih dihimpun dari UPT dan puskesmas/sekolah",
                        "granted_by": users.get("planner"),
                    },
                )
