"""The ``editions`` command: a Flask CLI group for every coordinator task.

Each area keeps its commands in a module of this package; the root group here adds
them, and turns what the domain refuses into a one-line error (exit status 1), so no
command converts errors itself.
"""

from __future__ import annotations

import click
from flask import Flask, g, has_app_context
from flask.cli import FlaskGroup
from sqlalchemy.exc import DBAPIError

from editions.core.errors import EditionsError
from editions.core.transactions import is_busy, is_retryable
from editions.maintenance.backup import BackupError
from webapp import create_app
from webapp.cli.accounts import tokens, users
from webapp.cli.articles import articles, authors, search
from webapp.cli.database import database
from webapp.cli.demo import demo, synth
from webapp.cli.glossary import glossary
from webapp.cli.newsletter import newsletter
from webapp.cli.po import catalogs, po
from webapp.cli.progress import dashboard, status

REFUSALS = (EditionsError, BackupError)


def _make_app() -> Flask:
    return create_app()


class _Commands(FlaskGroup):
    """Every command; a refusal, or a database that keeps one waiting too long, is a sentence."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except REFUSALS as error:
            _roll_back()  # a refused command writes nothing
            raise click.ClickException(str(error)) from None
        except DBAPIError as error:
            if not (is_busy(error) or is_retryable(error)):
                raise
            raise click.ClickException(
                "the database is busy with other writers and this command could not wait its "
                f"turn; what it had not committed was rolled back, run it again ({error.orig})"
            ) from None


def _roll_back() -> None:
    # The command's app context rolls back as it ends; one pushed around the command (the
    # tests') goes on, with the command's session.
    session = g.get("db_session") if has_app_context() else None
    if session is not None:
        session.rollback()


@click.group(cls=_Commands, create_app=_make_app, add_version_option=False)
def cli() -> None:
    """Editions: counterparts, stale translations and catalogs for a multilingual site."""


for command in (
    articles,
    authors,
    catalogs,
    dashboard,
    database,
    demo,
    glossary,
    newsletter,
    po,
    search,
    status,
    synth,
    tokens,
    users,
):
    cli.add_command(command)
