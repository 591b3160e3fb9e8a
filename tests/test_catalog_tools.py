"""The interface catalogs: statistics for coordinators and `editions catalogs check`."""

from __future__ import annotations

from pathlib import Path

from editions.core.languages import load_editions
from editions.core.settings import DEFAULT_EDITION_OVERRIDES
from editions.exchange.catalogs import catalog_findings, catalog_statistics

EDITIONS = load_editions(("en", "fa"), DEFAULT_EDITION_OVERRIDES)
CATALOG = """msgid ""
msgstr ""
"Language: fa\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Home"
msgstr "خانه"

#, fuzzy
msgid "Latest"
msgstr "تازه‌ها"

msgid "Search"
msgstr ""

msgid "%(num)d articles in 2026"
msgstr "%(num)d مقاله در ۲۰۲۷"

#, python-format
msgid "%(file)s: %(problem)s"
msgstr "%(file)s: %(problem)s"

#, python-format
msgid "%(percent)s%% alike"
msgstr "%(percent)s٪ همانند"
"""


def write_catalog(root: Path) -> Path:
    folder = root / "fa" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(CATALOG, encoding="utf-8")
    return root


def test_statistics_count_translated_fuzzy_and_untranslated(tmp_path):
    (fa,) = catalog_statistics(write_catalog(tmp_path), EDITIONS)
    assert (fa.edition, fa.translated, fa.fuzzy, fa.untranslated) == ("fa", 4, 1, 1)
    assert fa.percent == 67  # 4 of 6


def test_the_checks_find_a_changed_number_in_a_catalog(tmp_path):
    findings = list(catalog_findings(write_catalog(tmp_path), EDITIONS))
    assert [(code, line, finding.code) for code, line, _msgid, finding in findings] == [
        ("fa", 16, "numbers")
    ]


def test_placeholders_count_neither_as_latin_letters_nor_as_text_left_in_english(tmp_path):
    findings = list(catalog_findings(write_catalog(tmp_path), EDITIONS))
    assert not [finding for _code, line, _msgid, finding in findings if line > 16]


def test_the_real_catalogs_pass_their_checks_with_errors_none(run_cli):
    result = run_cli("catalogs", "check")
    assert result.exit_code == 0, result.output
