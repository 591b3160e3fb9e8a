"""Composing issues: the dashboard (with and without JavaScript) and the JSON API."""

from __future__ import annotations

import gettext
import re

import pytest

from editions.content.status import Status
from editions.core.settings import PROJECT_ROOT
from editions.newsletter import current_composition, get_issue
from editions.newsletter.readiness import ItemReadiness, Readiness
from editions.newsletter.sending import not_ready
from tests.factories import make_article
from tests.sqlcount import count_queries
from tests.test_api import token_for
from tests.test_newsletter import make_issue


@pytest.fixture
def issue(session, editions):
    make_article(session, editions, article_id=1)
    make_article(session, editions, article_id=2, translate=("ar",))
    make_article(session, editions, article_id=3, translate=())
    issue = make_issue(session, editions, [1, 2])
    session.commit()
    return issue


def csrf(client, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def form(client, number=128, **changes):
    """The compose form as the page renders it, with ``changes`` applied."""
    html = client.get(f"/dashboard/newsletters/{number}").text
    data = {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1),
        "version": re.search(r'name="version" value="([^"]*)"', html).group(1),
        "article": re.findall(r'name="article" value="(\d+)"', html),
        "missing_items": re.search(r'name="missing_items" value="(\w+)" checked', html).group(1),
    }
    for article_id in data["article"]:
        teaser = re.search(rf'name="teaser-{article_id}"[^>]*>([^<]*)<', html).group(1)
        data[f"teaser-{article_id}"] = teaser
    data.update(changes)
    return data


def items(session, number=128):
    session.expire_all()
    return current_composition(session, get_issue(session, number)).articles


def test_the_dashboard_explains_readiness_in_every_edition(client, sign_in, issue):
    sign_in(client, "coordinator")
    html = client.get("/dashboard/newsletters/").text
    assert "1 of 2 articles has no Persian counterpart" in html
    assert "1 of 2 articles has no Albanian counterpart" in html
    compose = client.get("/dashboard/newsletters/128").text
    assert "Persian: missing" in compose and "data-sortable" in compose


def test_readiness_reads_in_the_interface_language(client, sign_in, issue):
    sign_in(client, "coordinator")
    client.get("/fa/choose")  # the edition cookie sets the interface language
    html = client.get("/dashboard/newsletters/128").text
    assert "۱ از ۲" in html  # «1 of 2», in Persian digits


def test_up_down_add_and_remove_work_without_javascript(client, session, sign_in, issue):
    sign_in(client, "coordinator")
    assert (
        client.post("/dashboard/newsletters/128", data=form(client, action="down:1")).status_code
        == 303
    )
    assert items(session) == [2, 1]
    client.post("/dashboard/newsletters/128", data=form(client, action="add:3"))
    assert items(session) == [2, 1, 3]
    client.post("/dashboard/newsletters/128", data=form(client, action="up:3"))
    client.post("/dashboard/newsletters/128", data=form(client, action="remove:2"))
    assert items(session) == [3, 1]


def test_a_dragged_order_teasers_and_policy_are_saved(client, session, sign_in, issue):
    sign_in(client, "coordinator")
    data = form(client, action="save", missing_items="link_to_source")
    data["article"] = ["2", "1"]  # the order the script leaves the hidden inputs in
    data["teaser-2"] = "A festival worth the trip."
    client.post("/dashboard/newsletters/128", data=data)
    session.expire_all()
    composition = current_composition(session, get_issue(session, 128))
    assert composition.articles == [2, 1]
    assert composition.teasers == {2: "A festival worth the trip."}
    assert composition.missing_items.value == "link_to_source"


def test_a_form_from_an_older_version_saves_nothing(client, session, sign_in, issue):
    sign_in(client, "coordinator")
    stale = form(client, action="remove:1")
    client.post("/dashboard/newsletters/128", data=form(client, action="down:1"))
    response = client.post("/dashboard/newsletters/128", data=stale, follow_redirects=True)
    assert "Someone changed this issue" in response.text
    assert items(session) == [2, 1]


def test_search_offers_articles_to_add(client, sign_in, issue):
    sign_in(client, "coordinator")
    html = client.get("/dashboard/newsletters/128?q=festival").text
    assert 'value="add:3"' in html and 'value="add:1"' not in html  # 1 is in the issue
    assert 'value="add:3"' in client.get("/dashboard/newsletters/128?q=3").text


def test_a_bad_change_is_refused_with_its_reason(client, session, sign_in, issue):
    sign_in(client, "coordinator")
    response = client.post(
        "/dashboard/newsletters/128",
        data=form(client, action="add:77"),
        follow_redirects=True,
    )
    assert "there is no article 77" in response.text
    assert items(session) == [1, 2]
    assert (
        client.post("/dashboard/newsletters/128", data=form(client, article=["1", "x"])).status_code
        == 400
    )
    assert (
        client.post("/dashboard/newsletters/128", data=form(client, missing_items="?")).status_code
        == 400
    )


def test_a_new_issue_from_the_dashboard(client, session, sign_in, issue):
    sign_in(client, "editor", ["en"])
    data = {
        "csrf_token": csrf(client, "/dashboard/newsletters/"),
        "number": "129",
        "date": "2026-11-20",
        "source_edition": "en",
        "title": "A new issue",
        "summary": "",
        "introduction": "Welcome to this issue.",
    }
    response = client.post("/dashboard/newsletters/", data=data)
    assert response.headers["Location"].endswith("/dashboard/newsletters/129")
    assert items(session, 129) == []
    again = client.post("/dashboard/newsletters/", data=data, follow_redirects=True)
    assert "issue 129 already exists" in again.text


def test_translators_do_not_compose(client, sign_in, issue):
    sign_in(client, "translator", ["fa"])
    assert client.get("/dashboard/newsletters/128").status_code == 403


# ---------------------------------------------------------------- the API


def test_the_api_reads_an_issue_with_readiness_and_an_etag(client, session, editions, issue):
    headers = token_for(session, editions, "cms", "coordinator")
    session.commit()
    response = client.get("/api/v1/newsletters/128", headers=headers)
    assert response.status_code == 200 and response.headers["ETag"]
    data = response.json
    assert [item["article_id"] for item in data["items"]] == [1, 2]
    assert data["readiness"]["fa"] == {
        "ready": False,
        "text": "current",
        "missing": [2],
        "draft": [],
        "stale": [],
    }
    assert data["readiness"]["ar"]["ready"] is True
    listed = client.get("/api/v1/newsletters", headers=headers).json["items"]
    mine = next(entry for entry in listed if entry["number"] == 128)
    assert mine["article_id"] == issue.article_id and mine["readiness"]["en"]["ready"]


def test_an_api_update_needs_the_etag_it_started_from(client, session, editions, issue):
    headers = token_for(session, editions, "cms", "coordinator")
    session.commit()
    etag = client.get("/api/v1/newsletters/128", headers=headers).headers["ETag"]
    body = {
        "items": [{"article_id": 2, "teaser": "Worth the trip."}, {"article_id": 1}],
        "missing_items": "link_to_source",
    }
    assert client.put("/api/v1/newsletters/128", json=body, headers=headers).status_code == 428
    updated = client.put(
        "/api/v1/newsletters/128", json=body, headers={**headers, "If-Match": etag}
    )
    assert updated.status_code == 200, updated.json
    assert updated.json["items"][0] == {"article_id": 2, "teaser": "Worth the trip."}
    assert updated.json["readiness"]["fa"]["text"] == "stale"  # the new teaser
    late = client.put("/api/v1/newsletters/128", json=body, headers={**headers, "If-Match": etag})
    assert late.status_code == 412


def test_the_api_creates_an_issue_and_refuses_bad_ones(client, session, editions, issue):
    headers = token_for(session, editions, "cms", "editor", "en")
    session.commit()
    new = {
        "number": 130,
        "date": "2026-12-04",
        "source_edition": "en",
        "title": "Winter",
        "body": "A short introduction.\n",
        "items": [{"article_id": 1}],
    }
    created = client.post("/api/v1/newsletters", json=new, headers=headers)
    assert created.status_code == 201, created.json
    assert created.headers["Location"].endswith("/api/v1/newsletters/130")
    assert client.post("/api/v1/newsletters", json=new, headers=headers).status_code == 409
    for bad, field in (
        ({**new, "number": 131, "items": [{"article_id": "x"}]}, "items"),
        ({**new, "number": 0}, "number"),
        ({**new, "number": 131, "missing_items": "guess"}, "missing_items"),
    ):
        refused = client.post("/api/v1/newsletters", json=bad, headers=headers)
        assert refused.status_code == 422 and field in refused.json["fields"], refused.json
    unknown = client.post(
        "/api/v1/newsletters",
        json={**new, "number": 131, "items": [{"article_id": 77}]},
        headers=headers,
    )
    assert unknown.status_code == 422 and "77" in unknown.json["detail"]
    assert client.get("/api/v1/newsletters/131", headers=headers).status_code == 404


def test_the_issue_text_and_its_teasers_go_through_the_po_export(client, session, editions, issue):
    import io

    from editions.exchange.export import ExportQuery, export_edition
    from editions.newsletter import Composition, compose

    compose(session, get_issue(session, 128), Composition([1, 2], {2: "Worth the trip."}))
    out = io.StringIO()
    export_edition(
        session, editions["fa"], ExportQuery(article_ids=(issue.article_id,), only="stale"), out
    )
    assert 'msgid "Worth the trip."' in out.getvalue()
    headers = token_for(session, editions, "cms", "coordinator")
    session.commit()
    article = client.get(f"/api/v1/articles/{issue.article_id}", headers=headers).json
    assert article["section"] == "newsletter"


@pytest.mark.parametrize(
    ("missing", "form"),
    [(1, "مقالة واحدة"), (2, "مقالتان"), (3, "3 مقالات"), (11, "11 مقالة")],
)
def test_a_counted_reason_takes_the_plural_form_of_the_reader_s_language(missing, form):
    # The domain says it once; the command line reads English, the dashboard the
    # interface language with its own plural rule (Arabic has six forms).
    state = Readiness(
        issue_id=1,
        edition="fa",
        text=Status.CURRENT,
        items=(
            *(ItemReadiness(n, n, Status.MISSING) for n in range(missing)),
            ItemReadiness(99, 99, Status.CURRENT),
        ),
    )
    (reason,) = not_ready(state, "Persian")
    verb = "has" if missing == 1 else "have"
    assert reason.render() == f"{missing} of {missing + 1} articles {verb} no Persian counterpart"
    arabic = gettext.translation("messages", str(PROJECT_ROOT / "translations"), ["ar"])
    shown = reason.render(arabic.gettext, str, arabic.ngettext)
    assert shown.startswith(form) and f"من أصل {missing + 1}" in shown


def test_the_issue_list_and_the_compose_page_ask_a_fixed_number_of_queries(
    client, connection, session, editions, sign_in, issue
):
    sign_in(client, "coordinator")
    client.get("/dashboard/newsletters/")  # sign-in and first-request work done
    with count_queries(connection) as one_issue:
        assert client.get("/dashboard/newsletters/").status_code == 200
    with count_queries(connection) as compose_two:
        assert client.get("/dashboard/newsletters/128").status_code == 200
    make_article(session, editions, article_id=4)
    make_issue(session, editions, [1, 2, 3, 4], number=129)
    make_issue(session, editions, [4, 3], number=130)
    session.commit()
    with count_queries(connection) as three_issues:
        assert client.get("/dashboard/newsletters/").status_code == 200
    with count_queries(connection) as compose_four:
        assert client.get("/dashboard/newsletters/129").status_code == 200
    assert three_issues.count == one_issue.count
    assert compose_four.count == compose_two.count
