"""Search per edition, tolerant of the spellings readers type, on SQLite FTS5 and PostgreSQL."""

from __future__ import annotations

import pytest

from editions.content.articles import SourceText, get_counterpart
from editions.content.counterparts import import_counterpart
from editions.content.search import normalize_for_search, reindex, search
from editions.core.models import PublicationState
from tests.factories import make_article

# ------------------------------------------------------------------ the one normalization


@pytest.mark.parametrize(
    ("typed", "indexed"),
    [
        ("كتاب", "کتاب"),  # Arabic kaf / keheh
        ("علي", "علی"),  # Arabic yeh / Persian yeh
        ("على", "علی"),  # alef maksura
        ("أحمد", "احمد"),  # alef with hamza above
        ("إسلام", "اسلام"),  # alef with hamza below
        ("آب", "اب"),  # alef with madda
        ("كِتَابٌ", "کتاب"),  # tashkeel
        ("كتـــاب", "کتاب"),  # tatweel
        ("می‌شود", "میشود"),  # zero-width non-joiner
        ("۱۴۰۵", "1405"),  # Persian digits
        ("٢٠٢٦", "2026"),  # Arabic-Indic digits
        ("Kulturë", "kulture"),  # Latin case and diacritics
    ],
)
def test_spelling_variants_fold_to_one_form(typed, indexed):
    assert normalize_for_search(typed) == normalize_for_search(indexed)


def test_folding_keeps_words_and_drops_punctuation():
    assert normalize_for_search("Hello, **world**! [link](https://example.org/x)") == (
        "hello world link https example org x"
    )


# ------------------------------------------------------------------ search on both databases


@pytest.fixture
def festival(session, editions):
    article = make_article(session, editions)
    session.flush()
    return article


def test_an_english_word_finds_the_article_in_its_edition_only(session, festival):
    assert search(session, "en", "library") == [16009]
    assert search(session, "sq", "library") == []


def test_every_word_must_match_and_the_last_may_be_a_prefix(session, festival):
    assert search(session, "en", "festival libr") == [16009]
    assert search(session, "en", "festival submarine") == []


@pytest.mark.parametrize(
    "query",
    [
        "كتابخانه",  # Arabic kaf for Persian keheh
        "كتابخانهٔ",  # with the ezafe hamza
        "کتاب‌خوانی",  # with the ZWNJ, as the text has it
        "کتابخوانی",  # without it
        "جشنوارهٔ",
    ],
)
def test_persian_search_is_tolerant_of_spelling_variants(session, festival, query):
    assert search(session, "fa", query) == [16009]


def test_arabic_search_ignores_tashkeel_and_alef_forms(session, festival):
    assert search(session, "ar", "مَكْتَبَة") == [16009]
    assert search(session, "ar", "المدينه") == [16009]  # teh marbuta typed as heh


def test_digits_match_in_any_script(session, editions):
    body = "The market has 24 stalls.\n"
    article = make_article(session, editions, article_id=16020, translate=(), body=body)
    import_counterpart(
        session,
        editions,
        article,
        "fa",
        SourceText("بازار", "بازار تازه.", "بازار ۲۴ غرفه دارد.\n"),
    )
    session.flush()
    assert search(session, "fa", "24") == [16020]
    assert search(session, "en", "۲۴") == [16020]


def test_a_draft_counterpart_is_not_found(session, festival):
    get_counterpart(session, 16009, "sq").state = PublicationState.DRAFT
    session.flush()
    assert search(session, "sq", "festivali") == []


def test_the_index_follows_a_changed_translation(session, editions, festival):
    import_counterpart(
        session,
        editions,
        festival,
        "sq",
        SourceText(
            "Panairi i librit",
            "Një panair i ri.",
            "## Programi\n\nPanairi hapet të shtunën.\n\nLexuesit takohen.\n\nHyrja falas.\n",
        ),
    )
    session.flush()
    assert search(session, "sq", "panairi") == [16009]
    assert search(session, "sq", "festivali") == []


def test_reindex_rebuilds_every_entry(session, festival):
    assert reindex(session) == 4
    assert search(session, "en", "library") == [16009]


def test_a_search_page_lists_what_it_found(client, session, festival):
    session.commit()
    response = client.get("/fa/search?q=كتابخانه")
    assert response.status_code == 200
    assert 'href="/fa/posts/16009"' in response.text.split('class="sidebar"')[0]
