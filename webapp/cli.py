"""The ``editions`` command: a Flask CLI group for every coordinator task."""

from __future__ import annotations

import json
from collections import Counter

import click
from flask import Flask
from flask.cli import FlaskGroup
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from editions.accounts.roles import create_user
from editions.content.status import Status, compute_status
from editions.core.db import is_postgresql
from editions.core.errors import EditionsError
from editions.core.models import Role
from editions.core.transactions import is_busy, is_retryable
from editions.demo import DEMO_PASSWORD, demo_folders, load_demo
from editions.demo.synth import BATCH as SYNTH_BATCH
from editions.demo.synth import generate, long_article
from editions.maintenance import schema
from editions.text.segmentation import MAX_ARTICLE_SEGMENTS
from webapp import create_app
from webapp.database import db, settings


def _make_app() -> Flask:
    return create_app()


class _Commands(FlaskGroup):
    """Every command; one the database keeps waiting too long says so in a sentence."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except DBAPIError as error:
            if not (is_busy(error) or is_retryable(error)):
                raise
            raise click.ClickException(
                "the database is busy with other writers and this command could not wait its "
                f"turn; what it had not committed was rolled back, run it again ({error.orig})"
            ) from None


@click.group(cls=_Commands, create_app=_make_app, add_version_option=False)
def cli() -> None:
    """Editions: counterparts, stale translations and catalogs for a multilingual site."""


def fail(error: EditionsError) -> None:
    """Turn a refused request into a clear message and exit status 1, writing nothing."""
    db().rollback()
    raise click.ClickException(str(error))


# ------------------------------------------------------------------ database


@cli.group("db")
def database() -> None:
    """Create, migrate, back up and restore the database."""


@database.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database to REVISION (default: the newest)."""
    # The instance folder: files of older versions (images) are carried into the database.
    schema.upgrade(settings().database_url, revision, settings().instance_path)
    click.echo(f"database at {revision}")


@database.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database back to REVISION ('base' empties it)."""
    schema.downgrade(settings().database_url, revision, settings().instance_path)
    click.echo(f"database at {revision}")


# ------------------------------------------------------------------ demo


@cli.group()
def demo() -> None:
    """The demo site: fictional articles in every edition."""


@demo.command("load")
@click.option("--if-empty", is_flag=True, help="Load only into a database with no articles.")
def demo_load(if_empty: bool) -> None:
    """Load the demo articles; articles already there are left alone."""
    from sqlalchemy import select

    from editions.core.models import Article

    if if_empty and db().scalar(select(Article.id).limit(1)) is not None:
        click.echo("the database has articles already: demo not loaded")
        return
    folders = demo_folders()
    try:
        with click.progressbar(length=len(folders), label="Loading demo articles") as bar:
            report = load_demo(db(), settings().editions, progress=lambda _folder: bar.update(1))
    except EditionsError as error:
        fail(error)
    db().commit()
    click.echo(f"{report.created} articles loaded, {report.skipped} already there")
    if report.users:
        click.echo(
            f"demo accounts {', '.join(report.users)} created, password '{DEMO_PASSWORD}' "
            "(sign in at /login)"
        )


# ------------------------------------------------------------------ users


@cli.group()
def users() -> None:
    """Accounts of translators, editors, coordinators and admins."""


@users.command("create")
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    required=True,
    help="What the user may do.",
)
@click.option(
    "--edition", "edition_codes", multiple=True, help="An edition they work in (repeatable)."
)
@click.option("--name", "display_name", help="The name shown to colleagues.")
@click.password_option(envvar="EDITIONS_NEW_PASSWORD", help="Asked for when not given.")
def users_create(
    username: str,
    role: str,
    edition_codes: tuple[str, ...],
    display_name: str | None,
    password: str,
) -> None:
    """Create a user (the password is asked for, or read from EDITIONS_NEW_PASSWORD)."""
    try:
        user = create_user(
            db(),
            settings().editions,
            username=username,
            password=password,
            role=role,
            edition_codes=edition_codes,
            display_name=display_name,
        )
    except EditionsError as error:
        fail(error)
    db().commit()
    click.echo(f"created {user.role.value} {user.username}")


# ------------------------------------------------------------------ status


@cli.command()
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table")
@click.option("--edition", "edition_codes", multiple=True, help="Only these editions.")
@click.option("--status", "statuses", multiple=True, type=click.Choice([s.value for s in Status]))
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


# ------------------------------------------------------------------ synth


@cli.command()
@click.option("--articles", type=click.IntRange(0, 1_000_000), required=True)
@click.option(
    "--long-article",
    "paragraphs",
    type=click.IntRange(0, MAX_ARTICLE_SEGMENTS - 2),
    default=0,
    help="Also add one article of this many paragraphs (2000: a report or a book).",
)
@click.option("--seed", type=int, default=16009, show_default=True)
@click.option(
    "--batch-size",
    type=click.IntRange(1, 100_000),
    default=SYNTH_BATCH,
    show_default=True,
    help="Articles per transaction: the site's writers wait at most one batch.",
)
def synth(articles: int, paragraphs: int, seed: int, batch_size: int) -> None:
    """Add a synthetic corpus of ARTICLES articles (~600 words, every edition) for benchmarks.

    Each batch of articles is committed on its own, so a site can keep serving meanwhile;
    an interrupted run keeps the batches it committed.
    """
    with click.progressbar(length=articles, label="Generating articles") as bar:
        added = generate(
            db(),
            list(settings().editions),
            articles,
            seed=seed,
            progress=bar.update,
            batch_size=batch_size,
        )
    if paragraphs:
        long_id = long_article(db(), settings().editions, paragraphs, seed=seed)
        db().commit()
        click.echo(f"article {long_id}: {paragraphs} paragraphs")
    if is_postgresql(db()):
        # After a bulk load the planner's statistics lag until autovacuum comes round;
        # pages planned on them meanwhile were measured 20 times slower.
        db().execute(text("ANALYZE"))
        db().commit()
    if added:
        click.echo(f"{articles} articles added, ids {added[0]}–{added[-1]}")


# ------------------------------------------------------------------ feature commands
# Each feature keeps its commands in its own module and adds them to the group here.

from webapp.commands_articles import articles, authors, tokens  # noqa: E402 - needs cli and fail

cli.add_command(articles)
cli.add_command(authors)
cli.add_command(tokens)

from webapp.commands_po import catalogs, po  # noqa: E402 - PO exchange and UI catalogs

cli.add_command(po)
cli.add_command(catalogs)

from webapp.dashboard.commands import dashboard  # noqa: E402 - the chart's daily snapshot

cli.add_command(dashboard)

from webapp.reader.commands import search  # noqa: E402 - reader: search index

cli.add_command(search)

from webapp.commands_glossary import glossary  # noqa: E402 - the glossary of terms

cli.add_command(glossary)

from webapp.commands_backup import db_backup, db_restore  # noqa: E402 - backups of the database

database.add_command(db_backup)
database.add_command(db_restore)

from webapp.newsletter_output.commands import newsletter  # noqa: E402 - email and PDF of issues

cli.add_command(newsletter)
