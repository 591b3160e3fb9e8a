"""The segment editor: roles, saving, conflicts between two translators, stale diffs, publishing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from editions.content.articles import SourceText, get_counterpart
from editions.content.sources import revise_source
from editions.core.models import PublicationState, Segment, Translation, TranslationChange
from tests.factories import SOURCE_BODY, make_article, revise_body


def url(edition="fa", article_id=16009, suffix=""):
    return f"/dashboard/{edition}/posts/{article_id}{suffix}"


def form_of(page_text: str) -> dict[str, str]:
    """The editor form's fields as the browser would send them back untouched."""
    import re

    fields = dict(re.findall(r'name="(version-[^"]+)" value="(\d+)"', page_text))
    for key, text in re.findall(r'name="text-([^"]+)"[^>]*>([^<]*)</textarea>', page_text):
        fields[f"text-{key}"] = text.replace("&#34;", '"').replace("&#39;", "'")
    return fields


@pytest.fixture
def article(session, editions):
    return make_article(session, editions, translate=("ar", "fa"))


def test_a_translator_opens_their_editions_counterpart(client, sign_in, article):
    sign_in(client, "translator", ["fa"])
    page = client.get(url("fa"))
    assert page.status_code == 200
    assert 'dir="rtl"' in page.text
    assert 'lang="fa" dir="rtl"' in page.text  # the target side
    assert 'lang="en" dir="ltr"' in page.text  # the source side


def test_a_translator_cannot_edit_another_edition(client, sign_in, article):
    sign_in(client, "translator", ["fa"])
    assert client.get(url("ar")).status_code == 403
    assert (
        client.post(url("ar"), data={"text-title": "عنوان", "version-title": "1"}).status_code
        == 403
    )
    assert client.post(url("sq", suffix="/start")).status_code == 403
    assert client.get(url("ar", suffix="/history")).status_code == 403


def test_an_editor_works_only_in_their_editions_and_a_coordinator_in_all(
    client, app, sign_in, article
):
    sign_in(client, "editor", ["sq"])
    assert client.get(url("fa")).status_code == 403
    assert client.get(url("sq")).status_code == 200
    coordinator = app.test_client()
    sign_in(coordinator, "coordinator")
    for code in ("ar", "fa", "sq"):
        assert coordinator.get(url(code)).status_code == 200


def test_an_unknown_edition_or_article_is_not_found(client, sign_in, article):
    sign_in(client, "coordinator")
    assert client.get(url("xx")).status_code == 404
    assert client.get(url("fa", 99999)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, article):
    response = client.get(url("fa"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_saving_a_segment_keeps_history(client, session, sign_in, article):
    user = sign_in(client, "translator", ["fa"])
    fields = form_of(client.get(url("fa")).text)
    fields["text-title"] = "جشنوارهٔ تازهٔ کتاب‌خوانی"
    response = client.post(url("fa"), data={**fields, "action": "save"})
    assert response.status_code == 302
    counterpart = get_counterpart(session, 16009, "fa")
    change = session.scalars(
        select(TranslationChange)
        .where(
            TranslationChange.counterpart_id == counterpart.id,
            TranslationChange.segment_key == "title",
        )
        .order_by(TranslationChange.id.desc())
    ).first()
    assert (change.old_text, change.new_text, change.user_id) == (
        "جشنوارهٔ کتاب‌خوانی",
        "جشنوارهٔ تازهٔ کتاب‌خوانی",
        user.id,
    )
    history = client.get(url("fa", suffix="/history"))
    assert "جشنوارهٔ تازهٔ کتاب‌خوانی" in history.text
    assert user.display_name in history.text


def test_the_second_of_two_translators_gets_a_conflict_and_nothing_is_overwritten(
    app, session, sign_in, article
):
    first, second = app.test_client(), app.test_client()
    sign_in(first, "translator", ["fa"], username="leila")
    sign_in(second, "translator", ["fa"], username="darius")
    first_form = form_of(first.get(url("fa")).text)
    second_form = form_of(second.get(url("fa")).text)

    first_form["text-title"] = "عنوان لیلا"
    assert first.post(url("fa"), data={**first_form, "action": "save"}).status_code == 302
    second_form["text-title"] = "عنوان داریوش"
    conflict = second.post(url("fa"), data={**second_form, "action": "save"})

    assert conflict.status_code == 409
    assert "Someone else saved" in conflict.text
    assert "عنوان لیلا" in conflict.text and "عنوان داریوش" in conflict.text
    counterpart = get_counterpart(session, 16009, "fa")
    title = session.scalars(
        select(Translation)
        .join(Segment, Segment.id == Translation.segment_id)
        .where(Translation.counterpart_id == counterpart.id, Segment.key == "title")
    ).one()
    session.refresh(title)
    assert title.text == "عنوان لیلا"
    # Having seen both, the second translator saves again from the new version.
    retry = form_of(conflict.text)
    retry["text-title"] = "عنوان داریوش"
    assert second.post(url("fa"), data={**retry, "action": "save"}).status_code == 302
    session.refresh(title)
    assert title.text == "عنوان داریوش"


def test_a_stale_segment_shows_a_word_diff_of_the_source(
    client, session, editions, sign_in, article
):
    revise_body(session, article, SOURCE_BODY.replace("on Friday", "on Saturday"))
    sign_in(client, "translator", ["fa"])
    page = client.get(url("fa"))
    assert "state-stale" in page.text
    assert "<del>Friday</del>" in page.text
    assert "<ins>Saturday</ins>" in page.text


def test_reviewing_a_stale_segment_confirms_it_against_the_new_source(
    client, session, editions, sign_in, article
):
    revise_source(
        session,
        article,
        SourceText("A reading festival!", "A new festival in the city.", SOURCE_BODY),
    )
    sign_in(client, "translator", ["fa"])
    fields = form_of(client.get(url("fa")).text)
    fields["reviewed-title"] = "on"
    assert client.post(url("fa"), data={**fields, "action": "save"}).status_code == 302
    assert "state-stale" not in client.get(url("fa")).text


def test_publishing_is_refused_with_what_is_left(client, session, editions, sign_in, article):
    revise_body(session, article, SOURCE_BODY + "\nA new closing line.\n")
    sign_in(client, "translator", ["fa"])
    fields = form_of(client.get(url("fa")).text)
    refused = client.post(url("fa"), data={**fields, "action": "publish"})
    assert refused.status_code == 409
    assert "Not published. Still untranslated: b5." in refused.text


def test_a_missing_counterpart_is_started_in_the_editor_then_saved_as_draft(
    client, session, sign_in, article
):
    sign_in(client, "translator", ["sq"])
    page = client.get(url("sq"))
    assert "There is no Albanian counterpart" in page.text
    assert client.post(url("sq", suffix="/start")).status_code == 302
    counterpart = get_counterpart(session, 16009, "sq")
    assert counterpart.state is PublicationState.DRAFT
    fields = form_of(client.get(url("sq")).text)
    fields["text-title"] = "Festivali i leximit"
    assert client.post(url("sq"), data={**fields, "action": "draft"}).status_code == 302
    translation = session.scalars(
        select(Translation).where(Translation.counterpart_id == counterpart.id)
    ).one()
    assert translation.draft
    assert "state-draft" in client.get(url("sq")).text


def test_a_complete_translation_is_published(client, session, sign_in, article):
    from tests.factories import TRANSLATIONS

    sign_in(client, "translator", ["sq"])
    client.post(url("sq", suffix="/start"))
    fields = form_of(client.get(url("sq")).text)
    source = TRANSLATIONS["sq"]
    body = [block for block in source.body.split("\n\n") if block.strip()]
    keys = [name.removeprefix("text-") for name in fields if name.startswith("text-")]
    texts = [source.title, source.summary, *(line.removeprefix("## ").strip() for line in body)]
    for key, text in zip(keys, texts, strict=True):
        fields[f"text-{key}"] = text
    response = client.post(url("sq"), data={**fields, "action": "publish"})
    assert response.status_code == 302, response.text
    assert get_counterpart(session, 16009, "sq").is_published


def test_quality_checks_are_shown_before_saving(client, sign_in, article):
    sign_in(client, "translator", ["fa"])
    fields = form_of(client.get(url("fa")).text)
    fields["text-title"] = "جشنواره كتاب"  # Arabic kaf where Persian keheh is meant
    checked = client.post(url("fa"), data={**fields, "action": "check"})
    assert checked.status_code == 200
    assert "finding-" in checked.text


def test_translation_memory_offers_an_earlier_translation_of_the_same_text(
    client, session, editions, sign_in, article
):
    make_article(session, editions, article_id=16010, translate=())
    sign_in(client, "translator", ["fa"])
    client.post(url("fa", 16010, "/start"))
    page = client.get(url("fa", 16010))
    assert "Translated before:" in page.text
    assert "ورود برای همه رایگان است." in page.text


def test_translation_memory_offers_a_close_text_with_its_similarity_and_differences(
    client, session, editions, sign_in, article
):
    close = SOURCE_BODY.replace("on Friday", "on Saturday")
    make_article(session, editions, article_id=16010, translate=(), body=close)
    sign_in(client, "translator", ["fa"])
    client.post(url("fa", 16010, "/start"))
    page = client.get(url("fa", 16010))
    assert "جشنواره روز جمعه در کتابخانهٔ شهر آغاز می‌شود." in page.text
    assert "89% alike" in page.text
    assert "<del>Friday</del><ins>Saturday</ins>" in page.text


def test_a_save_without_csrf_token_is_refused(app, client, session, sign_in, article):
    sign_in(client, "translator", ["fa"])
    app.config["WTF_CSRF_ENABLED"] = True
    fields = form_of(client.get(url("fa")).text)
    fields["text-title"] = "عنوانی که نباید ذخیره شود"
    assert client.post(url("fa"), data={**fields, "action": "save"}).status_code == 400
    assert "عنوانی که نباید ذخیره شود" not in client.get(url("fa")).text


def test_a_damaged_version_field_is_a_clear_400_not_a_server_error(client, sign_in, article):
    sign_in(client, "translator", ["fa"])
    for version in ("x", "1e3", "٣", "9" * 30):
        response = client.post(
            "/dashboard/fa/posts/16009",
            data={"action": "save", "text-b1": "متن", "version-b1": version},
        )
        assert response.status_code == 400
        assert "the form is damaged (version-b1 is not a version number)" in response.text
