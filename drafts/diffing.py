"""Word-level comparison and three-way merge of section bodies.

Both work on the canonical form (drafts/html.py): first block by block (one block per line),
then, inside the blocks that differ, token by token (tags, words and white space), so a change
in one table cell shows as that word struck out and the new one inserted, and two people who
changed different sentences of one paragraph both keep their change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import nh3
from django.utils.safestring import SafeString, mark_safe

from drafts.html import ALLOWED_ATTRIBUTES, ALLOWED_CLASSES, ALLOWED_TAGS, blocks_of

TOKEN = re.compile(r"<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>|[^\s<]+|\s+")
VOID_TAGS = {"br", "img", "hr"}


def tokens(html: str) -> list[str]:
    return TOKEN.findall(html)


def _matcher(a: Sequence, b: Sequence) -> SequenceMatcher:
    return SequenceMatcher(None, a, b, autojunk=False)


# --- comparison -------------------------------------------------------------------------------

# What a comparison may show: the body allow-list, <ins>/<del>, and the classes the reading view
# adds (numbered captions, rendered data blocks).
_diff_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS | {"ins", "del"},
    attributes=ALLOWED_ATTRIBUTES,
    allowed_classes=ALLOWED_CLASSES
    | {
        "ins": {"diff-block"},
        "del": {"diff-block"},
        "table": {"data-table"},
        "span": {"footnote", "caption-label"},
        "p": ALLOWED_CLASSES["p"]
        | {"table-note", "table-source", "data-block-placeholder", "data-block-missing"},
    },
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer",
)


def compare(old: str, new: str) -> SafeString:
    """`new` with what changed since `old` marked: <ins> for added words, <del> for removed."""
    old_blocks, new_blocks = blocks_of(old), blocks_of(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in _matcher(old_blocks, new_blocks).get_opcodes():
        if op == "equal":
            out.extend(new_blocks[j1:j2])
        elif op == "insert":
            out.extend(f'<ins class="diff-block">{b}</ins>' for b in new_blocks[j1:j2])
        elif op == "delete":
            out.extend(f'<del class="diff-block">{b}</del>' for b in old_blocks[i1:i2])
        else:
            out.extend(_replace(old_blocks[i1:i2], new_blocks[j1:j2]))
    # The markup came from sanitized bodies; cleaning again closes whatever a word-level change
    # left open, so a comparison can never break the page around it.
    # nosemgrep: rpjmd-no-mark-safe - sanitized bodies, cleaned again by the allow-list
    return mark_safe(_diff_cleaner.clean("\n".join(out)))  # nosec B308 B703 - sanitized bodies, cleaned again just now


# Below this share of common tokens two blocks are shown as one removed and one added, not as
# a word salad of both.
SIMILAR = 0.4


def _replace(old_blocks: list[str], new_blocks: list[str]) -> list[str]:
    if len(old_blocks) == len(new_blocks):
        return [_pair(o, n) for o, n in zip(old_blocks, new_blocks, strict=True)]
    old, new = tokens("\n".join(old_blocks)), tokens("\n".join(new_blocks))
    opcodes, ratio = _opcodes(old, new)
    if ratio >= SIMILAR:
        return [_render_opcodes(old, new, opcodes)]
    return _whole(old_blocks, new_blocks)


def _pair(old_block: str, new_block: str) -> str:
    old, new = tokens(old_block), tokens(new_block)
    same_kind = bool(old and new) and _tag_name(old[0]) == _tag_name(new[0])
    opcodes, ratio = _opcodes(old, new)
    if not same_kind or ratio < SIMILAR:
        return "\n".join(_whole([old_block], [new_block]))
    return _render_opcodes(old, new, opcodes)


def _opcodes(old: list[str], new: list[str]) -> tuple[list[tuple], float]:
    """Opcodes and similarity, matching only what lies between the common start and end (most
    edits touch a few words of a long paragraph: this keeps comparisons fast)."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[-1 - end] == new[-1 - end]:
        end += 1
    matcher = _matcher(old[start : len(old) - end], new[start : len(new) - end])
    inner = matcher.get_opcodes()
    same = start + end + sum(size for *_, size in matcher.get_matching_blocks())
    opcodes = [("equal", 0, start, 0, start)] if start else []
    opcodes += [
        (op, i1 + start, i2 + start, j1 + start, j2 + start) for op, i1, i2, j1, j2 in inner
    ]
    if end:
        opcodes.append(("equal", len(old) - end, len(old), len(new) - end, len(new)))
    total = len(old) + len(new)
    return opcodes, (2.0 * same / total if total else 1.0)


def _whole(old_blocks: list[str], new_blocks: list[str]) -> list[str]:
    return [f'<del class="diff-block">{b}</del>' for b in old_blocks] + [
        f'<ins class="diff-block">{b}</ins>' for b in new_blocks
    ]


def _token_diff(old: list[str], new: list[str]) -> str:
    return _render_opcodes(old, new, _opcodes(old, new)[0])


def _render_opcodes(old: list[str], new: list[str], opcodes) -> str:
    out: list[str] = []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            out.extend(new[j1:j2])
        else:
            if i2 > i1:
                out.append(_mark(old[i1:i2], "del"))
            if j2 > j1:
                out.append(_mark(new[j1:j2], "ins"))
    return "".join(out)


def _mark(chunk: list[str], kind: str) -> str:
    """Wrap the words of a changed run; keep its tags if they make whole elements."""
    keep_tags = kind == "ins" or _balanced(chunk)
    out: list[str] = []
    text: list[str] = []

    def flush():
        if text:
            joined = "".join(text)
            out.append(f"<{kind}>{joined}</{kind}>" if joined.strip() else joined)
            text.clear()

    for token in chunk:
        if token.startswith("<"):
            flush()
            if keep_tags:
                out.append(token)
        else:
            text.append(token)
    flush()
    return "".join(out)


def _tag_name(token: str) -> tuple[str, bool]:
    match = re.match(r"<\s*(/?)\s*([a-zA-Z0-9]+)", token)
    if not match:
        return "", False
    return match.group(2).lower(), bool(match.group(1))


def _balanced(chunk: list[str]) -> bool:
    stack: list[str] = []
    for token in chunk:
        if not token.startswith("<"):
            continue
        name, closing = _tag_name(token)
        if name in VOID_TAGS or not name:
            continue
        if closing:
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    return not stack


# --- three-way merge --------------------------------------------------------------------------


@dataclass
class Region:
    """A stretch of the merged text: agreed (kind "same"/"merged") or a conflict to resolve."""

    kind: str
    result: str = ""
    base: str = ""
    theirs: str = ""
    mine: str = ""

    @property
    def is_conflict(self) -> bool:
        return self.kind == "conflict"


@dataclass
class Merge:
    regions: list[Region] = field(default_factory=list)

    @property
    def conflicts(self) -> list[Region]:
        return [r for r in self.regions if r.is_conflict]

    @property
    def clean(self) -> bool:
        return not self.conflicts

    @property
    def html(self) -> str:
        if not self.clean:
            raise ValueError("merge has conflicts")
        return "\n".join(r.result for r in self.regions if r.result)

    def resolve(self, choices: Sequence[str]) -> str:
        """The text with each conflict decided: "theirs", "mine" or "both" (each side's change
        once, theirs first: see `_both`)."""
        conflicts = self.conflicts
        if len(choices) != len(conflicts) or any(
            c not in ("theirs", "mine", "both") for c in choices
        ):
            raise ValueError("one choice per conflict")
        decided = iter(choices)
        parts = []
        for region in self.regions:
            if not region.is_conflict:
                parts.append(region.result)
                continue
            choice = next(decided)
            if choice == "theirs":
                parts.append(region.theirs)
            elif choice == "mine":
                parts.append(region.mine)
            else:
                parts.append(_both(region))
        return "\n".join(p for p in parts if p)


# Block elements: two sides' changes that end and start one are put on lines of their own.
BLOCK_TAGS = {"p", "h3", "h4", "h5", "ul", "ol", "li", "table", "tr", "blockquote", "figure", "hr"}


def _both(region: Region) -> str:
    """Both sides of a conflict, each change once: the words both left alone are kept as they
    are, and where both changed the same words their wording comes first, then mine. Putting the
    two whole paragraphs one after the other would repeat every sentence nobody touched."""
    base, theirs_tokens, mine_tokens = (
        tokens(region.base),
        tokens(region.theirs),
        tokens(region.mine),
    )
    if min(_opcodes(base, theirs_tokens)[1], _opcodes(base, mine_tokens)[1]) < SIMILAR:
        # One side rewrote the passage: interleaving its words would be a salad; the two
        # passages share too little to repeat anything.
        return f"{region.theirs}\n{region.mine}"
    merged: list[str] = []
    inner = merge_sequences(base, theirs_tokens, mine_tokens)
    for kind, _base, theirs, mine in inner:
        if kind != "conflict":
            merged.extend(mine)
            continue
        if not (_balanced(theirs) and _balanced(mine)):
            # A change that splits or joins elements cannot be interleaved: keep both blocks.
            return f"{region.theirs}\n{region.mine}"
        # What both sides wrote alike (a word whose full stop moved) is kept once too.
        start = 0
        while start < min(len(theirs), len(mine)) and theirs[start] == mine[start]:
            start += 1
        end = 0
        while end < min(len(theirs), len(mine)) - start and theirs[-1 - end] == mine[-1 - end]:
            end += 1
        own_theirs, own_mine = theirs[start : len(theirs) - end], mine[start : len(mine) - end]
        merged.extend(theirs[:start])
        merged.extend(own_theirs)
        if own_theirs and own_mine:
            merged.append(_joint(own_theirs[-1], own_mine[0]))
        merged.extend(own_mine)
        merged.extend(mine[len(mine) - end :])
    return "".join(merged).strip("\n")


def _joint(before: str, after: str) -> str:
    if before.isspace() or after.isspace():
        return ""
    name, closing = _tag_name(before)
    if closing and name in BLOCK_TAGS:
        return "\n"
    return " "


def merge(base: str, theirs: str, mine: str) -> Merge:
    """Merge two edits of the same base: changes that do not overlap are combined."""
    result = Merge()
    for chunk in merge_sequences(blocks_of(base), blocks_of(theirs), blocks_of(mine)):
        kind, base_part, theirs_part, mine_part = chunk
        if kind != "conflict":
            result.regions.append(Region("same", result="\n".join(mine_part)))
            continue
        b, t, m = "\n".join(base_part), "\n".join(theirs_part), "\n".join(mine_part)
        inner = list(merge_sequences(tokens(b), tokens(t), tokens(m)))
        if any(k == "conflict" for k, *_ in inner):
            result.regions.append(Region("conflict", base=b, theirs=t, mine=m))
        else:
            merged = "".join("".join(part) for _, _, _, part in inner)
            result.regions.append(Region("merged", result=merged.strip("\n")))
    return result


def merge_sequences(
    base: Sequence, theirs: Sequence, mine: Sequence
) -> Iterator[tuple[str, Sequence, Sequence, Sequence]]:
    """diff3 over two sequences: yields (kind, base, theirs, mine) stretches in order.

    kind is "same" (nobody changed it, or both made the same change), "theirs" / "mine" (one
    side changed it: its version is the result, given in the last slot either way) or "conflict".
    """
    for b0, b1, t0, t1, m0, m1, stable in _stretches(base, theirs, mine):
        b, t, m = base[b0:b1], theirs[t0:t1], mine[m0:m1]
        if stable or t == m:
            yield "same", b, t, m
        elif t == b:
            yield "mine", b, t, m
        elif m == b:
            yield "theirs", b, t, t
        else:
            yield "conflict", b, t, m


def _stretches(base, theirs, mine):
    """Alternating unstable and stable stretches (the sync regions of bzr's merge3)."""
    sync = []
    bt = [m for m in _matcher(base, theirs).get_matching_blocks() if m.size]
    bm = [m for m in _matcher(base, mine).get_matching_blocks() if m.size]
    i = j = 0
    while i < len(bt) and j < len(bm):
        tb, tt, tsize = bt[i]
        mb, mm, msize = bm[j]
        low, high = max(tb, mb), min(tb + tsize, mb + msize)
        if low < high:
            t_start = tt + (low - tb)
            m_start = mm + (low - mb)
            sync.append((low, high, t_start, t_start + high - low, m_start, m_start + high - low))
        if tb + tsize < mb + msize:
            i += 1
        else:
            j += 1
    sync.append((len(base), len(base), len(theirs), len(theirs), len(mine), len(mine)))
    b_pos = t_pos = m_pos = 0
    for b_start, b_end, t_start, t_end, m_start, m_end in sync:
        if b_pos < b_start or t_pos < t_start or m_pos < m_start:
            yield b_pos, b_start, t_pos, t_start, m_pos, m_start, False
        if b_end > b_start:
            yield b_start, b_end, t_start, t_end, m_start, m_end, True
        b_pos, t_pos, m_pos = b_end, t_end, m_end
