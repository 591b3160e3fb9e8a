"""Dates in a segment and in its translation, in the Gregorian and the Solar Hijri calendar.

The numbers check wants a translation's numbers to be its source's; dates are the
exception. Persian editions write them in the Solar Hijri calendar ("11 to 13 March" is
«۲۰ تا ۲۲ اسفند»), and a Persian source's dates become Gregorian in the other editions.
This module finds the dates of both texts (a day and a month name, a month name and a
day, day ranges and lists, an optional year) in every edition's language, converts
between the calendars with jdatetime, and tells the check which numbers the dates
explain and which dates are converted wrongly. It words no finding: ``editions.text.checks``
does. Everything here reads a text in linear time (``tests/test_bounded_cost.py``).

A date without a year matches any conversion that is right for some year of
``PLAUSIBLE_YEARS``: the leap years of both calendars move a converted day by one
(11 March is 20 or 21 Esfand), and neither text says which year it is.
The article's publication date would not settle it: a yearless date may lie months
before or after it, on either side of a new year, and a wrong guess would block a
correct translation at the publishing gate, while a safe window of a year either side
of it still leaves four yearless days in five with two conversions (82% over publication
years 2000–2090). Every check stays a function of its two texts. With a year in both
texts the conversion is exact.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache, cached_property, lru_cache
from itertools import islice

import jdatetime
from babel import Locale
from babel.dates import format_skeleton

from editions.text.localization import latin_digits, localize_digits
from editions.text.segmentation import without_link_targets


class Calendar(StrEnum):
    GREGORIAN = "gregorian"
    SOLAR_HIJRI = "solar-hijri"


# The years a date written without one can mean: the widest span around today in which
# jdatetime's calendar moves a converted day by one at most, whatever the year (before
# 1961 Nowruz also fell on 22 March, from 2096 the Gregorian century year shifts it).
# Only 20 March has three Solar Hijri days in it: 29 or 30 Esfand, or Nowruz.
PLAUSIBLE_YEARS = range(1961, 2096)
# Wrong dates named one by one in a segment; past them, their numbers are compared as
# any others (one finding for a pasted list of hundreds, not hundreds of findings).
NAMED_MISCONVERSIONS = 5
# The Solar Hijri year that begins in March of Gregorian year y is y - 621.
_HIJRI_OFFSET = 621

# ---------------------------------------------------------------- month names

# Gregorian month names from CLDR, through Babel: English, Albanian, Arabic with the
# Egyptian and Gulf names (يناير…) and the Levantine ones (كانون الثاني…, CLDR's ar_LB),
# Persian transliterations (ژانویه…). Solar Hijri names come from jdatetime.
_GREGORIAN_LOCALES = ("en", "sq", "ar", "ar_LB", "fa")
# What CLDR does not list: the transliterations Iranian papers also write, and the
# English newsroom abbreviation of September ("Sept. 5"; CLDR's "Sep" is read too).
_VARIANTS = {"جولای": 7, "آگوست": 8, "Sept": 9}
# Albanian declines a month like any noun ("nga 10 shtatori", "i marsit", "korrikun"):
# names ending in k, g or h take -u, the others -i.
_ALBANIAN_ENDINGS = {True: ("u", "ut", "un"), False: ("i", "it", "in")}

# Spellings that differ in their characters but not for a reader: Arabic and Persian
# yeh, kaf and heh, alef with or without hamza or madda, harakat, tatweel, the
# zero-width non-joiner of «دی‌ماه», direction marks, and Albanian ë and ç typed as e
# and c (composed, or decomposed with a combining diaeresis or cedilla).
_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه"}
    | {"ë": "e", "Ë": "E", "ç": "c", "Ç": "C"}
    | dict.fromkeys([*range(0x064B, 0x0660), 0x0670, 0x0640, 0x061C, *range(0x200C, 0x2010)])
    | dict.fromkeys([0x0308, 0x0327])
)


def _fold(text: str) -> str:
    return text.translate(_FOLD)


def _albanian_forms(name: str) -> list[str]:
    forms = [name, *(name + ending for ending in _ALBANIAN_ENDINGS[name[-1] in "kgh"])]
    return forms + [form.capitalize() for form in forms]


def _month_names() -> dict[str, tuple[Calendar, int]]:
    """Every spelling of a month, folded, with its calendar and number.

    Case is kept: English capitalizes months (so "may" is a verb), Albanian writes
    them in lower case except at the start of a sentence.
    """
    names: dict[str, tuple[Calendar, int]] = {}
    for code in _GREGORIAN_LOCALES:
        for number, name in Locale.parse(code).months["format"]["wide"].items():
            for form in _albanian_forms(name) if code == "sq" else [name]:
                names[_fold(form)] = (Calendar.GREGORIAN, number)
    for number, name in Locale.parse("en").months["format"]["abbreviated"].items():
        names[name] = (Calendar.GREGORIAN, number)  # "Oct. 3", "3 Oct"
    for name, number in _VARIANTS.items():
        names[_fold(name)] = (Calendar.GREGORIAN, number)
    for number, name in enumerate(jdatetime.date.j_months_fa, 1):
        names[_fold(name)] = (Calendar.SOLAR_HIJRI, number)
    return names


MONTHS = _month_names()

# ---------------------------------------------------------------- the pattern

# Between the days of a range or a list: "11 to 13", "11–13", "11 deri më 13",
# «۲۰ تا ۲۲», «11 إلى 13», «11 و13», "1, 8 and 15". A comma only before a space, as
# "1,250" is one number.
_CONNECTORS = (
    "to|until|till|through|and|&|–|—|-|\u2011|deri me|deri ne|deri|dhe"
    "|" + _fold("إلى|حتى|و|تا|الی") + r"|,(?=\s)|،"
)
# A day is one or two digits of any script, not part of a longer number or a time
# (10:00) and optionally an English ordinal (11th). Repetitions are bounded, so each
# start reads a bounded stretch: the pattern cannot backtrack across the text.
_DAY = r"\d{1,2}(?!\d)(?:st|nd|rd|th)?"
_DAYS = rf"(?<![\d.,:/٫٬]){_DAY}(?:\s{{0,3}}(?:{_CONNECTORS})\s{{0,3}}{_DAY}){{0,6}}"


def _alternation(words: list[str]) -> str:
    """A pattern for any of ``words``, as a trie: ``(?:Ma(?:rch|y)|…)``. A plain
    alternation of 150 names tries each at every position; a trie reads one branch
    per character (five times faster on a segment)."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for character in word:
            node = node.setdefault(character, {})
        node[""] = {}

    def pattern(node: dict[str, dict]) -> str:
        branches = [
            (r"\s{1,3}" if character == " " else re.escape(character)) + pattern(child)
            for character, child in node.items()
            if character
        ]
        if not branches:
            return ""
        # Longer names first: the boundary after a month backtracks to a shorter one.
        return "(?:" + "|".join(branches) + (")?" if "" in node else ")")

    return pattern(trie)


_NAMES = _alternation(list(MONTHS))


def _month(group: str) -> str:
    # Not inside a word; «دی‌ماه» and «دی ماه» with the word for month; Arabic editions
    # give both names, «مارس/آذار» (the first one counts).
    month = rf"(?:{_NAMES})(?:\s?ماه)?"
    return rf"(?<![^\W\d])(?P<{group}>{_NAMES})(?:\s?ماه)?(?:\s{{0,2}}/\s{{0,2}}{month})?(?!\w)"


_YEAR = r"\d{4}(?!\d)"
_DATE = re.compile(
    # "11 March 2026", "11–13 March", "the 11th of March", «۲۰ تا ۲۲ اسفند ۱۴۰۴»
    rf"(?P<days>{_DAYS})(?:\s{{1,3}}of)?\s{{0,3}}{_month('month')}(?:,?\s{{1,3}}(?P<year>{_YEAR}))?"
    # "March 11, 2026", "March 11–13", "Oct. 3"
    rf"|{_month('month_first')}\.?\s{{1,3}}(?P<days_after>{_DAYS})(?:,?\s{{1,3}}(?P<year_after>{_YEAR}))?"
)
_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d+")

# ---------------------------------------------------------------- days and conversion

_LONGEST = {
    Calendar.GREGORIAN: (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31),
    Calendar.SOLAR_HIJRI: (31, 31, 31, 31, 31, 31, 30, 30, 30, 30, 30, 30),
}

# What a day is looked up by: ("exact", y, m, d), Gregorian, for a day with a year;
# ("in", calendar, m, d) for a day with a year, in either calendar; ("own", calendar,
# m, d) for a day without a year, in its own calendar.
Key = tuple[object, ...]


@cache
def _convert(calendar: Calendar, year: int, month: int, day: int) -> tuple[int, int, int]:
    """The day in the other calendar; ValueError when the day does not exist."""
    if calendar is Calendar.GREGORIAN:
        other = jdatetime.date.fromgregorian(date=date(year, month, day))
    else:
        other = jdatetime.date(year, month, day).togregorian()
    return other.year, other.month, other.day


@cache
def _plausible(calendar: Calendar, month: int, day: int) -> tuple[tuple[int, int], ...]:
    """A yearless day in the other calendar, for every plausible year, in calendar order.

    Gregorian days run over ``PLAUSIBLE_YEARS``, Solar Hijri ones over the Hijri years
    that overlap them, keeping the days that fall in those years: the relation is the
    same from both sides.
    """
    if calendar is Calendar.GREGORIAN:
        years = PLAUSIBLE_YEARS
    else:
        first, last = PLAUSIBLE_YEARS[0], PLAUSIBLE_YEARS[-1]
        years = range(first - _HIJRI_OFFSET - 1, last - _HIJRI_OFFSET + 1)
    found: set[tuple[int, int]] = set()
    for year in years:
        try:
            other_year, other_month, other_day = _convert(calendar, year, month, day)
        except ValueError:  # 29 February or 30 Esfand of a common year
            continue
        if calendar is Calendar.GREGORIAN or other_year in PLAUSIBLE_YEARS:
            found.add((other_month, other_day))
    # In calendar order, the last month before the first when a day may be in either.
    wraps = {1, 12} <= {month for month, _day in found}
    return tuple(sorted(found, key=lambda pair: (pair[0] + 12 * (wraps and pair[0] == 1), pair)))


@dataclass(frozen=True)
class Day:
    """One day a date names: "11 to 13 March" names two."""

    calendar: Calendar
    month: int
    day: int
    year: int | None = None

    def exact(self, calendar: Calendar) -> tuple[int, int, int]:
        """This day with its year in ``calendar`` (only for a day with a year)."""
        assert self.year is not None
        if calendar is self.calendar:
            return self.year, self.month, self.day
        return _convert(self.calendar, self.year, self.month, self.day)

    def plausible(self, calendar: Calendar) -> tuple[tuple[int, int], ...]:
        if calendar is self.calendar:
            return ((self.month, self.day),)
        return _plausible(self.calendar, self.month, self.day)

    def in_calendar_of(self, other: Day) -> tuple[Day, ...]:
        """What ``other`` should be if it were this day: in its calendar, with a year
        if it has one; every plausible day when neither year settles it."""
        calendar = other.calendar
        if self.year is not None:
            year, month, day = self.exact(calendar)
            return (Day(calendar, month, day, year if other.year is not None else None),)
        if other.year is not None:  # this day in the year the other one names
            for year in _overlapping(other.year, calendar, self.calendar):
                dated = _valid(self.calendar, self.month, self.day, year)
                if dated is not None and dated.exact(calendar)[0] == other.year:
                    _year, month, day = dated.exact(calendar)
                    return (Day(calendar, month, day, other.year),)
        return tuple(Day(calendar, month, day) for month, day in self.plausible(calendar))

    def describe(self, code: str) -> str:
        """The day as the edition ``code`` writes it: "March 11", «۲۰ اسفند ۱۴۰۴»."""
        if self.calendar is Calendar.SOLAR_HIJRI:
            parts = [str(self.day), jdatetime.date.j_months_fa[self.month - 1]]
            text = " ".join(parts + ([str(self.year)] if self.year is not None else []))
        else:
            skeleton = "MMMMd" if self.year is None else "yMMMMd"
            # A leap year stands in for a missing one, so that 29 February exists.
            shown = date(self.year or 2000, self.month, self.day)
            text = format_skeleton(skeleton, shown, locale=code)
        return localize_digits(text, code)


# A day's keys: ``a`` and ``b`` are the same day when ``_seeks(a)`` meets ``_offers(b)``,
# which is when ``_seeks(b)`` meets ``_offers(a)``. Cached: a text repeats its dates.
@lru_cache(maxsize=4096)
def _offers(day: Day) -> tuple[Key, ...]:
    """The keys another day finds this one by."""
    if day.year is None:
        return (("own", day.calendar, day.month, day.day),)
    each = [("in", calendar, *day.exact(calendar)[1:]) for calendar in Calendar]
    return (("exact", *day.exact(Calendar.GREGORIAN)), *each)


@lru_cache(maxsize=4096)
def _seeks(day: Day) -> tuple[Key, ...]:
    """The keys of the days that are this one."""
    if day.year is None:
        each = [
            ("own", calendar, *pair) for calendar in Calendar for pair in day.plausible(calendar)
        ]
        return (("in", day.calendar, day.month, day.day), *each)
    exact = [("own", calendar, *day.exact(calendar)[1:]) for calendar in Calendar]
    return (("exact", *day.exact(Calendar.GREGORIAN)), *exact)


def _overlapping(year: int, calendar: Calendar, other: Calendar) -> tuple[int, ...]:
    """The years of ``other`` that share days with ``year`` of ``calendar``."""
    if calendar is other:
        return (year,)
    if calendar is Calendar.SOLAR_HIJRI:
        return (year + _HIJRI_OFFSET, year + _HIJRI_OFFSET + 1)
    return (year - _HIJRI_OFFSET - 1, year - _HIJRI_OFFSET)


def _valid(calendar: Calendar, month: int, day: int, year: int | None) -> Day | None:
    """The day, if the calendar has it (30 Esfand only in a leap year)."""
    if not (1 <= month <= 12 and 1 <= day <= _LONGEST[calendar][month - 1]):
        return None
    if year is not None:
        try:
            _convert(calendar, year, month, day)
        except ValueError:
            return None
    return Day(calendar, month, day, year)


# ---------------------------------------------------------------- dates in a text


@dataclass(frozen=True)
class DateMention:
    """A date as a text writes it, with the days it names and their numbers."""

    start: int  # in the folded text
    end: int
    days: tuple[Day, ...]
    day_numbers: tuple[str, ...]  # each day's number as ``numbers_in`` counts it
    year_number: str | None


_number = lru_cache(maxsize=4096)(latin_digits)


def _mentions(folded: str) -> Iterator[DateMention]:
    for match in _DATE.finditer(folded):
        days_text = match["days"] or match["days_after"]
        year_text = match["year"] or match["year_after"]
        name = " ".join((match["month"] or match["month_first"]).split())
        calendar, month = MONTHS[name]
        year_number = _number(year_text) if year_text else None
        year = int(year_number) if year_number else None
        numbers, days = [], []
        for number in _DIGITS.findall(days_text):
            day = _valid(calendar, month, int(_number(number)), year)
            if day is not None:  # "31 Mehr" is no day: its number stays a number
                numbers.append(_number(number))
                days.append(day)
        if days:
            yield DateMention(match.start(), match.end(), tuple(days), tuple(numbers), year_number)


def dates_in(text: str) -> list[DateMention]:
    """The dates of a text (but its link targets), left to right."""
    return _Side(text).mentions


# ---------------------------------------------------------------- source and translation


@dataclass(frozen=True)
class Misconverted:
    """A date of the translation that is not the source's date it stands for."""

    source: str  # the source's date as written
    target: str  # the translation's
    expected: tuple[Day, ...]  # the right day in the translation's calendar, or the choice


@dataclass
class DateComparison:
    explained_source: Counter[str] = field(default_factory=Counter)
    explained_target: Counter[str] = field(default_factory=Counter)
    misconverted: list[Misconverted] = field(default_factory=list)


class _Side:
    """The days of one text's dates, left to right, with the day each was paired with."""

    def __init__(self, text: str) -> None:
        self.text = without_link_targets(text)
        # No digit, no date: most segments stop here.
        self.mentions = list(_mentions(_fold(self.text))) if _DIGIT.search(self.text) else []
        self.days = [day for mention in self.mentions for day in mention.days]
        self.numbers = [number for mention in self.mentions for number in mention.day_numbers]
        self.owner = [m for m, mention in enumerate(self.mentions) for _day in mention.days]
        self.partner: list[int | None] = [None] * len(self.days)
        self.index: dict[Key, list[int]] = {}  # the days by the keys they offer
        for number, day in enumerate(self.days):
            for key in _offers(day):
                self.index.setdefault(key, []).append(number)

    def unpaired(self) -> list[int]:
        return [number for number, partner in enumerate(self.partner) if partner is None]

    @cached_property
    def _origin(self) -> list[int]:
        """For each character of the folded text, its position in the text."""
        return [i for i, ch in enumerate(self.text) for _ in ch.translate(_FOLD)]

    def surface(self, number: int) -> str:
        """The date of day ``number`` as the text writes it."""
        mention = self.mentions[self.owner[number]]
        return self.text[self._origin[mention.start] : self._origin[mention.end - 1] + 1]

    def explained(self, other: _Side) -> Counter[str]:
        """The numbers of the paired days, and a date's year once one of its days was
        paired with a day that gives a year too."""
        numbers: Counter[str] = Counter()
        dated: set[int] = set()
        for number, partner in enumerate(self.partner):
            if partner is not None:
                numbers[self.numbers[number]] += 1
                if self.days[number].year is not None and other.days[partner].year is not None:
                    dated.add(self.owner[number])
        numbers.update(year for m in dated if (year := self.mentions[m].year_number))
        return numbers


def _pair(seeker: _Side, offerer: _Side) -> None:
    """Pair each day of ``seeker`` with the first unpaired day of ``offerer`` it is."""
    start: dict[Key, int] = {}  # each list is read from the left once: linear
    for number, day in enumerate(seeker.days):
        for key in _seeks(day):
            candidates = offerer.index.get(key, [])
            position = start.get(key, 0)
            while position < len(candidates) and offerer.partner[candidates[position]] is not None:
                position += 1
            start[key] = position
            if position < len(candidates):
                seeker.partner[number] = candidates[position]
                offerer.partner[candidates[position]] = number
                break


def _restated(seeker: _Side, offerer: _Side) -> None:
    """An unpaired day that is a paired day of the other text, and in another calendar
    than the day paired with it, is the same date written in both calendars
    («۶ تیر (۲۷ ژوئن)»): explained too. (In the same calendar it is a wrong date.)"""
    for number in seeker.unpaired():
        for key in _seeks(seeker.days[number]):
            first = offerer.index.get(key, [None])[0]  # the first only: linear
            partner = None if first is None else offerer.partner[first]
            if (
                partner is not None
                and seeker.days[partner].calendar != seeker.days[number].calendar
            ):
                seeker.partner[number] = first
                break


def compare_dates(source: str, target: str) -> DateComparison:
    """Which numbers of ``source`` and ``target`` their matching dates explain, and
    the dates of ``target`` that are converted wrongly.

    Each source day takes the first translation day that is the same day in either
    calendar; the days left over on both sides are paired in order of appearance as
    wrong conversions, up to ``NAMED_MISCONVERSIONS`` (their numbers are explained by
    the error that names them).
    """
    comparison = DateComparison()
    source_side = _Side(source)
    if not source_side.days:
        return comparison
    target_side = _Side(target)
    if not target_side.days:
        return comparison
    _pair(source_side, target_side)
    _restated(target_side, source_side)
    _restated(source_side, target_side)
    leftovers = zip(source_side.unpaired(), target_side.unpaired(), strict=False)
    for wrong, right in islice(leftovers, NAMED_MISCONVERSIONS):
        source_side.partner[wrong], target_side.partner[right] = right, wrong
        comparison.misconverted.append(
            Misconverted(
                source_side.surface(wrong),
                target_side.surface(right),
                source_side.days[wrong].in_calendar_of(target_side.days[right]),
            )
        )
    comparison.explained_source = source_side.explained(target_side)
    comparison.explained_target = target_side.explained(source_side)
    return comparison


__all__ = [
    "MONTHS",
    "PLAUSIBLE_YEARS",
    "Calendar",
    "DateComparison",
    "DateMention",
    "Day",
    "Misconverted",
    "compare_dates",
    "dates_in",
]
