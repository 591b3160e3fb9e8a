"""Diffs show translators and editors exactly what changed."""

from hypothesis import given
from hypothesis import strategies as st

from editions.text.diff import Op, paragraph_diff, word_diff


def test_a_word_diff_marks_the_changed_words_only():
    pieces = word_diff(
        "Readers meet translators in four workshops.", "Readers meet translators in five workshops."
    )
    assert [(p.op, p.text) for p in pieces] == [
        (Op.SAME, "Readers meet translators in "),
        (Op.REMOVED, "four"),
        (Op.ADDED, "five"),
        (Op.SAME, " workshops."),
    ]


def test_persian_words_with_a_zero_width_non_joiner_stay_whole():
    pieces = word_diff("کتاب‌ها را خواندند", "کتاب‌ها را نوشتند")
    assert (Op.REMOVED, "خواندند") in [(p.op, p.text) for p in pieces]


@given(st.text(max_size=60), st.text(max_size=60))
def test_a_word_diff_rebuilds_both_texts(old, new):
    pieces = word_diff(old, new)
    assert "".join(p.text for p in pieces if p.op is not Op.ADDED) == old
    assert "".join(p.text for p in pieces if p.op is not Op.REMOVED) == new


def test_a_paragraph_diff_shows_added_removed_and_edited_paragraphs_in_order():
    old = ["The fair opens on Friday.", "It closes on Sunday evening.", "Entry is free for all."]
    new = ["The fair opens on Saturday.", "Entry is free for all.", "A bookshop stays open."]
    changes = paragraph_diff(old, new)
    assert [(c.op, c.old, c.new) for c in changes] == [
        (Op.CHANGED, old[0], new[0]),
        (Op.REMOVED, old[1], None),
        (Op.SAME, old[2], new[1]),
        (Op.ADDED, None, new[2]),
    ]
    assert changes[0].changed and not changes[2].changed
