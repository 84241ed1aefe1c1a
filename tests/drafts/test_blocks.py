"""Data blocks: the registry, the core's blocks, numbers with a decimal comma."""

import pytest

from drafts import blocks
from drafts.blocks import Cell, LiveBlocks, Table, format_number, kinds_for, register, render_table
from rpjmd.models import District
from rpjmd.reference import read
from tests.factories import make_plan, make_region


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (27263.1, "27.263,1"),
        (729382, "729.382"),
        (73.78, "73,78"),
        (0.342, "0,342"),
        (4097, "4.097"),
        (-1.5, "-1,5"),
        (1000.0, "1.000"),
    ],
)
def test_numbers_use_the_indonesian_decimal_comma(value, shown):
    assert format_number(value) == shown


def test_statistics_tables_are_registered_for_kutai_kartanegara_only(world):
    keys = {k.key for k in kinds_for(world.plan)}  # world.region has the Kukar code 64.02
    assert {"perangkat-daerah", "kecamatan"} <= keys
    statistics = [k for k in keys if k.startswith("statistik-")]
    assert len(statistics) == len(read("kukar_statistik.json")["tabel"])
    elsewhere = {k.key for k in kinds_for(world.other_plan)}
    assert not any(key.startswith("statistik-") for key in elsewhere)
    assert {"perangkat-daerah", "kecamatan"} <= elsewhere


def test_a_statistics_table_with_year_columns_gets_a_merged_year_header(world):
    key = next(
        k.key for k in kinds_for(world.plan) if k.key.startswith("statistik-indikator-kunci")
    )
    table = LiveBlocks(world.plan)(key)
    top, years = table.header
    assert [c.text for c in top] == ["Indikator", "Tahun", "Keterangan"]
    assert top[1].colspan == 4 and top[0].rowspan == 2
    assert [c.text for c in years] == ["2016", "2017", "2018", "2019"]
    html = str(render_table(table, number="Tabel 2.4"))
    assert 'colspan="4"' in html and "73,78" in html and "Tabel 2.4" in html
    assert "–" in html  # unknown values


def test_the_agency_and_district_blocks_read_the_plans_region(world):
    District.objects.create(region=world.region, name="Tenggarong", code="64.02.06")
    District.objects.create(region=world.other_region, name="Kecamatan Lain")
    live = LiveBlocks(world.plan)
    districts = live("kecamatan")
    assert [[blocks.as_cell(c).text for c in row] for row in districts.rows] == [
        ["1", "64.02.06", "Tenggarong"]
    ]
    agencies = live("perangkat-daerah")
    assert {row[2] for row in agencies.rows} == {"Bappeda", "Disdikbud", "Dinkes"}


def test_registering_a_block_takes_a_few_lines(world):
    @register("uji-blok", "Blok uji", group="Uji")
    def build(plan, params=""):
        return Table(
            caption=f"Uji {plan.start_year} {params}",
            header=[[Cell("A", colspan=2)]],
            rows=[[1, 2.5]],
        )

    try:
        assert "uji-blok" in {k.key for k in kinds_for(world.plan)}
        table = LiveBlocks(world.plan)("uji-blok", "urusan=1.01")
        assert table.caption == "Uji 2021 urusan=1.01"
        assert Table.from_dict(table.to_dict()) == Table.from_dict(
            Table.from_dict(table.to_dict()).to_dict()
        )
        assert Table.from_dict(table.to_dict()).rows[0][1].text == "2,5"
    finally:
        blocks.REGISTRY.pop("uji-blok")


def test_an_unknown_block_renders_a_notice_not_an_error(world, client_for, section_a):
    from drafts import editing

    editing.save_section(
        section_id=section_a.pk,
        body='<figure class="data-block" data-block="tidak-ada"></figure>',
        base_version=1,
        by=world.planner,
    )
    page = client_for("planner").get(f"/bagian/{section_a.pk}/")
    assert page.status_code == 200 and "Blok data “tidak-ada” tidak tersedia." in page.text


def test_block_preview_gives_the_editor_the_live_table(world, client_for, document):
    District.objects.create(region=world.region, name="Loa Kulu", code="64.02.02")
    response = client_for("opd").get(f"/rencana/{world.plan.pk}/dokumen/blok/kecamatan/")
    assert 'class="data-block"' in response.text and "Loa Kulu" in response.text
    assert 'contenteditable="false"' in response.text
    assert (
        client_for("opd").get(f"/rencana/{world.plan.pk}/dokumen/blok/tidak-ada/").status_code
        == 404
    )
    other = make_plan(make_region(name="Daerah Lain"))
    assert client_for("opd").get(f"/rencana/{other.pk}/dokumen/blok/kecamatan/").status_code == 404
