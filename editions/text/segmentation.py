"""Split a Markdown body into segments and put one back together.

A body is a sequence of blocks: headings, paragraphs, list items and block-quote
paragraphs. Each block becomes one segment, with the Markdown that frames it kept
aside (``## ``, ``- ``, ``1. ``, ``> ``) so a translator sees only prose and a
translated body can be rebuilt with the source's structure.

Limits: every page, check and diff works on segments and articles, so their size
bounds every request's work. The Markdown parser spends a few microseconds on each
character it may treat as mark-up (``[``, ``*``, ``<``, ``:``…) and next to nothing on
the others, so both characters and mark-up characters are counted, in linear time,
before anything is parsed: a segment holds at most ``MAX_SEGMENT_CHARACTERS`` and
``MAX_SEGMENT_MARKUP``, an article body ``MAX_BODY_CHARACTERS``, ``MAX_BODY_MARKUP``
and ``MAX_BODY_LINES``, in at most ``MAX_ARTICLE_SEGMENTS`` segments.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from editions.core.errors import EditionsError
from editions.core.messages import Message, _l

_parser = MarkdownIt("commonmark")

# A long paragraph is some 800 words; a 2,000-paragraph report is a normal article.
MAX_SEGMENT_CHARACTERS = 5_000
MAX_SEGMENT_MARKUP = 500
MAX_ARTICLE_SEGMENTS = 5_000
MAX_BODY_CHARACTERS = 2_000_000
MAX_BODY_MARKUP = 40_000
MAX_BODY_LINES = 20_000
# The characters markdown-it's inline parser stops at (its text rule's terminators),
# whitespace aside: each costs it 3–30 microseconds, any other character 40 nanoseconds.
MARKUP_CHARACTERS = "!#$%&*+-:<=>@[\\]^_`{}~"

# What a body may contain. Anything else would be lost or mangled when a
# translation is rebuilt, so it is refused with the line where it starts.
_UNSUPPORTED = {
    "code_block": _l("an indented code block (a line indented by four spaces or a tab)"),
    "fence": _l("a fenced code block"),
    "html_block": _l("raw HTML"),
    "hr": _l("a horizontal rule"),
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WHITESPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+(?:['’\u200c-]\w+)*")


class MarkdownError(EditionsError):
    """A body that Editions cannot split into segments, with the line at fault."""

    def __init__(self, problem: str, line: int | None = None, /, **params: object) -> None:
        self.line = line
        if line is None:
            super().__init__(problem, **params)
        else:
            super().__init__(
                _l("line %(line)s: %(problem)s"), line=line, problem=Message(problem, params)
            )


@dataclass(frozen=True)
class Block:
    kind: str  # heading | paragraph | item | quote
    text: str
    prefix: str = ""
    continues: bool = False  # the next item of the same list: joined by one newline


def normalize(text: str) -> str:
    """The text as it is compared and stored: NFC, whitespace runs folded to one space."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def checksum(text: str) -> str:
    return hashlib.blake2b(normalize(text).encode(), digest_size=8).hexdigest()


def link_targets(text: str) -> Iterator[tuple[int, int]]:
    """Start and end of every Markdown link target ``](…)``, left to right: what the
    pattern ``\\]\\([^)]*\\)`` finds, without its rescan to the end of the text for
    every ``](`` that is never closed (quadratic); here each character is read once."""
    position = 0
    while (start := text.find("](", position)) >= 0:
        end = text.find(")", start + 2)
        if end < 0:
            return  # no ")" after this "](", so none after any later one either
        yield start, end + 1
        position = end + 1


def without_link_targets(text: str) -> str:
    """The text with each link target ``](…)`` cut down to its ``]``."""
    pieces = []
    position = 0
    for start, end in link_targets(text):
        pieces.append(text[position : start + 1])
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def count_words(text: str) -> int:
    # Markdown link targets are not words a translator translates.
    return len(_WORD.findall(without_link_targets(text)))


def markup_count(text: str) -> int:
    """How many characters of ``text`` the Markdown parser may treat as mark-up."""
    return sum(text.count(character) for character in MARKUP_CHARACTERS)


class TooLarge(EditionsError):
    """A segment or an article over the limits that keep every page and check fast."""


def check_segment_size(text: str) -> None:
    """Refuse a segment (a source block, a title, a translation) over the limits."""
    if len(text) > MAX_SEGMENT_CHARACTERS:
        raise TooLarge(
            _l(
                "a segment may have at most %(limit)s characters and this one has %(count)s: "
                "split it into shorter paragraphs"
            ),
            limit=MAX_SEGMENT_CHARACTERS,
            count=len(text),
        )
    markup = markup_count(text)
    if markup > MAX_SEGMENT_MARKUP:
        raise TooLarge(
            _l(
                "a segment may have at most %(limit)s Markdown symbols "
                "([, ], *, _, <, - and the like) and this one has %(count)s: "
                "split it into shorter paragraphs"
            ),
            limit=MAX_SEGMENT_MARKUP,
            count=markup,
        )


def check_body_size(body: str) -> None:
    """Refuse a body over the article limits, before the Markdown parser sees it."""
    if len(body) > MAX_BODY_CHARACTERS:
        raise TooLarge(
            _l("an article body may have at most %(limit)s characters and this one has %(count)s"),
            limit=MAX_BODY_CHARACTERS,
            count=len(body),
        )
    lines = body.count("\n")
    if lines > MAX_BODY_LINES:
        raise TooLarge(
            _l("an article body may have at most %(limit)s lines and this one has %(count)s"),
            limit=MAX_BODY_LINES,
            count=lines,
        )
    markup = markup_count(body)
    if markup > MAX_BODY_MARKUP:
        raise TooLarge(
            _l(
                "an article body may have at most %(limit)s Markdown symbols "
                "([, ], *, _, <, - and the like) and this one has %(count)s"
            ),
            limit=MAX_BODY_MARKUP,
            count=markup,
        )


def split_body(body: str) -> list[Block]:
    """The blocks of a Markdown body, or a MarkdownError naming the first bad line."""
    try:
        check_body_size(body)
    except TooLarge as error:
        raise MarkdownError(error.message.template, None, **error.message.params) from None
    if _CONTROL.search(body):
        line = body[: _CONTROL.search(body).start()].count("\n") + 1  # type: ignore[union-attr]
        raise MarkdownError(_l("the body contains an invisible control character"), line)
    _check_links(body)
    tokens = _parser.parse(body)
    blocks: list[Block] = []
    containers: list[Token] = []
    previous_item_list: Token | None = None
    list_stack: list[Token] = []
    for token in tokens:
        if token.type in _UNSUPPORTED:
            raise MarkdownError(
                _l(
                    "%(construct)s is not supported in an article body; "
                    "use paragraphs, ## headings, lists and > quotes"
                ),
                _line(token),
                construct=Message(_UNSUPPORTED[token.type]),
            )
        if token.type in {"bullet_list_open", "ordered_list_open"}:
            if list_stack:
                raise MarkdownError(_l("nested lists are not supported"), _line(token))
            list_stack.append(token)
        elif token.type in {"bullet_list_close", "ordered_list_close"}:
            list_stack.pop()
        elif token.type.endswith("_open"):
            containers.append(token)
        elif token.type.endswith("_close"):
            containers.pop()
        elif token.type == "inline":
            text = normalize(token.content)
            if not text:
                continue
            try:
                check_segment_size(text)
            except TooLarge as error:
                message = error.message
                raise MarkdownError(message.template, _line(token), **message.params) from None
            block = _block_for(text, containers, list_stack, previous_item_list)
            previous_item_list = list_stack[-1] if block.kind == "item" else None
            blocks.append(block)
            if len(blocks) > MAX_ARTICLE_SEGMENTS:
                raise MarkdownError(
                    _l("an article may have at most %(limit)s paragraphs, headings and items"),
                    _line(token),
                    limit=MAX_ARTICLE_SEGMENTS,
                )
    return blocks


def _line(token: Token) -> int | None:
    return token.map[0] + 1 if token.map else None


def _block_for(
    text: str,
    containers: Sequence[Token],
    list_stack: Sequence[Token],
    previous_item_list: Token | None,
) -> Block:
    quote = "> " if any(token.type == "blockquote_open" for token in containers) else ""
    heading = next((token for token in containers if token.type == "heading_open"), None)
    if heading is not None:
        return Block("heading", text, quote + "#" * int(heading.tag[1]) + " ")
    item = next((token for token in reversed(containers) if token.type == "list_item_open"), None)
    if item is not None and list_stack:
        marker = f"{item.info}{item.markup} " if item.info else f"{item.markup} "
        return Block("item", text, quote + marker, continues=previous_item_list is list_stack[-1])
    if quote:
        return Block("quote", text, quote)
    return Block("paragraph", text)


def _check_links(body: str) -> None:
    """Refuse a link whose target is never closed: it would swallow the rest of the line."""
    for number, line in enumerate(body.splitlines(), start=1):
        # Only the last "](" of a line can lack a ")" after it without all the others
        # lacking one too: one look per line.
        last = line.rfind("](")
        if last >= 0 and line.find(")", last + 2) < 0:
            raise MarkdownError(_l("a link target opened with '](' is never closed"), number)


def join_blocks(blocks: Iterable[Block]) -> str:
    """Markdown for a sequence of blocks: the inverse of split_body for its output.

    Each block stays the kind of block it is: a text that would open another block at the
    start of its line (a translation beginning with ``## ``, ``- ``, ``1. ``, ``>``, a code
    fence, ``[x]: https://…`` or an HTML tag) has that character escaped, so it reads as
    the text it is, inside the block its source has.
    """
    parts: list[str] = []
    for block in blocks:
        if parts:
            parts.append("\n" if block.continues else "\n\n")
        parts.append(block.prefix + escape_block_text(block.text, heading=block.kind == "heading"))
    return "".join(parts) + ("\n" if parts else "")


# What opens a block at the start of a line (CommonMark), for a one-line text.
_OPENS_BLOCK = re.compile(
    r"""
    (?P<ordered>[0-9]{1,9})[.)](?:[ \t]|$)
    | \#{1,6}(?:[ \t]|$) | [-+*](?:[ \t]|$) | > | `{3,} | ~{3,}
    | (?:[-*_][ \t]*){3,}$ | =+[ \t]*$
    | \[(?:[^\]\\]|\\.)+\]: | <(?![A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>)(?=[A-Za-z/!?])
    """,
    re.VERBOSE,
)
_HEADING_CLOSE = re.compile(r"(?:^|[ \t])(#+)[ \t]*$")


def escape_block_text(text: str, *, heading: bool = False) -> str:
    """``text`` with a backslash where it would otherwise open or close a block."""
    opening = _OPENS_BLOCK.match(text)
    if opening is not None:
        if opening.group("ordered") is not None:
            at = opening.end("ordered")
            text = f"{text[:at]}\\{text[at:]}"
        else:
            text = "\\" + text
    if heading and (closing := _HEADING_CLOSE.search(text)):
        at = closing.start(1)
        text = f"{text[:at]}\\{text[at:]}"
    return text
