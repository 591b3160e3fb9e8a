"""What a translator finds after each kind of source edit (see tests/edit_corpus.py).

Unchanged and moved blocks stay current; an edited, rewritten or renamed block keeps its
old translation as stale, with a word diff; a block inserted where nothing was removed is
new; text that comes back gets its translation back, current.
"""

import pytest

from tests.edit_corpus import EDITS, Changed, Outcome, Same, Scores, apply_edit


def outcome_of(expected) -> Outcome:
    if isinstance(expected, Same):
        return Outcome(expected.old, True)
    if isinstance(expected, Changed):
        return Outcome(expected.old, False)
    return Outcome(None, False)


@pytest.mark.parametrize("edit", EDITS, ids=[edit.name for edit in EDITS])
def test_each_edit_leaves_each_block_with_the_translation_it_should_have(session, editions, edit):
    found = apply_edit(session, editions, edit, article_id=91000)
    assert [outcome.as_expected() for outcome in found] == list(edit.expected)


def test_over_the_whole_set_the_expected_outcomes_meet_the_goal():
    """Each edit above is held to its expectation; together they keep a stale translation
    for nine in ten changed blocks (here all) and flag exactly the blocks needing work."""
    scores = Scores()
    for edit in EDITS:
        scores.add(edit.expected, [outcome_of(expected) for expected in edit.expected])
    assert scores.kept_stale_share >= 0.9
    assert scores.untouched_current_share == 1.0
    assert (scores.precision, scores.recall) == (1.0, 1.0)
    assert scores.changed >= 25 and len(EDITS) >= 20
