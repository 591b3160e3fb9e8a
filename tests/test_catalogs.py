"""The interface catalogs: complete, accepted by GNU gettext, in step with the code."""

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from babel.messages.frontend import CommandLineInterface

from editions.core.settings import PROJECT_ROOT

TRANSLATIONS = PROJECT_ROOT / "translations"
CATALOGS = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))


def catalog_id(path: Path) -> str:
    return path.parent.parent.name


def test_every_edition_but_the_source_language_has_a_catalog(editions):
    assert {catalog_id(path) for path in CATALOGS} == set(editions) - {"en"}


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
@pytest.mark.parametrize("path", CATALOGS, ids=catalog_id)
def test_gnu_msgfmt_accepts_the_catalog_with_every_message_translated(path, tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "messages.mo"), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, result.stderr


@pytest.mark.parametrize("path", CATALOGS, ids=catalog_id)
def test_no_message_is_fuzzy_empty_or_left_in_english(path, editions):
    catalog = polib.pofile(str(path))
    edition = editions[catalog_id(path)]
    assert catalog.metadata["Plural-Forms"] == edition.plural_forms
    assert catalog.metadata["Language"] == edition.code
    for entry in catalog:
        if entry.obsolete:
            continue
        assert "fuzzy" not in entry.flags, entry.msgid
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == list(range(edition.nplurals)), entry.msgid
        for form in forms:
            assert form.strip(), f"{edition.code}: {entry.msgid!r} is untranslated"
            # A Latin-script edition may share a word with English; RTL ones never should.
            if edition.is_rtl:
                assert not _is_plain_english(form, entry.msgid), f"{entry.msgid!r} left in English"


def _is_plain_english(form: str, msgid: str) -> bool:
    return form == msgid and any(character.isalpha() for character in msgid)


def test_messages_pot_is_in_step_with_the_code(tmp_path):
    fresh = tmp_path / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(PROJECT_ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "_n:1,2",
            "-o",
            str(fresh),
            str(PROJECT_ROOT),
        ]
    )

    def ids(path: Path) -> set[tuple[str | None, str]]:
        return {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(path))}

    committed = TRANSLATIONS / "messages.pot"
    assert ids(fresh) == ids(committed), "run 'make update-catalogs' and translate what is new"
    for path in CATALOGS:
        live = {(e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if not e.obsolete}
        assert live == ids(committed), f"{path} is not updated from messages.pot"
