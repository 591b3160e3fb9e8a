"""Newsletter issues as compositions: readiness per edition is derived from the items."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from editions.content.articles import SourceText, get_article, get_counterpart, source_segments
from editions.content.counterparts import import_counterpart, translate_segment, unfinished_segments
from editions.content.sources import revise_source
from editions.content.status import Status
from editions.core.errors import ContentError
from editions.core.models import PublicationState, Segment
from editions.newsletter import (
    Composition,
    MissingItems,
    NewsletterError,
    compose,
    create_issue,
    get_issue,
    readiness,
    teaser_key,
)
from tests.factories import SOURCE_BODY, make_article, revise_body
from tests.sqlcount import count_queries

INTRODUCTIONS = {
    "ar": SourceText("أخبار الحي", "عدد جديد.", "يحمل هذا العدد أخبار الحي.\n"),
    "fa": SourceText("خبرهای محله", "شماره‌ای تازه.", "این شماره خبرهای محله را در بر دارد.\n"),
    "sq": SourceText("Lajme nga lagjja", "Një numër i ri.", "Ky numër sjell lajme nga lagjja.\n"),
}
TEASERS = {
    "ar": "قراءة ممتعة للجميع.",
    "fa": "خواندنی برای همه.",
    "sq": "Lexim i këndshëm për të gjithë.",
}


def make_issue(
    session,
    editions,
    articles,
    *,
    number=128,
    translate=("ar", "fa", "sq"),
    teasers=None,
    policy=MissingItems.LEAVE_OUT,
):
    issue = create_issue(
        session,
        editions,
        number=number,
        published_on=date(2026, 10, 2),
        source_edition="en",
        text=SourceText("News from the neighbourhood", "A new issue.", "This issue brings news.\n"),
        composition=Composition(articles, teasers or {}, policy),
        article_id=900 + number,
    )
    for code in translate:
        import_counterpart(
            session, editions, get_article(session, issue.article_id), code, INTRODUCTIONS[code]
        )
    session.flush()
    return issue


def state(session, editions, issue):
    found = readiness(session, [issue.article_id], list(editions))
    return {code: found[(issue.article_id, code)] for code in editions}


def test_an_issue_is_ready_where_its_text_and_every_item_are_current(session, editions):
    make_article(session, editions, article_id=1)
    make_article(session, editions, article_id=2)
    issue = make_issue(session, editions, [1, 2])
    ready = state(session, editions, issue)
    assert all(entry.ready for entry in ready.values())
    assert [item.article_id for item in ready["fa"].items] == [1, 2]


def test_each_missing_draft_and_stale_item_is_named_in_its_edition(session, editions):
    make_article(session, editions, article_id=1)
    make_article(session, editions, article_id=2, translate=("ar", "sq"))  # no Persian
    make_article(session, editions, article_id=3)
    make_article(session, editions, article_id=4)
    get_counterpart(session, 3, "ar").state = PublicationState.DRAFT
    revise_body(session, get_article(session, 4), SOURCE_BODY + "\nA new closing paragraph.\n")
    issue = make_issue(session, editions, [1, 2, 3, 4])
    ready = state(session, editions, issue)
    assert ready["en"].ready
    assert (ready["fa"].missing, ready["fa"].draft, ready["fa"].stale) == (1, 0, 1)
    assert (ready["ar"].missing, ready["ar"].draft, ready["ar"].stale) == (0, 1, 1)
    assert [item.status for item in ready["ar"].items] == [
        Status.CURRENT,
        Status.CURRENT,
        Status.DRAFT,
        Status.STALE,
    ]
    assert not any(ready[code].ready for code in ("ar", "fa", "sq"))
    assert all(ready[code].text is Status.CURRENT for code in editions)


def test_the_introduction_is_missing_draft_or_stale_like_any_article(session, editions):
    make_article(session, editions, article_id=1)
    issue = make_issue(session, editions, [1], translate=("ar", "fa"))
    get_counterpart(session, issue.article_id, "fa").state = PublicationState.DRAFT
    assert state(session, editions, issue)["sq"].text is Status.MISSING
    assert state(session, editions, issue)["fa"].text is Status.DRAFT
    revise_source(
        session,
        get_article(session, issue.article_id),
        SourceText(
            "News from the neighbourhood",
            "A new issue.",
            "This issue brings news from the whole city.\n",
        ),
    )
    ready = state(session, editions, issue)
    assert ready["ar"].text is Status.STALE and not ready["ar"].ready
    assert ready["en"].ready


def test_a_teaser_is_part_of_the_issue_text_translated_and_stale_like_a_segment(session, editions):
    make_article(session, editions, article_id=1)
    issue = make_issue(session, editions, [1])
    compose(session, issue, Composition([1], {1: "A festival for every reader."}))
    key = teaser_key(1)
    # Not translated yet: the issue's text is no longer current anywhere but its source.
    ready = state(session, editions, issue)
    assert ready["en"].ready and ready["fa"].text is Status.STALE
    fa = get_counterpart(session, issue.article_id, "fa")
    assert unfinished_segments(session, fa) == ([key], [])
    teaser = next(s for s in source_segments(session, issue.article_id) if s.key == key)
    for code, text in TEASERS.items():
        counterpart = get_counterpart(session, issue.article_id, code)
        translate_segment(session, counterpart, teaser, text)
    assert all(entry.ready for entry in state(session, editions, issue).values())
    # The body a reader sees is rebuilt without the teaser.
    assert "خواندنی" not in fa.body and "خبرهای محله" in fa.title
    compose(session, issue, Composition([1], {1: "A festival for every single reader."}))
    assert unfinished_segments(session, fa) == ([], [key])
    assert state(session, editions, issue)["fa"].text is Status.STALE
    compose(session, issue, Composition([1]))
    assert session.scalar(select(Segment).where(Segment.key == key)) is None
    assert state(session, editions, issue)["fa"].ready


def test_a_translated_introduction_still_imports_when_the_issue_has_teasers(session, editions):
    make_article(session, editions, article_id=1)
    issue = make_issue(session, editions, [1], translate=(), teasers={1: "Read this."})
    counterpart = import_counterpart(
        session,
        editions,
        get_article(session, issue.article_id),
        "sq",
        INTRODUCTIONS["sq"],
        state=PublicationState.DRAFT,
    )
    assert counterpart.body.strip() == "Ky numër sjell lajme nga lagjja."


def test_the_policy_decides_which_items_a_reader_of_the_edition_sees(session, editions):
    make_article(session, editions, article_id=1)
    make_article(session, editions, article_id=2, translate=("ar",))
    issue = make_issue(session, editions, [2, 1])
    fa = state(session, editions, issue)["fa"]
    assert [item.article_id for item in fa.shown(MissingItems.LEAVE_OUT)] == [1]
    assert [item.article_id for item in fa.shown(MissingItems.LINK_TO_SOURCE)] == [2, 1]


def test_composing_reorders_adds_and_removes_items(session, editions):
    for article_id in (1, 2, 3):
        make_article(session, editions, article_id=article_id, translate=())
    issue = make_issue(session, editions, [1, 2], translate=())
    compose(session, issue, Composition([3, 1], {}, MissingItems.LINK_TO_SOURCE))
    ready = state(session, editions, issue)["en"]
    assert [item.article_id for item in ready.items] == [3, 1]
    assert get_issue(session, 128).missing_items is MissingItems.LINK_TO_SOURCE


@pytest.mark.parametrize(
    ("articles", "teasers", "problem"),
    [
        ([1, 1], {}, "each article once"),
        ([1, 77], {}, "no article 77"),
        ([1], {2: "x"}, "does not present"),
        ([1, 1000], {}, "newsletter issue or a page"),  # issue 100's own article
        ([1, 999], {}, "cannot present itself"),
        ([1], {1: "bad\u202etext"}, "invisible control character"),
        (list(range(1, 50)), {}, "at most 40"),
    ],
)
def test_a_bad_composition_is_refused_and_changes_nothing(
    session, editions, articles, teasers, problem
):
    make_article(session, editions, article_id=1)
    issue = make_issue(session, editions, [1], number=99, translate=())
    make_issue(session, editions, [1], number=100, translate=())  # article 1000
    with pytest.raises(ContentError) as error:
        compose(session, issue, Composition(articles, teasers))
    assert problem in str(error.value)
    assert [item.article_id for item in state(session, editions, issue)["en"].items] == [1]


def test_an_issue_number_is_taken_once(session, editions):
    make_article(session, editions, article_id=1)
    make_issue(session, editions, [1], translate=())
    with pytest.raises(NewsletterError, match="already exists"):
        make_issue(session, editions, [1], translate=())


def test_readiness_of_many_issues_in_every_edition_is_one_statement(session, connection, editions):
    for article_id in range(1, 7):
        make_article(session, editions, article_id=article_id, translate=("ar",))
    issues = [make_issue(session, editions, [1, 2, 3, 4, 5, 6], number=n) for n in range(1, 6)]
    readiness(session, [], list(editions))
    session.flush()
    from editions.content.status import refresh_pending_status

    refresh_pending_status(session)
    with count_queries(connection) as queries:
        found = readiness(session, [issue.article_id for issue in issues], list(editions))
    assert queries.count == 1
    assert len(found) == 5 * 4
    assert found[(issues[0].article_id, "fa")].missing == 6
