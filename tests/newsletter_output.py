"""Issue 128 for the email and PDF tests: two articles, the introduction in every edition."""

from __future__ import annotations

from datetime import date

from editions.content.articles import SourceText, get_article
from editions.content.counterparts import import_counterpart
from editions.newsletter import Composition, MissingItems, create_issue
from tests.factories import make_article
from tests.test_newsletter import INTRODUCTIONS

SITE = "https://news.example.org"
# 2 October 2026 is 10 Mehr 1405 in the Solar Hijri calendar.
PERSIAN_DATE = "۱۰ مهر ۱۴۰۵"


def make_issue_128(session, editions, policy=MissingItems.LINK_TO_SOURCE):
    """Article 1 in every edition, article 2 in English and Arabic only: ready in en and
    ar, not in fa and sq (article 2 has no counterpart there)."""
    make_article(session, editions, article_id=1)
    make_article(session, editions, article_id=2, translate=("ar",))
    issue = create_issue(
        session,
        editions,
        number=128,
        published_on=date(2026, 10, 2),
        source_edition="en",
        text=SourceText("News from the neighbourhood", "A new issue.", "This issue brings news.\n"),
        composition=Composition([2, 1], {}, policy),
        article_id=900,
    )
    for code, text in INTRODUCTIONS.items():
        import_counterpart(session, editions, get_article(session, 900), code, text)
    session.commit()
    return issue
