"""An issue's PDF per edition: shaped right-to-left text that reads back in logical order,
the edition's fonts embedded, its digits and calendar, kept in the database until an
input changes."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from sqlalchemy import func, select

from editions.content.articles import SourceText, get_article
from editions.content.counterparts import import_counterpart
from editions.newsletter import Composition, MissingItems, compose, get_issue
from editions.newsletter.pdf import NewsletterPdf, weasyprint_missing
from tests.factories import TRANSLATIONS
from tests.newsletter_output import PERSIAN_DATE, make_issue_128
from tests.sqlcount import count_queries
from tests.test_newsletter import INTRODUCTIONS

ZWNJ = "\u200c"

pytestmark = pytest.mark.skipif(
    weasyprint_missing() is not None,
    reason=f"WeasyPrint cannot run here ({weasyprint_missing()}): 'make pdf-libraries'",
)


@pytest.fixture
def issue(session, editions):
    return make_issue_128(session, editions)


def pdf_text(data: bytes) -> tuple[str, set[str]]:
    """The text pypdf extracts (NFKC: no presentation forms, no joiners), and the fonts."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    return plain(text), fonts


def plain(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).replace(ZWNJ, "").split())


def words(text: str) -> list[str]:
    """The words of ``text`` in order (letters, with Arabic marks such as the hamza of «ٔ»),
    leaving out punctuation, whose place at the end of a right-to-left line pypdf gives
    in visual order."""
    return re.findall(r"[\w\u064b-\u065f\u0670]+", plain(text))


def in_order(sentence: str, text: str) -> bool:
    wanted, found = words(sentence), words(text)
    return any(found[i : i + len(wanted)] == wanted for i in range(len(found)))


@pytest.mark.parametrize("code", ["fa", "ar"])
def test_persian_and_arabic_pdfs_read_back_in_logical_order(client, issue, code):
    response = client.get(f"/{code}/newsletter/128.pdf")
    assert response.status_code == 200, response.text
    assert response.mimetype == "application/pdf"
    assert (
        response.headers["Content-Disposition"] == f'inline; filename="newsletter-128-{code}.pdf"'
    )
    text, fonts = pdf_text(response.data)
    # Whole sentences, word after word as written: shaped, laid out right to left, and
    # mapped back to their letters.
    for sentence in (
        INTRODUCTIONS[code].title,
        INTRODUCTIONS[code].summary,
        INTRODUCTIONS[code].body.strip(),
        TRANSLATIONS[code].title,
    ):
        assert in_order(sentence, text), (sentence, text)
    assert "Vazirmatn" in fonts  # the site's own font, embedded
    if code == "fa":
        the_persian_date_and_digits(text)


def the_persian_date_and_digits(text: str) -> None:
    day, month, year = PERSIAN_DATE.split()
    # pypdf gives a run of digits inside right-to-left text in visual order ("۵۰۴۱"):
    # the digits are checked as a set, the month's name as a word.
    assert month in text.split()
    assert set(day + year) <= set(text)
    without_addresses = re.sub(r"https?://\S+", "", text)
    assert not re.search("[0-9]", without_addresses), without_addresses  # list numbers too
    assert "خبرنامه" in text


def test_an_english_pdf_is_left_to_right_with_latin_digits(client, issue):
    text, _fonts = pdf_text(client.get("/en/newsletter/128.pdf").data)
    assert "News from the neighbourhood" in text and "October 2, 2026" in text


def test_the_pdf_is_kept_until_an_item_changes(client, session, connection, editions, issue):
    def kept() -> int:
        return session.scalar(select(func.count()).select_from(NewsletterPdf))

    first = client.get("/fa/newsletter/128.pdf")
    assert first.status_code == 200 and kept() == 1
    with count_queries(connection) as log:
        again = client.get("/fa/newsletter/128.pdf")
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    assert not [sql for sql in log if "newsletter_pdfs" in sql and "SELECT" not in sql]
    revalidated = client.get(
        "/fa/newsletter/128.pdf", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert revalidated.status_code == 304
    # An item's Persian title changes: the fingerprint changes, a new PDF replaces the old.
    import_counterpart(
        session,
        editions,
        get_article(session, 1),
        "fa",
        SourceText("جشنوارهٔ تازهٔ کتاب", TRANSLATIONS["fa"].summary, TRANSLATIONS["fa"].body),
    )
    session.commit()
    changed = client.get("/fa/newsletter/128.pdf")
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert in_order("جشنوارهٔ تازهٔ کتاب", pdf_text(changed.data)[0])
    assert kept() == 1
    # So does the composition: the item leaves the issue.
    compose(session, get_issue(session, 128), Composition([1], {}, MissingItems.LEAVE_OUT))
    session.commit()
    assert client.get("/fa/newsletter/128.pdf").headers["ETag"] != changed.headers["ETag"]
    assert kept() == 1


def test_the_issue_page_links_its_pdf_and_unknown_issues_have_none(client, issue):
    html = client.get("/fa/newsletter/128").text
    assert 'href="/fa/newsletter/128.pdf" type="application/pdf"' in html
    assert client.get("/fa/newsletter/999.pdf").status_code == 404
    assert client.get("/xx/newsletter/128.pdf").status_code == 404


def test_the_pdf_command_writes_the_kept_pdf(run_cli, tmp_path, session, issue):
    path = tmp_path / "128-ar.pdf"
    args = ("newsletter", "pdf", "128", "--edition", "ar", "--site-url", "https://news.example.org")
    result = run_cli(*args, "--output", str(path))
    assert result.exit_code == 0, result.output
    assert path.read_bytes().startswith(b"%PDF-")
    assert in_order(INTRODUCTIONS["ar"].title, pdf_text(path.read_bytes())[0])
    assert session.scalar(select(func.count()).select_from(NewsletterPdf)) == 1
