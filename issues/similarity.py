"""Problems like the one being written: suggested while OPD staff type a masalah, and on the
planner's review page, so a duplicate is seen before it is saved (or merged in one step).

On PostgreSQL the database ranks: trigram similarity of the masalah (pg_trgm) plus full-text
rank with the 'indonesian' configuration (Snowball stemmer: "pendidikan" and "didik" meet),
both backed by GIN indexes (migration 0010). On SQLite (the embedded default) the same
candidates are ranked in Python by the overlap of their meaningful words (Dice coefficient,
no stemming); see docs/decisions.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramSimilarity,
)
from django.db import connection
from django.db.models import F, Q, Value

from issues.models import Problem
from rpjmd.models import Plan, User

LIMIT = 5
FTS_CONFIG = "indonesian"
# Below this a "suggestion" is one shared common word: noise, not a possible duplicate.
MIN_SCORE = 0.2
# Shorter input says too little to compare (the form asks for a whole sentence).
MIN_WORDS = 2
MAX_TYPED = 2000
# Words that carry no topic in a problem statement; PostgreSQL's 'indonesian' configuration
# stems but keeps them, so both engines drop them here before comparing.
STOP_WORDS = frozenset(
    [
        "yang",
        "dan",
        "di",
        "ke",
        "dari",
        "untuk",
        "pada",
        "dengan",
        "dalam",
        "ini",
        "itu",
        "atau",
        "juga",
        "oleh",
        "karena",
        "sehingga",
        "serta",
        "akan",
        "telah",
        "sudah",
        "masih",
        "belum",
        "tidak",
        "bukan",
        "ada",
        "adalah",
        "sebagai",
        "secara",
        "antara",
        "terhadap",
        "tersebut",
        "lebih",
        "kurang",
        "sangat",
        "banyak",
        "masih",
        "para",
        "bagi",
        "agar",
        "namun",
        "tetapi",
        "maupun",
        "yaitu",
        "seperti",
        "hingga",
    ]
)
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Suggestion:
    problem: Problem
    score: float

    @property
    def percent(self) -> int:
        return round(min(self.score, 1.0) * 100)


def meaningful_words(text: str) -> list[str]:
    words = WORD.findall(text.replace("\x00", " ").lower())
    seen: dict[str, None] = {}
    for word in words:
        if len(word) >= 3 and word not in STOP_WORDS and not word.isdigit():
            seen.setdefault(word, None)
    return list(seen)


def similar_problems(
    *, user: User, plan: Plan, text: str, exclude: int | None = None, limit: int = LIMIT
) -> list[Suggestion]:
    """Up to `limit` problems of the plan that `user` may read, most similar first.

    Merged duplicates are left out (their original is suggested instead), and so is the problem
    being edited (`exclude`)."""
    text = text[:MAX_TYPED]
    words = meaningful_words(text)
    if len(words) < MIN_WORDS:
        return []
    candidates = (
        Problem.objects.visible_to(user)
        .filter(plan=plan)
        .exclude(status=Problem.Status.DUPLICATE)
        .select_related("agency", "affair")
    )
    if exclude:
        candidates = candidates.exclude(pk=exclude)
    if connection.vendor == "postgresql":
        return _ranked_in_postgresql(candidates, " ".join(words), words, limit)
    return _ranked_by_word_overlap(candidates, words, limit)


def _ranked_in_postgresql(candidates, cleaned: str, words: list[str], limit: int):
    # Any meaningful word may match (OR): a near-duplicate rarely repeats every word.
    query = reduce(or_, (SearchQuery(word, config=FTS_CONFIG) for word in words))
    vector = SearchVector("statement", config=FTS_CONFIG)
    ranked = (
        candidates.annotate(
            statement_vector=vector,
            trigram=TrigramSimilarity("statement", cleaned),
            # 1: a long statement gains nothing from its length; 32: the rank lies in 0..1.
            text_rank=SearchRank(vector, query, normalization=1 | 32),
        )
        .filter(Q(statement_vector=query) | Q(TrigramSimilar(F("statement"), Value(cleaned))))
        .annotate(score=F("trigram") + F("text_rank"))
        .filter(score__gte=MIN_SCORE)
        .order_by("-score", "-pk")[:limit]
    )
    return [Suggestion(problem, float(problem.score)) for problem in ranked]


def _ranked_by_word_overlap(candidates, words: list[str], limit: int):
    typed = set(words)
    scored: list[tuple[float, int]] = []
    for pk, statement in candidates.values_list("pk", "statement").iterator():
        theirs = set(meaningful_words(statement))
        if not theirs:
            continue
        score = 2 * len(typed & theirs) / (len(typed) + len(theirs))
        if score >= MIN_SCORE:
            scored.append((score, pk))
    scored.sort(reverse=True)
    best = scored[:limit]
    problems = candidates.in_bulk([pk for _, pk in best])
    return [Suggestion(problems[pk], score) for score, pk in best]
