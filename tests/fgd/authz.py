"""This module's rows of the authorization matrix (merged in tests/authz_matrix.py).

The FGD of each row invites agency A (so `opd`, staff_a, sees it) and the world's narasumber
(`resource_person`); staff of agency B, and everyone of the other pemda, must get 404.
"""

from tests.authz_matrix import READ_ONLY, Route, by_role, planners_only
from tests.fgd.factories import (
    make_addendum,
    make_agenda_item,
    make_agreed,
    make_follow_up,
    make_guest,
    make_input,
    make_record,
    make_resource_person,
    make_signed_record,
    scoped_meeting,
    tabled_problem,
)

ALL_OK = by_role(200)
NO_GET = by_role(405)


def meeting_pk(w):
    return {"pk": scoped_meeting(w).pk}


def plan_id(w):
    return {"plan_id": w.plan.pk}


def _narasumber_input(w):
    meeting = scoped_meeting(w)
    person = meeting.invitations.filter(resource_person__isnull=False).first().resource_person
    return make_input(meeting, resource_person=person, text="Kukar kaya potensi perikanan.")


def _invitation(w):
    return {"pk": scoped_meeting(w).invitations.first().pk}


def _check_in(w):
    meeting = scoped_meeting(w)
    return {"pk": meeting.pk, "token": meeting.check_in_token}


def _follow_up(w):
    return {"pk": make_follow_up(scoped_meeting(w), w.agency_a).pk}


def _record_meeting(w):
    meeting = scoped_meeting(w)
    make_record(meeting)
    return {"pk": meeting.pk}


def _signatory(w):
    return {"pk": make_record(scoped_meeting(w)).signatories.first().pk}


def _signed_meeting(w):
    meeting = scoped_meeting(w)
    make_signed_record(meeting)
    return {"pk": meeting.pk}


def _addendum(w):
    meeting = scoped_meeting(w)
    make_addendum(make_signed_record(meeting))
    return {"pk": meeting.pk, "number": 1}


def _document(w):
    meeting = scoped_meeting(w)
    make_agreed(meeting, "Data resmi terbaru dipakai.")
    return {"pk": meeting.pk, "slug": "daftar-hadir"}


ROUTES: dict[str, Route] = {
    "fgd:meeting_list": Route(get=ALL_OK, post=READ_ONLY, kwargs=plan_id, scope="region"),
    "fgd:meeting_create": Route(
        get=planners_only(200), post=planners_only(200), kwargs=plan_id, scope="region"
    ),
    "fgd:followup_list": Route(get=ALL_OK, post=READ_ONLY, kwargs=plan_id, scope="region"),
    "fgd:meeting_detail": Route(get=ALL_OK, post=READ_ONLY, kwargs=meeting_pk, scope="agency"),
    "fgd:meeting_update": Route(
        get=planners_only(200), post=planners_only(200), kwargs=meeting_pk, scope="agency"
    ),
    "fgd:meeting_start": Route(
        get=NO_GET, post=planners_only(302), kwargs=meeting_pk, scope="agency"
    ),
    # POST without inputs: the meeting closes and the planner is sent to its page.
    "fgd:meeting_close": Route(
        get=planners_only(200), post=planners_only(302), kwargs=meeting_pk, scope="agency"
    ),
    "fgd:meeting_reopen": Route(
        get=NO_GET, post=planners_only(302), kwargs=meeting_pk, scope="agency"
    ),
    "fgd:agenda_add": Route(
        get=planners_only(200), post=planners_only(200), kwargs=meeting_pk, scope="agency"
    ),
    "fgd:agenda_delete": Route(
        get=NO_GET,
        post=planners_only(302),
        kwargs=lambda w: {"pk": make_agenda_item(scoped_meeting(w)).pk},
        scope="agency",
    ),
    "fgd:invitation_add": Route(
        get=planners_only(200), post=planners_only(200), kwargs=meeting_pk, scope="agency"
    ),
    "fgd:invitation_delete": Route(
        get=NO_GET, post=planners_only(302), kwargs=_invitation, scope="agency"
    ),
    # Planners pick the problems to discuss; an empty POST comes back with its error.
    "fgd:tabling": Route(
        get=planners_only(200), post=planners_only(200), kwargs=meeting_pk, scope="agency"
    ),
    "fgd:tabled_delete": Route(
        get=NO_GET,
        post=planners_only(302),
        kwargs=lambda w: {"pk": tabled_problem(w).pk},
        scope="agency",
    ),
    # Planners (and the notulis) record anyone's input; a narasumber with an account their own.
    "fgd:input_create": Route(
        get=planners_only(200, others=403) | {"resource_person": 200},
        post=planners_only(200, others=403) | {"resource_person": 200},
        kwargs=meeting_pk,
        scope="agency",
    ),
    "fgd:input_respond": Route(
        get=planners_only(200),
        post=planners_only(200),
        kwargs=lambda w: {"pk": make_input(scoped_meeting(w)).pk},
        scope="agency",
    ),
    # The narasumber's own input: they and the planners record a potensi from it.
    "fgd:input_potential": Route(
        get=by_role(403, planner=200, resource_person=200),
        post=by_role(403, planner=200, resource_person=200),
        kwargs=lambda w: {"pk": _narasumber_input(w).pk},
        scope="agency",
    ),
    "fgd:agreed_add": Route(
        get=planners_only(200), post=planners_only(200), kwargs=meeting_pk, scope="agency"
    ),
    "fgd:agreed_delete": Route(
        get=NO_GET,
        post=planners_only(302),
        kwargs=lambda w: {"pk": make_agreed(scoped_meeting(w), "Sepakat.")[0].pk},
        scope="agency",
    ),
    "fgd:followup_add": Route(
        get=planners_only(200), post=planners_only(200), kwargs=meeting_pk, scope="agency"
    ),
    # The responsible agency (A) reports its follow-up done; narasumber and leaders may not.
    "fgd:followup_done": Route(
        get=planners_only(200) | {"opd": 200},
        post=planners_only(200) | {"opd": 200},
        kwargs=_follow_up,
        scope="agency",
    ),
    "fgd:attendance": Route(
        get=by_role(403, planner=200, leader=200, admin=200),
        post=READ_ONLY,
        kwargs=meeting_pk,
        scope="agency",
    ),
    "fgd:attendance_mark": Route(
        get=NO_GET, post=planners_only(302), kwargs=meeting_pk, scope="agency"
    ),
    "fgd:attendance_guest": Route(
        get=planners_only(200), post=planners_only(200), kwargs=meeting_pk, scope="agency"
    ),
    "fgd:attendance_delete": Route(
        get=NO_GET,
        post=planners_only(302),
        kwargs=lambda w: {"pk": make_guest(scoped_meeting(w)).pk},
        scope="agency",
    ),
    "fgd:check_in_link": Route(get=ALL_OK, post=by_role(302), kwargs=_check_in, scope="agency"),
    # A wrong (empty) code re-renders the form with its error.
    "fgd:check_in_code": Route(get=ALL_OK, post=ALL_OK),
    "fgd:minutes": Route(get=ALL_OK, post=READ_ONLY, kwargs=meeting_pk, scope="agency"),
    "fgd:minutes_save": Route(
        get=NO_GET,
        post=planners_only(302),
        kwargs=lambda w: {"pk": make_agenda_item(scoped_meeting(w)).pk},
        scope="agency",
    ),
    "fgd:minutes_versions": Route(
        get=by_role(403, planner=200, leader=200, admin=200),
        post=READ_ONLY,
        kwargs=lambda w: {"pk": make_agenda_item(scoped_meeting(w)).pk},
        scope="agency",
    ),
    "fgd:record_edit": Route(
        get=planners_only(200), post=planners_only(200), kwargs=meeting_pk, scope="agency"
    ),
    # Refused (the meeting is still open) with a message: back to the form.
    "fgd:record_sign": Route(
        get=NO_GET, post=planners_only(302), kwargs=_record_meeting, scope="agency"
    ),
    "fgd:signatory_add": Route(
        get=planners_only(200), post=planners_only(200), kwargs=_record_meeting, scope="agency"
    ),
    "fgd:signatory_delete": Route(
        get=NO_GET, post=planners_only(302), kwargs=_signatory, scope="agency"
    ),
    "fgd:document": Route(
        get=by_role(403, planner=200, leader=200, admin=200),
        post=READ_ONLY,
        kwargs=_document,
        scope="agency",
    ),
    # An empty POST comes back with the form's error (nothing issued).
    "fgd:addendum_create": Route(
        get=planners_only(200), post=planners_only(200), kwargs=_signed_meeting, scope="agency"
    ),
    "fgd:addendum_document": Route(
        get=by_role(403, planner=200, leader=200, admin=200),
        post=READ_ONLY,
        kwargs=_addendum,
        scope="agency",
    ),
    "fgd:resource_person_list": Route(get=planners_only(200), post=READ_ONLY),
    "fgd:resource_person_create": Route(get=planners_only(200), post=planners_only(200)),
    "fgd:resource_person_update": Route(
        get=planners_only(200),
        post=planners_only(200),
        kwargs=lambda w: {"pk": make_resource_person(w.region).pk},
        scope="region",
    ),
    "fgd:resource_person_account": Route(
        get=planners_only(200),
        post=planners_only(200),
        kwargs=lambda w: {"pk": make_resource_person(w.region).pk},
        scope="region",
    ),
}
