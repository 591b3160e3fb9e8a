"""The quality checks a translation goes through in the editor and in a PO import."""

import pytest

from editions.core.languages import load_editions
from editions.core.settings import DEFAULT_EDITION_OVERRIDES, DEFAULT_EDITIONS
from editions.text.checks import (
    Severity,
    check_identical,
    check_invisible,
    check_markup,
    check_numbers,
    check_persian_letters,
    check_punctuation,
    check_script,
    check_segment,
    check_whitespace,
    edition_script,
    has_errors,
)

EDITIONS = load_editions(DEFAULT_EDITIONS, DEFAULT_EDITION_OVERRIDES)
AR, FA, SQ = EDITIONS["ar"], EDITIONS["fa"], EDITIONS["sq"]


def codes(findings):
    return [finding.code for finding in findings]


# ---------------------------------------------------------------- the entry point


@pytest.mark.parametrize(
    ("source", "target", "edition"),
    [
        (
            "The library opens on 3 May at 10 o'clock.",
            "تفتح المكتبة في ٣ مايو في الساعة ١٠.",
            AR,
        ),
        (
            "The library opens on 3 May at 10 o'clock.",
            "کتابخانه ۳ مه ساعت ۱۰ باز می‌شود.",
            FA,
        ),
        (
            "The library opens on 3 May at 10 o'clock.",
            "Biblioteka hapet më 3 maj në orën 10.",
            SQ,
        ),
    ],
)
def test_a_good_translation_has_no_findings(source, target, edition):
    assert check_segment(source, target, edition) == []


def test_an_empty_translation_is_one_error():
    findings = check_segment("Entry is free.", "  ", SQ)
    assert codes(findings) == ["empty"] and has_errors(findings)


def test_errors_come_before_warnings():
    findings = check_segment("Read [the report](https://example.org/r).", "Read, the report?", AR)
    assert [f.severity for f in findings] == sorted(
        (f.severity for f in findings), key=lambda s: s is Severity.WARNING
    )
    assert findings[0].is_error


def test_a_finding_keeps_its_message_template_and_parameters_apart():
    (finding,) = check_numbers("Founded in 1998.", "Themeluar më 1989.", SQ)
    assert "%(missing)s" in finding.message
    assert dict(finding.params) == {"missing": "1998", "added": "1989"}
    assert finding.text() == "The numbers differ from the source: missing 1998, added 1989."
    assert finding.as_dict()["severity"] == "error"


# ---------------------------------------------------------------- markup


def test_a_link_target_must_be_kept():
    source = "Read [the report](https://example.org/report) today."
    assert check_markup(source, "Lexoni [raportin](https://example.org/report) sot.", SQ) == []
    (finding,) = check_markup(source, "Lexoni raportin sot.", SQ)
    assert finding.code == "links" and finding.is_error
    assert finding.params["expected"] == "https://example.org/report"


def test_an_image_source_must_be_kept():
    source = "![The square](/media/square.jpg) at noon."
    assert check_markup(source, "![الساحة](/media/square.jpg) ظهراً.", AR) == []
    assert codes(check_markup(source, "![الساحة](/media/other.jpg) ظهراً.", AR)) == ["images"]


def test_raw_html_in_a_translation_is_an_error():
    (finding,) = check_markup("Stay safe.", "Qëndroni <script>alert(1)</script> të sigurt.", SQ)
    assert finding.code == "html" and "<script>" in finding.params["tags"]


def test_lost_emphasis_is_only_a_warning():
    (finding,) = check_markup("Entry is **free** for everyone.", "ورود برای همه رایگان است.", FA)
    assert (finding.code, finding.severity) == ("emphasis", Severity.WARNING)


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("target", "edition"),
    [
        ("في عام ٢٠٢٦ زار المعرض ١٢٥٠ شخصاً.", AR),
        ("در سال ۲۰۲۶ ۱۲۵۰ نفر از نمایشگاه دیدن کردند.", FA),
        ("در سال 2026 ۱٬۲۵۰ نفر از نمایشگاه دیدن کردند.", FA),
        ("Në vitin 2026 ekspozitën e vizituan 1.250 veta.", SQ),
    ],
)
def test_numbers_are_the_same_in_any_digits(target, edition):
    assert check_numbers("In 2026, 1,250 people visited the exhibition.", target, edition) == []


def test_a_changed_number_is_an_error():
    (finding,) = check_numbers("Four workshops for 120 people.", "چهار کارگاه برای ۱۲۱ نفر.", FA)
    assert (finding.params["missing"], finding.params["added"]) == ("120", "121")
    # A changed day of a date is an error that names the date (tests/test_dates.py).
    (finding,) = check_numbers("Four workshops on 12 June.", "چهار کارگاه در ۱۳ ژوئن.", FA)
    assert (finding.code, finding.params["found"], finding.params["expected"]) == (
        "date",
        "۱۳ ژوئن",
        "۱۲ ژوئن",
    )


def test_numbers_in_link_targets_are_not_counted():
    source = "See [page 4](https://example.org/2026/4)."
    assert check_numbers(source, "Shihni [faqen 4](https://example.org/2026/4).", SQ) == []


# ---------------------------------------------------------------- invisible characters


def test_a_bidi_override_is_an_error_with_a_cleaned_suggestion():
    (finding,) = check_invisible("Entry is free.", "الدخول \u202eمجاني للجميع.", AR)
    assert finding.code == "invisible" and finding.params["characters"] == "U+202E"
    assert finding.suggestion == "الدخول مجاني للجميع."


def test_the_zero_width_non_joiner_of_persian_is_allowed():
    assert check_invisible("The festival begins.", "جشنواره آغاز می\u200cشود.", FA) == []


# ---------------------------------------------------------------- script and spelling


def test_the_script_of_each_edition_comes_from_cldr():
    assert (edition_script("ar"), edition_script("fa"), edition_script("sq")) == (
        "ARABIC",
        "ARABIC",
        "LATIN",
    )


def test_english_pasted_into_the_persian_edition_is_the_wrong_script():
    (finding,) = check_script("Entry is free.", "Entry is free.", FA)
    assert finding.code == "script" and finding.params["edition"] == "فارسی"


def test_persian_text_in_the_albanian_edition_is_the_wrong_script():
    assert codes(check_script("Entry is free.", "ورود رایگان است.", SQ)) == ["script"]


def test_a_latin_name_inside_arabic_text_is_fine():
    assert check_script("UNESCO met on Friday.", "اجتمعت اليونسكو (UNESCO) يوم الجمعة.", AR) == []


def test_arabic_yeh_and_kaf_in_persian_are_errors_with_the_fix():
    (finding,) = check_persian_letters("The book fair", "نمايشگاه كتاب", FA)
    assert finding.code == "arabic-letters" and finding.is_error
    assert finding.suggestion == "نمایشگاه کتاب"


def test_arabic_yeh_and_kaf_are_right_in_the_arabic_edition():
    assert check_persian_letters("The book fair", "معرض الكتاب في المدينة", AR) == []


# ---------------------------------------------------------------- whitespace and copies


def test_trailing_whitespace_that_differs_is_a_warning_with_the_fix():
    (finding,) = check_whitespace("Name: ", "Emri:", SQ)
    assert finding.severity is Severity.WARNING and finding.suggestion == "Emri: "
    assert check_whitespace("Name: ", "Emri: ", SQ) == []


def test_a_translation_identical_to_the_source_is_flagged():
    assert codes(check_identical("Festival", "Festival", SQ)) == ["identical"]
    assert check_identical("2026", "2026", SQ) == []


# ---------------------------------------------------------------- punctuation


def test_latin_punctuation_in_arabic_gets_a_suggestion():
    (finding,) = check_punctuation("Why, and when?", "لماذا, ومتى?", AR)
    assert finding.severity is Severity.WARNING
    assert finding.suggestion == "لماذا، ومتى؟"


def test_persian_punctuation_leaves_numbers_and_link_targets_alone():
    target = "۱,۲۵۰ نفر آمدند; [گزارش](https://example.org/?a=1,2)"
    (finding,) = check_punctuation("1,250 came; [report](https://example.org/?a=1,2)", target, FA)
    assert finding.suggestion == "۱,۲۵۰ نفر آمدند؛ [گزارش](https://example.org/?a=1,2)"


def test_punctuation_is_not_checked_in_latin_editions():
    assert check_punctuation("Why?", "Pse?", SQ) == []


def test_days_change_between_the_gregorian_and_the_solar_hijri_calendar(editions):
    english = "The conference met in Tirana from 11 to 13 March, with 120 translators."
    persian = "بیش از ۱۲۰ مترجم از ۲۰ تا ۲۲ اسفند در تیرانا گرد هم آمدند."
    assert check_segment(english, persian, editions["fa"]) == []
    wrong_count = persian.replace("۱۲۰", "۱۳۰")
    assert codes(check_segment(english, wrong_count, editions["fa"])) == ["numbers"]
    # From a Persian source into a Gregorian edition, the days change back.
    back = check_segment(persian, english.replace("120", "۱۲۰"), editions["sq"])
    assert not {"numbers", "date"} & set(codes(back))
    # Between two Gregorian editions a changed day is an error that names the date.
    albanian = "Konferenca u mblodh në Tiranë nga 12 deri më 13 mars, me 120 përkthyes."
    (finding,) = check_segment(english, albanian, editions["sq"])
    assert (finding.code, finding.is_error) == ("date", True)
    assert (finding.params["found"], finding.params["expected"]) == (
        "12 deri më 13 mars",
        "11 mars",
    )
