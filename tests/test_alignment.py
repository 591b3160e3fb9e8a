"""Aligning an edited source with its old segments: the heart of staleness."""

from hypothesis import assume, given
from hypothesis import strategies as st

from editions.text.alignment import Change, align
from tests.factories import NOUNS

OLD = [
    "The library opens a reading room for children on Saturday.",
    "Volunteers painted the walls in bright colours last month.",
    "Books in four languages fill the new shelves.",
    "Entry is free and no registration is needed.",
]


def changes(alignment):
    return [(block.old_index, block.change) for block in alignment.blocks]


def test_an_unchanged_source_keeps_every_key():
    result = align(OLD, OLD)
    assert changes(result) == [(i, Change.UNCHANGED) for i in range(4)]
    assert result.removed == ()


def test_reordered_paragraphs_keep_their_keys_and_stay_current():
    result = align(OLD, [OLD[2], OLD[0], OLD[3], OLD[1]])
    assert changes(result) == [
        (2, Change.UNCHANGED),
        (0, Change.UNCHANGED),
        (3, Change.UNCHANGED),
        (1, Change.UNCHANGED),
    ]


def test_a_paragraph_inserted_at_the_top_is_new_and_shifts_nothing():
    result = align(OLD, ["A new opening paragraph about the city council.", *OLD])
    assert changes(result)[0] == (None, Change.NEW)
    assert changes(result)[1:] == [(i, Change.UNCHANGED) for i in range(4)]


def test_an_edited_paragraph_keeps_its_key_but_is_stale():
    edited = [OLD[0], "Volunteers painted the walls in soft colours last spring.", OLD[2], OLD[3]]
    assert changes(align(OLD, edited))[1] == (1, Change.EDITED)


def test_a_split_paragraph_keeps_its_key_on_the_closer_half():
    split = [
        OLD[0],
        "Volunteers painted the walls in bright colours.",
        "It happened last month.",
        *OLD[2:],
    ]
    result = align(OLD, split)
    assert changes(result)[1] == (1, Change.EDITED)
    assert changes(result)[2] == (None, Change.NEW)
    assert result.removed == ()


def test_merged_paragraphs_keep_the_key_of_the_closer_original():
    merged = [OLD[0], OLD[1] + " " + OLD[2][:20], OLD[3]]
    result = align(OLD, merged)
    assert changes(result) == [(0, Change.UNCHANGED), (1, Change.EDITED), (3, Change.UNCHANGED)]
    assert result.removed == (2,)


def test_a_whitespace_only_edit_changes_nothing():
    spaced = [text.replace(" ", "  ") + "\n" for text in OLD]
    assert all(change is Change.UNCHANGED for _, change in changes(align(OLD, spaced)))


def test_a_punctuation_only_edit_is_an_edit_of_the_same_segment():
    punctuated = [OLD[0].replace(".", "!"), *OLD[1:]]
    assert changes(align(OLD, punctuated))[0] == (0, Change.EDITED)


def test_a_rewritten_paragraph_keeps_its_key_as_a_rewrite():
    rewritten = [OLD[0], "Completely unrelated words about harbour ferries.", OLD[2], OLD[3]]
    result = align(OLD, rewritten)
    assert changes(result)[1] == (1, Change.REWRITTEN)
    assert result.removed == ()


def test_a_paragraph_inserted_between_two_unchanged_ones_is_new():
    inserted = [OLD[0], OLD[1], "A word from the mayor about the harbour.", OLD[2], OLD[3]]
    result = align(OLD, inserted)
    assert changes(result)[2] == (None, Change.NEW)
    assert result.removed == ()


def test_a_deleted_paragraph_is_removed_when_nothing_takes_its_place():
    result = align(OLD, [OLD[0], OLD[2], OLD[3]])
    assert changes(result) == [(0, Change.UNCHANGED), (2, Change.UNCHANGED), (3, Change.UNCHANGED)]
    assert result.removed == (1,)


def test_a_deletion_and_an_insertion_in_different_places_are_not_paired():
    result = align(OLD, [OLD[0], OLD[2], "A closing word about harbour ferries.", OLD[3]])
    assert changes(result)[2] == (None, Change.NEW)
    assert result.removed == (1,)


def test_a_renamed_heading_keeps_its_key():
    old = ["Programme", *OLD]
    result = align(old, ["What happens when", *OLD])
    assert changes(result)[0] == (0, Change.REWRITTEN)


def test_a_full_rewrite_pairs_every_block_in_order():
    rewrite = [
        "The council will open a children's room in the library.",
        "Walls were repainted by local helpers.",
        "New shelves hold stories in several tongues.",
        "Anyone may come in without signing up.",
    ]
    result = align(OLD, rewrite)
    assert [block.old_index for block in result.blocks] == [0, 1, 2, 3]
    assert {block.change for block in result.blocks} <= {Change.EDITED, Change.REWRITTEN}
    assert result.removed == ()


def test_where_more_blocks_replace_fewer_the_most_alike_are_paired_in_order():
    old = [OLD[0], "The mayor of Tirana opened the 2026 book fair.", OLD[3]]
    new = [
        OLD[0],
        "Bad weather kept visitors away at first.",
        "Tirana's mayor spoke at the fair's opening in 2026.",
        "Stalls sold out by the evening.",
        OLD[3],
    ]
    result = align(old, new)
    assert [block.old_index for block in result.blocks] == [0, None, 1, None, 2]


def test_moved_paragraphs_stay_unchanged_around_a_rewrite():
    moved = [OLD[3], OLD[0], "Completely unrelated words about harbour ferries.", OLD[2]]
    result = align(OLD, moved)
    assert changes(result) == [
        (3, Change.UNCHANGED),
        (0, Change.UNCHANGED),
        (1, Change.REWRITTEN),
        (2, Change.UNCHANGED),
    ]


# ------------------------------------------------------------------ properties

_word = st.sampled_from(
    [
        *NOUNS,
        "کتاب",
        "رود",
        "باغ",
        "پل",
        "موزه",
        "مدرسة",
        "حديقة",
        "جسر",
        "lumë",
        "shkollë",
        "urë",
        "kopsht",
    ]
)
_paragraph = st.lists(_word, min_size=3, max_size=14).map(" ".join)
_unique_paragraphs = st.lists(_paragraph, min_size=0, max_size=15, unique=True)


def _well_formed(result, old, new):
    assert len(result.blocks) == len(new)
    inherited = [block.old_index for block in result.blocks if block.old_index is not None]
    assert len(inherited) == len(set(inherited)), "an old key is given to two blocks"
    assert sorted(inherited + list(result.removed)) == list(range(len(old)))
    for block, text in zip(result.blocks, new, strict=True):
        if block.change is Change.UNCHANGED:
            assert old[block.old_index] == text
        elif block.change is Change.NEW:
            assert block.old_index is None


@given(_unique_paragraphs, _unique_paragraphs)
def test_any_edit_gives_each_old_key_to_at_most_one_block(old, new):
    _well_formed(align(old, new), old, new)


@given(_unique_paragraphs)
def test_aligning_a_text_with_itself_changes_nothing(old):
    assert all(block.change is Change.UNCHANGED for block in align(old, old).blocks)


@given(_unique_paragraphs, st.data())
def test_insertions_anywhere_leave_every_old_paragraph_current(old, data):
    new = list(old)
    for added in data.draw(st.lists(_paragraph, max_size=4)):
        assume(added not in new)
        new.insert(data.draw(st.integers(0, len(new))), added)
    result = align(old, new)
    _well_formed(result, old, new)
    kept = {block.old_index for block in result.blocks if block.change is Change.UNCHANGED}
    assert kept == set(range(len(old)))


@given(_unique_paragraphs, st.data())
def test_deletions_and_moves_keep_the_keys_of_what_remains(old, data):
    remaining = data.draw(st.permutations(old)).copy()
    del remaining[: data.draw(st.integers(0, len(remaining)))]
    result = align(old, remaining)
    _well_formed(result, old, remaining)
    assert all(block.change is Change.UNCHANGED for block in result.blocks)
    assert len(result.removed) == len(old) - len(remaining)


@given(_unique_paragraphs, st.data())
def test_editing_one_word_keeps_a_long_paragraph_on_its_key(old, data):
    assume(old)
    index = data.draw(st.integers(0, len(old) - 1))
    words = old[index].split()
    assume(len(words) >= 6)
    words[data.draw(st.integers(0, len(words) - 1))] = "ferry"
    new = list(old)
    new[index] = " ".join(words)
    assume(new[index] not in old)
    assert align(old, new).blocks[index].old_index == index
