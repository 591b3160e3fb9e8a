"""``editions newsletter render``, ``send`` and ``pdf``: an issue's email and PDF per edition."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from editions.newsletter.email import (
    EmailError,
    SmtpSettings,
    build_message,
    check_addresses,
    send,
    sender_address,
)
from webapp.database import db, settings
from webapp.newsletter_output.outputs import issue_email, issue_pdf


@click.group(cls=AppGroup)
def newsletter() -> None:
    """Newsletter issues as email and PDF, per edition."""


@contextmanager
def _on_the_site(site_url: str | None) -> Iterator[str]:
    """A request on the public site's address, so every link in the output is absolute."""
    base = (site_url or settings().site_url or "").rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise click.UsageError(
            "links in an email or a PDF name the public site: set EDITIONS_SITE_URL "
            "(e.g. https://news.example.org) or pass --site-url"
        )
    with current_app.test_request_context("/", base_url=base):
        yield base


def _edition(code: str) -> str:
    if code not in settings().editions:
        raise click.BadParameter(
            f"unknown edition {code!r}; this site publishes: {', '.join(settings().editions)}",
            param_hint="--edition",
        )
    return code


_NUMBER = click.argument("number", type=click.IntRange(1))
_EDITION = click.option("--edition", "code", required=True, help="The edition's code (fa, ar…).")
_SITE = click.option("--site-url", help="The public site's address (default: EDITIONS_SITE_URL).")
_ANYWAY = click.option(
    "--anyway",
    is_flag=True,
    help="Send an edition that is not ready: the issue's policy for missing articles applies.",
)


@newsletter.command("render")
@_NUMBER
@_EDITION
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Default: stdout.")
@_SITE
@_ANYWAY
def render(number: int, code: str, output: Path | None, site_url: str | None, anyway: bool):
    """Write issue NUMBER's email in an edition as an .eml file (multipart/alternative).

    An edition that is not ready is refused, saying what is missing or stale, unless
    --anyway: then the issue's policy leaves the missing articles out or links them to
    the original.
    """
    smtp = _smtp_settings()
    with _on_the_site(site_url) as base:
        message = build_message(
            issue_email(number, _edition(code), anyway=anyway),
            sender=sender_address(smtp.sender if smtp else None, base),
        )
    data = message.as_bytes()
    if output is None:
        sys.stdout.buffer.write(data)
        return
    output.write_bytes(data)
    click.echo(f"{output}: issue {number} in {code}, {len(data)} bytes", err=True)


@newsletter.command("send")
@_NUMBER
@_EDITION
@click.option("--to", "recipients", multiple=True, required=True, help="A recipient (repeatable).")
@_SITE
@_ANYWAY
def send_command(
    number: int, code: str, recipients: tuple[str, ...], site_url: str | None, anyway: bool
):
    """Send issue NUMBER's email in an edition through the SMTP server (EDITIONS_SMTP_*),
    one message per recipient; refused as 'render' refuses unless --anyway."""
    smtp = _smtp_settings()
    if smtp is None:
        raise click.UsageError(
            "no SMTP server is configured: set EDITIONS_SMTP_HOST (and EDITIONS_SMTP_PORT, "
            "_USER, _PASSWORD, _STARTTLS, _FROM as your server needs)"
        )
    with _on_the_site(site_url) as base:
        addresses = check_addresses(recipients)
        message = build_message(
            issue_email(number, _edition(code), anyway=anyway),
            sender=sender_address(smtp.sender, base),
        )
        send(message, smtp, addresses)
    click.echo(f"issue {number} in {code} sent to {len(addresses)} recipient(s)")


@newsletter.command("pdf")
@_NUMBER
@_EDITION
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@_SITE
def pdf_command(number: int, code: str, output: Path, site_url: str | None):
    """Write issue NUMBER's PDF in an edition (the kept one while its inputs are unchanged)."""
    with _on_the_site(site_url):
        _key, data = issue_pdf(number, _edition(code))
    db().commit()  # the PDF is kept for the next request
    output.write_bytes(data)
    click.echo(f"{output}: issue {number} in {code}, {len(data)} bytes")


def _smtp_settings() -> SmtpSettings | None:
    try:
        return SmtpSettings.from_env()
    except EmailError as error:
        raise click.UsageError(str(error)) from None
