"""Bodies split into segments and rebuild from them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from editions.text.segmentation import (
    Block,
    MarkdownError,
    checksum,
    count_words,
    join_blocks,
    normalize,
    split_body,
)

BODY = """## Programme

The festival opens on *Friday* at [the library](https://example.org/library).
It runs for three days.

- Readings in four languages
- A translators' workshop

1. First session
2. Second session

> Every edition tells the story again.
"""


def test_each_block_is_one_segment_with_its_markdown_frame_kept_aside():
    assert split_body(BODY) == [
        Block("heading", "Programme", "## "),
        Block(
            "paragraph",
            "The festival opens on *Friday* at [the library](https://example.org/library). "
            "It runs for three days.",
        ),
        Block("item", "Readings in four languages", "- "),
        Block("item", "A translators' workshop", "- ", continues=True),
        Block("item", "First session", "1. "),
        Block("item", "Second session", "2. ", continues=True),
        Block("quote", "Every edition tells the story again.", "> "),
    ]


def test_a_rebuilt_body_splits_into_the_same_blocks():
    assert split_body(join_blocks(split_body(BODY))) == split_body(BODY)


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("Intro\n\n    indented code", 3, "indented code block"),
        ("Intro\n\n```\ncode\n```", 3, "fenced code block"),
        ("<div onclick='x()'>hi</div>", 1, "raw HTML"),
        ("Intro\n\n---\n\nMore", 3, "horizontal rule"),
        ("See [the report](https://example.org/report for details", 1, "never closed"),
        ("Line one\n\nBell \x07 here", 3, "control character"),
        ("- one\n  - nested", 2, "nested lists"),
    ],
)
def test_malformed_or_unsupported_markdown_names_the_line(body, line, message):
    with pytest.raises(MarkdownError, match=message) as error:
        split_body(body)
    assert error.value.line == line
    assert str(error.value).startswith(f"line {line}:")


def test_whitespace_is_folded_so_it_never_counts_as_an_edit():
    assert normalize("  Two\u00a0 words\n here ") == "Two words here"
    assert checksum("Two words") == checksum(" Two\n words ")
    assert checksum("Two words") != checksum("Two words.")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The fair opens at [the library](https://example.org/a-b-c).", 6),
        ("کتاب‌ها در کتابخانه‌ی شهر", 4),
        ("افتتحت المكتبة قاعة جديدة", 4),
        ("Panairi i librit hapet të hënën", 6),
    ],
)
def test_words_are_counted_in_every_script_without_link_targets(text, words):
    assert count_words(text) == words


_plain_words = (
    st.text(alphabet=st.sampled_from("abcdefghij klmnopqrstuvwxyzصفکیëç"), min_size=1, max_size=40)
    .map(normalize)
    .filter(lambda text: text and text[0].isalpha())
)


@given(
    st.lists(
        st.tuples(st.sampled_from(["heading", "paragraph", "quote"]), _plain_words), max_size=12
    )
)
def test_any_sequence_of_blocks_survives_a_round_trip(specs):
    prefixes = {"heading": "## ", "paragraph": "", "quote": "> "}
    blocks = [Block(kind, text, prefixes[kind]) for kind, text in specs]
    assert split_body(join_blocks(blocks)) == blocks
