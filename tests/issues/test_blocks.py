"""Chapter IV's problem identification table as a data block of the document."""

from drafts.blocks import REGISTRY, render_table
from issues.models import Problem
from tests.issues.factories import affair, make_problem
from tests.xss import XSS_PAYLOADS, assert_no_injection


def test_the_identification_table_is_a_data_block_with_merged_cells(world):
    education = affair("1.01", "Pendidikan")
    health = affair("1.02", "Kesehatan")
    accepted = Problem.Status.ACCEPTED
    first = make_problem(
        world.agency_a,
        status=accepted,
        affair=education,
        statement="Angka putus sekolah tinggi",
        causes=("Jarak sekolah jauh", "Anak ikut bekerja"),
    )
    make_problem(
        world.agency_a,
        status=accepted,
        affair=education,
        statement="Mutu guru belum merata",
        causes=("Pelatihan guru terbatas",),
    )
    make_problem(
        world.agency_b,
        status=accepted,
        affair=health,
        core="Stunting masih tinggi",
        statement="Prevalensi stunting 26,4 persen",
        causes=("Sanitasi buruk",),
    )
    make_problem(
        world.agency_b, status=Problem.Status.SUBMITTED, affair=health, statement="Belum ditinjau"
    )

    table = REGISTRY["permasalahan"].build(world.plan)

    assert [[getattr(c, "text", c) for c in row] for row in table.rows] == [
        [
            "1",
            "1.01 Pendidikan",
            "Belum meratanya akses pendidikan (Disdikbud)",
            "Angka putus sekolah tinggi",
            "Jarak sekolah jauh",
        ],
        ["Anak ikut bekerja"],
        ["Mutu guru belum merata", "Pelatihan guru terbatas"],
        [
            "2",
            "1.02 Kesehatan",
            "Stunting masih tinggi (Dinkes)",
            "Prevalensi stunting 26,4 persen",
            "Sanitasi buruk",
        ],
    ]
    lead = table.rows[0]
    assert (lead[0].rowspan, lead[2].rowspan, lead[3].rowspan) == (3, 3, 2)
    assert "Belum ditinjau" not in str(table.to_dict())
    html = render_table(table, number="Tabel 4.1")
    assert 'rowspan="3"' in html and "Tabel 4.1" in html
    assert first.statement in html


def test_problem_text_in_the_block_is_escaped(world):
    for payload in XSS_PAYLOADS:
        make_problem(
            world.agency_a,
            status=Problem.Status.ACCEPTED,
            statement=payload,
            core=payload[:200],
            causes=(payload,),
        )
    html = render_table(REGISTRY["permasalahan"].build(world.plan))
    assert_no_injection(html, "in the problem identification block")
