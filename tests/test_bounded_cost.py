"""No input, long article or request ties up a worker.

The few timed tests here are the issue's pathological inputs against a generous bound
(they took from seconds to minutes before): a slow machine passes them, a quadratic
algorithm does not. Everything else counts SQL statements or checks refusals.
"""

from __future__ import annotations

import random
import re
import time
from datetime import date

import pytest

from editions.content.articles import SourceText, get_counterpart
from editions.content.counterparts import add_counterpart
from editions.content.search import MAX_QUERY_WORDS, document_text, query_words, search
from editions.content.sources import create_article
from editions.core.languages import load_editions
from editions.core.settings import DEFAULT_EDITION_OVERRIDES
from editions.demo.synth import _words
from editions.exchange.importer import import_files
from editions.exchange.pofiles import read_upload
from editions.text.checks import (
    check_link_definitions,
    check_markup,
    check_numbers,
    check_punctuation,
    check_script,
    check_segment,
)
from editions.text.dates import NAMED_MISCONVERSIONS
from editions.text.diff import Op, word_diff
from editions.text.localization import localize_digits
from editions.text.segmentation import (
    MAX_ARTICLE_SEGMENTS,
    MAX_BODY_CHARACTERS,
    MAX_SEGMENT_CHARACTERS,
    MAX_SEGMENT_MARKUP,
    MarkdownError,
    count_words,
    split_body,
    without_link_targets,
)
from editions.text.terms import tokens
from tests.factories import make_article
from tests.sqlcount import count_queries

# Seconds. Each of these inputs took from 5 s to 4 minutes before, and well under a second
# since on a quiet machine; a CI machine busy with other work has taken 2.8 s.
BOUND = 4.0
UNCLOSED = "](" * 240_000  # 480 KB of link targets that never close
_FA = load_editions(("fa",), DEFAULT_EDITION_OVERRIDES)["fa"]


def timed(action):
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


# ---------------------------------------------------------------- linear text processing


@pytest.mark.parametrize(
    "work",
    [
        lambda: without_link_targets(UNCLOSED),
        lambda: count_words(UNCLOSED),
        lambda: check_script("", UNCLOSED + "Tirana 1960", _FA),
        lambda: check_punctuation("", UNCLOSED + ", ;", _FA),
        lambda: check_markup("Text", UNCLOSED, _FA),
        lambda: check_segment("Text 12.", UNCLOSED, _FA),
        lambda: check_link_definitions("", "[" * 480_000, _FA),
        lambda: tokens(UNCLOSED + " harbour"),
    ],
    ids=[
        "link-targets",
        "word-count",
        "script",
        "punctuation",
        "markup",
        "all-checks",
        "link-definitions",
        "glossary-words",
    ],
)
def test_480_kb_of_unclosed_link_targets_is_checked_at_once(work):
    _result, seconds = timed(work)
    assert seconds < BOUND


def _repeated(unit: str) -> str:
    """``unit`` over and over, 20 segments long (``check_numbers`` alone takes any size)."""
    size = MAX_SEGMENT_CHARACTERS * 20
    return (unit * (size // len(unit) + 1))[:size]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        # Days and connectors that never reach a month: each start reads a bounded stretch
        # (with an unbounded repetition of "to 1" this took over a minute).
        (_repeated("1 to "), _repeated("۱ تا ")),
        (_repeated("1   "), _repeated("۱ و")),
        # Month names without days, and Arabic double names.
        (_repeated("March "), _repeated("11 مارس/")),
        # Thousands of dates that all match, or none, or are written twice.
        (_repeated("1 March "), _repeated("۱۱ اسفند ")),
        (_repeated("11 March 2026 "), _repeated("۲۱ اسفند ۱۴۰۵ ")),
        (_repeated("27 June "), _repeated("۶ تیر (۲۷ ژوئن) ")),
    ],
    ids=["ranges", "spaces", "month-names", "matching-dates", "wrong-dates", "restated-dates"],
)
def test_100_kb_of_dates_are_compared_in_linear_time(source, target):
    findings, seconds = timed(lambda: check_numbers(source, target, _FA))
    assert seconds < BOUND
    assert len(findings) <= NAMED_MISCONVERSIONS + 1  # the first wrong dates, then one error


def test_the_checks_refuse_an_oversized_translation_with_one_clear_error():
    findings, seconds = timed(lambda: check_segment("Text 12.", UNCLOSED, _FA))
    assert seconds < BOUND
    assert [finding.code for finding in findings] == ["too-long"]
    assert findings[0].params == {"count": len(UNCLOSED), "limit": MAX_SEGMENT_CHARACTERS}
    marked = check_segment("Text", "[" * (MAX_SEGMENT_MARKUP + 1), _FA)
    assert [finding.code for finding in marked] == ["too-much-markup"]


def test_link_targets_are_cut_as_the_pattern_did_in_linear_time():
    pattern = re.compile(r"\]\([^)]*\)")
    for text in ("a [b](c) d", "](x](y) z", "[a](b", "x](", "[a](b) [c](d", "no links", ")]("):
        assert without_link_targets(text) == pattern.sub("]", text)


def test_the_markdown_checks_stay_fast_on_the_worst_segment_allowed():
    # Brackets cost the Markdown parser most: as many as a segment may have.
    worst = ("![" * (MAX_SEGMENT_MARKUP // 2)).ljust(MAX_SEGMENT_CHARACTERS, "a")
    _findings, seconds = timed(lambda: check_segment(worst, worst, _FA))
    assert seconds < BOUND


def test_a_word_diff_of_24_kb_of_one_repeated_word_is_quick_and_exact():
    old = "word " * 4_800
    new = old[:12_000] + "bird " + old[12_000:]
    pieces, seconds = timed(lambda: word_diff(old, new))
    assert seconds < BOUND
    assert [(piece.op, piece.text) for piece in pieces if piece.op is not Op.SAME] == [
        (Op.ADDED, "bird ")
    ]
    unlike, seconds = timed(lambda: word_diff("word " * 6_000, "ward " * 6_000))
    assert seconds < BOUND  # past the budget: the middle is removed and added whole
    assert "".join(p.text for p in unlike if p.op is not Op.ADDED) == "word " * 6_000


def test_the_search_index_reads_link_targets_in_linear_time(session, editions):
    article = make_article(session, editions, translate=())
    source = get_counterpart(session, article.id, "en")
    source.body = UNCLOSED + " harbour"
    folded, seconds = timed(lambda: document_text(source))
    assert seconds < BOUND and folded.endswith("harbour")


# ---------------------------------------------------------------- limits on every path


def test_a_body_over_the_limits_is_refused_before_it_is_parsed():
    with pytest.raises(MarkdownError, match="at most 2000000 characters"):
        split_body("a" * (MAX_BODY_CHARACTERS + 1))
    with pytest.raises(MarkdownError, match="at most 40000 Markdown symbols"):
        split_body("*" * 40_001)
    long_paragraph = "Intro.\n\n" + "word " * 1_200
    with pytest.raises(MarkdownError, match="line 3: a segment may have at most 5000 characters"):
        split_body(long_paragraph)
    many = "\n\n".join("Paragraph." for _ in range(MAX_ARTICLE_SEGMENTS + 1))
    with pytest.raises(MarkdownError, match="at most 5000 paragraphs"):
        split_body(many)


def test_the_editor_refuses_an_oversized_segment_and_keeps_the_page_quick(
    client, session, editions, sign_in
):
    make_article(session, editions, translate=("fa",))
    sign_in(client, "translator", ["fa"])
    page = client.get("/dashboard/fa/posts/16009")
    form = {"action": "draft", "text-b2": "متن " * 2_000, "version-b2": _version(page.text, "b2")}
    refused = client.post("/dashboard/fa/posts/16009", data=form)
    assert refused.status_code == 400
    assert "segment b2: a segment may have at most 5000 characters" in refused.text
    checked, seconds = timed(
        lambda: client.post(
            "/dashboard/fa/posts/16009", data={**form, "action": "check", "text-b2": UNCLOSED}
        )
    )
    assert checked.status_code == 200 and seconds < BOUND


def test_a_po_preview_refuses_a_100_kb_msgstr_at_once(session, editions):
    make_article(session, editions, translate=())
    po = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: fa\\n"\n\n'
        f'msgctxt "16009:b2"\nmsgid "The festival opens on Friday at the city library."\n'
        f'msgstr "{"](" * 50_000}"\n'
    )
    files = read_upload(po.encode(), "fa.po", editions, edition="fa", limit=5_000_000)
    report, seconds = timed(
        lambda: import_files(
            session, editions, files, filename="fa.po", sha256="x", user=None, dry_run=True
        )
    )
    assert seconds < BOUND
    [entry] = report.entries
    assert entry.outcome.value == "rejected" and "a segment may have 5000" in entry.reason


def test_the_api_refuses_an_oversized_counterpart_with_a_problem(client, session, editions):
    from tests.test_api import token_for

    make_article(session, editions, translate=())
    headers = token_for(session, editions, "leyla", "translator", "fa")
    body = "\n\n".join(["یک."] * 4) + "\n\n" + "واژه " * 1_200
    response = client.put(
        "/api/v1/articles/16009/fa", json={"title": "عنوان", "body": body}, headers=headers
    )
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    # In the edition's language and digits (the URL names fa), with the limit and the count.
    detail = response.json["detail"]
    assert localize_digits("5000", "fa") in detail and localize_digits("5999", "fa") in detail
    assert response.json["fields"]["body"] == response.json["detail"]


# ---------------------------------------------------------------- search with a budget


def test_a_query_searches_at_most_a_few_distinct_words():
    assert query_words("a " * 1_900) == ["a"]
    words = query_words(" ".join(f"w{n}" for n in range(100)))
    assert words == [f"w{n}" for n in range(MAX_QUERY_WORDS)]


def test_public_search_with_thousands_of_terms_answers_at_once(client, session, editions):
    make_article(session, editions, translate=("fa",))
    response, seconds = timed(lambda: client.get("/en/search", query_string={"q": "a " * 1_900}))
    assert response.status_code == 200 and seconds < BOUND
    distinct = " ".join(f"{chr(97 + n % 26)}{n}" for n in range(1_900))
    response, seconds = timed(lambda: client.get("/en/search", query_string={"q": distinct}))
    assert response.status_code == 200 and seconds < BOUND


def test_normal_queries_find_what_they_found_before(session, editions):
    make_article(session, editions, translate=("fa",))
    assert search(session, "en", "festival library") == [16009]
    assert search(session, "en", "fest libr") == [16009]  # every word is also a prefix
    assert search(session, "fa", "کتابخانهٔ جشنواره") == [16009]
    assert search(session, "en", "festival submarine") == []
    # A one-letter word is a word, not a prefix of half the vocabulary.
    assert search(session, "en", "festival f") == []


# ---------------------------------------------------------------- long articles


@pytest.mark.parametrize("paragraphs", [600, 2_000])
def test_the_editor_opens_a_long_untranslated_article_page_by_page(
    client, session, editions, connection, sign_in, paragraphs
):
    rng = random.Random(paragraphs)
    body = "\n\n".join(_words(rng, "en", 12) for _ in range(paragraphs))
    article = create_article(
        session,
        editions,
        article_id=16100,
        source_edition="en",
        section="books",
        text=SourceText("A long report", "", body),
        published_on=date(2026, 1, 1),
    )
    add_counterpart(session, editions, article, "fa")
    sign_in(client, "translator", ["fa"])
    with count_queries(connection) as first:
        page = client.get("/dashboard/fa/posts/16100")
    assert page.status_code == 200
    assert page.text.count('name="text-') == 50
    assert f"Segments 1–50 of {paragraphs + 1:,}" in page.text
    with count_queries(connection) as last:
        final = client.get(f"/dashboard/fa/posts/16100?page={(paragraphs + 1 + 49) // 50}")
    assert final.status_code == 200 and f"b{paragraphs}" in final.text
    assert first.count == last.count <= 12


def _version(html: str, key: str) -> str:
    return re.search(rf'name="version-{key}" value="(\d+)"', html)[1]
