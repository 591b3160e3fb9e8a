"""An issue as one edition presents it, read for output that leaves the site (email,
PDF): the same reads as the issue's reader page (``webapp.reader.issues``), so a mail
and a PDF show exactly the items and teasers that page shows, plus the edition's
readiness, which decides whether the edition may go out at all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Row

from editions.core.messages import _l
from editions.newsletter import NewsletterError, readiness
from editions.newsletter.models import MissingItems
from editions.newsletter.readiness import Readiness
from webapp.database import db
from webapp.reader import issues, queries
from webapp.reader.issues import IssueItem
from webapp.reader.reads import reads


@dataclass(frozen=True)
class IssueContents:
    number: int
    issue_id: int
    edition: str
    source_edition: str
    published_on: date
    title: str
    summary: str
    body_html: str  # sanitized, links as authors wrote them (site paths)
    items: tuple[IssueItem, ...]
    about: Row | None
    readiness: Readiness
    missing_items: MissingItems


def issue_contents(number: int, code: str) -> IssueContents:
    """Issue ``number`` as edition ``code`` shows it, or a clear refusal."""
    issue = issues.issue_by_number(reads(), number)
    if issue is None:
        raise NewsletterError(_l("there is no newsletter issue %(number)s"), number=number)
    page = queries.article_page(reads(), issue.article_id, code)
    mine = None if page is None else page.siblings.get(code)
    if page is None or mine is None or not mine.published:
        raise NewsletterError(
            _l(
                "issue %(number)s has no published text in %(edition)s yet: translate and "
                "publish its introduction first"
            ),
            number=number,
            edition=code,
        )
    state = readiness(db(), [issue.article_id], [code])[(issue.article_id, code)]
    return IssueContents(
        number=number,
        issue_id=issue.article_id,
        edition=code,
        source_edition=page.source_edition,
        published_on=page.published_on,
        title=page.title,
        summary=page.summary,
        body_html=page.body_html,
        items=tuple(issues.issue_items(reads(), issue, code, page.source_edition)),
        about=issues.about_box(reads(), code),
        readiness=state,
        missing_items=issue.missing_items,
    )
