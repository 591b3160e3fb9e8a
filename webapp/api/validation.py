"""Checking a JSON request body field by field, so every refusal names its field."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from editions.content.articlefiles import ArticleFile
from editions.content.articles import SourceText, slugify
from editions.core.ids import MAX_ID, is_valid_id
from editions.core.models import PublicationState
from webapp.i18n import ngettext

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Invalid(ValueError):
    """A request body with wrong fields: ``fields`` maps each field name to what is wrong."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {problem}" for name, problem in fields.items()))
        self.fields = dict(fields)


def _at_most(length: int):
    return ngettext("at most %(num)s character", "at most %(num)s characters", length)


@dataclass(frozen=True)
class Field:
    check: Callable[[Any], Any]
    required: bool = False


def validate(payload: Any, spec: Mapping[str, Field]) -> dict[str, Any]:
    """The fields of ``payload`` that ``spec`` names, checked; unknown fields are refused."""
    if not isinstance(payload, dict):
        raise Invalid({"": str(_l("the request body must be a JSON object"))})
    problems: dict[str, str] = {
        name: str(_l("unknown field")) for name in payload if name not in spec
    }
    values: dict[str, Any] = {}
    for name, field in spec.items():
        if payload.get(name) is None:
            if field.required:
                problems[name] = str(_l("required"))
            continue
        try:
            values[name] = field.check(payload[name])
        except ValueError as error:
            problems[name] = str(error.args[0]) if error.args else str(error)
    if problems:
        raise Invalid(problems)
    return values


def text(max_length: int, *, blank: bool = True) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(_l("must be a string"))
        if len(value) > max_length:
            raise ValueError(_at_most(max_length))
        if _CONTROL.search(value):
            raise ValueError(_l("contains an invisible control character"))
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(_l("is not valid Unicode")) from None
        if not blank and not value.strip():
            raise ValueError(_l("must not be empty"))
        return value

    return check


def name(max_length: int) -> Callable[[Any], str]:
    """A name stored with its slug (an author, a tag): both must fit their columns."""
    as_text = text(max_length, blank=False)

    def check(value: Any) -> str:
        value = as_text(value)
        if len(slugify(value)) > max_length:
            raise ValueError(_at_most(max_length))
        return value

    return check


def choice(*options: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in options:
            raise ValueError(_l("one of: %(options)s", options=", ".join(options)))
        return value

    return check


def article_id(value: Any) -> int:
    if not is_valid_id(value):
        raise ValueError(_l("a whole number from %(low)s to %(high)s", low=1, high=MAX_ID))
    return value


def iso_date(value: Any) -> date:
    if not isinstance(value, str):
        raise ValueError(_l("a date such as 2026-09-23"))
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(_l("a date such as 2026-09-23")) from None


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(_l("true or false"))
    return value


def names(max_items: int, max_length: int) -> Callable[[Any], list[str]]:
    one = name(max_length)

    def check(value: Any) -> list[str]:
        if not isinstance(value, list) or len(value) > max_items:
            raise ValueError(
                ngettext(
                    "a list of at most %(num)s name", "a list of at most %(num)s names", max_items
                )
            )
        return [one(item) for item in value]

    return check


def source_file(
    article_id: int, fields: Mapping[str, Any], *, default_state: PublicationState
) -> ArticleFile:
    """The source article that checked fields describe, as ``apply_source_file`` takes it."""
    return ArticleFile(
        name=f"article {article_id}",
        article_id=article_id,
        edition=fields["source_edition"],
        source_edition=fields["source_edition"],
        text=SourceText(fields["title"], fields.get("summary", ""), fields["body"]),
        state=PublicationState(fields.get("state", default_state)),
        section=fields["section"],
        tags=tuple(fields.get("tags", ())),
        author=fields.get("author"),
        published_on=fields["date"],
        issue_number=fields.get("issue"),
        slug=fields.get("slug"),
    )
