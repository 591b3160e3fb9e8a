"""Quality checks on one translated segment, shared by the segment editor and the PO import.

Each check is a small function ``(source, target, edition) -> list[Finding]``;
``check_segment`` runs them all, once the target is within the segment limits (over
them it answers that single error, whatever the text). Every check reads its texts in
linear time: through the Markdown parser's tokens, ``link_targets`` (never the
backtracking ``\\]\\([^)]*\\)``) and patterns that cannot backtrack, so a new check
beside them should do the same. A finding is an *error* (it blocks publishing and an
import of that entry) or a *warning* (advice shown to the translator).

Messages are translated where they are shown, not here: ``editions/`` knows no Flask.
A finding carries an English message template marked with ``_l`` (a no-op that
``pybabel extract -k _l`` collects into the interface catalog) and its parameters
apart. The web layer shows ``gettext(finding.message, **finding.params)``; the CLI
and reports show ``finding.text()``, the English.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from babel import Locale
from babel.core import get_global
from markdown_it import MarkdownIt
from markdown_it.token import Token

from editions.core.languages import Edition
from editions.core.messages import _l
from editions.text.dates import Misconverted, compare_dates
from editions.text.localization import latin_digits
from editions.text.segmentation import (
    MAX_SEGMENT_CHARACTERS,
    MAX_SEGMENT_MARKUP,
    link_targets,
    markup_count,
    without_link_targets,
)
from editions.text.terms import TermPairs


class Severity(StrEnum):
    ERROR = "error"  # blocks publishing and the import of the entry
    WARNING = "warning"  # advice


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str  # English template with %(name)s placeholders, translatable as is
    params: Mapping[str, str | int] = field(default_factory=dict)
    suggestion: str | None = None  # the target with the problem fixed, when a fix is certain

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def text(self) -> str:
        """The message in English, for the CLI and stored reports."""
        return self.message % dict(self.params) if self.params else self.message

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.text(),
            "template": self.message,
            "params": dict(self.params),
            "suggestion": self.suggestion,
        }


def _error(code: str, message: str, suggestion: str | None = None, **params: str | int) -> Finding:
    return Finding(code, Severity.ERROR, message, params, suggestion)


def _warning(
    code: str, message: str, suggestion: str | None = None, **params: str | int
) -> Finding:
    return Finding(code, Severity.WARNING, message, params, suggestion)


# ---------------------------------------------------------------- markup

_inline = MarkdownIt("commonmark", {"html": False})
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")


def _inline_tokens(text: str) -> list[Token]:
    tokens = _inline.parseInline(text)
    return list(tokens[0].children or []) if tokens else []


# Without one of these a text has no link (inline or <autolink>), image or emphasis:
# no need to parse it.
_INLINE_MARKUP = re.compile(r"[\[*_<]")


def _markup(text: str) -> tuple[Counter[str], Counter[str], int]:
    """Link targets, image sources and emphasis runs of a segment's Markdown."""
    links: Counter[str] = Counter()
    images: Counter[str] = Counter()
    emphasis = 0
    if not _INLINE_MARKUP.search(text):
        return links, images, emphasis
    for token in _inline_tokens(text):
        if token.type == "link_open":
            links[str(token.attrs.get("href", ""))] += 1
        elif token.type == "image":
            images[str(token.attrs.get("src", ""))] += 1
        elif token.type in {"em_open", "strong_open"}:
            emphasis += 1
    return links, images, emphasis


def check_markup(source: str, target: str, edition: Edition) -> list[Finding]:
    """Links and images keep their targets; emphasis runs are kept; no raw HTML is added."""
    source_links, source_images, source_emphasis = _markup(source)
    links, images, emphasis = _markup(target)
    findings = [
        _error(code, template, expected=_listing(expected), found=_listing(found))
        for code, template, expected, found in (
            (
                "links",
                _l("The links differ from the source: expected %(expected)s, found %(found)s."),
                source_links,
                links,
            ),
            (
                "images",
                _l("The images differ from the source: expected %(expected)s, found %(found)s."),
                source_images,
                images,
            ),
        )
        if found != expected
    ]
    added_html = Counter(_HTML_TAG.findall(target)) - Counter(_HTML_TAG.findall(source))
    if added_html:
        findings.append(
            _error(
                "html",
                _l("HTML is not allowed in a translation: %(tags)s."),
                tags=_listing(added_html),
            )
        )
    if emphasis != source_emphasis:
        findings.append(
            _warning(
                "emphasis",
                _l("The source has %(expected)s bold or italic runs, the translation %(found)s."),
                expected=source_emphasis,
                found=emphasis,
            )
        )
    return findings


def links_in(text: str) -> Counter[str]:
    """The link targets and image sources of a segment's Markdown."""
    links, images, _emphasis = _markup(text)
    return links + images


def _listing(items: Counter[str] | Iterable[str]) -> str:
    values = sorted(items.elements()) if isinstance(items, Counter) else list(items)
    return ", ".join(values) if values else "—"


# ---------------------------------------------------------------- numbers

# Digits of any script (\d is Unicode-aware), with the separators written inside numbers:
# Latin comma and point, Arabic thousands and decimal separators, the apostrophe of 1'000.
_NUMBER = re.compile(r"\d+(?:[.,'\u066b\u066c]\d+)*")


def numbers_in(text: str) -> Counter[str]:
    """The numbers of a text as Latin digit strings: ۲۰۲۶, ٢٠٢٦ and 2026 are one number.

    Separators are dropped because editions group and mark decimals differently
    (1,000.5 in English, 1.000,5 in Albanian, ۱٬۰۰۰٫۵ in Persian).
    """
    found = _NUMBER.finditer(without_link_targets(text))
    return Counter(latin_digits(match.group()) for match in found)


def check_numbers(source: str, target: str, edition: Edition) -> list[Finding]:
    """The translation has the source's numbers, except the days and years of its dates
    in another calendar («۲۰ تا ۲۲ اسفند» for "11 to 13 March", see ``editions.text.dates``);
    a date converted wrongly is an error that names it."""
    dates = compare_dates(source, target)
    findings = [_misconverted(wrong, edition) for wrong in dates.misconverted]
    expected, found = numbers_in(source), numbers_in(target)
    expected -= dates.explained_source
    found -= dates.explained_target
    if expected != found:
        findings.append(
            _error(
                "numbers",
                _l("The numbers differ from the source: missing %(missing)s, added %(added)s."),
                missing=_listing(expected - found),
                added=_listing(found - expected),
            )
        )
    return findings


def _misconverted(wrong: Misconverted, edition: Edition) -> Finding:
    expected = " / ".join(day.describe(edition.code) for day in wrong.expected)
    if len(wrong.expected) == 1:
        message = _l(
            "The date “%(found)s” does not match “%(date)s” in the source: "
            "it should be “%(expected)s”."
        )
    else:  # no year to say which
        message = _l(
            "The date “%(found)s” does not match “%(date)s” in the source: "
            "it should be “%(expected)s”, depending on the year."
        )
    return _error("date", message, found=wrong.target, date=wrong.source, expected=expected)


# ---------------------------------------------------------------- invisible characters

# Zero-width (non-)joiners are part of Persian and Kurdish spelling; every other
# format or control character is invisible and can reorder or hide text.
_ALLOWED_FORMAT = {"\u200c", "\u200d"}


def _invisible(text: str) -> list[str]:
    return [
        ch
        for ch in text
        if unicodedata.category(ch) in {"Cc", "Cf"}
        and ch not in _ALLOWED_FORMAT
        and ch not in "\n\t"
    ]


def check_invisible(source: str, target: str, edition: Edition) -> list[Finding]:
    found = _invisible(target)
    if not found:
        return []
    unwanted = set(found)
    cleaned = "".join(ch for ch in target if ch not in unwanted)
    return [
        _error(
            "invisible",
            _l("The translation contains invisible control characters: %(characters)s."),
            cleaned,
            characters=", ".join(dict.fromkeys(f"U+{ord(ch):04X}" for ch in found)),
        )
    ]


# ---------------------------------------------------------------- script and spelling


@cache
def edition_script(code: str) -> str:
    """The writing system of an edition as Unicode names it (ARABIC, LATIN), from CLDR."""
    locale = Locale.parse(code)
    script = locale.script
    if not script:
        likely = get_global("likely_subtags").get(locale.language, "")
        parts = likely.split("_")
        script = parts[1] if len(parts) > 2 else ""
    return (Locale("en").scripts.get(script, "") or "").upper()


def _letters(text: str) -> list[str]:
    return [ch for ch in without_link_targets(text) if ch.isalpha()]


@cache
def _in_script(character: str, script: str) -> bool:
    return unicodedata.name(character, "").startswith(script + " ")


def check_script(source: str, target: str, edition: Edition) -> list[Finding]:
    """Most letters are in the edition's script: a pasted source or the wrong file is refused.

    Names and acronyms in another script are fine as long as they are the minority.
    """
    script = edition_script(edition.code)
    letters = _letters(target)
    if not script or not letters:
        return []
    native = sum(1 for ch in letters if _in_script(ch, script))
    if native * 2 >= len(letters):
        return []
    return [
        _error(
            "script",
            _l("Most of the translation is not written in the script of %(edition)s."),
            edition=edition.native_name,
        )
    ]


# Arabic yeh and kaf typed on an Arabic keyboard look alike but are different letters
# for search, sorting and shaping (final yeh has dots in Arabic, none in Persian).
_PERSIAN_SPELLING = {"fa": str.maketrans({"ي": "ی", "ك": "ک"})}


def check_persian_letters(source: str, target: str, edition: Edition) -> list[Finding]:
    table = _PERSIAN_SPELLING.get(Locale.parse(edition.code).language)
    if table is None:
        return []
    fixed = target.translate(table)
    if fixed == target:
        return []
    return [
        _error(
            "arabic-letters",
            _l("Use the Persian letters ی and ک instead of the Arabic ي and ك."),
            fixed,
        )
    ]


# ---------------------------------------------------------------- whitespace and copies


def check_whitespace(source: str, target: str, edition: Edition) -> list[Finding]:
    def edges(text: str) -> tuple[str, str]:
        return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]

    (source_start, source_end), (start, end) = edges(source), edges(target)
    if (source_start, source_end) == (start, end):
        return []
    return [
        _warning(
            "whitespace",
            _l("Leading or trailing spaces and line breaks differ from the source."),
            source_start + target.strip() + source_end,
        )
    ]


def check_identical(source: str, target: str, edition: Edition) -> list[Finding]:
    if not _letters(source) or source.strip() != target.strip():
        return []
    return [_warning("identical", _l("The translation is identical to the source."))]


# ---------------------------------------------------------------- punctuation

_ARABIC_PUNCTUATION = str.maketrans({",": "،", ";": "؛", "?": "؟"})
# A comma between digits is a number's separator, not punctuation.
_LATIN_PUNCTUATION = re.compile(r"(?<!\d),|,(?!\d)|[;?]")


def _arabic_punctuation(text: str) -> str:
    return _LATIN_PUNCTUATION.sub(lambda m: m.group().translate(_ARABIC_PUNCTUATION), text)


def check_punctuation(source: str, target: str, edition: Edition) -> list[Finding]:
    """In Arabic-script editions suggest ، ؛ ؟ where Latin punctuation was typed."""
    if edition_script(edition.code) != "ARABIC":
        return []
    pieces = []
    position = 0
    for start, end in link_targets(target):  # link targets are left alone
        pieces += [_arabic_punctuation(target[position:start]), target[start:end]]
        position = end
    pieces.append(_arabic_punctuation(target[position:]))
    fixed = "".join(pieces)
    if fixed == target:
        return []
    return [
        _warning(
            "punctuation",
            _l("Use Arabic punctuation (، ؛ ؟) instead of Latin punctuation (, ; ?)."),
            fixed,
        )
    ]


# ---------------------------------------------------------------- reference definitions

# "[label]: https://…" defines a link for the whole article when it starts a line; a
# translation must not bring one in (the segment is escaped when it is rendered, but the
# translator meant a link, and check_markup, which sees inline links, does not see it).
# A label holds no unescaped bracket (CommonMark), so a search from each "[" stops at the
# next bracket: every character is read from one start at most (linear; with "[" allowed
# inside, 480 KB of "[" took 30 s).
_DEFINITION = re.compile(r"\[(?:[^\[\]\\\n]|\\.){1,999}\]:[ \t]*<?([^\s<>]+)")


def check_link_definitions(source: str, target: str, edition: Edition) -> list[Finding]:
    added = Counter(_DEFINITION.findall(target)) - Counter(_DEFINITION.findall(source))
    if not added:
        return []
    return [
        _error(
            "link-definitions",
            _l("The translation adds a link its source lacks: %(links)s."),
            links=_listing(added),
        )
    ]


# ---------------------------------------------------------------- glossary


def check_glossary(
    source: str, target: str, edition: Edition, glossary: TermPairs | None
) -> list[Finding]:
    """Each glossary term of the source has its approved translation in the target.

    Not among ``CHECKS``: it needs the glossary between the two editions, which the
    editor and the PO import load once (``editions.translation.glossary.term_pairs``) and pass in.
    """
    if not glossary or not target.strip():
        return []
    return [
        _warning(
            "glossary",
            _l("The glossary keeps “%(term)s” as it is; it is missing from the translation.")
            if term.do_not_translate
            else _l(
                "The glossary translates “%(term)s” as “%(translation)s”, which is missing "
                "from the translation."
            ),
            term=term.text,
            translation=term.translation or "",
        )
        for term in glossary.missing(source, target)
    ]


# ---------------------------------------------------------------- entry point

Check = Callable[[str, str, Edition], list[Finding]]

CHECKS: tuple[Check, ...] = (
    check_markup,
    check_numbers,
    check_invisible,
    check_script,
    check_persian_letters,
    check_whitespace,
    check_identical,
    check_punctuation,
    check_link_definitions,
)


def check_size(target: str) -> list[Finding]:
    """The segment limits: over them no other check runs (see the module docstring)."""
    if len(target) > MAX_SEGMENT_CHARACTERS:
        return [
            _error(
                "too-long",
                _l("The translation has %(count)s characters; a segment may have %(limit)s."),
                count=len(target),
                limit=MAX_SEGMENT_CHARACTERS,
            )
        ]
    markup = markup_count(target)
    if markup > MAX_SEGMENT_MARKUP:
        return [
            _error(
                "too-much-markup",
                _l(
                    "The translation has %(count)s Markdown symbols "
                    "([, ], *, _, <, - and the like); a segment may have %(limit)s."
                ),
                count=markup,
                limit=MAX_SEGMENT_MARKUP,
            )
        ]
    return []


def check_segment(source: str, target: str, edition: Edition) -> list[Finding]:
    """Every finding for a translation of ``source`` into ``edition``, errors first."""
    if not target.strip():
        return [_error("empty", _l("The translation is empty."))]
    oversized = check_size(target)
    if oversized:
        return oversized
    findings = [finding for check in CHECKS for finding in check(source, target, edition)]
    return sorted(findings, key=lambda finding: not finding.is_error)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(finding.is_error for finding in findings)


__all__ = [
    "CHECKS",
    "Finding",
    "Severity",
    "check_glossary",
    "check_identical",
    "check_invisible",
    "check_link_definitions",
    "check_markup",
    "check_numbers",
    "check_persian_letters",
    "check_punctuation",
    "check_script",
    "check_segment",
    "check_size",
    "check_whitespace",
    "edition_script",
    "has_errors",
    "links_in",
    "numbers_in",
]
