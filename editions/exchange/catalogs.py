"""The interface catalogs (``translations/<code>/LC_MESSAGES/messages.po``): statistics and checks.

Coordinators download them for translators and see how complete each one is; the same
quality checks as for article segments run on every translated message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import polib

from editions.core.languages import Edition
from editions.text.checks import Finding, check_segment

SOURCE_LANGUAGE = "en"  # the msgids are English: no catalog
# A placeholder is code, not text: "%(file)s" must count neither as Latin letters nor as
# words left in English. Each becomes the object replacement character on both sides.
_PLACEHOLDER = re.compile(r"%%|%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
_OBJECT = "\ufffc"


def catalog_path(translations: Path, code: str) -> Path:
    return translations / code / "LC_MESSAGES" / "messages.po"


@dataclass(frozen=True)
class CatalogStatistics:
    edition: str
    translated: int
    fuzzy: int
    untranslated: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> int:
        return round(100 * self.translated / self.total) if self.total else 100


def catalog_editions(translations: Path, editions: Mapping[str, Edition]) -> list[str]:
    return [code for code in editions if catalog_path(translations, code).is_file()]


def catalog_statistics(
    translations: Path, editions: Mapping[str, Edition]
) -> list[CatalogStatistics]:
    statistics = []
    for code in catalog_editions(translations, editions):
        catalog = polib.pofile(str(catalog_path(translations, code)))
        entries = [entry for entry in catalog if not entry.obsolete]
        fuzzy = sum(1 for entry in entries if entry.fuzzy)
        translated = sum(1 for entry in entries if entry.translated())
        statistics.append(
            CatalogStatistics(code, translated, fuzzy, len(entries) - translated - fuzzy)
        )
    return statistics


def _without_placeholders(text: str) -> str:
    return _PLACEHOLDER.sub(lambda match: "%" if match[0] == "%%" else _OBJECT, text)


def catalog_findings(
    translations: Path, editions: Mapping[str, Edition]
) -> Iterator[tuple[str, int, str, Finding]]:
    """(edition, line, msgid, finding) for every translated message of every catalog."""
    for code in catalog_editions(translations, editions):
        catalog = polib.pofile(str(catalog_path(translations, code)))
        for entry in catalog:
            if entry.obsolete or entry.fuzzy or not entry.translated():
                continue
            pairs = (
                [(entry.msgid_plural or entry.msgid, text) for text in entry.msgstr_plural.values()]
                if entry.msgid_plural
                else [(entry.msgid, entry.msgstr)]
            )
            if "python-format" in entry.flags:
                pairs = [(_without_placeholders(a), _without_placeholders(b)) for a, b in pairs]
            for source, target in pairs:
                for finding in check_segment(source, target, editions[code]):
                    yield code, entry.linenum or 0, entry.msgid, finding
