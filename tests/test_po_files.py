"""File-level errors: the whole file is refused with a message naming the line, nothing written."""

from __future__ import annotations

import io
import zipfile

import pytest
from babel.messages.extract import extract_from_file
from sqlalchemy import func, select

from editions.exchange import pofiles, poreader
from editions.exchange.history import PoImport
from editions.exchange.pofiles import PoFileError, read_upload
from editions.models import Translation, TranslationChange
from tests.factories import make_article

GOOD_ENTRY = (
    'msgctxt "16009:b2"\n'
    'msgid "The festival opens on Friday at the city library."\n'
    'msgstr "Festivali hapet të premten në bibliotekën e qytetit të vjetër."\n'
)


def header(language: str = "sq", charset: str = "UTF-8") -> str:
    lines = ['msgid ""', 'msgstr ""', f'"Content-Type: text/plain; charset={charset}\\n"']
    if language:
        lines.append(f'"Language: {language}\\n"')
    return "\n".join(lines) + "\n\n"


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def database_state(session) -> tuple:
    return (
        session.scalars(select(Translation.text).order_by(Translation.id)).all(),
        session.scalar(select(func.count()).select_from(TranslationChange)),
        session.scalar(select(func.count()).select_from(PoImport)),
    )


CASES = {
    "syntax": (
        "sq.po",
        (
            header() + 'msgctxt "16009:b2"\nmsgid "The festival"\nmsgstr "Festivali "i ri""\n'
        ).encode(),
        "sq.po, line 8: unknown keyword 'i' (text outside quotes?)",
    ),
    "not utf-8": (
        "sq.po",
        (header() + GOOD_ENTRY).encode() + b'\nmsgctxt "16009:b3"\nmsgid "x"\nmsgstr "p\xebr"\n',
        "sq.po, line 12: the file is not UTF-8",
    ),
    "charset": (
        "sq.po",
        (header(charset="ISO-8859-1") + GOOD_ENTRY).encode(),
        "sq.po, line 1: the charset is ISO-8859-1; only UTF-8 is accepted",
    ),
    "no language": (
        "sq.po",
        (header(language="") + GOOD_ENTRY).encode(),
        "sq.po, line 1: the header has no Language",
    ),
    "other language": (
        "sq.po",
        (header(language="fa") + GOOD_ENTRY).encode(),
        "sq.po, line 1: the Language is fa but the sq edition was asked for",
    ),
    "duplicate": (
        "sq.po",
        (header() + GOOD_ENTRY + "\n" + GOOD_ENTRY).encode(),
        "sq.po, line 10: duplicate entry '16009:b2' (first at line 6)",
    ),
    "zip member": (
        "all.zip",
        zipped({"sq.po": (header() + GOOD_ENTRY).encode(), "notes.txt": b"hello"}),
        "all.zip: unexpected member notes.txt; an archive holds only ar.po, en.po, fa.po, sq.po",
    ),
    "zip bomb": (
        "all.zip",
        zipped({"sq.po": (header() + GOOD_ENTRY).encode() + b"#" * (6 * 1024 * 1024)}),
        "all.zip: unpacked, the archive is larger than the limit of 5,242,880 bytes",
    ),
    "upload limit": (
        "sq.po",
        (header() + GOOD_ENTRY).encode() + b"#\n" * (3 * 1024 * 1024),
        "sq.po: the file is 6,291,",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_file_is_refused_whole_with_the_line_and_nothing_changes(
    case, run_cli, session, editions, tmp_path
):
    make_article(session, editions, translate=("sq",))
    session.commit()
    before = database_state(session)
    name, data, message = CASES[case]
    path = tmp_path / name
    path.write_bytes(data)
    result = run_cli("po", "import", str(path), "--edition", "sq")
    assert result.exit_code == 1
    assert f"Error: {message}" in result.output
    assert database_state(session) == before


@pytest.mark.parametrize("case", list(CASES))
def test_a_file_error_is_an_english_template_marked_for_the_catalog(case, editions):
    name, data, message = CASES[case]
    with pytest.raises(PoFileError) as refused:
        read_upload(data, name, editions, edition="sq", limit=5 * 1024 * 1024)
    error = refused.value
    marked = {
        text
        for module in (pofiles, poreader)
        for _line, text, _comments, _context in extract_from_file(
            "python", module.__file__, keywords={"_l": None}
        )
    }
    assert error.problem.template in marked
    assert error.message.template in marked
    where = f"{error.filename}, line {error.line}" if error.line else error.filename
    assert str(error) == f"{where}: {error.problem}"
    assert str(error).startswith(message)


def test_a_good_file_is_imported_by_the_same_command(run_cli, session, editions, tmp_path):
    make_article(session, editions, translate=("sq",))
    session.commit()
    path = tmp_path / "sq.po"
    path.write_bytes((header() + GOOD_ENTRY).encode())
    result = run_cli("po", "import", str(path), "--edition", "sq")
    assert result.exit_code == 0, result.output
    assert "imported: 1 applied" in result.output
