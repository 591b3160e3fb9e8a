"""Status is derived from segments, for the whole corpus, in one query."""

from collections import Counter

from editions.content.articles import get_counterpart
from editions.content.status import Status, compute_status
from editions.core.models import PublicationState
from editions.demo.synth import generate
from tests.factories import make_article
from tests.sqlcount import count_queries


def test_every_status_is_derived_from_the_segments(session, editions):
    make_article(session, editions, translate=("ar", "fa"))
    get_counterpart(session, 16009, "ar").state = PublicationState.DRAFT
    session.flush()
    rows = {row.edition: row for row in compute_status(session, list(editions))}
    assert {code: row.status for code, row in rows.items()} == {
        "en": Status.CURRENT,
        "ar": Status.DRAFT,
        "fa": Status.CURRENT,
        "sq": Status.MISSING,
    }
    assert rows["sq"].words_to_translate == rows["sq"].words == 30
    assert rows["fa"].words_to_translate == 0


def test_status_of_a_whole_synthetic_corpus_takes_one_query(session, connection, editions):
    generate(session, list(editions), articles=300, seed=7)
    session.flush()
    with count_queries(connection) as queries:
        rows = compute_status(session, list(editions))
    assert queries.count == 1
    assert len(rows) == 300 * 4
    mix = Counter(row.status for row in rows if row.edition != row.source_edition)
    assert set(mix) == {Status.MISSING, Status.DRAFT, Status.STALE, Status.CURRENT}
    assert mix[Status.CURRENT] > mix[Status.STALE] > 0
    stale = next(row for row in rows if row.status is Status.STALE)
    assert stale.segments_stale == 1 and stale.words_stale == 64


def test_status_can_be_limited_to_some_articles(session, editions):
    make_article(session, editions, article_id=1)
    make_article(session, editions, article_id=2, translate=())
    assert {row.article_id for row in compute_status(session, list(editions), [2])} == {2}


def test_kept_statuses_follow_every_content_operation(sessions, editions):
    from sqlalchemy import select

    from editions.content.articles import SourceText
    from editions.content.sources import revise_source
    from editions.content.status import StatusEntry
    from tests.factories import SOURCE_BODY

    with sessions() as session:
        article = make_article(session, editions, translate=("fa",))
        session.commit()
        revise_source(
            session, article, SourceText("A reading festival", "", SOURCE_BODY + "\nMore.\n")
        )
        session.commit()
        kept = {
            entry.edition: (entry.status, entry.words_to_translate)
            for entry in session.scalars(select(StatusEntry).where(StatusEntry.article_id == 16009))
        }
        live = {
            row.edition: (row.status, row.words_to_translate)
            for row in compute_status(session, list(editions), [16009])
        }
        assert kept == live
        assert kept["fa"][0] is Status.STALE and kept["ar"][0] is Status.MISSING


def test_synth_keeps_the_statuses_of_what_it_generates(session, editions):
    from sqlalchemy import func, select

    from editions.content.status import StatusEntry

    generate(session, list(editions), articles=40, seed=3)
    assert session.scalar(select(func.count()).select_from(StatusEntry)) == 160
