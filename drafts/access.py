"""Fetching what a request is about, through querysets that know the user (404 otherwise)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from drafts.models import Chapter, Comment, Document, Section, Snapshot
from drafts.permissions import can_edit_section, can_manage_document
from rpjmd.models import Plan
from rpjmd.requests import AuthedRequest


def plan_for(request: AuthedRequest, plan_id: int) -> Plan:
    return get_object_or_404(
        Plan.objects.visible_to(request.user).select_related("region"), pk=plan_id
    )


def document_for(request: AuthedRequest, plan_id: int) -> Document:
    return get_object_or_404(
        Document.objects.visible_to(request.user).select_related("plan__region"), plan_id=plan_id
    )


def managed_document(request: AuthedRequest, plan_id: int) -> Document:
    document = document_for(request, plan_id)
    if not can_manage_document(request.user, document.plan):
        raise PermissionDenied
    return document


def chapter_for(request: AuthedRequest, pk: int) -> Chapter:
    return get_object_or_404(
        Chapter.objects.visible_to(request.user).select_related("document__plan__region"), pk=pk
    )


SECTION_RELATED = ("chapter__document__plan__region", "assigned_agency", "assigned_user")


def section_for(request: AuthedRequest, pk: int) -> Section:
    return get_object_or_404(
        Section.objects.visible_to(request.user).select_related(*SECTION_RELATED), pk=pk
    )


def editable_section(request: AuthedRequest, pk: int) -> Section:
    section = section_for(request, pk)
    if not can_edit_section(request.user, section):
        raise PermissionDenied
    return section


def managed_section(request: AuthedRequest, pk: int) -> Section:
    section = section_for(request, pk)
    if not can_manage_document(request.user, section.chapter.document.plan):
        raise PermissionDenied
    return section


def comment_for(request: AuthedRequest, pk: int) -> Comment:
    return get_object_or_404(
        Comment.objects.visible_to(request.user).select_related(
            "parent", *(f"section__{r}" for r in SECTION_RELATED)
        ),
        pk=pk,
    )


def snapshot_for(request: AuthedRequest, pk: int) -> Snapshot:
    return get_object_or_404(
        Snapshot.objects.visible_to(request.user).select_related(
            "document__plan__region", "created_by", "approved_by"
        ),
        pk=pk,
    )
