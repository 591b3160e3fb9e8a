"""Editing the source: what stays current, what becomes stale, what is refused."""

from datetime import date

import pytest
from sqlalchemy import func, select

from editions.content.articles import SourceText, get_counterpart, source_segments
from editions.content.counterparts import (
    NotReadyToPublish,
    add_counterpart,
    import_counterpart,
    publish,
    translate_segment,
    unfinished_segments,
)
from editions.content.sources import create_article, preview_revision, revise_source
from editions.content.status import Status, compute_status
from editions.core.errors import ContentError, UnknownEditionError
from editions.core.models import Article, Segment, SourceRevision, Translation, TranslationChange
from editions.text.segmentation import MarkdownError
from tests.factories import SOURCE_BODY, make_article, revise_body

EDITED_BODY = SOURCE_BODY.replace("four workshops", "five workshops").replace(
    "Entry is free", "A bookshop stays open late.\n\nEntry is free"
)


def statuses(session, editions, article_id=16009):
    return {row.edition: row for row in compute_status(session, list(editions), [article_id])}


def test_a_new_article_has_title_summary_and_body_segments_with_stable_keys(session, editions):
    article = make_article(session, editions, translate=())
    keys = [(s.key, s.kind) for s in source_segments(session, article.id)]
    assert keys == [
        ("title", "title"),
        ("summary", "summary"),
        ("b1", "heading"),
        ("b2", "paragraph"),
        ("b3", "paragraph"),
        ("b4", "paragraph"),
    ]


def test_editing_one_paragraph_and_adding_one_makes_exactly_those_stale(session, editions):
    article = make_article(session, editions)
    impact = revise_source(
        session,
        article,
        SourceText("A reading festival", "A new festival in the city.", EDITED_BODY),
    )
    assert (impact.edited, impact.added, impact.removed) == (("b3",), ("b5",), ())
    for code, row in statuses(session, editions).items():
        if code == "en":
            assert row.status is Status.CURRENT
        else:
            assert row.status is Status.STALE
            assert (row.segments_stale, row.segments_to_translate) == (1, 1)
            assert row.words_stale == 6  # "Readers meet translators in five workshops."
    fa = get_counterpart(session, article.id, "fa")
    _, stale = unfinished_segments(session, fa)
    assert stale == ["b3"]
    kept = session.scalars(
        select(Translation.source_text)
        .join(Segment, Segment.id == Translation.segment_id)
        .where(Translation.counterpart_id == fa.id, Segment.key == "b3")
    ).one()
    assert kept == "Readers meet translators in four workshops."  # the text it was made from


def test_translating_the_changed_segments_makes_the_counterpart_current_again(session, editions):
    article = make_article(session, editions, translate=("fa",))
    revise_source(
        session,
        article,
        SourceText("A reading festival", "A new festival in the city.", EDITED_BODY),
    )
    fa = get_counterpart(session, article.id, "fa")
    segments = {s.key: s for s in source_segments(session, article.id)}
    translate_segment(
        session, fa, segments["b3"], "خوانندگان در پنج کارگاه با مترجمان دیدار می‌کنند."
    )
    assert statuses(session, editions)["fa"].status is Status.STALE
    translate_segment(session, fa, segments["b5"], "یک کتاب‌فروشی تا دیروقت باز می‌ماند.")
    assert statuses(session, editions)["fa"].status is Status.CURRENT
    assert "پنج کارگاه" in fa.body and "کتاب‌فروشی" in fa.body


def test_a_minor_edit_keeps_translations_current_and_says_who_and_why(session, editions):
    article = make_article(session, editions)
    revise_body(
        session,
        article,
        SOURCE_BODY.replace("Friday at", "Friday, at"),
        minor=True,
        note="comma only",
    )
    assert {row.status for row in statuses(session, editions).values()} == {Status.CURRENT}
    revision = session.scalars(
        select(SourceRevision)
        .where(SourceRevision.article_id == article.id)
        .order_by(SourceRevision.number.desc())
    ).first()
    assert (revision.number, revision.minor, revision.note) == (2, True, "comma only")


def test_a_minor_edit_needs_a_reason(session, editions):
    article = make_article(session, editions, translate=())
    with pytest.raises(ContentError, match="needs a note"):
        revise_source(session, article, SourceText("T", "", "Changed."), minor=True)


def test_a_removed_paragraph_leaves_every_counterpart(session, editions):
    article = make_article(session, editions)
    revise_body(session, article, SOURCE_BODY.replace("Entry is free for everyone.\n", ""))
    assert "رایگان" not in get_counterpart(session, article.id, "fa").body
    assert {row.status for row in statuses(session, editions).values()} == {Status.CURRENT}


def test_whitespace_only_edits_leave_everything_current(session, editions):
    article = make_article(session, editions)
    revise_source(
        session,
        article,
        SourceText(
            "A  reading festival ", "A new festival in the city.", SOURCE_BODY.replace(" ", "  ")
        ),
    )
    assert {row.status for row in statuses(session, editions).values()} == {Status.CURRENT}


def test_preview_tells_the_impact_without_writing(session, editions):
    article = make_article(session, editions)
    impact = preview_revision(
        session,
        article,
        SourceText("A reading festival", "A new festival in the city.", EDITED_BODY),
    )
    assert (impact.edited, impact.added, impact.affected_editions) == (
        ("b3",),
        ("b5",),
        ("ar", "fa", "sq"),
    )
    assert session.scalar(select(func.count()).select_from(SourceRevision)) == 1
    assert {row.status for row in statuses(session, editions).values()} == {Status.CURRENT}


def test_removed_keys_are_never_reused(session, editions):
    article = make_article(session, editions, translate=())
    # The one paragraph left is a rewrite of the first paragraph (b2); b1, b3, b4 go.
    revise_source(session, article, SourceText("T", "", "Only one paragraph now."))
    revise_source(
        session, article, SourceText("T", "", "Only one paragraph now.\n\nA second, brand new one.")
    )
    assert [s.key for s in source_segments(session, article.id)] == ["title", "b2", "b5"]


def test_malformed_markdown_is_refused_before_anything_is_written(session, editions):
    before = session.scalar(select(func.count()).select_from(Article))
    with pytest.raises(MarkdownError, match="line 3: a fenced code block"):
        create_article(
            session,
            editions,
            article_id=17000,
            source_edition="en",
            section="articles",
            text=SourceText("Title", "", "Intro\n\n```\ncode\n```\n"),
            published_on=date(2026, 1, 1),
        )
    assert session.scalar(select(func.count()).select_from(Article)) == before


def test_an_unknown_edition_is_refused_with_the_known_ones(session, editions):
    article = make_article(session, editions, translate=())
    with pytest.raises(
        UnknownEditionError, match="unknown edition 'de'; this site publishes: ar, en, fa, sq"
    ):
        add_counterpart(session, editions, article, "de")


def test_a_translation_must_mirror_the_source_structure(session, editions):
    article = make_article(session, editions, translate=())
    with pytest.raises(ContentError, match="has 2 blocks but the source has 4"):
        import_counterpart(
            session, editions, article, "sq", SourceText("Titull", "", "Një.\n\nDy.\n")
        )


def test_publishing_needs_every_segment_translated_and_current(session, editions):
    article = make_article(session, editions, translate=())
    sq = add_counterpart(session, editions, article, "sq")
    title = source_segments(session, article.id)[0]
    translate_segment(session, sq, title, "Festivali i leximit")
    with pytest.raises(NotReadyToPublish, match="untranslated: summary, b1, b2, b3, b4") as refused:
        publish(session, sq, editions["sq"])
    assert refused.value.stale == ()


def test_every_translation_change_is_kept_in_history(session, editions):
    article = make_article(session, editions, translate=("sq",))
    sq = get_counterpart(session, article.id, "sq")
    title = source_segments(session, article.id)[0]
    translate_segment(session, sq, title, "Festivali i madh i leximit")
    assert translate_segment(session, sq, title, "Festivali i madh i leximit") is None
    changes = session.scalars(
        select(TranslationChange)
        .where(TranslationChange.counterpart_id == sq.id, TranslationChange.segment_key == "title")
        .order_by(TranslationChange.id)
    ).all()
    assert [(c.old_text, c.new_text) for c in changes] == [
        (None, "Festivali i leximit"),
        ("Festivali i leximit", "Festivali i madh i leximit"),
    ]


def test_script_and_event_handlers_never_reach_the_rendered_body(session, editions):
    article = make_article(session, editions, translate=())
    revise_source(
        session,
        article,
        SourceText(
            "T",
            "",
            "Click [here](javascript:alert(1)) or <img src=x onerror=alert(1)> "
            "<script>x()</script>",
        ),
    )
    html = get_counterpart(session, article.id, "en").body_html
    assert "href" not in html and "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html  # shown as text, never run


def test_tags_that_differ_only_in_case_are_one_tag(session, editions):
    article = create_article(
        session,
        editions,
        article_id=17001,
        source_edition="en",
        section="books",
        text=SourceText("A book launch", "", "A new book."),
        published_on=date(2026, 5, 1),
        tags=["Books", "books", "Culture"],
    )
    session.flush()
    assert [tag.slug for tag in article.tags] == ["books", "culture"]
