"""Glossary files in and out, TBX or CSV by the file's name."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath

from sqlalchemy.orm import Session

from editions.core.languages import Edition
from editions.core.messages import _l
from editions.exchange.tbx import read_tbx, write_tbx
from editions.exchange.termcsv import read_csv, write_csv
from editions.translation.glossary import GlossaryError, ImportReport, all_entries, import_file

FORMATS = {"tbx": "application/x-tbx", "csv": "text/csv"}


def format_of(filename: str) -> str:
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    if suffix in ("tbx", "xml"):
        return "tbx"
    if suffix == "csv":
        return "csv"
    raise GlossaryError(
        _l("%(file)s: a glossary file is a .tbx or a .csv file"), file=PurePath(filename).name
    )


def import_glossary(
    session: Session,
    editions: Mapping[str, Edition],
    data: bytes,
    filename: str,
    *,
    limit: int,
) -> ImportReport:
    """Apply a TBX or CSV file whole, or refuse it whole (the caller commits)."""
    if len(data) > limit:
        raise GlossaryError(
            _l("%(file)s: the file is %(size)s bytes; the limit is %(limit)s"),
            file=filename,
            size=len(data),
            limit=limit,
        )
    read = read_tbx if format_of(filename) == "tbx" else read_csv
    return import_file(session, editions, read(data, filename, editions))


def export_glossary(session: Session, editions: Mapping[str, Edition], kind: str) -> bytes:
    entries = all_entries(session)
    if kind == "tbx":
        return write_tbx(entries, editions)
    return write_csv(entries, editions).encode("utf-8")
