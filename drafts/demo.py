"""This module's part of the Kutai Kartanegara demo (see rpjmd/demo.py).

The document of the demo plan as Bappeda Kutai Kartanegara had it around the second FGD (April
2020): chapters I–IV written by several people over several versions, statistics tables and data
blocks in chapter II, comments, and the snapshot handed out as FGD material. Everything is made
only where it is missing: a section gets its demo text only while it has never been written, a
section's comments only while it has none, the snapshot only while no snapshot has its name.
"""

from __future__ import annotations

import datetime as dt

from drafts import appendices, editing
from drafts import comments as comment_workflow
from drafts.models import Document, Section, SectionShare, Snapshot
from drafts.outline import create_document
from drafts.snapshots import take_snapshot
from rpjmd.models import Agency, Plan, User
from rpjmd.reference import read

SNAPSHOT_NAME = "Bahan FGD II, 1 April 2020"

# The demo is a document of March–April 2020: its tables are written in the text with the figures
# Bappeda had then and official sources. The "statistik-…" blocks of kukar_statistik.json are
# not used here: they carry later years and the web pages the figures were collected from.


def block(key: str) -> str:
    return f'<figure class="data-block" data-block="{key}"></figure>'


def table(caption: str, header: list[str], rows: list[list], source: str) -> str:
    """A table as an author types it, with its source line under it."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="text-right">{c}</td>' if n else f"<td>{c}</td>" for n, c in enumerate(r)
        )
        + "</tr>"
        for r in rows
    )
    return (
        f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>\n<p><em>Sumber: {source}</em></p>"
    )


def _districts_table() -> str:

    data = next(
        t for t in read("kukar_statistik.json")["tabel"] if t["judul"].startswith("Jumlah Desa")
    )
    rows = sorted(data["baris"], key=lambda r: (r[0] is None, r[0] or ""))
    return table(
        "Jumlah Kelurahan dan Desa menurut Kecamatan, 2019",
        ["Kode", "Kecamatan", "Kelurahan", "Desa", "Jumlah"],
        [[r[0] or "", r[1], r[2], r[3], r[4]] for r in rows],
        "Kementerian Dalam Negeri; BPS Kabupaten Kutai Kartanegara, Kutai Kartanegara Dalam "
        "Angka 2020",
    )


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
{
    table(
        "Luas Wilayah dan Pembagian Administrasi Kabupaten Kutai Kartanegara, 2019",
        ["Uraian", "Nilai"],
        [
            ["Luas daratan (km²)", "27.263,10"],
            ["Luas perairan (km²)", "4.097,00"],
            ["Jumlah kecamatan", "18"],
            ["Jumlah kelurahan", "44"],
            ["Jumlah desa", "193"],
        ],
        "BPS Kabupaten Kutai Kartanegara, Kutai Kartanegara Dalam Angka 2020",
    )
}
<p>Wilayah administrasi terdiri atas 18 kecamatan dengan 44 kelurahan dan 193 desa.</p>
{_districts_table()}
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
<thead><tr><th>Kecamatan</th><th>Luas (km²)</th><th>Penduduk SP2010 (jiwa)</th><th>Kepadatan 2010 (jiwa/km²)</th></tr></thead>
<tbody>
<tr><td>Samboja</td><td class="text-right">1.045,9</td><td class="text-right">54.515</td><td class="text-right">52</td></tr>
<tr><td>Muara Jawa</td><td class="text-right">754,5</td><td class="text-right">33.923</td><td class="text-right">45</td></tr>
<tr><td>Sanga-Sanga</td><td class="text-right">233,4</td><td class="text-right">17.588</td><td class="text-right">75</td></tr>
<tr><td>Loa Janan</td><td class="text-right">644,2</td><td class="text-right">56.071</td><td class="text-right">87</td></tr>
</tbody></table>
<p><em>Sumber: BPS Kabupaten Kutai Kartanegara, Sensus Penduduk 2010 dan Kutai Kartanegara Dalam
Angka 2020 (kepadatan dihitung Bappeda)</em></p>
"""
KL_GROWTH = """
<p>Kecamatan di wilayah pesisir dan di sekitar Kota Samarinda, seperti Loa Janan dan Samboja,
paling padat dan tumbuh paling cepat, sedangkan kecamatan di hulu Mahakam seperti Tabang berpenduduk
jarang dengan jarak antardesa yang jauh.</p>
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
<p>Survei Penduduk Antar Sensus (SUPAS) 2015 mencatat 716.319 jiwa penduduk Kutai Kartanegara,
naik dari 626.286 jiwa pada Sensus Penduduk 2010. Lebih dari dua pertiga penduduk berusia produktif,
sehingga daerah ini berada dalam masa bonus demografi yang perlu dimanfaatkan melalui peningkatan
kualitas sumber daya manusia dan perluasan lapangan kerja. Sensus Penduduk 2020 sedang berlangsung;
hasilnya akan dipakai pada penyempurnaan rancangan ini.</p>
{
    table(
        "Jumlah Penduduk Kabupaten Kutai Kartanegara, 2010–2019",
        ["Tahun", "Jumlah penduduk (jiwa)", "Jenis data"],
        [
            ["2010", "626.286", "Sensus Penduduk 2010"],
            ["2015", "716.319", "SUPAS 2015"],
            ["2019", "735.000", "Proyeksi (angka ilustrasi)"],
        ],
        "BPS Kabupaten Kutai Kartanegara, Kutai Kartanegara Dalam Angka 2020; angka 2019: ilustrasi",
    )
}
<p>Capaian indikator aspek geografi dan demografi:</p>
{block("capaian-geografi")}
"""

KESEJAHTERAAN = f"""
<p>Pertumbuhan ekonomi Kutai Kartanegara sangat dipengaruhi harga dan produksi batu bara serta minyak
dan gas bumi. Laju pertumbuhan ekonomi naik dari 2,16 persen pada 2018 menjadi 3,92 persen pada
2019, masih di bawah laju Provinsi Kalimantan Timur.</p>
{
    table(
        "Indikator Kunci Kabupaten Kutai Kartanegara, 2016–2019",
        ["Indikator", "2016", "2017", "2018", "2019"],
        [
            ["Laju pertumbuhan ekonomi Kutai Kartanegara (%)", "–", "–", "2,16", "3,92"],
            ["Laju pertumbuhan ekonomi Kalimantan Timur (%)", "–", "3,13", "2,67", "4,77"],
            ["Persentase penduduk miskin Kutai Kartanegara (%)", "7,63", "–", "–", "–"],
            ["Persentase penduduk miskin Kalimantan Timur (%)", "6,11", "–", "–", "5,94"],
            ["Tingkat pengangguran terbuka Kalimantan Timur (%)", "7,95", "–", "6,60", "6,09"],
        ],
        "BPS Kabupaten Kutai Kartanegara, Kutai Kartanegara Dalam Angka 2020; BPS Provinsi "
        "Kalimantan Timur",
    )
}
<p>Indeks Pembangunan Manusia terus meningkat hingga 73,78 pada 2019, namun masih di bawah rata-rata
Kalimantan Timur sebesar 76,61.</p>
{
    table(
        "Indeks Pembangunan Manusia Kutai Kartanegara, Kalimantan Timur dan Indonesia, 2017–2019",
        ["Wilayah", "2017", "2018", "2019"],
        [
            ["Kutai Kartanegara", "72,75", "73,15", "73,78"],
            ["Kalimantan Timur", "75,12", "75,83", "76,61"],
            ["Indonesia", "70,81", "71,39", "71,92"],
        ],
        "BPS Kabupaten Kutai Kartanegara; BPS Provinsi Kalimantan Timur (rilis IPM 2019, 17 Februari "
        "2020)",
    )
}
<p>Capaian indikator kinerja aspek kesejahteraan masyarakat terhadap target tahunannya:</p>
{block("capaian-kesejahteraan")}
<p>Arah perkembangan tiap indikator kesejahteraan dalam empat tahun terakhir:</p>
{block("grafik-tren-kesejahteraan")}
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
<p><em>Sumber: BPS Kabupaten Kutai Kartanegara, Kutai Kartanegara Dalam Angka 2020</em></p>
"""
PD_CHALLENGE = """
<p>Tantangan utama adalah pemerataan akses dan mutu layanan di kecamatan pedalaman dan hulu Sungai
Mahakam, terutama ketersediaan guru dan sarana sekolah{spm}.</p>
"""
PD_AFFAIR = " (bidang urusan 1.01)"
PD_SPM = " sesuai Standar Pelayanan Minimal (SPM) pendidikan"
# A table is read, not left alone at the end of a sub-bab (and an author's cursor lands after it).
PD_AFTER_TABLE = """
<p>Capaian indikator pada tabel di atas menjadi dasar perumusan permasalahan pembangunan urusan
pendidikan pada Bab IV.</p>
"""

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
        + block("capaian-urusan")
        + PD_AFTER_TABLE,
    ),
]

JALAN = [
    (
        "opd.dpu",
        "Draf awal DPU",
        f"""
<p>Jalan kabupaten sepanjang 2.191 km menghubungkan 18 kecamatan. Menurut Kutai Kartanegara Dalam
Angka 2020, 1.159 km di antaranya dalam kondisi baik dan 316 km rusak berat.</p>
{
            table(
                "Panjang Jalan Kabupaten menurut Kondisi, 2019 (km)",
                ["Kondisi", "Panjang (km)"],
                [
                    ["Baik", "1.159"],
                    ["Sedang", "306"],
                    ["Rusak", "410"],
                    ["Rusak berat", "316"],
                    ["Jumlah", "2.191"],
                ],
                "BPS Kabupaten Kutai Kartanegara, Kutai Kartanegara Dalam Angka 2020",
            )
        }
<p>Keterbatasan anggaran pemeliharaan dan beban angkutan hasil tambang dan perkebunan menyebabkan
penurunan kondisi jalan setiap tahun.</p>
""",
    ),
]

APBD = f"""
<p>APBD Kabupaten Kutai Kartanegara sangat bergantung pada dana bagi hasil sumber daya alam,
sehingga nilainya berfluktuasi mengikuti harga komoditas. APBD 2020 disepakati bersama DPRD sebesar
Rp5,8 triliun, naik dari nota keuangan rancangan APBD sebesar Rp4,14 triliun setelah tambahan
bantuan keuangan provinsi dan dana alokasi umum.</p>
<p>Realisasi pendapatan dan belanja daerah 2015–2019 serta rata-rata pertumbuhannya:</p>
{block("keuangan-pendapatan")}
{block("keuangan-belanja")}
<p>Dana transfer tetap menjadi tumpuan pendapatan daerah, sedangkan pendapatan asli daerah
belum banyak bergeser:</p>
{block("grafik-komposisi-pendapatan")}
"""

PROPORSI = f"""
<p>Belanja operasi menyerap bagian terbesar belanja daerah; porsi belanja modal turun tajam
saat dana bagi hasil berkurang pada 2016–2017. Belanja pegawai dan belanja wajib lainnya relatif
tetap, sehingga penurunan pendapatan langsung mengurangi belanja untuk pelayanan publik dan
infrastruktur.</p>
{block("keuangan-proporsi-belanja")}
{block("grafik-komposisi-belanja")}
"""

KERANGKA_PENDANAAN = f"""
<p>Pendapatan daerah 2021–2026 diproyeksikan dari realisasi 2019 dengan rata-rata pertumbuhan
realisasi tiap akun, lalu dikurangi belanja dan pengeluaran pembiayaan yang wajib dan mengikat. Kapasitas riil kemampuan keuangan daerah dan kerangka pendanaan disajikan
berikut ini.</p>
{block("keuangan-proyeksi-pendapatan")}
{block("keuangan-kapasitas-riil")}
{block("keuangan-kerangka-pendanaan")}
"""

DAYA_SAING = f"""
<p>Kemampuan ekonomi daerah tercermin pada pengeluaran per kapita yang disesuaikan, yang naik
menjadi Rp11,15 juta per tahun pada 2019 tetapi masih di bawah rata-rata Kalimantan Timur. Daya beli
masyarakat di kecamatan pedalaman tertekan oleh mahalnya biaya angkut barang kebutuhan pokok.</p>
{block("capaian-daya-saing")}
"""

PERMASALAHAN = (
    """
<p>Permasalahan pembangunan daerah dirumuskan dari masukan seluruh perangkat daerah pada FGD
Identifikasi Permasalahan Pembangunan Daerah, 7 Maret 2020 di Balikpapan, dan dari analisis
gambaran umum kondisi daerah pada Bab II. Setiap permasalahan diuraikan menurut bidang urusan:
masalah pokok, masalah, dan akar masalahnya.</p>
<p>Tabel identifikasi permasalahan pembangunan per bidang urusan disajikan berikut ini.</p>
"""
    + block("permasalahan")
    + """
<p>Evaluasi capaian indikator RPJMD Kabupaten Kutai Kartanegara 2016–2021 sampai tahun 2019 menjadi
titik tolak:
indikator yang targetnya tidak tercapai, seperti angka partisipasi murni SMP, prevalensi balita
stunting dan kondisi jalan kabupaten, dirujuk oleh permasalahan pada bidang urusannya.</p>
"""
    + block("evaluasi-rpjmd-lalu")
    + """
<p>Di samping permasalahan, perangkat daerah dan narasumber FGD mencatat potensi daerah, yaitu
kekuatan dan peluang yang dapat dimanfaatkan untuk menjawab permasalahan tersebut, antara lain
lahan pertanian pangan dan perkebunan yang luas serta perikanan di sepanjang Sungai Mahakam.
Potensi dan permasalahan per bidang urusan disajikan berikut ini.</p>
"""
    + block("potensi_permasalahan")
)

ISU_STRATEGIS = """
<p>Dari permasalahan pembangunan, masukan narasumber Kementerian PPN/Bappenas, dan telaah RPJMN
2020–2024, RPJMD Provinsi Kalimantan Timur, RTRW Kabupaten Kutai Kartanegara serta KLHS RPJMD,
dirumuskan isu strategis daerah sebagai berikut:</p>
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
        "grafik-peringkat-isu",
        "isu_strategis",
    )
)

PENUTUP = """
<p>Rancangan Teknokratik RPJMD Kabupaten Kutai Kartanegara Tahun 2021–2026 ini menjadi bahan
penyusunan Rancangan Awal RPJMD setelah visi dan misi Bupati dan Wakil Bupati terpilih
ditetapkan. Perangkat daerah menggunakannya sebagai acuan penyusunan rancangan Renstra.</p>
"""

HUBUNGAN = """
<p>Rancangan teknokratik RPJMD Kabupaten Kutai Kartanegara 2021–2026 disusun dengan berpedoman pada
RPJPD Kabupaten Kutai Kartanegara 2005–2025 dan memperhatikan RPJMN 2020–2024 serta RPJMD Provinsi
Kalimantan Timur 2019–2023, agar sasaran pembangunan kabupaten sejalan dengan prioritas nasional
dan provinsi.</p>
<p>Struktur ruang dan pola ruang dalam Rencana Tata Ruang Wilayah (RTRW) Kabupaten Kutai Kartanegara
menjadi acuan lokasi program, sedangkan Kajian Lingkungan Hidup Strategis (KLHS) RPJMD memastikan
prinsip pembangunan berkelanjutan terintegrasi dalam isu strategis dan arah kebijakan. RPJMD
selanjutnya dijabarkan dalam Rencana Strategis Perangkat Daerah dan dilaksanakan setiap tahun
melalui Rencana Kerja Pemerintah Daerah (RKPD).</p>
"""

MAKSUD_TUJUAN = """
<p>Maksud penyusunan rancangan teknokratik ini adalah menyediakan bahan perencanaan yang obyektif
dan terukur bagi kepala daerah terpilih dalam merumuskan RPJMD Kabupaten Kutai Kartanegara
2021–2026.</p>
<p>Tujuannya adalah:</p>
<ol>
<li>menggambarkan kondisi umum daerah dan capaian pembangunan sampai tahun 2019;</li>
<li>menggambarkan kemampuan keuangan daerah dan kerangka pendanaan lima tahun;</li>
<li>merumuskan permasalahan pembangunan dan isu strategis daerah sebagai dasar perumusan tujuan,
sasaran, strategi dan arah kebijakan.</li>
</ol>
"""

POTENSI = """
<p>Rencana Tata Ruang Wilayah Kabupaten Kutai Kartanegara menetapkan kawasan peruntukan pertanian
dan perkebunan di wilayah tengah dan hulu Mahakam, kawasan perikanan di sekitar danau dan pesisir
Selat Makassar, serta kawasan peruntukan industri di Kecamatan Muara Badak, Samboja dan Tenggarong
Seberang.</p>
<p>Kawasan strategis kabupaten meliputi kawasan perkotaan Tenggarong sebagai pusat pemerintahan dan
pariwisata budaya, kawasan agropolitan Tenggarong Seberang, serta wilayah selatan yang berbatasan
dengan rencana lokasi Ibu Kota Negara, yang memerlukan pengendalian pemanfaatan ruang sejak
dini.</p>
"""

RAWAN_BENCANA = """
<p>Kecamatan di sepanjang Sungai Mahakam dan kawasan danau, yaitu Muara Muntai, Kota Bangun, Kenohan,
Muara Wis dan Sebulu, merupakan kawasan rawan banjir tahunan. Kawasan bekas tambang di Tenggarong
Seberang, Loa Kulu, Loa Janan dan Sanga-Sanga rawan longsor dan genangan, sedangkan lahan gambut di
wilayah tengah rawan kebakaran hutan dan lahan pada musim kemarau.</p>
<p>Sebaran kawasan rawan bencana mengacu pada kajian risiko bencana BPBD Kabupaten Kutai Kartanegara
dan peta rawan bencana dalam RTRW; KLHS RPJMD memuat daya dukung dan daya tampung lingkungan hidup
yang dipakai dalam perumusan isu lingkungan hidup pada Bab IV.</p>
"""

KESEJAHTERAAN_INTRO = """
<p>Aspek kesejahteraan masyarakat diuraikan melalui tiga fokus: kesejahteraan dan pemerataan
ekonomi, kesejahteraan sosial, serta seni budaya dan olahraga. Data utama bersumber dari BPS
Kabupaten Kutai Kartanegara, Kutai Kartanegara Dalam Angka 2020, dan LKPJ Bupati Kutai Kartanegara
Tahun 2019.</p>
"""

KESEJAHTERAAN_SOSIAL = """
<p>Kesejahteraan sosial tercermin pada komponen Indeks Pembangunan Manusia. Pada 2019 umur harapan
hidup penduduk Kutai Kartanegara mencapai 72,21 tahun, harapan lama sekolah 13,58 tahun, rata-rata
lama sekolah 9,10 tahun, dan pengeluaran per kapita disesuaikan Rp11,15 juta per tahun.</p>
<p>Tantangan kesehatan terbesar adalah stunting pada balita dan pemerataan tenaga kesehatan di
puskesmas kecamatan terpencil. Rekapitulasi e-PPGBM Dinas Kesehatan menunjukkan prevalensi stunting
sekitar 26,4 persen pada 2019 (angka ilustrasi), masih jauh di atas sasaran nasional 14 persen pada
RPJMN 2020–2024.</p>
"""

SENI_BUDAYA = """
<p>Kutai Kartanegara memiliki warisan budaya Kesultanan Kutai Kartanegara ing Martadipura, dengan
Museum Mulawarman dan upacara adat Erau di Tenggarong sebagai daya tarik utama. Sebagian situs dan
benda cagar budaya belum terdata lengkap, dan sarana olahraga di kecamatan masih terbatas di luar
kompleks stadion di Tenggarong.</p>
<p>Jumlah kelompok kesenian yang aktif dan gelanggang olahraga kecamatan akan dimutakhirkan dari
data Dinas Pendidikan dan Kebudayaan serta Dinas Pemuda dan Olahraga pada penyempurnaan rancangan
ini.</p>
"""

PELAYANAN_INTRO = """
<p>Aspek pelayanan umum menguraikan capaian kinerja penyelenggaraan urusan pemerintahan daerah
menurut klasifikasi Permendagri Nomor 90 Tahun 2019: urusan wajib pelayanan dasar, urusan wajib
non pelayanan dasar, urusan pilihan, dan fungsi penunjang urusan. Capaian diukur terhadap target
tahunan RPJMD 2016–2021 sebagaimana dilaporkan dalam LKPJ Bupati Tahun 2019.</p>
"""

NON_PELAYANAN_DASAR = """
<p>Urusan wajib non pelayanan dasar meliputi antara lain lingkungan hidup, pemberdayaan masyarakat
dan desa, perhubungan, komunikasi dan informatika, serta koperasi dan usaha kecil. Di bidang
lingkungan hidup, pengawasan reklamasi lubang bekas tambang dan pengelolaan sampah perkotaan menjadi
perhatian utama; di bidang pemberdayaan desa, seluruh 193 desa telah menyusun RPJMDes dan
mengelola dana desa.</p>
<p>Capaian kinerja per bidang urusan yang telah diterima Bappeda disajikan pada tabel capaian kinerja
per bidang urusan pada subbab 2.3.1.</p>
"""

PILIHAN = """
<p>Urusan pilihan yang menonjol adalah pertanian, kelautan dan perikanan, pariwisata, serta
perdagangan dan perindustrian. Sektor pertanian dalam arti luas menyerap tenaga kerja terbesar di
luar pertambangan, sedangkan pariwisata budaya di Tenggarong dan wisata danau di wilayah tengah
berpotensi menjadi sumber pertumbuhan baru.</p>
<p>Pengembangan industri pengolahan hasil perkebunan dan perikanan belum didukung kawasan industri
yang siap, sebagaimana diuraikan pada permasalahan pembangunan di Bab IV.</p>
"""

PENUNJANG = """
<p>Fungsi penunjang urusan meliputi perencanaan, keuangan, kepegawaian, penelitian dan pengembangan,
serta pengawasan. Laporan keuangan Pemerintah Kabupaten Kutai Kartanegara Tahun 2018 memperoleh
opini Wajar Tanpa Pengecualian dari BPK, dan penerapan sistem informasi perencanaan dan penganggaran
terintegrasi terus diperluas ke seluruh perangkat daerah.</p>
"""

DAYA_SAING_INTRO = """
<p>Aspek daya saing daerah diuraikan melalui kemampuan ekonomi daerah, fasilitas wilayah dan
infrastruktur, iklim berinvestasi, serta sumber daya manusia. Daya saing Kutai Kartanegara
ditentukan oleh kemampuannya mengurangi ketergantungan pada pertambangan dan menyiapkan wilayah
serta tenaga kerja bagi sektor pertanian, industri pengolahan dan pariwisata.</p>
"""

IKLIM_INVESTASI = """
<p>Kondisi keamanan dan ketertiban di Kutai Kartanegara relatif kondusif. Pelayanan perizinan telah
dipusatkan di Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu dan terhubung dengan sistem
Online Single Submission. Kepastian lahan di kawasan tumpang tindih izin tambang dan perkebunan
masih menjadi hambatan utama investasi.</p>
"""

SDM = """
<p>Rata-rata lama sekolah penduduk usia 25 tahun ke atas 9,10 tahun pada 2019, setara tamat SMP,
sehingga sebagian besar tenaga kerja lokal belum memiliki keterampilan yang dibutuhkan industri
pengolahan. Tingkat pengangguran terbuka Kalimantan Timur turun dari 6,60 persen pada 2018 menjadi
6,09 persen pada 2019, seiring pulihnya kegiatan pertambangan dan konstruksi.</p>
"""

KEUANGAN_INTRO = """
<p>Kinerja keuangan masa lalu dianalisis dari realisasi APBD Tahun Anggaran 2015–2019 dan neraca
daerah, bersumber dari Laporan Keuangan Pemerintah Daerah yang telah diaudit BPK serta LKPJ Bupati
Tahun 2019.</p>
"""

NERACA = """
<p>Neraca daerah menunjukkan posisi aset, kewajiban dan ekuitas Pemerintah Kabupaten Kutai
Kartanegara. Aset tetap berupa jalan, irigasi dan jaringan serta gedung dan bangunan merupakan
bagian terbesar aset daerah. Rasio likuiditas dan solvabilitas akan dihitung dari neraca LKPD
Tahun 2019 setelah laporan hasil pemeriksaan BPK terbit.</p>
"""

KEBIJAKAN_INTRO = """
<p>Kebijakan pengelolaan keuangan masa lalu dinilai dari proporsi penggunaan anggaran dan analisis
pembiayaan daerah, untuk melihat ruang fiskal yang tersedia bagi program pembangunan. Fluktuasi dana
bagi hasil sumber daya alam menuntut kebijakan belanja yang lebih hati-hati dan peningkatan
pendapatan asli daerah.</p>
"""

PEMBIAYAAN = """
<p>Pembiayaan daerah Kutai Kartanegara terutama bersumber dari sisa lebih perhitungan anggaran
(SiLPA) tahun sebelumnya. Penurunan dana bagi hasil sumber daya alam pada 2016–2017 membuat SiLPA
terpakai untuk menutup defisit, sehingga belanja modal turun tajam. Pemerintah daerah tidak memiliki
pinjaman daerah sampai akhir 2019.</p>
"""


# (chapter number, section title) → (assigned agency short name or None, due date, versions, status)
def _planner(text: str, status: str = "draft", due=dt.date(2020, 3, 31)):
    return (None, due, [("perencana", "", text)], status)


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
    ("II", "Fokus Kesejahteraan Sosial"): (
        "Dinkes",
        dt.date(2020, 3, 27),
        [("opd.dinkes", "Draf awal Dinkes", KESEJAHTERAAN_SOSIAL)],
        "draft",
    ),
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
    ("I", "Hubungan Antar Dokumen"): _planner(HUBUNGAN, "review", dt.date(2020, 3, 27)),
    ("I", "Maksud dan Tujuan"): _planner(MAKSUD_TUJUAN, "review", dt.date(2020, 3, 27)),
    ("II", "Potensi Pengembangan Wilayah"): _planner(POTENSI),
    ("II", "Wilayah Rawan Bencana"): _planner(RAWAN_BENCANA),
    ("II", "Aspek Kesejahteraan Masyarakat"): _planner(KESEJAHTERAAN_INTRO),
    ("II", "Fokus Seni Budaya dan Olahraga"): _planner(SENI_BUDAYA),
    ("II", "Aspek Pelayanan Umum"): _planner(PELAYANAN_INTRO),
    ("II", "Urusan Wajib Non Pelayanan Dasar"): _planner(NON_PELAYANAN_DASAR),
    ("II", "Urusan Pilihan"): _planner(PILIHAN),
    ("II", "Fungsi Penunjang Urusan"): _planner(PENUNJANG),
    ("II", "Aspek Daya Saing Daerah"): _planner(DAYA_SAING_INTRO),
    ("II", "Fokus Iklim Berinvestasi"): _planner(IKLIM_INVESTASI),
    ("II", "Fokus Sumber Daya Manusia"): _planner(SDM),
    ("III", "Kinerja Keuangan Masa Lalu"): _planner(KEUANGAN_INTRO),
    ("III", "Neraca Daerah"): _planner(NERACA),
    ("III", "Kebijakan Pengelolaan Keuangan Masa Lalu"): _planner(KEBIJAKAN_INTRO),
    ("III", "Analisis Pembiayaan"): _planner(PEMBIAYAAN),
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
        document.kind = Document.Kind.TECHNOCRATIC
        document.cover_date = dt.date(2020, 4, 1)
        document.reference_date = dt.date(2020, 3, 31)
        keys = [key for key, _label in appendices.choices(plan)]
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
        snapshot = take_snapshot(document=document, name=SNAPSHOT_NAME, by=planner)
        # Taken for the FGD II of April 2020, as its name says (not on the day of loading).
        taken = dt.datetime(2020, 4, 1, 9, 0, tzinfo=plan.region.zone)
        Snapshot.objects.filter(pk=snapshot.pk).update(created_at=taken)


def _path_to(target: str, current: str) -> list[str]:
    if current == target or current == "not_started":
        return []
    if target == "review":
        return ["submit"]
    if target == "approved":
        return ["approve"]
    return []
