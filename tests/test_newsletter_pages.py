"""The newsletter's reader pages: archive, issue, feed, in every edition and per policy."""

from __future__ import annotations

import re

import pytest

from editions.content.articles import get_counterpart
from editions.core.models import PublicationState
from editions.newsletter import Composition, MissingItems, compose, get_issue
from tests.newsletter_output import make_issue_128
from tests.sqlcount import count_queries

EDITIONS = ("en", "ar", "fa", "sq")


@pytest.fixture
def issue(session, editions):
    """Issue 128 (2 October 2026): article 1 in every edition, article 2 in English and
    Arabic only; the introduction in every edition; missing items linked to the source."""
    return make_issue_128(session, editions)


def hreflangs(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html))


def inside(html: str) -> list[str]:
    listed = html.split('class="inside">')[1].split("</ol>")[0]
    return re.findall(r'<a href="([^"]+)"', listed)


@pytest.mark.parametrize("code", EDITIONS)
def test_an_issue_links_each_item_to_its_counterpart_in_the_same_edition(client, issue, code):
    response = client.get(f"/{code}/newsletter/128")
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{code}" dir="{"rtl" if code in ("ar", "fa") else "ltr"}">' in html
    assert set(hreflangs(html)) == {*EDITIONS, "x-default"}
    assert hreflangs(html)["fa"] == "http://localhost/fa/newsletter/128"
    first = "/en/posts/2" if code in ("fa", "sq") else f"/{code}/posts/2"
    assert inside(html) == [first, f"/{code}/posts/1"]
    assert ("item-note" in html) == (code in ("fa", "sq"))


def test_a_linked_original_is_marked_in_its_language_with_a_note(client, issue):
    html = client.get("/fa/newsletter/128").text
    assert '<a href="/en/posts/2" hreflang="en" lang="en" dir="ltr">A reading festival</a>' in html
    note = html.split('class="item-note">')[1].split("</p>")[0]
    assert "انگلیسی" in note and "فارسی" in note  # the languages, named in Persian


def test_leaving_missing_items_out(client, session, issue):
    compose(session, get_issue(session, 128), Composition([2, 1], {}, MissingItems.LEAVE_OUT))
    session.commit()
    assert inside(client.get("/fa/newsletter/128").text) == ["/fa/posts/1"]
    assert inside(client.get("/ar/newsletter/128").text) == ["/ar/posts/2", "/ar/posts/1"]


def test_persian_and_arabic_issues_write_their_digits_and_dates(client, issue):
    persian = client.get("/fa/newsletter/128").text
    # 2 October 2026 is 10 Mehr 1405.
    assert '<time datetime="2026-10-02">۱۰ مهر ۱۴۰۵</time>' in persian
    kicker = persian.split('class="kicker">')[1].split("<")[0]
    assert "۱۲۸" in kicker and not re.search("[0-9]", kicker)
    assert "2 أكتوبر 2026" in client.get("/ar/newsletter/128").text


def test_an_issue_not_in_this_edition_says_where_it_can_be_read(client, session, issue):
    get_counterpart(session, 900, "sq").state = PublicationState.DRAFT
    session.commit()
    response = client.get("/sq/newsletter/128")
    assert response.status_code == 404
    assert "/en/newsletter/128" in response.text or "newsletter/128" in response.text
    assert "sq" not in hreflangs(client.get("/en/newsletter/128").text)
    assert client.get("/en/newsletter/9999").status_code == 404


def test_the_issue_page_takes_at_most_five_queries(client, connection, issue):
    with count_queries(connection) as queries:
        response = client.get("/fa/newsletter/128")
    assert response.status_code == 200
    assert queries.count <= 5, "\n\n".join(queries)


def test_the_archive_takes_at_most_two_queries(client, connection, issue):
    with count_queries(connection) as queries:
        response = client.get("/fa/newsletter/")
    assert response.status_code == 200
    assert queries.count <= 2, "\n\n".join(queries)
    assert '<a href="/fa/newsletter/128">' in response.text


def test_an_unchanged_issue_answers_304_and_a_new_teaser_changes_its_etag(client, session, issue):
    first = client.get("/ar/newsletter/128")
    assert first.headers["Cache-Control"].startswith("public")
    etag = first.headers["ETag"]
    again = client.get("/ar/newsletter/128", headers={"If-None-Match": etag})
    assert again.status_code == 304
    compose(session, get_issue(session, 128), Composition([1, 2], {}, MissingItems.LEAVE_OUT))
    session.commit()
    reordered = client.get("/ar/newsletter/128", headers={"If-None-Match": etag})
    assert reordered.status_code == 200 and reordered.headers["ETag"] != etag


def test_the_archive_and_feed_list_issues_published_in_the_edition(client, session, issue):
    get_counterpart(session, 900, "sq").state = PublicationState.DRAFT
    session.commit()
    assert "/sq/newsletter/128" not in client.get("/sq/newsletter/").text
    feed = client.get("/fa/newsletter/feed.atom")
    assert feed.mimetype == "application/atom+xml"
    assert feed.text.startswith("<?xml")
    assert "<id>http://localhost/fa/newsletter/128</id>" in feed.text
    assert '<link rel="self" href="http://localhost/fa/newsletter/feed.atom"/>' in feed.text
    assert "<entry>" not in client.get("/sq/newsletter/feed.atom").text


def test_an_issue_permalink_leads_to_its_newsletter_address(client, issue):
    response = client.get("/fa/posts/900")
    assert response.status_code == 301
    assert response.headers["Location"] == "/fa/newsletter/128"


def test_share_links_carry_the_counterparts_url_and_title_and_no_script(client, issue):
    html = client.get("/fa/posts/1").text
    share = html.split('<nav class="share"')[1].split("</nav>")[0]
    links = dict(re.findall(r'class="share-(\w+)" href="([^"]+)"', share))
    assert set(links) == {"telegram", "whatsapp", "x", "facebook", "email"}
    assert "url=http%3A%2F%2Flocalhost%2Ffa%2Fposts%2F1" in links["telegram"]
    assert "%D8%AC%D8%B4%D9%86%D9%88%D8%A7%D8%B1%D9%87" in links["x"]  # «جشنواره» in the title
    assert links["facebook"].endswith("u=http%3A%2F%2Flocalhost%2Ffa%2Fposts%2F1")
    assert links["email"].startswith("mailto:?subject=")
    issue_page = client.get("/sq/newsletter/128").text
    assert "localhost%2Fsq%2Fnewsletter%2F128" in issue_page.split('class="share-whatsapp"')[1]
    assert not re.search(r"<script[^>]+src=\"https?:", html + issue_page)


def test_the_demo_newsletter_in_every_edition(demo_app):
    reader = demo_app.test_client()
    for code in EDITIONS:
        archive = reader.get(f"/{code}/newsletter/")
        assert archive.status_code == 200
        issue = reader.get(f"/{code}/newsletter/127").text
        # The Albanian edition has no counterpart of article 16004: linked to the original.
        expected = "/en/posts/16004" if code == "sq" else f"/{code}/posts/16004"
        assert expected in inside(issue)
        assert len(inside(issue)) == 5
    assert len(inside(reader.get("/fa/newsletter/128").text)) == 5  # a draft left out
