"""Importing and exporting article files: idempotent, per-file, lossless both ways."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import delete, func, select

from editions.content.articles import get_article, get_counterpart
from editions.content.intake import Outcome, import_files, read_sources
from editions.content.status import Status, StatusEntry, compute_status
from editions.core.models import Article, SourceRevision

SOURCE = """---
id: 17001
edition: en
source_edition: en
section: articles
tags: [culture, books]
author: Mira Dalen
date: 2026-10-02
title: "A library opens at night"
summary: "The city library stays open until midnight on Fridays."
state: published
---
The city library will stay open until midnight every Friday from next month.

Volunteers will run reading circles in three languages.

## Who can come

Everyone is welcome, and entry is free.
"""

PERSIAN = """---
id: 17001
edition: fa
title: "کتابخانه شب‌ها باز است"
summary: "کتابخانهٔ شهر جمعه‌ها تا نیمه‌شب باز می‌ماند."
state: published
---
کتابخانهٔ شهر از ماه آینده هر جمعه تا نیمه‌شب باز می‌ماند.

داوطلبان حلقه‌های کتاب‌خوانی را به سه زبان برگزار می‌کنند.

## چه کسانی می‌توانند بیایند

همه خوش آمدند و ورود رایگان است.
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def status_of(session, editions, article_id=17001) -> dict[str, Status]:
    return {
        row.edition: row.status for row in compute_status(session, list(editions), [article_id])
    }


def files_in(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*.md"))
    }


def test_a_source_file_and_its_translation_make_an_article_with_a_current_counterpart(
    run_cli, session, editions, tmp_path
):
    write(tmp_path, "17001/fa.md", PERSIAN)  # listed first: sources are imported first anyway
    write(tmp_path, "17001/en.md", SOURCE)
    result = run_cli("articles", "import", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "created    en.md" in result.output and "created    fa.md" in result.output
    assert status_of(session, editions)["fa"] is Status.CURRENT
    assert status_of(session, editions)["ar"] is Status.MISSING


def test_importing_the_same_files_twice_changes_nothing(run_cli, session, tmp_path):
    write(tmp_path, "17001/en.md", SOURCE)
    write(tmp_path, "17001/fa.md", PERSIAN)
    run_cli("articles", "import", str(tmp_path))
    again = run_cli("articles", "import", str(tmp_path))
    assert again.exit_code == 0, again.output
    assert "0 created, 0 updated, 2 unchanged, 0 failed" in again.output
    revisions = select(func.count()).where(SourceRevision.article_id == 17001)
    assert session.scalar(revisions) == 1


def test_an_edited_source_file_revises_the_article_and_makes_that_paragraph_stale(
    run_cli, session, editions, tmp_path
):
    write(tmp_path, "17001/en.md", SOURCE)
    write(tmp_path, "17001/fa.md", PERSIAN)
    run_cli("articles", "import", str(tmp_path))
    edited = SOURCE.replace("three languages", "four languages").replace(
        "[culture, books]", "[culture]"
    )
    write(tmp_path, "17001/en.md", edited)
    result = run_cli("articles", "import", str(tmp_path / "17001" / "en.md"))
    assert "updated    en.md" in result.output
    row = next(
        row for row in compute_status(session, list(editions), [17001]) if row.edition == "fa"
    )
    assert (row.status, row.segments_stale) == (Status.STALE, 1)
    # Importing the unchanged translation again does not hide that it is stale.
    run_cli("articles", "import", str(tmp_path / "17001" / "fa.md"))
    assert status_of(session, editions)["fa"] is Status.STALE


def test_every_bad_file_is_reported_and_nothing_lands_unless_asked(run_cli, session, tmp_path):
    run_cli("articles", "import", str(write(tmp_path, "17001.md", SOURCE)))
    write(tmp_path, "bad/good.md", SOURCE.replace("17001", "17002"))
    write(tmp_path, "bad/yaml.md", "---\nid: 17007\ntitle: [unclosed\n---\nText.\n")
    write(tmp_path, "bad/edition.md", SOURCE.replace("17001", "17003").replace(": en", ": de"))
    write(tmp_path, "bad/section.md", SOURCE.replace("17001", "17004").replace("articles", "poems"))
    write(tmp_path, "bad/orphan.md", PERSIAN.replace("17001", "17005"))
    write(tmp_path, "bad/clash.md", SOURCE.replace(": en", ": sq"))
    write(tmp_path, "bad/markdown.md", SOURCE.replace("17001", "17006") + "\n---\n\nA rule.\n")
    result = run_cli("articles", "import", str(tmp_path / "bad"))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    output = result.output
    assert "yaml.md: the front matter is not valid YAML at line 3" in output
    assert "edition.md: unknown edition 'de'" in output
    assert "section.md: unknown section 'poems'" in output
    assert "orphan.md: there is no article 17005" in output
    assert "clash.md: article 17001 was written in en, but this file says" in output
    assert "markdown.md: line" in output and "horizontal rule" in output
    assert "1 created, 0 updated, 0 unchanged, 6 failed" in output
    assert "nothing was imported: 6 files have problems" in output
    ids = set(session.scalars(select(Article.id).where(Article.id >= 17000)))
    assert ids == {17001}

    # --skip-invalid: each good file lands whole, each bad one not at all.
    result = run_cli("articles", "import", "--skip-invalid", str(tmp_path / "bad"))
    assert result.exit_code == 1
    assert "1 created, 0 updated, 0 unchanged, 6 failed" in result.output
    ids = set(session.scalars(select(Article.id).where(Article.id >= 17000)))
    assert ids == {17001, 17002}


def test_json_lines_import_the_same_records_as_files(run_cli, session, editions, tmp_path):
    records = [
        {
            "id": 17010,
            "edition": "sq",
            "source_edition": "sq",
            "section": "brief",
            "tags": ["tirana"],
            "date": "2026-10-05",
            "title": "Një urë e re",
            "summary": "",
            "body": "Ura e re u hap sot.\n",
        },
        {
            "id": 17010,
            "edition": "en",
            "title": "A new bridge",
            "body": "The new bridge opened today.\n",
        },
        {"id": 17011, "edition": "en"},
    ]
    path = write(
        tmp_path,
        "feed.jsonl",
        "\n".join(json.dumps(record, ensure_ascii=False) for record in records) + "\nnot json\n",
    )
    result = run_cli("articles", "import", "--skip-invalid", str(path))
    assert "feed.jsonl:3: the front matter has no 'title'" in result.output
    assert "feed.jsonl:4: not valid JSON" in result.output
    assert get_article(session, 17010).source_edition == "sq"
    assert get_counterpart(session, 17010, "en").title == "A new bridge"
    assert status_of(session, editions, 17010)["en"] is Status.CURRENT


def test_export_then_import_into_an_empty_database_then_export_gives_the_same_files(
    run_cli, session, tmp_path
):
    assert run_cli("demo", "load").exit_code == 0
    first, second = tmp_path / "first", tmp_path / "second"
    exported = run_cli("articles", "export", str(first))
    assert exported.exit_code == 0, exported.output
    session.execute(delete(Article))
    session.flush()
    imported = run_cli("articles", "import", str(first))
    assert imported.exit_code == 0, imported.output
    assert run_cli("articles", "export", str(second)).exit_code == 0
    assert files_in(first) == files_in(second)
    assert len(files_in(first)) > 27


def test_export_as_json_lines_imports_back(run_cli, session, tmp_path, editions):
    write(tmp_path, "in/en.md", SOURCE)
    write(tmp_path, "in/fa.md", PERSIAN)
    run_cli("articles", "import", str(tmp_path / "in"))
    run_cli("articles", "export", "--format", "jsonl", str(tmp_path / "all.jsonl"))
    session.execute(delete(Article))
    session.flush()
    reports = import_files(session, editions, read_sources([tmp_path / "all.jsonl"]))
    assert [report.outcome for report in reports] == [Outcome.CREATED, Outcome.CREATED]
    assert get_counterpart(session, 17001, "fa").summary.startswith("کتابخانهٔ شهر")


def test_a_file_refused_in_a_later_batch_keeps_the_batches_before_it_and_a_rerun_resumes(
    run_cli, session, tmp_path
):
    for number in range(17001, 17005):
        write(tmp_path, f"in/{number}/en.md", SOURCE.replace("17001", str(number)))
    # Article 17003's translation has one paragraph too many: refused when it is applied.
    write(tmp_path, "in/17003/fa.md", PERSIAN.replace("17001", "17003") + "\nیک بند دیگر.\n")
    batches = ("--batch-size", "2", "--batch-seconds", "600")  # two articles a batch, always
    result = run_cli("articles", "import", *batches, str(tmp_path / "in"))
    assert result.exit_code == 1
    assert "fa text of article 17003 has 5 blocks but the source has 4" in result.output
    assert "4 created, 0 updated, 0 unchanged, 1 failed" in result.output
    assert "2 files were imported in the first 1 of 2 batches; nothing from batch 2 on" in (
        result.output
    )
    ids = set(session.scalars(select(Article.id).where(Article.id >= 17000)))
    assert ids == {17001, 17002}

    write(tmp_path, "in/17003/fa.md", PERSIAN.replace("17001", "17003"))
    result = run_cli("articles", "import", *batches, str(tmp_path / "in"))
    assert result.exit_code == 0, result.output
    assert "3 created, 0 updated, 2 unchanged, 0 failed" in result.output
    ids = set(session.scalars(select(Article.id).where(Article.id >= 17000)))
    assert ids == {17001, 17002, 17003, 17004}


def test_the_kept_statuses_are_refreshed_once_for_a_batch_and_match_the_live_ones(
    run_cli, session, editions, tmp_path
):
    # Each file is its own savepoint; the statuses are refreshed at the batch's commit,
    # for the files that landed and not for the one refused between them.
    write(tmp_path, "a/en.md", SOURCE)
    write(tmp_path, "a/fa.md", PERSIAN)
    write(tmp_path, "b/en.md", SOURCE.replace("17001", "17002"))
    write(tmp_path, "c/fa.md", PERSIAN.replace("17001", "17009"))  # no such article
    result = run_cli("articles", "import", "--skip-invalid", str(tmp_path))
    assert "3 created, 0 updated, 0 unchanged, 1 failed" in result.output
    session.expire_all()
    kept = {
        (entry.article_id, entry.edition): entry.status
        for entry in session.scalars(select(StatusEntry).where(StatusEntry.article_id > 17000))
    }
    live = {
        (row.article_id, row.edition): row.status
        for row in compute_status(session, list(editions), [17001, 17002, 17009])
    }
    assert kept == live
    assert kept[(17001, "fa")] is Status.CURRENT and kept[(17002, "fa")] is Status.MISSING
