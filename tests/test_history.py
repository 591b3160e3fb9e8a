"""Source history: every revision kept, any two compared, an old one restored as new."""

from __future__ import annotations

import pytest

from editions.accounts.roles import create_user
from editions.content.articles import SourceText, get_counterpart
from editions.content.history import (
    RevisionNotFound,
    compare_revisions,
    restore_revision,
    revisions_select,
)
from editions.content.sources import revise_source
from editions.content.status import Status, compute_status
from editions.text.diff import Op
from tests.factories import SOURCE_BODY, make_article

TITLE, SUMMARY = "A reading festival", "A new festival in the city."


def test_any_two_revisions_compare_by_paragraph_and_word(session, editions):
    article = make_article(session, editions, translate=())
    revise_source(session, article, SourceText(TITLE, SUMMARY, SOURCE_BODY.replace("four", "five")))
    revise_source(
        session,
        article,
        SourceText("A reading week", SUMMARY, SOURCE_BODY + "\nBring a friend.\n"),
    )
    comparison = compare_revisions(session, article.id, 1, 3)
    assert comparison.title.op is Op.CHANGED
    assert comparison.summary.op is Op.SAME
    ops = [change.op for change in comparison.body]
    assert ops == [Op.SAME, Op.SAME, Op.SAME, Op.SAME, Op.ADDED]
    one_to_two = compare_revisions(session, article.id, 1, 2)
    changed = [change for change in one_to_two.body if change.changed]
    assert len(changed) == 1
    assert [(piece.op, piece.text) for piece in changed[0].words if piece.op is not Op.SAME] == [
        (Op.REMOVED, "four"),
        (Op.ADDED, "five"),
    ]
    with pytest.raises(RevisionNotFound):
        compare_revisions(session, article.id, 1, 9)


def test_restoring_saves_the_old_text_as_a_new_revision_by_its_author(session, editions):
    article = make_article(session, editions, translate=("fa",))
    editor = create_user(
        session,
        editions,
        username="elif",
        password="a long enough secret",
        role="editor",
        edition_codes=["en"],
    )
    revise_source(session, article, SourceText(TITLE, SUMMARY, SOURCE_BODY.replace("four", "six")))
    stale = {
        row.edition: row.status for row in compute_status(session, list(editions), [article.id])
    }
    assert stale["fa"] is Status.STALE
    restore_revision(session, article, 1, user=editor)
    history = session.execute(revisions_select(article.id)).all()
    assert [revision.number for revision, _user in history] == [3, 2, 1]
    newest, by = history[0]
    assert (newest.note, by.username, newest.body) == ("restored revision 1", "elif", SOURCE_BODY)
    assert get_counterpart(session, article.id, "en").body == SOURCE_BODY
    # The Persian text was made from revision 1's words: current again.
    current = {
        row.edition: row.status for row in compute_status(session, list(editions), [article.id])
    }
    assert current["fa"] is Status.CURRENT
