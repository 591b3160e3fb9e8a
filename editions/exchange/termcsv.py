"""The glossary as CSV, for spreadsheets: one row per entry.

Columns: one per edition (``en``, ``ar``, ``fa``, ``sq``: the term), ``note_<edition>``
(that term's note), ``note`` (the entry's) and ``do_not_translate`` (``yes``/``no``).
A file may carry any of them but needs at least one edition column; a blank cell leaves
what is there as it is (an import never removes a term). UTF-8, with or without a BOM.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from editions.core.languages import Edition
from editions.core.messages import _l
from editions.core.models import GlossaryEntry
from editions.translation.glossary import EntryData, GlossaryError, TermFile

_YES = {"yes", "true", "1", "y"}
_NO = {"no", "false", "0", "n"}


def columns(editions: Mapping[str, Edition]) -> list[str]:
    return [*editions, *(f"note_{code}" for code in editions), "note", "do_not_translate"]


def write_csv(entries: Sequence[GlossaryEntry], editions: Mapping[str, Edition]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns(editions))
    for entry in entries:
        terms = [entry.term(code) for code in editions]
        writer.writerow(
            [
                *(term.text if term else "" for term in terms),
                *(term.note if term else "" for term in terms),
                entry.note,
                "yes" if entry.do_not_translate else "no",
            ]
        )
    return out.getvalue()


def read_csv(data: bytes, filename: str, editions: Mapping[str, Edition]) -> TermFile:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise GlossaryError(
            _l("%(file)s: not UTF-8 (byte %(byte)s)"), file=filename, byte=error.start
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
        known = set(columns(editions))
        unknown = [name for name in header if name not in known]
        if unknown or not any(name in editions for name in header):
            raise GlossaryError(
                _l(
                    "%(file)s, line 1: the columns must be editions (%(editions)s), "
                    "note_<edition>, note and do_not_translate; found %(found)s"
                ),
                file=filename,
                editions=", ".join(editions),
                found=", ".join(header) or "—",
            )
        result = TermFile()
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            where = f"{filename}, line {reader.line_num}"
            if len(row) != len(header):
                raise GlossaryError(
                    _l("%(where)s: %(found)s cells where the header has %(expected)s"),
                    where=where,
                    found=len(row),
                    expected=len(header),
                )
            cells = dict(zip(header, row, strict=True))
            terms = {code: cells[code] for code in editions if cells.get(code, "").strip()}
            if not terms:
                raise GlossaryError(_l("%(where)s: the row has no term"), where=where)
            notes = {
                code: cells[f"note_{code}"]
                for code in editions
                if cells.get(f"note_{code}", "").strip()
            }
            result.rows.append(
                EntryData(
                    terms=terms,
                    notes=notes,
                    note=cells["note"] if cells.get("note", "").strip() else None,
                    do_not_translate=_flag(cells.get("do_not_translate", ""), where),
                    where=where,
                )
            )
    except csv.Error as error:
        raise GlossaryError(
            _l("%(file)s, line %(line)s: not valid CSV (%(problem)s)"),
            file=filename,
            line=reader.line_num,
            problem=str(error),
        ) from None
    return result


def _flag(value: str, where: str) -> bool | None:
    value = value.strip().lower()
    if not value:
        return None
    if value in _YES | _NO:
        return value in _YES
    raise GlossaryError(
        _l("%(where)s: do_not_translate must be yes or no, not “%(value)s”"),
        where=where,
        value=value,
    )
