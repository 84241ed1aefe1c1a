"""This module's rows of the authorization matrix (merged in tests/authz_matrix.py).

Sections are assigned to agency A (scope "agency": staff of agency B get 404, as do outsiders);
OPD staff of agency A edit them, leaders and admins read them (403 where they cannot edit), and
narasumber see only what is shared with them (404 otherwise).
"""

from tests.authz_matrix import READ_ONLY, Route, by_role, planners_only
from tests.drafts.factories import (
    make_chapter,
    make_comment,
    make_document,
    make_export,
    make_image,
    make_section,
    make_snapshot,
)

ALL = by_role(200)
NOT_ALLOWED = by_role(405)
EDITORS_ONLY = by_role(403, opd=200, planner=200, resource_person=404)
WRITERS = by_role(403, opd=200, planner=200)  # planners and OPD staff, at plan level


def plan(w):
    make_document(w.plan)
    return {"plan_id": w.plan.pk}


def section(w):
    return {"pk": make_section(w.plan, agency=w.agency_a).pk}


def written(w):
    return make_section(w.plan, agency=w.agency_a, body="<p>Teks pertama.</p>", by=w.planner)


def section_editors(ok):
    """Planners and staff of the assigned agency; leaders and admins read but may not edit."""
    return by_role(403, opd=ok, planner=ok, resource_person=404)


def planners_on_section(ok):
    return by_role(403, planner=ok, resource_person=404)


def exporters(ok, *, admin=403):
    """Planners and leaders export the document (OPD staff only when a planner allows it)."""
    return by_role(403, planner=ok, leader=ok, admin=admin)


def an_export(w):
    document = make_document(w.plan)
    return {"plan_id": w.plan.pk, "pk": make_export(document, w.planner).pk}


def previewed_chapter(w):
    section = make_section(w.plan, agency=w.agency_a)
    return {"pk": section.chapter_id}


def section_readers(ok):
    return by_role(ok, resource_person=404)


ROUTES: dict[str, Route] = {
    # The document of a plan.
    "drafts:document": Route(get=ALL, post=READ_ONLY, kwargs=plan, scope="region"),
    "drafts:document_create": Route(
        get=NOT_ALLOWED,
        post=planners_only(302),
        kwargs=lambda w: {"plan_id": w.plan.pk},
        scope="region",
    ),
    "drafts:board": Route(get=ALL, post=READ_ONLY, kwargs=plan, scope="region"),
    "drafts:settings": Route(
        get=planners_only(200), post=planners_only(200), kwargs=plan, scope="region"
    ),
    "drafts:references": Route(get=WRITERS, post=READ_ONLY, kwargs=plan, scope="region"),
    "drafts:block_preview": Route(
        get=WRITERS,
        post=READ_ONLY,
        kwargs=lambda w: plan(w) | {"key": "kecamatan"},
        scope="region",
    ),
    # Without a file the upload is refused with a message (400) for those who may upload.
    "drafts:image_upload": Route(
        get=NOT_ALLOWED, post=by_role(403, opd=400, planner=400), kwargs=plan, scope="region"
    ),
    "drafts:snapshot_list": Route(get=ALL, post=planners_only(200), kwargs=plan, scope="region"),
    "drafts:snapshot_compare": Route(get=ALL, post=READ_ONLY, kwargs=plan, scope="region"),
    # Chapters.
    "drafts:chapter": Route(
        get=ALL,
        post=READ_ONLY,
        kwargs=lambda w: {"pk": make_chapter(make_document(w.plan)).pk},
        scope="region",
    ),
    "drafts:section_create": Route(
        get=planners_only(200),
        post=planners_only(200),
        kwargs=lambda w: {"pk": make_chapter(make_document(w.plan)).pk},
        scope="region",
    ),
    # Sections of agency A.
    "drafts:section": Route(
        get=section_readers(200), post=READ_ONLY, kwargs=section, scope="agency"
    ),
    "drafts:section_edit": Route(
        get=section_editors(200), post=section_editors(200), kwargs=section, scope="agency"
    ),
    "drafts:section_resolve": Route(
        get=NOT_ALLOWED, post=section_editors(302), kwargs=section, scope="agency"
    ),
    "drafts:section_autosave": Route(
        get=NOT_ALLOWED, post=section_editors(400), kwargs=section, scope="agency"
    ),
    "drafts:section_discard_copy": Route(
        get=NOT_ALLOWED, post=section_editors(302), kwargs=section, scope="agency"
    ),
    "drafts:section_presence": Route(
        get=NOT_ALLOWED, post=section_readers(200), kwargs=section, scope="agency"
    ),
    "drafts:section_status": Route(
        get=NOT_ALLOWED, post=section_editors(302), kwargs=section, scope="agency"
    ),
    "drafts:section_versions": Route(
        get=section_readers(200), post=READ_ONLY, kwargs=section, scope="agency"
    ),
    "drafts:section_version": Route(
        get=section_readers(200),
        post=READ_ONLY,
        kwargs=lambda w: {"pk": written(w).pk, "version": 1},
        scope="agency",
    ),
    "drafts:section_restore": Route(
        get=NOT_ALLOWED,
        post=section_editors(302),
        kwargs=lambda w: {"pk": written(w).pk, "version": 1},
        scope="agency",
    ),
    "drafts:section_compare": Route(
        get=section_readers(200),
        post=READ_ONLY,
        kwargs=lambda w: {"pk": written(w).pk},
        scope="agency",
    ),
    "drafts:section_settings": Route(
        get=planners_on_section(200),
        post=planners_on_section(200),
        kwargs=section,
        scope="agency",
    ),
    "drafts:section_share": Route(
        get=NOT_ALLOWED, post=planners_on_section(302), kwargs=section, scope="agency"
    ),
    "drafts:section_move": Route(
        get=NOT_ALLOWED, post=planners_on_section(302), kwargs=section, scope="agency"
    ),
    "drafts:section_delete": Route(
        get=NOT_ALLOWED, post=planners_on_section(302), kwargs=section, scope="agency"
    ),
    # Comments: everyone who reads a section may discuss it (administrators excepted); the
    # author of a thread and the section's editors close it.
    "drafts:comment_create": Route(
        get=NOT_ALLOWED,
        post=by_role(302, resource_person=404, admin=403),
        kwargs=section,
        scope="agency",
    ),
    "drafts:comment_resolve": Route(
        get=NOT_ALLOWED,
        post=section_editors(302),
        kwargs=lambda w: {
            "pk": make_comment(make_section(w.plan, agency=w.agency_a), w.staff_a).pk
        },
        scope="agency",
    ),
    # Snapshots and images: publications of the whole pemda.
    "drafts:snapshot": Route(
        get=ALL,
        post=READ_ONLY,
        kwargs=lambda w: {"pk": make_snapshot(make_document(w.plan), w.planner).pk},
        scope="region",
    ),
    "drafts:snapshot_approve": Route(
        get=NOT_ALLOWED,
        post=by_role(403, leader=302),
        kwargs=lambda w: {"pk": make_snapshot(make_document(w.plan), w.planner).pk},
        scope="region",
    ),
    "drafts:image": Route(
        get=ALL,
        post=READ_ONLY,
        kwargs=lambda w: {"uuid": make_image(make_document(w.plan), w.planner).uuid},
        scope="region",
    ),
    # PDF export (issue 7): administrators read the exports but do not start them.
    "drafts:completeness": Route(
        get=exporters(200, admin=200), post=by_role(403, planner=302), kwargs=plan, scope="region"
    ),
    "drafts:export_list": Route(
        get=exporters(200, admin=200), post=exporters(302), kwargs=plan, scope="region"
    ),
    "drafts:export_latest": Route(
        get=exporters(200, admin=200),
        post=READ_ONLY,
        kwargs=lambda w: {"plan_id": an_export(w)["plan_id"]},
        scope="region",
    ),
    "drafts:export_progress": Route(
        get=exporters(200, admin=200), post=READ_ONLY, kwargs=an_export, scope="region"
    ),
    "drafts:export_download": Route(
        get=exporters(200, admin=200), post=READ_ONLY, kwargs=an_export, scope="region"
    ),
    # A chapter as PDF: its authors (planners, the OPD staff writing one of its sections).
    "drafts:chapter_pdf": Route(
        get=by_role(403, planner=200, opd=200),
        post=READ_ONLY,
        kwargs=previewed_chapter,
        scope="region",
    ),
}
