"""Many writers at once: they wait their turn, nobody's work is lost, and nothing answers 500.

These tests cannot use the ``app`` fixture, whose sessions share one connection: here
every request has a connection of its own, from an app on its own real database (a
SQLite file; on PostgreSQL a schema of its own), and writers run in real threads and
in a second OS process.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.cli import ScriptInfo
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from editions.accounts.roles import create_user
from editions.accounts.tokens import create_token
from editions.content.articles import get_counterpart, next_article_id
from editions.content.attachments import Attachment, attach, remove_attachment
from editions.core.db import make_engine, make_session_factory
from editions.core.models import Article, Segment, Translation, TranslationChange, User
from editions.core.settings import Settings
from editions.core.storage import storage
from editions.core.transactions import reading, run_unit_of_work
from editions.exchange.history import PoImport
from editions.maintenance import schema
from tests.conftest import POSTGRES_URL
from tests.factories import make_article
from webapp import create_app
from webapp.cli import cli
from webapp.database import state

PASSWORD = "a long enough secret"
LIVE_SCHEMA = f"editions_live_{os.getpid()}"


@pytest.fixture(scope="module")
def live_url(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of this module's own, migrated, that no test transaction wraps."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'editions.sqlite3'}"
        schema.upgrade(url)
        yield url
        return
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {LIVE_SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {LIVE_SCHEMA}"))
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{LIVE_SCHEMA}"
    schema.upgrade(url)
    yield url
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {LIVE_SCHEMA} CASCADE"))
    admin.dispose()


def live_app(url: str, folder: Path, **settings: Any) -> Flask:
    return create_app(
        Settings(
            instance_path=folder, database_url=url, secret_key="live", testing=True, **settings
        )
    )


@pytest.fixture(scope="module")
def app(live_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """Writers that wait up to 30 s: on a busy test machine ten serialised API creates
    can take longer than the production defaults (a few seconds), and what these tests
    show is that writers wait rather than fail at once. ``impatient_app`` shows the 503."""
    app = live_app(
        live_url,
        tmp_path_factory.mktemp("instance"),
        busy_timeout=30.0,
        lock_timeout=30.0,
        statement_timeout=60.0,
    )
    yield app
    state_of(app).engine.dispose()


def state_of(app: Flask):
    return app.extensions["editions"]


@contextmanager
def committed(app: Flask) -> Iterator[Session]:
    """A session of the app's own that commits what the test sets up."""
    with app.app_context():
        session = state().sessions()
        try:
            yield session
            session.commit()
        finally:
            session.close()


# Distinct words without digits: a digit in a translation the source lacks is a quality error.
WORDS = ("یکم", "دوم", "سوم", "چهارم", "پنجم", "ششم", "هفتم", "هشتم", "نهم", "دهم")
_ids = iter(range(900_000, 1_000_000, 10))


def an_article(app: Flask, translate: tuple[str, ...] = ("fa",)) -> int:
    with committed(app) as session:
        article_id = next_article_id(session)
        make_article(session, state_of(app).settings.editions, article_id, translate=translate)
    return article_id


def a_user(app: Flask, role: str, codes: tuple[str, ...] = ()) -> str:
    username = f"{role}-{next(_ids)}"
    with committed(app) as session:
        create_user(
            session,
            state_of(app).settings.editions,
            username=username,
            password=PASSWORD,
            role=role,
            edition_codes=codes,
        )
    return username


def signed_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return client


def signed_in_clients(app: Flask, username: str, count: int) -> list[FlaskClient]:
    """``count`` clients of one signed-in person (one password check, not ``count``)."""
    first = signed_in(app, username)
    cookie = first.get_cookie("session")
    assert cookie is not None
    others = [app.test_client() for _number in range(count - 1)]
    for client in others:
        client.set_cookie("session", cookie.value, domain=cookie.domain)
    return [first, *others]


def a_token(app: Flask, role: str, codes: tuple[str, ...]) -> dict[str, str]:
    username = a_user(app, role, codes)
    with committed(app) as session:
        user = session.scalars(select(User).filter_by(username=username)).one()
        _token, secret = create_token(session, user, "CMS")
    return {"Authorization": f"Bearer {secret}"}


def at_once(count: int, work: Callable[[int], Any]) -> list[Any]:
    """``work(0)`` … ``work(count - 1)`` in threads released together."""
    start = threading.Barrier(count)

    def run(number: int) -> Any:
        start.wait()
        return work(number)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def versions(app: Flask, article_id: int, edition: str) -> dict[str, tuple[int, str]]:
    """Each segment's translation: (version, text)."""
    with committed(app) as session:
        counterpart = get_counterpart(session, article_id, edition)
        assert counterpart is not None
        rows = session.execute(
            select(Segment.key, Translation.version, Translation.text)
            .join(Translation, Translation.segment_id == Segment.id)
            .where(Translation.counterpart_id == counterpart.id)
        )
        return {key: (version, text) for key, version, text in rows}


def editor_url(article_id: int, edition: str = "fa") -> str:
    return f"/dashboard/{edition}/posts/{article_id}"


def save(client: FlaskClient, article_id: int, key: str, version: int, words: str):
    return client.post(
        editor_url(article_id),
        data={f"text-{key}": words, f"version-{key}": str(version), "action": "save"},
    )


def changes_of(app: Flask, article_id: int, key: str) -> int:
    with committed(app) as session:
        counterpart = get_counterpart(session, article_id, "fa")
        assert counterpart is not None
        return session.scalar(
            select(func.count())
            .select_from(TranslationChange)
            .where(
                TranslationChange.counterpart_id == counterpart.id,
                TranslationChange.segment_key == key,
            )
        )


def attached_pdf(session: Session, app: Flask, article_id: int, data: bytes) -> Attachment:
    article = session.get(Article, article_id)
    assert article is not None
    return attach(
        session,
        article,
        io.BytesIO(data),
        filename="report.pdf",
        editions=list(state_of(app).settings.editions),
        max_bytes=1_000_000,
    )


def while_held(holder: Session, work: Callable[[], Any]) -> Any:
    """Run ``work`` in a thread while ``holder``'s transaction is open: it must wait for
    ``holder`` to commit, and then finish."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(work()))
    thread.start()
    thread.join(timeout=0.5)
    assert thread.is_alive(), "the second writer did not wait for the first"
    holder.commit()
    thread.join(timeout=30)
    assert not thread.is_alive() and result
    return result[0]


# ------------------------------------------------------------------ threads


def test_ten_parallel_api_creates_all_succeed(app):
    headers = a_token(app, "editor", ("en",))

    def create(number: int):
        return app.test_client().post(
            "/api/v1/articles",
            headers=headers,
            json={
                "source_edition": "en",
                "section": "articles",
                "date": "2026-11-30",
                "title": f"Ten at once, number {number}",
                "body": "One paragraph.\n\nAnother paragraph.\n",
                # One new author and one new tag for all ten: found or made once.
                "author": "Noor Halabi",
                "tags": ["at-once", f"at-once-{number}"],
            },
        )

    responses = at_once(10, create)

    assert [response.status_code for response in responses] == [201] * 10, [
        response.text for response in responses if response.status_code != 201
    ]
    ids = {response.json["id"] for response in responses}
    assert len(ids) == 10
    with committed(app) as session:
        assert session.scalar(select(func.count()).where(Article.id.in_(ids))) == 10


def test_parallel_saves_of_different_segments_all_succeed(app):
    article_id = an_article(app)
    before = versions(app, article_id, "fa")
    keys = sorted(before)
    clients = signed_in_clients(app, a_user(app, "translator", ("fa",)), len(keys))

    responses = at_once(
        len(keys),
        lambda number: save(
            clients[number],
            article_id,
            keys[number],
            before[keys[number]][0],
            f"{before[keys[number]][1]} {WORDS[number]}",
        ),
    )

    assert [response.status_code for response in responses] == [302] * len(keys), [
        re.findall(r'role="alert"[^>]*>([^<]*)', response.text) for response in responses
    ]
    after = versions(app, article_id, "fa")
    assert {key: after[key][1] for key in keys} == {
        key: f"{before[keys[number]][1]} {WORDS[number]}" for number, key in enumerate(keys)
    }


def test_parallel_saves_of_one_segment_give_one_save_and_conflicts_for_the_others(app):
    article_id = an_article(app)
    version, before = versions(app, article_id, "fa")["b1"]
    changes = changes_of(app, article_id, "b1")
    clients = signed_in_clients(app, a_user(app, "translator", ("fa",)), 4)

    responses = at_once(
        4,
        lambda number: save(
            clients[number], article_id, "b1", version, f"{before} {WORDS[number]}"
        ),
    )

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [302, 409, 409, 409]
    saved = next(number for number, response in enumerate(responses) if response.status_code == 302)
    assert versions(app, article_id, "fa")["b1"][1] == f"{before} {WORDS[saved]}"
    assert changes_of(app, article_id, "b1") == changes + 1
    for number, response in enumerate(responses):
        if response.status_code == 409:  # each loser is shown the winner's text beside theirs
            assert WORDS[saved] in response.text and WORDS[number] in response.text


def test_two_po_imports_at_once_both_apply_or_one_is_told_to_wait(app):
    articles = [an_article(app, translate=("sq",)) for _number in range(2)]
    coordinators = signed_in_clients(app, a_user(app, "coordinator"), 2)
    previews = []
    for client, article_id in zip(coordinators, articles, strict=True):
        exported = client.get(f"/dashboard/exchange/export?edition=sq&articles={article_id}")
        edited = exported.get_data(as_text=True).replace(
            "katër punëtori.", "katër punëtori të hapura."
        )
        exported.close()
        preview = client.post(
            "/dashboard/exchange/import",
            data={"file": (io.BytesIO(edited.encode()), "sq.po"), "edition": "sq"},
            content_type="multipart/form-data",
        )
        assert preview.status_code == 200, preview.text
        previews.append(preview.text.split('name="sha256" value="')[1].split('"')[0])
    with committed(app) as session:
        records = session.scalar(select(func.count()).select_from(PoImport))

    responses = at_once(
        2,
        lambda number: coordinators[number].post(
            "/dashboard/exchange/apply",
            data={"sha256": previews[number], "filename": "sq.po", "edition": "sq"},
        ),
    )

    statuses = [response.status_code for response in responses]
    assert set(statuses) <= {302, 503} and 302 in statuses, statuses
    for response in responses:
        if response.status_code == 503:  # refused with a message, the preview kept to retry
            assert "Busy: please try again" in response.text
            assert response.headers["Retry-After"].isdigit()
    with committed(app) as session:
        imported = session.scalar(select(func.count()).select_from(PoImport)) - records
        assert imported == statuses.count(302)
        for article_id, status in zip(articles, statuses, strict=True):
            body = get_counterpart(session, article_id, "sq").body
            assert ("të hapura" in body) == (status == 302)


# ------------------------------------------------------------------ another process

# A second process takes the lock the web needs (SQLite: the write lock; PostgreSQL: the
# article's row, in the lock order), holds it for a while, then commits.
HOLDER = """
import sys, time
from sqlalchemy import text
from editions.core.db import make_engine, make_session_factory
engine = make_engine(sys.argv[1])
with engine.begin() as connection:
    connection.execute(
        text("UPDATE articles SET slug = 'held' WHERE id = :id"), {"id": int(sys.argv[2])}
    )
    print("locked", flush=True)
    time.sleep(float(sys.argv[3]))
    print(time.time(), flush=True)  # the moment it lets go: its commit comes next
"""


@contextmanager
def lock_held_by_another_process(url: str, article_id: int, seconds: float):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, url, str(article_id), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield holder
    finally:
        holder.wait(timeout=30)
        holder.stdout.close()
    assert holder.returncode == 0


def test_a_translator_save_waits_for_another_process_that_holds_the_lock(app, live_url):
    article_id = an_article(app)
    version, before = versions(app, article_id, "fa")["b2"]
    client = signed_in(app, a_user(app, "translator", ("fa",)))

    with lock_held_by_another_process(live_url, article_id, 1.0) as holder:
        reader = app.test_client().get(f"/en/posts/{article_id}")  # readers never wait
        assert reader.status_code == 200
        response = save(client, article_id, "b2", version, f"{before} {WORDS[0]}")
        saved_at = time.time()
        assert holder.stdout is not None
        # The save went through only once the other process let go of the lock.
        assert saved_at > float(holder.stdout.readline())

    assert response.status_code == 302
    assert versions(app, article_id, "fa")["b2"][1] == f"{before} {WORDS[0]}"
    with committed(app) as session:
        assert session.get(Article, article_id).slug == "held"  # both writes are there


def test_a_cli_po_import_in_another_process_while_the_web_writes(app, live_url, tmp_path):
    article_id = an_article(app, translate=("sq", "fa"))
    coordinator = signed_in(app, a_user(app, "coordinator"))
    exported = coordinator.get(f"/dashboard/exchange/export?edition=sq&articles={article_id}")
    po_file = tmp_path / "sq.po"
    po_file.write_text(
        exported.get_data(as_text=True).replace("Hyrja është falas", "Hyrja është gjithmonë falas")
    )
    exported.close()
    headers = a_token(app, "editor", ("en",))
    environment = {
        **os.environ,
        "EDITIONS_DATABASE_URL": live_url,
        "EDITIONS_INSTANCE": str(tmp_path),
        "EDITIONS_SECRET_KEY": "live",
        "EDITIONS_ENV": "development",
    }
    editions_command = Path(sys.executable).with_name("editions")
    command = subprocess.Popen(
        [str(editions_command), "po", "import", str(po_file), "--edition", "sq"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    web = []
    while command.poll() is None or not web:
        web.append(
            app.test_client()
            .post(
                "/api/v1/articles",
                headers=headers,
                json={
                    "source_edition": "en",
                    "section": "articles",
                    "date": "2026-11-30",
                    "title": f"Written while an import runs, {len(web)}",
                    "body": "One paragraph.\n",
                },
            )
            .status_code
        )
    output = command.communicate(timeout=60)[0]

    assert command.returncode == 0, output
    assert set(web) == {201}, web
    with committed(app) as session:
        assert "gjithmonë falas" in get_counterpart(session, article_id, "sq").body


# ------------------------------------------------------------------ no turn in time


@pytest.fixture
def impatient_app(live_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The same database with timeouts a fifth of a second long."""
    app = live_app(live_url, tmp_path, busy_timeout=0.2, lock_timeout=0.2)
    yield app
    state_of(app).engine.dispose()


@contextmanager
def lock_held(url: str, article_id: int) -> Iterator[Engine]:
    """Hold, in this process, what a writer of ``article_id`` needs first."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            # SQLite: BEGIN IMMEDIATE took the write lock; PostgreSQL: the article's row.
            connection.execute(
                text("SELECT id FROM articles WHERE id = :id FOR UPDATE")
                if engine.dialect.name == "postgresql"
                else text("SELECT id FROM articles WHERE id = :id"),
                {"id": article_id},
            )
            yield engine
    finally:
        engine.dispose()


def test_a_request_that_cannot_get_its_lock_in_time_answers_503_in_its_language(
    impatient_app, live_url
):
    app = impatient_app
    article_id = an_article(app)
    version, before = versions(app, article_id, "fa")["b1"]
    translator = signed_in(app, a_user(app, "translator", ("fa",)))
    headers = a_token(app, "editor", ("en",))
    etag = app.test_client().get(f"/api/v1/articles/{article_id}", headers=headers).headers["ETag"]

    with lock_held(live_url, article_id):
        page = translator.post(
            editor_url(article_id),
            data={
                "text-b1": "نوشته‌ای که نباید بماند",
                "version-b1": str(version),
                "action": "save",
            },
            headers={"Accept-Language": "fa"},
        )
        api = app.test_client().put(
            f"/api/v1/articles/{article_id}",
            headers={**headers, "If-Match": etag},
            json={"title": "Never written", "body": "Nothing.\n"},
        )
        reader = app.test_client().get(f"/fa/posts/{article_id}")

    assert page.status_code == 503
    assert page.headers["Retry-After"] == "1" and page.headers["Cache-Control"] == "no-store"
    assert '<html lang="fa" dir="rtl">' in page.text
    assert "شلوغ" in page.text  # the Persian title, not the English one
    assert api.status_code == 503 and api.mimetype == "application/problem+json"
    assert api.headers["Retry-After"] == "1"
    assert api.json["status"] == 503 and "Retry-After" in api.json["detail"]
    assert reader.status_code == 200  # reading never waited
    assert versions(app, article_id, "fa")["b1"][1] == before  # nothing half-written
    with committed(app) as session:
        assert session.get(Article, article_id).slug is None


def test_a_commit_that_cannot_get_its_locks_in_time_answers_503_not_500(impatient_app, live_url):
    app = impatient_app
    if state_of(app).engine.dialect.name == "sqlite":
        pytest.skip("on SQLite a writer holds the write lock from BEGIN IMMEDIATE on")
    article_id = an_article(app)
    version, before = versions(app, article_id, "fa")["b1"]
    translator = signed_in(app, a_user(app, "translator", ("fa",)))
    engine = make_engine(live_url)
    try:
        with engine.begin() as connection:
            # The kept statuses are written last, by the commit (the end of the lock order).
            connection.execute(text("LOCK TABLE status_entries IN EXCLUSIVE MODE"))
            response = save(translator, article_id, "b1", version, f"{before} {WORDS[1]}")
    finally:
        engine.dispose()

    assert response.status_code == 503
    assert "Busy: please try again" in response.text
    assert versions(app, article_id, "fa")["b1"][1] == before


def test_a_reading_transaction_refuses_to_write(live_url):
    engine = make_engine(live_url)
    try:
        with reading(engine).connect() as connection, pytest.raises(DBAPIError):
            connection.execute(text("UPDATE articles SET slug = 'x'"))
    finally:
        engine.dispose()


def test_a_deadlock_runs_the_request_once_more_and_it_succeeds(app, live_url, caplog):
    if state_of(app).engine.dialect.name == "sqlite":
        pytest.skip("SQLite has one writer at a time: writers cannot deadlock")
    article_id = an_article(app)
    version, before = versions(app, article_id, "fa")["b3"]
    changes = changes_of(app, article_id, "b3")
    translator = signed_in(app, a_user(app, "translator", ("fa",)))
    engine = make_engine(live_url)
    holder = engine.connect()
    holder.begin()
    # Another writer that breaks the lock order: it holds the kept statuses (the order's
    # end), then asks for the article's row, which the request holds (its start). It
    # waits longer before looking for deadlocks, so PostgreSQL picks the request to fail.
    holder.execute(text("SET LOCAL deadlock_timeout = '10s'"))
    holder.execute(text("LOCK TABLE status_entries IN EXCLUSIVE MODE"))
    with ThreadPoolExecutor(1) as pool:
        request = pool.submit(save, translator, article_id, "b3", version, f"{before} {WORDS[2]}")
        waiting = text(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND query LIKE '%status_entries%'"
        )
        # (From a connection of its own: a transaction sees one snapshot of the activity.)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as monitor:
            while not monitor.execute(waiting).scalar() and not request.done():
                time.sleep(0.02)
        holder.execute(
            text("SELECT id FROM articles WHERE id = :id FOR UPDATE"), {"id": article_id}
        )
        holder.commit()
        response = request.result(timeout=30)
    holder.close()
    engine.dispose()

    assert response.status_code == 302
    assert "running it once more" in caplog.text
    assert versions(app, article_id, "fa")["b3"][1] == f"{before} {WORDS[2]}"
    assert changes_of(app, article_id, "b3") == changes + 1


def test_a_command_that_cannot_get_the_write_lock_says_so(impatient_app, live_url):
    app = impatient_app
    if state_of(app).engine.dialect.name != "sqlite":
        pytest.skip("on PostgreSQL commands have no lock timeout: they wait their turn")
    article_id = an_article(app)
    with lock_held(live_url, article_id):
        result = app.test_cli_runner().invoke(
            cli,
            ["users", "create", "lina", "--role", "translator", "--edition", "fa"],
            obj=ScriptInfo(create_app=lambda: app),
            env={"EDITIONS_NEW_PASSWORD": PASSWORD},
        )
    assert result.exit_code == 1
    assert "the database is busy with other writers" in result.output
    assert "Traceback" not in result.output


def test_a_unit_of_work_that_fails_to_serialize_runs_once_more(app, live_url):
    if state_of(app).engine.dialect.name == "sqlite":
        pytest.skip("SQLite has one writer at a time: its transactions always serialize")
    article_id = an_article(app)
    engine = make_engine(live_url)
    attempts: list[str | None] = []

    def work() -> str | None:
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        slug = session.scalar(select(Article.slug).where(Article.id == article_id))
        attempts.append(slug)
        if len(attempts) == 1:  # another writer commits after this snapshot was taken
            with engine.begin() as other:
                other.execute(
                    text("UPDATE articles SET slug = 'theirs' WHERE id = :id"), {"id": article_id}
                )
        session.execute(update(Article).where(Article.id == article_id).values(slug=f"{slug}-mine"))
        return slug

    try:
        with make_session_factory(engine)() as session:
            run_unit_of_work(session, work)
    finally:
        engine.dispose()

    assert attempts == [None, "theirs"]
    with committed(app) as check:
        assert check.get(Article, article_id).slug == "theirs-mine"


def test_bytes_stored_while_their_last_holder_is_removed_are_kept(app):
    # One editor removes the only file holding some bytes while another attaches the
    # same bytes: the blob goes only when nothing holds it, whichever commits first.
    data = b"%PDF-1.4\n" + os.urandom(2000) + b"\n%%EOF\n"
    article_id = an_article(app, translate=())
    with committed(app) as session:
        first_id = attached_pdf(session, app, article_id, data).id
    sessions = state_of(app).sessions

    def remove_first() -> None:
        with sessions() as session:
            remove_attachment(session, session.get(Attachment, first_id))
            session.commit()

    # The second file is written first, not yet committed: the removal waits, then
    # finds the second file holding the bytes and leaves them.
    storer = sessions()
    second = attached_pdf(storer, app, article_id, data)
    digest = second.sha256
    while_held(storer, remove_first)
    storer.close()
    with committed(app) as session:
        assert storage(session).get(digest) == data

    # The last holder's removal is written first, not yet committed: a third file with
    # the same bytes waits for it, then keeps the bytes again.
    remover = sessions()
    remove_attachment(remover, remover.get(Attachment, second.id))

    def attach_again() -> int:
        with sessions() as session:
            third = attached_pdf(session, app, article_id, data).id
            session.commit()
            return third

    while_held(remover, attach_again)
    remover.close()
    with committed(app) as session:
        assert storage(session).get(digest) == data
        held = session.scalars(select(Attachment.sha256).where(Attachment.article_id == article_id))
        assert list(held) == [digest]  # the third file, the only one left
