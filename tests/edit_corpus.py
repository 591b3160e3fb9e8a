"""A set of realistic source edits, each with what a translator should see afterwards.

The base article is translated block by block; every edit (one or more revisions of the
source) names, for each block of the final source, what its translation should be:

- ``Same(i)``: the translation of base block ``i``, still current;
- ``Changed(i)``: the translation of base block ``i``, kept as stale with a diff;
- ``NEW``: nothing yet (untranslated).

``tests/test_edit_corpus.py`` holds every edit to its expectation on both databases and
``bench/staleness.py`` reports the shares over the whole set (``bench/staleness.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from editions.content.articles import SourceText, get_counterpart, source_segments
from editions.content.counterparts import import_counterpart
from editions.content.sources import create_article, revise_source
from editions.core.models import PublicationState, Translation

TITLE = "A library by the river"
BASE = [
    "## A library by the river",
    "The Lumen Foundation opened its third river library in Vlora on Saturday, 14 March 2026.",
    "About 300 readers came on the first morning, many of them childern from the schools nearby.",
    "The library lends books in Albanian, English, Arabic and Persian, and holds a weekly "
    "reading circle for newcomers to the city.",
    "## What the volunteers built",
    "Twelve volunteers spent four weekends turning an old boathouse into a reading room with "
    "*bright* shelves and long tables.",
    "- Forty metres of shelving made from reclaimed timber.",
    "- A children's corner with cushions and a puppet theatre.",
    "- A small printing press for the [newsletter](https://example.org/newsletter).",
    "“We wanted a place where nobody has to pay to read,” said Arta Hoxha, who leads the project.",
    "## What comes next",
    "The foundation plans two more libraries along the coast by 2028, funded by small monthly "
    "gifts from readers.",
    "Opening hours, events and the list of donors are on the "
    "[project page](https://example.org/libraries).",
]


@dataclass(frozen=True)
class Same:
    old: int


@dataclass(frozen=True)
class Changed:
    old: int


NEW = None
Expected = Same | Changed | None


@dataclass(frozen=True)
class Edit:
    name: str
    revisions: tuple[tuple[str, ...], ...]  # each a list of blocks; the last one is checked
    expected: tuple[Expected, ...]


def _replace(index: int, text: str) -> list[str]:
    blocks = list(BASE)
    blocks[index] = text
    return blocks


def _same(*indexes: int) -> list[Expected]:
    return [Same(i) for i in indexes]


REWRITE_9 = (
    "Arta Hoxha, who leads the project, said the aim was a room that costs nothing to enter."
)
FULL_REWRITE = [
    "## Vlora gets a reading room on the water",
    "A third library of the Lumen Foundation has opened its doors by the river in Vlora.",
    "Hundreds of people, children above all, visited during its first morning in March.",
    "Visitors borrow in four languages, and newcomers meet every week to read together.",
    "## Built by hand",
    "An old boathouse became a bright hall with long tables in four weekends of work.",
    "- Reclaimed wood for every shelf in the room.",
    "- Cushions and puppets for the youngest readers.",
    "- A printing press that makes the [newsletter](https://example.org/newsletter).",
    "Nobody should pay to read, says the project's leader, Arta Hoxha.",
    "## The plans",
    "Two more coastal libraries should follow within two years, paid for by readers' gifts.",
    "See the [project page](https://example.org/libraries) for hours and donors.",
]

EDITS: tuple[Edit, ...] = (
    Edit(
        "typo fixed",
        (tuple(_replace(2, BASE[2].replace("childern", "children"))),),
        (*_same(0, 1), Changed(2), *_same(*range(3, 13))),
    ),
    Edit(
        "number changed",
        (tuple(_replace(2, BASE[2].replace("300", "350"))),),
        (*_same(0, 1), Changed(2), *_same(*range(3, 13))),
    ),
    Edit(
        "sentence added",
        (tuple(_replace(5, BASE[5] + " The timber came from a sawmill that closed last year.")),),
        (*_same(*range(5)), Changed(5), *_same(*range(6, 13))),
    ),
    Edit(
        "paragraph rewritten",
        (tuple(_replace(9, REWRITE_9)),),
        (*_same(*range(9)), Changed(9), *_same(10, 11, 12)),
    ),
    Edit(
        "paragraph moved",
        ((*BASE[:9], BASE[11], BASE[9], BASE[10], BASE[12]),),
        tuple(_same(*range(9), 11, 9, 10, 12)),
    ),
    Edit(
        "list items swapped",
        ((*BASE[:6], BASE[7], BASE[6], *BASE[8:]),),
        tuple(_same(*range(6), 7, 6, *range(8, 13))),
    ),
    Edit(
        "paragraph split",
        (
            (
                *BASE[:3],
                "The library lends books in Albanian, English, Arabic and Persian.",
                "It also holds a weekly reading circle for newcomers to the city.",
                *BASE[4:],
            ),
        ),
        # The key stays on the closer half: here the second, with more of the old words.
        (*_same(0, 1, 2), NEW, Changed(3), *_same(*range(4, 13))),
    ),
    Edit(
        "paragraphs merged",
        ((BASE[0], BASE[1] + " " + BASE[2], *BASE[3:]),),
        # The key of the closer original: the second paragraph, the longer of the two.
        (Same(0), Changed(2), *_same(*range(3, 13))),
    ),
    Edit(
        "paragraph inserted at the top",
        (("The river library is the first in the region to open on weekends.", *BASE),),
        (NEW, *_same(*range(13))),
    ),
    Edit(
        "paragraph inserted between unchanged ones",
        ((*BASE[:4], "Local musicians played on the steps all afternoon.", *BASE[4:]),),
        (*_same(0, 1, 2, 3), NEW, *_same(*range(4, 13))),
    ),
    Edit(
        "paragraph deleted",
        (tuple(BASE[:12]),),
        tuple(_same(*range(12))),
    ),
    Edit(
        "heading renamed",
        (tuple(_replace(4, "## Four weekends of work")),),
        (*_same(0, 1, 2, 3), Changed(4), *_same(*range(5, 13))),
    ),
    Edit(
        "list item edited",
        (tuple(_replace(7, "- A children's corner with floor cushions and a reading tent.")),),
        (*_same(*range(7)), Changed(7), *_same(*range(8, 13))),
    ),
    Edit(
        "list item added",
        ((*BASE[:9], "- A shelf of books in braille.", *BASE[9:]),),
        (*_same(*range(9)), NEW, *_same(*range(9, 13))),
    ),
    Edit(
        "link target changed",
        (tuple(_replace(8, BASE[8].replace("example.org/newsletter", "example.org/news"))),),
        (*_same(*range(8)), Changed(8), *_same(*range(9, 13))),
    ),
    Edit(
        "emphasis changed",
        (tuple(_replace(5, BASE[5].replace("*bright*", "**bright**"))),),
        (*_same(*range(5)), Changed(5), *_same(*range(6, 13))),
    ),
    Edit(
        "heading renamed and paragraph rewritten under it",
        (
            (
                *BASE[:10],
                "## Next year",
                "Readers' small monthly gifts will pay for libraries in Durrës and Sarandë.",
                BASE[12],
            ),
        ),
        (*_same(*range(10)), Changed(10), Changed(11), Same(12)),
    ),
    Edit(
        "combined: number, rewrite, insertion, deletion, move",
        (
            (
                BASE[0],
                BASE[1],
                BASE[2].replace("300", "320"),
                BASE[3],
                BASE[4],
                BASE[5],
                BASE[7],
                BASE[6],
                BASE[8],
                REWRITE_9,
                "A second reading circle, for parents, starts in April.",
                BASE[10],
                BASE[11],
            ),
        ),
        (
            *_same(0, 1),
            Changed(2),
            *_same(3, 4, 5, 7, 6, 8),
            Changed(9),
            NEW,
            *_same(10, 11),
        ),
    ),
    Edit(
        "rewrite with a new paragraph after it",
        (
            (
                *BASE[:9],
                REWRITE_9,
                "Volunteers are still welcome on Saturdays.",
                *BASE[10:],
            ),
        ),
        (*_same(*range(9)), Changed(9), NEW, *_same(10, 11, 12)),
    ),
    Edit(
        "paragraph moved and edited",
        ((*BASE[:2], *BASE[3:9], BASE[2].replace("300", "about 300"), *BASE[9:]),),
        (*_same(0, 1, *range(3, 9)), Changed(2), *_same(*range(9, 13))),
    ),
    Edit(
        "paragraph split in three",
        (
            (
                *BASE[:5],
                "Twelve volunteers spent four weekends on the work.",
                "They turned an old boathouse into a reading room.",
                "It has *bright* shelves and long tables.",
                *BASE[6:],
            ),
        ),
        (*_same(*range(5)), NEW, Changed(5), NEW, *_same(*range(6, 13))),
    ),
    Edit(
        "line breaks and spaces only",
        (tuple(block.replace(", ", ",\n") for block in BASE),),
        tuple(_same(*range(13))),
    ),
    Edit(
        "full rewrite",
        (tuple(FULL_REWRITE),),
        tuple(Changed(i) for i in range(13)),
    ),
    Edit(
        "edit reverted",
        (tuple(_replace(9, REWRITE_9)), tuple(BASE)),
        tuple(_same(*range(13))),
    ),
    Edit(
        "paragraph deleted, then restored",
        ((*BASE[:9], *BASE[10:]), tuple(BASE)),
        tuple(_same(*range(13))),
    ),
)


def translation_of(index: int) -> str:
    """The Persian stand-in translation of base block ``index``."""
    return f"برگردان فارسی بند {index + 1} از متن نخست"


def _source(blocks: Sequence[str]) -> SourceText:
    return SourceText(TITLE, "", "\n\n".join(blocks) + "\n")


def _translated(blocks: Sequence[str]) -> SourceText:
    prefixes = [block[: len(block) - len(block.lstrip("#- "))] for block in blocks]
    return _source([prefix + translation_of(i) for i, prefix in enumerate(prefixes)])


@dataclass(frozen=True)
class Outcome:
    """What the translator finds on one block of the final source."""

    translation: int | None  # which base block's translation it holds, if any
    current: bool

    def as_expected(self) -> Expected:
        if self.translation is None:
            return NEW
        return Same(self.translation) if self.current else Changed(self.translation)


def apply_edit(session: Session, editions, edit: Edit, article_id: int) -> list[Outcome]:
    """Write the base article with a Persian counterpart, apply the edit's revisions and
    return what each block of the final source holds."""
    article = create_article(
        session,
        editions,
        article_id=article_id,
        source_edition="en",
        section="articles",
        text=_source(BASE),
        published_on=date(2026, 3, 14),
    )
    # A draft: the stand-in translations number their blocks, which the publishing gate's
    # numbers check would refuse; staleness is the same for drafts.
    import_counterpart(
        session, editions, article, "fa", _translated(BASE), state=PublicationState.DRAFT
    )
    for revision in edit.revisions:
        revise_source(session, article, _source(revision))
    counterpart = get_counterpart(session, article_id, "fa")
    assert counterpart is not None
    translations = {
        translation.segment_id: translation
        for translation in session.scalars(
            select(Translation).where(Translation.counterpart_id == counterpart.id)
        )
    }
    by_text = {translation_of(i): i for i in range(len(BASE))}
    outcomes = []
    for segment in source_segments(session, article_id)[1:]:  # the title is not an edit
        translation = translations.get(segment.id)
        if translation is None:
            outcomes.append(Outcome(None, False))
        else:
            outcomes.append(
                Outcome(by_text[translation.text], translation.source_checksum == segment.checksum)
            )
    return outcomes


@dataclass
class Scores:
    changed: int = 0  # blocks that should keep a stale translation
    kept_stale: int = 0  # ... and did, with the right one
    untouched: int = 0
    untouched_current: int = 0
    flagged: int = 0  # blocks shown as needing work (stale or untranslated)
    flagged_rightly: int = 0
    needing_work: int = 0  # blocks that truly need work (changed or new)
    exact: int = 0  # blocks whose outcome is exactly the expected one
    blocks: int = 0

    def add(self, expected: Sequence[Expected], found: Sequence[Outcome]) -> None:
        for want, got in zip(expected, found, strict=True):
            self.blocks += 1
            self.exact += got.as_expected() == want
            needs_work = not isinstance(want, Same)
            flagged = not got.current
            self.needing_work += needs_work
            self.flagged += flagged
            self.flagged_rightly += needs_work and flagged
            if isinstance(want, Changed):
                self.changed += 1
                self.kept_stale += got == Outcome(want.old, False)
            if isinstance(want, Same):
                self.untouched += 1
                self.untouched_current += got.current

    @property
    def kept_stale_share(self) -> float:
        return self.kept_stale / self.changed

    @property
    def precision(self) -> float:
        return self.flagged_rightly / self.flagged

    @property
    def recall(self) -> float:
        return self.flagged_rightly / self.needing_work

    @property
    def untouched_current_share(self) -> float:
        return self.untouched_current / self.untouched
