"""Problems like the one being written: suggested while OPD staff type a masalah, and on the
planner's review page, so a duplicate is seen before it is saved (or merged in one step).

On PostgreSQL the database finds the problems sharing at least two stems with the typed text
(full-text search with the 'indonesian' configuration, Snowball stemmer: "pendidikan" and
"didik" meet; GIN index of migration 0010) and ranks them by trigram similarity of the masalah
(pg_trgm) plus full-text rank. On SQLite (the embedded default) the problems sharing at least
two words are ranked in Python by the overlap of their meaningful words (Dice coefficient, no
stemming); see docs/decisions.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce
from itertools import combinations
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity
from django.db import connection
from django.db.models import F

from issues.models import Problem
from rpjmd.models import Plan, User

LIMIT = 5
FTS_CONFIG = "indonesian"
# Below this a "suggestion" is one shared common word: noise, not a possible duplicate.
MIN_SCORE = 0.2
# Shorter input says too little to compare (the form asks for a whole sentence).
MIN_WORDS = 2
MAX_TYPED = 2000
# The first words typed that pair up into the candidate query (n·(n-1)/2 pairs).
MAX_PAIRED = 12
# A stem in more than this share of all problems anchors no candidate on its own side.
FREQUENT = 0.05
# How many of the best full-text matches are ranked again with trigrams.
SHORTLIST = 40
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
# Words nearly every problem statement uses for degree, direction or place ("angka ... masih
# rendah di desa"): they count in the ranking, but two of them alone make no candidate.
GENERIC_WORDS = frozenset(
    [
        "rendah",
        "tinggi",
        "terbatas",
        "minim",
        "meningkat",
        "menurun",
        "buruk",
        "baik",
        "optimal",
        "akses",
        "layanan",
        "pelayanan",
        "masyarakat",
        "penduduk",
        "warga",
        "desa",
        "kecamatan",
        "kabupaten",
        "kota",
        "daerah",
        "wilayah",
        "angka",
        "jumlah",
        "tingkat",
        "kualitas",
        "kondisi",
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
        if len(word) >= 3 and word not in STOP_WORDS and word.strip("0123456789"):
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
    stems = [SearchQuery(word, config=FTS_CONFIG) for word in words]
    # A candidate shares at least two stems with the typed text, in any order: one common word
    # ("akses", "rendah") is no sign of a duplicate, and an OR of single words makes thousands
    # of candidates at province scale. The GIN index on the stored vector finds them.
    common = _frequent(words[:MAX_PAIRED])
    pairs = [
        stems[i] & stems[j]
        for i, j in combinations(range(min(len(stems), MAX_PAIRED)), 2)
        if not (common[i] and common[j])
    ]
    # Only common words typed: then a candidate must hold all of them (still selective, and a
    # duplicate being retyped does).
    shares_two = reduce(or_, pairs) if pairs else reduce(and_, stems[:MAX_PAIRED])
    # 1: a long statement gains nothing from its length; 32: the rank lies in 0..1.
    text_rank = SearchRank(F("statement_vector"), reduce(or_, stems), normalization=1 | 32)
    # Trigrams are costly on long statements: only the best by stems get them.
    shortlist = (
        candidates.filter(statement_vector=shares_two)
        .annotate(text_rank=text_rank)
        .order_by("-text_rank", "-pk")
        .values("pk")[:SHORTLIST]
    )
    ranked = (
        Problem.objects.filter(pk__in=shortlist)
        .select_related("agency", "affair")
        .annotate(
            # Trigrams rank spelling variants and word order; the stems rank shared meaning.
            score=TrigramSimilarity("statement", cleaned) + text_rank,
        )
        .filter(score__gte=MIN_SCORE)
        .order_by("-score", "-pk")[:limit]
    )
    return [Suggestion(problem, float(problem.score)) for problem in ranked]


def _frequent(words: list[str]) -> list[bool]:
    """Whether each word is too common to anchor a candidate: a generic word, or one whose stem
    PostgreSQL's statistics of the stored vectors (ANALYZE) find in more than FREQUENT of all
    problems. Pairs of two such words would make a large share of the plan a candidate."""
    with connection.cursor() as cursor:
        # nosemgrep: rpjmd-no-raw-sql - the stemmer on the typed words (a parameter); no rows read
        cursor.execute(
            "SELECT w, ts_lexize('indonesian_stem', w) FROM unnest(%s::text[]) AS w", [words]
        )
        stems = {word: (lexemes or [word])[0] for word, lexemes in cursor.fetchall()}
        # nosemgrep: rpjmd-no-raw-sql - the planner's statistics of a column; no problem is read
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = 'issues_problem' AND attname = 'statement_vector'"
        )
        row = cursor.fetchone()
    shares = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
    return [
        word in GENERIC_WORDS or shares.get(stems.get(word, word), 0) > FREQUENT for word in words
    ]


def _ranked_by_word_overlap(candidates, words: list[str], limit: int):
    typed = set(words)
    scored: list[tuple[float, int]] = []
    for pk, statement in candidates.values_list("pk", "statement").iterator():
        theirs = set(meaningful_words(statement))
        common = typed & theirs
        shared = len(common)
        # As on PostgreSQL: one shared word, or only generic ones, is no sign of a duplicate.
        if shared < 2 or common <= GENERIC_WORDS:
            continue
        score = 2 * shared / (len(typed) + len(theirs))
        if score >= MIN_SCORE:
            scored.append((score, pk))
    scored.sort(reverse=True)
    best = scored[:limit]
    problems = candidates.in_bulk([pk for _, pk in best])
    return [Suggestion(problems[pk], score) for score, pk in best]
