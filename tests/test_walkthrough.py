"""The whole path through the web app, with real sign-ins: write, translate, edit, fix.

An editor writes an article; a translator translates it into Persian; the editor
changes one paragraph; the Persian counterpart is stale in exactly that paragraph;
the translator fixes it, and it is current again.
"""

from __future__ import annotations

import re

from editions.accounts.roles import create_user
from editions.content.articles import get_counterpart, source_segments
from editions.content.counterparts import unfinished_segments
from editions.content.status import Status, compute_status

PASSWORD = "a long enough secret"
BODY = (
    "The river festival returns to the old harbour this summer.\n\n"
    "Boats from five towns will sail in on Saturday morning.\n\n"
    "Entry to the harbour is free for everyone.\n"
)
PERSIAN = {
    "title": "جشنوارهٔ رود",
    "summary": "جشنوارهٔ رود به بندر بازمی‌گردد.",
    "The river festival returns to the old harbour this summer.": "جشنوارهٔ رود این تابستان به بندر قدیمی بازمی‌گردد.",  # noqa: E501
    "Boats from five towns will sail in on Saturday morning.": "قایق‌هایی از پنج شهر صبح شنبه به بندر می‌رسند.",  # noqa: E501
    "Entry to the harbour is free for everyone.": "ورود به بندر برای همه رایگان است.",
}


def signed_in(app, session, editions, username, role, edition):
    create_user(
        session,
        editions,
        username=username,
        password=PASSWORD,
        role=role,
        edition_codes=[edition],
    )
    session.commit()
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code in (302, 303)
    return client


def segment_fields(page: str) -> dict[str, str]:
    """Each segment's key and the version the translator's page was rendered with."""
    return dict(re.findall(r'name="version-([\w]+)" value="(\d+)"', page))


def fa_status(session, editions, article_id):
    session.expire_all()
    [row] = [
        row for row in compute_status(session, list(editions), [article_id]) if row.edition == "fa"
    ]
    return row


def test_write_translate_edit_and_fix_through_the_web(app, session, editions):
    editor = signed_in(app, session, editions, "elif", "editor", "en")
    translator = signed_in(app, session, editions, "leyla", "translator", "fa")

    # The editor writes and publishes an English article.
    article = {
        "source_edition": "en",
        "section": "articles",
        "date": "2026-07-04",
        "author": "Mira Dalen",
        "tags": "culture",
        "state": "published",
        "title": "The river festival",
        "summary": "The river festival comes back to the harbour.",
        "body": BODY,
    }
    created = editor.post("/dashboard/articles/new", data=article)
    assert created.status_code == 302, created.text
    article_id = int(created.headers["Location"].split("/")[-2])

    # The translator starts the Persian counterpart and translates every segment.
    started = translator.post(f"/dashboard/fa/posts/{article_id}/start")
    assert started.status_code == 302, started.text
    page = translator.get(f"/dashboard/fa/posts/{article_id}").text
    keys = segment_fields(page)
    session.expire_all()
    source = {segment.key: segment.text for segment in source_segments(session, article_id)}
    translation = {f"text-{key}": PERSIAN.get(key, PERSIAN.get(source[key])) for key in keys}
    versions = {f"version-{key}": version for key, version in keys.items()}
    published = translator.post(
        f"/dashboard/fa/posts/{article_id}",
        data={**translation, **versions, "action": "publish"},
    )
    assert published.status_code == 302, published.text
    assert fa_status(session, editions, article_id).status is Status.CURRENT

    # The editor changes one paragraph: the impact is shown, then saved.
    edited = BODY.replace("five towns", "seven towns")
    form = {**article, "body": edited, "revision": "1"}
    review = editor.post(
        f"/dashboard/articles/{article_id}/edit", data={**form, "action": "review"}
    )
    assert "1 paragraph becomes stale in Persian." in review.text
    saved = editor.post(f"/dashboard/articles/{article_id}/edit", data={**form, "action": "save"})
    assert saved.status_code == 302

    # The Persian counterpart is stale in exactly that paragraph.
    row = fa_status(session, editions, article_id)
    assert (row.status, row.segments_stale) == (Status.STALE, 1)
    counterpart = get_counterpart(session, article_id, "fa")
    _untranslated, stale = unfinished_segments(session, counterpart)
    [stale_key] = stale
    assert source[stale_key] == "Boats from five towns will sail in on Saturday morning."

    # The translator sees the change in that paragraph and fixes it.
    page = translator.get(f"/dashboard/fa/posts/{article_id}").text
    assert "<del>five</del>" in page and "<ins>seven</ins>" in page
    fixed = translator.post(
        f"/dashboard/fa/posts/{article_id}",
        data={
            f"text-{stale_key}": "قایق‌هایی از هفت شهر صبح شنبه به بندر می‌رسند.",
            f"version-{stale_key}": segment_fields(page)[stale_key],
            "action": "save",
        },
    )
    assert fixed.status_code == 302, fixed.text
    assert fa_status(session, editions, article_id).status is Status.CURRENT
