"""``editions glossary``: list, add, remove, import and export glossary terms."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from editions.core.errors import EditionsError
from editions.exchange.glossaryfiles import export_glossary, format_of, import_glossary
from editions.translation.glossary import (
    EntryData,
    delete_entry,
    entries_select,
    get_entry,
    save_entry,
)
from webapp.cli.options import read_within_limit
from webapp.database import db, settings


@click.group(cls=AppGroup)
def glossary() -> None:
    """The glossary: names and recurring concepts with their approved term per edition."""


def _pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        code, sep, text = value.partition("=")
        if not sep or not code.strip():
            raise click.BadParameter(f"expected EDITION=TEXT, got {value!r}", param_hint=option)
        pairs[code.strip()] = text
    return pairs


@glossary.command("list")
@click.option("--edition", help="Only entries with a term in this edition.")
@click.option("--search", "text", default="", help="Only entries whose terms or notes hold this.")
def glossary_list(edition: str | None, text: str) -> None:
    """Every entry: its id, its term in each edition, and its flags."""
    codes = list(settings().editions)
    count = 0
    for entry in db().scalars(entries_select(edition, text)):
        terms = " | ".join(
            f"{code}: {term.text}" for code in codes if (term := entry.term(code)) is not None
        )
        flag = "  [do not translate]" if entry.do_not_translate else ""
        click.echo(f"{entry.id:>5}  {terms}{flag}")
        count += 1
    click.echo(f"{count} entries")


@glossary.command("add")
@click.option("--term", "terms", multiple=True, required=True, help="EDITION=TERM (repeatable).")
@click.option("--term-note", "notes", multiple=True, help="EDITION=NOTE for that term.")
@click.option("--note", default="", help="A note on the entry for every translator.")
@click.option("--do-not-translate", is_flag=True, help="Written as is in every edition.")
def glossary_add(
    terms: tuple[str, ...], notes: tuple[str, ...], note: str, do_not_translate: bool
) -> None:
    """Add an entry, e.g. --term en="Lumen Foundation" --term sq="Fondacioni Lumen"."""
    data = EntryData(_pairs(terms, "--term"), _pairs(notes, "--term-note"), note, do_not_translate)
    entry = save_entry(db(), settings().editions, data)
    db().commit()
    click.echo(f"entry {entry.id} added")


@glossary.command("remove")
@click.argument("entry_id", type=int)
def glossary_remove(entry_id: int) -> None:
    """Remove an entry and its terms in every edition."""
    delete_entry(db(), get_entry(db(), entry_id))
    db().commit()
    click.echo(f"entry {entry_id} removed")


@glossary.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would change; change nothing.")
def glossary_import(file: Path, dry_run: bool) -> None:
    """Add and update entries from a TBX or CSV file, all or nothing; no term is removed."""
    data = read_within_limit(file)
    report = import_glossary(
        db(), settings().editions, data, file.name, limit=settings().max_upload_bytes
    )
    for language, count in sorted(report.skipped_languages.items()):
        click.echo(f"skipped {count} terms in {language}: not an edition of this site")
    if dry_run:
        db().rollback()
        click.echo(f"dry run, nothing changed: {report.summary()}")
        return
    db().commit()
    click.echo(report.summary())


@glossary.command("export")
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "kind",
    type=click.Choice(["tbx", "csv"]),
    help="Default: from the file's name ('-' writes TBX to stdout).",
)
def glossary_export(destination: Path, kind: str | None) -> None:
    """Write the whole glossary as TBX or CSV."""
    try:
        kind = kind or ("tbx" if str(destination) == "-" else format_of(destination.name))
    except EditionsError as error:
        raise click.BadParameter(str(error), param_hint="DESTINATION") from None
    data = export_glossary(db(), settings().editions, kind)
    if str(destination) == "-":
        click.get_binary_stream("stdout").write(data)
        return
    destination.write_bytes(data)
    click.echo(f"glossary written to {destination}")
