"""The regional part of the Kutai Kartanegara demo."""

from django.core.management import call_command

from drafts.blocks import LiveBlocks, render_table
from drafts.models import Section
from regional.models import FinanceEntry, RegionalIndicator
from rpjmd.models import Plan


def test_the_demo_has_series_apbd_and_chapters_showing_their_tables(db, client):
    call_command("demo", "--quiet")
    plan = Plan.objects.get(start_year=2021)
    rows = RegionalIndicator.objects.filter(plan=plan)
    years = {int(y) for r in rows for y in [*r.actuals, *r.targets]}
    assert years == {2016, 2017, 2018, 2019}  # nothing dated after the spring of 2020
    assert {r.aspect for r in rows} == {"geografi", "kesejahteraan", "pelayanan_umum", "daya_saing"}
    assert rows.filter(status="submitted").exists()  # a row waiting for review
    assert {e.year for e in FinanceEntry.objects.filter(plan=plan)} == set(range(2015, 2020))

    live = LiveBlocks(plan)
    ipm = live("capaian-kesejahteraan")
    assert "73,78" in render_table(ipm) and "ilustrasi" in ipm.source
    assert "ilustrasi" in live("keuangan-pendapatan").source
    assert live("keuangan-proyeksi-pendapatan").rows

    bodies = {
        (s.chapter.number, s.title): s.body
        for s in Section.objects.filter(chapter__document__plan=plan, version__gt=0).select_related(
            "chapter"
        )
    }
    assert (
        'data-block="capaian-kesejahteraan"'
        in bodies[("II", "Fokus Kesejahteraan dan Pemerataan Ekonomi")]
    )
    assert 'data-block="capaian-urusan"' in bodies[("II", "Urusan Wajib Pelayanan Dasar")]
    assert 'data-block="keuangan-pendapatan"' in bodies[("III", "Kinerja Pelaksanaan APBD")]
    assert 'data-block="keuangan-kerangka-pendanaan"' in bodies[("III", "Kerangka Pendanaan")]
    assert 'data-block="isu-strategis-telaahan"' in bodies[("IV", "Isu Strategis")]

    counts = (RegionalIndicator.history.count(), FinanceEntry.history.count())
    call_command("demo", "--quiet")
    assert (RegionalIndicator.history.count(), FinanceEntry.history.count()) == counts
