"""Security headers on every response, CSV cells that never run as formulas, titles
and author names without invisible controls."""

from __future__ import annotations

import csv
import io

import pytest

from editions.content.articles import SourceText
from editions.content.sources import create_article
from editions.core.errors import ContentError
from tests.factories import make_article


@pytest.mark.parametrize(
    "path, framable",
    [("/en/", True), ("/en/posts/16009", True), ("/login", False), ("/dashboard/", False)],
)
def test_every_response_has_the_security_headers(path, framable, client, session, editions):
    make_article(session, editions)
    session.commit()
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert ("frame-ancestors 'self'" if framable else "frame-ancestors 'none'") in policy


def test_no_page_has_inline_scripts_or_styles(client, session, editions, sign_in):
    make_article(session, editions)
    session.commit()
    sign_in(client, "admin")
    for path in (
        "/en/",
        "/en/posts/16009",
        "/dashboard/",
        "/dashboard/fa/posts/16009",
        "/dashboard/articles/16009/edit",
        "/dashboard/exchange/",
        "/admin/users",
    ):
        page = client.get(path).get_data(as_text=True)
        assert "<style" not in page and " style=" not in page, path
        assert all("src=" in tag for tag in page.split("<script")[1:]), path


def test_csv_cells_that_spreadsheets_would_run_are_neutralised(client, session, editions, sign_in):
    article = make_article(session, editions)
    from editions.content.sources import revise_source
    from tests.factories import SOURCE_BODY

    revise_source(
        session,
        article,
        SourceText('=HYPERLINK("https://evil.example","x")', "Summary.", SOURCE_BODY),
    )
    session.commit()
    sign_in(client, "coordinator")
    rows = list(
        csv.DictReader(io.StringIO(client.get("/api/v1/status?format=csv").get_data(as_text=True)))
    )
    assert rows and {row["title"] for row in rows} == {'\'=HYPERLINK("https://evil.example","x")'}
    assert rows[0]["words"].isdigit()


@pytest.mark.parametrize(
    "bad", ["A\x00title", "A \u202eeltit", "\u2066A title\u2069", "A\x1btitle"]
)
def test_titles_and_author_names_refuse_nul_and_invisible_controls(bad, session, editions):
    from datetime import date

    for title, author in ((bad, "Mira Dalen"), ("A title", bad)):
        with pytest.raises(ContentError, match="invisible control character"):
            create_article(
                session,
                editions,
                source_edition="en",
                section="articles",
                text=SourceText(title, "", "Text.\n"),
                published_on=date(2026, 1, 2),
                author=author,
            )


def test_author_names_are_isolated_on_display(client, session, editions):
    make_article(session, editions)
    session.commit()
    page = client.get("/en/posts/16009").get_data(as_text=True)
    assert "<bdi>Mira Dalen</bdi>" in page
