"""Files from translators' and coordinators' real tools import like the export they came from.

The export holds every kind of entry: current, stale (fuzzy with ``#| msgid``), draft
(fuzzy) and untranslated. Each tool below rewrites it (wrapping, line ends, a byte order
mark, sorted entries, a new header, comments added or dropped, obsolete entries) and the
dry run must report, entry by entry, exactly what it reports for the untouched file.
Each GNU tool is run as the real program, and skipped with the reason where it is missing.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po as babel_read_po
from babel.messages.pofile import write_po as babel_write_po

from editions.content.articles import SourceText, get_counterpart
from editions.content.counterparts import import_counterpart, translate_segment
from editions.content.sources import revise_source
from editions.core.models import Segment
from editions.exchange.export import ExportQuery, export_edition
from editions.exchange.importer import Outcome, import_files, sha256_of
from editions.exchange.pofiles import read_upload
from tests.factories import SOURCE_BODY, TRANSLATIONS, make_article

CREATED = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LIMIT = 5 * 1024 * 1024


def gnu(*command: str) -> Callable[[bytes, Path], bytes]:
    def run(data: bytes, folder: Path) -> bytes:
        program = shutil.which(command[0])
        if program is None:
            pytest.skip(f"{command[0]} (GNU gettext) is not installed")
        source, target = folder / "in.po", folder / "out.po"
        source.write_bytes(data)
        subprocess.run([program, *command[1:], str(source), "-o", str(target)], check=True)
        return target.read_bytes()

    return run


def babel(**options: object) -> Callable[[bytes, Path], bytes]:
    def run(data: bytes, folder: Path) -> bytes:
        out = io.BytesIO()
        babel_write_po(out, babel_read_po(io.BytesIO(data)), **options)
        return out.getvalue()

    return run


def with_polib(wrapwidth: int) -> Callable[[bytes, Path], bytes]:
    def run(data: bytes, folder: Path) -> bytes:
        catalog = polib.pofile(data.decode(), wrapwidth=wrapwidth)
        catalog.wrapwidth = wrapwidth
        return str(catalog).encode()

    return run


def translate_toolkit(data: bytes, folder: Path) -> bytes:
    po = pytest.importorskip("translate.storage.po", reason="translate-toolkit is not installed")
    return bytes(po.pofile(io.BytesIO(data)))


def poedit_header(data: bytes, folder: Path) -> bytes:
    """The header as Poedit rewrites it on saving: its own fields, in its own order."""
    header_end = data.index(b"\n\n")
    header = (
        b'msgid ""\nmsgstr ""\n'
        b'"Project-Id-Version: Editions export\\n"\n'
        b'"POT-Creation-Date: 2026-11-23 12:00+0000\\n"\n'
        b'"PO-Revision-Date: 2026-11-24 09:30+0100\\n"\n'
        b'"Last-Translator: Dana Hoxha <dana@example.org>\\n"\n'
        b'"Language-Team: \\n"\n'
        b'"Language: fa\\n"\n'
        b'"MIME-Version: 1.0\\n"\n'
        b'"Content-Type: text/plain; charset=UTF-8\\n"\n'
        b'"Content-Transfer-Encoding: 8bit\\n"\n'
        b'"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n'
        b'"X-Generator: Poedit 3.4.2\\n"\n'
    )
    return header + data[header_end:]


def comments_added(data: bytes, folder: Path) -> bytes:
    return re.sub(rb"\n\n#\. ", b"\n\n# checked by the reviewer\n#. ", data)


def comments_dropped(data: bytes, folder: Path) -> bytes:
    return re.sub(rb"^#[.: ][^\n]*\n", b"", data, flags=re.MULTILINE)


def obsolete_entries(data: bytes, folder: Path) -> bytes:
    return data + (
        b'\n#~ msgctxt "16009:b99"\n#~ msgid "A paragraph that was removed."\n'
        b'#~ msgstr "\xd8\xa8\xd9\x86\xd8\xaf\xdb\x8c"\n'
    )


TOOLS: dict[str, Callable[[bytes, Path], bytes]] = {
    "msgcat (wraps at 79)": gnu("msgcat"),
    "msgcat --no-wrap": gnu("msgcat", "--no-wrap"),
    "msgcat --width=20": gnu("msgcat", "--width=20"),
    "msgcat --sort-output": gnu("msgcat", "--sort-output"),
    "msguniq": gnu("msguniq"),
    "msgattrib --no-location --width=40": gnu("msgattrib", "--no-location", "--width=40"),
    "Babel write_po": babel(),
    "Babel write_po, sorted, width 30": babel(sort_output=True, width=30),
    "polib (wraps at 78)": with_polib(78),
    "polib, no wrapping": with_polib(0),
    "translate-toolkit (Weblate, Virtaal)": translate_toolkit,
    "CRLF line ends": lambda data, folder: data.replace(b"\n", b"\r\n"),
    "byte order mark": lambda data, folder: b"\xef\xbb\xbf" + data,
    "header rewritten by Poedit": poedit_header,
    "translator comments added": comments_added,
    "comments dropped": comments_dropped,
    "obsolete entries": obsolete_entries,
}


def report_of(session, editions, data: bytes) -> dict[str, tuple[Outcome, str]]:
    files = read_upload(data, "fa.po", editions, edition="fa", limit=LIMIT)
    report = import_files(
        session,
        editions,
        files,
        filename="fa.po",
        sha256=sha256_of(data),
        user=None,
        dry_run=True,
    )
    return {entry.msgctxt: (entry.outcome, entry.reason) for entry in report.entries}


LONG = (
    'The "Open Shelves" festival opens on Friday 12 June at the city library, with readings '
    "from 10 am to 6 pm in the main hall and a children's corner on the first floor."
)
LONG_FA = (
    "جشنوارهٔ «قفسه‌های باز» جمعه ۱۲ ژوئن در کتابخانهٔ شهر آغاز می‌شود و از ساعت ۱۰ صبح تا "
    "۶ عصر در تالار اصلی کتاب‌خوانی دارد و گوشه‌ای برای کودکان در طبقهٔ اول."
)


@pytest.fixture
def exported(session, editions) -> bytes:
    """A Persian export with long current, stale (fuzzy with ``#| msgid``), draft (fuzzy)
    and untranslated entries: long enough for every tool to wrap them."""
    body = SOURCE_BODY.replace("The festival opens on Friday at the city library.", LONG)
    article = make_article(session, editions, translate=(), body=body)
    translated = TRANSLATIONS["fa"].body.replace(
        "جشنواره روز جمعه در کتابخانهٔ شهر آغاز می‌شود.", LONG_FA
    )
    import_counterpart(
        session, editions, article, "fa", replace(TRANSLATIONS["fa"], body=translated)
    )
    revised = body.replace("12 June", "19 June").replace("four workshops", "4 workshops")
    revise_source(session, article, SourceText("A reading festival", "A new festival.", revised))
    counterpart = get_counterpart(session, article.id, "fa")
    summary = session.query(Segment).filter_by(article_id=article.id, key="summary").one()
    translate_segment(session, counterpart, summary, "جشنواره‌ای نو.", draft=True)
    make_article(session, editions, article_id=16010, translate=(), body=body)
    out = io.StringIO()
    export_edition(session, editions["fa"], ExportQuery(), out, created=CREATED)
    return out.getvalue().encode()


def test_the_untouched_export_has_every_kind_of_entry(session, editions, exported):
    outcomes = {outcome for outcome, _reason in report_of(session, editions, exported).values()}
    assert outcomes == {Outcome.UNCHANGED, Outcome.UNTRANSLATED}
    assert b"#, fuzzy\n#| msgid" in exported  # a stale entry
    assert re.search(rb'#, fuzzy\nmsgctxt "16009:summary"', exported)  # a draft


@pytest.mark.parametrize("tool", list(TOOLS))
def test_a_file_passed_through_a_tool_imports_like_the_export(
    tool, session, editions, exported, tmp_path
):
    # msgcat --no-wrap, polib without wrapping and translate-toolkit write the export
    # back byte for byte; every other tool changes it.
    rewritten = TOOLS[tool](exported, tmp_path)
    assert report_of(session, editions, rewritten) == report_of(session, editions, exported)
