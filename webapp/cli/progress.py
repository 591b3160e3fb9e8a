"""``editions status`` and ``editions dashboard snapshot``: how far each edition has come."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta

import click
from flask.cli import AppGroup, with_appcontext

from editions.content.status import Status, compute_status
from editions.translation.dashboard import CHART_DAYS, record_snapshot, summary
from editions.translation.progress import fill_missing_days
from webapp.database import db, settings


@click.command()
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table")
@click.option("--edition", "edition_codes", multiple=True, help="Only these editions.")
@click.option("--status", "statuses", multiple=True, type=click.Choice([s.value for s in Status]))
@with_appcontext
def status(output: str, edition_codes: tuple[str, ...], statuses: tuple[str, ...]) -> None:
    """The status of every counterpart: missing, draft, stale or current."""
    codes = list(settings().editions)
    for code in edition_codes:
        if code not in settings().editions:
            raise click.BadParameter(f"unknown edition {code!r}", param_hint="--edition")
    rows = [
        row
        for row in compute_status(db(), codes)
        if (not edition_codes or row.edition in edition_codes)
        and (not statuses or row.status.value in statuses)
    ]
    if output == "json":
        click.echo(json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=1))
        return
    click.echo(f"{'article':>8}  {'edition':<7} {'status':<8} {'to translate':>12} {'stale':>6}")
    for row in rows:
        click.echo(
            f"{row.article_id:>8}  {row.edition:<7} {row.status.value:<8} "
            f"{row.words_to_translate:>12} {row.words_stale:>6}"
        )
    totals = Counter(row.status.value for row in rows)
    click.echo(", ".join(f"{count} {name}" for name, count in sorted(totals.items())))


@click.group("dashboard", cls=AppGroup)
def dashboard() -> None:
    """The translators' dashboard."""


@dashboard.command("snapshot")
def snapshot() -> None:
    """Record today's counts per edition (run daily, e.g. from cron; replaces today's row).

    Days of the chart's window without a snapshot are first rebuilt from the revision and
    translation history (a new site, or days the command did not run).
    """
    codes = list(settings().editions)
    today = date.today()
    filled = fill_missing_days(db(), codes, today - timedelta(days=CHART_DAYS), today)
    summaries = summary(db(), codes)
    record_snapshot(db(), summaries, today, replace=True)
    db().commit()
    if filled:
        click.echo(f"{filled} earlier days rebuilt from the history")
    for item in summaries:
        click.echo(f"{item.edition}: {item.percent_current:.1f}% up to date")
