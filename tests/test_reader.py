"""The reader's site: editions, switching between counterparts, 404s in an edition, caching."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask, template_rendered
from sqlalchemy import Connection, update

from editions.content.articles import SourceText, get_article
from editions.content.sources import revise_source
from editions.core.models import Counterpart, PublicationState
from tests.factories import SOURCE_BODY, make_article
from tests.sqlcount import count_queries
from webapp.reader.caching import kept_pages


@pytest.fixture
def festival(session, editions):
    """Article 16009: English source, published in ar, fa and sq."""
    article = make_article(session, editions)
    session.commit()  # the kept statuses are brought up to date on commit
    return article


@pytest.fixture
def untranslated(session, editions):
    """Article 16010: English source, published in Arabic and Persian, no Albanian."""
    article = make_article(session, editions, article_id=16010, translate=("ar", "fa"))
    session.commit()
    return article


def hreflangs(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


class Clock:
    """A clock the test moves by hand: the revalidation window without sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def revalidate_after(app: Flask) -> Callable[[float], Clock]:
    """Set the reader's revalidation window (seconds) and give the clock it is read on."""

    def configure(seconds: float) -> Clock:
        state = app.extensions["editions"]
        changed = state.settings.with_changes(reader_revalidate_seconds=seconds)
        app.extensions["editions"] = replace(state, settings=changed)
        clock = kept_pages(app).clock = Clock()
        return clock

    return configure


def retitle_elsewhere(connection: Connection, article_id: int, edition: str, title: str) -> None:
    """An edit made by another process (another worker, the dashboard): nothing in this
    process hears of it but the database."""
    connection.execute(
        update(Counterpart)
        .where(Counterpart.article_id == article_id, Counterpart.edition == edition)
        .values(title=title, updated_at=datetime.now(UTC) + timedelta(seconds=1))
    )


@contextmanager
def captured_templates(app: Flask) -> Iterator[list[str]]:
    """The names of the templates rendered inside the block."""
    names: list[str] = []

    def record(_sender, template, **_extra) -> None:
        names.append(template.name)

    template_rendered.connect(record, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(record, app)


# ------------------------------------------------------------------ choosing an edition


def test_the_root_sends_a_reader_to_the_edition_their_browser_prefers(client):
    response = client.get("/", headers={"Accept-Language": "fa-IR,fa;q=0.9,en;q=0.5"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/fa/"
    assert set(response.headers["Vary"].split(", ")) == {"Accept-Language", "Cookie"}


def test_the_root_prefers_the_remembered_choice_to_the_browser(client):
    client.set_cookie("edition", "sq")
    response = client.get("/", headers={"Accept-Language": "fa"})
    assert response.headers["Location"] == "/sq/"


def test_the_root_falls_back_to_english(client):
    assert client.get("/", headers={"Accept-Language": "de"}).headers["Location"] == "/en/"


def test_choosing_an_edition_remembers_it_and_goes_on_to_the_page(client, festival):
    response = client.get("/fa/choose?next=/fa/posts/16009")
    assert response.status_code == 303
    assert response.headers["Location"] == "/fa/posts/16009"
    assert "edition=fa" in response.headers["Set-Cookie"]
    assert client.get("/", headers={"Accept-Language": "en"}).headers["Location"] == "/fa/"


@pytest.mark.parametrize("target", ["https://elsewhere.example/", "//elsewhere.example/", "/en/"])
def test_choosing_never_leaves_the_chosen_edition(client, target):
    assert client.get(f"/fa/choose?next={target}").headers["Location"] == "/fa/"


def test_an_unknown_edition_is_a_404_page_never_a_500(client):
    response = client.get("/xx/posts/16009", headers={"Accept-Language": "sq"})
    assert response.status_code == 404
    assert '<html lang="sq" dir="ltr">' in response.text


# ------------------------------------------------------------------ articles


def test_an_article_page_is_in_its_editions_language_and_direction(client, festival):
    persian = client.get("/fa/posts/16009")
    assert persian.status_code == 200
    assert '<html lang="fa" dir="rtl">' in persian.text
    assert "جشنوارهٔ کتاب‌خوانی" in persian.text
    english = client.get("/en/posts/16009")
    assert '<html lang="en" dir="ltr">' in english.text


def test_hreflang_links_are_absolute_reciprocal_and_include_x_default(client, festival):
    pages = {code: client.get(f"/{code}/posts/16009").text for code in ("en", "ar", "fa", "sq")}
    expected = {code: f"http://localhost/{code}/posts/16009" for code in ("en", "ar", "fa", "sq")}
    expected["x-default"] = "http://localhost/en/posts/16009"
    for html in pages.values():
        assert hreflangs(html) == expected
    assert '<link rel="canonical" href="http://localhost/fa/posts/16009">' in pages["fa"]


def test_hreflang_names_only_published_counterparts(client, session, untranslated):
    counterpart = session.query(Counterpart).filter_by(article_id=16010, edition="ar").one()
    counterpart.state = PublicationState.DRAFT
    session.commit()
    assert set(hreflangs(client.get("/en/posts/16010").text)) == {"en", "fa", "x-default"}


def test_the_editions_menu_marks_an_edition_without_the_article(client, untranslated):
    html = client.get("/en/posts/16010").text
    menu = html.split('class="submenu editions-menu"')[1].split("</details>")[0]
    assert 'href="/fa/choose?next=/fa/posts/16010" hreflang="fa"' in menu
    sq_entry = menu.split("Shqip")[0].rsplit("<li>", 1)[1]
    assert 'href="/sq/choose?next=/sq/"' in sq_entry
    assert "hreflang" not in sq_entry
    assert 'class="unavailable"' in sq_entry
    assert "not available in this edition" in menu


def test_a_missing_counterpart_is_a_404_in_that_edition_listing_where_to_read_it(
    client, untranslated
):
    response = client.get("/sq/posts/16010")
    assert response.status_code == 404
    assert '<html lang="sq" dir="ltr">' in response.text
    listing = response.text.split('class="readable-editions"')[1].split("</ul>")[0]
    for code in ("en", "ar", "fa"):
        assert f'href="/{code}/choose?next=/{code}/posts/16010"' in listing
    assert "/sq/posts" not in listing


def test_a_stale_counterpart_says_when_the_original_was_updated(
    client, session, editions, festival
):
    revise_source(
        session,
        get_article(session, 16009),
        SourceText("A reading festival", "A new festival in the city.", SOURCE_BODY + "\nNew.\n"),
    )
    session.commit()
    html = client.get("/sq/posts/16009").text
    notice = html.split('class="notice stale-notice"')[1].split("</aside>")[0]
    assert "/en/posts/16009" in notice
    assert re.search(r"\d{4}", notice), "the notice dates the update"
    assert "stale-notice" not in client.get("/en/posts/16009").text


def test_a_current_counterpart_has_no_stale_notice(client, festival):
    assert "stale-notice" not in client.get("/fa/posts/16009").text


def test_a_trailing_slug_is_normalised_to_the_permalink(client, festival):
    for path in ("/en/posts/16009/a-reading-festival", "/en/posts/16009/"):
        response = client.get(path)
        assert response.status_code == 301
        assert response.headers["Location"] == "/en/posts/16009"


def test_an_article_page_takes_at_most_five_queries(client, connection, festival):
    with count_queries(connection) as queries:
        response = client.get("/fa/posts/16009")
    assert response.status_code == 200
    assert queries.count <= 5, "\n\n".join(queries)


def test_a_persian_article_shows_a_solar_hijri_date_in_persian_digits(client, festival):
    html = client.get("/fa/posts/16009").text
    # 23 September 2026 is 1 Mehr 1405.
    assert '<time datetime="2026-09-23">۱ مهر ۱۴۰۵</time>' in html
    reading_time = html.split('class="reading-time">')[1].split("<")[0]
    assert "۱" in reading_time
    assert not re.search(r"[0-9]", reading_time)


def test_arabic_and_albanian_dates_use_their_own_month_names(client, festival):
    assert "23 سبتمبر 2026" in client.get("/ar/posts/16009").text
    assert "23 shtator 2026" in client.get("/sq/posts/16009").text


def test_names_and_tags_are_isolated_inside_right_to_left_text(client, festival):
    html = client.get("/fa/posts/16009").text
    assert "<bdi>Mira Dalen</bdi>" in html


def test_nothing_executable_survives_in_a_body(client, session, editions):
    body = (
        "Hello <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n"
        "[click](javascript:alert(3))\n"
    )
    make_article(session, editions, article_id=16011, translate=(), body=body)
    session.commit()
    html = client.get("/en/posts/16011").text.split('<div class="body">')[1]
    assert "<script" not in html
    assert "onerror" not in html.replace("onerror=alert(2)&gt;", "")
    assert "javascript:" not in html.replace("(javascript:alert(3))", "")
    assert 'href="javascript' not in html


# ------------------------------------------------------------------ HTTP caching


def test_an_unchanged_article_answers_a_conditional_request_with_304(client, festival):
    first = client.get("/fa/posts/16009")
    assert first.headers["ETag"]
    assert first.headers["Last-Modified"]
    assert first.headers["Content-Language"] == "fa"
    assert "public" in first.headers["Cache-Control"]
    assert "s-maxage" in first.headers["Cache-Control"]
    assert "Vary" not in first.headers or "Cookie" not in first.headers["Vary"]
    assert "Set-Cookie" not in first.headers
    again = client.get("/fa/posts/16009", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    since = client.get(
        "/fa/posts/16009", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert since.status_code == 304


def test_a_changed_article_gets_a_new_etag(client, session, festival, revalidate_after):
    revalidate_after(0)
    etag = client.get("/sq/posts/16009").headers["ETag"]
    counterpart = session.query(Counterpart).filter_by(article_id=16009, edition="sq").one()
    counterpart.title = "Festivali i leximit, botim i ri"
    counterpart.updated_at = datetime.now(UTC) + timedelta(seconds=5)
    session.commit()
    response = client.get("/sq/posts/16009", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "botim i ri" in response.text


def test_an_unchanged_article_is_served_from_its_kept_body_without_rendering(client, festival):
    first = client.get("/fa/posts/16009")
    with captured_templates(client.application) as rendered:
        again = client.get("/fa/posts/16009")
    assert rendered == []
    assert again.data == first.data
    assert again.headers["ETag"] == first.headers["ETag"]


def test_a_kept_article_is_never_served_after_its_text_changed(
    client, session, festival, revalidate_after
):
    """Checked against the database on every request (window 0): a change shows at once."""
    revalidate_after(0)
    assert "Festivali i leximit" in client.get("/sq/posts/16009").text
    counterpart = session.query(Counterpart).filter_by(article_id=16009, edition="sq").one()
    counterpart.title = "Festivali i leximit, botim i ri"
    session.commit()
    assert "botim i ri" in client.get("/sq/posts/16009").text


def test_checking_every_request_shows_another_process_edit_at_once(
    client, connection, festival, revalidate_after
):
    revalidate_after(0)
    assert "Festivali i leximit" in client.get("/sq/posts/16009").text
    retitle_elsewhere(connection, 16009, "sq", "Festivali i leximit, botim i ri")
    assert "botim i ri" in client.get("/sq/posts/16009").text


def test_a_kept_article_still_current_costs_one_statement(
    client, connection, festival, revalidate_after
):
    revalidate_after(0)
    first = client.get("/fa/posts/16009")
    with count_queries(connection) as queries:
        again = client.get("/fa/posts/16009")
    assert queries.count == 1, "\n\n".join(queries)
    assert again.data == first.data


def test_inside_the_window_a_kept_article_is_served_without_sql_then_rechecked(
    client, connection, festival, revalidate_after
):
    clock = revalidate_after(1)
    first = client.get("/sq/posts/16009")
    retitle_elsewhere(connection, 16009, "sq", "Festivali i leximit, botim i ri")
    clock.now += 0.9
    with count_queries(connection) as queries:
        within = client.get("/sq/posts/16009")
    assert queries.count == 0, "\n\n".join(queries)
    assert within.data == first.data
    assert within.headers["ETag"] == first.headers["ETag"]
    conditional = client.get("/sq/posts/16009", headers={"If-None-Match": first.headers["ETag"]})
    assert conditional.status_code == 304
    clock.now += 0.1
    assert "botim i ri" in client.get("/sq/posts/16009").text


def test_inside_the_window_an_edit_made_in_this_process_shows_at_once(
    client, session, festival, revalidate_after
):
    revalidate_after(60)
    assert "Festivali i leximit" in client.get("/sq/posts/16009").text
    counterpart = session.query(Counterpart).filter_by(article_id=16009, edition="sq").one()
    counterpart.title = "Festivali i leximit, botim i ri"
    session.commit()
    assert "botim i ri" in client.get("/sq/posts/16009").text


def test_a_kept_article_lists_a_post_published_after_it_was_kept(
    client, session, editions, festival, revalidate_after
):
    revalidate_after(0)
    assert "Ein Lesefest" not in client.get("/en/posts/16009").text
    make_article(session, editions, article_id=16012, translate=())
    newer = session.query(Counterpart).filter_by(article_id=16012, edition="en").one()
    newer.title = "Ein Lesefest"
    session.commit()
    sidebar = client.get("/en/posts/16009").text.split('id="recent-posts"')[1]
    assert "Ein Lesefest" in sidebar


# ------------------------------------------------------------------ pages and listings


def test_every_listing_page_renders_in_every_edition(client, festival, editions):
    for code in editions:
        for path in (
            "/",
            "/category/articles",
            "/tag/culture",
            "/author/mira-dalen",
            "/search?q=x",
        ):
            response = client.get(f"/{code}{path}")
            assert response.status_code == 200, (code, path)
            assert f'<html lang="{code}"' in response.text


def test_the_home_lists_the_editions_newest_posts_by_section(client, festival):
    html = client.get("/sq/").text
    assert "Festivali i leximit" in html
    assert 'href="/sq/category/articles"' in html


def test_the_navigation_and_footer_are_on_every_page(client, festival):
    html = client.get("/ar/posts/16009").text
    for path in ("/ar/category/cartoons", "/ar/newsletter/", "/ar/about", "/ar/contact"):
        assert f'href="{path}"' in html
    assert 'href="#top"' in html
    assert re.search(r'lang="fa" dir="rtl"[^>]*>فارسی<', html)
    assert "Recent Posts" in html or 'id="recent-posts"' in html


def test_about_and_newsletter_issues_have_their_own_addresses(client, session, editions):
    from editions.demo import load_demo

    load_demo(session, editions)
    session.commit()
    about = client.get("/fa/about")
    assert about.status_code == 200
    assert hreflangs(about.text)["en"] == "http://localhost/en/about"
    assert client.get("/en/posts/16022").headers["Location"] == "/en/about"
    issue = client.get("/en/newsletter/128")
    assert issue.status_code == 200
    assert "Newsletter No. 128" in issue.text
    assert client.get("/en/newsletter/9999").status_code == 404


# ------------------------------------------------------------------ discovery


def test_each_edition_has_an_atom_feed(client, festival):
    response = client.get("/fa/feed.atom")
    assert response.mimetype == "application/atom+xml"
    assert 'xml:lang="fa"' in response.text
    assert "<id>http://localhost/fa/posts/16009</id>" in response.text


def test_the_sitemap_pairs_counterparts_with_hreflang_alternates(client, untranslated):
    index = client.get("/sitemap.xml").text
    assert "<loc>http://localhost/sitemap-1.xml</loc>" in index
    sitemap = client.get("/sitemap-1.xml").text
    entry = sitemap.split("<loc>http://localhost/fa/posts/16010</loc>")[1].split("</url>")[0]
    assert 'hreflang="en" href="http://localhost/en/posts/16010"' in entry
    assert 'hreflang="sq"' not in entry


def test_robots_txt_points_to_the_sitemap(client):
    text = client.get("/robots.txt").text
    assert "Sitemap: http://localhost/sitemap.xml" in text
    assert "Disallow: /dashboard/" in text


@pytest.mark.parametrize("path", ["/en/tag/bo%00oks", "/en/author/mira%00", "/en/posts/1%00"])
def test_a_nul_in_a_reader_url_is_not_found(client, session, editions, path):
    make_article(session, editions, translate=())
    assert client.get(path).status_code == 404


def test_the_sitemap_lists_pages_and_newsletter_issues_at_their_own_addresses(demo_app):
    # Their permalinks redirect; a sitemap names where a reader lands.
    client = demo_app.test_client()
    sitemap = client.get("/sitemap-1.xml").text
    locations = re.findall(r"<loc>http://localhost(/[^<]*)</loc>", sitemap)
    assert "/en/about" in locations and "/en/newsletter/128" in locations
    for location in locations:
        assert client.get(location).status_code == 200, location
