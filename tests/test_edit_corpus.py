"""What a translator finds after each kind of source edit (see tests/edit_corpus.py).

Unchanged and moved blocks stay current; an edited, rewritten or renamed block keeps its
old translation as stale, with a word diff; a block inserted where nothing was removed is
new; text that comes back gets its translation back, current.
"""

import pytest

from tests.edit_corpus import EDITS, Scores, apply_edit


@pytest.mark.parametrize("edit", EDITS, ids=[edit.name for edit in EDITS])
def test_each_edit_leaves_each_block_with_the_translation_it_should_have(session, editions, edit):
    found = apply_edit(session, editions, edit, article_id=91000)
    assert [outcome.as_expected() for outcome in found] == list(edit.expected)


def test_over_the_whole_set_nine_in_ten_changed_blocks_keep_a_stale_translation(session, editions):
    scores = Scores()
    for number, edit in enumerate(EDITS):
        scores.add(edit.expected, apply_edit(session, editions, edit, article_id=92000 + number))
    assert scores.kept_stale_share >= 0.9
    assert scores.untouched_current_share == 1.0
    assert (scores.precision, scores.recall) == (1.0, 1.0)
