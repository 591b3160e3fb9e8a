"""The glossary: the publisher's names and recurring concepts with their approved term in
each edition, a note for translators and a do-not-translate flag.

An entry is one concept; it has at most one term per edition. A term is found in a
source text in its inflected forms (see ``editions.text.terms``), the editor highlights it and
shows its approved translation, the quality check warns when a translation lacks it, and
PO exports list the terms of each entry. Files in and out (TBX, CSV) go through
``read_rows``/``apply_rows``: an import adds and updates entries, never removes a term.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from editions.core.errors import ContentError
from editions.core.languages import Edition
from editions.core.messages import Message, _l
from editions.core.models import GlossaryEntry, GlossaryTerm
from editions.text.terms import Term, TermPairs, language_of, term_keys

MAX_TERM = 200
MAX_NOTE = 2000


class GlossaryError(ContentError):
    """A glossary change refused, with the reason."""


class EntryNotFound(GlossaryError):
    def __init__(self, entry_id: int) -> None:
        super().__init__(_l("there is no glossary entry %(id)s"), id=entry_id)


@dataclass(frozen=True)
class EntryData:
    """An entry as a form, a command or a file row gives it. In a file row, ``None`` (and a
    missing edition) means "leave as it is"."""

    terms: Mapping[str, str]
    notes: Mapping[str, str] = field(default_factory=dict)
    note: str | None = ""
    do_not_translate: bool | None = False
    where: str = ""  # the file line, for error messages


def folded(text: str, edition: str) -> str:
    """The key two spellings of one term share (``gazetë`` and ``Gazeta``: ``gazet``)."""
    return " ".join(term_keys(text, language_of(edition)))


# ---------------------------------------------------------------- reading


def entries_select(
    edition: str | None = None, text: str = "", order_edition: str = "en"
) -> Select[GlossaryEntry]:
    """Entries with a term in ``edition`` (all without), whose terms or notes hold ``text``,
    in the alphabetical order of their term in ``order_edition`` (then ``edition``)."""
    order_term = aliased(GlossaryTerm)
    sort_by = edition or order_edition
    statement = select(GlossaryEntry).outerjoin(
        order_term, and_(order_term.entry_id == GlossaryEntry.id, order_term.edition == sort_by)
    )
    if edition:
        statement = statement.where(GlossaryEntry.terms.any(GlossaryTerm.edition == edition))
    wanted = text.strip()
    if wanted:
        pattern = f"%{_escape_like(unicodedata.normalize('NFKC', wanted).casefold())}%"
        statement = statement.where(
            or_(
                GlossaryEntry.terms.any(
                    or_(
                        func.lower(GlossaryTerm.text).like(pattern, escape="\\"),
                        GlossaryTerm.folded.like(pattern, escape="\\"),
                    )
                ),
                func.lower(GlossaryEntry.note).like(pattern, escape="\\"),
            )
        )
    return statement.order_by(order_term.folded.is_(None), order_term.folded, GlossaryEntry.id)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def get_entry(session: Session, entry_id: int) -> GlossaryEntry:
    entry = session.get(GlossaryEntry, entry_id)
    if entry is None:
        raise EntryNotFound(entry_id)
    return entry


def term_pairs(session: Session, source_edition: str, target_edition: str) -> TermPairs:
    """The glossary from one edition into another, compiled for matching (one query)."""
    rows = session.execute(
        select(GlossaryTerm.entry_id, GlossaryTerm.edition, GlossaryTerm.text, GlossaryTerm.note)
        .add_columns(GlossaryEntry.do_not_translate, GlossaryEntry.note.label("entry_note"))
        .join(GlossaryEntry, GlossaryEntry.id == GlossaryTerm.entry_id)
        .where(GlossaryTerm.edition.in_({source_edition, target_edition}))
    ).all()
    targets = {row.entry_id: row for row in rows if row.edition == target_edition}
    terms = []
    for row in rows:
        if row.edition != source_edition:
            continue
        target = targets.get(row.entry_id)
        do_not_translate = bool(row.do_not_translate)
        translation = row.text if do_not_translate else (target.text if target else None)
        notes = [row.note, target.note if target else "", row.entry_note]
        terms.append(
            Term(
                row.entry_id,
                row.text,
                translation,
                do_not_translate,
                " · ".join(note for note in notes if note),
            )
        )
    return TermPairs(source_edition, target_edition, terms)


class GlossaryCache:
    """Term pairs into one edition from each source edition, loaded on first use."""

    def __init__(self, session: Session, target_edition: str) -> None:
        self._session = session
        self._target = target_edition
        self._pairs: dict[str, TermPairs] = {}

    def __call__(self, source_edition: str) -> TermPairs:
        if source_edition not in self._pairs:
            self._pairs[source_edition] = term_pairs(self._session, source_edition, self._target)
        return self._pairs[source_edition]


# ---------------------------------------------------------------- writing


def save_entry(
    session: Session,
    editions: Mapping[str, Edition],
    data: EntryData,
    entry: GlossaryEntry | None = None,
) -> GlossaryEntry:
    """Create an entry, or make ``entry`` what ``data`` says (a missing edition's term is
    removed, unless ``data`` comes from a file: see ``apply_rows``)."""
    terms = _checked_terms(session, editions, data, entry)
    if entry is None and not terms:
        raise GlossaryError(_l("a glossary entry needs a term in at least one edition"))
    if entry is None:
        entry = GlossaryEntry(note="", do_not_translate=False)
        session.add(entry)
    if data.note is not None:
        entry.note = _checked_note(data.note, data.where)
    if data.do_not_translate is not None:
        entry.do_not_translate = data.do_not_translate
    for edition, text in terms.items():
        term = entry.term(edition)
        if term is None:
            term = GlossaryTerm(edition=edition, note="")
            entry.terms.append(term)
        term.text, term.folded = text, folded(text, edition)
        if edition in data.notes:
            term.note = _checked_note(data.notes[edition], data.where)
    session.flush()
    return entry


def replace_entry(
    session: Session, editions: Mapping[str, Edition], data: EntryData, entry: GlossaryEntry
) -> GlossaryEntry:
    """Make ``entry`` exactly ``data``: editions without a term lose theirs."""
    if not any(text.strip() for text in data.terms.values()):
        raise GlossaryError(_l("a glossary entry needs a term in at least one edition"))
    for term in list(entry.terms):
        if not data.terms.get(term.edition, "").strip():
            entry.terms.remove(term)
    session.flush()
    return save_entry(session, editions, data, entry)


def delete_entry(session: Session, entry: GlossaryEntry) -> None:
    session.delete(entry)
    session.flush()


def _checked_terms(
    session: Session,
    editions: Mapping[str, Edition],
    data: EntryData,
    entry: GlossaryEntry | None,
) -> dict[str, str]:
    terms: dict[str, str] = {}
    for edition, raw in data.terms.items():
        if edition not in editions:
            raise _error(
                data.where,
                _l("%(edition)s is not an edition of this site; editions are: %(known)s"),
                edition=edition,
                known=", ".join(editions),
            )
        text = " ".join(unicodedata.normalize("NFC", raw).split())
        if not text:
            continue
        if len(text) > MAX_TERM:
            raise _error(
                data.where,
                _l("the %(edition)s term is %(length)s characters long; the limit is %(limit)s"),
                edition=edition,
                length=len(text),
                limit=MAX_TERM,
            )
        if any(unicodedata.category(ch) == "Cc" for ch in text):
            raise _error(
                data.where,
                _l("the %(edition)s term contains an invisible control character"),
                edition=edition,
            )
        key = folded(text, edition)
        if not key:
            raise _error(
                data.where,
                _l("the %(edition)s term “%(term)s” has no letters or digits"),
                edition=edition,
                term=text,
            )
        owner = session.scalar(
            select(GlossaryTerm.entry_id).where(
                GlossaryTerm.edition == edition, GlossaryTerm.folded == key
            )
        )
        if owner is not None and (entry is None or owner != entry.id):
            raise _error(
                data.where,
                _l("“%(term)s” is already in the %(edition)s glossary, in entry %(entry)s"),
                term=text,
                edition=edition,
                entry=owner,
            )
        terms[edition] = text
    return terms


def _checked_note(note: str, where: str) -> str:
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise _error(
            where,
            _l("a note is %(length)s characters long; the limit is %(limit)s"),
            length=len(note),
            limit=MAX_NOTE,
        )
    return note


def _error(where: str, template: str, **params: object) -> GlossaryError:
    if not where:
        return GlossaryError(template, **params)
    return GlossaryError(
        _l("%(where)s: %(problem)s"), where=where, problem=Message(template, params)
    )


# ---------------------------------------------------------------- files


@dataclass
class TermFile:
    """The rows of a glossary file, and the languages in it that are no edition here."""

    rows: list[EntryData] = field(default_factory=list)
    skipped_languages: Counter[str] = field(default_factory=Counter)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_languages: Counter[str] = field(default_factory=Counter)  # not editions here

    def summary(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def import_file(session: Session, editions: Mapping[str, Edition], file: TermFile) -> ImportReport:
    report = apply_rows(session, editions, file.rows)
    report.skipped_languages = file.skipped_languages
    return report


def apply_rows(
    session: Session, editions: Mapping[str, Edition], rows: Iterable[EntryData]
) -> ImportReport:
    """Add and update entries from a file's rows, all or nothing (the caller commits).

    A row updates the entry that already has one of its terms (as matching folds them),
    otherwise it creates one; a row whose terms belong to two different entries is
    refused. Terms and notes a row leaves out stay as they are.
    """
    report = ImportReport()
    with session.begin_nested():  # a refused row takes the rows before it back with it
        for row in rows:
            _apply_row(session, editions, row, report)
    return report


def _apply_row(
    session: Session, editions: Mapping[str, Edition], row: EntryData, report: ImportReport
) -> None:
    owners = set()
    for edition, text in row.terms.items():
        if edition in editions and text.strip():
            owner = session.scalar(
                select(GlossaryTerm.entry_id).where(
                    GlossaryTerm.edition == edition,
                    GlossaryTerm.folded == folded(text, edition),
                )
            )
            if owner is not None:
                owners.add(owner)
    if len(owners) > 1:
        raise _error(
            row.where,
            _l("its terms belong to different glossary entries (%(entries)s)"),
            entries=", ".join(str(owner) for owner in sorted(owners)),
        )
    entry = get_entry(session, owners.pop()) if owners else None
    before = _snapshot(entry) if entry is not None else None
    entry = save_entry(session, editions, row, entry)
    if before is None:
        report.created += 1
    elif before == _snapshot(entry):
        report.unchanged += 1
    else:
        report.updated += 1


def _snapshot(entry: GlossaryEntry) -> tuple:
    return (
        entry.note,
        entry.do_not_translate,
        tuple(sorted((term.edition, term.text, term.note) for term in entry.terms)),
    )


def all_entries(session: Session) -> Sequence[GlossaryEntry]:
    return session.scalars(entries_select()).all()


__all__ = [
    "EntryData",
    "EntryNotFound",
    "GlossaryCache",
    "GlossaryError",
    "ImportReport",
    "TermFile",
    "all_entries",
    "apply_rows",
    "delete_entry",
    "entries_select",
    "folded",
    "get_entry",
    "import_file",
    "replace_entry",
    "save_entry",
    "term_pairs",
]
