"""Dashboard cards of this module (see rpjmd/dashboard.py)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from drafts.models import Document, Export, Section, late_sections
from rpjmd.charts import AMBER, BLUE, GREEN, GREY, Chart, Series
from rpjmd.clock import format_time
from rpjmd.dashboard import Card
from rpjmd.models import Plan, User


def cards(user: User, plan: Plan, today: dt.date) -> list[Card]:
    document = Document.objects.filter(plan=plan).first()
    if document is None:
        if user.is_planner:
            return [
                Card(
                    _("Dokumen rancangan"),
                    _("Belum dibuat"),
                    _("Buat dari sistematika Permendagri 86/2017"),
                    reverse("drafts:document", args=[plan.pk]),
                )
            ]
        return []
    sections = Section.objects.filter(chapter__document=document)
    if user.is_resource_person:
        shared = sections.filter(shares__user=user).count()
        return [
            Card(
                _("Bagian dokumen dibagikan kepada Anda"),
                shared,
                _("baca dan beri komentar"),
                reverse("drafts:document", args=[plan.pk]),
            )
        ]
    handed_in = document.handed_in_on(plan.region.zone)
    board = reverse("drafts:board", args=[plan.pk])
    result: list[Card] = []
    if user.is_opd:
        mine = sections.filter(Q(assigned_agency_id=user.agency_id) | Q(assigned_user=user))
        figures = mine.aggregate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=Section.Status.APPROVED)),
            late=Count("pk", filter=late_sections(today, handed_in)),
        )
        hint = _("%(done)s disetujui") % {"done": figures["done"]}
        if figures["late"]:
            hint += " · " + _("%(late)s terlambat") % {"late": figures["late"]}
        result.append(Card(_("Bagian dokumen untuk Anda tulis"), figures["total"], hint, board))
        return result
    figures = sections.aggregate(
        total=Count("pk"),
        approved=Count("pk", filter=Q(status=Section.Status.APPROVED)),
        review=Count("pk", filter=Q(status=Section.Status.REVIEW)),
        late=Count("pk", filter=late_sections(today, handed_in)),
    )
    result.append(
        Card(
            _("Bagian dokumen disetujui"),
            f"{figures['approved']}/{figures['total']}",
            _("%(late)s bagian terlambat") % {"late": figures["late"]},
            board,
        )
    )
    if user.is_planner:
        result.append(
            Card(
                _("Menunggu tinjauan Anda"),
                figures["review"],
                _("bagian berstatus ditinjau"),
                board,
            )
        )
    if user.is_leader or user.is_planner:
        export = (
            Export.objects.filter(
                document=document, status=Export.Status.DONE, format=Export.Format.PDF
            )
            .order_by("-is_final", "-created_at")
            .first()
        )
        if export is not None:
            result.append(
                Card(
                    _("Unduh PDF terbaru"),
                    ngettext("%(pages)s halaman", "%(pages)s halaman", export.pages or 0)
                    % {"pages": export.pages},
                    f"{export.source_label} · "
                    + format_time(localtime(export.created_at), "j F Y H:i"),
                    reverse("drafts:export_latest", args=[plan.pk]),
                )
            )
        # The card needs the name and date, not the frozen blocks (large JSON).
        latest = (
            document.snapshots.only("pk", "name", "is_final", "created_at", "document_id")
            .order_by("-created_at")
            .first()
        )
        if latest is not None:
            result.append(
                Card(
                    _("Versi beku terakhir"),
                    latest.name,
                    _("final")
                    if latest.is_final
                    else date_format(localtime(latest.created_at), "j F Y"),
                    reverse("drafts:snapshot", args=[latest.pk]),
                )
            )
    return result


SECTION_COLOURS = {
    Section.Status.NOT_STARTED: GREY,
    Section.Status.DRAFT: BLUE,
    Section.Status.REVIEW: AMBER,
    Section.Status.APPROVED: GREEN,
}


def charts(user: User, plan: Plan, today: dt.date) -> list[Chart]:
    """Sections per chapter by status: where the writing stands."""
    if not (user.is_planner or user.is_leader or user.is_admin):
        return []
    rows = (
        Section.objects.filter(chapter__document__plan=plan)
        .values_list("chapter__order", "chapter__number", "chapter__title", "status")
        .annotate(n=Count("pk"))
        .order_by("chapter__order")
    )
    chapters: dict[int, str] = {}
    counts: dict[tuple[int, str], int] = {}
    for order, number, title, status, n in rows:
        chapters[order] = f"{_('Bab')} {number} {title}".strip() if number else title
        counts[(order, status)] = n
    if not chapters:
        return []
    return [
        Chart(
            key="dasbor-bagian",
            title=_("Bagian dokumen per bab menurut status"),
            description=_("Jumlah bagian tiap bab: belum mulai, draf, ditinjau dan disetujui."),
            categories=list(chapters.values()),
            series=[
                Series(str(status.label), [counts.get((o, status), 0) for o in chapters], colour)
                for status, colour in SECTION_COLOURS.items()
            ],
            unit=_("jumlah bagian"),
        )
    ]
