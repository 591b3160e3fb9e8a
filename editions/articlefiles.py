"""Article files: Markdown with a YAML front matter, one file per edition of an article.

The same format serves the demo content, ``editions articles import`` and export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from editions.content import ContentError, SourceText
from editions.messages import Message, _l
from editions.models import PublicationState

NOT_UTF8 = _l("not UTF-8 (byte %(byte)s)")
BAD_DATE = _l("date must be a date such as 2026-09-23")
_KINDS = {str: _l("text"), int: _l("whole number")}


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
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ArticleFileError(path.name, NOT_UTF8, byte=error.start) from None
    return parse_article_file(text, path.name)


def parse_article_file(text: str, name: str) -> ArticleFile:
    header, body = _split_front_matter(text, name)
    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        if mark is None:
            raise ArticleFileError(name, _l("the front matter is not valid YAML")) from None
        raise ArticleFileError(
            name, _l("the front matter is not valid YAML at line %(line)s"), line=mark.line + 2
        ) from None
    return article_from_mapping(meta, body, name)


def article_from_mapping(meta: Any, body: str, name: str) -> ArticleFile:
    """An article file from its front-matter keys (a YAML header or a JSON Lines record)."""
    if not isinstance(meta, dict):
        raise ArticleFileError(name, _l("the front matter must be a mapping of keys to values"))
    if not isinstance(body, str):
        raise ArticleFileError(name, _l("the body must be text"))
    article_id = _required(meta, "id", int, name)
    edition = _required(meta, "edition", str, name)
    source_edition = meta.get("source_edition")
    if source_edition is not None and source_edition != edition:
        raise ArticleFileError(
            name,
            _l("source_edition '%(source)s' differs from edition '%(edition)s'"),
            source=source_edition,
            edition=edition,
        )
    try:
        state = PublicationState(meta.get("state", "published"))
    except ValueError:
        raise ArticleFileError(name, _l("state must be 'published' or 'draft'")) from None
    published_on = meta.get("date")
    if isinstance(published_on, str):  # JSON has no date type
        try:
            published_on = date.fromisoformat(published_on)
        except ValueError:
            raise ArticleFileError(name, BAD_DATE) from None
    if source_edition is not None:
        if not isinstance(published_on, date):
            raise ArticleFileError(name, BAD_DATE)
        _required(meta, "section", str, name)
    tags = meta.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        # The example is a placeholder so that no catalog translates the tag names in it:
        # a translator who follows it must write tags that exist.
        raise ArticleFileError(
            name, _l("tags must be a list of names, e.g. %(example)s"), example="[culture, books]"
        )
    return ArticleFile(
        name=name,
        article_id=article_id,
        edition=edition,
        text=SourceText(
            title=str(_required(meta, "title", str, name)),
            summary=str(meta.get("summary") or ""),
            body=body,
        ),
        state=state,
        source_edition=source_edition,
        section=_optional(meta, "section", str, name),
        tags=tuple(tags),
        author=_optional(meta, "author", str, name),
        published_on=published_on,
        issue_number=_optional(meta, "issue", int, name),
        slug=_optional(meta, "slug", str, name),
        note=_optional(meta, "note", str, name) or "",
    )


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
            value=value,
        )
    return value
