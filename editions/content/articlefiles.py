"""Article files: Markdown with a YAML front matter, one file per edition of an article.

The same format serves the demo content, ``editions articles import`` and export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from editions.content.articles import SourceText
from editions.core.errors import ContentError
from editions.core.ids import MAX_ID, is_valid_id
from editions.core.messages import Message, _l
from editions.core.models import PublicationState

NOT_UTF8 = _l("not UTF-8 (byte %(byte)s)")
BAD_DATE = _l("date must be a date such as 2026-09-23")
_KINDS = {str: _l("text"), int: _l("whole number")}

# What one article file may hold: the API's limits, and the columns' (PostgreSQL refuses
# what does not fit, and a refusal from the database would end the whole batch).
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_FRONT_MATTER = 64 * 1024
MAX_NESTING = 20
LENGTHS = {
    "title": 1000,
    "summary": 5000,
    "body": 500_000,
    "author": 200,
    "slug": 100,
    "edition": 16,
    "source_edition": 16,
    "section": 32,
    "state": 16,
    "note": 2000,
}
MAX_TAGS, MAX_TAG_LENGTH = 50, 100


class ArticleFileError(ContentError):
    """A file that cannot be read as an article, named, with what is wrong in it."""

    def __init__(self, name: str, problem: str, /, **params: object) -> None:
        super().__init__(_l("%(file)s: %(problem)s"), file=name, problem=Message(problem, params))
        self.name = name


@dataclass(frozen=True)
class ArticleFile:
    name: str
    article_id: int
    edition: str
    text: SourceText
    state: PublicationState
    source_edition: str | None = None  # set only in the source edition's file
    section: str | None = None
    tags: tuple[str, ...] = ()
    author: str | None = None
    published_on: date | None = None
    issue_number: int | None = None
    slug: str | None = None
    note: str = ""  # why the source changed, kept in its history (needed for a minor edit)

    @property
    def is_source(self) -> bool:
        return self.source_edition is not None


def read_article_file(path: Path) -> ArticleFile:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ArticleFileError(
            path.name,
            _l("the file is %(size)s bytes; an article file may have %(limit)s"),
            size=f"{size:,}",
            limit=f"{MAX_FILE_BYTES:,}",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ArticleFileError(path.name, NOT_UTF8, byte=error.start) from None
    return parse_article_file(text, path.name)


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML without aliases, deep nesting or implicit timestamps.

    A few bytes of nested aliases expand to gigabytes ("billion laughs"); deep nesting
    exhausts the parser's recursion; and a date that does not exist (2026-02-30) made
    PyYAML's timestamp constructor raise out of the parser. Dates stay text here and are
    read by ``article_from_mapping`` like a JSON record's.
    """

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith(":timestamp")]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise _Refused(_l("YAML aliases (*name) are not allowed in the front matter"))
        self._depth = getattr(self, "_depth", 0) + 1
        if self._depth > MAX_NESTING:
            raise _Refused(_l("the front matter is nested too deeply"))
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Refused(Exception):
    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def parse_article_file(text: str, name: str) -> ArticleFile:
    header, body = _split_front_matter(text, name)
    if len(header) > MAX_FRONT_MATTER:
        raise ArticleFileError(
            name,
            _l("the front matter has %(size)s characters; the limit is %(limit)s"),
            size=f"{len(header):,}",
            limit=f"{MAX_FRONT_MATTER:,}",
        )
    try:
        meta = yaml.load(header, Loader=_FrontMatterLoader) or {}  # a SafeLoader, stricter
    except _Refused as refused:
        raise ArticleFileError(name, refused.problem) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        if mark is None:
            raise ArticleFileError(name, _l("the front matter is not valid YAML")) from None
        raise ArticleFileError(
            name, _l("the front matter is not valid YAML at line %(line)s"), line=mark.line + 2
        ) from None
    return article_from_mapping(meta, body, name)


def article_from_mapping(meta: Any, body: str, name: str) -> ArticleFile:
    """An article file from its front-matter keys (a YAML header or a JSON Lines record).

    Every field is checked before anything is written: its type, its length, that its
    text is valid Unicode, that ids and issue numbers are ids (``editions.core.ids``).
    """
    if not isinstance(meta, dict):
        raise ArticleFileError(name, _l("the front matter must be a mapping of keys to values"))
    if not isinstance(body, str):
        raise ArticleFileError(name, _l("the body must be text"))
    _check_text(name, "body", body)
    article_id = _required(meta, "id", int, name)
    if not is_valid_id(article_id):
        raise ArticleFileError(name, _BAD_ID, key="id", value=article_id, high=f"{MAX_ID:,}")
    edition = _required(meta, "edition", str, name)
    source_edition = _optional(meta, "source_edition", str, name)
    if source_edition is not None and source_edition != edition:
        raise ArticleFileError(
            name,
            _l("source_edition '%(source)s' differs from edition '%(edition)s'"),
            source=source_edition,
            edition=edition,
        )
    state = _state(meta, name)
    published_on = _published_on(meta, name)
    if source_edition is not None:
        if not isinstance(published_on, date):
            raise ArticleFileError(name, BAD_DATE)
        _required(meta, "section", str, name)
    tags = _tags(meta, name)
    issue_number = _optional(meta, "issue", int, name)
    if issue_number is not None and not is_valid_id(issue_number):
        raise ArticleFileError(name, _BAD_ID, key="issue", value=issue_number, high=f"{MAX_ID:,}")
    return ArticleFile(
        name=name,
        article_id=article_id,
        edition=edition,
        text=SourceText(
            title=str(_required(meta, "title", str, name)),
            summary=str(_optional(meta, "summary", str, name) or ""),
            body=body,
        ),
        state=state,
        source_edition=source_edition,
        section=_optional(meta, "section", str, name),
        tags=tuple(tags),
        author=_optional(meta, "author", str, name),
        published_on=published_on,
        issue_number=issue_number,
        slug=_optional(meta, "slug", str, name),
        note=_optional(meta, "note", str, name) or "",
    )


def _state(meta: dict, name: str) -> PublicationState:
    try:
        return PublicationState(_optional(meta, "state", str, name) or "published")
    except ValueError:
        raise ArticleFileError(name, _l("state must be 'published' or 'draft'")) from None


def _published_on(meta: dict, name: str) -> date | None:
    published_on = meta.get("date")
    if isinstance(published_on, str):  # JSON and this YAML loader have no date type
        try:
            return date.fromisoformat(published_on)
        except ValueError:
            raise ArticleFileError(name, BAD_DATE) from None
    if published_on is not None and not isinstance(published_on, date):
        raise ArticleFileError(name, BAD_DATE)
    return published_on


def _tags(meta: dict, name: str) -> list[str]:
    tags = meta.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        # The example is a placeholder so that no catalog translates the tag names in it:
        # a translator who follows it must write tags that exist.
        raise ArticleFileError(
            name, _l("tags must be a list of names, e.g. %(example)s"), example="[culture, books]"
        )
    if len(tags) > MAX_TAGS:
        raise ArticleFileError(name, _l("at most %(count)s tags"), count=MAX_TAGS)
    for tag in tags:
        _check_text(name, "tags", tag, MAX_TAG_LENGTH)
    return tags


_BAD_ID = _l("'%(key)s' must be a whole number from 1 to %(high)s, not %(value)s")


def _check_text(name: str, key: str, value: str, limit: int | None = None) -> None:
    limit = limit or LENGTHS[key]
    if len(value) > limit:
        raise ArticleFileError(
            name,
            _l("'%(key)s' has %(length)s characters; the limit is %(limit)s"),
            key=key,
            length=f"{len(value):,}",
            limit=f"{limit:,}",
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ArticleFileError(
            name,
            _l("'%(key)s' is not valid Unicode (a lone surrogate at character %(at)s)"),
            key=key,
            at=error.start + 1,
        ) from None


def format_article_file(meta: dict[str, Any], body: str) -> str:
    """The text of an article file: the inverse of parse_article_file."""
    header = yaml.safe_dump(
        meta, sort_keys=False, allow_unicode=True, default_flow_style=None, width=10_000
    )
    return f"---\n{header}---\n{body}"


def _split_front_matter(text: str, name: str) -> tuple[str, str]:
    text = text.removeprefix("\ufeff")
    if not text.startswith("---\n"):
        raise ArticleFileError(name, _l("line 1: a front matter opened by '---' is expected"))
    end = text.find("\n---\n", 3)
    if end < 0:
        raise ArticleFileError(name, _l("the front matter is never closed by a '---' line"))
    return text[4:end], text[end + 5 :]


def _required(meta: dict[str, Any], key: str, kind: type, name: str) -> Any:
    if meta.get(key) is None:
        raise ArticleFileError(name, _l("the front matter has no '%(key)s'"), key=key)
    return _optional(meta, key, kind, name)


def _optional(meta: dict[str, Any], key: str, kind: type, name: str) -> Any:
    value = meta.get(key)
    if value is None:
        return None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ArticleFileError(
            name,
            _l("'%(key)s' must be a %(kind)s, not %(value)r"),
            key=key,
            kind=Message(_KINDS[kind]),
            value=_shown(value),
        )
    if isinstance(value, str):
        _check_text(name, key, value)
    return value


def _shown(value: Any) -> Any:
    """A value as a message quotes it: short, whatever was sent."""
    text = repr(value)
    return value if len(text) <= 60 else text[:60] + "…"
