"""Authoring pages: an editor writes and edits source articles and sees the impact first."""

from __future__ import annotations

import io

import pytest
from PIL import Image as Pillow
from sqlalchemy import func, select

from editions.accounts.roles import create_user
from editions.content.articles import get_counterpart
from editions.content.history import revisions_select
from editions.content.images import Image
from editions.content.status import Status, compute_status
from tests.factories import SOURCE_BODY, make_article

PASSWORD = "a long enough secret"


def sign_in(client, session, editions, username, role, *codes):
    create_user(
        session, editions, username=username, password=PASSWORD, role=role, edition_codes=codes
    )
    session.commit()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code in (302, 303), response.status_code


@pytest.fixture
def editor(client, session, editions):
    sign_in(client, session, editions, "elif", "editor", "en")


def form(**changes):
    data = {
        "title": "A reading festival",
        "summary": "A new festival in the city.",
        "body": SOURCE_BODY,
        "section": "articles",
        "date": "2026-09-23",
        "author": "Mira Dalen",
        "tags": "culture, books",
        "state": "published",
        "revision": "1",
    }
    data.update(changes)
    return data


def source(session, article_id=16009):
    session.expire_all()  # the app saved through its own session
    return get_counterpart(session, article_id, "en")


def statuses(session, editions, article_id=16009):
    return {row.edition: row for row in compute_status(session, list(editions), [article_id])}


def test_an_editor_creates_an_article_from_the_new_article_page(client, session, editions, editor):
    page = client.get("/dashboard/articles/new")
    assert page.status_code == 200 and 'name="body"' in page.text
    created = client.post(
        "/dashboard/articles/new", data={**form(), "source_edition": "en", "state": "draft"}
    )
    assert created.status_code == 302
    article_id = int(created.headers["Location"].split("/")[-2])
    assert source(session, article_id).title == "A reading festival"


def test_the_new_article_form_names_what_is_wrong(client, editor):
    refused = client.post(
        "/dashboard/articles/new",
        data={**form(title="", date="soon", body="```\ncode\n```"), "source_edition": "en"},
    )
    assert refused.status_code == 400
    assert "must not be empty" in refused.text and "a date such as 2026-09-23" in refused.text


def test_editing_shows_the_impact_first_and_saves_only_when_confirmed(
    client, session, editions, editor
):
    make_article(session, editions)
    session.commit()
    edited = SOURCE_BODY.replace("four workshops", "five workshops")
    review = client.post("/dashboard/articles/16009/edit", data=form(body=edited, action="review"))
    assert review.status_code == 200
    assert "1 paragraph becomes stale in Arabic, Persian, and Albanian." in review.text
    assert 'value="save"' in review.text
    assert source(session).body == SOURCE_BODY  # nothing saved yet
    saved = client.post("/dashboard/articles/16009/edit", data=form(body=edited, action="save"))
    assert saved.status_code == 302
    assert source(session).body == edited
    assert statuses(session, editions)["fa"].status is Status.STALE
    assert statuses(session, editions)["fa"].segments_stale == 1


def test_a_save_from_an_outdated_page_is_refused(client, session, editions, editor):
    make_article(session, editions, translate=())
    session.commit()
    first = form(body=SOURCE_BODY.replace("Friday", "Saturday"), action="save")
    assert client.post("/dashboard/articles/16009/edit", data=first).status_code == 302
    late = form(body=SOURCE_BODY.replace("free", "cheap"), action="save")  # still revision 1
    refused = client.post("/dashboard/articles/16009/edit", data=late)
    assert refused.status_code == 409
    assert "Saturday" in source(session).body


def test_a_minor_edit_keeps_translations_current_and_is_visible_in_history(
    client, session, editions, editor
):
    make_article(session, editions)
    session.commit()
    typo = SOURCE_BODY.replace("Friday", "Friday,")
    no_note = client.post(
        "/dashboard/articles/16009/edit", data=form(body=typo, minor="on", action="save")
    )
    assert no_note.status_code == 400
    client.post(
        "/dashboard/articles/16009/edit",
        data=form(body=typo, minor="on", note="a comma", action="save"),
    )
    assert statuses(session, editions)["fa"].status is Status.CURRENT
    history = client.get("/dashboard/articles/16009/history")
    assert "Minor edit" in history.text and "a comma" in history.text and "elif" in history.text


def test_history_compares_any_two_revisions_and_restores_one(client, session, editions, editor):
    make_article(session, editions, translate=())
    session.commit()
    edited = SOURCE_BODY.replace("four workshops", "five workshops")
    client.post("/dashboard/articles/16009/edit", data=form(body=edited, action="save"))
    compared = client.get("/dashboard/articles/16009/compare?old=1&new=2")
    assert "<del>four</del><ins>five</ins>" in compared.text
    restored = client.post("/dashboard/articles/16009/revisions/1/restore")
    assert restored.status_code == 302
    assert source(session).body == SOURCE_BODY
    numbers = [revision.number for revision, _user in session.execute(revisions_select(16009))]
    assert numbers == [3, 2, 1]


def test_the_live_preview_renders_the_body_and_the_impact_so_far(client, session, editions, editor):
    make_article(session, editions)
    session.commit()
    preview = client.post(
        "/dashboard/articles/preview",
        data={
            "article_id": "16009",
            "title": "A reading festival",
            "summary": "A new festival in the city.",
            "body": SOURCE_BODY + "\nA <b>bold</b> new line.\n\nAnother one.\n",
        },
    )
    assert "<h2>Programme</h2>" in preview.json["html"]
    assert "<b>" not in preview.json["html"]
    assert preview.json["impact"] == ["2 new paragraphs to translate."]


def test_translators_may_not_write_source_articles(client, session, editions):
    sign_in(client, session, editions, "leyla", "translator", "fa")
    make_article(session, editions, translate=())
    session.commit()
    assert client.get("/dashboard/articles/new").status_code == 403
    assert client.get("/dashboard/articles/16009/edit").status_code == 403


def test_an_editor_may_not_edit_an_article_of_another_edition(client, session, editions):
    sign_in(client, session, editions, "arta", "editor", "sq")
    make_article(session, editions, translate=())
    session.commit()
    assert client.get("/dashboard/articles/16009/edit").status_code == 403


def png() -> bytes:
    out = io.BytesIO()
    Pillow.new("RGB", (3, 2), "navy").save(out, "PNG")
    return out.getvalue()


def test_uploading_an_image_answers_its_markdown_with_alt_text_and_caption(
    client, app, session, editor
):
    response = client.post(
        "/dashboard/articles/images",
        data={"image": (io.BytesIO(png()), "harbour.png"), "alt": "Boats", "caption": "Dawn"},
    )
    assert response.status_code == 201, response.json
    assert response.json["markdown"] == f'![Boats]({response.json["url"]} "Dawn")'
    image = client.get(response.json["url"])
    assert image.data == png()
    image.close()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.png", b"not an image at all", "not an image"),
        ("../harbour.png", png(), "without folders"),
    ],
    ids=["renamed text", "path"],
)
def test_a_refused_upload_says_why_and_stores_nothing(
    client, app, session, editor, name, data, message
):
    response = client.post("/dashboard/articles/images", data={"image": (io.BytesIO(data), name)})
    assert response.status_code == 400 and message in response.json["error"]
    assert session.scalar(select(func.count()).select_from(Image)) == 0


def test_an_oversized_upload_is_refused(client, app, session, editor):
    app.config["MAX_CONTENT_LENGTH"] = 2048
    big = png() + b"\0" * 4096
    response = client.post("/dashboard/articles/images", data={"image": (io.BytesIO(big), "a.png")})
    assert response.status_code == 413 and "at most" in response.json["error"]
    assert session.scalar(select(func.count()).select_from(Image)) == 0
