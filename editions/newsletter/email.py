"""An issue as an email: a multipart/alternative message, and sending it over SMTP.

The web layer renders the two bodies (an HTML document and its plain-text twin) from
the issue's contents in the edition's language; this module makes them mail: CSS moved
into ``style`` attributes (mail clients drop ``<style>`` blocks), headers encoded for any
script (RFC 2047 through the standard library's SMTP policy), and the SMTP settings read
from the environment.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr
from html.parser import HTMLParser
from urllib.parse import urlsplit

import css_inline

from editions.core.errors import EditionsError
from editions.core.messages import _l
from editions.core.models import utcnow

# Right-to-left mark: a plain-text line has no dir attribute; starting each line of a
# right-to-left edition with one makes a mail client lay it out right to left even when
# it opens with a digit or a Latin name.
RLM = "\u200f"
SMTP_TIMEOUT_SECONDS = 20


class EmailError(EditionsError):
    """An email Editions cannot make or send, with the reason."""


@dataclass(frozen=True)
class SmtpSettings:
    """The SMTP server newsletters go out through (``EDITIONS_SMTP_*``)."""

    host: str
    port: int = 587
    user: str | None = None
    password: str | None = None
    starttls: bool = True
    sender: str | None = None  # the From address; see ``sender_address``

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SmtpSettings | None:
        """Settings from ``EDITIONS_SMTP_HOST``, ``_PORT``, ``_USER``, ``_PASSWORD``,
        ``_STARTTLS`` (1/0, true/false) and ``_FROM``; None when no host is set."""
        env = os.environ if environ is None else environ
        host = env.get("EDITIONS_SMTP_HOST", "").strip()
        if not host:
            return None
        port = env.get("EDITIONS_SMTP_PORT", "587").strip()
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise EmailError(_l("EDITIONS_SMTP_PORT is a port number, not “%(value)s”"), value=port)
        starttls = env.get("EDITIONS_SMTP_STARTTLS", "true").strip().lower()
        if starttls not in ("1", "0", "true", "false", "yes", "no"):
            raise EmailError(
                _l("EDITIONS_SMTP_STARTTLS is true or false, not “%(value)s”"), value=starttls
            )
        return cls(
            host=host,
            port=int(port),
            user=env.get("EDITIONS_SMTP_USER") or None,
            password=env.get("EDITIONS_SMTP_PASSWORD") or None,
            starttls=starttls in ("1", "true", "yes"),
            sender=env.get("EDITIONS_SMTP_FROM") or None,
        )


def sender_address(configured: str | None, site_url: str) -> str:
    """The From address: the configured one, else ``newsletter@`` the site's host."""
    if configured:
        return configured
    host = urlsplit(site_url).hostname or "localhost"
    return f"newsletter@{host}"


@dataclass(frozen=True)
class RenderedEmail:
    """An issue's email in one edition, before it is addressed."""

    language: str
    direction: str
    subject: str
    html: str  # a whole document, CSS still in its <style> block
    text: str


def inline_css(html: str) -> str:
    """The document with its stylesheet moved into ``style`` attributes."""
    return css_inline.inline(html)


def rtl_text(text: str) -> str:
    """Plain text laid out right to left in any mail client (see ``RLM``)."""
    return "\n".join(RLM + line if line.strip() else line for line in text.split("\n"))


def build_message(rendered: RenderedEmail, *, sender: str) -> EmailMessage:
    """A multipart/alternative message: the plain text first, the HTML (preferred) last;
    ``send`` addresses it."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = rendered.subject
    message["From"] = sender
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=_domain(sender))
    text = rtl_text(rendered.text) if rendered.direction == "rtl" else rendered.text
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(inline_css(rendered.html), subtype="html", charset="utf-8")
    # After the parts exist: making the message multipart moves Content-* headers into
    # its first part.
    message["Content-Language"] = rendered.language
    for part in message.iter_parts():
        part["Content-Language"] = rendered.language
    return message


def check_addresses(addresses: Sequence[str]) -> list[str]:
    """Recipients as given, each a plain address (user@host), or a clear refusal."""
    checked = []
    for address in addresses:
        try:
            parsed = Address(addr_spec=address.strip())
        except (ValueError, IndexError):
            raise EmailError(_l("“%(address)s” is not an email address"), address=address) from None
        if not parsed.username or ("." not in parsed.domain and parsed.domain != "localhost"):
            raise EmailError(_l("“%(address)s” is not an email address"), address=address)
        checked.append(parsed.addr_spec)
    if not checked:
        raise EmailError(_l("name at least one recipient"))
    return checked


def send(message: EmailMessage, smtp: SmtpSettings, recipients: Sequence[str]) -> None:
    """Hand the message to the SMTP server once per recipient, each addressed in ``To``
    alone (no reader sees the others' addresses); any refusal becomes one clear error."""
    refused: dict[str, object] = {}
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=SMTP_TIMEOUT_SECONDS) as server:
            if smtp.starttls:
                server.starttls(context=ssl.create_default_context())
            if smtp.user:
                server.login(smtp.user, smtp.password or "")
            for recipient in recipients:
                del message["To"]
                message["To"] = recipient
                del message["Message-ID"]
                message["Message-ID"] = make_msgid(domain=_domain(message["From"]))
                try:
                    server.send_message(message, to_addrs=[recipient])
                except smtplib.SMTPRecipientsRefused as error:
                    refused.update(error.recipients)
    except (OSError, smtplib.SMTPException) as error:
        raise EmailError(
            _l("the SMTP server %(server)s did not take the message: %(reason)s"),
            server=f"{smtp.host}:{smtp.port}",
            reason=str(error) or type(error).__name__,
        ) from error
    if refused:
        raise EmailError(
            _l("the SMTP server refused these recipients: %(recipients)s"),
            recipients=", ".join(sorted(refused)),
        )


def _domain(sender: str) -> str | None:
    return parseaddr(sender)[1].rpartition("@")[2] or None


class _TextOfHtml(HTMLParser):
    """Plain text of a sanitized article body: paragraphs apart, list items marked, a
    link's address after its words."""

    BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [next number] or [] for bullets
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS or tag == "li":
            self._end_block()
        if tag == "ol":
            start = dict(attrs).get("start") or "1"
            self.lists.append([int(start) if start.isdigit() else 1])
        elif tag == "ul":
            self.lists.append([])
        elif tag == "li":
            numbering = self.lists[-1] if self.lists else []
            if numbering:
                self.current.append(f"{numbering[0]}. ")
                numbering[0] += 1
            else:
                self.current.append("• ")
        elif tag == "a":
            self.href = dict(attrs).get("href")
        elif tag == "br":
            self.current.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.href and self.href.startswith(("http://", "https://")):
            self.current.append(f" ({self.href})")
            self.href = None
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag in self.BLOCKS or tag == "li":
            self._end_block()

    def handle_data(self, data: str) -> None:
        self.current.append(" ".join(data.split()) if data.strip() else " " if data else "")

    def _end_block(self) -> None:
        text = "".join(self.current).strip()
        if text:
            self.blocks.append(text)
        self.current = []

    def text(self) -> str:
        self._end_block()
        return "\n\n".join(self.blocks)


def html_to_text(html: str) -> str:
    """The words of an HTML fragment without markup, for the plain-text part."""
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    return parser.text()


__all__ = [
    "EmailError",
    "RenderedEmail",
    "SmtpSettings",
    "build_message",
    "check_addresses",
    "html_to_text",
    "inline_css",
    "rtl_text",
    "send",
    "sender_address",
]
