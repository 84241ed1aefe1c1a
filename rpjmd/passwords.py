"""Password rules beyond Django's: no words an attacker of a pemda would guess first (ASVS 6.2.11).

Django's validators already refuse short, common, all-digit and username-like passwords. There
are no composition rules (no "one digit, one symbol"): long passphrases are the goal, and 64 or
128 characters are fine.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The place, the institution and the product: lower-case, without spaces.
LOCAL_WORDS = (
    "kukar",
    "kutai",
    "kartanegara",
    "tenggarong",
    "kaltim",
    "kalimantan",
    "mahakam",
    "samarinda",
    "bappeda",
    "bapeda",
    "rpjmd",
    "pemkab",
    "pemda",
    "kukarkab",
    "teknokratik",
)

# Common character swaps ("b4pp3da", "kuk@r", "rpjmd2026").
_LEET = str.maketrans({"4": "a", "@": "a", "3": "e", "1": "i", "!": "i", "0": "o", "$": "s"})


def _normalise(password: str) -> str:
    text = unicodedata.normalize("NFKD", password).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z]", "", text.translate(_LEET))


class LocalWordsValidator:
    """Refuse passwords containing the name of the region, the agency or the application."""

    def __init__(self, words: tuple[str, ...] = LOCAL_WORDS):
        self.words = words

    def validate(self, password: str, user=None) -> None:
        plain = _normalise(password)
        found = sorted({word for word in self.words if word in plain})
        if found:
            raise ValidationError(
                _(
                    "Kata sandi tidak boleh memuat nama daerah, instansi atau aplikasi "
                    "(ditemukan: %(words)s): kata ini mudah ditebak. Gunakan kalimat lain."
                ),
                code="password_local_word",
                params={"words": ", ".join(found)},
            )

    def get_help_text(self) -> str:
        return _(
            "Kata sandi tidak boleh memuat nama daerah, instansi atau aplikasi, "
            "mis. kukar, tenggarong, bappeda, rpjmd."
        )
