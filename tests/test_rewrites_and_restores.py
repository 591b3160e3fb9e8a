"""A rewritten paragraph keeps its translation as a stale starting point with a diff, and
text that comes back into the source gets its translation back."""

from sqlalchemy import select

from editions.content.articles import SourceText, get_counterpart
from editions.content.counterparts import translate_segment
from editions.content.sources import preview_revision, revise_source
from editions.content.status import Status, compute_status
from editions.core.models import Article, Segment, TranslationChange
from editions.text.diff import Op
from editions.translation.editor import EditorSegment, SegmentState, editor_page
from tests.factories import SOURCE_BODY, make_article

TITLE, SUMMARY = "A reading festival", "A new festival in the city."
WORKSHOPS = "Readers meet translators in four workshops."
REWRITTEN = "At four long tables, people who read sit down with people who translate."
PERSIAN_WORKSHOPS = "خوانندگان در چهار کارگاه با مترجمان دیدار می‌کنند."


def source(body: str, title: str = TITLE) -> SourceText:
    return SourceText(title, SUMMARY, body)


def status(session, editions, code: str) -> Status:
    rows = compute_status(session, list(editions), [16009])
    return next(row.status for row in rows if row.edition == code)


def editor_view(session, editions, code: str) -> dict[str, EditorSegment]:
    article = session.get(Article, 16009)
    counterpart = get_counterpart(session, 16009, code)
    items = editor_page(session, editions[code], article, counterpart).segments
    return {item.segment.key: item for item in items}


def test_a_rewritten_paragraph_keeps_its_translation_as_stale_with_a_word_diff(session, editions):
    article = make_article(session, editions)
    impact = revise_source(session, article, source(SOURCE_BODY.replace(WORKSHOPS, REWRITTEN)))
    assert (impact.edited, impact.added, impact.removed) == (("b3",), (), ())
    rewritten = editor_view(session, editions, "fa")["b3"]
    assert rewritten.state is SegmentState.STALE
    assert rewritten.translation.text == PERSIAN_WORKSHOPS
    diff = rewritten.source_diff
    assert "".join(p.text for p in diff if p.op is not Op.ADDED) == WORKSHOPS
    assert "".join(p.text for p in diff if p.op is not Op.REMOVED) == REWRITTEN


def test_a_renamed_heading_and_a_full_rewrite_leave_nothing_untranslated(session, editions):
    article = make_article(session, editions)
    rewrite = (
        "## What is on\n\n"
        "On Friday the doors of the library open for the festival.\n\n"
        "Four workshops pair each reader with a translator.\n\n"
        "Nobody pays to come in.\n"
    )
    impact = revise_source(session, article, source(rewrite, title="Festival of reading"))
    assert impact.added == () and impact.removed == ()
    assert set(impact.edited) == {"title", "b1", "b2", "b3", "b4"}
    states = {key: item.state for key, item in editor_view(session, editions, "ar").items()}
    assert states == {
        "title": SegmentState.STALE,
        "summary": SegmentState.CURRENT,
        **{f"b{n}": SegmentState.STALE for n in range(1, 5)},
    }


def test_the_preview_names_a_rewrite_as_a_change_not_as_new_text(session, editions):
    article = make_article(session, editions)
    impact = preview_revision(session, article, source(SOURCE_BODY.replace(WORKSHOPS, REWRITTEN)))
    assert (impact.edited, impact.added) == (("b3",), ())


def test_a_deleted_then_restored_paragraph_is_current_again_and_said_so_in_history(
    session, editions
):
    article = make_article(session, editions)
    revise_source(session, article, source(SOURCE_BODY.replace(WORKSHOPS + "\n\n", "")))
    assert status(session, editions, "fa") is Status.CURRENT  # a deletion leaves it current

    revise_source(session, article, source(SOURCE_BODY))
    assert status(session, editions, "fa") is Status.CURRENT
    view = editor_view(session, editions, "fa")
    assert "b3" not in view  # removed keys are never reused: the text came back as b5
    assert view["b5"].state is SegmentState.CURRENT
    assert view["b5"].translation.text == PERSIAN_WORKSHOPS
    counterpart = get_counterpart(session, 16009, "fa")
    assert counterpart.is_published and PERSIAN_WORKSHOPS in counterpart.body
    change = session.scalars(
        select(TranslationChange)
        .where(TranslationChange.counterpart_id == counterpart.id)
        .order_by(TranslationChange.id.desc())
    ).first()
    assert (change.segment_key, change.origin, change.new_text) == (
        "b5",
        "restored",
        PERSIAN_WORKSHOPS,
    )


def four_becomes_five(session, article) -> tuple:
    """Edit "four workshops" to "five": the Albanian counterpart and the edited segment."""
    revise_source(session, article, source(SOURCE_BODY.replace("four", "five")))
    segment = session.scalars(
        select(Segment).where(Segment.article_id == 16009, Segment.key == "b3")
    ).one()
    return get_counterpart(session, 16009, "sq"), segment


def test_a_reverted_edit_brings_back_the_translation_of_the_old_text(session, editions):
    article = make_article(session, editions)
    counterpart, segment = four_becomes_five(session, article)
    translate_segment(
        session, counterpart, segment, "Lexuesit takojnë përkthyesit në pesë punëtori."
    )
    assert status(session, editions, "sq") is Status.CURRENT

    revise_source(session, article, source(SOURCE_BODY))
    item = editor_view(session, editions, "sq")["b3"]
    assert item.state is SegmentState.CURRENT
    assert item.translation.text == "Lexuesit takojnë përkthyesit në katër punëtori."


def test_a_draft_in_progress_is_not_replaced_by_a_restored_translation(session, editions):
    article = make_article(session, editions)
    counterpart, segment = four_becomes_five(session, article)
    draft = "Lexuesit takojnë përkthyesit në pesë"
    translate_segment(session, counterpart, segment, draft, draft=True)

    revise_source(session, article, source(SOURCE_BODY))
    item = editor_view(session, editions, "sq")["b3"]
    assert (item.state, item.translation.text) == (SegmentState.DRAFT, draft)


def test_text_translated_in_another_article_is_offered_not_restored(session, editions):
    make_article(session, editions)
    other = make_article(session, editions, article_id=16010, translate=())
    revise_source(session, other, source(SOURCE_BODY + "\nA closing line.\n"))
    other_view = {
        item.segment.key: item
        for item in editor_page(session, editions["fa"], other, None).segments
    }
    assert other_view["b3"].translation is None
    assert [match.text for match in other_view["b3"].memory] == [PERSIAN_WORKSHOPS]


def test_the_history_page_says_a_translation_was_restored(client, session, editions, sign_in):
    article = make_article(session, editions)
    revise_source(session, article, source(SOURCE_BODY.replace(WORKSHOPS + "\n\n", "")))
    revise_source(session, article, source(SOURCE_BODY))
    sign_in(client, "translator", ["fa"])
    page = client.get("/dashboard/fa/posts/16009/history")
    assert page.status_code == 200
    assert "restored: the source text came back" in page.text
