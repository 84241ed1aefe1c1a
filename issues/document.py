"""What the issues module supplies to the RPJMD document besides data blocks: the scoring-matrix
lampiran, and the Chapter IV check a snapshot must pass before it becomes final. Registered with
drafts.appendices and drafts.snapshots, which find this module (drafts.blocks.autodiscover)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.translation import gettext as _

from drafts import blocks as block_registry
from drafts.appendices import Appendix, register, safe
from drafts.snapshots import register_final_check
from issues.strategic import workflow as strategic
from issues.strategic.export import scoring_matrix
from rpjmd.models import Plan

SCORING = "isu:matriks"


def options(plan: Plan) -> list[tuple[str, str]]:
    return [(SCORING, _("Matriks penilaian isu strategis (seluruh penilai dan kriteria)"))]


def build(plan: Plan, key: str) -> Appendix | None:
    if key != SCORING:
        return None
    table = scoring_matrix(plan)
    title = _("Matriks penilaian isu strategis")
    if table is None:
        note = _(
            "Hasil penilaian isu strategis belum dibuka; matriks penilaian belum dapat dicetak."
        )
        return Appendix(SCORING, title, safe(f'<p class="muted">{escape(note)}</p>'))
    return Appendix(SCORING, title, block_registry.render_table(table), wide=True)


register(prefix="isu:", order=20, options=options, build=build)


@register_final_check
def chapter_iv_holds_together(snapshot) -> None:
    strategic.require_coherent(snapshot.document.plan)
