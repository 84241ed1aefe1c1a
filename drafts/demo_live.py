"""The live plan's document (rpjmd/demo_live.py): chapters being written, due dates ahead.

Bappeda has drafted Bab I (the background in draft, the legal basis handed in for review),
Disdikbud has started its part of Bab II, and the other sections assigned so far are due in the
weeks after the anchor day. Created only when the plan has no document yet.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.formats import number_format

from drafts import editing
from drafts.models import Document, Section
from drafts.outline import create_document
from rpjmd.demo_live import anchor_day
from rpjmd.models import Agency, Plan, User
from rpjmd.reference import read


def _hdi_part(year: int, column: str):
    table = next(
        t
        for t in read("kukar_statistik.json")["tabel"]
        if t["judul"].startswith("Komponen IPM Kabupaten")
    )
    row = next(r for r in table["baris"] if r[0] == year)
    return row[table["kolom"].index(column)]


LATAR_BELAKANG = """
<p>Rencana Pembangunan Jangka Menengah Daerah (RPJMD) Kabupaten Kutai Kartanegara Tahun 2025–2029 adalah dokumen perencanaan lima tahun pertama dari Rencana Pembangunan Jangka Panjang Daerah (RPJPD) Tahun 2025–2045. Rancangan teknokratiknya disusun Bappeda sebelum visi dan misi kepala daerah terpilih dijabarkan, sebagai bahan rancangan awal RPJMD.</p>
<p>Penyusunan rancangan teknokratik berpedoman pada RPJMN 2025–2029 beserta Prioritas Nasionalnya, dan pada hasil identifikasi permasalahan pembangunan yang disampaikan perangkat daerah dalam forum FGD.</p>
"""

DASAR_HUKUM = """
<ol>
<li>Undang-Undang Nomor 25 Tahun 2004 tentang Sistem Perencanaan Pembangunan Nasional;</li>
<li>Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah beserta perubahannya;</li>
<li>Undang-Undang Nomor 59 Tahun 2024 tentang Rencana Pembangunan Jangka Panjang Nasional Tahun 2025–2045;</li>
<li>Peraturan Presiden Nomor 12 Tahun 2025 tentang Rencana Pembangunan Jangka Menengah Nasional Tahun 2025–2029;</li>
<li>Peraturan Menteri Dalam Negeri Nomor 86 Tahun 2017 tentang Tata Cara Perencanaan, Pengendalian dan Evaluasi Pembangunan Daerah.</li>
</ol>
"""


def pendidikan() -> str:
    then, now = _hdi_part(2019, "RLS (tahun)"), _hdi_part(2024, "RLS (tahun)")
    return (
        "<p>Rata-rata lama sekolah penduduk usia 25 tahun ke atas naik dari "
        f"{number_format(then, 2)} tahun pada 2019 menjadi {number_format(now, 2)} tahun pada "
        "2024 (BPS Kabupaten Kutai Kartanegara): sebagian besar penduduk dewasa belum menamatkan "
        "jenjang menengah. Uraian per jenjang dan per kecamatan menyusul setelah data Dapodik "
        "tahun ajaran berjalan dihimpun.</p>"
    )


def load(plan: Plan) -> None:
    if Document.objects.filter(plan=plan).exists():
        return
    users = {u.username: u for u in User.objects.filter(region_id=plan.region_id)}
    planner = users.get("perencana")
    if planner is None:
        return
    day0 = anchor_day(plan)
    agencies = {a.short_name: a for a in Agency.objects.filter(region_id=plan.region_id)}
    with transaction.atomic():
        document = create_document(plan=plan, by=planner)
        document.kind = Document.Kind.TECHNOCRATIC
        document.save(update_fields=["kind"])
        sections = {
            (s.chapter.number, s.title): s
            for s in Section.objects.filter(chapter__document=document).select_related("chapter")
        }
        # (chapter, title): agency, its writer (None: the whole agency), due in days, the text
        # written so far (by whom), and whether it is handed in for review.
        plan_of_work = [
            (("I", "Latar Belakang"), "Bappeda", "perencana", 7, "perencana", LATAR_BELAKANG),
            (("I", "Dasar Hukum Penyusunan"), "Bappeda", "perencana", 7, "perencana", DASAR_HUKUM),
            (("I", "Sistematika Penulisan"), "Bappeda", "perencana", 10, None, ""),
            (("II", "Urusan Wajib Pelayanan Dasar"), "Disdikbud", None, 12, "opd.disdikbud", None),
            (("II", "Demografi"), "Bappeda", "perencana.ekonomi", 12, None, ""),
            (("III", "Kinerja Pelaksanaan APBD"), "Bappeda", "perencana.ekonomi", 21, None, ""),
        ]
        for key, agency, writer, due, author, body in plan_of_work:
            section = sections.get(key)
            if section is None:
                continue
            editing.assign(
                section=section,
                agency=agencies.get(agency),
                user=users.get(writer) if writer else None,
                due_date=day0 + dt.timedelta(days=due),
                by=planner,
            )
            if author and author in users:
                text = pendidikan() if body is None else body
                section.refresh_from_db()
                editing.save_section(
                    section_id=section.pk, body=text, base_version=section.version, by=users[author]
                )
        legal = sections.get(("I", "Dasar Hukum Penyusunan"))
        if legal is not None:
            legal.refresh_from_db()
            editing.change_status(section=legal, action="submit", by=planner)
