"""A reader in a real Chromium: landing, switching editions, RTL, Jalali dates, 404s."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def switch_to(page, native_name: str) -> None:
    page.locator(".editions-menu summary").click()
    page.locator(".editions-menu a", has_text=native_name).click()


def test_a_reader_switches_from_english_to_persian_and_back(page):
    page.goto("/")
    assert page.url.endswith("/en/")
    page.goto("/en/posts/16001")
    assert page.locator("html").get_attribute("dir") == "ltr"

    switch_to(page, "فارسی")
    page.wait_for_url(re.compile(r"/fa/posts/16001$"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "fa"
    date = page.locator(".article .meta time").inner_text()
    assert re.fullmatch(r"[۰-۹]+ \S+ [۰-۹]{4}", date), date  # e.g. ۲۳ اسفند ۱۴۰۴
    assert page.locator(".editions-menu summary").is_visible()

    switch_to(page, "English")
    page.wait_for_url(re.compile(r"/en/posts/16001$"))
    assert page.locator("html").get_attribute("dir") == "ltr"

    # The choice is remembered: the root now leads to the English edition again.
    page.goto("/")
    assert page.url.endswith("/en/")


def test_the_persian_choice_is_remembered_at_the_root(page):
    page.goto("/en/posts/16001")
    switch_to(page, "فارسی")
    page.wait_for_url(re.compile(r"/fa/posts/16001$"))
    page.goto("/")
    assert page.url.endswith("/fa/")


def test_a_missing_counterpart_leads_to_the_404_listing(page):
    response = page.goto("/sq/posts/16004")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "sq"
    names = page.locator(".readable-editions a .edition-name").all_inner_texts()
    assert set(names) == {"English", "عربي", "فارسی"}
    # Each entry leads with the article's title in that edition.
    titles = page.locator(".readable-editions a cite").all_inner_texts()
    assert len(set(titles)) == 3 and all(titles)
    page.locator(".readable-editions a", has_text="فارسی").click()
    page.wait_for_url(re.compile(r"/fa/posts/16004$"))


def test_an_edition_without_the_article_is_marked_in_the_menu(page):
    page.goto("/en/posts/16004")
    page.locator(".editions-menu summary").click()
    entry = page.locator(".editions-menu a.unavailable")
    assert entry.count() == 1
    assert "Shqip" in entry.inner_text()
    entry.click()
    page.wait_for_url(re.compile(r"/sq/$"))


BODY_FONTS = {"ar": "Noto Naskh Arabic", "fa": "Vazirmatn"}


@pytest.mark.parametrize("code", ["ar", "fa", "sq"])
def test_article_pages_are_screenshotted_for_review(page, screenshots, code):
    page.goto(f"/{code}/posts/16001")
    page.evaluate("document.fonts.ready")
    if code in BODY_FONTS:
        # The shipped web font, not a system fallback, renders the body text.
        assert page.evaluate(f"document.fonts.check('16px \"{BODY_FONTS[code]}\"', 'متن')")
    page.screenshot(path=str(screenshots / f"article-{code}.png"), full_page=True)
