"""Numbers and dates the way each edition's readers write them.

Digits follow CLDR's default numbering system for the edition's locale, read from
Babel, never from a hand-written list: Persian (``fa``) gets Persian digits
(``arabext``: ۰۱۲۳), Albanian and English Latin ones. Generic Arabic (``ar``) gets Latin
digits: CLDR made ``latn`` the default for ``ar`` in version 42 because the pan-Arab
readership the ``ar`` locale stands for (the Maghreb above all) reads Latin digits, as
the large pan-Arab news sites print them; an edition configured as ``ar-EG`` would get
Arabic-Indic digits (``arab``) from the same rule.

Babel knows each locale's numbering system (and its separators: ``٬`` in Persian) but
substitutes digits nowhere, and has no Solar Hijri calendar: every number and date is
formatted by Babel (Persian dates by jdatetime, with Persian month names), then its
digits pass through the map of the edition's numbering system.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from functools import cache

import jdatetime
from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_format_percent
from babel.units import format_unit

LATIN_DIGITS = "0123456789"
# The zero of CLDR's decimal numbering systems (Unicode Nd runs of ten), by CLDR name.
_ZEROS = {
    "latn": 0x0030,
    "arab": 0x0660,
    "arabext": 0x06F0,
    "deva": 0x0966,
    "beng": 0x09E6,
    "mymr": 0x1040,
    "thai": 0x0E50,
    "tibt": 0x0F20,
}
WORDS_PER_MINUTE = 200


@cache
def digits(code: str) -> str:
    """The ten digits of the edition's default CLDR numbering system, 0 to 9."""
    system = Locale.parse(code).default_numbering_system
    zero = _ZEROS.get(system, _ZEROS["latn"])
    return "".join(chr(zero + n) for n in range(10))


@cache
def _digit_table(code: str) -> dict[int, int]:
    return str.maketrans(LATIN_DIGITS, digits(code))


def localize_digits(text: str, code: str) -> str:
    """``text`` with its Latin digits written in the edition's digits."""
    return text.translate(_digit_table(code))


def latin_digits(number: str) -> str:
    """The digits of ``number`` (of any script) as Latin ones: "۲۰۲۶" is "2026"."""
    return "".join(str(unicodedata.digit(ch)) for ch in number if ch.isdigit())


def format_number(number: int | float, code: str) -> str:
    """A number with the edition's digits and grouping (1,234 / ۱٬۲۳۴ / 1 234)."""
    text = format_decimal(number, locale=code, numbering_system="default")
    return localize_digits(text, code)


# CLDR's units for a file's size, by the power of 1000 they count (decimal, as their
# names say: a "megabyte" is 1,000,000 bytes).
_SIZE_UNITS = ("digital-byte", "digital-kilobyte", "digital-megabyte", "digital-gigabyte")


def format_file_size(size: int, code: str) -> str:
    """A file's size in the edition's words and digits: "12.5 MB", "۱۲٫۵ مگابایت"."""
    power = 0
    value = float(size)
    while value >= 1000 and power < len(_SIZE_UNITS) - 1:
        value /= 1000
        power += 1
    text = format_unit(
        round(value, 1) if power else size,
        _SIZE_UNITS[power],
        length="short",
        format="#,##0.#",
        locale=code,
        numbering_system="default",
    )
    return localize_digits(text, code)


def format_percent(ratio: float, code: str) -> str:
    """A share (0.96) as a percentage in the edition's digits and percent sign.

    Babel takes the pattern's ``%`` literally whatever the numbering system, so the
    sign CLDR gives that system replaces it: ``۹۶٪`` in Persian, ``96‎%‎`` in Arabic
    (the Latin sign between left-to-right marks, CLDR's ``ar`` with Latin digits).
    """
    text = babel_format_percent(ratio, locale=code, numbering_system="default")
    return localize_digits(text.replace("%", percent_sign(code)), code)


@cache
def percent_sign(code: str) -> str:
    """The percent sign of the edition's default numbering system, from CLDR."""
    locale = Locale.parse(code)
    return locale.number_symbols[locale.default_numbering_system].get("percentSign", "%")


def uses_solar_hijri(code: str) -> bool:
    return code.split("-")[0].split("_")[0] == "fa"


def format_date(value: date | datetime, code: str, style: str = "long") -> str:
    """A calendar date: "September 23, 2026", "23 shtator 2026", "۱ مهر ۱۴۰۵".

    ``style`` is "long" (the day, the month's name and the year) or "short" (numeric,
    as in "Posted on: 2026/09/23").
    """
    if isinstance(value, datetime):
        value = value.date()
    if uses_solar_hijri(code):
        jalali = jdatetime.date.fromgregorian(date=value, locale="fa_IR")
        text = jalali.strftime("%-d %B %Y" if style == "long" else "%Y/%m/%d")
    elif style == "long":
        text = babel_format_date(value, "long", locale=code)
    else:
        text = babel_format_date(value, "short", locale=code)
    return localize_digits(text, code)


def iso_date(value: date | datetime) -> str:
    """The machine-readable date for ``<time datetime>``: always ISO 8601, Latin digits."""
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def reading_minutes(text: str) -> int:
    """Minutes an average reader needs for ``text``: at least one."""
    return max(1, round(len(text.split()) / WORDS_PER_MINUTE))


__all__ = [
    "digits",
    "format_date",
    "format_file_size",
    "format_number",
    "format_percent",
    "iso_date",
    "latin_digits",
    "localize_digits",
    "percent_sign",
    "reading_minutes",
    "uses_solar_hijri",
]
