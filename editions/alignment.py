"""Align the old segments of a source with the blocks of its new version.

Translators' work hangs on segment keys, so an edit of the source must move as few
keys as possible:

1. blocks whose text is unchanged (up to whitespace) keep their key, in order first
   (the longest common subsequence), then wherever they moved to;
2. remaining blocks are paired with remaining old segments by word similarity,
   most similar pairs first, so an edited paragraph keeps its key (and so its
   translation, which becomes stale), a split keeps the key on the closer half and a
   merge keeps the key of the closer original;
3. what is left is new (untranslated) or removed.
"""

from __future__ import annotations

import enum
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from editions.segmentation import normalize

# Below this word similarity two paragraphs are different paragraphs, not an edit.
SIMILARITY_THRESHOLD = 0.5
# Pairing is quadratic in the unmatched blocks; past this many pairs only blocks
# close in position are compared.
_MAX_PAIRS = 40_000
_WINDOW = 50


class Change(enum.StrEnum):
    UNCHANGED = "unchanged"
    EDITED = "edited"
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
        return sum(1 for block in self.blocks if block.change is Change.EDITED)

    @property
    def added(self) -> int:
        return sum(1 for block in self.blocks if block.change is Change.NEW)


def similarity(a: str, b: str, cutoff: float = 0.0) -> float:
    """Words in common, as 2 × their longest common subsequence / all words (difflib's
    ratio, computed bit-parallel in about n·m/64 steps); 0 below ``cutoff``."""
    return Indel.normalized_similarity(a.split(), b.split(), score_cutoff=cutoff)


def align(old: Sequence[str], new: Sequence[str]) -> Alignment:
    old_norm = [normalize(text) for text in old]
    new_norm = [normalize(text) for text in new]
    pairs: dict[int, int] = {}  # new index -> old index

    for block in Indel.opcodes(old_norm, new_norm):
        if block.tag == "equal":
            for offset in range(block.src_end - block.src_start):
                pairs[block.dest_start + offset] = block.src_start + offset

    # Moved blocks: identical text elsewhere.
    taken = set(pairs.values())
    free_old_by_text: dict[str, list[int]] = defaultdict(list)
    for index, text in enumerate(old_norm):
        if index not in taken:
            free_old_by_text[text].append(index)
    for index, text in enumerate(new_norm):
        if index not in pairs and free_old_by_text.get(text):
            pairs[index] = free_old_by_text[text].pop(0)
    unchanged = set(pairs)

    # Edited blocks: the most similar remaining pairs first.
    free_old = [i for i in range(len(old)) if i not in set(pairs.values())]
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
            score = similarity(old_norm[i], new_norm[j], SIMILARITY_THRESHOLD)
            if score >= SIMILARITY_THRESHOLD:
                # Ties go to the pair closest in position, then to document order.
                candidates.append((-score, abs(i - j), j, i))
    candidates.sort()
    used_old: set[int] = set(pairs.values())
    for _score, _distance, j, i in candidates:
        if j in pairs or i in used_old:
            continue
        pairs[j] = i
        used_old.add(i)

    blocks = tuple(
        Aligned(
            pairs.get(j),
            Change.UNCHANGED if j in unchanged else Change.EDITED if j in pairs else Change.NEW,
        )
        for j in range(len(new))
    )
    removed = tuple(i for i in range(len(old)) if i not in used_old)
    return Alignment(blocks, removed)
