"""Chapter IV's problem identification table as a data block of the document."""

import re

from drafts import editing
from drafts.blocks import REGISTRY, cite, render_table
from drafts.completeness import check_document
from drafts.export import assemble
from issues.models import Problem
from tests.drafts.factories import make_section
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
            "1.1 Angka putus sekolah tinggi",
            "Jarak sekolah jauh",
        ],
        ["Anak ikut bekerja"],
        ["1.2 Mutu guru belum merata", "Pelatihan guru terbatas"],
        [
            "2",
            "1.02 Kesehatan",
            "Stunting masih tinggi (Dinkes)",
            "2.1 Prevalensi stunting 26,4 persen",
            "Sanitasi buruk",
        ],
    ]
    lead = table.rows[0]
    assert (lead[0].rowspan, lead[2].rowspan, lead[3].rowspan) == (3, 3, 2)
    assert "Belum ditinjau" not in str(table.to_dict())
    html = render_table(table, number="Tabel 4.1")
    assert 'rowspan="3"' in html and "Tabel 4.1" in html
    assert first.statement in html


def test_the_ranking_cites_the_identification_tables_row_numbers(world):
    from issues.strategic import workflow as strategic
    from tests.issues.strategic_factories import (
        make_criteria,
        make_issue,
        make_rater,
        open_results,
        score_all,
    )

    education = affair("1.01", "Pendidikan")
    health = affair("1.02", "Kesehatan")
    accepted = Problem.Status.ACCEPTED
    dropout = make_problem(world.agency_a, status=accepted, affair=education, statement="Putus")
    teachers = make_problem(world.agency_a, status=accepted, affair=education, statement="Guru")
    stunting = make_problem(world.agency_b, status=accepted, affair=health, statement="Stunting")
    draft = make_problem(world.agency_b, affair=health, statement="Belum diajukan")
    schooling = make_issue(world.plan, "Ketimpangan pendidikan")
    nutrition = make_issue(world.plan, "Stunting")
    strategic.link_problems(schooling, [teachers, dropout])
    strategic.link_problems(nutrition, [stunting, draft])
    make_criteria(world.plan)
    score_all(make_rater(world.plan, world.planner), {schooling: [5, 5], nutrition: [3, 3]})
    open_results(world.plan)

    identification = REGISTRY["permasalahan"].build(world.plan)
    statements = ("Putus", "Guru", "Stunting")
    numbered = [c.text for row in identification.rows for c in row if c.text.endswith(statements)]
    assert numbered == ["1.1 Putus", "1.2 Guru", "2.1 Stunting"]
    ranking = REGISTRY["isu_strategis"].build(world.plan)
    assert cite("permasalahan") in str(ranking.header[0][3])  # its printed number, when printed
    assert [(row[1], row[3]) for row in ranking.rows] == [
        ("Ketimpangan pendidikan", "1.1, 1.2"),
        ("Stunting", "2.1"),  # the draft has no row in Tabel 4.1
    ]
    html = render_table(ranking, number="Tabel 4.2")
    assert "1.1, 1.2" in html and "Sumber" in html


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


def test_strategic_issue_block_ranks_and_marks_adopted_issues_once_results_open(world):
    from issues.strategic import workflow as strategic
    from tests.issues.strategic_factories import (
        make_criteria,
        make_issue,
        make_rater,
        open_results,
        score_all,
    )

    low = make_issue(world.plan, "Isu rendah")
    high = make_issue(world.plan, XSS_PAYLOADS[0])
    make_criteria(world.plan)
    score_all(make_rater(world.plan, world.planner), {low: [2, 3], high: [5, 4]})
    closed = REGISTRY["isu_strategis"].build(world.plan)
    assert all(row[0] == "–" and row[2] == "–" for row in closed.rows)  # no scores yet
    open_results(world.plan)
    strategic.adopt(plan=world.plan, by=world.planner, top=1)
    table = REGISTRY["isu_strategis"].build(world.plan)
    assert [row[0] for row in table.rows] == ["1", "2"]
    assert table.rows[0][1] == XSS_PAYLOADS[0]
    html = render_table(table)
    assert "4,60" in html and "Ditetapkan" in html
    assert_no_injection(html, "in the strategic issue block")


def test_the_ranking_cites_the_identification_table_by_the_number_it_is_printed_under(world):
    """The ranking's "Permasalahan terkait" column cites rows of the identification table: its
    header and note name that table by its printed number, wherever the planner put it, and by
    its name when the document does not print it."""
    from tests.issues.strategic_factories import make_issue

    make_problem(world.agency_a, status=Problem.Status.ACCEPTED, statement="Putus sekolah")
    make_issue(world.plan, "Ketimpangan mutu pendidikan")
    ranking = '<figure class="data-block" data-block="isu_strategis"></figure>'
    section = make_section(world.plan, body=ranking, by=world.planner)

    def printed() -> str:
        assembled = assemble(section.chapter.document, None)
        (view,) = [s for c in assembled.chapters for s in c.sections if s.id == section.pk]
        return str(assembled.render(view))

    html = printed()
    document = section.chapter.document
    (finding,) = [f for f in check_document(document) if f.key.startswith("rujukan:")]
    assert "merujuk nomor baris tabel identifikasi permasalahan pembangunan" in finding.message
    assert "nomor pada tabel identifikasi permasalahan pembangunan)" in html
    assert "nomor baris pada tabel identifikasi permasalahan pembangunan." in html
    assert "[[tabel:" not in html and "Tabel 4.1" not in html

    section.refresh_from_db()
    editing.save_section(
        section_id=section.pk,
        body="<table><caption>Luas wilayah</caption><tr><td>1</td></tr></table>"
        '<figure class="data-block" data-block="permasalahan"></figure>' + ranking,
        base_version=section.version,
        by=world.planner,
    )
    html = printed()
    # The identification table is the chapter's second table, after "Luas wilayah".
    (chapter,) = re.findall(r"Tabel (\d+)\.1</span> Luas wilayah", html)
    assert f"Tabel {chapter}.2</span> Identifikasi" in html
    assert f"nomor pada Tabel {chapter}.2)" in html
    assert f"nomor baris pada Tabel {chapter}.2." in html
    assert "[[tabel:" not in html
    assert not [f for f in check_document(document) if f.key.startswith("rujukan:")]
