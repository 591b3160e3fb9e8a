"""``editions dashboard``: keep the day's counts for the "up to date over time" chart."""

from __future__ import annotations

from datetime import date, timedelta

import click
from flask.cli import AppGroup

from editions.translation.dashboard import CHART_DAYS, record_snapshot, summary
from editions.translation.progress import fill_missing_days
from webapp.database import db, settings


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
