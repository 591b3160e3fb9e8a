"""An issue's email and PDF rendered in the edition's language, digits and calendar.

Both are rendered like pages (templates, gettext, the edition's filters), but for an
edition that is not the request's: the dashboard previews a Persian email on an
English page, and the command line has no request at all. ``in_edition`` makes the
edition the one templates see for the time of a rendering.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app, g, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from editions.core.languages import Edition
from editions.newsletter.email import RenderedEmail, html_to_text
from editions.text.localization import format_date, localize_digits
from editions.text.rendering import with_absolute_urls
from webapp.database import settings
from webapp.newsletter_output.contents import IssueContents
from webapp.reader.navigation import absolute_url, site_base

FONTS = (
    "vazirmatn-arabic-400-normal.woff2",
    "vazirmatn-arabic-700-normal.woff2",
    "noto-naskh-arabic-arabic-400-normal.woff2",
    "noto-naskh-arabic-arabic-700-normal.woff2",
)
# CSS counter styles for list and page numbers in the edition's digits (its CLDR
# numbering system), as reader.css numbers lists.
LIST_NUMBERS = {"arabext": "persian", "arab": "arabic-indic"}


@contextmanager
def in_edition(edition: Edition) -> Iterator[None]:
    """Templates, gettext and the number and date filters speak ``edition`` meanwhile."""
    saved = g.get("edition")
    g.edition = edition
    try:
        with force_locale(edition.code):
            yield
    finally:
        if saved is None:
            g.pop("edition", None)
        else:
            g.edition = saved


def _common(contents: IssueContents) -> dict[str, object]:
    code = contents.edition
    return {
        "contents": contents,
        "issue_url": absolute_url("reader.newsletter", edition=code, number=contents.number),
        "home_url": absolute_url("reader.home", edition=code),
        "body_html": with_absolute_urls(contents.body_html, site_base()),
        "number": localize_digits(str(contents.number), code),
        "date": format_date(contents.published_on, code),
        "article_url": lambda item: absolute_url(
            "reader.article", edition=item.edition, article_id=item.article_id
        ),
        "about_url": absolute_url("reader.page", edition=code, slug="about"),
        "list_numbers": LIST_NUMBERS.get(settings().editions[code].numbering_system, "decimal"),
    }


def render_email(contents: IssueContents) -> RenderedEmail:
    """Subject, preheader and both bodies of the issue's email in its edition."""
    edition = settings().editions[contents.edition]
    with in_edition(edition):
        values = _common(contents)
        subject = _(
            "Newsletter No. %(number)s: %(title)s", number=values["number"], title=contents.title
        )
        preheader = _(
            "Issue of %(date)s. %(summary)s", date=values["date"], summary=contents.summary
        )
        html = render_template(
            "newsletter_output/email.html", subject=subject, preheader=preheader, **values
        )
        text = render_template(
            "newsletter_output/email.txt",
            subject=subject,
            body_text=html_to_text(str(values["body_html"])),
            **values,
        )
    return RenderedEmail(edition.code, edition.direction, subject, html, text.strip() + "\n")


def render_pdf_html(contents: IssueContents) -> str:
    """The HTML WeasyPrint makes the issue's PDF from, fonts named relative to /static."""
    edition = settings().editions[contents.edition]
    with in_edition(edition):
        return render_template("newsletter_output/issue_pdf.html", **_common(contents))


def static_folder() -> Path:
    return Path(current_app.static_folder or "")


def font_files() -> list[Path]:
    return [static_folder() / "fonts" / name for name in FONTS]
