"""File-level errors: the whole file is refused with a message naming the line, nothing written."""

from __future__ import annotations

import io
import zipfile

import pytest
from babel.messages.extract import extract_from_file
from sqlalchemy import func, select

from editions.core.models import Translation, TranslationChange
from editions.exchange import pofiles, poreader
from editions.exchange.history import PoImport
from editions.exchange.pofiles import PoFileError, read_upload
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


# ---------------------------------------------------------------- archives


def _zip_with(method: int, content: bytes, **options) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=method, **options) as archive:
        archive.writestr("sq.po", content)
    return out.getvalue()


def _encrypted(content: bytes) -> bytes:
    """A stored member with the encryption flag set, as a zip tool that encrypts writes it."""
    data = bytearray(_zip_with(zipfile.ZIP_STORED, content))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature)
        data[at + offset] |= 0x1
    return bytes(data)


def _bad_crc(content: bytes) -> bytes:
    data = bytearray(_zip_with(zipfile.ZIP_STORED, content))
    at = data.index(b"Festivali")
    data[at] = ord("f")
    return bytes(data)


ARCHIVES = {
    "lzma bomb": (
        _zip_with(zipfile.ZIP_LZMA, (header() + GOOD_ENTRY).encode() + b"#" * (8 * 1024 * 1024)),
        "all.zip: sq.po is compressed with method 14; only stored and deflated members are read",
    ),
    "bzip2": (
        _zip_with(zipfile.ZIP_BZIP2, (header() + GOOD_ENTRY).encode()),
        "all.zip: sq.po is compressed with method 12; only stored and deflated members are read",
    ),
    "deflate bomb": (
        _zip_with(zipfile.ZIP_DEFLATED, b"#" * (8 * 1024 * 1024)),
        "all.zip: unpacked, the archive is larger than the limit of 5,242,880 bytes",
    ),
    "encrypted": (
        _encrypted((header() + GOOD_ENTRY).encode()),
        "all.zip: sq.po is encrypted; export again and send it as it is",
    ),
    "bad crc": (
        _bad_crc((header() + GOOD_ENTRY).encode()),
        "all.zip: sq.po in the zip archive is damaged: Bad CRC-32 for file 'sq.po'",
    ),
    "truncated": (
        zipped({"sq.po": (header() + GOOD_ENTRY).encode()})[:-30],
        "all.zip: the zip archive is damaged",
    ),
}


@pytest.mark.parametrize("case", list(ARCHIVES))
def test_a_hostile_or_damaged_archive_is_refused_with_a_message_and_nothing_changes(
    case, run_cli, session, editions, tmp_path
):
    make_article(session, editions, translate=("sq",))
    session.commit()
    before = database_state(session)
    data, message = ARCHIVES[case]
    path = tmp_path / "all.zip"
    path.write_bytes(data)
    result = run_cli("po", "import", str(path))
    assert result.exit_code == 1, result.output
    assert f"Error: {message}" in result.output
    assert database_state(session) == before


def test_a_damaged_archive_is_a_422_page_on_the_web(client, sign_in):
    sign_in(client, "coordinator")
    for data, message in ARCHIVES.values():
        response = client.post(
            "/dashboard/exchange/import",
            data={"file": (io.BytesIO(data), "all.zip")},
            content_type="multipart/form-data",
        )
        assert response.status_code == 422
        assert message.removeprefix("all.zip: ").split(":")[0] in response.get_data(as_text=True)
