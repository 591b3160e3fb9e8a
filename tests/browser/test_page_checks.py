"""Every page type, reader and staff, in every edition, checked in a real Chromium:

- axe-core (installed by ``make page-checkers``) finds no accessibility violation;
- in Persian and Arabic, staff pages keep their columns' proportions, nothing overflows
  the viewport at 360 and 1280 pixels, and arrows point the way the text reads;
- screenshots of the editor, the dashboard and the exchange page in fa and ar sit next
  to the reader's in ``tests/screenshots/`` for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from editions.core.settings import DEFAULT_EDITIONS, PROJECT_ROOT
from tests.pages import Page, every_page, sign_in_form

pytestmark = pytest.mark.browser

AXE = PROJECT_ROOT / ".checkers" / "node_modules" / "axe-core" / "axe.min.js"
RTL = ["fa", "ar"]
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wider = [...document.querySelectorAll('body *')].filter(element => {
    const box = element.getBoundingClientRect();
    if (!box.width || !element.checkVisibility()) return false;
    for (let up = element.parentElement; up; up = up.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(up).overflowX)) return false;
    }
    return box.right > width + 1 || box.left < -1;
  }).map(element => element.tagName.toLowerCase() + '.' + element.className);
  return {page: document.documentElement.scrollWidth - width, wider: wider.slice(0, 5)};
}"""
AXE_RUN = """async () => {
  const found = await axe.run(document, {resultTypes: ['violations']});
  return found.violations.map(v =>
    `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`);
}"""


@pytest.fixture(scope="module")
def axe_source() -> Path:
    if not AXE.is_file():
        pytest.skip(f"{AXE} is missing: run 'make page-checkers' (npm install axe-core)")
    return AXE


def open_context(browser, live_server, code: str, width: int = 1280, axe: Path | None = None):
    """A browsing context in ``code``'s interface language (the ``edition`` cookie).

    axe is added as an init script: Playwright injects it without going through the
    page, so no Content-Security-Policy of the site has to allow it.
    """
    context = browser.new_context(
        base_url=live_server, locale="en-US", viewport={"width": width, "height": 900}
    )
    host = live_server.split("//", 1)[1].split(":", 1)[0]
    context.add_cookies([{"name": "edition", "value": code, "domain": host, "path": "/"}])
    if axe is not None:
        context.add_init_script(path=str(axe))
    return context


def visit(context, page_object, signed_in: set[str], page: Page):
    if page.account and page.account not in signed_in:
        context.clear_cookies(name="session")
        response = context.request.post("/login", form=sign_in_form(page.account), max_redirects=0)
        assert response.status == 302, page
        signed_in.clear()
        signed_in.add(page.account)
    if not page.account and signed_in:
        context.clear_cookies(name="session")
        signed_in.clear()
    response = page_object.goto(page.path)
    assert response is not None and response.status == page.status, page
    return response


@pytest.mark.parametrize("code", DEFAULT_EDITIONS)
def test_axe_finds_no_violation_on_any_page_type(
    browser, live_server, axe_source, screenshots, code
):
    """At 1280 px; in Persian and Arabic each page is also checked to fit the viewport
    (the 360 px check is below) and the staff pages a reviewer looks at are captured."""
    context = open_context(browser, live_server, code, axe=axe_source)
    tab = context.new_page()
    signed_in: set[str] = set()
    found = []
    try:
        for page in every_page(code):
            visit(context, tab, signed_in, page)
            violations = tab.evaluate(AXE_RUN)
            found += [f"{code} {page.name} {page.path}: {violation}" for violation in violations]
            if code in RTL:
                assert tab.evaluate(OVERFLOW) == {"page": 0, "wider": []}, (code, page)
                if page.name in ("editor", "dashboard", "exchange"):
                    shot = screenshots / f"{page.name}-{code}.png"
                    tab.screenshot(path=str(shot), full_page=True)
    finally:
        context.close()
    assert not found, "\n".join(found)


# ------------------------------------------------------------------ layout in RTL

STAFF_LAYOUT = [
    Page("editor", "/dashboard/fa/posts/16009", "admin"),
    Page("editor, no counterpart yet", "/dashboard/sq/posts/16004", "admin"),
    Page("dashboard", "/dashboard/?per_page=10", "admin"),
    Page("exchange", "/dashboard/exchange/", "admin"),
    Page("users", "/admin/users", "admin"),
    Page("authoring", "/dashboard/articles/16009/edit", "admin"),
]


@pytest.mark.parametrize("code", RTL)
def test_staff_pages_fit_a_phones_viewport_in_rtl(browser, live_server, code):
    width = 360
    context = open_context(browser, live_server, code, width=width)
    tab = context.new_page()
    signed_in: set[str] = set()
    try:
        for page in STAFF_LAYOUT:
            visit(context, tab, signed_in, page)
            assert tab.locator("html").get_attribute("dir") == "rtl"
            overflow = tab.evaluate(OVERFLOW)
            assert overflow == {"page": 0, "wider": []}, (code, width, page.name, overflow)
    finally:
        context.close()


@pytest.mark.parametrize("code", RTL)
def test_the_editors_columns_keep_their_proportions_in_rtl(browser, live_server, code):
    context = open_context(browser, live_server, code)
    tab = context.new_page()
    try:
        visit(context, tab, set(), Page("editor", "/dashboard/fa/posts/16009", "admin"))
        segment = tab.locator(".dash-segment").nth(2)
        meta, source, target = (
            segment.locator(selector).bounding_box()
            for selector in (".dash-segment-meta", ".dash-source", ".dash-target")
        )
        # Source and target share the room equally; the narrow key column starts the
        # line, at the right in a right-to-left interface.
        assert abs(source["width"] - target["width"]) <= 2
        assert source["width"] > 3 * meta["width"]
        assert meta["x"] > source["x"] > target["x"]

        visit(context, tab, {"admin"}, Page("no counterpart", "/dashboard/sq/posts/16004", "admin"))
        segment = tab.locator(".dash-preview .dash-segment").first
        meta = segment.locator(".dash-segment-meta").bounding_box()
        source = segment.locator(".dash-source").bounding_box()
        whole = segment.bounding_box()
        assert source["width"] > 0.75 * whole["width"]  # not squeezed into the key column
        assert meta["x"] > source["x"]
    finally:
        context.close()


@pytest.mark.parametrize("code", RTL)
def test_arrows_point_the_way_the_text_reads(browser, live_server, code):
    context = open_context(browser, live_server, code)
    tab = context.new_page()
    try:
        visit(context, tab, set(), Page("dashboard", "/dashboard/?per_page=10", "admin"))
        arrow = tab.locator(".dash-pages .arrow").first
        assert arrow.evaluate("e => getComputedStyle(e).transform") == "matrix(-1, 0, 0, 1, 0, 0)"
        next_link = tab.locator('.dash-pages a[rel="next"]').bounding_box()
        page_count = tab.locator(".dash-pages > span").bounding_box()
        assert next_link["x"] < page_count["x"]  # "next" lies to the left in RTL
    finally:
        context.close()


def test_persian_ordered_lists_count_in_persian_digits(page):
    page.goto("/fa/newsletter/128")
    style = page.locator(".inside").first.evaluate("e => getComputedStyle(e).listStyleType")
    assert style == "persian"
    page.goto("/ar/newsletter/128")
    assert (
        page.locator(".inside").first.evaluate("e => getComputedStyle(e).listStyleType")
        == "decimal"
    )  # CLDR: generic Arabic counts in Latin digits
