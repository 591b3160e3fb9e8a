"""An issue's email per edition: written as .eml, previewed in the dashboard, sent over a
real SMTP server (aiosmtpd on loopback) and read back with the standard ``email`` package."""

from __future__ import annotations

import email
import json
import re
import shutil
import socket
import subprocess
from email.message import EmailMessage
from email.policy import default
from html.parser import HTMLParser
from pathlib import Path

import pytest

from editions.newsletter import Composition, MissingItems, compose, get_issue
from editions.newsletter.email import RLM, EmailError, SmtpSettings
from tests.newsletter_output import PERSIAN_DATE, SITE, make_issue_128
from tests.test_html_validity import VNU
from tests.test_newsletter import INTRODUCTIONS

RTL = {"ar", "fa"}


@pytest.fixture
def issue(session, editions):
    return make_issue_128(session, editions)


def render(run_cli, tmp_path: Path, code: str, *extra: str) -> tuple[object, EmailMessage | None]:
    path = tmp_path / f"128-{code}.eml"
    result = run_cli(
        "newsletter", "render", "128", "--edition", code, "--site-url", SITE,
        "--output", str(path), *extra,
    )  # fmt: skip
    if result.exit_code != 0:
        return result, None
    return result, email.message_from_bytes(path.read_bytes(), policy=default)


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.root: dict[str, str | None] = {}
        self.styles = 0
        self.style_blocks = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "html":
            self.root = values
        if tag == "style":
            self.style_blocks += 1
        if "style" in values:
            self.styles += 1
        for name in ("href", "src"):
            if values.get(name):
                self.urls.append(values[name])


def parts(message: EmailMessage) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


@pytest.mark.parametrize("code", ["en", "ar"])
def test_a_ready_edition_renders_a_multipart_alternative_email(run_cli, tmp_path, issue, code):
    result, message = render(run_cli, tmp_path, code)
    assert result.exit_code == 0, result.output
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    assert message["Content-Language"] == code
    assert message["From"] == "newsletter@news.example.org"
    text, html = parts(message)
    links = Links()
    links.feed(html)
    direction = "rtl" if code in RTL else "ltr"
    assert links.root == {"lang": code, "dir": direction}
    # The stylesheet is in style attributes (mail clients drop <style>); the layout is tables.
    assert links.style_blocks == 0 and links.styles > 10
    assert html.count('role="presentation"') >= 2
    # Every link and image is absolute, on the site, and leads to this edition's pages.
    assert links.urls and all(url.startswith(f"{SITE}/{code}/") for url in links.urls), links.urls
    assert f"{SITE}/{code}/newsletter/128" in links.urls
    assert f"{SITE}/{code}/posts/2" in links.urls and f"{SITE}/{code}/posts/1" in links.urls
    assert "<" not in text and ">" not in text and "&" not in text
    assert f"{SITE}/{code}/newsletter/128" in text


def test_subject_preheader_and_text_are_the_persian_issue(run_cli, tmp_path, issue):
    result, message = render(run_cli, tmp_path, "fa", "--anyway")
    assert result.exit_code == 0, result.output
    title = INTRODUCTIONS["fa"].title
    # The number in Persian digits, the title from the issue's translated text.
    assert message["Subject"] == f"خبرنامهٔ شمارهٔ ۱۲۸: {title}"
    text, html = parts(message)
    preheader = html.split('class="preheader"')[1].split(">", 1)[1].split("</div>")[0]
    assert PERSIAN_DATE in preheader and INTRODUCTIONS["fa"].summary in preheader
    assert "2026" not in text and "2026" not in preheader
    # Right to left in any mail client: every line of the plain text opens with a RLM.
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines and all(line.startswith(RLM) for line in lines)
    assert title in text and INTRODUCTIONS["fa"].body.strip() in text
    assert not re.search(r"[<>*#_`\[\]]|&[a-z]+;", text), text


def test_an_edition_that_is_not_ready_is_refused_unless_sent_anyway(run_cli, tmp_path, issue):
    result, message = render(run_cli, tmp_path, "fa")
    assert result.exit_code == 1 and message is None
    assert "issue 128 is not ready in fa" in result.output
    assert "1 of 2 articles has no Persian counterpart" in result.output
    assert "link the missing articles to the original" in result.output
    assert not (tmp_path / "128-fa.eml").exists()


def test_sent_anyway_the_issues_policy_decides_the_missing_articles(
    run_cli, tmp_path, session, issue
):
    _result, linked = render(run_cli, tmp_path, "fa", "--anyway")
    text, html = parts(linked)
    assert f'href="{SITE}/en/posts/2" hreflang="en" lang="en" dir="ltr"' in html
    assert "انگلیسی" in text  # the note names the original's language, in Persian
    compose(session, get_issue(session, 128), Composition([2, 1], {}, MissingItems.LEAVE_OUT))
    session.commit()
    _result, left_out = render(run_cli, tmp_path, "fa", "--anyway")
    text, html = parts(left_out)
    assert "/posts/2" not in html and "/posts/2" not in text
    assert f"{SITE}/fa/posts/1" in html


def test_an_edition_without_the_issues_text_is_refused_even_anyway(
    run_cli, tmp_path, session, editions, issue
):
    from editions.content.articles import get_counterpart
    from editions.core.models import PublicationState

    get_counterpart(session, 900, "sq").state = PublicationState.DRAFT
    session.commit()
    result, _message = render(run_cli, tmp_path, "sq", "--anyway")
    assert result.exit_code == 1
    assert "issue 128 has no published text in sq yet" in result.output
    result, _message = render(run_cli, tmp_path, "en", "--edition", "xx")
    assert result.exit_code == 2 and "unknown edition 'xx'" in result.output


def test_links_need_the_public_sites_address(run_cli, issue):
    result = run_cli("newsletter", "render", "128", "--edition", "en")
    assert result.exit_code == 2 and "EDITIONS_SITE_URL" in result.output


# ------------------------------------------------------------------ sending


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free loopback port, in a thread; yields what it received."""
    from aiosmtpd.controller import Controller

    received: list[tuple[str, list[str], bytes]] = []

    class Keep:
        async def handle_DATA(self, _server, _session, envelope):
            received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port, received
    controller.stop()


def smtp_env(port: int) -> dict[str, str]:
    return {
        "EDITIONS_SMTP_HOST": "127.0.0.1",
        "EDITIONS_SMTP_PORT": str(port),
        "EDITIONS_SMTP_STARTTLS": "false",
        "EDITIONS_SMTP_FROM": "Editions <letters@news.example.org>",
    }


def test_send_delivers_the_email_through_the_smtp_server(run_cli, issue, smtp_server):
    port, received = smtp_server
    result = run_cli(
        "newsletter", "send", "128", "--edition", "ar", "--site-url", SITE,
        "--to", "reader@example.org", "--to", "other@example.net",
        env=smtp_env(port),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "sent to 2 recipient(s)" in result.output
    # One message per recipient, each addressed to that reader alone.
    assert [(sender, recipients) for sender, recipients, _data in received] == [
        ("letters@news.example.org", ["reader@example.org"]),
        ("letters@news.example.org", ["other@example.net"]),
    ]
    first, second = (email.message_from_bytes(data, policy=default) for *_, data in received)
    assert (first["To"], second["To"]) == ("reader@example.org", "other@example.net")
    assert first["Message-ID"] != second["Message-ID"]
    assert first["Subject"] == f"النشرة الإخبارية، العدد 128: {INTRODUCTIONS['ar'].title}"
    text, html = parts(first)
    assert '<html lang="ar" dir="rtl">' in html.replace("<!DOCTYPE html>", "")
    assert INTRODUCTIONS["ar"].title in text


def test_sending_refuses_bad_recipients_and_reports_an_unreachable_server(run_cli, issue):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    args = ("newsletter", "send", "128", "--edition", "en", "--site-url", SITE, "--to")
    result = run_cli(*args, "not an address", env=smtp_env(port))
    assert result.exit_code == 1 and "is not an email address" in result.output
    result = run_cli(*args, "reader@example.org", env=smtp_env(port))
    assert result.exit_code == 1
    assert f"the SMTP server 127.0.0.1:{port} did not take the message" in result.output
    result = run_cli(*args, "reader@example.org", env={"EDITIONS_SMTP_HOST": ""})
    assert result.exit_code == 2 and "EDITIONS_SMTP_HOST" in result.output


def test_smtp_settings_come_typed_from_the_environment():
    assert SmtpSettings.from_env({}) is None
    smtp = SmtpSettings.from_env(
        {
            "EDITIONS_SMTP_HOST": "mail.example.org",
            "EDITIONS_SMTP_PORT": "465",
            "EDITIONS_SMTP_USER": "letters",
            "EDITIONS_SMTP_PASSWORD": "secret",
            "EDITIONS_SMTP_STARTTLS": "no",
        }
    )
    assert smtp == SmtpSettings("mail.example.org", 465, "letters", "secret", False, None)
    for variable, value in (("EDITIONS_SMTP_PORT", "smtp"), ("EDITIONS_SMTP_STARTTLS", "maybe")):
        with pytest.raises(EmailError, match=variable):
            SmtpSettings.from_env({"EDITIONS_SMTP_HOST": "mail.example.org", variable: value})


# ------------------------------------------------------------------ the dashboard's preview


def test_coordinators_preview_the_email_in_a_sandboxed_frame(client, sign_in, issue):
    sign_in(client, "coordinator")
    page = client.get("/dashboard/newsletter/128/email/fa")
    assert page.status_code == 200
    html = page.text
    assert 'sandbox=""' in html and 'src="/dashboard/newsletter/128/email/fa.html"' in html
    assert "issue 128 is not ready in fa" in html  # why it would be refused, said first
    assert '<pre class="email-text" lang="fa" dir="rtl">' in html
    assert INTRODUCTIONS["fa"].title in html
    frame = client.get("/dashboard/newsletter/128/email/fa.html")
    assert frame.status_code == 200 and frame.mimetype == "text/html"
    assert "sandbox" in frame.headers["Content-Security-Policy"]
    assert "script-src" not in frame.headers["Content-Security-Policy"]
    assert '<html lang="fa" dir="rtl">' in frame.text
    assert "ready to send" in client.get("/dashboard/newsletter/128/email/ar").text
    assert client.get("/dashboard/newsletter/999/email/fa").status_code == 404
    assert client.get("/dashboard/newsletter/128/email/xx").status_code == 404


@pytest.mark.parametrize("role", ["translator", "editor"])
def test_only_coordinators_preview_emails(client, sign_in, issue, role):
    sign_in(client, role, ["fa"])
    assert client.get("/dashboard/newsletter/128/email/fa").status_code == 403
    assert client.get("/dashboard/newsletter/128/email/fa.html").status_code == 403


def test_the_preview_asks_to_sign_in(client, issue):
    assert client.get("/dashboard/newsletter/128/email/fa").status_code == 302


# ------------------------------------------------------------------ the page checks


def test_every_editions_email_is_valid_html(run_cli, tmp_path, issue):
    """The HTML part passes the W3C Nu checker, as every page does (tests/test_html_validity)."""
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        pytest.skip("java or vnu.jar is missing: 'make page-checkers' installs them")
    files = []
    for code in ("en", "ar", "fa", "sq"):
        _result, message = render(run_cli, tmp_path, code, "--anyway")
        path = tmp_path / f"{code}.html"
        path.write_text(parts(message)[1], encoding="utf-8")
        files.append(str(path))
    run = subprocess.run(
        [java, "-Xss8m", "-jar", str(VNU), "--format", "json", "--exit-zero-always",
         "--no-langdetect", *files],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    messages = json.loads(run.stderr)["messages"]
    errors = [
        f"{message.get('url')}: line {message.get('lastLine')}: {message['message']}"
        for message in messages
        if message["type"] in ("error", "non-document-error")
    ]
    assert not errors, "\n".join(errors)
