"""The status dashboard, its summary and chart, the status API, assignments and My queue."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest

from editions.content.articles import SourceText
from editions.content.sources import revise_source
from editions.content.status import refresh_pending_status
from tests.factories import SOURCE_BODY, make_article
from tests.sqlcount import count_queries


def build(session, editions, count=3, first_id=20001):
    """Articles with every status: fa stale, ar current, sq missing (and one sq draft)."""
    articles = []
    for index in range(count):
        article = make_article(
            session, editions, article_id=first_id + index, translate=("ar", "fa")
        )
        article.published_on = date(2026, 1, 1 + index % 28)
        revise_source(
            session,
            article,
            SourceText(
                "A reading festival", "A new festival in the city.", SOURCE_BODY + "\nMore.\n"
            ),
        )
        articles.append(article)
    refresh_pending_status(session)
    session.flush()
    return articles


@pytest.fixture
def corpus(session, editions):
    return build(session, editions)


def test_the_matrix_shows_a_badge_per_edition_linking_to_the_editor(client, sign_in, corpus):
    sign_in(client, "coordinator")
    page = client.get("/dashboard/")
    assert page.status_code == 200
    assert 'href="/dashboard/fa/posts/20001"' in page.text
    assert "badge-stale" in page.text
    assert "badge-missing" in page.text
    assert "A reading festival" in page.text


def test_a_translator_sees_other_editions_without_editor_links(client, sign_in, corpus):
    sign_in(client, "translator", ["fa"])
    page = client.get("/dashboard/")
    assert 'href="/dashboard/fa/posts/20001"' in page.text
    assert 'href="/dashboard/ar/posts/20001"' not in page.text


def test_filters_narrow_the_matrix_and_the_api(client, session, editions, sign_in, corpus):
    make_article(session, editions, article_id=20100, translate=("ar", "fa", "sq"))
    refresh_pending_status(session)
    session.flush()
    sign_in(client, "coordinator")
    missing_sq = client.get("/api/v1/status", query_string={"edition": "sq", "status": "missing"})
    ids = {record["article_id"] for record in missing_sq.json["counterparts"]}
    assert ids == {20001, 20002, 20003}
    assert {record["edition"] for record in missing_sq.json["counterparts"]} == {"sq"}
    current_sq = client.get("/api/v1/status", query_string={"edition": "sq", "status": "current"})
    assert [r["article_id"] for r in current_sq.json["counterparts"]] == [20100]
    by_text = client.get("/api/v1/status", query_string={"q": "20002"})
    assert {r["article_id"] for r in by_text.json["counterparts"]} == {20002}


def test_the_summary_counts_every_status_and_words(client, sign_in, corpus):
    sign_in(client, "coordinator")
    summary = {item["edition"]: item for item in client.get("/api/v1/status").json["summary"]}
    assert (summary["fa"]["stale"], summary["fa"]["current"]) == (3, 0)
    assert summary["sq"]["missing"] == 3
    assert summary["en"]["current"] == 3
    assert summary["fa"]["words_to_translate"] > 0
    assert summary["sq"]["percent_current"] == 0.0


def test_the_status_is_also_csv(client, sign_in, corpus):
    sign_in(client, "coordinator")
    response = client.get("/api/v1/status", query_string={"format": "csv", "edition": "fa"})
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 3
    assert {row["status"] for row in rows} == {"stale"}


def test_the_api_needs_a_signed_in_user(client, corpus):
    assert client.get("/api/v1/status").status_code == 401


def test_sorting_by_words_to_do_and_by_oldest_stale(client, session, editions, sign_in, corpus):
    make_article(session, editions, article_id=20200, translate=())
    refresh_pending_status(session)
    session.flush()
    sign_in(client, "coordinator")
    todo = client.get("/api/v1/status", query_string={"sort": "todo", "edition": "fa"})
    assert todo.json["counterparts"][0]["article_id"] == 20200
    stale = client.get("/api/v1/status", query_string={"sort": "stale", "edition": "fa"})
    assert stale.json["counterparts"][-1]["article_id"] == 20200


def test_most_words_to_do_counts_every_edition_unless_one_is_chosen(
    client, session, editions, sign_in, corpus
):
    make_article(session, editions, article_id=20200, translate=("fa",))  # ar and sq to do
    make_article(session, editions, article_id=20201, translate=("ar", "sq"))  # fa to do
    refresh_pending_status(session)
    session.flush()
    sign_in(client, "coordinator")
    every = client.get("/api/v1/status", query_string={"sort": "todo", "per_page": 1}).json
    fa = client.get("/api/v1/status", query_string={"sort": "todo", "edition": "fa"}).json
    assert every["counterparts"][0]["article_id"] == 20200
    to_do = [r["words_to_translate"] + r["words_stale"] for r in fa["counterparts"]]
    assert fa["counterparts"][0]["article_id"] == 20201
    assert to_do == sorted(to_do, reverse=True)


def test_pages_of_the_matrix(client, sign_in, corpus):
    sign_in(client, "coordinator")
    first = client.get("/api/v1/status", query_string={"per_page": 2, "edition": "fa"}).json
    second = client.get(
        "/api/v1/status", query_string={"per_page": 2, "page": 2, "edition": "fa"}
    ).json
    assert (first["total"], first["pages"]) == (3, 2)
    assert [r["article_id"] for r in first["counterparts"]] == [20003, 20002]
    assert [r["article_id"] for r in second["counterparts"]] == [20001]


def test_the_first_page_takes_the_same_few_queries_for_3_or_60_articles(
    client, session, editions, connection, sign_in
):
    sign_in(client, "coordinator")
    build(session, editions, count=3)
    client.get("/dashboard/")  # the day's snapshot is written once
    with count_queries(connection) as small:
        assert client.get("/dashboard/").status_code == 200
    build(session, editions, count=57, first_id=21001)
    with count_queries(connection) as large:
        assert client.get("/dashboard/").status_code == 200
    assert small.count == large.count
    assert large.count <= 12


def test_stale_work_comes_first_and_pages_run_on_past_it(
    client, session, editions, sign_in, corpus
):
    make_article(session, editions, article_id=20200, translate=())
    make_article(session, editions, article_id=20201, translate=("fa",))
    refresh_pending_status(session)
    session.flush()
    sign_in(client, "coordinator")
    pages = [
        client.get(
            "/api/v1/status",
            query_string={"sort": "stale", "edition": "fa", "per_page": 2, "page": page},
        ).json["counterparts"]
        for page in (1, 2, 3)
    ]
    ids = [record["article_id"] for page in pages for record in page]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert set(ids[:3]) == {20001, 20002, 20003}
    assert set(ids[3:]) == {20200, 20201}


def test_a_source_in_draft_is_not_translation_work(client, session, editions, sign_in, corpus):
    from editions.content.articles import SourceText
    from editions.content.sources import create_article
    from editions.core.models import PublicationState

    create_article(
        session,
        editions,
        article_id=20300,
        source_edition="en",
        section="articles",
        text=SourceText("An unfinished story", "Not ready yet.", SOURCE_BODY),
        published_on=date(2026, 3, 1),
        state=PublicationState.DRAFT,
    )
    refresh_pending_status(session)
    session.flush()
    sign_in(client, "coordinator")
    drafts = client.get("/api/v1/status", query_string={"status": "draft"}).json
    missing = client.get("/api/v1/status", query_string={"status": "missing"}).json
    assert 20300 not in {record["article_id"] for record in drafts["counterparts"]}
    assert 20300 in {record["article_id"] for record in missing["counterparts"]}


def test_the_kept_counts_follow_the_statuses_they_summarise(session, editions, corpus):
    from sqlalchemy import func, select

    from editions.content.counterparts import import_counterpart
    from editions.content.status import ArticleWork, StatusCount, StatusEntry
    from tests.factories import TRANSLATIONS

    article = make_article(session, editions, article_id=20400, translate=("fa",))
    refresh_pending_status(session)
    import_counterpart(session, editions, article, "sq", TRANSLATIONS["sq"])
    revise_source(
        session,
        corpus[1],
        SourceText("A reading festival", "Rewritten.", SOURCE_BODY + "\nEven more.\n"),
    )
    refresh_pending_status(session)
    session.flush()
    to_do = StatusEntry.words_to_translate + StatusEntry.words_stale
    live = session.execute(
        select(
            StatusEntry.edition,
            StatusEntry.status,
            func.count(),
            func.sum(StatusEntry.words_to_translate),
            func.sum(StatusEntry.words_stale),
        ).group_by(StatusEntry.edition, StatusEntry.status)
    ).all()
    kept = session.scalars(select(StatusCount).where(StatusCount.entries > 0)).all()
    assert {
        (row.edition, row.status, row.entries, row.words_to_translate, row.words_stale)
        for row in kept
    } == {tuple(row) for row in live}
    kept_work = session.execute(select(ArticleWork.article_id, ArticleWork.words_to_do))
    live_work = session.execute(
        select(StatusEntry.article_id, func.sum(to_do)).group_by(StatusEntry.article_id)
    )
    assert dict(kept_work.all()) == dict(live_work.all())


def test_the_migration_counts_the_statuses_kept_before_it(tmp_path):
    from sqlalchemy import text

    from editions.core.db import make_engine
    from editions.maintenance import schema

    url = f"sqlite:///{tmp_path / 'kept.sqlite3'}"
    schema.upgrade(url, "0005")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO articles (id, section, source_edition, published_on,"
                " segment_counter, created_at, updated_at) VALUES"
                " (1, 'articles', 'en', '2026-01-01', 3, '2026-01-01', '2026-01-01'),"
                " (2, 'articles', 'en', '2026-01-02', 3, '2026-01-02', '2026-01-02')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO status_entries (article_id, edition, status, segments,"
                " segments_to_translate, segments_stale, words, words_to_translate,"
                " words_stale) VALUES"
                " (1, 'en', 'current', 3, 0, 0, 30, 0, 0),"
                " (1, 'fa', 'stale', 3, 0, 1, 30, 0, 10),"
                " (2, 'en', 'current', 3, 0, 0, 40, 0, 0),"
                " (2, 'fa', 'missing', 3, 3, 0, 40, 40, 0)"
            )
        )
    schema.upgrade(url)
    with engine.connect() as connection:
        counts = connection.execute(
            text(
                "SELECT edition, status, entries, words_to_translate, words_stale"
                " FROM status_counts"
            )
        ).all()
        work = connection.execute(text("SELECT article_id, words_to_do FROM article_work")).all()
    engine.dispose()
    assert set(counts) == {
        ("en", "current", 2, 0, 0),
        ("fa", "stale", 1, 0, 10),
        ("fa", "missing", 1, 40, 0),
    }
    assert set(work) == {(1, 10), (2, 40)}


def test_my_queue_takes_the_same_few_queries_for_3_or_60_articles(
    client, session, editions, connection, sign_in
):
    sign_in(client, "translator", ["fa", "sq"])
    build(session, editions, count=3)
    with count_queries(connection) as small:
        assert client.get("/dashboard/queue").status_code == 200
    build(session, editions, count=57, first_id=21001)
    with count_queries(connection) as large:
        page = client.get("/dashboard/queue")
    assert page.status_code == 200
    assert small.count == large.count <= 4
    assert page.text.count('href="/dashboard/fa/posts/') == 60


def test_a_persian_translator_reads_the_dashboard_in_persian(client, sign_in, corpus):
    sign_in(client, "translator", ["fa"])
    page = client.get("/dashboard/", headers={"Accept-Language": "fa"})
    assert '<html lang="fa" dir="rtl">' in page.text
    assert "۱۴۰۵" in page.text  # the Solar Hijri year of the articles' 2026 dates
    # Counts, words and shares up to date in Persian digits and the Persian percent sign.
    assert re.search("[۰-۹]+٪", page.text) and not re.search("[0-9]%|%", page.text)


def test_the_chart_is_server_rendered_svg_from_daily_snapshots(
    client, session, sign_in, corpus, editions
):
    from sqlalchemy import select

    from editions.translation.dashboard import StatusSnapshot

    sign_in(client, "coordinator")
    page = client.get("/dashboard/")
    assert "<svg" in page.text and "<polyline" in page.text
    # On the first day each line is a single point: a dot per edition keeps it visible.
    assert page.text.count('class="dash-chart-dot') == len(editions)
    kept = session.scalars(select(StatusSnapshot).where(StatusSnapshot.edition == "sq")).one()
    assert (kept.day, kept.missing) == (date.today(), 3)


# ---------------------------------------------------------------- assignments and the queue


def test_a_coordinator_assigns_a_counterpart_with_a_due_date(
    client, app, session, editions, sign_in, corpus
):
    from editions.accounts.roles import create_user
    from editions.translation.assignments import assignment_of

    leila = create_user(
        session,
        editions,
        username="leila",
        password="a long enough secret",
        role="translator",
        edition_codes=["sq"],
    )
    sign_in(client, "coordinator")
    response = client.post(
        "/dashboard/sq/posts/20001/assign", data={"user_id": leila.id, "due_on": "2026-12-01"}
    )
    assert response.status_code == 303
    assignment = assignment_of(session, 20001, "sq")
    assert (assignment.user_id, assignment.due_on) == (leila.id, date(2026, 12, 1))
    refused = client.post("/dashboard/fa/posts/20001/assign", data={"user_id": leila.id})
    assert refused.status_code == 303
    assert assignment_of(session, 20001, "fa") is None


def test_a_translator_cannot_assign(client, sign_in, corpus):
    translator = sign_in(client, "translator", ["fa"])
    response = client.post("/dashboard/fa/posts/20001/assign", data={"user_id": translator.id})
    assert response.status_code == 403


def test_my_queue_lists_stale_before_missing_oldest_first(
    client, session, editions, sign_in, corpus
):
    from editions.accounts.roles import create_user
    from editions.translation.assignments import assign

    coordinator = create_user(
        session, editions, username="coord", password="a long enough secret", role="coordinator"
    )
    other = create_user(
        session,
        editions,
        username="other",
        password="a long enough secret",
        role="translator",
        edition_codes=["sq"],
    )
    assign(session, editions, coordinator, corpus[0], "sq", other)  # someone else's work
    translator = sign_in(client, "translator", ["fa", "sq"])
    assign(session, editions, coordinator, corpus[2], "sq", translator, date(2026, 2, 1))
    session.flush()
    page = client.get("/dashboard/queue")
    assert page.status_code == 200
    order = [
        (line.split('href="/dashboard/')[1].split('"')[0])
        for line in page.text.splitlines()
        if 'href="/dashboard/' in line and "/posts/" in line
    ]
    assert order == [
        "fa/posts/20001",
        "fa/posts/20002",
        "fa/posts/20003",
        "sq/posts/20002",
        "sq/posts/20003",
    ]


def test_the_dashboard_can_show_only_work_assigned_to_me(
    client, session, editions, sign_in, corpus
):
    from editions.accounts.roles import create_user
    from editions.translation.assignments import assign

    coordinator = create_user(
        session, editions, username="coord", password="a long enough secret", role="coordinator"
    )
    translator = sign_in(client, "translator", ["sq"])
    assign(session, editions, coordinator, corpus[1], "sq", translator)
    session.flush()
    mine = client.get("/api/v1/status", query_string={"mine": "1"}).json
    assert {r["article_id"] for r in mine["counterparts"]} == {20002}


def test_the_daily_snapshot_command_records_todays_counts(run_cli, session, corpus):
    from datetime import date

    from sqlalchemy import select

    from editions.translation.dashboard import StatusSnapshot

    result = run_cli("dashboard", "snapshot")
    assert result.exit_code == 0, result.output
    assert "sq: 0.0% up to date" in result.output
    kept = session.scalars(
        select(StatusSnapshot).where(
            StatusSnapshot.edition == "en", StatusSnapshot.day == date.today()
        )
    ).one()
    assert kept.current == 3
