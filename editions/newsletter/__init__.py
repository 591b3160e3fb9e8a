"""Newsletter issues composed from articles: composition, readiness per edition.

See ``models`` for the shape: an issue's text is an article of the newsletter section
(translated like any other); the issue adds its ordered items, per-item teasers and a
policy for items an edition cannot show.
"""

from editions.newsletter.composition import (
    Composition,
    NewsletterError,
    compose,
    create_issue,
    current_composition,
    get_issue,
    make_issue,
)
from editions.newsletter.models import (
    MissingItems,
    NewsletterIssue,
    NewsletterItem,
    teaser_key,
)
from editions.newsletter.readiness import ItemReadiness, Readiness, readiness

__all__ = [
    "Composition",
    "ItemReadiness",
    "MissingItems",
    "NewsletterError",
    "NewsletterIssue",
    "NewsletterItem",
    "Readiness",
    "compose",
    "create_issue",
    "current_composition",
    "get_issue",
    "make_issue",
    "readiness",
    "teaser_key",
]
