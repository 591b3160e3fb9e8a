"""A translation cannot change an article's structure, nor add a link its source lacks."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editions.content.articles import get_counterpart
from editions.content.counterparts import translate_segment
from editions.core.models import Segment
from editions.text.checks import check_segment
from editions.text.segmentation import Block, MarkdownError, join_blocks, normalize, split_body
from tests.factories import make_article

PREFIXES = {"paragraph": "", "heading": "## ", "item": "- ", "quote": "> "}
HOSTILE = [
    "```python",
    "## A heading now",
    "- an item",
    "1. a list",
    "3) another",
    "> a quote",
    "[x]: https://elsewhere.example",
    "<div>raw</div>",
    "***",
    "---",
    "===",
    "~~~",
    "# # #",
    "Title ##",
    "+",
]


@pytest.mark.parametrize("kind", list(PREFIXES))
@pytest.mark.parametrize("text", HOSTILE)
def test_a_translated_segment_stays_the_kind_of_block_its_source_is(kind, text):
    body = join_blocks([Block(kind, text, PREFIXES[kind]), Block("paragraph", "After.")])
    blocks = split_body(body)
    assert [block.kind for block in blocks] == [kind, "paragraph"], body


@settings(max_examples=300, deadline=None, database=None)
@given(
    kind=st.sampled_from(list(PREFIXES)),
    text=st.text(alphabet="#-+*>`~[]():<>=_!/\\x 1.)aé", min_size=1, max_size=14),
)
def test_any_text_keeps_its_block_kind(kind, text):
    text = normalize(text)
    if not text:
        return
    body = join_blocks([Block(kind, text, PREFIXES[kind])])
    try:
        blocks = split_body(body)
    except MarkdownError as error:  # an unclosed "](" is refused, whatever the block
        assert "never closed" in str(error)
        return
    assert [block.kind for block in blocks] == [kind], body


def test_the_rendered_article_keeps_its_blocks_whatever_the_translation(session, editions):
    article = make_article(session, editions, translate=("fa",))
    counterpart = get_counterpart(session, article.id, "fa")
    segment = session.query(Segment).filter_by(article_id=article.id, key="b2").one()
    translate_segment(session, counterpart, segment, "```\n[x]: https://elsewhere.example")
    assert "<pre" not in counterpart.body_html and "<code" not in counterpart.body_html
    assert counterpart.body_html.count("<p>") == 3


@pytest.mark.parametrize(
    "target, named",
    [
        ("[x]: https://elsewhere.example", "https://elsewhere.example"),
        ("متن [بیشتر](https://elsewhere.example)", "https://elsewhere.example"),
        ("متن ![](https://elsewhere.example/a.png)", "https://elsewhere.example/a.png"),
        ("متن <https://elsewhere.example>", "https://elsewhere.example"),
    ],
)
def test_a_link_or_image_the_source_lacks_is_an_error_naming_it(target, named, editions):
    findings = check_segment("The festival opens on Friday.", target, editions["fa"])
    errors = [finding for finding in findings if finding.is_error]
    assert any(named in finding.text() for finding in errors), findings
