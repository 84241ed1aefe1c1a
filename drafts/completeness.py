"""The kelengkapan check run before an export (issue 12): what a Kepala Bappeda would send back.

It reads the document as it will print (the chapters of its kind, drafts/kinds.py) and finds:
required sections with no text, data blocks with no rows, years after the document's reference
date (in a data block, or in the header of a written table), tables without a source line, and
cover or reference dates not set. A draft export prints the findings on a page of their own at
the end; a final snapshot is approved only when each one is resolved or waived (a `Waiver`:
who, when, why).

Every finding has a stable key (the kind of finding, the section id, the table), so a waiver
keeps applying while the text around it changes, and stops applying when the table goes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from drafts import blocks as block_registry
from drafts.html import parse
from drafts.models import Document, Snapshot, Waiver
from drafts.rendering import printed_label
from drafts.snapshots import (
    Assembled,
    SectionView,
    assemble_live,
    assemble_snapshot,
    register_final_check,
)
from rpjmd.models import User

YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
# A period's name ("RPJMN 2020–2024") is no figure dated in its end year.
PERIOD = re.compile(r"(?<!\d)(?:19|20)\d\d\s*[–—-]\s*(?:19|20)\d\d(?!\d)")
SOURCE = re.compile(r"^\s*sumber\s*(data)?\s*:?", re.IGNORECASE)


@dataclass
class Finding:
    key: str
    where: str  # "2.1 Aspek Geografi dan Demografi" or "Pengaturan dokumen"
    message: str
    waiver: Waiver | None = None

    @property
    def is_open(self) -> bool:
        return self.waiver is None


def check(document: Document, assembled: Assembled) -> list[Finding]:
    """Every finding of the assembled (printed) document, with its waiver if one was recorded."""
    findings: list[Finding] = []
    settings_label = _("Pengaturan dokumen")
    if document.cover_date is None:
        findings.append(
            Finding("sampul", settings_label, _("Bulan penyampaian pada sampul belum diatur."))
        )
    if document.reference_date is None:
        findings.append(
            Finding(
                "acuan",
                settings_label,
                _("Tanggal acuan data belum diatur: tahun data tidak dapat diperiksa."),
            )
        )
    year = document.reference_date.year if document.reference_date else None
    for chapter in assembled.body_chapters:
        sections = chapter.sections
        for index, section in enumerate(sections):
            where = section.heading if section.depth else f"BAB {chapter.number} {chapter.title}"
            key = section.id or f"{chapter.order}-{section.heading}"
            if _required(sections, index) and _is_empty(section.body):
                findings.append(
                    Finding(f"kosong:{key}", where, _("Bagian wajib ini belum berisi teks."))
                )
            if section.body:
                findings += _tables(section, key, where, assembled, year, document.plan.end_year)
    waivers = {w.key: w for w in document.waivers.select_related("created_by")}
    for finding in findings:
        finding.waiver = waivers.get(finding.key)
    return findings


def check_document(document: Document, snapshot: Snapshot | None = None) -> list[Finding]:
    if snapshot is not None:
        return check(snapshot.printed_document, assemble_snapshot(snapshot, printed=True))
    return check(document, assemble_live(document, printed=True))


def _required(sections: list[SectionView], index: int) -> bool:
    """Sections that hold text: every numbered section with no sub-sections under it; a
    chapter's unnumbered introduction only when the chapter has nothing else."""
    section = sections[index]
    if section.depth == 0:
        return all(s.depth == 0 for s in sections)
    following = sections[index + 1] if index + 1 < len(sections) else None
    return following is None or following.depth <= section.depth


def _is_empty(body: str) -> bool:
    if not body:
        return True
    root = parse(body)
    if any(True for _el in root.iter("table", "img", "figure")):
        return False
    return not "".join(root.itertext()).strip()


def _tables(
    section: SectionView,
    key,
    where: str,
    assembled: Assembled,
    year: int | None,
    plan_end: int,
) -> list[Finding]:
    found: list[Finding] = []
    root = parse(section.body)
    for figure in root.iter("figure"):
        if figure.get("class") != "data-block":
            continue
        block, params = figure.get("data-block", ""), figure.get("data-params", "")
        ref = block_registry.reference(block, params)
        label = block_registry.label_of(block)
        table = assembled.resolve(block, params)
        if table is None or not table.rows:
            found.append(
                Finding(
                    f"blok-kosong:{key}:{ref}",
                    where,
                    _("Blok data “%(label)s” tidak berisi baris data.") % {"label": label},
                )
            )
            continue
        for cited in block_registry.cited_keys(table):
            if printed_label(assembled.numbers, cited) is None:
                found.append(
                    Finding(
                        f"rujukan:{key}:{ref}:{cited}",
                        where,
                        _(
                            "Tabel “%(caption)s” merujuk nomor baris %(cited)s, yang tidak "
                            "dicetak di dokumen ini: pembaca tidak dapat menelusurinya."
                        )
                        % {
                            "caption": table.caption,
                            "cited": block_registry.label_of(cited).lower(),
                        },
                    )
                )
        if not table.source.strip():
            found.append(
                Finding(
                    f"sumber:{key}:{ref}",
                    where,
                    _("Tabel “%(caption)s” tidak mencantumkan sumber.")
                    % {"caption": table.caption},
                )
            )
        if year is not None:
            cells = [
                block_registry.as_cell(c).text for row in table.header + table.rows for c in row
            ]
            kind = block_registry.REGISTRY.get(block)
            # A projection shows the plan's years by design; later than those is still a slip.
            late = _years_after(cells, plan_end if kind and kind.forward_looking else year)
            if late:
                found.append(
                    Finding(
                        f"tahun:{key}:{ref}",
                        where,
                        _(
                            "Tabel “%(caption)s” memuat tahun %(years)s, setelah tahun acuan "
                            "%(ref)s."
                        )
                        % {"caption": table.caption, "years": ", ".join(late), "ref": year},
                    )
                )
    for link in root.iter("a"):
        if link.get("class") != "xref":
            continue
        target = link.get("href", "")[1:]
        if target in assembled.numbers:
            continue
        # The PDF would print "[rujukan tidak ditemukan]": the table or figure is in a chapter
        # this kind does not print, or was removed.
        written = " ".join(link.itertext()).strip() or target
        found.append(
            Finding(
                f"rujukan:{key}:{target}",
                where,
                _(
                    "Rujukan ke “%(label)s” tidak menemukan tabel atau gambarnya di dokumen yang "
                    "dicetak (ada di bab yang tidak dicetak, atau sudah dihapus)."
                )
                % {"label": written},
            )
        )
    for number, table in enumerate(root.iter("table"), start=1):
        caption = table.find("caption")
        name = " ".join(caption.itertext()).strip() if caption is not None else ""
        name = name or _("tabel ke-%(n)s") % {"n": number}
        ident = table.get("id") or str(number)
        if not _has_source(table):
            found.append(
                Finding(
                    f"sumber:{key}:{ident}",
                    where,
                    _("Tabel “%(caption)s” tidak diberi baris sumber.") % {"caption": name},
                )
            )
        if year is not None:
            headers = [" ".join(th.itertext()) for th in table.iter("th")]
            head = table.find("thead")
            if head is not None:
                headers += [" ".join(td.itertext()) for td in head.iter("td")]
            late = _years_after(headers, year)
            if late:
                found.append(
                    Finding(
                        f"tahun:{key}:{ident}",
                        where,
                        _(
                            "Kepala tabel “%(caption)s” memuat tahun %(years)s, setelah tahun "
                            "acuan %(ref)s."
                        )
                        % {"caption": name, "years": ", ".join(late), "ref": year},
                    )
                )
    return found


def _years_after(texts: list[str], year: int) -> list[str]:
    late = sorted(
        {m for text in texts for m in YEAR.findall(PERIOD.sub(" ", text)) if int(m) > year}
    )
    return late


def _has_source(table) -> bool:
    """A "Sumber: …" line right after the table (or its figure), or inside its last rows."""
    holder = table.getparent() if table.getparent() is not None else table
    if holder.tag != "figure":
        holder = table
    sibling = holder.getnext()
    for _step in range(2):
        if sibling is None:
            break
        if SOURCE.match(" ".join(sibling.itertext())):
            return True
        sibling = sibling.getnext()
    for element in table.iter("tfoot", "caption", "figcaption", "td"):
        if SOURCE.match(" ".join(element.itertext())):
            return True
    figcaption = holder.find("figcaption") if holder.tag == "figure" else None
    return figcaption is not None and "sumber" in " ".join(figcaption.itertext()).lower()


def open_findings(document: Document, snapshot: Snapshot | None = None) -> list[Finding]:
    return [f for f in check_document(document, snapshot) if f.is_open]


def waive(
    *, document: Document, key: str, reason: str, by: User, snapshot: Snapshot | None = None
) -> Waiver:
    """Accept a finding as it is. Refused for a finding the document (or the snapshot being
    approved) does not have now."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Tuliskan alasan pengecualian."))
    if "\x00" in reason:
        raise ValidationError(_("Teks tidak boleh memuat karakter NUL."))
    if key not in {f.key for f in check_document(document, snapshot)}:
        raise ValidationError(_("Temuan ini tidak ada lagi; muat ulang halaman."))
    try:
        with transaction.atomic():
            return Waiver.objects.create(document=document, key=key, reason=reason, created_by=by)
    except IntegrityError as error:
        raise ValidationError(_("Temuan ini sudah dikecualikan.")) from error


def withdraw(*, document: Document, key: str) -> int:
    return Waiver.objects.filter(document=document, key=key).delete()[0]


@register_final_check
def refuse_open_findings(snapshot: Snapshot) -> None:
    """A snapshot with kelengkapan findings neither resolved nor waived is not final."""
    findings = open_findings(snapshot.document, snapshot)
    if findings:
        raise ValidationError(
            ngettext(
                "Versi beku belum dapat disetujui sebagai final: %(n)s temuan kelengkapan belum "
                "diselesaikan atau dikecualikan.",
                "Versi beku belum dapat disetujui sebagai final: %(n)s temuan kelengkapan belum "
                "diselesaikan atau dikecualikan.",
                len(findings),
            )
            % {"n": len(findings)}
        )
