"""Tell people that something needs them: an in-app notification, and an e-mail."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from rpjmd.models import Notification, Plan, User

logger = logging.getLogger(__name__)


def notify(
    *,
    recipients: Iterable[User],
    message: str,
    url: str = "",
    plan: Plan | None = None,
    email: bool = True,
) -> list[Notification]:
    """Create one notification per active recipient and e-mail those with an address.

    The e-mails go out only after the surrounding transaction commits, so a rolled-back action
    never mails anyone; a mail server that is down is logged and does not undo the action.
    """
    people = {user.pk: user for user in recipients if user.is_active}.values()
    notes = Notification.objects.bulk_create(
        [Notification(recipient=user, plan=plan, message=message, url=url) for user in people]
    )
    if email:
        link = f"{settings.SITE_URL.rstrip('/')}{url}" if url else settings.SITE_URL
        body = f"{message}\n\n{link}\n\n— Meja Kerja RPJMD"
        mails = [
            (f"[RPJMD] {message[:120]}", body, settings.DEFAULT_FROM_EMAIL, [user.email])
            for user in people
            if user.email
        ]
        if mails:
            transaction.on_commit(lambda: _send(mails))
    return notes


def _send(mails) -> None:
    try:
        send_mass_mail(mails, fail_silently=False)
    except OSError:
        # The in-app notification already exists; mail is a courtesy copy.
        logger.warning("notification e-mail could not be sent (%d messages)", len(mails))
