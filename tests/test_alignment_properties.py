"""Properties of source edits as stored: translations follow their paragraphs."""

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editions.content.articles import SourceText, get_counterpart, source_segments
from editions.content.counterparts import import_counterpart, unfinished_segments
from editions.content.sources import create_article, revise_source
from tests.factories import NOUNS

_word = st.sampled_from(
    [
        *NOUNS,
        "festival",
        "archive",
        "market",
        "council",
        "chorus",
        "workshop",
        "reader",
        "letter",
    ]
)
_paragraph = st.lists(_word, min_size=4, max_size=12).map(lambda words: " ".join(words) + ".")
_paragraphs = st.lists(_paragraph, min_size=1, max_size=8, unique=True)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(old=_paragraphs, data=st.data())
def test_unchanged_paragraphs_keep_current_translations_through_any_edit(
    session, editions, old, data
):
    kept = data.draw(st.lists(st.sampled_from(old), unique=True), label="kept")
    added = data.draw(st.lists(_paragraph.filter(lambda p: p not in old), max_size=3, unique=True))
    new = data.draw(st.permutations(kept + added), label="new") or ["One remaining paragraph."]
    savepoint = session.begin_nested()
    try:
        article = create_article(
            session,
            editions,
            article_id=90001,
            source_edition="en",
            section="articles",
            text=SourceText("Title", "", "\n\n".join(old)),
            published_on=date(2026, 1, 1),
        )
        translated = SourceText("Titull", "", "\n\n".join(f"sq {p}" for p in old))
        import_counterpart(session, editions, article, "sq", translated)
        revise_source(session, article, SourceText("Title", "", "\n\n".join(new)))
        sq = get_counterpart(session, article.id, "sq")
        untranslated, stale = unfinished_segments(session, sq)
        by_key = {segment.key: segment.text for segment in source_segments(session, article.id)}
        still_current = [by_key[key] for key in by_key if key not in untranslated + stale]
        assert set(kept) <= set(still_current)
        assert all(by_key[key] not in old for key in untranslated)
        assert all(f"sq {p}" in sq.body for p in kept)
    finally:
        savepoint.rollback()
