"""One gate for publishing: every path runs the same quality checks with the same outcome."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from editions.content.articlefiles import ArticleFile
from editions.content.articles import SourceText, get_counterpart
from editions.content.intake import Outcome, import_one
from editions.core.models import PublicationState
from editions.exchange.importer import import_files as import_po
from editions.exchange.pofiles import read_upload
from tests.factories import make_article
from tests.test_api import token_for

SOURCE = "The market opens at 6 in the morning.\n\nIt has 24 wooden stalls.\n"
# The Albanian text drops the 24: the numbers check finds an error.
TITLE, GOOD, BAD = (
    "Tregu",
    "Tregu hapet në orën 6 të mëngjesit.\n\nKa 24 tezga prej druri.\n",
    "Tregu hapet në orën 6 të mëngjesit.\n\nKa shumë tezga prej druri.\n",
)


@pytest.fixture
def article(session, editions):
    return make_article(session, editions, translate=(), body=SOURCE)


def test_the_api_does_not_publish_what_the_checks_refuse(client, session, editions, article):
    headers = token_for(session, editions, "drita", "translator", "sq")
    text = {"title": TITLE, "summary": "Një festival.", "body": BAD, "state": "published"}
    refused = client.put("/api/v1/articles/16009/sq", json=text, headers=headers)
    assert refused.status_code == 422
    assert refused.mimetype == "application/problem+json"
    # Told in the edition's language (the URL names sq): the segment and the number.
    assert "b2: " in refused.json["detail"] and " 24" in refused.json["detail"]
    assert get_counterpart(session, 16009, "sq") is None  # nothing written
    accepted = client.put("/api/v1/articles/16009/sq", json={**text, "body": GOOD}, headers=headers)
    assert accepted.status_code == 201 and accepted.json["state"] == "published"
    again = client.put(
        "/api/v1/articles/16009/sq",
        json=text,
        headers={**headers, "If-Match": accepted.headers["ETag"]},
    )
    assert again.status_code == 422  # a published counterpart cannot take it either
    assert get_counterpart(session, 16009, "sq").body == GOOD


def test_an_article_file_is_refused_for_the_same_reason(session, editions, article):
    file = ArticleFile(
        name="16009/sq.md",
        article_id=16009,
        edition="sq",
        text=SourceText(TITLE, "Një festival.", BAD),
        state=PublicationState.PUBLISHED,
    )
    report = import_one(session, editions, file, user=None)
    assert report.outcome is Outcome.FAILED
    assert "b2: The numbers differ from the source: missing 24" in report.message
    assert get_counterpart(session, 16009, "sq") is None
    drafted = import_one(session, editions, replace(file, state=PublicationState.DRAFT), user=None)
    assert drafted.outcome is Outcome.CREATED  # a draft may hold errors until it is fixed


def test_the_editor_refuses_to_publish_it_and_to_save_it_into_a_published_text(
    client, session, editions, sign_in, article
):
    sign_in(client, "translator", ["sq"])
    client.post("/dashboard/sq/posts/16009/start")
    form = {
        "action": "publish",
        "text-title": TITLE,
        "version-title": "0",
        "text-summary": "Një festival i ri në qytet.",
        "version-summary": "0",
        "text-b1": "Tregu hapet në orën 6 të mëngjesit.",
        "version-b1": "0",
        "text-b2": "Ka shumë tezga prej druri.",
        "version-b2": "0",
    }
    refused = client.post("/dashboard/sq/posts/16009", data=form)
    assert refused.status_code == 409
    assert "Not published. Fix the errors found by the quality checks: b2." in refused.text
    assert not get_counterpart(session, 16009, "sq").is_published
    published = client.post(
        "/dashboard/sq/posts/16009",
        data={**form, "text-b2": "Ka 24 tezga prej druri."},
    )
    assert published.status_code == 302
    assert get_counterpart(session, 16009, "sq").is_published
    versions = dict(
        re.findall(r'name="version-(\w+)" value="(\d+)"', client.get(published.location).text)
    )
    broken = client.post(
        "/dashboard/sq/posts/16009",
        data={
            "action": "draft",
            "text-b2": "Ka shumë tezga prej druri.",
            "version-b2": versions["b2"],
        },
    )
    assert broken.status_code == 409
    assert "this translation is published, and the quality checks found errors in b2" in (
        broken.text
    )
    assert "Ka 24 tezga" in get_counterpart(session, 16009, "sq").body


def test_a_po_import_rejects_the_entry_and_publishes_nothing(session, editions, article):
    po = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: sq\\n"\n\n'
        'msgctxt "16009:b2"\nmsgid "It has 24 wooden stalls."\n'
        'msgstr "Ka shumë tezga prej druri."\n'
    )
    files = read_upload(po.encode(), "sq.po", editions, edition="sq", limit=100_000)
    report = import_po(
        session, editions, files, filename="sq.po", sha256="x", user=None, dry_run=False
    )
    [entry] = report.entries
    assert entry.outcome.value == "rejected" and "missing 24" in entry.reason
