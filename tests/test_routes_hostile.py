"""Every route, walked with hostile parameters, answers below 500.

Huge and odd numbers in the URL and in query strings, non-numeric form fields, NUL bytes,
other scripts' digits (``٣``, ``²``), impossible dates, deep JSON: each once answered 500.
The walk covers every rule of the URL map, so a new route is walked without a new test.
"""

from __future__ import annotations

import json

import pytest
from flask import Flask
from werkzeug.routing import IntegerConverter

from editions.accounts.roles import create_user
from editions.accounts.tokens import create_token
from tests.factories import make_article

NUMBERS = ["99999999999999999999", "2147483648", "0", "16009", "٣", "²", "1e3"]
TEXTS = ["fa", "zz", "\x00", "a" * 2000, "../../etc/passwd", "²:title", "%ff"]
HOSTILE_QUERY = {
    "page": "99999999999999999999",
    "per_page": "١٠٠٠٠٠٠",
    "old": "-1",
    "new": "99999999999999999999",
    "q": "\x00" + "a" * 500,
    "edition": "\u202efa",
    "status": "stale\x00",
    "sort": "../",
    "section": "²",
    "since": "2026-02-30",
    "until": "99999-01-01",
    "only": "everything",
    "articles": "99999999999999999999,0,-5",
    "format": "csv",
    "next": "/\t/evil.example/",
    "limit": "99999999999999999999",
    "offset": "-1",
}
HOSTILE_FORM = {
    **HOSTILE_QUERY,
    "version-title": "not a number",
    "text-title": "A\x00title",
    "text-b2": "\u202e" * 10,
    "reviewed-title": "on",
    "revision": "٣",
    "user_id": "99999999999999999999",
    "due_on": "2026-02-30",
    "active": "1",
    "username": "a\x00b",
    "password": "x",
    "role": "superuser",
    "title": "\x00",
    "body": "```\ncode\n```",
    "tags": "a," * 100,
    "article_id": "²",
    "sha256": "0" * 64,
    "filename": "../../x.po",
    "action": "publish",
    "minor": "on",
    "alt": "\x00",
}
DEEP_JSON = "[" * 100_000 + "]" * 100_000


def _urls(app: Flask) -> list[tuple[str, str]]:
    """(method, path) for every rule, each variable filled with each hostile value."""
    urls = []
    for rule in app.url_map.iter_rules():
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        variables = list(rule.arguments)
        if not variables:
            paths = [rule.rule]
        else:
            paths = []
            # Each hostile value once, and a valid id with a real edition (so the hostile
            # query string and form reach the view).
            for index in range(-1, max(len(NUMBERS), len(TEXTS))):
                path = rule.rule
                for name in variables:
                    converter = rule._converters[name]
                    numeric = isinstance(converter, IntegerConverter)
                    values = NUMBERS if numeric else TEXTS
                    value = (
                        ("16009" if numeric else "fa") if index < 0 else values[index % len(values)]
                    )
                    path = _fill(path, name, value)
                paths.append(path)
        urls.extend((method, path) for method in methods for path in paths)
    return urls


def _fill(rule: str, name: str, value: str) -> str:
    start = rule.index("<")
    while rule[start:].find(f":{name}>") != rule[start:].find(">") - len(name) - 1 and not (
        rule[start:].startswith(f"<{name}>")
    ):
        start = rule.index("<", start + 1)
    end = rule.index(">", start)
    return rule[:start] + value + rule[end + 1 :]


@pytest.fixture
def admin_client(app, client, session, editions, sign_in):
    make_article(session, editions, translate=("fa",))
    make_article(session, editions, article_id=16010, translate=())
    session.commit()
    sign_in(client, "admin", username="walker")
    return client


@pytest.fixture
def token(session, editions) -> str:
    user = create_user(
        session, editions, username="cms", password="a long enough secret", role="coordinator"
    )
    _token, secret = create_token(session, user, "walk")
    session.commit()
    return secret


def test_every_route_answers_hostile_parameters_below_500(app, admin_client, token, session):
    anonymous = app.test_client()
    api = {"Authorization": f"Bearer {token}", "If-Match": "*"}
    failures = []
    walked = 0
    for method, path in _urls(app):
        for client, queries in ((admin_client, ({}, HOSTILE_QUERY)), (anonymous, (HOSTILE_QUERY,))):
            for query in queries:
                try:
                    response = _request(client, method, path, query, api)
                except Exception as error:  # the app runs with TESTING: a 500 raises here
                    failures.append(f"{method} {path} {query and 'hostile'}: {error!r:.200}")
                    session.rollback()
                    continue
                walked += 1
                if response.status_code >= 500:
                    failures.append(f"{method} {path} {query and 'hostile'}: {response.status}")
    assert walked > 300
    assert failures == []


def _request(client, method: str, path: str, query: dict, api: dict):
    if method == "GET":
        return client.get(path, query_string=query, headers=api)
    if path.startswith("/api/"):
        return client.open(path, method=method, data=json.dumps(query), headers=api)
    return client.open(path, method=method, data=HOSTILE_FORM)


@pytest.mark.parametrize(
    "method, path",
    [
        ("POST", "/api/v1/articles"),
        ("PUT", "/api/v1/articles/16009"),
        ("PUT", "/api/v1/articles/16009/fa"),
    ],
)
def test_deep_json_is_a_422_not_a_500(method, path, admin_client, token):
    response = admin_client.open(
        path,
        method=method,
        data=DEEP_JSON,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "If-Match": "*"},
    )
    assert response.status_code in (412, 422, 428)
    assert response.is_json


def test_huge_numbers_in_urls_are_404(admin_client):
    for path in (
        "/en/posts/99999999999999999999",
        "/dashboard/fa/posts/99999999999999999999",
        "/dashboard/articles/2147483648/history",
        "/sitemap-99999999999999999999.xml",
        "/dashboard/exchange/imports/99999999999999999999",
    ):
        assert admin_client.get(path).status_code == 404, path
    assert admin_client.get("/en/category/articles?page=99999999999999999999").status_code == 404
