"""PO files as translators' tools read and write them.

Writing follows polib's layout with line wrapping off, one entry at a time, so an export
streams (memory stays flat) and ``msgcat --no-wrap`` reproduces it byte for byte; polib
was chosen over Babel's ``write_po`` because Babel needs a whole catalog in memory and
wraps ``#|`` lines even with ``width=0``. Entries are written with polib's ``escape``
but without a ``POEntry`` each, which is what made export slow (see bench/po.md).

Reading never uses polib, which repairs broken files: ``poreader`` reads GNU gettext's
syntax strictly. A file is bounded by ``Settings.max_upload_bytes`` (on the web and in
the CLI alike), checked before anything is parsed, and a zip's members are bounded the
same way while they are unpacked. Every problem with the file as a whole is a
``PoFileError`` naming the line.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import IO

import polib
from polib import escape

from editions.core.errors import ContentError
from editions.core.languages import Edition
from editions.core.messages import Message, _l
from editions.exchange.poreader import PoEntry, PoSyntaxError, read_catalog

GENERATOR = "Editions PO exchange 1"
_TOO_LARGE = _l("the file is %(size)s bytes; the limit is %(limit)s")
_CHARSET = re.compile(r"charset=([^\s;]+)", re.IGNORECASE)
# What polib escapes, and where str.splitlines() breaks a line (a test checks both).
_SPECIAL = '\\"\t\n\r\v\b\f\x1c\x1d\x1e\x85\u2028\u2029'


class PoFileError(ContentError):
    """A file refused as a whole; nothing of it is applied.

    The message names the file (and the line, when known) in front of the problem, all
    of it translatable where it is shown; ``problem`` is the problem alone.
    """

    def __init__(
        self, filename: str, problem: str, line: int | None = None, /, **params: object
    ) -> None:
        where = Message(_l("%(file)s, line %(line)s"), {"file": filename, "line": line})
        self.problem = Message(problem, params)
        super().__init__(
            _l("%(where)s: %(problem)s"), where=where if line else filename, problem=self.problem
        )
        self.filename = filename
        self.line = line


# ---------------------------------------------------------------- writing


def header_entry(edition: Edition, created: datetime) -> polib.POEntry:
    stamp = created.strftime("%Y-%m-%d %H:%M%z")
    fields = {
        "Project-Id-Version": "Editions",
        "POT-Creation-Date": stamp,
        "PO-Revision-Date": stamp,
        "Last-Translator": "",
        "Language-Team": f"{edition.english_name} edition",
        "Language": edition.code,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": edition.plural_forms,
        "X-Generator": GENERATOR,
    }
    return polib.POEntry(
        msgid="", msgstr="".join(f"{name}: {value}\n" for name, value in fields.items())
    )


def write_entry(
    out: IO[str],
    *,
    msgctxt: str,
    msgid: str,
    msgstr: str,
    comment: str,
    reference: str,
    fuzzy: bool,
    previous_msgid: str | None,
) -> None:
    """One entry after a blank line (the header starts the file), exactly as msgcat spells it.

    Written directly rather than through ``polib.POEntry``, which takes several times as
    long as the text itself; the layout is polib's with wrapping off (a test compares
    them) and any escaping is polib's own ``escape``.
    """
    comments = comment.replace("\n", "\n#. ")
    flags = "#, fuzzy\n" if fuzzy else ""
    previous = "" if previous_msgid is None else _field("#| msgid", previous_msgid, "#| ")
    out.write(
        f"\n#. {comments}\n#: {reference}\n{flags}{previous}"
        f"{_field('msgctxt', msgctxt)}{_field('msgid', msgid)}{_field('msgstr', msgstr)}"
    )


def _field(keyword: str, text: str, prefix: str = "") -> str:
    # Most texts are one line with nothing to escape; `in` is many times faster than a regex.
    if not any(map(text.__contains__, _SPECIAL)):
        return f'{keyword} "{text}"\n'
    lines = text.splitlines(True)
    if len(lines) <= 1:
        return f'{keyword} "{escape(text)}"\n'
    # Like polib: a multi-line text starts with "" and continues a line per line.
    continued = "".join(f'{prefix}"{escape(line)}"\n' for line in lines)
    return f'{keyword} ""\n{continued}'


def write_header(out: IO[str], edition: Edition, created: datetime, title: str) -> None:
    out.write(f"# {title}\n")
    out.write(header_entry(edition, created).__unicode__(wrapwidth=0))


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class PoFile:
    filename: str
    edition: str
    entries: list[PoEntry]


def read_po(
    data: bytes, filename: str, editions: Mapping[str, Edition], *, edition: str | None, limit: int
) -> PoFile:
    """Parse and check one PO file; ``edition`` is the one asked for (None: the file's own).

    The syntax is GNU gettext's, read by ``poreader`` without repairing anything; on top
    of what ``msgfmt --check`` refuses, a file must be UTF-8 (a byte order mark is
    allowed, as editors write one), and its header must name exactly one ``Language``, an
    edition of this site.
    """
    if len(data) > limit:
        raise PoFileError(filename, _TOO_LARGE, size=f"{len(data):,}", limit=f"{limit:,}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PoFileError(filename, _l("the file is not UTF-8"), line) from None
    try:
        catalog = read_catalog(text.removeprefix("\ufeff"))
    except PoSyntaxError as error:
        raise PoFileError(filename, error.problem, error.line, **error.params) from None
    header_line = catalog.header.line
    fields = catalog.header_fields
    for name, value in fields:
        charset = _CHARSET.search(value) if name == "Content-Type" else None
        if charset and charset.group(1).upper().replace("_", "-") not in {"UTF-8", "UTF8"}:
            raise PoFileError(
                filename,
                _l("the charset is %(charset)s; only UTF-8 is accepted"),
                header_line,
                charset=charset.group(1),
            )
    languages = [value.replace("-", "_") for name, value in fields if name == "Language"]
    if len(languages) > 1:
        raise PoFileError(
            filename,
            _l("the header names %(count)s languages (%(languages)s); a file has one"),
            header_line,
            count=len(languages),
            languages=", ".join(languages),
        )
    language = languages[0] if languages else ""
    if not language:
        raise PoFileError(filename, _l("the header has no Language"), header_line)
    if language not in editions:
        raise PoFileError(
            filename,
            _l("the Language is %(language)s; this site publishes %(editions)s"),
            header_line,
            language=language,
            editions=", ".join(editions),
        )
    if edition is not None and language != edition:
        raise PoFileError(
            filename,
            _l("the Language is %(language)s but the %(edition)s edition was asked for"),
            header_line,
            language=language,
            edition=edition,
        )
    _check_one_entry_per_segment(filename, catalog.entries)
    return PoFile(filename, language, catalog.entries)


def _check_one_entry_per_segment(filename: str, entries: Iterable[PoEntry]) -> None:
    seen: dict[str, int] = {}
    for entry in entries:
        # GNU gettext refuses a repeated msgctxt and msgid; a second entry for the same
        # msgctxt is refused too, even with another msgid: both would write one segment.
        if entry.msgctxt is None:
            continue
        if entry.msgctxt in seen:
            raise PoFileError(
                filename,
                _l("duplicate entry %(entry)s (first at line %(first)s)"),
                entry.line,
                entry=repr(entry.msgctxt),
                first=seen[entry.msgctxt],
            )
        seen[entry.msgctxt] = entry.line


# ---------------------------------------------------------------- zip archives


def read_upload(
    data: bytes, filename: str, editions: Mapping[str, Edition], *, edition: str | None, limit: int
) -> list[PoFile]:
    """One .po file, or a .zip of ``<edition>.po`` files as an export of all editions makes."""
    if len(data) > limit:
        raise PoFileError(filename, _TOO_LARGE, size=f"{len(data):,}", limit=f"{limit:,}")
    # A zip starts with a member's header; a damaged one may have lost its directory.
    if not data.startswith(b"PK\x03\x04") and not zipfile.is_zipfile(io.BytesIO(data)):
        return [read_po(data, filename, editions, edition=edition, limit=limit)]
    files = []
    for member, content in _unpack(data, filename, editions, limit):
        code = member.removesuffix(".po")
        if edition is not None and code != edition:
            raise PoFileError(
                filename,
                _l("%(member)s is not for the %(edition)s edition"),
                member=member,
                edition=edition,
            )
        files.append(read_po(content, f"{filename}/{member}", editions, edition=code, limit=limit))
    return files


_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
_CHUNK = 64 * 1024


def _unpack(
    data: bytes, filename: str, editions: Mapping[str, Edition], limit: int
) -> list[tuple[str, bytes]]:
    """The members of an export's zip, read chunk by chunk and counted as they inflate.

    Only what an export writes is read: stored or deflated members (zlib inflates at most
    a chunk at a time; the LZMA and bzip2 readers of ``zipfile`` inflate whatever one read
    of the compressed data holds), never encrypted, each checked against its CRC.
    """
    expected = {f"{code}.po" for code in editions}
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise PoFileError(
            filename, _l("the zip archive is damaged: %(error)s"), error=str(error)
        ) from None
    with archive:
        members = archive.infolist()
        unexpected = [info.filename for info in members if info.filename not in expected]
        if unexpected:
            raise PoFileError(
                filename,
                _l("unexpected member %(member)s; an archive holds only %(expected)s"),
                member=unexpected[0],
                expected=", ".join(sorted(expected)),
            )
        if not members:
            raise PoFileError(filename, _l("the zip archive is empty"))
        for info in members:
            if info.flag_bits & 0x1:
                raise PoFileError(
                    filename,
                    _l("%(member)s is encrypted; export again and send it as it is"),
                    member=info.filename,
                )
            if info.compress_type not in _METHODS:
                raise PoFileError(
                    filename,
                    _l(
                        "%(member)s is compressed with method %(method)s; "
                        "only stored and deflated members are read"
                    ),
                    member=info.filename,
                    method=info.compress_type,
                )
        unpacked: list[tuple[str, bytes]] = []
        total = 0
        for info in members:
            chunks = []
            try:
                with archive.open(info) as member:
                    while chunk := member.read(_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise PoFileError(
                                filename,
                                _l(
                                    "unpacked, the archive is larger than the limit of "
                                    "%(limit)s bytes"
                                ),
                                limit=f"{limit:,}",
                            )
                        chunks.append(chunk)
            except PoFileError:
                raise
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
                raise PoFileError(
                    filename,
                    _l("%(member)s in the zip archive is damaged: %(error)s"),
                    member=info.filename,
                    error=str(error),
                ) from None
            unpacked.append((info.filename, b"".join(chunks)))
    return unpacked
