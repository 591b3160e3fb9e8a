"""``editions po export|import`` and ``editions catalogs check``: PO exchange from the shell."""

from __future__ import annotations

import json
from datetime import datetime
from functools import partial
from pathlib import Path

import click
from flask.cli import AppGroup

from editions.core.models import Section
from editions.exchange.catalogs import catalog_findings
from editions.exchange.export import ExportQuery, Only, count_entries, export_all, export_edition
from editions.exchange.history import record_import
from editions.exchange.importer import import_files, import_in_batches, sha256_of
from editions.exchange.pofiles import read_upload
from webapp.cli.options import batch_options, read_within_limit, user_named
from webapp.database import db, settings


@click.group("po", cls=AppGroup)
def po() -> None:
    """Send segments to translators' tools as PO files and bring the work back."""


@po.command("export")
@click.option("--edition", "code", help="One edition; without it, a .zip of every edition.")
@click.option(
    "--article", "article_ids", type=int, multiple=True, help="An article id (repeatable)."
)
@click.option("--section", type=click.Choice([section.value for section in Section]))
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Published on or after.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Published on or before.")
@click.option("--only", type=click.Choice([only.value for only in Only]), default="all")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def po_export(
    code: str | None,
    article_ids: tuple[int, ...],
    section: str | None,
    since: datetime | None,
    until: datetime | None,
    only: str,
    output: Path,
) -> None:
    """Write a PO file of one edition, or a zip with one per edition, to OUTPUT."""
    config = settings()
    query = ExportQuery.build(
        article_ids=article_ids,
        section=section,
        since=since.date() if since else None,
        until=until.date() if until else None,
        only=only,
    )
    editions = {code: config.edition(code)} if code else config.editions
    total = sum(count_entries(db(), each, query) for each in editions)
    site_url = config.site_url or ""
    with click.progressbar(length=total, label="Exporting entries") as bar:
        if code:
            with output.open("w", encoding="utf-8", newline="\n") as out:
                counts = {
                    code: export_edition(
                        db(), editions[code], query, out, site_url=site_url, progress=bar.update
                    )
                }
        else:
            with output.open("wb") as binary:
                counts = export_all(
                    db(), editions, query, binary, site_url=site_url, progress=bar.update
                )
    click.echo(", ".join(f"{count} {each} entries" for each, count in counts.items()))
    click.echo(f"written to {output}")


@po.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--edition", "code", help="The edition the file must be for.")
@click.option("--dry-run", is_flag=True, help="Show what would happen; change nothing.")
@click.option("--user", "username", help="The coordinator importing (kept in the history).")
@click.option(
    "--report", type=click.Path(dir_okay=False, path_type=Path), help="Write the report (JSON)."
)
@batch_options
def po_import(
    file: Path,
    code: str | None,
    dry_run: bool,
    username: str | None,
    report: Path | None,
    batch_size: int,
    batch_seconds: float,
) -> None:
    """Import a PO file (or a zip of them): apply translations, reject what fails checks.

    Translations are committed --batch-size articles at a time, so the site goes on
    working while a large zip imports; each entry is checked on its own, and one that
    fails is rejected without holding back the others. Interrupted, the same import run
    again finds what it had applied unchanged and goes on with the rest.
    """
    config = settings()
    session = db()
    data = read_within_limit(file)
    user = user_named(username)
    if code:
        config.edition(code)
    files = read_upload(
        data, file.name, config.editions, edition=code, limit=config.max_upload_bytes
    )
    apply = (
        partial(import_files, dry_run=True)
        if dry_run
        else partial(import_in_batches, batch_size=batch_size, batch_seconds=batch_seconds)
    )
    total = sum(len(each.entries) for each in files)
    with click.progressbar(length=total, label="Importing entries") as bar:
        result = apply(
            session,
            config.editions,
            files,
            filename=file.name,
            sha256=sha256_of(data),
            user=user,
            progress=bar.update,
        )
    for entry in result.entries:
        if entry.outcome.value == "rejected" or dry_run:
            click.echo(f"line {entry.line}: {entry.msgctxt} {entry.outcome.value} {entry.reason}")
    if report:
        report.write_text(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
    if dry_run:
        session.rollback()
        click.echo(f"dry run, nothing changed: {result.summary()}")
        return
    record_import(session, result, user)
    session.commit()
    click.echo(f"imported: {result.summary()}")


@click.group("catalogs", cls=AppGroup)
def catalogs() -> None:
    """The interface catalogs (translations/*.po)."""


@catalogs.command("check")
def catalogs_check() -> None:
    """Run the quality checks on every interface catalog; exit 1 when one has errors."""
    config = settings()
    errors = 0
    for code, line, msgid, finding in catalog_findings(config.translations_path, config.editions):
        errors += finding.is_error
        click.echo(
            f"{code}.po line {line}: {finding.severity.value} {finding.code}: {finding.text()}"
        )
        click.echo(f"    {msgid}")
    if errors:
        raise click.ClickException(f"{errors} errors in the interface catalogs")
    click.echo("the interface catalogs pass the quality checks")
