"""The JSON API as an existing CMS uses it: tokens, validation, ETags and If-Match."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from editions.accounts.roles import create_user
from editions.accounts.tokens import ApiToken, create_token
from editions.content.articles import get_counterpart
from tests.factories import SOURCE_BODY, TRANSLATIONS, make_article

NEW = {
    "source_edition": "en",
    "section": "articles",
    "date": "2026-10-01",
    "title": "Rivers in the city",
    "summary": "Three rivers, one city.",
    "body": "The first river is the oldest.\n\nThe second one is the widest.\n",
    "tags": ["city"],
    "author": "Mira Dalen",
}


def token_for(session, editions, username, role, *codes) -> dict[str, str]:
    user = create_user(
        session,
        editions,
        username=username,
        password="a long enough secret",
        role=role,
        edition_codes=codes,
    )
    _token, secret = create_token(session, user, "CMS")
    session.flush()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def editor(session, editions):
    return token_for(session, editions, "elif", "editor", "en")


@pytest.fixture
def translator(session, editions):
    return token_for(session, editions, "leyla", "translator", "fa")


def test_requests_without_a_valid_token_get_401(client, session, editions, editor):
    assert client.get("/api/v1/articles").status_code == 401
    wrong = client.get("/api/v1/articles", headers={"Authorization": "Bearer edt_nope"})
    assert wrong.status_code == 401
    assert wrong.mimetype == "application/problem+json"
    assert wrong.headers["WWW-Authenticate"] == 'Bearer realm="editions"'
    assert wrong.json["status"] == 401 and wrong.json["title"] == "Unauthorized"
    assert wrong.json["detail"].startswith("A valid API token is required")
    assert client.get("/api/v1/articles", headers=editor).status_code == 200


def test_tokens_are_stored_hashed_and_a_revoked_token_stops_working(
    run_cli, client, session, editions
):
    create_user(
        session, editions, username="ana", password="a long enough secret", role="coordinator"
    )
    session.flush()
    created = run_cli("tokens", "create", "--user", "ana", "--name", "CMS")
    assert created.exit_code == 0, created.output
    secret = created.output.strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/articles", headers=headers).status_code == 200
    token = session.scalars(select(ApiToken)).one()
    assert secret not in (token.token_hash, token.shown) and secret.startswith(token.shown)
    listed = run_cli("tokens", "list")
    assert "ana" in listed.output and "active" in listed.output and secret not in listed.output
    assert run_cli("tokens", "revoke", str(token.id)).exit_code == 0
    assert client.get("/api/v1/articles", headers=headers).status_code == 401


def test_an_editor_creates_an_article_and_reads_it_back_with_its_statuses(client, editor):
    created = client.post("/api/v1/articles", json=NEW, headers=editor)
    assert created.status_code == 201, created.json
    article_id = created.json["id"]
    assert created.headers["Location"].endswith(f"/api/v1/articles/{article_id}")
    read = client.get(f"/api/v1/articles/{article_id}", headers=editor)
    assert read.json["title"] == "Rivers in the city"
    assert read.json["statuses"]["en"]["status"] == "current"
    assert read.json["statuses"]["fa"]["status"] == "missing"
    assert read.headers["ETag"] == created.headers["ETag"]


def test_validation_errors_name_their_fields(client, editor):
    bad = {**NEW, "section": "poems", "date": "yesterday", "title": "", "colour": "red"}
    response = client.post("/api/v1/articles", json=bad, headers=editor)
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"section", "date", "title", "colour"}
    body = client.post("/api/v1/articles", json={**NEW, "body": "```\ncode\n```\n"}, headers=editor)
    assert body.status_code == 422 and "fenced code block" in body.json["fields"]["body"]
    assert client.post("/api/v1/articles", data="[1]", headers=editor).status_code == 422


def test_a_translator_may_not_write_source_articles(client, translator):
    response = client.post(
        "/api/v1/articles", json={**NEW, "source_edition": "fa"}, headers=translator
    )
    assert response.status_code == 403


def test_an_update_needs_the_etag_it_started_from(client, session, editions, editor):
    make_article(session, editions, translate=("fa",))
    read = client.get("/api/v1/articles/16009", headers=editor)
    etag = read.headers["ETag"]
    change = {"title": "A reading festival", "body": SOURCE_BODY.replace("four", "five")}
    missing = client.put("/api/v1/articles/16009", json=change, headers=editor)
    assert missing.status_code == 428
    updated = client.put(
        "/api/v1/articles/16009", json=change, headers={**editor, "If-Match": etag}
    )
    assert updated.status_code == 200, updated.json
    assert updated.json["statuses"]["fa"]["status"] == "stale"
    assert updated.json["statuses"]["fa"]["segments_stale"] == 1
    assert updated.json["tags"] == ["books", "culture"]  # metadata left out is kept
    stale_writer = client.put(
        "/api/v1/articles/16009",
        json={**change, "body": SOURCE_BODY},
        headers={**editor, "If-Match": etag},
    )
    assert stale_writer.status_code == 412
    assert client.get("/api/v1/articles/16009", headers=editor).json["body"] == change["body"]


def test_a_minor_edit_through_the_api_keeps_translations_current(client, session, editions, editor):
    make_article(session, editions, translate=("fa",))
    etag = client.get("/api/v1/articles/16009", headers=editor).headers["ETag"]
    change = {"title": "A reading festival", "body": SOURCE_BODY.replace("Friday", "Friday,")}
    without_note = client.put(
        "/api/v1/articles/16009",
        json={**change, "minor": True},
        headers={**editor, "If-Match": etag},
    )
    assert without_note.status_code == 422 and "note" in without_note.json["fields"]
    minor = client.put(
        "/api/v1/articles/16009",
        json={**change, "minor": True, "note": "a comma"},
        headers={**editor, "If-Match": etag},
    )
    assert minor.json["statuses"]["fa"]["status"] == "current"


def test_a_translator_writes_a_counterpart_and_it_becomes_current(
    client, session, editions, translator
):
    make_article(session, editions, translate=())
    fa = TRANSLATIONS["fa"]
    text = {"title": fa.title, "summary": fa.summary, "body": fa.body}
    created = client.put("/api/v1/articles/16009/fa", json=text, headers=translator)
    assert created.status_code == 201, created.json
    assert created.json["status"] == "current"
    read = client.get("/api/v1/articles/16009/fa", headers=translator)
    assert read.headers["ETag"] == created.headers["ETag"]
    again = client.put("/api/v1/articles/16009/fa", json=text, headers=translator)
    assert again.status_code == 428
    short = {**text, "body": "تنها یک بند.\n"}
    refused = client.put(
        "/api/v1/articles/16009/fa",
        json=short,
        headers={**translator, "If-Match": read.headers["ETag"]},
    )
    assert refused.status_code == 422 and "body" in refused.json["fields"]
    other = client.put("/api/v1/articles/16009/ar", json=text, headers=translator)
    assert other.status_code == 403
    source = client.put("/api/v1/articles/16009/en", json=text, headers=translator)
    assert source.status_code == 409


def test_the_list_filters_by_status_in_an_edition(client, session, editions, editor):
    make_article(session, editions, article_id=16009, translate=("fa",))
    make_article(session, editions, article_id=16010, translate=())
    session.commit()
    listed = client.get("/api/v1/articles?edition=fa&status=missing", headers=editor)
    assert [item["id"] for item in listed.json["items"]] == [16010]
    assert client.get("/api/v1/articles?status=stale", headers=editor).status_code == 422
    assert client.get("/api/v1/articles?limit=0", headers=editor).json["fields"] == {
        "limit": "a whole number from 1 to 100"
    }


def test_the_openapi_document_is_served_without_a_token(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")
    assert "/api/v1/articles/{article_id}/{edition}" in document["paths"]


def test_a_tag_given_twice_is_kept_once(client, editor):
    created = client.post(
        "/api/v1/articles", json={**NEW, "tags": ["Books", "books"]}, headers=editor
    )
    assert created.status_code == 201, created.json
    assert created.json["tags"] == ["books"]


def test_if_match_star_names_no_version_and_is_refused(client, session, editions, translator):
    make_article(session, editions, translate=("fa",))
    fa = TRANSLATIONS["fa"]
    text = {"title": fa.title + "!", "summary": fa.summary, "body": fa.body}
    star = client.put(
        "/api/v1/articles/16009/fa", json=text, headers={**translator, "If-Match": "*"}
    )
    assert star.status_code == 428 and "If-Match: *" in star.json["detail"]
    assert get_counterpart(session, 16009, "fa").title == fa.title
    editor = token_for(session, editions, "elif", "editor", "en")
    source = client.put(
        "/api/v1/articles/16009",
        json={"title": "Changed", "body": SOURCE_BODY},
        headers={**editor, "If-Match": "*"},
    )
    assert source.status_code == 428
    absent = client.put(
        "/api/v1/articles/16009/sq", json=text, headers={**translator, "If-Match": '"abc"'}
    )
    assert absent.status_code in (403, 412)  # leyla works in fa only; either way, not written


def test_a_condition_on_a_counterpart_not_yet_written_fails(client, session, editions):
    make_article(session, editions, translate=())
    headers = token_for(session, editions, "leyla", "translator", "fa")
    fa = TRANSLATIONS["fa"]
    text = {"title": fa.title, "summary": fa.summary, "body": fa.body}
    for condition in ("*", '"an-etag"'):
        refused = client.put(
            "/api/v1/articles/16009/fa", json=text, headers={**headers, "If-Match": condition}
        )
        assert refused.status_code == 412
    assert client.put("/api/v1/articles/16009/fa", json=text, headers=headers).status_code == 201


def test_every_api_answer_that_is_not_a_success_is_a_problem(client, session, editions, editor):
    unknown = client.get("/api/v1/nothing-here", headers=editor)
    wrong_method = client.delete("/api/v1/articles", headers=editor)
    anonymous = client.get("/api/v1/status")
    for response, status in ((unknown, 404), (wrong_method, 405), (anonymous, 401)):
        assert response.status_code == status
        assert response.mimetype == "application/problem+json"
        assert response.json["status"] == status and response.json["type"] == "about:blank"
    assert set(wrong_method.headers["Allow"].split(", ")) >= {"GET", "POST"}
    assert anonymous.headers["WWW-Authenticate"] == 'Bearer realm="editions"'


def test_the_status_takes_a_bearer_token(client, session, editions, editor):
    make_article(session, editions, translate=("fa",))
    session.commit()  # kept statuses are brought up to date on commit
    response = client.get("/api/v1/status", headers=editor, query_string={"edition": "fa"})
    assert response.status_code == 200
    assert [row["status"] for row in response.json["counterparts"]] == ["current"]
    refused = client.get("/api/v1/status", headers={"Authorization": "Bearer edt_wrong"})
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
