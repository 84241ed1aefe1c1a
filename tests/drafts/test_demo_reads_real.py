"""The demo document reads like Bappeda Kutai Kartanegara's of March–April 2020 (issue 12): every
sub-bab of Bab I–IV written, no working notes or Wikipedia, no figure dated after 2020, and a
Chapter IV whose adopted strategic issues cite rows of Tabel 4.1."""

from __future__ import annotations

import json
import re

from drafts import blocks as block_registry
from drafts import completeness
from drafts.html import block_references
from drafts.models import Section
from issues.blocks import problem_identification, strategic_issues
from issues.strategic import workflow as strategic
from rpjmd.models import Plan

TECHNOCRATIC = ["I", "II", "III", "IV"]
WORKING_NOTES = [
    "perlu dicek",
    "skenario",
    "belum diverifikasi",
    "cek ketersediaan",
    "wikipedia",
    "todo",
    "xxx",
]
# "2021–2026", "2019–2023": plan periods, not a figure's year.
PERIOD = re.compile(r"\b(19|20)\d{2}\s*[–-]\s*(19|20)\d{2}\b")
LATE_YEAR = re.compile(r"\b20(2[1-9]|[3-9]\d)\b")


def _sections(plan):
    return Section.objects.filter(
        chapter__document=plan.document, chapter__number__in=TECHNOCRATIC
    ).select_related("chapter")


def _late_years(text: str) -> list[str]:
    return LATE_YEAR.findall(PERIOD.sub("", text))


def test_every_sub_bab_of_chapters_one_to_four_has_real_text(demo):
    plan = Plan.objects.get(start_year=2021)
    empty = [
        f"{s.chapter.number} {s.title}"
        for s in _sections(plan)
        if s.version == 0 or len(re.sub(r"<[^>]+>", "", s.body).split()) < 25
    ]
    assert empty == []


def test_no_working_notes_or_wikipedia_in_any_section(demo):
    plan = Plan.objects.get(start_year=2021)
    for section in Section.objects.filter(chapter__document=plan.document):
        body = section.body.lower()
        found = [phrase for phrase in WORKING_NOTES if phrase in body]
        assert found == [], f"{section.title}: {found}"


def test_no_figure_dated_after_2020_in_chapters_one_to_four(demo):
    plan = Plan.objects.get(start_year=2021)
    live = block_registry.LiveBlocks(plan)
    for section in _sections(plan):
        text = re.sub(r"<[^>]+>", " ", section.body)
        assert _late_years(text) == [], f"{section.title}: {_late_years(text)}"
        for key, params in block_references(section.body):
            table = live(key, params)
            assert table is not None, key
            as_text = json.dumps(table.to_dict(), ensure_ascii=False, default=str)
            if "Proyeksi" in as_text:
                # The projection columns are the plan's years (Kerangka Pendanaan).
                for year in range(plan.start_year, plan.end_year + 1):
                    as_text = as_text.replace(f'"{year}"', '""')
            assert _late_years(as_text) == [], f"{section.title} / {key}"
            assert "wikipedia" not in as_text.lower()


def test_adopted_issues_cite_rows_of_table_4_1_and_chapter_four_holds_together(demo):
    plan = Plan.objects.get(start_year=2021)
    identification = problem_identification(plan)
    numbers = set()
    for row in identification.rows:
        for cell in row:
            match = re.match(r"(\d+\.\d+) ", getattr(cell, "text", str(cell)))
            if match:
                numbers.add(match.group(1))
    assert numbers
    ranking = strategic_issues(plan)
    adopted = [row for row in ranking.rows if str(row[-1]) == "Ditetapkan"]
    assert len(adopted) == 6
    for row in adopted:
        cited = [n.strip() for n in str(row[3]).split(",")]
        assert cited != ["–"], row[1]
        assert set(cited) <= numbers, (row[1], cited)
    assert strategic.coherence_findings(plan) == []


def test_the_demo_document_passes_the_kelengkapan_check(demo):
    """Done as a planner would before a final snapshot: nothing open on the kelengkapan page.
    Its projection tables show the plan's own years and its telaahan names periods such as
    "RPJMN 2020–2024": neither is a figure dated after the reference date."""
    document = Plan.objects.get(start_year=2021).document
    findings = completeness.open_findings(document)
    assert [f"{f.key}: {f.message}" for f in findings] == []


def test_period_names_and_projection_years_are_not_late_figures():
    assert completeness._years_after(["RPJMN 2020–2024", "RPJMD Provinsi 2019-2023"], 2020) == []
    assert completeness._years_after(["Realisasi 2021"], 2020) == ["2021"]
    forward = {key for key, kind in block_registry.REGISTRY.items() if kind.forward_looking}
    assert forward == {
        "keuangan-proyeksi-pendapatan",
        "keuangan-kapasitas-riil",
        "keuangan-kerangka-pendanaan",
    }
