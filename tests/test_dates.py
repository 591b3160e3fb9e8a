"""Dates in a translation may change calendar; every other number stays as it is.

Persian editions write dates in the Solar Hijri calendar, the others in the Gregorian
one: the numbers check (``check_numbers``) compares a date's days and years through
the conversion, and any other number exactly.
"""

from calendar import monthrange
from datetime import date

import jdatetime
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editions.content.articlefiles import read_article_file
from editions.core.languages import load_editions
from editions.core.settings import DEFAULT_EDITION_OVERRIDES, DEFAULT_EDITIONS
from editions.demo import ARTICLES
from editions.text.checks import check_numbers, check_segment, has_errors
from editions.text.dates import PLAUSIBLE_YEARS, Calendar, Day, compare_dates, dates_in
from editions.text.localization import localize_digits
from editions.text.segmentation import normalize

EDITIONS = load_editions(DEFAULT_EDITIONS, DEFAULT_EDITION_OVERRIDES)
EN, AR, FA, SQ = (EDITIONS[code] for code in ("en", "ar", "fa", "sq"))


def findings(source, target, edition):
    return [(finding.code, finding.text()) for finding in check_numbers(source, target, edition)]


def days(text):
    return [
        (day.calendar, day.month, day.day, day.year)
        for mention in dates_in(text)
        for day in mention.days
    ]


G, SH = Calendar.GREGORIAN, Calendar.SOLAR_HIJRI

# ---------------------------------------------------------------- right conversions pass


@pytest.mark.parametrize(
    ("source", "target", "edition"),
    [
        # The demo's forms: a range with تا, with از before it, a single day.
        ("They met from 11 to 13 March.", "از ۲۰ تا ۲۲ اسفند گرد هم آمدند.", FA),
        ("3–9 October: street theatre week", "۱۱ تا ۱۷ مهر: هفتهٔ تئاتر خیابانی", FA),
        ("An evening on 27 June.", "شبی در ۶ تیر.", FA),
        # With a year both ways, exactly; across Nowruz the Hijri year changes.
        ("On 11 March 2026.", "در ۲۰ اسفند ۱۴۰۴.", FA),
        ("On March 11, 2026.", "در ۲۰ اسفند ۱۴۰۴.", FA),
        ("Doors open Oct. 3.", "درها ۱۱ مهر باز می‌شوند.", FA),
        ("From 18 to 25 March 2026.", "از ۲۷ اسفند ۱۴۰۴ تا ۵ فروردین ۱۴۰۵.", FA),
        # «دی‌ماه» with the word for month, joined or not; Arabic yeh typed for Persian.
        ("On 31 December.", "در ۱۰ دی‌ماه.", FA),
        ("On 31 December.", "در ۱۰ دي ماه.", FA),
        # A Persian translation may keep the Gregorian month, transliterated.
        ("On 12 June.", "در ۱۲ ژوئن.", FA),
        # Both calendars side by side: the Gregorian day is the source's too.
        ("On 27 June 2026.", "در ۶ تیر ۱۴۰۵ (۲۷ ژوئن ۲۰۲۶).", FA),
        # Gregorian editions keep the day: Arabic names both ways, Latin or Arabic digits.
        ("From 11 to 13 March.", "من 11 إلى 13 مارس/آذار.", AR),
        ("From 11 to 13 March.", "من ١١ إلى ١٣ آذار.", AR),
        ("On 3 January.", "في 3 كانون الثاني.", AR),
        ("On 4 October.", "في 4 أكتوبر/تشرين الأول.", AR),
        ("From 11 to 13 March.", "Nga 11 deri më 13 mars.", SQ),
        ("From 10 September.", "Nga 10 shtatori.", SQ),
    ],
)
def test_a_date_converted_right_is_no_finding(source, target, edition):
    assert check_numbers(source, target, edition) == []


@pytest.mark.parametrize(
    ("target", "edition"),
    [
        ("The exhibition is open until 20 August.", EN),
        ("ويفتح المعرض حتى 20 أغسطس/آب.", AR),
        ("Ekspozita është e hapur deri më 20 gusht.", SQ),
    ],
)
def test_a_persian_source_s_dates_become_gregorian(target, edition):
    assert check_numbers("نمایشگاه تا ۲۹ مرداد باز است.", target, edition) == []


def test_albanian_declines_the_month_and_the_date_is_still_read():
    assert check_numbers("تظاهرات ۲۰ اسفند", "Protesta e 11 marsit", SQ) == []
    assert check_numbers("انتخابات ۱۵ تیر ۱۴۰۵", "Zgjedhjet e 6 korrikut 2026", SQ) == []
    assert days("Nga 10 Shtatori, jo më 10 shtatorin.") == [(G, 9, 10, None), (G, 9, 10, None)]


# ---------------------------------------------------------------- wrong ones are errors


def test_a_wrong_day_is_an_error_naming_the_date():
    assert findings("They met on 11 March.", "در ۲۳ اسفند گرد هم آمدند.", FA) == [
        (
            "date",
            "The date “۲۳ اسفند” does not match “11 March” in the source: "
            "it should be “۲۰ اسفند / ۲۱ اسفند”, depending on the year.",
        )
    ]
    # With the year given, only the one right day.
    assert findings("On 15 March 2026.", "در ۲۵ اسفند ۱۴۰۴.", FA) == [
        (
            "date",
            "The date “۲۵ اسفند ۱۴۰۴” does not match “15 March 2026” in the source: "
            "it should be “۲۴ اسفند ۱۴۰۴”.",
        )
    ]


def test_a_wrong_year_is_an_error():
    assert findings("On 15 March 2026.", "در ۲۴ اسفند ۱۴۰۵.", FA)[0][0] == "date"
    # The Gregorian year kept beside a Hijri month is wrong too.
    (finding,) = check_numbers("On 15 March 2026.", "در ۲۴ اسفند ۲۰۲۶.", FA)
    assert finding.is_error and finding.params["expected"] == "۲۴ اسفند ۱۴۰۴"


def test_a_year_on_one_side_only_is_a_changed_number():
    assert findings("On 27 June.", "در ۶ تیر ۱۴۰۵.", FA) == [
        ("numbers", "The numbers differ from the source: missing —, added 1405.")
    ]
    # A wrong day then names the one right day of that year.
    (date_error, number_error) = check_numbers("On 11 March.", "در ۲۳ اسفند ۱۴۰۴.", FA)
    assert date_error.params["expected"] == "۲۰ اسفند ۱۴۰۴"
    assert number_error.params == {"missing": "—", "added": "1404"}


def test_the_right_number_under_the_wrong_month_is_an_error():
    """The old check counted numbers only: ۱۱ for 11 passed, though 11 Esfand is 2 March."""
    (finding,) = check_numbers("On 11 March.", "در ۱۱ اسفند.", FA)
    assert (finding.code, finding.params["found"]) == ("date", "۱۱ اسفند")
    (finding,) = check_numbers("On 11 March.", "Më 11 prill.", SQ)
    assert finding.params["expected"] == "11 mars"


def test_one_wrong_end_of_a_range_names_the_range():
    (finding,) = check_numbers("From 11 to 13 March.", "از ۲۰ تا ۲۵ اسفند.", FA)
    assert finding.params == {
        "found": "۲۰ تا ۲۵ اسفند",
        "date": "11 to 13 March",
        "expected": "۲۲ اسفند / ۲۳ اسفند",
    }


def test_a_changed_number_beside_a_converted_date_is_still_an_error():
    """The heuristic this replaces let 15 → 16 through as advice when the days moved."""
    english = "15 workshops were held from 11 to 13 March."
    assert findings(english, "۱۶ کارگاه از ۲۰ تا ۲۲ اسفند برگزار شد.", FA) == [
        ("numbers", "The numbers differ from the source: missing 15, added 16.")
    ]
    persian = "۱۵ کارگاه در ۶ تیر برگزار شد."
    assert findings(persian, "16 workshops were held on 27 June.", EN) == [
        ("numbers", "The numbers differ from the source: missing 15, added 16.")
    ]
    assert has_errors(check_segment(english, "۱۶ کارگاه از ۲۰ تا ۲۲ اسفند.", FA))


def test_a_persian_source_s_date_converted_wrongly_is_an_error():
    (finding,) = check_numbers("شبی در ۶ تیر.", "An evening on 29 June.", EN)
    assert finding.is_error and finding.params["expected"] == "June 26 / June 27"


# ---------------------------------------------------------------- what is not a date


@pytest.mark.parametrize(
    "text",
    [
        "Participants were aged 16 to 25 years.",
        "شرکت‌کنندگان میان ۱۶ تا ۲۵ سال سن داشتند.",  # سال is a year, not a month
        "Open from 10:00 to 19:00.",
        "Up to 3 may attend.",  # English writes months with a capital
        "Costume by Marchetti 12.",
        "۳ ماه",  # three months
        "۳۱ مهر or 30 February",  # days no calendar has
    ],
)
def test_numbers_that_are_no_date(text):
    assert dates_in(text) == []


def test_month_names_are_read_in_every_spelling():
    assert days("مارس/آذار 11") == [(G, 3, 11, None)]
    assert days("11 أيّار و12 مايو") == [(G, 5, 11, None), (G, 5, 12, None)]  # with a shadda
    assert days("۲۰ و ۲۱ اسفند ۱۴۰۴") == [(SH, 12, 20, 1404), (SH, 12, 21, 1404)]
    assert days("the 4th of July, 1, 8 and 15 November") == [
        (G, 7, 4, None),
        (G, 11, 1, None),
        (G, 11, 8, None),
        (G, 11, 15, None),
    ]


# ---------------------------------------------------------------- years and calendars


def test_a_yearless_day_converts_to_two_neighbouring_days_at_most():
    """Why ``PLAUSIBLE_YEARS`` is what it is: in it, leap years move a day by one."""
    spreads = {
        (month, day): len(Day(G, month, day).in_calendar_of(Day(SH, 1, 1)))
        for month in range(1, 13)
        for day in range(1, monthrange(2000, month)[1] + 1)
    }
    assert max(spreads.values()) == 3 and [k for k, v in spreads.items() if v == 3] == [(3, 20)]


_gregorian_days = st.dates(date(PLAUSIBLE_YEARS[0], 1, 1), date(PLAUSIBLE_YEARS[-1], 12, 31))


def _english(day: date, year: bool) -> str:
    return day.strftime("%-d %B" + (" %Y" if year else ""))


def _persian(day: date, year: bool) -> str:
    jalali = jdatetime.date.fromgregorian(date=day, locale="fa_IR")
    return localize_digits(jalali.strftime("%-d %B" + (" %Y" if year else "")), "fa")


@settings(max_examples=150, deadline=None)
@given(day=_gregorian_days, year=st.booleans())
def test_any_gregorian_date_rendered_by_jdatetime_round_trips(day, year):
    english, persian = f"Opening on {_english(day, year)}.", f"گشایش در {_persian(day, year)}."
    assert check_numbers(english, persian, FA) == []
    assert check_numbers(persian, english, EN) == []


@settings(max_examples=50, deadline=None)
@given(day=st.dates(date(1700, 1, 1), date(2300, 12, 31)))
def test_with_a_year_any_date_converts_exactly(day):
    assert check_numbers(_english(day, True), _persian(day, True), FA) == []


# Digits of three scripts, connectors, month names and the characters around them.
_PIECES = "1|11|31|۲۰|١٣|2026|۱۴۰۴|0| |  |-|–|/|,|:|.|to|تا|و|إلى|deri më|of|th|March|Mar|May"
_PIECES += "|marsit|اسفند|دی|ماه|\u200c|مارس|آذار|كانون الثاني|ژوئن|](x 1 March)"
_pieces = st.sampled_from(_PIECES.split("|"))
_texts = st.lists(_pieces, max_size=30).map("".join)


@settings(max_examples=200, deadline=None)
@given(source=_texts, target=_texts)
def test_any_text_is_read_without_failing_and_a_copy_has_no_finding(source, target):
    assert all(finding.is_error for finding in check_numbers(source, target, FA))
    assert check_numbers(source, source, FA) == []


# ---------------------------------------------------------------- the demo


def _demo_pairs():
    for folder in sorted(ARTICLES.iterdir()):
        files = [read_article_file(path) for path in sorted(folder.glob("*.md"))]
        files = [file for file in files if file.name.count(".") == 1]
        (source,) = [file for file in files if file.is_source]

        def segments(file):
            text = file.text
            return [text.title, text.summary, *(block.text for block in text.blocks())]

        for file in files:
            if file is not source:
                for pair in zip(segments(source), segments(file), strict=True):
                    yield file.edition, *map(normalize, pair)


def test_every_demo_date_converts_right():
    converted = 0
    for code, source, target in _demo_pairs():
        assert check_numbers(source, target, EDITIONS[code]) == [], (source, target)
        calendars = {
            day.calendar for text in (source, target) for m in dates_in(text) for day in m.days
        }
        converted += len(calendars) == 2 and bool(compare_dates(source, target).explained_target)
    assert converted >= 12  # the demo's Persian dates, both ways
