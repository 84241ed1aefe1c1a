"""This module's part of the Kutai Kartanegara demo (see rpjmd/demo.py).

The document of the demo plan as Bappeda Kutai Kartanegara had it around the second FGD (April
2020): chapters I–IV written by several people over several versions, statistics tables and data
blocks in chapter II, comments, and the snapshot handed out as FGD material. Everything is made
only where it is missing: a section gets its demo text only while it has never been written, a
section's comments only while it has none, the snapshot only while no snapshot has its name.
"""

from __future__ import annotations

import datetime as dt

from drafts import comments as comment_workflow
from drafts import editing
from drafts.models import Document, Section, SectionShare, Snapshot
from drafts.outline import create_document
from drafts.snapshots import take_snapshot
from rpjmd.models import Agency, Plan, User

SNAPSHOT_NAME = "Bahan FGD II, 1 April 2020"

B = "statistik-"
BLOCK_INDICATORS = B + "indikator-kunci-kutai-kartanegara-periode-20162019-untuk-ske"
BLOCK_AREA = B + "luas-wilayah-dan-pembagian-administrasi-kabupaten-kutai-kart"
BLOCK_POPULATION = B + "jumlah-penduduk-kabupaten-kutai-kartanegara-menurut-tahun"
BLOCK_IPM = B + "indeks-pembangunan-manusia-ipm-kabupaten-kutai-kartanegara-p"
BLOCK_ROADS = B + "panjang-jalan-kabupaten-menurut-kondisi"
BLOCK_APBD = B + "anggaran-pendapatan-dan-belanja-daerah-apbd-kabupaten-kutai"


def block(key: str) -> str:
    return f'<figure class="data-block" data-block="{key}"></figure>'


# Texts that change over versions are built from their paragraphs, as their authors added them.
KP_OPENING = """
<p>Puji syukur kami panjatkan ke hadirat Tuhan Yang Maha Esa, karena atas rahmat-Nya Rancangan
Teknokratik Rencana Pembangunan Jangka Menengah Daerah (RPJMD) Kabupaten Kutai Kartanegara Tahun
2021–2026 dapat diselesaikan.</p>
<p>Rancangan teknokratik ini disusun sebagai bahan bagi kepala daerah terpilih dalam merumuskan visi,
misi dan program pembangunan lima tahun ke depan, sebagaimana diamanatkan Permendagri Nomor 86 Tahun
2017.</p>
"""
KP_PROCESS = """
<p>Penyusunan dilaksanakan melalui empat tahap sejak minggu kedua Maret 2020: FGD identifikasi
permasalahan pembangunan daerah, FGD draf rancangan teknokratik, finalisasi, dan penyampaian. Setiap
perangkat daerah menyampaikan permasalahan dan isu aktual di bidangnya, yang kemudian dibahas bersama
narasumber dari Kementerian PPN/Bappenas.</p>
<p>Kami menyampaikan terima kasih kepada seluruh perangkat daerah di lingkungan Pemerintah Kabupaten
Kutai Kartanegara serta para narasumber atas masukan yang diberikan. Semoga dokumen ini bermanfaat
bagi pembangunan Kutai Kartanegara.</p>
<p class="text-right">Tenggarong, April 2020<br><strong>Kepala Bappeda Kabupaten Kutai Kartanegara</strong><br><br>Wiyono</p>
"""
KATA_PENGANTAR = [
    ("perencana", "Konsep awal kata pengantar", KP_OPENING),
    ("perencana", "Menambahkan proses penyusunan dan ucapan terima kasih", KP_OPENING + KP_PROCESS),
]

LB_MANDATE = """
<p>Rencana Pembangunan Jangka Menengah Daerah (RPJMD) adalah dokumen perencanaan daerah untuk periode
lima tahun yang memuat penjabaran visi, misi dan program kepala daerah. Sesuai Undang-Undang Nomor 25
Tahun 2004 tentang Sistem Perencanaan Pembangunan Nasional dan Undang-Undang Nomor 23 Tahun 2014
tentang Pemerintahan Daerah, RPJMD ditetapkan dengan peraturan daerah paling lambat enam bulan
setelah kepala daerah dilantik.</p>
<p>Agar kepala daerah terpilih dapat segera menyusun RPJMD, Bappeda menyiapkan rancangan teknokratik
yang memuat gambaran umum kondisi daerah, gambaran keuangan daerah, serta permasalahan dan isu
strategis daerah.</p>
"""
LB_PERIOD = """
<p>RPJMD Kabupaten Kutai Kartanegara 2021–2026 merupakan tahapan terakhir pelaksanaan RPJPD 2005–2025
dan sekaligus awal penyelarasan dengan RPJMN 2020–2024. Periode ini ditandai oleh kebutuhan
transformasi ekonomi daerah dari ketergantungan pada pertambangan batu bara serta minyak dan gas
bumi menuju pertanian dalam arti luas, pariwisata dan industri pengolahan, termasuk kesiapan
menghadapi pemindahan Ibu Kota Negara ke sebagian wilayah Kabupaten Kutai Kartanegara.<span class="footnote">Keputusan
Presiden mengenai lokasi Ibu Kota Negara di sebagian wilayah Kabupaten Penajam Paser Utara dan Kabupaten
Kutai Kartanegara diumumkan pada 26 Agustus 2019.</span></p>
"""
LATAR_BELAKANG = [
    ("perencana", "", LB_MANDATE),
    ("perencana", "Menambahkan konteks periode 2021–2026", LB_MANDATE + LB_PERIOD),
]

DASAR_HUKUM = """
<p>Penyusunan Rancangan Teknokratik RPJMD Kabupaten Kutai Kartanegara 2021–2026 berpedoman pada:</p>
<ol>
<li>Undang-Undang Nomor 25 Tahun 2004 tentang Sistem Perencanaan Pembangunan Nasional;</li>
<li>Undang-Undang Nomor 17 Tahun 2007 tentang Rencana Pembangunan Jangka Panjang Nasional Tahun 2005–2025;</li>
<li>Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah sebagaimana telah beberapa kali diubah;</li>
<li>Peraturan Pemerintah Nomor 8 Tahun 2008 tentang Tahapan, Tata Cara Penyusunan, Pengendalian, dan Evaluasi Pelaksanaan Rencana Pembangunan Daerah;</li>
<li>Peraturan Presiden Nomor 18 Tahun 2020 tentang Rencana Pembangunan Jangka Menengah Nasional Tahun 2020–2024;</li>
<li>Peraturan Menteri Dalam Negeri Nomor 86 Tahun 2017 tentang Tata Cara Perencanaan, Pengendalian dan Evaluasi Pembangunan Daerah;</li>
<li>Peraturan Menteri Dalam Negeri Nomor 90 Tahun 2019 tentang Klasifikasi, Kodefikasi, dan Nomenklatur Perencanaan Pembangunan dan Keuangan Daerah;</li>
<li>Peraturan Daerah Kabupaten Kutai Kartanegara tentang RPJPD Kabupaten Kutai Kartanegara Tahun 2005–2025;</li>
<li>Peraturan Daerah Kabupaten Kutai Kartanegara tentang Rencana Tata Ruang Wilayah Kabupaten Kutai Kartanegara.</li>
</ol>
"""

SISTEMATIKA = """
<p>Rancangan teknokratik ini disusun dengan sistematika sebagai berikut:</p>
<ul>
<li><strong>Bab I Pendahuluan</strong>: latar belakang, dasar hukum, hubungan antardokumen, maksud dan tujuan, serta sistematika penulisan.</li>
<li><strong>Bab II Gambaran Umum Kondisi Daerah</strong>: aspek geografi dan demografi, kesejahteraan masyarakat, pelayanan umum, dan daya saing daerah.</li>
<li><strong>Bab III Gambaran Keuangan Daerah</strong>: kinerja dan kebijakan pengelolaan keuangan masa lalu serta kerangka pendanaan.</li>
<li><strong>Bab IV Permasalahan dan Isu Strategis Daerah</strong>: permasalahan pembangunan per urusan dan isu strategis daerah.</li>
<li><strong>Bab V–IX</strong> dilengkapi setelah visi dan misi kepala daerah terpilih ditetapkan.</li>
</ul>
"""

GEOGRAFI_INTRO = f"""
<p>Kabupaten Kutai Kartanegara terletak di Provinsi Kalimantan Timur dengan ibu kota Tenggarong.
Wilayahnya dilalui Sungai Mahakam dan anak-anak sungainya, yang sejak lama menjadi jalur utama
permukiman dan perekonomian masyarakat. Luas dan pembagian administrasi wilayah disajikan pada tabel
berikut.</p>
{block(BLOCK_AREA)}
<p>Wilayah administrasi terdiri atas 20 kecamatan setelah pemekaran Samboja Barat dan Kota Bangun
Darat.</p>
{block("kecamatan")}
"""

KL_AREA = """
<p>Dengan luas daratan sekitar 27.263,1 km², Kutai Kartanegara merupakan salah satu kabupaten terluas
di Kalimantan Timur. Topografi wilayah bervariasi dari dataran rendah dan rawa di sepanjang Sungai
Mahakam dan kawasan pesisir Selat Makassar hingga perbukitan di wilayah pedalaman.</p>
"""
KL_WATER = """
<p>Sungai Mahakam beserta danau-danau di wilayah tengah (Danau Jempang, Semayang dan Melintang)
membentuk sistem hidrologi yang menentukan pola permukiman sekaligus kerawanan banjir tahunan di
kecamatan sepanjang sungai.</p>
"""
KL_TABLE = """
<table><caption>Luas Wilayah dan Jumlah Penduduk Beberapa Kecamatan</caption>
<thead><tr><th rowspan="2">Kecamatan</th><th rowspan="2">Luas (km²)</th><th colspan="2">Jumlah penduduk (jiwa)</th></tr>
<tr><th>SP2010</th><th>SP2020</th></tr></thead>
<tbody>
<tr><td>Samboja</td><td class="text-right">1.045,9</td><td class="text-right">54.515</td><td class="text-right">66.617</td></tr>
<tr><td>Muara Jawa</td><td class="text-right">754,5</td><td class="text-right">33.923</td><td class="text-right">41.561</td></tr>
<tr><td>Sanga-Sanga</td><td class="text-right">233,4</td><td class="text-right">17.588</td><td class="text-right">19.728</td></tr>
<tr><td>Loa Janan</td><td class="text-right">644,2</td><td class="text-right">56.071</td><td class="text-right">67.471</td></tr>
</tbody></table>
"""
KL_GROWTH = """
<p>Kecamatan di wilayah pesisir dan sekitar Kota Samarinda tumbuh paling cepat; Loa Janan misalnya
bertambah lebih dari sebelas ribu jiwa dalam sepuluh tahun.</p>
"""
KARAKTERISTIK = [
    ("perencana", "", KL_AREA + KL_TABLE),
    (
        "perencana",
        "Menambahkan uraian hidrologi dan pertumbuhan penduduk",
        KL_AREA + KL_WATER + KL_TABLE + KL_GROWTH,
    ),
]

DEMOGRAFI = f"""
<p>Hasil Sensus Penduduk 2020 mencatat 729.382 jiwa penduduk Kutai Kartanegara, dengan rasio jenis
kelamin 109,1 laki-laki per 100 perempuan. Penduduk usia produktif mencapai 68,41 persen, sehingga
daerah ini berada dalam masa bonus demografi yang perlu dimanfaatkan melalui peningkatan kualitas
sumber daya manusia dan perluasan lapangan kerja.</p>
{block(BLOCK_POPULATION)}
<p>Capaian indikator aspek geografi dan demografi:</p>
{block("capaian-geografi")}
"""

KESEJAHTERAAN = f"""
<p>Pertumbuhan ekonomi Kutai Kartanegara sangat dipengaruhi harga dan produksi batu bara serta minyak
dan gas bumi. Laju pertumbuhan ekonomi naik dari 2,16 persen pada 2018 menjadi 3,92 persen pada
2019, masih di bawah laju Provinsi Kalimantan Timur.</p>
{block(BLOCK_INDICATORS)}
<p>Indeks Pembangunan Manusia terus meningkat hingga 73,78 pada 2019, namun masih di bawah rata-rata
Kalimantan Timur sebesar 76,61.</p>
{block(BLOCK_IPM)}
<p>Capaian indikator kinerja aspek kesejahteraan masyarakat terhadap target tahunannya:</p>
{block("capaian-kesejahteraan")}
"""

PD_INDICATORS = """
<p>Urusan pendidikan{affair} dilaksanakan oleh Dinas Pendidikan dan Kebudayaan. Capaian
pendidikan tercermin pada komponen IPM: harapan lama sekolah 13,58 tahun dan rata-rata lama sekolah
9,1 tahun pada 2019.</p>
"""
PD_TABLE = """
<table><caption>Komponen Pendidikan dalam IPM Kabupaten Kutai Kartanegara, 2019</caption>
<thead><tr><th>Komponen</th><th>Nilai</th><th>Satuan</th></tr></thead>
<tbody>
<tr><td>Harapan lama sekolah (HLS)</td><td class="text-right">13,58</td><td>tahun</td></tr>
<tr><td>Rata-rata lama sekolah (RLS)</td><td class="text-right">9,10</td><td>tahun</td></tr>
</tbody></table>
"""
PD_CHALLENGE = """
<p>Tantangan utama adalah pemerataan akses dan mutu layanan di kecamatan pedalaman dan hulu Sungai
Mahakam, terutama ketersediaan guru dan sarana sekolah{spm}.</p>
"""
PD_AFFAIR = " (bidang urusan 1.01)"
PD_SPM = " sesuai Standar Pelayanan Minimal (SPM) pendidikan"
PENDIDIKAN = [
    (
        "opd.disdikbud",
        "Draf awal Disdikbud",
        PD_INDICATORS.format(affair="") + PD_CHALLENGE.format(spm=""),
    ),
    (
        "perencana",
        "Penyelarasan istilah dengan SPM",
        PD_INDICATORS.format(affair=PD_AFFAIR) + PD_CHALLENGE.format(spm=PD_SPM),
    ),
    (
        "opd.disdikbud",
        "Menambahkan tabel komponen pendidikan",
        PD_INDICATORS.format(affair=PD_AFFAIR) + PD_TABLE + PD_CHALLENGE.format(spm=PD_SPM),
    ),
    (
        "perencana",
        "Menambahkan tabel capaian kinerja per bidang urusan",
        PD_INDICATORS.format(affair=PD_AFFAIR)
        + PD_TABLE
        + PD_CHALLENGE.format(spm=PD_SPM)
        + block("capaian-urusan"),
    ),
]

JALAN = [
    (
        "opd.dpu",
        "Draf awal DPU",
        f"""
<p>Jalan kabupaten sepanjang 2.191 km menghubungkan 20 kecamatan. Menurut Kukar Dalam Angka 2020,
1.159 km di antaranya dalam kondisi baik dan 316 km rusak berat.</p>
{block(BLOCK_ROADS)}
<p>Keterbatasan anggaran pemeliharaan dan beban angkutan hasil tambang dan perkebunan menyebabkan
penurunan kondisi jalan setiap tahun.</p>
""",
    ),
]

APBD = f"""
<p>APBD Kabupaten Kutai Kartanegara sangat bergantung pada dana bagi hasil sumber daya alam,
sehingga nilainya berfluktuasi mengikuti harga komoditas. R-APBD 2020 disepakati sebesar Rp5,8
triliun.</p>
{block(BLOCK_APBD)}
<p>Realisasi pendapatan dan belanja daerah 2015–2019 serta rata-rata pertumbuhannya:</p>
{block("keuangan-pendapatan")}
{block("keuangan-belanja")}
"""

PROPORSI = f"""
<p>Belanja operasi menyerap bagian terbesar belanja daerah; porsi belanja modal turun tajam
saat dana bagi hasil berkurang pada 2016–2017.</p>
{block("keuangan-proporsi-belanja")}
"""

KERANGKA_PENDANAAN = f"""
<p>Pendapatan daerah 2021–2026 diproyeksikan dari realisasi 2019 dengan rata-rata pertumbuhan
realisasi tiap akun. Kapasitas riil kemampuan keuangan daerah dan kerangka pendanaan disajikan
berikut ini.</p>
{block("keuangan-proyeksi-pendapatan")}
{block("keuangan-kapasitas-riil")}
{block("keuangan-kerangka-pendanaan")}
"""

DAYA_SAING = f"""
<p>Kemampuan ekonomi daerah tercermin pada pengeluaran per kapita yang disesuaikan.</p>
{block("capaian-daya-saing")}
"""

PERMASALAHAN = """
<p>Permasalahan pembangunan daerah dirumuskan dari masukan seluruh perangkat daerah pada FGD
Identifikasi Permasalahan Pembangunan Daerah, 7 Maret 2020 di Balikpapan, dan dari analisis
gambaran umum kondisi daerah pada Bab II. Setiap permasalahan diuraikan menurut bidang urusan:
masalah pokok, masalah, dan akar masalahnya.</p>
<p>Tabel identifikasi permasalahan pembangunan per bidang urusan disajikan berikut ini.</p>
""" + block("permasalahan")

ISU_STRATEGIS = """
<p>Dari permasalahan pembangunan, masukan narasumber Kementerian PPN/Bappenas, dan telaah dokumen
perencanaan nasional dan provinsi, dirumuskan isu strategis daerah sebagai berikut:</p>
<ol>
<li>Ketimpangan akses dan mutu pendidikan;</li>
<li>Tingginya prevalensi stunting dan belum meratanya pelayanan kesehatan;</li>
<li>Kesenjangan infrastruktur antarwilayah;</li>
<li>Tingginya kemiskinan dan pengangguran;</li>
<li>Menurunnya kualitas lingkungan hidup dan risiko banjir;</li>
<li>Lemahnya ketahanan ekonomi lokal karena ketergantungan pada sumber daya alam.</li>
</ol>
<p>Isu strategis ini menjadi dasar perumusan tujuan, sasaran dan arah kebijakan setelah visi dan
misi kepala daerah terpilih ditetapkan. Telaahan terhadap isu lingkungan eksternal, kriteria
penilaian, nilai setiap penilai dan peringkat hasil penilaian berbobot disajikan berikut ini.</p>
""" + "".join(
    block(key)
    for key in (
        "isu-strategis-telaahan",
        "isu-strategis-kriteria",
        "isu-strategis-matriks",
        "isu_strategis",
    )
)

PENUTUP = """
<p>Rancangan Teknokratik RPJMD Kabupaten Kutai Kartanegara Tahun 2021–2026 ini menjadi bahan
penyusunan Rancangan Awal RPJMD setelah visi dan misi Bupati dan Wakil Bupati terpilih
ditetapkan. Perangkat daerah menggunakannya sebagai acuan penyusunan rancangan Renstra.</p>
"""

# (chapter number, section title) → (assigned agency short name or None, due date, versions, status)
CONTENT = {
    ("", "Kata Pengantar"): (None, dt.date(2020, 4, 10), KATA_PENGANTAR, "approved"),
    ("I", "Latar Belakang"): (None, dt.date(2020, 3, 27), LATAR_BELAKANG, "approved"),
    ("I", "Dasar Hukum Penyusunan"): (
        None,
        dt.date(2020, 3, 27),
        [("perencana", "", DASAR_HUKUM)],
        "review",
    ),
    ("I", "Sistematika Penulisan"): (
        None,
        dt.date(2020, 3, 27),
        [("perencana", "", SISTEMATIKA)],
        "draft",
    ),
    ("II", "Aspek Geografi dan Demografi"): (
        None,
        dt.date(2020, 3, 27),
        [("perencana", "", GEOGRAFI_INTRO)],
        "draft",
    ),
    ("II", "Karakteristik Lokasi dan Wilayah"): (
        None,
        dt.date(2020, 3, 27),
        KARAKTERISTIK,
        "review",
    ),
    ("II", "Demografi"): (None, dt.date(2020, 3, 27), [("perencana", "", DEMOGRAFI)], "draft"),
    ("II", "Fokus Kesejahteraan dan Pemerataan Ekonomi"): (
        None,
        dt.date(2020, 3, 31),
        [("perencana", "", KESEJAHTERAAN)],
        "draft",
    ),
    ("II", "Urusan Wajib Pelayanan Dasar"): (
        "Disdikbud",
        dt.date(2020, 3, 27),
        PENDIDIKAN,
        "review",
    ),
    ("II", "Fokus Fasilitas Wilayah/Infrastruktur"): ("DPU", dt.date(2020, 3, 27), JALAN, "draft"),
    ("II", "Fokus Kesejahteraan Sosial"): ("Dinkes", dt.date(2020, 3, 27), [], "not_started"),
    ("III", "Kinerja Pelaksanaan APBD"): (
        None,
        dt.date(2020, 3, 31),
        [("perencana", "", APBD)],
        "draft",
    ),
    ("II", "Fokus Kemampuan Ekonomi Daerah"): (
        None,
        dt.date(2020, 3, 31),
        [("perencana", "", DAYA_SAING)],
        "draft",
    ),
    ("III", "Proporsi Penggunaan Anggaran"): (
        None,
        dt.date(2020, 3, 31),
        [("perencana", "", PROPORSI)],
        "draft",
    ),
    ("III", "Kerangka Pendanaan"): (
        None,
        dt.date(2020, 4, 3),
        [("perencana", "", KERANGKA_PENDANAAN)],
        "draft",
    ),
    ("IX", "Penutup"): (None, dt.date(2020, 4, 10), [("perencana", "", PENUTUP)], "draft"),
    ("IV", "Permasalahan Pembangunan"): (
        None,
        dt.date(2020, 4, 3),
        [("perencana", "", PERMASALAHAN)],
        "draft",
    ),
    ("IV", "Isu Strategis"): (
        None,
        dt.date(2020, 4, 3),
        [("perencana", "", ISU_STRATEGIS)],
        "review",
    ),
}

COMMENTS = {
    ("I", "Latar Belakang"): [
        (
            "wiyono",
            "Mohon ditambahkan kaitan dengan rencana pemindahan Ibu Kota Negara.",
            "transformasi ekonomi daerah",
            None,
        ),
        ("perencana", "Sudah ditambahkan pada paragraf ketiga beserta catatan kakinya.", "", 0),
    ],
    ("II", "Urusan Wajib Pelayanan Dasar"): [
        (
            "perencana",
            "@opd.disdikbud mohon tambahkan angka partisipasi sekolah per jenjang bila datanya sudah ada.",
            "ketersediaan guru dan sarana sekolah",
            None,
        ),
    ],
    ("IV", "Isu Strategis"): [
        (
            "sumedi",
            "Isu ketergantungan pada sumber daya alam sebaiknya dikaitkan dengan peluang ekonomi dari "
            "pemindahan Ibu Kota Negara dan hilirisasi pertanian.",
            "Lemahnya ketahanan ekonomi lokal karena ketergantungan pada sumber daya alam",
            None,
        ),
    ],
}

SHARED_WITH_RESOURCE_PERSONS = [("IV", "Isu Strategis"), ("IV", "Permasalahan Pembangunan")]


def load(plan: Plan) -> None:
    """Create this module's demo data for the plan, only where it is missing."""
    users = {u.username: u for u in User.objects.filter(region_id=plan.region_id)}
    planner = users.get("perencana")
    if planner is None:
        return
    document = Document.objects.filter(plan=plan).first() or create_document(plan=plan, by=planner)
    if document.cover_date is None and document.reference_date is None:
        # Kutai Kartanegara handed its rancangan teknokratik in in April 2020, on data up to
        # the end of March; the FGD of 7 March and the scoring matrix are its lampiran.
        from drafts.appendices import choices

        document.kind = Document.Kind.TECHNOCRATIC
        document.cover_date = dt.date(2020, 4, 1)
        document.reference_date = dt.date(2020, 3, 31)
        keys = [key for key, _label in choices(plan)]
        recorded = next((k for k in keys if k.endswith(":berita-acara")), None)
        meeting = recorded.rsplit(":", 1)[0] + ":" if recorded else None
        document.appendices = [
            k for k in keys if (meeting and k.startswith(meeting)) or k == "isu:matriks"
        ]
        document.save()
    agencies = {a.short_name: a for a in Agency.objects.filter(region_id=plan.region_id)}
    sections = {
        (s.chapter.number, s.title): s
        for s in Section.objects.filter(chapter__document=document).select_related("chapter")
    }
    for key, (agency, due, versions, status) in CONTENT.items():
        section = sections.get(key)
        if section is None or section.version > 0:
            continue  # removed, or already written by someone: leave it alone
        if section.history.count() == 1:  # untouched since the outline created it
            editing.assign(
                section=section,
                agency=agencies.get(agency) if agency else agencies.get("Bappeda"),
                user=None if agency else planner,
                due_date=due,
                by=planner,
            )
        for username, note, body in versions:
            author = users[username]
            section.refresh_from_db()
            editing.save_section(
                section_id=section.pk, body=body, base_version=section.version, by=author, note=note
            )
        section.refresh_from_db()
        for action in _path_to(status, section.status):
            editing.change_status(section=section, action=action, by=planner)
            section.refresh_from_db()
    for key in SHARED_WITH_RESOURCE_PERSONS:
        section = sections.get(key)
        if section is not None and "sumedi" in users:
            SectionShare.objects.get_or_create(
                section=section, user=users["sumedi"], defaults={"shared_by": planner}
            )
    for key, thread in COMMENTS.items():
        section = sections.get(key)
        if section is None or section.comments.exists():
            continue
        posted = []
        for username, body, quote, reply_to in thread:
            section.refresh_from_db()
            text = comment_workflow.text_of(section.body)
            anchor = comment_workflow.locate(text, quote) if quote else None
            prefix = text[max(0, anchor.start - 40) : anchor.start] if anchor else ""
            suffix = text[anchor.end : anchor.end + 40] if anchor else ""
            comment, _unreachable = comment_workflow.add_comment(
                section=section,
                by=users[username],
                body=body,
                quote=quote if anchor else "",
                prefix=prefix,
                suffix=suffix,
                parent=posted[reply_to] if reply_to is not None else None,
            )
            posted.append(comment)
    if not Snapshot.objects.filter(document=document, name=SNAPSHOT_NAME).exists():
        take_snapshot(document=document, name=SNAPSHOT_NAME, by=planner)


def _path_to(target: str, current: str) -> list[str]:
    if current == target or current == "not_started":
        return []
    if target == "review":
        return ["submit"]
    if target == "approved":
        return ["approve"]
    return []
