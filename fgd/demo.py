"""This module's part of the Kutai Kartanegara demo (see rpjmd/demo.py): the FGD of Saturday
7 March 2020 at Hotel Astara, Balikpapan, with the three narasumber from Bappenas, held, closed
and with a signed berita acara.

Created only when missing: narasumber by (region, name); the meeting by its plan, stage and day.
A meeting a planner has since changed is never touched again. The problems of the issues demo
are tabled in it, and its inputs linked to them, only while it has no tabled problem at all: a
database that got the FGD demo before problems could be tabled gets them on the next run.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction

from fgd.models import (
    AgendaItem,
    AgreedItem,
    Attendance,
    FollowUp,
    Input,
    Invitation,
    Meeting,
    Minutes,
    MinutesRevision,
    OfficialRecord,
    ResourcePerson,
    Signatory,
    StatusChange,
    TabledProblem,
)
from fgd.workflow import sign_record
from issues.demo import demo_problems
from issues.models import Potential, Problem
from rpjmd.models import Affair, Agency, Plan, Stage, User
from rpjmd.reference import read

WITA = ZoneInfo("Asia/Makassar")
DAY = dt.date(2020, 3, 7)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour, minute), WITA)


AGENDA = [
    # (start, end, title, presenter, minutes)
    (
        (8, 0),
        (8, 30),
        "Registrasi peserta",
        "Panitia Bappeda",
        "Registrasi dibuka pukul 08.00 WITA. Peserta melakukan presensi dengan kode yang "
        "ditampilkan panitia; perwakilan OPD tanpa akun dicatat sebagai tamu.",
    ),
    (
        (8, 30),
        (9, 15),
        "Pembukaan dan arahan Kepala Bappeda",
        "Wiyono, Kepala Bappeda Kabupaten Kutai Kartanegara",
        "Kepala Bappeda menyampaikan bahwa Rancangan Teknokratik RPJMD harus selesai sebelum "
        "penetapan Kepala Daerah terpilih (Permendagri 86/2017 Pasal 42).\n"
        "Empat tahapan utama: FGD identifikasi permasalahan (minggu ke-2 Maret), FGD draf "
        "rancangan teknokratik (minggu ke-1 April), finalisasi (minggu ke-2 April) dan "
        "penyampaian (minggu ke-4 April 2020).\n"
        "Setiap perangkat daerah diminta menyampaikan permasalahan dan isu aktual bidangnya.",
    ),
    (
        (9, 15),
        (10, 30),
        "Paparan: RPJMN 2020–2024 dan pembangunan daerah tertinggal, transmigrasi dan perdesaan",
        "Drs. Sumedi Andono Mulyo, MA, Ph.D",
        "Narasumber menekankan keselarasan isu strategis daerah dengan tujuh agenda "
        "pembangunan RPJMN 2020–2024, terutama pengembangan wilayah untuk mengurangi "
        "kesenjangan.\n"
        "Desa-desa di hulu Mahakam dan kawasan transmigrasi perlu dipetakan tersendiri karena "
        "indeks desa membangunnya masih rendah.",
    ),
    (
        (10, 30),
        (11, 45),
        "Paparan: pemetaan penduduk miskin sebagai dasar perumusan masalah",
        "Agus Manshur, SE, MA",
        "Data kemiskinan perlu memakai Data Terpadu Kesejahteraan Sosial (DTKS) dan dipadankan "
        "dengan data kependudukan agar sasaran program tepat.\n"
        "Narasumber meminta setiap masalah disertai indikator dan sumber data yang jelas.",
    ),
    (
        (13, 0),
        (14, 0),
        "Paparan: merumuskan isu strategis dengan pendekatan teknokratik",
        "Muhyiddin, S.Sos, M.Sc",
        "Isu strategis dirumuskan dari permasalahan yang berdampak luas, mendesak, dan dapat "
        "ditangani dalam kewenangan daerah; hindari daftar keinginan program.\n"
        "Disarankan memakai kriteria berbobot dan menilai setiap isu bersama OPD.",
    ),
    (
        (14, 0),
        (15, 30),
        "Diskusi: identifikasi permasalahan per bidang urusan",
        "Seluruh perangkat daerah",
        "OPD menyampaikan permasalahan utama bidangnya. Disdikbud: angka partisipasi SMP di "
        "kecamatan hulu rendah. Dinkes: prevalensi stunting masih di atas target nasional. "
        "DPU: kemantapan jalan kabupaten belum merata.",
    ),
    (
        (15, 30),
        (16, 0),
        "Perumusan kesepakatan dan penutupan",
        "Kepala Bappeda",
        "Kesepakatan dibacakan dan disetujui peserta; berita acara ditandatangani pimpinan rapat "
        "dan perwakilan narasumber.",
    ),
]

# Staff who came for agencies without demo accounts: names of the demo, positions as usual.
GUESTS = [
    ("Disperkim", "Hj. Nurul Aini, S.T.", "Kepala Subbagian Perencanaan"),
    ("BPBD", "Rahmat Hidayat, S.Sos.", "Kepala Seksi Pencegahan"),
    ("Dinsos", "Yuliana Sari, S.E.", "Analis Perencanaan"),
    ("Disnakertrans", "Andi Pratama, S.T., M.M.", "Kepala Bidang Transmigrasi"),
    ("DLHK", "Ir. Hendra Gunawan", "Kepala Subbagian Program"),
    ("DPMD", "Fitriani, S.IP.", "Kepala Bidang Pemberdayaan Desa"),
    ("Dishub", "M. Arif Budiman, S.T.", "Perencana Ahli Muda"),
    ("Distanak", "Siti Aminah, S.P., M.Si.", "Kepala Subbagian Perencanaan"),
    ("Diskan", "Yusran, S.Pi.", "Kepala Seksi Perikanan Tangkap"),
    ("Dispar", "Dewi Kartika, S.Par.", "Analis Kebijakan"),
    ("Bapenda", "Agus Salim, S.E., M.Si.", "Kepala Subbidang Perencanaan Pendapatan"),
    ("BPKAD", "Rudi Hartono, S.E., Ak.", "Kepala Subbidang Anggaran"),
]

# What the first narasumber said about the region's potensi, and the potensi Bappeda recorded
# from it for Tabel potensi dan permasalahan (affair code, kind, title, description).
POTENTIAL_INPUT = (
    "Kutai Kartanegara punya potensi besar di luar pertambangan: lahan pertanian pangan dan "
    "perkebunan yang luas serta perikanan di sepanjang Sungai Mahakam dan pesisir. Catat sebagai "
    "potensi daerah untuk menopang transformasi ekonomi."
)
POTENTIALS = [
    (
        "3.27",
        Potential.Kind.STRENGTH,
        "Lahan pertanian pangan dan perkebunan yang luas",
        "Lahan sawah, ladang dan kebun di kecamatan hulu dan tengah yang dapat menopang "
        "ketahanan pangan dan ekonomi di luar pertambangan.",
    ),
    (
        "3.25",
        Potential.Kind.OPPORTUNITY,
        "Perikanan di Sungai Mahakam, danau dan pesisir",
        "Perikanan tangkap dan budidaya di Sungai Mahakam, danau-danau kawasan tengah dan "
        "pesisir Delta Mahakam sebagai sumber pendapatan nelayan.",
    ),
]

INPUTS = [
    # (author key, kind, text, response, reason, landed_in)
    (
        "rp:0",
        Input.Kind.STRATEGIC_ISSUE,
        "Ketertinggalan desa di kawasan hulu Mahakam dan kawasan transmigrasi perlu diangkat "
        "sebagai isu strategis tersendiri, selaras dengan agenda pengembangan wilayah RPJMN.",
        Input.Response.ACCEPTED,
        "Sejalan dengan data Indeks Desa Membangun dan arahan RPJMN.",
        "Bab IV, isu strategis kesenjangan antarwilayah",
    ),
    (
        "rp:1",
        Input.Kind.DATA_CORRECTION,
        "Angka kemiskinan dalam bahan paparan memakai data tahun 2017; gunakan DTKS terbaru dan "
        "angka BPS 2019 agar sasaran tepat.",
        Input.Response.ACCEPTED,
        "Data diperbarui oleh Dinsos dan Bappeda.",
        "Bab II, gambaran umum kondisi daerah (aspek kesejahteraan)",
    ),
    (
        "rp:2",
        Input.Kind.SUGGESTION,
        "Gunakan kriteria berbobot untuk memilih isu strategis, dan nilai bersama OPD dan "
        "akademisi sebelum FGD draf rancangan.",
        Input.Response.PARTLY,
        "Kriteria berbobot dipakai; penilaian oleh akademisi dilakukan pada tahap finalisasi.",
        "Metode perumusan isu strategis, Bab IV",
    ),
    (
        "agency:Dinkes",
        Input.Kind.STRATEGIC_ISSUE,
        "Stunting diusulkan menjadi isu strategis karena prevalensinya masih di atas target "
        "nasional dan lintas sektor.",
        Input.Response.ACCEPTED,
        "Didukung data e-PPGBM dan prioritas nasional.",
        "Bab IV, isu strategis kualitas sumber daya manusia",
    ),
    (
        "agency:Disdikbud",
        Input.Kind.CLARIFICATION,
        "Apakah permasalahan pendidikan menengah (SMA/SMK) perlu diajukan, mengingat "
        "kewenangannya berada di provinsi?",
        Input.Response.REJECTED,
        "Bukan kewenangan kabupaten; dicatat sebagai isu koordinasi dengan provinsi, bukan "
        "permasalahan kabupaten.",
        "",
    ),
    (
        "agency:DPU",
        Input.Kind.DATA_CORRECTION,
        "Panjang jalan kabupaten dalam kondisi mantap perlu diperbarui dengan hasil survei "
        "kondisi jalan 2019.",
        Input.Response.ACCEPTED,
        "DPU menyerahkan data survei 2019.",
        "Tabel permasalahan DPU, indikator kemantapan jalan",
    ),
    # Last: INPUT_PROBLEMS below counts on the places of the ones above.
    (
        "rp:0",
        Input.Kind.SUGGESTION,
        POTENTIAL_INPUT,
        Input.Response.ACCEPTED,
        "Dicatat sebagai potensi daerah bidang pertanian dan perikanan.",
        "Bab IV, tabel potensi dan permasalahan per bidang urusan",
    ),
]

# The demo problems each demo input concerns (by its place in INPUTS): agency and the start of
# the problem's statement in issues/demo.py.
INPUT_PROBLEMS = {
    0: [("Disdikbud", "Anak usia SMP"), ("DPU", "Jalan kabupaten penghubung")],
    1: [("Dinsos", "Persentase penduduk miskin")],
    3: [("Dinkes", "Prevalensi balita stunting")],
    4: [("Disdikbud", "Anak usia SMP")],
    5: [("DPU", "Jalan kabupaten penghubung")],
}

AGREED = [
    "Setiap perangkat daerah menyampaikan permasalahan pembangunan bidangnya melalui Meja Kerja "
    "RPJMD paling lambat 13 Maret 2020, lengkap dengan akar masalah, indikator dan sumber data.",
    "Data yang dipakai adalah data resmi terbaru (BPS, DTKS, data sektoral) dengan tahun dan "
    "sumber yang disebutkan.",
    "Isu strategis daerah dirumuskan dengan kriteria berbobot dan diselaraskan dengan RPJMN "
    "2020–2024 serta kebijakan provinsi.",
    "Hasil identifikasi permasalahan dibahas kembali pada FGD draf Rancangan Teknokratik RPJMD "
    "minggu ke-1 April 2020.",
]

FOLLOW_UPS = [
    # (agency, text, due, done note or None)
    (
        "Dinkes",
        "Menyampaikan data prevalensi stunting per kecamatan (e-PPGBM 2019).",
        dt.date(2020, 3, 13),
        "Data e-PPGBM 2019 per kecamatan telah diunggah sebagai bukti permasalahan stunting.",
    ),
    (
        "Disdikbud",
        "Melengkapi data APK/APM SD dan SMP per kecamatan tahun 2015–2019.",
        dt.date(2020, 3, 13),
        None,
    ),
    (
        "DPU",
        "Menyerahkan hasil survei kondisi jalan kabupaten 2019.",
        dt.date(2020, 3, 20),
        None,
    ),
]


def load_resource_persons(plan: Plan) -> list[ResourcePerson]:
    seed = read("kutai_kartanegara.json")["proses_teknokratik_2020"]["fgd_pertama"]
    people = []
    for entry in seed["narasumber"]:
        person, _ = ResourcePerson.objects.get_or_create(
            region=plan.region,
            full_name=entry["nama"],
            defaults={"position": entry["jabatan"], "institution": entry["instansi"]},
        )
        people.append(person)
    # The demo narasumber account belongs to Drs. Sumedi Andono Mulyo's record.
    sumedi = User.objects.filter(username="sumedi", role=User.Role.RESOURCE_PERSON).first()
    if (
        sumedi is not None
        and people[0].user_id is None
        and not ResourcePerson.objects.filter(user=sumedi).exists()
    ):
        people[0].user = sumedi
        people[0].save(update_fields=["user"])
    return people


def find_demo_meeting(plan: Plan) -> Meeting | None:
    return Meeting.objects.filter(
        plan=plan, starts_at__gte=at(0), starts_at__lt=at(0) + dt.timedelta(days=1)
    ).first()


def load(plan: Plan) -> None:
    """Create this module's demo data for the plan, only where it is missing."""
    people = load_resource_persons(plan)
    stage = plan.stage_of_kind(Stage.Kind.IDENTIFICATION)
    if stage is None:
        return
    users = {u.username: u for u in User.objects.filter(region=plan.region)}
    planner = users.get("perencana")
    meeting = find_demo_meeting(plan)
    created = meeting is None
    if created:
        meeting = _create_meeting(plan, stage, people, users, planner)
    _table_problems(plan, meeting, planner)
    _record_potentials(plan, meeting)
    if created:  # signed last, so the issued berita acara names the problems inputs concern
        _sign(meeting, people, users, planner)


def _record_potentials(plan: Plan, meeting: Meeting) -> None:
    """The potensi the narasumber named, recorded from their input (once: an input that already
    points at a potensi is left as it is)."""
    said = meeting.inputs.filter(text=POTENTIAL_INPUT).select_related("resource_person").first()
    if said is None or said.potentials.exists():
        return  # an FGD from before this input, or recorded already
    author = said.resource_person.user if said.resource_person else None
    with transaction.atomic():
        for code, kind, title, description in POTENTIALS:
            potential = Potential.objects.create(
                plan=plan,
                affair=Affair.objects.get(code=code),
                kind=kind,
                title=title,
                description=description,
                source=f"Masukan {said.resource_person} pada {meeting.title}, 7 Maret 2020"[:300],
                created_by=author,
                created_at=at(16, 0),
            )
            said.potentials.add(potential)


def _create_meeting(plan: Plan, stage: Stage, people, users: dict, planner) -> Meeting:
    seed = read("kutai_kartanegara.json")["proses_teknokratik_2020"]
    agencies = {a.short_name: a for a in Agency.objects.filter(region=plan.region)}
    with transaction.atomic():
        meeting = _meeting(plan, stage, seed, planner)
        _invitations(meeting, people, agencies, users, planner)
        _agenda(meeting, planner)
        _attendance(meeting, people, agencies, users, planner)
        _inputs(meeting, people, agencies, users, planner)
        _closing(meeting, agencies, users, planner)
    return meeting


def _table_problems(plan: Plan, meeting: Meeting, planner: User | None) -> None:
    """Table the handed-in demo problems in the seed FGD and link its inputs to them."""

    if meeting.tabled_problems.exists():
        return  # tabled already, by an earlier run or by a planner: their choice stands
    wanted = [(p.agency, p.statement) for p in demo_problems()]
    found = {
        (problem.agency.short_name, problem.statement): problem
        for problem in Problem.objects.filter(plan=plan)
        .exclude(status=Problem.Status.DRAFT)
        .select_related("agency")
    }
    problems = [found[key] for key in wanted if key in found]
    if not problems:
        return
    with transaction.atomic():
        TabledProblem.objects.bulk_create(
            TabledProblem(
                meeting=meeting,
                problem=problem,
                tabled_by=planner,
                tabled_at=at(8) - dt.timedelta(days=3),
            )
            for problem in problems
        )
        inputs = {item.text: item for item in meeting.inputs.all()}
        for n, keys in INPUT_PROBLEMS.items():
            item = inputs.get(INPUTS[n][2])  # an input a planner has rewritten is left alone
            if item is None or item.problems.exists():
                continue
            item.problems.set(
                p
                for p in problems
                for agency, start in keys
                if p.agency.short_name == agency and p.statement.startswith(start)
            )


def _meeting(plan, stage, seed, planner) -> Meeting:
    return Meeting.objects.create(
        plan=plan,
        stage=stage,
        title="FGD Identifikasi Permasalahan Pembangunan Daerah dalam Penyusunan Rancangan "
        "Teknokratik RPJMD Kabupaten Kutai Kartanegara",
        purposes="\n".join(seed["tujuan_fgd"]),
        starts_at=at(8, 0),
        ends_at=at(16, 0),
        venue=seed["fgd_pertama"]["tempat"],
        moderator="Kepala Bidang Perencanaan, Pengendalian dan Evaluasi Pembangunan Daerah",
        notulis=planner,
        created_by=planner,
        created_at=at(8, 0) - dt.timedelta(days=10),
    )


def _invitations(meeting, people, agencies, users, planner) -> None:
    rows = [Invitation(meeting=meeting, resource_person=p, invited_by=planner) for p in people]
    # "Diikuti oleh seluruh OPD di lingkungan Kukar": every agency but the organiser itself.
    rows += [
        Invitation(meeting=meeting, agency=a, invited_by=planner)
        for a in agencies.values()
        if not a.is_planning_agency
    ]
    if "wiyono" in users:
        rows.append(Invitation(meeting=meeting, user=users["wiyono"], invited_by=planner))
    Invitation.objects.bulk_create(rows)


def _agenda(meeting, planner) -> None:
    for order, (start, end, title, presenter, text) in enumerate(AGENDA, start=1):
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=order,
            starts_at=dt.time(*start),
            ends_at=dt.time(*end),
            title=title,
            presenter=presenter,
        )
        saved = at(*end)
        minutes = Minutes.objects.create(
            agenda_item=item, text=text, version=1, updated_by=planner, updated_at=saved
        )
        MinutesRevision.objects.create(minutes=minutes, version=1, text=text, by=planner, at=saved)


def _attendance(meeting, people, agencies, users, planner) -> None:
    rows = []
    for n, person in enumerate(people):
        method = Attendance.Method.LINK if person.user_id else Attendance.Method.PLANNER
        rows.append(
            Attendance(
                meeting=meeting,
                resource_person=person,
                checked_in_at=at(8, 10 + n),
                method=method,
                recorded_by=person.user or planner,
            )
        )
    for n, username in enumerate(["wiyono", "opd.disdikbud", "opd.dinkes", "opd.dpu"]):
        user = users.get(username)
        if user is not None:
            rows.append(
                Attendance(
                    meeting=meeting,
                    user=user,
                    agency_id=user.agency_id,
                    checked_in_at=at(8, 2 + n * 3),
                    method=Attendance.Method.PLANNER if user.is_leader else Attendance.Method.CODE,
                    recorded_by=planner if user.is_leader else user,
                )
            )
    for n, (short_name, name, position) in enumerate(GUESTS):
        agency = agencies.get(short_name)
        if agency is None:
            continue
        rows.append(
            Attendance(
                meeting=meeting,
                guest_name=name,
                guest_position=position,
                guest_institution=agency.name,
                agency=agency,
                checked_in_at=at(8, 5 + n * 2),
                method=Attendance.Method.GUEST,
                recorded_by=planner,
            )
        )
    Attendance.objects.bulk_create(rows)


def _inputs(meeting, people, agencies, users, planner) -> None:
    speakers = {
        "Dinkes": users.get("opd.dinkes"),
        "Disdikbud": users.get("opd.disdikbud"),
        "DPU": users.get("opd.dpu"),
    }
    for n, (author, kind, text, response, reason, landed_in) in enumerate(INPUTS):
        who, key = author.split(":")
        fields = {}
        if who == "rp":
            fields["resource_person"] = people[int(key)]
        else:
            fields["agency"] = agencies[key]
            speaker = speakers.get(key)
            fields["speaker"] = speaker.full_name if speaker else ""
        Input.objects.create(
            meeting=meeting,
            kind=kind,
            text=text,
            response=response,
            response_reason=reason,
            landed_in=landed_in,
            responded_by=planner,
            responded_at=at(15, 30),
            created_by=fields.get("resource_person") and fields["resource_person"].user or planner,
            created_at=at(10, 0) + dt.timedelta(minutes=35 * n),
            **fields,
        )


def _closing(meeting, agencies, users, planner) -> None:
    for order, text in enumerate(AGREED, start=1):
        AgreedItem.objects.create(meeting=meeting, order=order, text=text)
    for short_name, text, due, done in FOLLOW_UPS:
        agency = agencies.get(short_name)
        if agency is None:
            continue
        done_by = users.get({"Dinkes": "opd.dinkes"}.get(short_name, ""))
        FollowUp.objects.create(
            meeting=meeting,
            text=text,
            agency=agency,
            due_on=due,
            done_at=at(10) + dt.timedelta(days=5) if done else None,
            done_note=done or "",
            done_by=done_by if done else None,
        )
    StatusChange.objects.create(
        meeting=meeting, from_status="planned", to_status="running", by=planner, at=at(8, 30)
    )
    StatusChange.objects.create(
        meeting=meeting, from_status="running", to_status="closed", by=planner, at=at(16, 15)
    )
    # nosemgrep: rpjmd-no-bulk-write-on-history-models - demo data backdated to 2020
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.CLOSED, closed_at=at(16, 15), minutes_published_at=at(16, 15)
    )
    meeting.refresh_from_db()


def _sign(meeting, people, users, planner) -> None:
    record = OfficialRecord.objects.create(
        meeting=meeting,
        number="050/186/Bappeda-P2EPD/III/2020",
        place="Balikpapan",
        signed_on=DAY,
        heard=(
            "Arahan Kepala Bappeda tentang jadwal dan tahapan penyusunan Rancangan Teknokratik "
            "RPJMD; paparan tiga narasumber dari Kementerian PPN/Bappenas tentang keselarasan "
            "dengan RPJMN 2020–2024, pemetaan penduduk miskin, dan perumusan isu strategis; "
            "serta penyampaian permasalahan pembangunan oleh perangkat daerah."
        ),
    )
    leader = users.get("wiyono")
    Signatory.objects.create(
        record=record,
        order=1,
        role_label="Pimpinan Rapat",
        name=leader.full_name if leader else "Wiyono",
        position="Kepala Bappeda Kabupaten Kutai Kartanegara",
    )
    Signatory.objects.create(
        record=record,
        order=2,
        role_label="Narasumber",
        name=people[0].full_name,
        position=people[0].affiliation,
    )
    if planner is not None:
        record = sign_record(record=record, by=planner)
        # nosemgrep: rpjmd-no-bulk-write-on-history-models - demo data backdated to 2020
        OfficialRecord.objects.filter(pk=record.pk).update(signed_at=at(16, 30))
