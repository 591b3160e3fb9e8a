"""``editions dashboard``: keep the day's counts for the "up to date over time" chart."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from editions.dashboard import record_snapshot, summary
from webapp.database import db, settings


@click.group("dashboard", cls=AppGroup)
def dashboard() -> None:
    """The translators' dashboard."""


@dashboard.command("snapshot")
def snapshot() -> None:
    """Record today's counts per edition (run daily, e.g. from cron; replaces today's row)."""
    summaries = summary(db(), list(settings().editions))
    record_snapshot(db(), summaries, date.today(), replace=True)
    db().commit()
    for item in summaries:
        click.echo(f"{item.edition}: {item.percent_current:.1f}% up to date")
