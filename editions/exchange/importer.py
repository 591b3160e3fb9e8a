"""Import: what each entry of a checked PO file does, previewed or applied.

An entry is matched to its segment by ``msgctxt`` (``16009:b7``). The translation is
recorded as made from ``msgid`` (or, for a fuzzy entry that still carries ``#| msgid``,
from that older text), so an entry whose source changed since the export is kept as
a stale translation, never as current; status is derived from checksums. A fuzzy
entry becomes a draft. Nothing is ever published by an import.

Outcomes: ``applied`` (new or changed, current), ``draft`` (applied as a draft),
``stale`` (applied as a translation of an older source text), ``unchanged``,
``untranslated`` (an empty ``msgstr``: the segment is left as it is), ``rejected``
(with the reason).

A file passed through translators' tools must import as the untouched export does. Tools
that do not keep ``#| msgid`` (Babel's ``write_po`` turns it into a comment) leave a
fuzzy entry with no previous source: when its translation is the one stored, and the
export marked it fuzzy (the stored translation is a draft or stale), it is unchanged.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from editions.content.counterparts import add_counterpart, refresh_counterpart, translate_segment
from editions.core.batches import BATCH_SECONDS, BATCH_SIZE, apply_in_batches
from editions.core.ids import parse_id
from editions.core.languages import Edition
from editions.core.models import Article, Counterpart, Segment, Translation, User
from editions.exchange.pofiles import PoFile
from editions.exchange.poreader import PoEntry
from editions.text.checks import check_glossary, check_segment
from editions.text.segmentation import checksum, normalize
from editions.translation.glossary import GlossaryCache

Progress = Callable[[int], object]
_BATCH = 500  # article ids per look-up query


class Outcome(StrEnum):
    APPLIED = "applied"
    DRAFT = "draft"
    STALE = "stale"
    UNCHANGED = "unchanged"
    UNTRANSLATED = "untranslated"
    REJECTED = "rejected"


@dataclass(frozen=True)
class EntryResult:
    line: int
    msgctxt: str
    outcome: Outcome
    reason: str = ""  # why it was rejected, or the warnings of an applied entry
    findings: tuple[dict[str, object], ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "line": self.line,
            "msgctxt": self.msgctxt,
            "outcome": self.outcome.value,
            "reason": self.reason,
            "findings": list(self.findings),
        }


@dataclass
class ImportReport:
    filename: str
    sha256: str
    editions: list[str] = field(default_factory=list)
    entries: list[EntryResult] = field(default_factory=list)
    applied: bool = False  # False for a preview (dry run)

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(result.outcome for result in self.entries)
        return {outcome.value: counted.get(outcome, 0) for outcome in Outcome}

    @property
    def changes(self) -> int:
        counts = self.counts
        return counts["applied"] + counts["draft"] + counts["stale"]

    def as_dict(self) -> dict[str, object]:
        return {
            "filename": self.filename,
            "sha256": self.sha256,
            "editions": self.editions,
            "applied": self.applied,
            "counts": self.counts,
            "entries": [result.as_dict() for result in self.entries],
        }

    def summary(self) -> str:
        return ", ".join(f"{count} {name}" for name, count in self.counts.items())


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class _Targets:
    """Everything the entries of one file point at, loaded in a few queries."""

    articles: dict[int, Article]
    segments: dict[tuple[int, str], Segment]
    counterparts: dict[int, Counterpart]
    translations: dict[tuple[int, int], Translation]


def _article_and_key(msgctxt: str | None) -> tuple[int, str] | None:
    if not msgctxt or ":" not in msgctxt:
        return None
    article, key = msgctxt.split(":", 1)
    article_id = parse_id(article)
    return (article_id, key) if article_id is not None else None


def _load(session: Session, code: str, entries: Sequence[PoEntry], *, lock: bool) -> _Targets:
    """``lock``: the articles' rows are locked, in ascending ids (the lock order), before
    anything of them is read, so that a second import of them waits for this one."""
    ids = sorted({ref[0] for entry in entries if (ref := _article_and_key(entry.msgctxt))})
    targets = _Targets({}, {}, {}, {})
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        articles = select(Article).where(Article.id.in_(batch)).order_by(Article.id)
        targets.articles.update(
            (article.id, article)
            for article in session.scalars(articles.with_for_update() if lock else articles)
        )
        targets.segments.update(
            ((segment.article_id, segment.key), segment)
            for segment in session.scalars(select(Segment).where(Segment.article_id.in_(batch)))
        )
        targets.counterparts.update(
            (counterpart.article_id, counterpart)
            for counterpart in session.scalars(
                select(Counterpart).where(
                    Counterpart.article_id.in_(batch), Counterpart.edition == code
                )
            )
        )
        targets.translations.update(
            ((translation.counterpart_id, translation.segment_id), translation)
            for translation in session.scalars(
                select(Translation)
                .join(Counterpart, Counterpart.id == Translation.counterpart_id)
                .where(Counterpart.article_id.in_(batch), Counterpart.edition == code)
            )
        )
    return targets


@dataclass(frozen=True)
class _Plan:
    result: EntryResult
    segment: Segment | None = None
    text: str = ""
    made_from: str = ""
    draft: bool = False


def _plan_entry(
    entry: PoEntry, edition: Edition, targets: _Targets, glossary: GlossaryCache | None = None
) -> _Plan:
    context = entry.msgctxt or ""
    line = entry.line

    def rejected(reason: str, findings: Iterable[dict[str, object]] = ()) -> _Plan:
        return _Plan(EntryResult(line, context, Outcome.REJECTED, reason, tuple(findings)))

    ref = _article_and_key(entry.msgctxt)
    segment = targets.segments.get(ref) if ref else None
    article = targets.articles.get(ref[0]) if ref else None
    if segment is None or article is None:
        return rejected(f"unknown msgctxt {context!r}: no such article segment")
    refusal = _refusal(entry, edition, article)
    if refusal:
        return rejected(refusal)
    text = normalize(entry.msgstr)
    if not text:
        return _Plan(EntryResult(line, context, Outcome.UNTRANSLATED))
    previous = entry.previous_msgid if entry.fuzzy and entry.previous_msgid else None
    made_from = normalize(previous or entry.msgid)
    draft = entry.fuzzy
    counterpart = targets.counterparts.get(article.id)
    existing = targets.translations.get((counterpart.id, segment.id)) if counterpart else None
    if existing is not None and _as_stored(existing, segment, text, previous, made_from, draft):
        return _Plan(EntryResult(line, context, Outcome.UNCHANGED))
    findings = check_segment(made_from, entry.msgstr, edition)
    if glossary is not None:
        findings += check_glossary(
            made_from, entry.msgstr, edition, glossary(article.source_edition)
        )
    errors = [finding for finding in findings if finding.is_error]
    if errors:
        return rejected(
            "; ".join(finding.text() for finding in errors),
            (finding.as_dict() for finding in findings),
        )
    if draft:
        outcome = Outcome.DRAFT
    elif checksum(made_from) != segment.checksum:
        outcome = Outcome.STALE
    else:
        outcome = Outcome.APPLIED
    warnings = "; ".join(finding.text() for finding in findings)
    result = EntryResult(
        line, context, outcome, warnings, tuple(finding.as_dict() for finding in findings)
    )
    return _Plan(result, segment, text, made_from, draft)


def _refusal(entry: PoEntry, edition: Edition, article: Article) -> str | None:
    """Why an entry that names a segment of ``article`` cannot translate it, if it cannot."""
    if article.source_edition == edition.code:
        return f"article {article.id} is written in {edition.code}: it is its source"
    if entry.msgid_plural:
        return "plural entries do not belong to an article"
    if not normalize(entry.msgid):
        return "the msgid is empty: the entry translates nothing"
    return None


def _as_stored(
    existing: Translation,
    segment: Segment,
    text: str,
    previous: str | None,
    made_from: str,
    draft: bool,
) -> bool:
    """Whether the entry says what the stored translation already says."""
    if existing.text == text and draft:
        exported_fuzzy = existing.draft or existing.source_checksum != segment.checksum
        if exported_fuzzy and (previous is None or checksum(previous) == existing.source_checksum):
            # As exported (fuzzy because it is a draft or stale), with or without the
            # previous source a tool may have dropped: nothing to change.
            return True
    return (existing.text, existing.source_checksum, existing.draft) == (
        text,
        checksum(made_from),
        draft,
    )


def import_files(
    session: Session,
    editions: Mapping[str, Edition],
    files: Sequence[PoFile],
    *,
    filename: str,
    sha256: str,
    user: User | None,
    dry_run: bool,
    progress: Progress | None = None,
) -> ImportReport:
    """Preview (``dry_run``) or apply checked files; the caller commits once, or not at all."""
    report = ImportReport(filename, sha256, [file.edition for file in files], applied=not dry_run)
    for file in files:
        report.entries += _import_entries(
            session, editions, editions[file.edition], file.entries, user, dry_run, progress
        )
    session.flush()
    return report


def import_in_batches(
    session: Session,
    editions: Mapping[str, Edition],
    files: Sequence[PoFile],
    *,
    filename: str,
    sha256: str,
    user: User | None,
    batch_size: int = BATCH_SIZE,
    batch_seconds: float = BATCH_SECONDS,
    progress: Progress | None = None,
) -> ImportReport:
    """Apply checked files in batches of at most ``batch_size`` articles (or
    ``batch_seconds`` of work), each committed on its own, so a large zip does not hold
    the site's writers back; the caller records the import when it is done. Every entry
    is checked on its own, so no entry makes a batch fail; an interrupted import run
    again finds the entries already applied unchanged.
    """
    report = ImportReport(filename, sha256, [file.edition for file in files], applied=True)
    for file in files:
        by_article: dict[int, list[PoEntry]] = {}
        for entry in file.entries:
            ref = _article_and_key(entry.msgctxt)
            by_article.setdefault(ref[0] if ref else 0, []).append(entry)

        def apply(
            article_id: int,
            edition: Edition = editions[file.edition],
            by_article: dict[int, list[PoEntry]] = by_article,
        ) -> list[EntryResult]:
            return _import_entries(
                session, editions, edition, by_article[article_id], user, dry_run=False
            )

        results: list[EntryResult] = []
        for batch, _kept in apply_in_batches(
            session,
            sorted(by_article),
            lambda article_id: article_id,
            apply,
            size=batch_size,
            seconds=batch_seconds,
        ):
            for entries in batch:
                results += entries
                if progress:
                    progress(len(entries))
        report.entries += sorted(results, key=lambda result: result.line)
    return report


def _import_entries(
    session: Session,
    editions: Mapping[str, Edition],
    edition: Edition,
    entries: Sequence[PoEntry],
    user: User | None,
    dry_run: bool,
    progress: Progress | None = None,
) -> list[EntryResult]:
    targets = _load(session, edition.code, entries, lock=not dry_run)
    glossary = GlossaryCache(session, edition.code)
    touched: dict[int, Counterpart] = {}
    results = []
    for number, entry in enumerate(entries, 1):
        plan = _plan_entry(entry, edition, targets, glossary)
        results.append(plan.result)
        if not dry_run and plan.segment is not None:
            counterpart = _counterpart(session, editions, targets, plan.segment.article_id, edition)
            translate_segment(
                session,
                counterpart,
                plan.segment,
                plan.text,
                user=user,
                draft=plan.draft,
                source_text=plan.made_from,
                origin="po-import",
                refresh=False,
            )
            touched[counterpart.id] = counterpart
        if progress and number % 200 == 0:
            progress(200)
    if progress:
        progress(len(entries) % 200)
    session.flush()
    for counterpart in touched.values():
        refresh_counterpart(session, counterpart)
    return results


def _counterpart(
    session: Session,
    editions: Mapping[str, Edition],
    targets: _Targets,
    article_id: int,
    edition: Edition,
) -> Counterpart:
    counterpart = targets.counterparts.get(article_id)
    if counterpart is None:
        counterpart = add_counterpart(session, editions, targets.articles[article_id], edition.code)
        targets.counterparts[article_id] = counterpart
    return counterpart
