"""The 2020 plan's final document: Kepala Bappeda approved the rancangan teknokratik handed in
in April 2020 (rpjmd/demo.py runs this after closing the stages). Created only when missing."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from drafts import editing
from drafts.models import Document, Section, Snapshot
from drafts.snapshots import approve_snapshot, take_snapshot
from rpjmd.models import Notification, Plan, User

logger = logging.getLogger(__name__)
FINAL_NAME = "Rancangan Teknokratik final, 24 April 2020"
HANDED_IN = dt.datetime(2020, 4, 24, 10, 0)
# The Kepala Bappeda signed off a document whose written sections the planners had approved the
# day before; a handed-in document with sections still in draft would not read as finished.
SECTIONS_APPROVED = dt.datetime(2020, 4, 23, 15, 0)


def load(plan: Plan) -> None:
    document = Document.objects.filter(plan=plan).first()
    users = {u.username: u for u in User.objects.filter(username__in=["perencana", "wiyono"])}
    if document is None or len(users) < 2:
        return
    if Snapshot.objects.filter(document=document, name=FINAL_NAME).exists():
        return
    at = HANDED_IN.replace(tzinfo=plan.region.zone)
    try:
        with transaction.atomic():
            approve_written_sections(document, by=users["perencana"], plan=plan)
            snapshot = take_snapshot(document=document, name=FINAL_NAME, by=users["perencana"])
            approve_snapshot(snapshot=snapshot, by=users["wiyono"])
            Snapshot.objects.filter(pk=snapshot.pk).update(created_at=at, approved_at=at)
    except ValidationError as error:
        # The kelengkapan check refused: the demo still loads, without its final snapshot.
        logger.warning("demo: the 2020 final snapshot was refused: %s", " ".join(error.messages))


def approve_written_sections(document: Document, *, by: User, plan: Plan) -> None:
    """Every written section still in draft or review approved, as on 23 April 2020: through the
    same step planners take, then dated that day (its history and its notifications, read)."""
    began = dt.datetime.now(dt.UTC)
    pending = Section.objects.filter(
        chapter__document=document, status__in=[Section.Status.DRAFT, Section.Status.REVIEW]
    )
    for section in pending:
        editing.change_status(section=section, action="approve", by=by)
    on = SECTIONS_APPROVED.replace(tzinfo=plan.region.zone)
    Section.history.filter(
        id__in=Section.objects.filter(chapter__document=document).values("pk"),
        history_date__gte=began,
    ).update(history_date=on)
    Notification.objects.filter(plan=plan, created_at__gte=began).update(created_at=on, read_at=on)
