"""Persian and Arabic newsletter emails laid out right to left in a real Chromium: the HTML
part of the demo's issue 127 (ready in both editions), as a mail client would show it."""

from __future__ import annotations

import email
from email.policy import default

import pytest

from editions.newsletter.email import build_message
from webapp.newsletter_output.outputs import issue_email

pytestmark = pytest.mark.browser


def html_part(demo_app, code: str) -> str:
    """The HTML part as it arrives: built, serialized and parsed back."""
    with demo_app.test_request_context("/", base_url="https://news.example.org"):
        message = build_message(issue_email(127, code), sender="letters@news.example.org")
    parsed = email.message_from_bytes(message.as_bytes(), policy=default)
    return parsed.get_body(("html",)).get_content()


@pytest.mark.parametrize("code", ["fa", "ar"])
def test_persian_and_arabic_emails_are_right_to_left(browser, demo_app, screenshots, code):
    context = browser.new_context(viewport={"width": 700, "height": 1000}, java_script_enabled=True)
    page = context.new_page()
    # Nothing leaves the machine: the email's images and links name the public site.
    page.route("**/*", lambda route: route.abort())
    page.set_content(html_part(demo_app, code))
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    title = page.locator("h1")
    assert title.evaluate("element => getComputedStyle(element).direction") == "rtl"
    # The title starts at the right edge of its cell, as Persian and Arabic are read.
    box = title.bounding_box()
    cell = title.locator("xpath=ancestor::td[1]").bounding_box()
    assert cell["x"] + cell["width"] - (box["x"] + box["width"]) < 40, (box, cell)
    items = page.locator("ol.inside li")
    assert items.count() == 5
    first = items.first.bounding_box()
    assert first["x"] + first["width"] > cell["x"] + cell["width"] - 60  # numbered at the right
    page.screenshot(path=str(screenshots / f"newsletter-email-{code}.png"), full_page=True)
    context.close()
