"""The audit trail: security-relevant events, stored and logged (QUALITY G1, G2, G4, G5).

One function records an event: `record(request, action, outcome=...)`. It writes an
`AuditEvent` row (append-only) and a JSON line on the logger `rpjmd.audit`. What is recorded:

* logins, logouts, failed logins, lockouts, expired sessions, password changes (the receivers
  at the end of this module, connected in `RpjmdConfig.ready`);
* permission denials (the 403 handler), refused CSRF tokens, and access to objects the user may
  not see (`rpjmd.permissions.get_visible_or_404`, and the 404 handler for every other 404 an
  authenticated user meets);
* exports: the PDF and spreadsheet modules call `record_export(request, obj, kind="pdf")`
  after handing a file to a user, so "whose data did user X export in period Y" is one query.

Never recorded: passwords, tokens, session keys, query strings or request bodies. Phone numbers
are masked in every stored and logged string.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import signals
from django.db import DatabaseError, models, router, transaction
from django.http import HttpRequest
from django.utils import timezone

from rpjmd.addresses import client_ip
from rpjmd.models import AuditEvent

logger = logging.getLogger("rpjmd.audit")

Action = AuditEvent.Action
Outcome = AuditEvent.Outcome

# Indonesian mobile and landline numbers: +62 / 62 / 0, then 8-13 digits, spaces or dashes
# allowed between groups (0812-3456-7890, +62 812 3456 7890, (0541) 661234).
PHONE_RE = re.compile(r"(?:\+62|\b62|\b0)[\s\-.()]*\d{2,4}(?:[\s\-.)]*\d{2,4}){2,3}\b")
MASK = "[nomor disamarkan]"


def redact(value: str, limit: int = 500) -> str:
    """Mask phone numbers and cut the string to `limit` characters."""
    return PHONE_RE.sub(MASK, value)[:limit]


def record(
    request: HttpRequest | None,
    action: str,
    *,
    outcome: str,
    actor=None,
    username: str = "",
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    detail: dict | None = None,
    anonymous_once_per: dt.timedelta | None = None,
) -> AuditEvent | None:
    """Store and log one audit event.

    `actor` defaults to the request's user when logged in. `obj` fills object type and id;
    without it pass `object_type`/`object_id` (e.g. the URL name and its arguments). `detail`
    holds a few short, non-secret facts (a reason, a file kind); values are masked and cut.
    Never raises: a failing database still gets the log line, marked `"stored": false`.

    `anonymous_once_per`: for events anyone can cause without an account (a refused CSRF
    token), store at most one row per action and address in that period; the others are only
    logged, marked `"throttled": true`, so a script cannot fill the table.
    """
    if actor is None:
        try:
            user = getattr(request, "user", None)
            actor = user if user is not None and user.is_authenticated else None
        except DatabaseError:  # the session's user could not be loaded
            actor = None
    if actor is not None and not username:
        username = actor.get_username()
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = obj.pk
    event = AuditEvent(
        action=action,
        outcome=outcome,
        actor=actor,
        username=redact(str(username), 150),
        object_type=redact(str(object_type), 100),
        object_id=redact(str(object_id), 64),
        ip_address=client_ip(request),
        path=redact(request.path, 500) if request is not None else "",
        detail={key: redact(str(value), 200) for key, value in (detail or {}).items()},
    )
    throttled = (
        anonymous_once_per is not None
        and actor is None
        and stored_recently(event.action, event.ip_address, anonymous_once_per)
    )
    stored = not throttled
    if not throttled:
        try:
            # A savepoint, so a failed insert never breaks the caller's transaction.
            with transaction.atomic(using=router.db_for_write(AuditEvent)):
                event.save()
        except DatabaseError:
            stored = False
    log = logger.info if stored or throttled else logger.error
    log(
        "audit %s %s",
        event.action,
        event.outcome,
        extra={
            "audit": {
                "action": event.action,
                "outcome": event.outcome,
                "actor_id": event.actor_id,
                "username": event.username,
                "object_type": event.object_type,
                "object_id": event.object_id,
                "ip": event.ip_address,
                "path": event.path,
                "detail": event.detail,
                "at": event.created_at.isoformat(),
                "stored": stored,
                "throttled": throttled,
            }
        },
    )
    return event if stored else None


def stored_recently(action: str, address: str | None, period: dt.timedelta) -> bool:
    """An anonymous event of this action from this address is already stored in `period`."""
    try:
        return AuditEvent.objects.filter(
            action=action,
            actor__isnull=True,
            ip_address=address,
            created_at__gte=timezone.now() - period,
        ).exists()
    except DatabaseError:  # then storing will fail too, and the log line says so
        return False


def record_export(request: HttpRequest, obj: models.Model, *, kind: str) -> None:
    """The hook for exports: call it when a user receives a PDF/XLSX/CSV of `obj`."""
    record(request, Action.EXPORT, outcome=Outcome.SUCCESS, obj=obj, detail={"kind": kind})


# --- Receivers for Django's and django-axes' authentication signals -------------------------


def on_logged_in(sender, request, user, **kwargs):
    record(request, Action.LOGIN, outcome=Outcome.SUCCESS, actor=user)


def on_logged_out(sender, request, user, **kwargs):
    if user is None:  # logging out without a session: nothing happened
        return
    if getattr(request, "_session_expired", False):
        record(request, Action.SESSION_EXPIRED, outcome=Outcome.SUCCESS, actor=user)
    else:
        record(request, Action.LOGOUT, outcome=Outcome.SUCCESS, actor=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already replaced the password in `credentials` with stars; we keep only the name.
    username = credentials.get("username", "") if isinstance(credentials, dict) else ""
    record(request, Action.LOGIN_FAILED, outcome=Outcome.FAILURE, username=username)


def on_locked_out(sender, request, username, ip_address, **kwargs):
    record(request, Action.LOCKOUT, outcome=Outcome.DENIED, username=username or "")


def connect_signals() -> None:
    signals.user_logged_in.connect(on_logged_in, dispatch_uid="rpjmd.audit.login")
    signals.user_logged_out.connect(on_logged_out, dispatch_uid="rpjmd.audit.logout")
    signals.user_login_failed.connect(on_login_failed, dispatch_uid="rpjmd.audit.failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="rpjmd.audit.lockout")
