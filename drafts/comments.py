"""Comments on sections: anchoring a quoted passage, mentions, resolving threads."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from drafts.html import normalize_text, text_of
from drafts.models import Comment, Section
from rpjmd.models import User
from rpjmd.notifications import notify

MENTION = re.compile(r"(?<![\w.@])@([A-Za-z0-9_.\-]{2,150})")


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    exact_context: bool


def locate(text: str, quote: str, prefix: str = "", suffix: str = "") -> Anchor | None:
    """Where a quoted passage is in a text now: the occurrence whose surroundings best match the
    words around it when it was quoted. None when the passage itself is gone."""
    quote = normalize_text(quote)
    if not quote:
        return None
    prefix, suffix = normalize_text(prefix), normalize_text(suffix)
    best: tuple[int, int] | None = None
    start = text.find(quote)
    while start != -1:
        end = start + len(quote)
        score = _common_suffix(text[:start].rstrip(), prefix) + _common_prefix(
            text[end:].lstrip(), suffix
        )
        if best is None or score > best[1]:
            best = (start, score)
        start = text.find(quote, start + 1)
    if best is None:
        return None
    full = len(prefix) + len(suffix)
    return Anchor(best[0], best[0] + len(quote), exact_context=best[1] == full)


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def mentioned_users(body: str, section: Section) -> tuple[list[User], list[str]]:
    """People named as @username who may read the section, and the names that could not be told."""
    names = {m.lower() for m in MENTION.findall(body)}
    if not names:
        return [], []
    plan = section.chapter.document.plan
    candidates = {
        u.username.lower(): u
        for u in User.objects.filter(region_id=plan.region_id, is_active=True)
        if u.username.lower() in names
    }
    readable = []
    unreachable = []
    for name in sorted(names):
        user = candidates.get(name)
        if user is not None and Section.objects.visible_to(user).filter(pk=section.pk).exists():
            readable.append(user)
        else:
            unreachable.append(name)
    return readable, unreachable


def add_comment(
    *,
    section: Section,
    by: User,
    body: str,
    quote: str = "",
    prefix: str = "",
    suffix: str = "",
    parent: Comment | None = None,
) -> tuple[Comment, list[str]]:
    """Post a comment (or a reply) and tell the people it mentions."""
    body = body.strip()
    if not body:
        raise ValidationError(_("Tulis komentar terlebih dahulu."))
    if parent is not None:
        if parent.section_id != section.pk:
            raise ValidationError(_("Balasan harus pada bagian yang sama."))
        parent = parent.parent or parent  # one level of threads: replies go to the root
        quote = prefix = suffix = ""
    mentioned, unreachable = mentioned_users(body, section)
    with transaction.atomic():
        comment = Comment.objects.create(
            section=section,
            author=by,
            parent=parent,
            body=body,
            quote=normalize_text(quote)[:1000],
            prefix=normalize_text(prefix)[-64:],
            suffix=normalize_text(suffix)[:64],
        )
        comment.mentions.set(mentioned)
        recipients = [u for u in mentioned if u.pk != by.pk]
        if recipients:
            notify(
                recipients=recipients,
                message=_("%(who)s menyebut Anda dalam komentar pada “%(title)s”.")
                % {"who": by, "title": section.title},
                url=reverse("drafts:section", args=[section.pk]) + f"#komentar-{comment.pk}",
                plan=section.chapter.document.plan,
            )
        if parent is not None and parent.author_id != by.pk and parent.author not in recipients:
            notify(
                recipients=[parent.author],
                message=_("%(who)s membalas komentar Anda pada “%(title)s”.")
                % {"who": by, "title": section.title},
                url=reverse("drafts:section", args=[section.pk]) + f"#komentar-{comment.pk}",
                plan=section.chapter.document.plan,
                email=False,
            )
    return comment, unreachable


def set_resolved(*, comment: Comment, resolved: bool, by: User) -> Comment:
    root = comment.parent or comment
    root.resolved_at = timezone.now() if resolved else None
    root.resolved_by = by if resolved else None
    root.save(update_fields=["resolved_at", "resolved_by"])
    return root


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment]
    anchor: Anchor | None

    @property
    def detached(self) -> bool:
        """A passage comment whose words are no longer in the text."""
        return bool(self.comment.quote) and self.anchor is None


def threads(section: Section, comments) -> list[Thread]:
    """Root comments with their replies, each root located in the current text."""
    text = text_of(section.body)
    roots: list[Comment] = []
    replies: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
        else:
            roots.append(comment)
    return [
        Thread(
            comment=root,
            replies=replies.get(root.pk, []),
            anchor=locate(text, root.quote, root.prefix, root.suffix) if root.quote else None,
        )
        for root in roots
    ]
