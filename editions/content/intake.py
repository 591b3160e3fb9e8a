"""Articles in and out as files: Markdown with front matter (see demo/FORMAT.md) or JSON Lines.

Import is idempotent: a file whose content is already there changes nothing. A file
for the source edition creates the article or revises it; a file for another edition
becomes that counterpart, paired block by block with the current source. Each file is
imported in its own savepoint, so a bad file is reported and leaves no trace while the
others land.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import false, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from editions.accounts.roles import PermissionDenied, may_edit_edition
from editions.content.articlefiles import (
    MAX_FILE_BYTES,
    MAX_NESTING,
    NOT_UTF8,
    ArticleFile,
    ArticleFileError,
    article_from_mapping,
    format_article_file,
    read_article_file,
)
from editions.content.articles import (
    SourceText,
    ensure_author,
    ensure_tags,
    get_counterpart,
    parse_section,
    slugify,
)
from editions.content.counterparts import import_counterpart, publish
from editions.content.sources import create_article, revise_source
from editions.content.status import mark_status_changed
from editions.core.batches import BATCH_SECONDS, BATCH_SIZE, apply_in_batches
from editions.core.errors import ContentError, EditionsError, check_edition
from editions.core.languages import Edition
from editions.core.messages import Message, _l
from editions.core.models import (
    Article,
    Counterpart,
    PublicationState,
    Role,
    Section,
    Segment,
    Translation,
    User,
)
from editions.text.segmentation import normalize, split_body

# Everything a file can be refused for; anything else is a bug and propagates.


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True)
class FileReport:
    name: str
    outcome: Outcome
    article_id: int | None = None
    edition: str | None = None
    message: str = ""


# ---------------------------------------------------------------- reading


def read_sources(paths: Iterable[Path]) -> Iterator[ArticleFile | ArticleFileError]:
    """Every article in the given files and folders (``*.md`` and ``*.jsonl``, recursively).

    Files that cannot be parsed are yielded as their error, so the caller reports them
    and goes on with the rest.
    """
    for path in paths:
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.suffix == ".md":
                try:
                    yield read_article_file(file)
                except ArticleFileError as error:
                    yield error
            elif file.suffix == ".jsonl":
                yield from read_json_lines(file)
            elif not path.is_dir():
                yield ArticleFileError(file.name, _l("only .md and .jsonl files can be imported"))


def read_json_lines(path: Path) -> Iterator[ArticleFile | ArticleFileError]:
    """One article file per line: the front-matter keys plus ``body``.

    A line is as large as one article file may be, and nested no deeper than a record
    needs (JSON nested 100,000 deep exhausts the parser's recursion).
    """
    try:
        with path.open(encoding="utf-8") as file:
            yield from _json_records(path.name, _bounded_lines(file, MAX_FILE_BYTES))
    except UnicodeDecodeError as error:
        yield ArticleFileError(path.name, NOT_UTF8, byte=error.start)


def _bounded_lines(file: TextIO, limit: int) -> Iterator[str]:
    """The file's lines, each cut after ``limit + 1`` characters (the rest is skipped), so
    one endless line never sits in memory whole."""
    while line := file.readline(limit + 1):
        if len(line) > limit and not line.endswith("\n"):
            while (rest := file.readline(limit)) and not rest.endswith("\n"):
                pass
        yield line


def _json_records(filename: str, lines: Iterable[str]) -> Iterator[ArticleFile | ArticleFileError]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        name = f"{filename}:{number}"
        if len(line) > MAX_FILE_BYTES:
            yield ArticleFileError(
                name,
                _l("the line has %(size)s characters; an article may have %(limit)s"),
                size=f"{len(line):,}",
                limit=f"{MAX_FILE_BYTES:,}",
            )
            continue
        if json_nesting(line) > MAX_NESTING:
            yield ArticleFileError(name, _l("the JSON record is nested too deeply"))
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield ArticleFileError(
                name,
                _l("not valid JSON (%(problem)s, column %(column)s)"),
                problem=error.msg,
                column=error.colno,
            )
            continue
        try:
            body = record.pop("body", "") if isinstance(record, dict) else ""
            yield article_from_mapping(record, body, name)
        except ArticleFileError as error:
            yield error


def json_nesting(line: str) -> int:
    """How deep brackets nest in a JSON text, strings skipped (an upper bound is enough)."""
    depth = deepest = 0
    for token in _JSON_STRUCTURE.findall(line):
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


_JSON_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def by_article(files: Iterable[ArticleFile]) -> list[ArticleFile]:
    """Article by article in id order, each source before its translations: a folder
    imports whatever order it lists in, and batches lock articles in the order web
    writers do."""
    return sorted(files, key=lambda file: (file.article_id, not file.is_source))


# ---------------------------------------------------------------- importing


def import_files(
    session: Session,
    editions: Mapping[str, Edition],
    items: Iterable[ArticleFile | ArticleFileError],
    *,
    user: User | None = None,
    progress: Callable[[ArticleFile | ArticleFileError], None] | None = None,
    minor: bool = False,
    note: str = "",
) -> list[FileReport]:
    """Import each article file in its own savepoint; one report per file; the caller
    commits (a long import goes through ``import_in_batches`` instead).

    With ``minor`` every revised source is a minor edit (translations stay current), with
    the file's own ``note`` or else ``note``: refused, for that file, without one, or
    where a number or a link changes.
    """
    parsed = list(items)
    reports = [
        FileReport(error.name, Outcome.FAILED, message=str(error))
        for error in parsed
        if isinstance(error, ArticleFileError)
    ]
    for error in (item for item in parsed if isinstance(item, ArticleFileError)):
        if progress:
            progress(error)
    for file in by_article(item for item in parsed if isinstance(item, ArticleFile)):
        reports.append(import_one(session, editions, file, user=user, minor=minor, note=note))
        if progress:
            progress(file)
    return reports


@dataclass
class BatchedImport:
    """What a batched import did: a report per file, and how far it committed."""

    reports: list[FileReport]
    batches: int = 0  # how many batches there were
    committed: int = 0  # how many of them were committed, from the first on
    imported_files: int = 0  # the files of the committed batches


def import_in_batches(
    session: Session,
    editions: Mapping[str, Edition],
    items: Iterable[ArticleFile | ArticleFileError],
    *,
    skip_invalid: bool = False,
    batch_size: int = BATCH_SIZE,
    batch_seconds: float = BATCH_SECONDS,
    user: User | None = None,
    progress: Callable[[int], None] | None = None,
    minor: bool = False,
    note: str = "",
) -> BatchedImport:
    """Import files in batches of at most ``batch_size`` articles (or ``batch_seconds`` of
    work), each committed on its own.

    Every file is tried and reported, as ``import_files`` does. With ``skip_invalid``
    every batch is committed without its bad files. Without it, a bad file stops the
    import from committing: a file that cannot be read is known before anything is
    written, so nothing is imported; a file refused while it is applied in batch k
    leaves batches 1..k-1 committed (they were good) and batch k and the rest tried
    and rolled back, so the report still names every problem. Importing is idempotent,
    so running the same import again, after fixing the files or after an interrupt,
    resumes where it stopped.
    """
    parsed = list(items)
    unreadable = [item for item in parsed if isinstance(item, ArticleFileError)]
    result = BatchedImport(
        [FileReport(error.name, Outcome.FAILED, message=str(error)) for error in unreadable]
    )
    if progress and unreadable:
        progress(len(unreadable))
    committing = skip_invalid or not unreadable

    def keep(reports: list[FileReport]) -> bool:
        return committing and (
            skip_invalid or all(report.outcome is not Outcome.FAILED for report in reports)
        )

    def apply(file: ArticleFile) -> FileReport:
        return import_one(session, editions, file, user=user, minor=minor, note=note)

    files = by_article(item for item in parsed if isinstance(item, ArticleFile))
    for reports, kept in apply_in_batches(
        session,
        files,
        lambda file: file.article_id,
        apply,
        size=batch_size,
        seconds=batch_seconds,
        keep=keep,
    ):
        result.batches += 1
        if kept:
            result.committed += 1
            result.imported_files += len(reports)
        else:
            committing = False
        result.reports += reports
        if progress:
            progress(len(reports))
    return result


def may_write_source(user: User, edition: str) -> bool:
    """Editors write source articles in their editions; coordinators and admins in all."""
    return user.role in (Role.EDITOR, Role.COORDINATOR, Role.ADMIN) and may_edit_edition(
        user, edition
    )


def check_may_write_source(user: User, edition: str) -> None:
    if not may_write_source(user, edition):
        raise PermissionDenied(
            _l("%(username)s may not write %(edition)s source articles"),
            username=user.username,
            edition=edition,
        )


def import_one(
    session: Session,
    editions: Mapping[str, Edition],
    file: ArticleFile,
    *,
    user: User | None,
    minor: bool = False,
    note: str = "",
) -> FileReport:
    savepoint = session.begin_nested()
    try:
        if file.is_source:
            outcome = apply_source_file(
                session, editions, file, user=user, minor=minor, note=file.note or note
            )
        else:
            outcome = apply_translation_file(session, editions, file, user=user)
        session.flush()
    except EditionsError as error:
        savepoint.rollback()
        message = str(error)
        if not message.startswith(f"{file.name}:"):
            message = f"{file.name}: {message}"
        return FileReport(file.name, Outcome.FAILED, file.article_id, file.edition, message)
    savepoint.commit()
    return FileReport(file.name, outcome, file.article_id, file.edition)


def create_from_file(
    session: Session, editions: Mapping[str, Edition], file: ArticleFile, *, user: User | None
) -> Article:
    """A new article as its source file describes it."""
    return create_article(
        session,
        editions,
        article_id=file.article_id,
        source_edition=file.edition,
        section=file.section or Section.ARTICLES,
        text=file.text,
        published_on=file.published_on,  # type: ignore[arg-type]
        author=file.author,
        tags=file.tags,
        state=file.state,
        issue_number=file.issue_number,
        slug=file.slug,
        user=user,
    )


def apply_source_file(
    session: Session,
    editions: Mapping[str, Edition],
    file: ArticleFile,
    *,
    user: User | None,
    minor: bool = False,
    note: str = "",
) -> Outcome:
    """Create the article a source file describes, or bring it in line with the file."""
    check_edition(editions, file.edition)
    article = session.scalars(
        select(Article)
        .options(selectinload(Article.tags), joinedload(Article.author))
        .where(Article.id == file.article_id)
        .execution_options(populate_existing=True)
    ).one_or_none()
    _check_unique(session, file)
    if article is None:
        create_from_file(session, editions, file, user=user)
        return Outcome.CREATED
    if article.source_edition != file.edition:
        raise ArticleFileError(
            file.name,
            _l(
                "article %(article_id)s was written in %(source)s, "
                "but this file says its source edition is %(edition)s"
            ),
            article_id=article.id,
            source=article.source_edition,
            edition=file.edition,
        )
    source = get_counterpart(session, article.id, article.source_edition)
    assert source is not None, "every article has its source counterpart"
    changed = _update_metadata(session, article, file)
    if _differs(source, file.text, exact=True):
        revise_source(session, article, file.text, user=user, minor=minor, note=note)
        changed = True
    if _set_state(session, editions, source, file.state) is Outcome.UPDATED or changed:
        return Outcome.UPDATED
    return Outcome.UNCHANGED


def apply_translation_file(
    session: Session, editions: Mapping[str, Edition], file: ArticleFile, *, user: User | None
) -> Outcome:
    """Make a translation file that counterpart, translated from the current source."""
    check_edition(editions, file.edition)
    article = session.get(Article, file.article_id)
    if article is None:
        raise ArticleFileError(
            file.name,
            _l(
                "there is no article %(article_id)s; import its source edition's file first "
                "(the one with source_edition in its front matter)"
            ),
            article_id=file.article_id,
        )
    if article.source_edition == file.edition:
        raise ArticleFileError(
            file.name,
            _l(
                "%(edition)s is the source edition of article %(article_id)s; "
                "its file must say 'source_edition: %(edition)s'"
            ),
            edition=file.edition,
            article_id=article.id,
        )
    counterpart = get_counterpart(session, article.id, file.edition)
    if counterpart is not None and not _differs(counterpart, file.text, exact=False):
        # The same text again: leave its segments as they are, stale ones included.
        return _set_state(session, editions, counterpart, file.state)
    import_counterpart(
        session, editions, article, file.edition, file.text, state=file.state, user=user
    )
    return Outcome.UPDATED if counterpart is not None else Outcome.CREATED


def _differs(counterpart: Counterpart, text: SourceText, *, exact: bool) -> bool:
    """Whether a file says something new; ``exact`` also compares the Markdown around
    each block (a translation's comes from its source, so only its words count)."""

    def blocks(body: str) -> list[object]:
        return [block if exact else (block.kind, block.text) for block in split_body(body)]

    return (
        normalize(counterpart.title) != normalize(text.title)
        or normalize(counterpart.summary) != normalize(text.summary)
        or blocks(counterpart.body) != blocks(text.body)
    )


def _set_state(
    session: Session,
    editions: Mapping[str, Edition],
    counterpart: Counterpart,
    state: PublicationState,
) -> Outcome:
    if counterpart.state is state:
        return Outcome.UNCHANGED
    if state is PublicationState.PUBLISHED:
        publish(session, counterpart, check_edition(editions, counterpart.edition))
    else:
        counterpart.state = PublicationState.DRAFT
        mark_status_changed(session, counterpart.article_id)
    return Outcome.UPDATED


def _check_unique(session: Session, file: ArticleFile) -> None:
    for column, value, what in (
        (Article.issue_number, file.issue_number, Message(_l("Issue number"))),
        (Article.slug, file.slug, Message(_l("Slug"))),
    ):
        if value is None:
            continue
        owner = session.scalar(
            select(Article.id).where(column == value, Article.id != file.article_id)
        )
        if owner is not None:
            raise ArticleFileError(
                file.name,
                _l("%(what)s %(value)s already belongs to article %(owner)s"),
                what=what,
                value=value,
                owner=owner,
            )


def _update_metadata(session: Session, article: Article, file: ArticleFile) -> bool:
    """Bring the article's section, date, author, tags, issue and slug in line with the file."""
    try:
        section = parse_section(file.section or Section.ARTICLES)
    except ContentError as error:
        raise ArticleFileError(file.name, error.message.template, **error.message.params) from None
    wanted: dict[str, Any] = {
        "section": section,
        "published_on": file.published_on,
        "issue_number": file.issue_number,
        "slug": file.slug,
    }
    changed = False
    for attribute, value in wanted.items():
        if getattr(article, attribute) != value:
            setattr(article, attribute, value)
            changed = True
    author = article.author.slug if article.author else None
    if author != (slugify(file.author) if file.author else None):
        article.author = ensure_author(session, file.author) if file.author else None
        changed = True
    if {tag.slug for tag in article.tags} != {slugify(tag) for tag in file.tags}:
        article.tags = ensure_tags(session, file.tags)
        changed = True
    if changed:
        mark_status_changed(session, article.id)
    return changed


# ---------------------------------------------------------------- exporting


@dataclass(frozen=True)
class ExportedFile:
    article_id: int
    edition: str
    meta: dict[str, Any]
    body: str

    @property
    def path(self) -> Path:
        return Path(str(self.article_id)) / f"{self.edition}.md"

    def markdown(self) -> str:
        return format_article_file(self.meta, self.body)

    def json_line(self) -> str:
        record = {**self.meta, "body": self.body}
        if "date" in record:
            record["date"] = record["date"].isoformat()
        return json.dumps(record, ensure_ascii=False)


@dataclass(frozen=True)
class Skipped:
    article_id: int
    edition: str
    reason: str


EXPORT_CHUNK = 500


def export_articles(
    session: Session, article_ids: Sequence[int] | None = None
) -> Iterator[ExportedFile | Skipped]:
    """Every article's source and counterparts, in the format import reads.

    A counterpart that does not yet translate every segment cannot be paired with the
    source on import, so it is skipped and said so. Articles are read 500 at a time.
    """
    ids = list(article_ids) if article_ids is not None else None
    if ids is None:
        ids = list(session.scalars(select(Article.id).order_by(Article.id)))
    for start in range(0, len(ids), EXPORT_CHUNK):
        yield from _export_chunk(session, sorted(ids[start : start + EXPORT_CHUNK]))


def _export_chunk(session: Session, ids: list[int]) -> Iterator[ExportedFile | Skipped]:
    articles = session.scalars(
        select(Article)
        .options(selectinload(Article.tags), joinedload(Article.author))
        .where(Article.id.in_(ids))
        .order_by(Article.id)
    ).all()
    counterparts: dict[int, list[Counterpart]] = {}
    for counterpart in session.scalars(
        select(Counterpart)
        .where(Counterpart.article_id.in_(ids))
        .order_by(Counterpart.article_id, Counterpart.edition)
    ):
        counterparts.setdefault(counterpart.article_id, []).append(counterpart)
    segments = dict(
        session.execute(
            select(Segment.article_id, func.count())
            .where(Segment.article_id.in_(ids))
            .group_by(Segment.article_id)
        ).all()
    )
    translated = dict(
        session.execute(
            select(Translation.counterpart_id, func.count())
            .join(Counterpart, Counterpart.id == Translation.counterpart_id)
            .where(Counterpart.article_id.in_(ids), Translation.draft == false())
            .group_by(Translation.counterpart_id)
        ).all()
    )
    for article in articles:
        for counterpart in counterparts.get(article.id, []):
            if counterpart.edition == article.source_edition:
                meta = source_meta(article, counterpart)
                yield ExportedFile(article.id, counterpart.edition, meta, counterpart.body)
                continue
            missing = segments.get(article.id, 0) - translated.get(counterpart.id, 0)
            if missing:
                reason = f"{missing} segments are not translated yet"
                yield Skipped(article.id, counterpart.edition, reason)
                continue
            meta = {
                "id": article.id,
                "edition": counterpart.edition,
                "title": counterpart.title,
                "summary": counterpart.summary,
                "state": counterpart.state.value,
            }
            yield ExportedFile(article.id, counterpart.edition, meta, counterpart.body)


def source_meta(article: Article, source: Counterpart) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "id": article.id,
        "edition": source.edition,
        "source_edition": source.edition,
        "section": article.section.value,
        "tags": sorted(tag.slug for tag in article.tags),
    }
    if article.author is not None:
        meta["author"] = article.author.name
    meta["date"] = article.published_on
    if article.issue_number is not None:
        meta["issue"] = article.issue_number
    if article.slug is not None:
        meta["slug"] = article.slug
    meta.update(title=source.title, summary=source.summary, state=source.state.value)
    return meta
