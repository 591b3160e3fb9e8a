"""Finding glossary terms in running text, in the forms each language writes them.

A glossary lists a term once, in its dictionary form; an article writes it inflected and
with whatever is attached to it. Matching therefore compares *keys*:

- every word is folded the same way in the term and in the text: Unicode NFKC, case,
  Arabic diacritics and tatweel dropped, the Arabic and Persian forms of yeh and kaf made
  one (ي ی ى, ك ک), alef with hamza (أ إ آ) made plain alef, teh marbuta (ة) made heh,
  the zero-width non-joiner and the Persian hamza above (ٔ) dropped, so کتاب‌خانه,
  كتابخانه and کتابخانه are one word;
- a term's word gives one key (its dictionary form, without the Arabic article ال, and
  in Albanian without the final ë that inflection drops: gazetë → gazet);
- a word of the text gives several candidate keys, with the prefixes and endings its
  language attaches taken off: Arabic و ف ب ك ل and ال (وال، بال، لل…) and pronoun, dual
  and plural endings (منظمتها → منظمة); Persian plural, ezafe and pronoun endings
  (روزنامه‌ها، روزنامه‌ای، روزنامه‌اش); Albanian definite and case endings (gazeta,
  gazetës, gazetën, gazetat, qyteti, qytetit), the adjective's article taking any of
  its case forms (Feneri i Hapur, Fenerit të Hapur); English plural and possessive.

A term of several words matches the same number of consecutive words of the text. The
endings are a short, fixed list per language, not a stemmer: short stems (two letters)
are never taken apart, so a rare miss is preferred to warnings about words that merely
look alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from babel import Locale

from editions.text.segmentation import link_targets

# Letters, digits and the marks written inside words (Arabic diacritics, tatweel, ZWNJ).
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d"
_WORD = re.compile(rf"[\w{_MARKS}]+(?:['’][\w{_MARKS}]+)*")
_DROPPED = re.compile(rf"[{_MARKS}]")
_LETTERS = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ئ": "ی",
        "ك": "ک",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "’": "'",
    }
)
_MIN_STEM = 2
# The Albanian adjective's article follows the noun's case: Feneri i Hapur, Fenerit të Hapur.
_ALBANIAN_ARTICLES = frozenset({"i", "e", "të", "së"})

# Attached to the front of an Arabic word: a conjunction, then a preposition, then the
# article; ل + ال is written لل. Persian borrows the Arabic ones with Arabic phrases.
_ARABIC_PREFIXES = tuple(
    sorted(
        {
            conjunction + preposition + article
            for conjunction in ("", "و", "ف")
            for preposition in ("", "ب", "ک", "ل")
            for article in ("", "ال")
        }
        | {conjunction + "لل" for conjunction in ("", "و", "ف")},
        key=len,
        reverse=True,
    )
)
_SUFFIXES = {
    # pronouns, dual, plurals, nisba, the alef of -an: منظمتها، منظمتان، منظمات، مترجمًا
    "ar": (
        "هما",
        "کما",
        "هم",
        "هن",
        "کم",
        "کن",
        "نا",
        "ها",
        "ه",
        "ک",
        "ی",
        "ان",
        "ین",
        "ون",
        "ات",
        "ا",
    ),
    # plural, ezafe, indefinite and pronoun endings, with the ZWNJ already dropped
    "fa": (
        "هایشان",
        "هایتان",
        "هایمان",
        "هایش",
        "هایت",
        "هایم",
        "هایی",
        "های",
        "ها",
        "شان",
        "تان",
        "مان",
        "انه",
        "ای",
        "یی",
        "ام",
        "اش",
        "ات",
        "ان",
        "گان",
        "ی",
        "م",
        "ت",
        "ش",
    ),
    # definite, case and plural endings: gazeta, gazetës, gazetën, gazetat, qytetit
    "sq": (
        "ëve",
        "ave",
        "eve",
        "ash",
        "esh",
        "ish",
        "ës",
        "ën",
        "së",
        "në",
        "të",
        "it",
        "in",
        "ut",
        "un",
        "ja",
        "je",
        "at",
        "et",
        "ët",
        "ve",
        "a",
        "e",
        "i",
        "u",
        "ë",
        "t",
        "s",
        "n",
    ),
    "en": ("'s", "ies", "es", "s", "'"),
}


def language_of(edition_code: str) -> str:
    """The language whose word forms an edition writes (``fa`` for ``fa``, ``fa_AF``…)."""
    try:
        return Locale.parse(edition_code.replace("-", "_")).language
    except (ValueError, TypeError):
        return edition_code


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """A word as compared: NFKC, case-folded, marks dropped, letter variants made one."""
    word = unicodedata.normalize("NFKC", word).casefold()
    return _DROPPED.sub("", word.translate(_LETTERS))


class Token(NamedTuple):
    start: int
    end: int
    folded: str


def tokens(text: str) -> list[Token]:
    """The words of a text with their places; Markdown link targets are not words."""
    words = (Token(m.start(), m.end(), fold(m.group())) for m in _words(text))
    return [word for word in words if word.folded]


def _words(text: str) -> list[re.Match[str]]:
    if "](" in text:  # blank out link targets, keeping every other character in place
        pieces = []
        position = 0
        for start, end in link_targets(text):  # linear, where \]\([^)]*\) was quadratic
            pieces += [text[position : start + 1], " " * (end - start - 1)]
            position = end
        text = "".join(pieces) + text[position:]
    return list(_WORD.finditer(text))


def term_keys(term: str, language: str) -> tuple[str, ...]:
    """The keys of a glossary term's words (its dictionary form, as compared)."""
    return tuple(_term_key(token.folded, language) for token in tokens(term))


def _term_key(word: str, language: str) -> str:
    if language == "sq" and word in _ALBANIAN_ARTICLES:
        return "i"
    if language in ("ar", "fa") and word.startswith("ال") and len(word) - 2 >= _MIN_STEM:
        return word[2:]
    if language == "sq" and word.endswith("ë") and len(word) - 1 >= _MIN_STEM + 1:
        return word[:-1]
    return word


@lru_cache(maxsize=65536)
def word_keys(word: str, language: str) -> frozenset[str]:
    """Every key a folded word of running text may stand for in ``language``."""
    if language == "sq" and word in _ALBANIAN_ARTICLES:
        return _ALBANIAN_ARTICLES
    stems = {word}
    if language in ("ar", "fa"):
        stems |= {
            word[len(prefix) :]
            for prefix in _ARABIC_PREFIXES
            if prefix and word.startswith(prefix) and len(word) - len(prefix) >= _MIN_STEM
        }
    keys = set(stems)
    for stem in stems:
        for suffix in _SUFFIXES.get(language, ()):
            if stem.endswith(suffix) and len(stem) - len(suffix) >= _MIN_STEM:
                keys.add(stem[: -len(suffix)])
    if language == "ar":
        # ة becomes ت before an ending (منظمتها); folded ة is ه.
        keys |= {key[:-1] + "ه" for key in keys if key.endswith("ت") and key != word}
        keys |= {key + "ه" for key in keys if word.endswith("ات")}
    elif language == "fa":
        keys |= {key + "ه" for key in keys if word.endswith("گان")}  # نویسندگان → نویسنده
    elif language == "sq":
        keys |= {key[:-1] for key in keys if key.endswith("ë") and len(key) > _MIN_STEM + 1}
    return frozenset(_term_key(key, language) for key in keys)


@lru_cache(maxsize=65536)
def _text_keys(word: str, language: str) -> frozenset[str]:
    return word_keys(fold(word), language)


@dataclass(frozen=True)
class Term:
    """A glossary term as matching sees it, with what the translation should carry."""

    entry_id: int
    text: str  # as written in the glossary, in the source edition
    translation: str | None  # the approved translation (the term itself when not translated)
    do_not_translate: bool = False
    note: str = ""


@dataclass(frozen=True)
class TermMatch:
    start: int
    end: int
    term: Term


class _Node(dict):
    """A trie of term keys: each child is the next word's key; ``term`` ends a term here."""

    term: Term | None = None


class TermList:
    """Terms of one language compiled for finding them in text, longest match first.

    The terms' keys form a trie, so finding is linear in the words of the text whatever
    the size of the glossary: each word's few candidate keys lead one step down.
    """

    def __init__(self, language: str, written: Iterable[tuple[str, Term]]) -> None:
        """``written``: each term with the text to find for it (the term, or its translation)."""
        self.language = language
        self._root = _Node()
        for text, term in written:
            node = self._root
            for key in term_keys(text, language):
                node = node.setdefault(key, _Node())
            if node is not self._root and node.term is None:
                node.term = term

    def __bool__(self) -> bool:
        return bool(self._root)

    def find(self, text: str) -> list[TermMatch]:
        """Every term in ``text``, left to right, the longest where two overlap."""
        if not self._root:
            return []
        root, language = self._root, self.language
        words = _words(text)
        keys = [_text_keys(word.group(), language) for word in words]
        found: list[TermMatch] = []
        index = 0
        while index < len(words):
            frontier = [root[key] for key in keys[index] if key in root]
            best: tuple[int, Term] | None = None  # (words it spans, term)
            offset = 1
            while frontier:
                ended = next((node.term for node in frontier if node.term is not None), None)
                if ended is not None:
                    best = (offset, ended)
                if index + offset == len(words):
                    break
                following = keys[index + offset]
                frontier = [node[key] for node in frontier for key in following if key in node]
                offset += 1
            if best is None:
                index += 1
                continue
            size, term = best
            found.append(TermMatch(words[index].start(), words[index + size - 1].end(), term))
            index += size
        return found


class TermPairs:
    """The glossary between two editions: terms of the source with their approved
    translations, found in a source text and looked for in its translation."""

    def __init__(self, source_code: str, target_code: str, terms: Sequence[Term]) -> None:
        self.source = TermList(language_of(source_code), ((term.text, term) for term in terms))
        self.target = TermList(
            language_of(target_code),
            ((term.translation, term) for term in terms if term.translation),
        )

    def __bool__(self) -> bool:
        return bool(self.source)

    def matches(self, source_text: str) -> list[TermMatch]:
        return self.source.find(source_text)

    def terms_in(self, source_text: str) -> list[Term]:
        """The distinct terms of a source text, in order of first appearance."""
        found = {match.term.entry_id: match.term for match in self.matches(source_text)}
        return list(found.values())

    def missing(self, source_text: str, target_text: str) -> list[Term]:
        """Terms of the source whose approved translation the target does not contain."""
        wanted = [term for term in self.terms_in(source_text) if term.translation]
        if not wanted:
            return []
        present = {match.term.entry_id for match in self.target.find(target_text)}
        return [term for term in wanted if term.entry_id not in present]


def highlighted(text: str, matches: Sequence[TermMatch]) -> list[tuple[str, Term | None]]:
    """A text cut into plain pieces and term pieces, for showing terms where they stand."""
    pieces: list[tuple[str, Term | None]] = []
    position = 0
    for match in matches:
        if match.start > position:
            pieces.append((text[position : match.start], None))
        pieces.append((text[match.start : match.end], match.term))
        position = match.end
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces
