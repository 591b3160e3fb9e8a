"""``editions demo load`` and ``editions synth``: fictional articles, a few or a corpus."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select, text

from editions.core.db import is_postgresql
from editions.core.models import Article
from editions.demo import DEMO_PASSWORD, demo_folders, load_demo
from editions.demo.synth import BATCH as SYNTH_BATCH
from editions.demo.synth import generate, long_article
from editions.text.segmentation import MAX_ARTICLE_SEGMENTS
from webapp.database import db, settings


@click.group(cls=AppGroup)
def demo() -> None:
    """The demo site: fictional articles in every edition."""


@demo.command("load")
@click.option("--if-empty", is_flag=True, help="Load only into a database with no articles.")
def demo_load(if_empty: bool) -> None:
    """Load the demo articles; articles already there are left alone."""
    if if_empty and db().scalar(select(Article.id).limit(1)) is not None:
        click.echo("the database has articles already: demo not loaded")
        return
    folders = demo_folders()
    with click.progressbar(length=len(folders), label="Loading demo articles") as bar:
        report = load_demo(db(), settings().editions, progress=lambda _folder: bar.update(1))
    db().commit()
    click.echo(f"{report.created} articles loaded, {report.skipped} already there")
    if report.users:
        click.echo(
            f"demo accounts {', '.join(report.users)} created, password '{DEMO_PASSWORD}' "
            "(sign in at /login)"
        )


@click.command()
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
@with_appcontext
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
