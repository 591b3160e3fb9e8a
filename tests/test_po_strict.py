"""PO syntax as strict as GNU gettext: the malformed corpus, msgfmt as the oracle, fuzzing.

Every file in ``tests/data/po-malformed`` is refused whole with the message below and
leaves the database as it was. GNU ``msgfmt --check`` refuses the same files, except the
few that Editions refuses on top (one Language, UTF-8, one entry per segment).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editions.core.languages import load_editions
from editions.core.settings import DEFAULT_EDITION_OVERRIDES, DEFAULT_EDITIONS
from editions.exchange.export import ExportQuery, export_edition
from editions.exchange.importer import import_files, sha256_of
from editions.exchange.pofiles import PoFileError, read_upload
from tests.factories import make_article
from tests.test_po_files import database_state

CORPUS = Path(__file__).parent / "data" / "po-malformed"
LIMIT = 5 * 1024 * 1024
EDITIONS = load_editions(DEFAULT_EDITIONS, DEFAULT_EDITION_OVERRIDES)
MSGFMT = shutil.which("msgfmt")
needs_msgfmt = pytest.mark.skipif(MSGFMT is None, reason="GNU msgfmt (gettext) is not installed")

REFUSED = {
    "byte-order-mark-inside": "line 16: syntax error: unexpected '\\ufeff'",
    "comment-inside-entry": "line 21: syntax error: unexpected '# looks fine to me'",
    "context-separator-in-string": (
        "line 21: the control character U+0004 is not allowed in a string"
    ),
    "domain-directive": (
        "line 12: a domain directive is not allowed: a file holds one edition's entries"
    ),
    "duplicate-entry": "line 25: duplicate entry '16009:b2' (first at line 19)",
    "empty-header": ': the file has no header entry (msgid "" with the Language)',
    "end-of-file-in-string": ("line 21: end of file inside a string: the closing quote is missing"),
    "hex-escape-without-digits": "line 21: invalid escape sequence \\x in a string",
    "invalid-plural-expression": (
        "line 2: the Plural-Forms header's plural= is not a valid expression"
    ),
    "missing-closing-quote-msgid": (
        "line 20: end of line inside a string: the closing quote is missing"
    ),
    "missing-msgstr": "line 19: the entry has no msgstr",
    "misspelt-keyword": "line 21: unknown keyword 'msgtsr' (text outside quotes?)",
    "msgctxt-without-msgid": "line 20: syntax error: unexpected msgstr",
    "msgstr-index-without-plural": "line 19: the entry has msgstr[] forms but no msgid_plural",
    "no-header": ': the file has no header entry (msgid "" with the Language)',
    "not-utf-8": "line 21: the file is not UTF-8",
    "nplurals-not-a-number": "line 2: the Plural-Forms header has no number after nplurals=",
    "nul-byte-outside-strings": "line 22: syntax error: unexpected '\\x00'",
    "obsolete-mark-on-part-of-an-entry": "line 18: #~ marks only part of an entry",
    "plural-count-differs": "line 19: the header says nplurals=2 but the entry has 1 forms",
    "plural-division-by-zero": "line 2: the Plural-Forms expression divides by zero for n = 0",
    "plural-expression-beyond-nplurals": (
        "line 2: the Plural-Forms expression gives form 1 for n = 0, but nplurals is 1"
    ),
    "plural-form-wrong-index": "line 23: msgstr[2] where msgstr[1] is expected",
    "plural-without-msgstr": "line 19: the entry has msgid_plural but no msgstr[0]",
    "previous-after-flags-order": "line 18: syntax error: unexpected '#, fuzzy'",
    "previous-not-continued": "line 19: syntax error: unexpected 'on Friday.'",
    "previous-unterminated": ("line 18: end of line inside a string: the closing quote is missing"),
    "second-header": "line 17: a second header entry (the first is at line 2)",
    "second-header-obsolete": "line 23: a second header entry (the first is at line 2)",
    "stray-character": "line 21: syntax error: unexpected '@'",
    "text-between-entries": "line 17: unknown keyword 'Festivali' (text outside quotes?)",
    "trailing-backslash": "line 21: end of line inside a string: the closing quote is missing",
    "trailing-backslash-at-end": (
        "line 21: end of file inside a string: the closing quote is missing"
    ),
    "two-msgctxt": "line 20: syntax error: unexpected msgctxt",
    "two-msgstr": "line 22: syntax error: unexpected msgstr",
    "unknown-escape": "line 21: invalid escape sequence \\q in a string",
    "unquoted-msgid": "line 20: unknown keyword 'The' (text outside quotes?)",
    "unquoted-msgstr": "line 21: unknown keyword 'Festivali' (text outside quotes?)",
    "unterminated-msgstr": ("line 21: end of line inside a string: the closing quote is missing"),
    # GNU gettext accepts these (at most with a warning); Editions does not.
    "escapes-not-utf-8": "line 21: a string's escape sequences do not make UTF-8 text",
    "latin-1-charset": "line 2: the charset is ISO-8859-1; only UTF-8 is accepted",
    "no-language": "line 2: the header has no Language",
    "same-msgctxt-twice": "line 25: duplicate entry '16009:b2' (first at line 19)",
    "two-languages": "line 2: the header names 2 languages (sq, fa); a file has one",
}
EDITIONS_ONLY = {
    "escapes-not-utf-8",
    "latin-1-charset",
    "no-language",
    "same-msgctxt-twice",
    "two-languages",
}


def expected_message(name: str) -> str:
    where = REFUSED[name]
    return f"{name}.po{where}" if where.startswith(":") else f"{name}.po, {where}"


def test_the_corpus_and_its_expected_messages_are_the_same_set():
    assert {path.stem for path in CORPUS.glob("*.po")} == set(REFUSED)


def test_the_stored_export_is_what_an_export_makes_today(session, editions):
    assert _exported(session, editions) == EXPORT.read_bytes()


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_malformed_file_is_refused_whole_with_its_line_and_nothing_changes(
    name, run_cli, session, editions
):
    make_article(session, editions, translate=("sq",))
    session.commit()
    before = database_state(session)
    result = run_cli("po", "import", str(CORPUS / f"{name}.po"), "--edition", "sq")
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines()[-1] == f"Error: {expected_message(name)}"
    assert database_state(session) == before


@needs_msgfmt
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_gnu_msgfmt_refuses_the_same_files(name):
    check = subprocess.run(
        [MSGFMT, "--check", "-o", "/dev/null", str(CORPUS / f"{name}.po")],
        capture_output=True,
        check=False,
    )
    # Editions refuses a few files GNU gettext accepts; never the other way round.
    assert (check.returncode == 0) == (name in EDITIONS_ONLY), check.stderr.decode()


def test_a_header_entry_inside_a_persian_file_cannot_move_its_entries_to_arabic():
    data = (CORPUS / "second-header.po").read_bytes().replace(b"Language: sq", b"Language: fa")
    with pytest.raises(PoFileError, match="a second header entry"):
        read_upload(data, "fa.po", EDITIONS, edition=None, limit=LIMIT)


def test_what_gnu_gettext_accepts_reads_as_gnu_gettext_reads_it():
    text = (
        'msgid ""\nmsgstr ""\n"Language: sq\\n"\n\n'
        '# a comment\n#, fuzzy\n#| msgid "Old "\n#| "text"\nmsgctxt "16009:b2"\n'
        'msgid "The \\"festival\\"\\topens"\r\n'
        'msgstr "Fes\\\ntivali \\303\\253 \\xc3\\xab" "!"  # joined\n'
    )
    files = read_upload(text.encode(), "sq.po", EDITIONS, edition="sq", limit=LIMIT)
    (entry,) = files[0].entries
    assert entry.msgid == 'The "festival"\topens'
    assert entry.msgstr == "Festivali ë ë!"
    assert entry.previous_msgid == "Old text" and entry.fuzzy


# ---------------------------------------------------------------- fuzzing

CREATED = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
# The export of tests.factories.make_article into Albanian, as test_po_exchange makes it.
EXPORT = Path(__file__).parent / "data" / "po-exports" / "sq.po"
# msgfmt --check errors about the entries' format, not their syntax or the header:
# Editions normalizes whitespace, so a msgstr ending in "\n" is no reason to refuse a file.
_FORMAT_ONLY = re.compile(r"do not both (begin|end) with|format specification|found \d+ fatal")


def _exported(session, editions) -> bytes:
    make_article(session, editions, translate=("sq",))
    out = io.StringIO()
    export_edition(session, editions["sq"], ExportQuery(), out, created=CREATED)
    return out.getvalue().encode()


def _mutations(data: bytes) -> st.SearchStrategy[bytes]:
    specials = st.sampled_from([b'"', b"\\", b"\n", b"\r\n", b"#", b"#~ ", b"#| ", b"\\n", b"["])

    def drop(at: int, length: int) -> bytes:
        return data[:at] + data[at + length :]

    def duplicate(at: int, length: int) -> bytes:
        return data[:at] + data[at : at + length] * 2 + data[at + length :]

    def swap(at: int, other: int) -> bytes:
        first, second = sorted((at, other))
        if first == second:
            return data
        return (
            data[:first]
            + data[second : second + 1]
            + data[first + 1 : second]
            + data[first : first + 1]
            + data[second + 1 :]
        )

    def insert(at: int, text: bytes) -> bytes:
        return data[:at] + text + data[at:]

    position = st.integers(0, len(data) - 1)
    return st.one_of(
        st.builds(drop, position, st.integers(1, 8)),
        st.builds(duplicate, position, st.integers(1, 40)),
        st.builds(swap, position, position),
        st.builds(insert, position, specials),
    )


def _msgfmt_refuses_for_syntax_or_header(data: bytes, tmp_path: Path) -> bool:
    path = tmp_path / "mutant.po"
    path.write_bytes(data)
    check = subprocess.run(
        [MSGFMT, "--check", "-o", "/dev/null", str(path)], capture_output=True, check=False
    )
    errors = [
        line
        for line in check.stderr.decode(errors="replace").splitlines()
        if "warning" not in line and line.startswith(str(path)) and not _FORMAT_ONLY.search(line)
    ]
    return check.returncode != 0 and bool(errors)


@needs_msgfmt
def test_mutated_exports_are_refused_whenever_gnu_gettext_refuses_their_syntax(tmp_path):
    """Never a traceback: each mutant is read or refused with a message naming the file,
    and refused whenever msgfmt --check refuses it for its syntax or header."""
    exported = EXPORT.read_bytes()
    editions = EDITIONS

    @given(_mutations(exported))
    @settings(max_examples=300, deadline=None, database=None)
    def check(mutant: bytes) -> None:
        try:
            read_upload(mutant, "sq.po", editions, edition="sq", limit=LIMIT)
            refused = None
        except PoFileError as error:
            refused = str(error)
            assert refused.startswith("sq.po")
        if _msgfmt_refuses_for_syntax_or_header(mutant, tmp_path):
            assert refused is not None, "msgfmt --check refuses this file"

    check()


def test_a_mutated_export_is_imported_or_refused_and_never_half_written(session, editions):
    exported = _exported(session, editions)
    session.commit()

    @given(_mutations(exported))
    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    def check(mutant: bytes) -> None:
        before = database_state(session)
        savepoint = session.begin_nested()
        try:
            files = read_upload(mutant, "sq.po", editions, edition="sq", limit=LIMIT)
        except PoFileError:
            savepoint.rollback()
            assert database_state(session) == before
            return
        report = import_files(
            session,
            editions,
            files,
            filename="sq.po",
            sha256=sha256_of(mutant),
            user=None,
            dry_run=False,
        )
        assert sum(report.counts.values()) == len(files[0].entries)
        savepoint.rollback()

    check()
