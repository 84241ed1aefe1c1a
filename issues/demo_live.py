"""Problems of the live plan (RPJMD 2025–2029, rpjmd/demo_live.py): this year's identification.

OPDs hand in what their latest figures show, read from `kukar_statistik.json` (never retyped),
aligned with the Prioritas Nasional of RPJMN 2025–2029 (Perpres 12/2025). Three are handed in in
the days before the FGD, one was returned with a note (Dinkes hands it in again), one is a draft.
Created only when the plan has no problems yet.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from issues.demo import DemoIndicator, DemoProblem, figure
from issues.models import CoreProblem, Indicator, Problem, RootCause, Transition
from rpjmd.demo_live import anchor_day
from rpjmd.models import Affair, Agency, District, NationalPriority, Plan, Sdg, Stage, User

S = Problem.Status
HDI_PARTS = "Komponen IPM Kabupaten"
POVERTY = "Persentase dan Jumlah Penduduk Miskin"
ROADS = "Panjang Jalan Kabupaten"
STUNTING = "Prevalensi Balita Stunting"


def _stunting(region: str, column: str):
    return figure(STUNTING, region, column)


def live_problems() -> list[DemoProblem]:
    """`day` counts from the anchor day (negative: before the demo was loaded). Figures only for
    the plan's baseline years (2020–2024), the columns the problem form shows."""
    return [
        DemoProblem(
            agency="Disdikbud",
            affair="1.01",
            core="Capaian lama sekolah penduduk dewasa masih rendah",
            statement=(
                "Rata-rata lama sekolah penduduk usia 25 tahun ke atas baru sekitar sembilan "
                "tahun: sebagian besar penduduk dewasa hanya tamat SMP, terutama di kecamatan "
                "hulu Mahakam, sehingga tenaga kerja lokal sulit mengisi lapangan kerja terampil."
            ),
            causes=[
                "Jarak ke SMA/SMK terdekat jauh dan bergantung pada angkutan sungai",
                "Program kesetaraan (Paket B dan C) belum menjangkau desa terpencil",
                "Anak usia sekolah ikut bekerja saat musim panen dan musim ikan",
            ],
            districts=["Tabang", "Kembang Janggut", "Kenohan", "Muara Wis"],
            status=S.SUBMITTED,
            priorities=["PN4"],
            sdgs=[4],
            indicators=[
                DemoIndicator(
                    "Rata-rata lama sekolah (RLS)",
                    "tahun",
                    {"2024": figure(HDI_PARTS, 2024, "RLS (tahun)")},
                    "BPS Kabupaten Kutai Kartanegara; paparan Bappeda Kukar, April 2025",
                ),
            ],
            day=-3,
        ),
        DemoProblem(
            agency="Dinkes",
            affair="1.02",
            core="Stunting pada balita masih tinggi",
            statement=(
                "Prevalensi balita stunting Kutai Kartanegara pada SSGI 2021 lebih tinggi dari "
                "rata-rata Kalimantan Timur; gizi ibu hamil dan baduta belum terpantau di "
                "posyandu desa yang jauh dari puskesmas."
            ),
            causes=[
                "Kunjungan posyandu balita rendah di desa yang jauh dari puskesmas",
                "Air minum layak dan sanitasi belum merata di permukiman bantaran sungai",
                "Data sasaran balita dan ibu hamil belum satu antara puskesmas dan desa",
            ],
            status=S.SUBMITTED,
            priorities=["PN4", "PN6"],
            sdgs=[2, 3],
            indicators=[
                DemoIndicator(
                    "Prevalensi balita stunting",
                    "%",
                    {"2021": _stunting("Kutai Kartanegara", "SSGI 2021")},
                    "Studi Status Gizi Indonesia (SSGI) 2021, Kementerian Kesehatan",
                    _stunting("Kalimantan Timur", "SSGI 2021"),
                    Indicator.ComparisonKind.PROVINCIAL,
                ),
            ],
            day=-2,
        ),
        DemoProblem(
            agency="DPU",
            affair="1.03",
            core="Jalan kabupaten belum mantap",
            statement=(
                "Kurang dari separuh panjang jalan kabupaten dalam kondisi mantap (Januari "
                "2022); perbaikan sejak itu belum mengejar kerusakan baru: angkutan hasil "
                "pertanian dan perkebunan dari desa ke pasar dan ke sentra pengolahan mahal dan "
                "lambat, terutama pada musim hujan."
            ),
            causes=[
                "Jalan dilalui angkutan hasil tambang dan perkebunan melebihi kelas jalannya",
                "Anggaran pemeliharaan rutin tidak sebanding dengan panjang jalan",
                "Tanah lunak dan rawa di sepanjang Mahakam mempercepat kerusakan",
            ],
            status=S.SUBMITTED,
            priorities=["PN3", "PN6"],
            sdgs=[9],
            indicators=[
                DemoIndicator(
                    "Persentase jalan kabupaten dalam kondisi mantap",
                    "%",
                    {"2022": figure(ROADS, "Dinas PU Kukar, Januari 2022 (%)", "Mantap (%)")},
                    "Dinas Pekerjaan Umum Kabupaten Kutai Kartanegara, Januari 2022",
                ),
            ],
            day=-1,
        ),
        DemoProblem(
            agency="Dinkes",
            affair="1.02",
            core="Stunting pada balita masih tinggi",
            statement=(
                "Umur harapan hidup naik, tetapi layanan rujukan di rumah sakit daerah dan "
                "puskesmas rawat inap belum menjangkau kecamatan hulu."
            ),
            causes=["Dokter spesialis terpusat di Tenggarong"],
            status=S.RETURNED,
            note=(
                "Masalah pokoknya belum sesuai (bukan stunting), dan kondisi yang bermasalah belum "
                "terukur: tambahkan indikator layanan rujukan dan pembanding provinsi."
            ),
            priorities=["PN4"],
            sdgs=[3],
            indicators=[
                DemoIndicator(
                    "Umur harapan hidup saat lahir (UHH)",
                    "tahun",
                    {"2024": figure(HDI_PARTS, 2024, "UHH (tahun)")},
                    "BPS Kabupaten Kutai Kartanegara; paparan Bappeda Kukar, April 2025",
                ),
            ],
            day=-4,
        ),
        DemoProblem(
            agency="Disdikbud",
            affair="1.01",
            core="Capaian lama sekolah penduduk dewasa masih rendah",
            statement=(
                "Kemiskinan menahan anak di desa untuk melanjutkan sekolah: persentase penduduk "
                "miskin Kutai Kartanegara tetap di atas rata-rata Kalimantan Timur."
            ),
            causes=["Biaya transportasi dan asrama bagi siswa dari desa hulu"],
            status=S.DRAFT,
            priorities=["PN6"],
            sdgs=[1, 4],
            indicators=[
                DemoIndicator(
                    "Persentase penduduk miskin",
                    "%",
                    {
                        "2023": figure(POVERTY, 2023, "Kukar: persentase penduduk miskin (%)"),
                        "2024": figure(POVERTY, 2024, "Kukar: persentase penduduk miskin (%)"),
                    },
                    "BPS, Persentase Penduduk Miskin Maret 2023 dan 2024",
                    figure(POVERTY, 2024, "Kaltim: persentase penduduk miskin (%)"),
                    Indicator.ComparisonKind.PROVINCIAL,
                ),
            ],
            day=0,
        ),
    ]


def _moment(plan: Plan, day: int, hour: int) -> dt.datetime:
    date = anchor_day(plan) + dt.timedelta(days=day)
    return dt.datetime.combine(date, dt.time(hour), plan.region.zone)


def _create(plan: Plan, stage: Stage | None, item: DemoProblem, users: dict) -> Problem:
    agency = Agency.objects.get(region=plan.region, short_name=item.agency)
    staff = users.get(item.agency)
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
        created_at=_moment(plan, item.day - 2, 9),
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
        if item.status == S.RETURNED:
            Transition.objects.create(
                problem=problem,
                from_status=S.SUBMITTED,
                to_status=S.RETURNED,
                by=users.get("planner"),
                at=_moment(plan, item.day + 1, 14),
                note=item.note,
            )
        problem.status = item.status
        problem.reviewer_note = item.note
        problem.save()
    problem.update_search_text()
    return problem


def load(plan: Plan) -> None:
    """Create the live plan's problems, only when it has none (users' own work stays)."""
    if Problem.objects.filter(plan=plan).exists():
        return
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
        for item in live_problems():
            _create(plan, stage, item, users)
