"""Two app servers on one PostgreSQL, as in production: real gunicorn processes on ports of
their own, each with an instance folder of its own, sharing nothing but the database and
the secret. What one server was given, the other serves; nginx in front balances them."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
import requests
from PIL import Image as Pillow
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from editions.accounts.roles import create_user
from editions.content.articles import get_counterpart
from editions.core.db import make_engine
from editions.core.settings import Settings
from editions.maintenance import schema
from tests.appservers import GUNICORN, PUBLIC_HOST, AppServer, Nginx, nginx_binary
from tests.conftest import POSTGRES_URL
from tests.factories import make_article
from webapp.authoring import FORM_OVERHEAD_BYTES

PASSWORD = "a long enough secret"
SCHEMA = f"editions_servers_{os.getpid()}"
# One pair of app servers and one nginx for the module: under pytest-xdist its tests share a
# worker rather than each worker starting servers of its own.
pytestmark = pytest.mark.xdist_group("app_servers")


@dataclass
class Cluster:
    one: AppServer
    two: AppServer
    database_url: str


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if not GUNICORN.exists():
        pytest.skip(f"gunicorn is not installed next to {GUNICORN.parent}: pip install '.[serve]'")
    admin = make_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    except OperationalError as error:
        admin.dispose()
        pytest.skip(f"PostgreSQL at {POSTGRES_URL} is not reachable: {error.orig}")
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{SCHEMA}"
    schema.upgrade(url)
    engine = make_engine(url)
    editions = Settings(instance_path=Path("."), database_url=url, secret_key="x").editions
    with Session(engine) as session:
        create_user(session, editions, username="dana", password=PASSWORD, role="coordinator")
        make_article(session, editions)
        session.commit()
    engine.dispose()
    folder = tmp_path_factory.mktemp("servers")
    env = {
        "EDITIONS_DATABASE_URL": url,
        "EDITIONS_SECRET_KEY": "one secret for every app server",
        "EDITIONS_ENV": "production",
        "EDITIONS_TRUSTED_HOSTS": f"127.0.0.1,{PUBLIC_HOST}",
        "EDITIONS_PROXIES": "1",
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
    }
    servers = [AppServer.start(folder / name, env) for name in ("one", "two")]
    try:
        one, two = (server.wait() for server in servers)
        yield Cluster(one, two, url)
    finally:
        for server in servers:
            server.process.send_signal(signal.SIGINT)  # both at once: then wait for each
        for server in servers:
            server.stop()
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        admin.dispose()


def signed_in(server: AppServer) -> requests.Session:
    browser = requests.Session()
    page = browser.get(f"{server.url}/login", timeout=15)
    response = browser.post(
        f"{server.url}/login",
        data={"username": "dana", "password": PASSWORD, "csrf_token": csrf_token(page.text)},
        allow_redirects=False,
        timeout=15,
    )
    assert response.status_code == 302, response.text
    return browser


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def png() -> bytes:
    out = io.BytesIO()
    Pillow.new("RGB", (6, 4), "maroon").save(out, "PNG")
    return out.getvalue()


def test_an_image_uploaded_through_one_server_is_served_by_the_other(cluster):
    browser = signed_in(cluster.one)
    token = csrf_token(browser.get(f"{cluster.one.url}/dashboard/exchange/", timeout=15).text)
    uploaded = browser.post(
        f"{cluster.one.url}/dashboard/articles/images",
        files={"image": ("harbour.png", png(), "image/png")},
        data={"alt": "The harbour", "csrf_token": token},
        timeout=15,
    )
    assert uploaded.status_code == 201, uploaded.text
    path = uploaded.json()["url"]
    served = requests.get(f"{cluster.two.url}{path}", timeout=15)  # anonymous, the other server
    assert served.status_code == 200 and served.content == png()
    assert served.headers["Content-Type"] == "image/png"
    etag = served.headers["ETag"]
    assert etag == f'"{path.removeprefix("/media/").split(".")[0]}"'
    again = requests.get(f"{cluster.one.url}{path}", headers={"If-None-Match": etag}, timeout=15)
    assert again.status_code == 304
    assert not (Path(cluster.one.log).parent / "instance" / "media").exists()


def test_a_po_preview_made_on_one_server_is_applied_on_the_other(cluster):
    browser = signed_in(cluster.two)  # the session is good on either server
    exported = browser.get(f"{cluster.one.url}/dashboard/exchange/export?edition=sq", timeout=15)
    catalog = polib.pofile(exported.text)
    assert catalog.metadata["Language"] == "sq"
    edited = exported.text.replace("në katër punëtori.", "në pesë punëtori.")
    token = csrf_token(browser.get(f"{cluster.one.url}/dashboard/exchange/", timeout=15).text)
    preview = browser.post(
        f"{cluster.one.url}/dashboard/exchange/import",
        files={"file": ("sq.po", edited.encode(), "text/x-gettext-translation")},
        data={"edition": "sq", "csrf_token": token},
        timeout=15,
    )
    assert preview.status_code == 200 and "Nothing has been changed yet." in preview.text
    fields = dict(
        re.findall(r'name="(sha256|filename|edition|csrf_token)" value="([^"]*)"', preview.text)
    )
    applied = browser.post(
        f"{cluster.two.url}/dashboard/exchange/apply",
        data=fields,
        allow_redirects=False,
        timeout=15,
    )
    assert applied.status_code == 302, applied.text
    engine = make_engine(cluster.database_url)
    with Session(engine) as session:
        assert "në pesë punëtori" in get_counterpart(session, 16009, "sq").body
    engine.dispose()
    twice = browser.post(f"{cluster.one.url}/dashboard/exchange/apply", data=fields, timeout=15)
    assert twice.status_code == 410 and "no longer pending" in twice.text


@pytest.fixture(scope="module")
def nginx(cluster, tmp_path_factory) -> Iterator[Nginx]:
    binary = nginx_binary()
    if binary is None:
        pytest.skip("nginx is not installed and could not be installed here (make nginx)")
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: no certificate for nginx's HTTPS server")
    upstreams = [server.url.removeprefix("http://") for server in (cluster.one, cluster.two)]
    server = Nginx.start(binary, tmp_path_factory.mktemp("nginx") / "site", upstreams)
    yield server
    server.stop()


def through(nginx: Nginx, path: str, **options) -> requests.Response:
    return requests.get(
        f"https://127.0.0.1:{nginx.https_port}{path}",
        headers={"Host": PUBLIC_HOST, **options.pop("headers", {})},
        verify=str(nginx.certificate),
        timeout=15,
        **options,
    )


def test_nginx_balances_the_two_servers_and_reports_their_health(cluster, nginx):
    plain = requests.get(
        f"http://127.0.0.1:{nginx.http_port}/en/",
        headers={"Host": PUBLIC_HOST},
        allow_redirects=False,
        timeout=15,
    )
    assert plain.status_code == 301
    assert plain.headers["Location"] == f"https://{PUBLIC_HOST}/en/"
    health = through(nginx, "/healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    for path in ("/en/", "/fa/", "/en/posts/16009", "/sq/posts/16009"):
        page = through(nginx, path)
        assert page.status_code == 200, path
        # Links name the public site, never an app server's address.
        assert f"https://{PUBLIC_HOST}/" in page.text and "127.0.0.1" not in page.text
    # Round robin: both servers answered, each seeing the client nginx reported.
    for server in (cluster.one, cluster.two):
        assert re.search(r'^127\.0\.0\.1 127\.0\.0\.1 "GET /\w\w/', server.access_log(), re.M)


def test_nginx_keeps_images_and_static_files_and_the_session_is_secure(cluster, nginx):
    first = through(nginx, "/static/reader.css")
    second = through(nginx, "/static/reader.css")
    assert first.status_code == second.status_code == 200 and first.content == second.content
    assert second.headers["X-Cache-Status"] == "HIT"
    assert second.headers["Cache-Control"] == "max-age=3600"
    login = through(nginx, "/login")
    # X-Forwarded-Proto reached the app through EDITIONS_PROXIES: the cookie is Secure.
    assert "; Secure" in login.headers["Set-Cookie"]
    assert 'name="csrf_token"' in login.text


def test_the_nginx_body_limit_is_the_apps_upload_limit():
    site = (Path(__file__).parent.parent / "deploy" / "nginx" / "editions.conf").read_text()
    [limit, attachments] = re.findall(r"client_max_body_size (\d+)m;", site)
    default = Settings(instance_path=Path("."), database_url="sqlite://", secret_key="x")
    assert int(limit) * 1024 * 1024 == default.max_upload_bytes
    # Attachments: the app's own limit and the form around the file, in nginx's MiB.
    room = default.max_attachment_bytes + FORM_OVERHEAD_BYTES
    assert room <= int(attachments) * 1024 * 1024 < room * 1.1
