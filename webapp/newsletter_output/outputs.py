"""An issue's email and PDF in one edition, from its contents to what leaves the site."""

from __future__ import annotations

from dataclasses import dataclass

from editions.newsletter import NewsletterError
from editions.newsletter.email import RenderedEmail
from editions.newsletter.pdf import fingerprint, html_to_pdf, keep_pdf, kept_pdf
from editions.newsletter.sending import check_sendable
from webapp.database import db, writing
from webapp.i18n import edition_name
from webapp.newsletter_output.contents import IssueContents, issue_contents
from webapp.newsletter_output.render import (
    font_files,
    render_email,
    render_pdf_html,
    static_folder,
)


@dataclass(frozen=True)
class EmailPreview:
    email: RenderedEmail
    refusal: NewsletterError | None  # why sending it (without --anyway) is refused


def email_preview(number: int, code: str) -> EmailPreview:
    """The email as it would go out anyway, and why it would be refused otherwise."""
    contents = issue_contents(number, code)
    refusal = None
    try:
        _check(contents, anyway=False)
    except NewsletterError as error:
        refusal = error
    return EmailPreview(render_email(contents), refusal)


def _check(contents: IssueContents, *, anyway: bool) -> None:
    check_sendable(
        contents.number,
        contents.readiness,
        contents.missing_items,
        shown=len(contents.items),
        anyway=anyway,
        language=edition_name(contents.readiness.edition),
    )


def issue_email(number: int, code: str, *, anyway: bool = False) -> RenderedEmail:
    """Issue ``number``'s email in edition ``code``; an edition that is not ready is
    refused unless ``anyway`` (then the issue's policy for missing items applies)."""
    contents = issue_contents(number, code)
    _check(contents, anyway=anyway)
    return render_email(contents)


def issue_pdf(number: int, code: str) -> tuple[str, bytes]:
    """Issue ``number``'s PDF in edition ``code`` as its reader page shows the issue, and
    the fingerprint of its inputs: the kept one while none of them has changed."""
    contents = issue_contents(number, code)
    html = render_pdf_html(contents)
    key = fingerprint(html, font_files())
    pdf = kept_pdf(db(), contents.issue_id, code, key)
    if pdf is None:
        pdf = html_to_pdf(html, static_folder())
        with writing() as session:  # a reader's GET: its own short write transaction
            keep_pdf(session, contents.issue_id, code, key, pdf)
    return key, pdf
