"""Minor edits (a typo, punctuation, emphasis) keep translations current wherever the
source is edited: the authoring page, the API and ``editions articles import --minor``.
They are logged with a note, and refused where a number or a link changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from editions.content.articles import SourceText
from editions.content.sources import revise_source
from editions.content.status import Status, compute_status
from editions.core.errors import ContentError
from editions.core.models import SourceRevision
from tests.factories import SOURCE_BODY, make_article
from tests.test_authoring import form
from tests.test_intake import PERSIAN, SOURCE, write


def status_of(session, editions, article_id: int) -> dict[str, Status]:
    rows = compute_status(session, list(editions), [article_id])
    return {row.edition: row.status for row in rows}


def latest_revision(session, article_id: int) -> SourceRevision:
    return session.scalars(
        select(SourceRevision)
        .where(SourceRevision.article_id == article_id)
        .order_by(SourceRevision.number.desc())
    ).first()


@pytest.fixture
def imported(run_cli, tmp_path: Path) -> Path:
    write(tmp_path, "17001/en.md", SOURCE)
    write(tmp_path, "17001/fa.md", PERSIAN)
    assert run_cli("articles", "import", str(tmp_path)).exit_code == 0
    return tmp_path / "17001" / "en.md"


def test_a_minor_import_keeps_translations_current_and_logs_the_note(
    run_cli, session, editions, imported
):
    imported.write_text(SOURCE.replace("Everyone is welcome,", "Everyone is welcome;"))
    result = run_cli("articles", "import", "--minor", "--note", "punctuation", str(imported))
    assert result.exit_code == 0, result.output
    assert "updated    en.md" in result.output
    assert status_of(session, editions, 17001)["fa"] is Status.CURRENT
    revision = latest_revision(session, 17001)
    assert (revision.number, revision.minor, revision.note) == (2, True, "punctuation")


def test_a_files_own_note_is_its_reason(run_cli, session, editions, imported):
    edited = SOURCE.replace("state: published", "state: published\nnote: a missing comma")
    imported.write_text(edited.replace("Everyone is welcome", "Everyone, is welcome"))
    result = run_cli("articles", "import", "--minor", "--note", "the default", str(imported))
    assert result.exit_code == 0, result.output
    assert latest_revision(session, 17001).note == "a missing comma"
    assert status_of(session, editions, 17001)["fa"] is Status.CURRENT


def test_a_minor_import_without_any_note_is_refused_and_changes_nothing(
    run_cli, session, editions, imported
):
    imported.write_text(SOURCE.replace("Everyone is welcome,", "Everyone is welcome;"))
    result = run_cli("articles", "import", "--minor", str(imported))
    assert result.exit_code == 1
    assert "a minor edit needs a note" in result.output
    assert latest_revision(session, 17001).number == 1


def test_a_minor_import_that_changes_a_number_is_refused_while_other_files_land(
    run_cli, session, editions, imported, tmp_path
):
    imported.write_text(SOURCE.replace("three languages", "3 languages"))
    other = SOURCE.replace("17001", "17002").replace("Fridays", "Fridays and Saturdays")
    write(tmp_path, "17002/en.md", other)
    result = run_cli("articles", "import", "--minor", "--note", "tidy", str(tmp_path))
    assert result.exit_code == 1
    assert "cannot change a number or a link" in result.output
    assert "“Volunteers will run reading circles in 3 languages.”" in result.output
    assert "created    en.md" in result.output  # the new article is not an edit at all
    assert latest_revision(session, 17001).number == 1
    assert status_of(session, editions, 17001)["fa"] is Status.CURRENT


def test_without_minor_a_note_is_kept_and_the_translation_goes_stale(
    run_cli, session, editions, imported
):
    edited = SOURCE.replace("state: published", "state: published\nnote: new opening hours")
    imported.write_text(edited.replace("until midnight every", "until eleven every"))
    assert run_cli("articles", "import", str(imported)).exit_code == 0
    revision = latest_revision(session, 17001)
    assert (revision.minor, revision.note) == (False, "new opening hours")
    assert status_of(session, editions, 17001)["fa"] is Status.STALE


@pytest.mark.parametrize(
    "change",
    [
        ("four workshops", "4 workshops"),  # a number, in any digits
        ("Entry is free", "Entry is [free](https://example.org/entry)"),  # a link added
    ],
    ids=["number", "link"],
)
def test_a_minor_edit_that_changes_a_number_or_a_link_is_refused(session, editions, change):
    article = make_article(session, editions)
    text = SourceText("A reading festival", "A new festival in the city.", SOURCE_BODY)
    with pytest.raises(ContentError, match="cannot change a number or a link"):
        revise_source(
            session,
            article,
            SourceText(text.title, text.summary, SOURCE_BODY.replace(*change)),
            minor=True,
            note="small fix",
        )
    assert latest_revision(session, 16009).number == 1


def test_emphasis_and_punctuation_are_minor(session, editions):
    article = make_article(session, editions)
    body = SOURCE_BODY.replace("Entry is free", "Entry is *free*").replace("Friday", "Friday,")
    revise_source(
        session,
        article,
        SourceText("A reading festival", "A new festival in the city.", body),
        minor=True,
        note="emphasis",
    )
    assert set(status_of(session, editions, 16009).values()) == {Status.CURRENT}


def test_the_authoring_page_refuses_a_minor_edit_that_changes_a_number(
    client, session, editions, sign_in
):
    make_article(session, editions)
    session.commit()
    sign_in(client, "editor", ["en"])
    data = form(
        body=SOURCE_BODY.replace("four workshops", "4 workshops"),
        minor="on",
        note="wording",
        action="save",
    )
    refused = client.post("/dashboard/articles/16009/edit", data=data)
    assert refused.status_code == 400
    assert "cannot change a number or a link" in refused.text
