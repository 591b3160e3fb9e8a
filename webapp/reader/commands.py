"""``editions search reindex``: rebuild the search entries after a bulk import."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from editions.content.search import reindex
from webapp.database import db


@click.group()
def search() -> None:
    """Full-text search over counterparts."""


@search.command("reindex")
@with_appcontext
def search_reindex() -> None:
    """Rebuild every counterpart's search entry (after `editions synth`, or an upgrade)."""
    count = reindex(db())
    db().commit()
    click.echo(f"{count} counterparts indexed")
