"""Refusals: the errors the domain raises, and the checks that an edition is one the site has.

Every refusal carries a ``Message`` (``editions.core.messages``): the command line prints
it in English, the web layer in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from editions.core.messages import Message, _l

if TYPE_CHECKING:
    from editions.core.languages import Edition
    from editions.core.models import Article


class EditionsError(ValueError):
    """A request Editions refuses, with a message for the person who made it."""

    def __init__(self, template: str, /, **params: Any) -> None:
        self.message = Message(template, params)
        super().__init__(str(self.message))


class UnknownEditionError(EditionsError):
    """An edition code that the site does not publish."""

    def __init__(self, code: str, known: Iterable[str]) -> None:
        super().__init__(
            _l("unknown edition '%(code)s'; this site publishes: %(known)s"),
            code=code,
            known=", ".join(sorted(known)),
        )
        self.code = code


class ContentError(EditionsError):
    """A request the content model refuses, with a message for the person who made it."""


class ArticleNotFound(ContentError):
    def __init__(self, article_id: int) -> None:
        super().__init__(_l("there is no article %(article_id)s"), article_id=article_id)
        self.article_id = article_id


def check_edition(editions: Mapping[str, Edition], code: str) -> Edition:
    try:
        return editions[code]
    except KeyError:
        raise UnknownEditionError(code, editions) from None


def check_translatable(editions: Mapping[str, Edition], article: Article, code: str) -> Edition:
    """An edition the article is translated into: a configured one other than its source."""
    edition = check_edition(editions, code)
    if code == article.source_edition:
        raise ContentError(
            _l("%(edition)s is the source edition of article %(article_id)s"),
            edition=code,
            article_id=article.id,
        )
    return edition
