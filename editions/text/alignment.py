"""Align the old segments of a source with the blocks of its new version.

Translators' work hangs on segment keys, so an edit of the source must move as few
keys as possible:

1. blocks whose text is unchanged (up to whitespace) keep their key, in order first
   (the longest common subsequence), then wherever they moved to;
2. remaining blocks are paired with remaining old segments by word similarity,
   most similar pairs first, so an edited paragraph keeps its key (and so its
   translation, which becomes stale), a split keeps the key on the closer half and a
   merge keeps the key of the closer original;
3. old and new blocks still unpaired between the same two unchanged neighbours are
   rewrites of each other (a renamed heading, a paragraph said anew, a whole body
   rewritten): they are paired in document order, the most alike (in words, and a
   heading with a heading) where one side has more, so the translation stays as a
   stale starting point with a word diff;
4. what is left is new (untranslated) or removed: a block inserted where nothing was
   removed, or removed where nothing was inserted.
"""

from __future__ import annotations

import enum
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from editions.text.segmentation import normalize

# Below this word similarity two paragraphs are different paragraphs, not an edit.
SIMILARITY_THRESHOLD = 0.5
# Pairing is quadratic in the unmatched blocks; past this many pairs only blocks
# close in position are compared.
_MAX_PAIRS = 40_000
_WINDOW = 50


class Change(enum.StrEnum):
    UNCHANGED = "unchanged"
    EDITED = "edited"
    REWRITTEN = "rewritten"  # paired by place, not by likeness: the old translation is a start
    NEW = "new"


@dataclass(frozen=True)
class Aligned:
    """Where one new block came from: the old index it inherits a key from, if any."""

    old_index: int | None
    change: Change


@dataclass(frozen=True)
class Alignment:
    blocks: tuple[Aligned, ...]
    removed: tuple[int, ...]  # old indexes nobody inherited

    @property
    def edited(self) -> int:
        return sum(1 for block in self.blocks if block.change in (Change.EDITED, Change.REWRITTEN))

    @property
    def added(self) -> int:
        return sum(1 for block in self.blocks if block.change is Change.NEW)


def similarity(a: str, b: str, cutoff: float = 0.0) -> float:
    """Words in common, as 2 × their longest common subsequence / all words (difflib's
    ratio, computed bit-parallel in about n·m/64 steps); 0 below ``cutoff``."""
    return Indel.normalized_similarity(a.split(), b.split(), score_cutoff=cutoff)


def align(
    old: Sequence[str],
    new: Sequence[str],
    *,
    old_kinds: Sequence[str] = (),
    new_kinds: Sequence[str] = (),
) -> Alignment:
    """Where each new block comes from; ``*_kinds`` (heading, paragraph…) guide rewrites."""
    old_norm = [normalize(text) for text in old]
    new_norm = [normalize(text) for text in new]
    anchors = _unchanged_runs(old_norm, new_norm)
    pairs = _pair_unchanged(old_norm, new_norm, anchors)  # new index -> old index
    unchanged = set(pairs)
    edited = _pair_edited(old_norm, new_norm, pairs)
    pairs.update(edited)
    used_old = set(pairs.values())

    old_blocks = list(zip(old_norm, old_kinds or [""] * len(old), strict=True))
    new_blocks = list(zip(new_norm, new_kinds or [""] * len(new), strict=True))
    rewritten = _pair_rewrites(old_blocks, new_blocks, anchors, pairs, used_old)
    pairs.update(rewritten)
    used_old.update(rewritten.values())

    def change(j: int) -> Change:
        if j in unchanged:
            return Change.UNCHANGED
        if j in edited:
            return Change.EDITED
        return Change.REWRITTEN if j in rewritten else Change.NEW

    blocks = tuple(Aligned(pairs.get(j), change(j)) for j in range(len(new)))
    removed = tuple(i for i in range(len(old)) if i not in used_old)
    return Alignment(blocks, removed)


def _unchanged_runs(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int, int]]:
    """Unchanged runs, in order, ending with a (len, len, 0) sentinel as difflib's were."""
    return [
        (block.src_start, block.dest_start, block.src_end - block.src_start)
        for block in Indel.opcodes(old, new)
        if block.tag == "equal"
    ] + [(len(old), len(new), 0)]


def _pair_unchanged(
    old: Sequence[str], new: Sequence[str], anchors: Sequence[tuple[int, int, int]]
) -> dict[int, int]:
    """The blocks of the unchanged runs, then moved blocks: identical text elsewhere."""
    pairs: dict[int, int] = {}
    for a, b, size in anchors:
        for offset in range(size):
            pairs[b + offset] = a + offset
    taken = set(pairs.values())
    free_old_by_text: dict[str, list[int]] = defaultdict(list)
    for index, text in enumerate(old):
        if index not in taken:
            free_old_by_text[text].append(index)
    for index, text in enumerate(new):
        if index not in pairs and free_old_by_text.get(text):
            pairs[index] = free_old_by_text[text].pop(0)
    return pairs


def _pair_edited(old: Sequence[str], new: Sequence[str], pairs: dict[int, int]) -> dict[int, int]:
    """Edited blocks among those not paired yet: the most similar pairs first."""
    taken = set(pairs.values())
    free_old = [i for i in range(len(old)) if i not in taken]
    free_new = [j for j in range(len(new)) if j not in pairs]
    candidates: list[tuple[float, int, int, int]] = []
    near_only = len(free_old) * len(free_new) > _MAX_PAIRS
    for j in free_new:
        nearby = (
            free_old[bisect_left(free_old, j - _WINDOW) : bisect_right(free_old, j + _WINDOW)]
            if near_only
            else free_old
        )
        for i in nearby:
            score = similarity(old[i], new[j], SIMILARITY_THRESHOLD)
            if score >= SIMILARITY_THRESHOLD:
                # Ties go to the pair closest in position, then to document order.
                candidates.append((-score, abs(i - j), j, i))
    candidates.sort()
    edited: dict[int, int] = {}
    used_old: set[int] = set()
    for _score, _distance, j, i in candidates:
        if j in edited or i in used_old:
            continue
        edited[j] = i
        used_old.add(i)
    return edited


def _pair_rewrites(
    old: Sequence[tuple[str, str]],
    new: Sequence[tuple[str, str]],
    anchors: Sequence[tuple[int, int, int]],
    pairs: dict[int, int],
    used_old: set[int],
) -> dict[int, int]:
    """Pair the blocks left over in each gap between consecutive unchanged runs."""
    rewritten: dict[int, int] = {}
    old_end = new_end = 0
    for a, b, size in anchors:
        free_old = [i for i in range(old_end, a) if i not in used_old]
        free_new = [j for j in range(new_end, b) if j not in pairs]
        if free_old and free_new:
            rewritten.update(_in_order(old, new, free_old, free_new))
        old_end, new_end = a + size, b + size
    return rewritten


def _in_order(
    old: Sequence[tuple[str, str]],
    new: Sequence[tuple[str, str]],
    free_old: list[int],
    free_new: list[int],
) -> dict[int, int]:
    """As many order-keeping pairs as the shorter side has, the most alike overall.

    When both sides have as many blocks they pair one for one; otherwise a small dynamic
    programme picks which blocks of the longer side are the rewrites (a gap is a few
    blocks; a very long one is paired from its start).
    """
    if len(free_old) == len(free_new) or len(free_old) * len(free_new) > _MAX_PAIRS:
        return dict(zip(free_new, free_old, strict=False))
    rows, cols = len(free_old), len(free_new)
    # best[r][c]: the highest total likeness pairing old[r:] with new[c:] as far as possible
    best = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for r in range(rows - 1, -1, -1):
        for c in range(cols - 1, -1, -1):
            paired = _likeness(old[free_old[r]], new[free_new[c]]) + best[r + 1][c + 1]
            skip_old = best[r + 1][c] if rows - r > cols - c else -1.0
            skip_new = best[r][c + 1] if cols - c > rows - r else -1.0
            best[r][c] = max(paired, skip_old, skip_new)
    result: dict[int, int] = {}
    r = c = 0
    while r < rows and c < cols:
        paired = _likeness(old[free_old[r]], new[free_new[c]]) + best[r + 1][c + 1]
        if paired >= best[r][c]:  # ties pair the earlier blocks: "in order"
            result[free_new[c]] = free_old[r]
            r, c = r + 1, c + 1
        elif rows - r > cols - c and best[r][c] == best[r + 1][c]:
            r += 1
        else:
            c += 1
    return result


def _likeness(a: tuple[str, str], b: tuple[str, str]) -> float:
    """Shared words (names and numbers survive a rewrite), and a heading for a heading."""
    (text_a, kind_a), (text_b, kind_b) = a, b
    return _shared_words(text_a.split(), text_b.split()) + (0.5 if kind_a == kind_b else 0.0)


def _shared_words(a: list[str], b: list[str]) -> float:
    """The words two texts share in any order, as 2 × shared / all (difflib's quick_ratio)."""
    if not a and not b:
        return 1.0
    shared = sum((Counter(a) & Counter(b)).values())
    return 2.0 * shared / (len(a) + len(b))
