"""``editions articles`` (import, export, attach, detach, files), ``editions authors`` and
``editions search reindex``."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from editions.content.articles import name_author
from editions.content.attachments import Attachment, attach, attachments_of, remove_attachment
from editions.content.intake import (
    ExportedFile,
    Outcome,
    Skipped,
    export_articles,
    import_in_batches,
    read_sources,
)
from editions.content.search import reindex
from editions.core.models import Article, Author
from webapp.cli.options import batch_options, user_named
from webapp.database import db, settings

# ------------------------------------------------------------------ articles


@click.group(cls=AppGroup)
def articles() -> None:
    """Articles in and out as Markdown files with front matter, or JSON Lines."""


@articles.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--user", "username", help="Record the revisions as made by this user.")
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the valid files even when others have problems (default: import nothing).",
)
@click.option(
    "--minor",
    is_flag=True,
    help="Revised sources are minor edits (a typo, punctuation): translations stay current. "
    "Refused for a file where a number or a link changes.",
)
@click.option("--note", default="", help="Why the sources changed, for files without a 'note'.")
@batch_options
def articles_import(
    paths: tuple[Path, ...],
    username: str | None,
    skip_invalid: bool,
    minor: bool,
    note: str,
    batch_size: int,
    batch_seconds: float,
) -> None:
    """Import article files (.md, .jsonl) or folders of them; importing twice changes nothing.

    Every file is checked and a report line says what happened to each. When one has a
    problem, nothing is imported, unless --skip-invalid is given: then each valid file
    lands whole and each bad one not at all. A source file's front matter may carry a
    'note' saying why it changed: it is kept in the article's history (and a minor edit
    needs one, here or in --note).

    Articles are committed --batch-size at a time (or about --batch-seconds of work), so
    the site goes on working while a large folder imports. A file refused only when it
    is applied stops the import at its batch: the batches before it stay imported and
    the report says so. Running the same import again, after fixing the file or after
    an interrupt, resumes: what is already imported is left unchanged.
    """
    user = user_named(username)
    items = list(read_sources(paths))
    with click.progressbar(length=len(items), label="Importing", file=sys.stderr) as bar:
        result = import_in_batches(
            db(),
            settings().editions,
            items,
            skip_invalid=skip_invalid,
            batch_size=batch_size,
            batch_seconds=batch_seconds,
            user=user,
            progress=bar.update,
            minor=minor,
            note=note,
        )
    totals = Counter(report.outcome for report in result.reports)
    for report in result.reports:
        if report.outcome is Outcome.FAILED:
            click.echo(f"failed     {report.message}")
        else:
            click.echo(f"{report.outcome.value:<10} {report.name}")
    click.echo(", ".join(f"{totals[outcome]} {outcome.value}" for outcome in Outcome))
    failed = totals[Outcome.FAILED]
    if failed and not skip_invalid:
        if result.committed:
            click.echo(
                f"{result.imported_files} files were imported in the first {result.committed} "
                f"of {result.batches} batches; nothing from batch {result.committed + 1} on: "
                f"{failed} files have problems (fix them and import again: the files "
                "already imported stay unchanged; or import the valid ones with --skip-invalid)",
                err=True,
            )
        else:
            click.echo(
                f"nothing was imported: {failed} files have problems "
                "(fix them, or import the valid ones with --skip-invalid)",
                err=True,
            )
    if failed:
        sys.exit(1)


@articles.command("export")
@click.argument("destination", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output",
    type=click.Choice(["markdown", "jsonl"]),
    default="markdown",
    show_default=True,
    help="A folder of <id>/<edition>.md files, or one JSON Lines file ('-' for stdout).",
)
@click.option("--article", "article_ids", type=int, multiple=True, help="Only this article.")
def articles_export(destination: Path, output: str, article_ids: tuple[int, ...]) -> None:
    """Write articles in the format import reads, so a site moves in and out losslessly."""
    items = list(export_articles(db(), list(article_ids) or None))
    files = [item for item in items if isinstance(item, ExportedFile)]
    if output == "jsonl":
        lines = "".join(file.json_line() + "\n" for file in files)
        if str(destination) == "-":
            click.echo(lines, nl=False)
        else:
            destination.write_text(lines, encoding="utf-8")
    else:
        for file in files:
            path = destination / file.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(file.markdown(), encoding="utf-8")
    for item in items:
        if isinstance(item, Skipped):
            click.echo(f"skipped article {item.article_id} {item.edition}: {item.reason}", err=True)
    click.echo(f"{len(files)} files exported", err=str(destination) == "-")


@articles.command("attach")
@click.argument("article_id", type=int)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--edition", help="Only this edition lists it (default: every edition).")
@click.option("--title", default="", help="What readers see (default: the file's name).")
@click.option("--user", "username", help="Record the attachment as made by this user.")
def articles_attach(
    article_id: int, path: Path, edition: str | None, title: str, username: str | None
) -> None:
    """Attach a file (video, audio, PDF, office document) for readers to download.

    Its type is read from its content; it streams into the shared store a chunk at a
    time, within EDITIONS_MAX_ATTACHMENT_MB.
    """
    article = db().get(Article, article_id)
    if article is None:
        raise click.BadParameter(f"there is no article {article_id}", param_hint="ARTICLE_ID")
    user = user_named(username)
    with (
        path.open("rb") as upload,
        click.progressbar(length=path.stat().st_size, label="Attaching", file=sys.stderr) as bar,
    ):
        attachment = attach(
            db(),
            article,
            upload,
            filename=path.name,
            editions=settings().editions,
            max_bytes=settings().max_attachment_bytes,
            edition=edition,
            title=title,
            user=user,
            progress=bar.update,
        )
    db().commit()
    click.echo(
        f"attachment {attachment.id}: {attachment.filename} ({attachment.media_type}, "
        f"{attachment.size} bytes) for {attachment.edition or 'every edition'}"
    )


@articles.command("detach")
@click.argument("article_id", type=int)
@click.argument("attachment_id", type=int)
@click.option("--user", "username", help="Record the removal as made by this user.")
def articles_detach(article_id: int, attachment_id: int, username: str | None) -> None:
    """Remove an attached file from an article (``editions articles files ID`` lists them)."""
    attachment = db().get(Attachment, attachment_id)
    if attachment is None or attachment.article_id != article_id:
        raise click.BadParameter(
            f"article {article_id} has no attachment {attachment_id}", param_hint="ATTACHMENT_ID"
        )
    remove_attachment(db(), attachment, user_named(username))
    db().commit()
    click.echo(f"removed attachment {attachment_id}: {attachment.filename}")


@articles.command("files")
@click.argument("article_id", type=int)
def articles_files(article_id: int) -> None:
    """List an article's attached files: id, edition, type, size, name and title."""
    for found in attachments_of(db(), article_id):
        click.echo(
            f"{found.id}\t{found.edition or '*'}\t{found.media_type}\t{found.size}\t"
            f"{found.filename}\t{found.title}"
        )


# ------------------------------------------------------------------ authors


@click.group(cls=AppGroup)
def authors() -> None:
    """Bylines: an author's name as each edition writes it."""


@authors.command("list")
def authors_list() -> None:
    """Every author: slug, source form, then each edition's form."""
    for author in db().scalars(select(Author).order_by(Author.slug)):
        forms = ", ".join(f"{entry.edition}: {entry.name}" for entry in author.names)
        click.echo(f"{author.slug}\t{author.name}" + (f"\t{forms}" if forms else ""))


@authors.command("name")
@click.argument("slug")
@click.argument("name")
@click.option("--edition", required=True, help="The edition whose form this is, e.g. fa.")
def authors_name(slug: str, name: str, edition: str) -> None:
    """Set how EDITION writes the author SLUG's NAME ("" goes back to the source form)."""
    author = name_author(db(), settings().editions, slug, edition, name)
    db().commit()
    click.echo(f"{author.slug} in {edition}: {author.name_in(edition)}")


# ------------------------------------------------------------------ search


@click.group(cls=AppGroup)
def search() -> None:
    """Full-text search over counterparts."""


@search.command("reindex")
def search_reindex() -> None:
    """Rebuild every counterpart's search entry (after `editions synth`, or an upgrade)."""
    count = reindex(db())
    db().commit()
    click.echo(f"{count} counterparts indexed")
