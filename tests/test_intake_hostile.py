"""Hostile and broken article files: each is named with its field and reason, nothing lands.

One bad file used to end ``editions articles import`` with a traceback; a YAML front
matter of nested aliases grew the process to gigabytes. Now every file is checked first.
"""

from __future__ import annotations

import json
import resource

import pytest
from sqlalchemy import func, select

from editions.core.models import Article, Author, Counterpart
from tests.test_intake import SOURCE, write

BILLION_LAUGHS = (
    "---\nid: 17020\nedition: en\nsource_edition: en\nsection: articles\ndate: 2026-10-02\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]\n"
        for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "title: laughs\n---\nText.\n"
)


def _source(**changes: str) -> str:
    text = SOURCE.replace("17001", "17020")
    for old, new in changes.items():
        text = text.replace(old, new)
    return text


def _json_record(**fields: object) -> str:
    record = {
        "id": 17020,
        "edition": "en",
        "source_edition": "en",
        "section": "articles",
        "date": "2026-10-05",
        "title": "A new bridge",
        "body": "The new bridge opened today.\n",
        **fields,
    }
    return json.dumps(record)


CASES = {
    "impossible date": (
        "a.md",
        _source(**{"date: 2026-10-02": "date: 2026-02-30"}),
        "a.md: date must be a date such as 2026-09-23",
    ),
    "id beyond the database's range": (
        "a.md",
        _source(**{"id: 17020": "id: 99999999999"}),
        "a.md: 'id' must be a whole number from 1 to 2,147,483,647, not 99999999999",
    ),
    "id zero": (
        "a.md",
        _source(**{"id: 17020": "id: 0"}),
        "a.md: 'id' must be a whole number from 1 to 2,147,483,647, not 0",
    ),
    "negative id": (
        "a.md",
        _source(**{"id: 17020": "id: -5"}),
        "a.md: 'id' must be a whole number from 1 to 2,147,483,647, not -5",
    ),
    "issue beyond range": (
        "a.md",
        _source(**{"date: 2026-10-02": "date: 2026-10-02\nissue: 3000000000"}),
        "a.md: 'issue' must be a whole number from 1 to 2,147,483,647, not 3000000000",
    ),
    "lone surrogate": (
        "feed.jsonl",
        _json_record(title="A bridge \\ud800").replace("\\\\ud800", "\\ud800"),
        "feed.jsonl:1: 'title' is not valid Unicode (a lone surrogate at character 10)",
    ),
    "deeply nested json": (
        "feed.jsonl",
        '{"id": 17020, "tags": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "feed.jsonl:1: the JSON record is nested too deeply",
    ),
    "NUL byte in the title": (
        "feed.jsonl",
        _json_record(title="A new\u0000bridge"),
        "feed.jsonl:1: the title contains an invisible control character (U+0000)",
    ),
    "bidi override in the author": (
        "a.md",
        _source(**{"Mira Dalen": "Mira \u202eneLaD"}),
        "a.md: the author contains an invisible control character (U+202E)",
    ),
    "NUL byte in the body": (
        "feed.jsonl",
        _json_record(body="The bridge\u0000 opened.\n"),
        "feed.jsonl:1: line 1: the body contains an invisible control character",
    ),
    "over-long author": (
        "a.md",
        _source(**{"Mira Dalen": "M" * 300}),
        "a.md: 'author' has 300 characters; the limit is 200",
    ),
    "over-long title": (
        "feed.jsonl",
        _json_record(title="T" * 1500),
        "feed.jsonl:1: 'title' has 1,500 characters; the limit is 1,000",
    ),
    "over-long tag": (
        "feed.jsonl",
        _json_record(tags=["t" * 101]),
        "feed.jsonl:1: 'tags' has 101 characters; the limit is 100",
    ),
    "billion laughs": (
        "a.md",
        BILLION_LAUGHS,
        "a.md: YAML aliases (*name) are not allowed in the front matter",
    ),
    "deeply nested yaml": (
        "a.md",
        _source(**{"tags: [culture, books]": "tags: " + "[" * 5000 + "]" * 5000}),
        "a.md: the front matter is nested too deeply",
    ),
}


def _state(session) -> tuple[int, ...]:
    return tuple(
        session.scalar(select(func.count()).select_from(table))
        for table in (Article, Counterpart, Author)
    )


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_article_file_is_named_with_its_field_and_nothing_lands(
    case, run_cli, session, tmp_path
):
    name, text, message = CASES[case]
    good = write(tmp_path, "good.md", SOURCE)
    bad = write(tmp_path, name, text)
    before = _state(session)
    result = run_cli("articles", "import", str(good), str(bad))
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert f"failed     {message}" in result.output
    assert "nothing was imported: 1 files have problems" in result.output
    assert _state(session) == before


def test_the_billion_laughs_never_grow_the_process(run_cli, session, tmp_path):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = run_cli("articles", "import", str(write(tmp_path, "a.md", BILLION_LAUGHS)))
    assert result.exit_code == 1
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 50_000  # the expansion would be gigabytes


def test_with_skip_invalid_the_valid_files_land(run_cli, session, tmp_path):
    good = write(tmp_path, "good.md", SOURCE)
    bad = write(tmp_path, "a.md", CASES["id zero"][1])
    result = run_cli("articles", "import", "--skip-invalid", str(good), str(bad))
    assert result.exit_code == 1
    assert "created    good.md" in result.output
    assert session.get(Article, 17001) is not None
    assert session.scalar(select(func.count()).select_from(Article).where(Article.id <= 0)) == 0
