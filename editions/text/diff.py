"""Word-level and paragraph-level diffs, for stale segments and source revisions.

A word diff is a longest common subsequence of the two texts' tokens (rapidfuzz's
bit-parallel Indel, about n·m/64 steps and never worse, where difflib's matcher grows
faster than quadratic on repeated words). Past ``WORD_DIFF_BUDGET`` token pairs,
after the common start and end are set aside, the middle is shown as removed and added
whole: a diff of two texts that large is not read word by word anyway.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Indel

# Words with the space or punctuation that follows them, so a diff re-joins losslessly.
_TOKEN = re.compile(r"\s+|\w+(?:['’\u200c-]\w+)*|[^\w\s]")


class Op(enum.StrEnum):
    SAME = "same"
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"  # a paragraph edited in place: its word diff says how


@dataclass(frozen=True)
class Piece:
    op: Op
    text: str


WORD_DIFF_BUDGET = 25_000_000  # token pairs: two segments of 5,000 words each


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[Piece]:
    """What changed between two texts, word by word; SAME pieces join to both sides.

    In each changed stretch the removed words come before the added ones.
    """
    a, b = tokens(old), tokens(new)
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    pieces: list[Piece] = []
    _append(pieces, Op.SAME, "".join(a[:start]))
    removed: list[str] = []
    added: list[str] = []
    if len(middle_a) * len(middle_b) > WORD_DIFF_BUDGET:
        removed, added = middle_a, middle_b
    else:
        for opcode in Indel.opcodes(middle_a, middle_b):
            if opcode.tag == "equal":
                _flush(pieces, removed, added)
                _append(pieces, Op.SAME, "".join(middle_a[opcode.src_start : opcode.src_end]))
            else:
                removed += middle_a[opcode.src_start : opcode.src_end]
                added += middle_b[opcode.dest_start : opcode.dest_end]
    _flush(pieces, removed, added)
    _append(pieces, Op.SAME, "".join(a[len(a) - end :]))
    return pieces


def _flush(pieces: list[Piece], removed: list[str], added: list[str]) -> None:
    _append(pieces, Op.REMOVED, "".join(removed))
    _append(pieces, Op.ADDED, "".join(added))
    removed.clear()
    added.clear()


def _append(pieces: list[Piece], op: Op, text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1].op is op:
        pieces[-1] = Piece(op, pieces[-1].text + text)
    else:
        pieces.append(Piece(op, text))


@dataclass(frozen=True)
class ParagraphChange:
    op: Op
    old: str | None
    new: str | None
    words: tuple[Piece, ...] = ()  # for CHANGED paragraphs

    @property
    def changed(self) -> bool:
        return self.op is not Op.SAME


def paragraph_diff(old: Sequence[str], new: Sequence[str]) -> list[ParagraphChange]:
    """Paragraphs of two versions aligned as the segment keys are, with word diffs of edits."""
    from editions.text.alignment import Change, align

    alignment = align(old, new)
    changes: list[ParagraphChange] = []
    removed = set(alignment.removed)
    emitted_old = -1
    for index, block in enumerate(alignment.blocks):
        if block.old_index is not None:
            # Removed paragraphs are shown where they stood, before their successors.
            for gone in sorted(i for i in removed if i < block.old_index and i > emitted_old):
                changes.append(ParagraphChange(Op.REMOVED, old[gone], None))
                removed.discard(gone)
            emitted_old = max(emitted_old, block.old_index)
        if block.change is Change.NEW:
            changes.append(ParagraphChange(Op.ADDED, None, new[index]))
        elif block.change is Change.UNCHANGED:
            changes.append(ParagraphChange(Op.SAME, old[block.old_index], new[index]))  # type: ignore[index]
        else:
            before = old[block.old_index]  # type: ignore[index]
            changes.append(
                ParagraphChange(
                    Op.CHANGED, before, new[index], tuple(word_diff(before, new[index]))
                )
            )
    changes.extend(ParagraphChange(Op.REMOVED, old[gone], None) for gone in sorted(removed))
    return changes
