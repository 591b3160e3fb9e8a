"""Word-level and paragraph-level diffs, for stale segments and source revisions."""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

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


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[Piece]:
    """What changed between two texts, word by word; SAME pieces join to both sides."""
    a, b = tokens(old), tokens(new)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            _append(pieces, Op.SAME, "".join(a[i1:i2]))
            continue
        if i2 > i1:
            _append(pieces, Op.REMOVED, "".join(a[i1:i2]))
        if j2 > j1:
            _append(pieces, Op.ADDED, "".join(b[j1:j2]))
    return pieces


def _append(pieces: list[Piece], op: Op, text: str) -> None:
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
    from editions.alignment import Change, align

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
