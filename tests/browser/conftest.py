"""A real server and Debian's Chromium for the browser tests (never a downloaded browser).

The app serves a SQLite file with the demo loaded from a werkzeug server thread on a
free loopback port. These tests run on SQLite only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from editions import schema
from editions.demo import load_demo
from editions.settings import Settings
from webapp import create_app
from webapp.database import state

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{folder / 'editions.sqlite3'}"
    schema.upgrade(url)
    settings = Settings(
        instance_path=folder, database_url=url, secret_key="browser-tests", testing=True
    )
    app = create_app(settings)
    with app.app_context():
        session = state().sessions()
        load_demo(session, settings.editions)
        session.commit()
        session.close()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()
    state_engine = app.extensions["editions"].engine
    state_engine.dispose()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run 'make browser' (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server, locale="en-US", viewport={"width": 1200, "height": 900}
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS
