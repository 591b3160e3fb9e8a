"""An issue's PDF per edition: made by WeasyPrint, kept in the database until its inputs
change.

WeasyPrint lays text out through Pango and HarfBuzz, which shape Arabic script (joined
letters, right-to-left runs) and embed the subset of each font used. Making a PDF takes
a good part of a second, so each one is kept in ``newsletter_pdfs``, keyed by issue,
edition and a fingerprint of its inputs (the HTML it is made from, which holds every
text, number, date and the stylesheet, and the fonts' files): an edited item or
introduction changes the HTML, hence the fingerprint, and the next request makes a new
PDF. The table, not a file on one app server's disk, is where every server finds it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy import DateTime, ForeignKey, LargeBinary, String, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from editions.core.errors import EditionsError
from editions.core.messages import _l
from editions.core.models import Base, utcnow

# Bump when the way PDFs are made changes in a way their HTML does not show.
PDF_FORMAT = "1"


class PdfUnavailable(EditionsError):
    """This server cannot make PDFs (WeasyPrint or its system libraries are missing)."""


class NewsletterPdf(Base):
    """One edition of one issue as a PDF, made from the inputs ``fingerprint`` names."""

    __tablename__ = "newsletter_pdfs"

    issue_id: Mapped[int] = mapped_column(
        ForeignKey("newsletter_issues.article_id", ondelete="CASCADE"), primary_key=True
    )
    edition: Mapped[str] = mapped_column(String(16), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def fingerprint(html: str, files: Iterable[Path] = ()) -> str:
    """The inputs of a PDF as one hex digest: its HTML and the content of its fonts."""
    digest = hashlib.sha256(f"{PDF_FORMAT}\0{html}".encode())
    for path in sorted(files):
        digest.update(b"\0" + _file_digest(path))
    return digest.hexdigest()


@cache
def _file_digest(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


def kept_pdf(session: Session, issue_id: int, edition: str, key: str) -> bytes | None:
    """The PDF of ``issue_id`` in ``edition`` made from the inputs ``key`` names, if kept."""
    return session.scalar(
        select(NewsletterPdf.pdf).where(
            NewsletterPdf.issue_id == issue_id,
            NewsletterPdf.edition == edition,
            NewsletterPdf.fingerprint == key,
        )
    )


def keep_pdf(session: Session, issue_id: int, edition: str, key: str, pdf: bytes) -> None:
    """Keep ``pdf`` in place of the edition's older PDFs of that issue. Making one takes
    a good part of a second: the caller makes it first, outside any write transaction,
    and writes it in a short one of its own."""
    try:
        with session.begin_nested():
            session.execute(
                delete(NewsletterPdf).where(
                    NewsletterPdf.issue_id == issue_id,
                    NewsletterPdf.edition == edition,
                    NewsletterPdf.fingerprint != key,
                )
            )
            session.add(NewsletterPdf(issue_id=issue_id, edition=edition, fingerprint=key, pdf=pdf))
    except IntegrityError:
        pass  # another server made the same PDF meanwhile and kept it: the same bytes


def weasyprint_missing() -> str | None:
    """Why this server cannot make PDFs, or None when it can."""
    try:
        import weasyprint  # noqa: F401 - loads Pango, HarfBuzz and fontconfig
    except (ImportError, OSError) as error:
        return f"{type(error).__name__}: {error}"
    return None


def html_to_pdf(html: str, base: Path) -> bytes:
    """A PDF of ``html`` whose relative URLs (fonts, stylesheet) resolve under ``base``.

    Only files under ``base`` are read: a PDF is never made from what another host
    serves (an article's image from elsewhere is left out, not fetched).
    """
    reason = weasyprint_missing()
    if reason is not None:
        raise PdfUnavailable(_l("this server cannot make PDFs: %(reason)s"), reason=reason)
    from weasyprint import HTML, URLFetcher

    root = base.resolve()

    class LocalFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            path = Path(unquote(parts.path)).resolve()
            if parts.scheme != "file" or not path.is_relative_to(root):
                raise ValueError(f"not a local file under {root}: {url}")
            return super().fetch(url, headers)

    document = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=LocalFilesOnly())
    return document.write_pdf()


__all__ = [
    "NewsletterPdf",
    "PdfUnavailable",
    "fingerprint",
    "html_to_pdf",
    "keep_pdf",
    "kept_pdf",
    "weasyprint_missing",
]
