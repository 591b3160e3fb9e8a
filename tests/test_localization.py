"""Numbers and dates in each edition's own digits, calendar and month names."""

from datetime import date, datetime

import pytest

from editions.text.localization import (
    digits,
    format_date,
    format_number,
    format_percent,
    localize_digits,
    reading_minutes,
)

SEPTEMBER_23 = date(2026, 9, 23)


def test_persian_uses_persian_digits_and_the_others_latin_ones():
    assert digits("fa") == "۰۱۲۳۴۵۶۷۸۹"
    # CLDR's default for generic Arabic is Latin digits (see editions/text/localization.py).
    assert digits("ar") == digits("sq") == digits("en") == "0123456789"


def test_an_egyptian_arabic_edition_would_get_arabic_indic_digits_from_cldr():
    assert digits("ar_EG") == "٠١٢٣٤٥٦٧٨٩"


def test_persian_dates_are_solar_hijri_with_persian_month_names_and_digits():
    assert format_date(SEPTEMBER_23, "fa") == "۱ مهر ۱۴۰۵"
    assert format_date(date(2026, 3, 21), "fa") == "۱ فروردین ۱۴۰۵"
    assert format_date(SEPTEMBER_23, "fa", "short") == "۱۴۰۵/۰۷/۰۱"


@pytest.mark.parametrize(
    ("code", "expected"),
    [("en", "September 23, 2026"), ("ar", "23 سبتمبر 2026"), ("sq", "23 shtator 2026")],
)
def test_other_editions_use_babel_with_their_own_month_names(code, expected):
    assert format_date(SEPTEMBER_23, code) == expected


def test_a_datetime_is_shown_as_its_date():
    assert format_date(datetime(2026, 9, 23, 22, 30), "en") == "September 23, 2026"


def test_numbers_have_the_editions_digits_and_grouping():
    assert format_number(12345, "fa") == "۱۲٬۳۴۵"
    assert format_number(12345, "en") == "12,345"
    assert format_number(12345, "sq") == "12\xa0345"  # a no-break space


def test_percentages_have_the_editions_digits_and_percent_sign():
    assert format_percent(0.96, "fa") == "۹۶٪"  # ARABIC PERCENT SIGN, as Persian writes it
    assert format_percent(0.96, "en") == format_percent(0.96, "sq") == "96%"
    # CLDR's Arabic with Latin digits: the Latin sign held by left-to-right marks.
    assert format_percent(0.96, "ar") == "96\u200e%\u200e"
    assert format_percent(0.96, "ar_EG") == "٩٦٪\u061c"


def test_digits_inside_text_are_localized():
    assert localize_digits("No. 128", "fa") == "No. ۱۲۸"
    assert localize_digits("No. 128", "ar") == "No. 128"


def test_reading_time_is_at_least_a_minute():
    assert reading_minutes("") == 1
    assert reading_minutes("word " * 1000) == 5
