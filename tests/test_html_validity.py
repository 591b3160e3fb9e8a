"""Every page type, reader and staff, in every edition is valid HTML: the W3C Nu HTML
checker (``vnu.jar``, installed by ``make page-checkers``) finds no error.

All pages go to one run of the checker: the Java start-up is paid once.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from editions.core.settings import DEFAULT_EDITIONS, PROJECT_ROOT
from tests.pages import every_page, sign_in_form

VNU = PROJECT_ROOT / ".checkers" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="module")
def checker() -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.skip("java is not installed: 'make page-checkers' installs it as root")
    if not VNU.is_file():
        pytest.skip(f"{VNU} is missing: run 'make page-checkers' (npm install vnu-jar)")
    return [java, "-Xss8m", "-jar", str(VNU)]


def test_every_page_in_every_edition_is_valid_html(demo_app, checker, tmp_path: Path):
    files: dict[str, str] = {}
    clients: dict[tuple[str, str | None], FlaskClient] = {}
    for code in DEFAULT_EDITIONS:
        for page in every_page(code):
            client = clients.get((code, page.account))
            if client is None:
                client = clients[(code, page.account)] = demo_app.test_client()
                client.set_cookie("edition", code)
                if page.account:
                    signed = client.post("/login", data=sign_in_form(page.account))
                    assert signed.status_code == 302
            response = client.get(page.path)
            assert response.status_code == page.status, (code, page)
            path = tmp_path / f"{code}-{page.name.replace(' ', '-').replace(',', '')}.html"
            path.write_bytes(response.data)
            files[f"file:{path}"] = f"{code} {page.name} ({page.path})"
    # A page known to be invalid proves that the checker read the files it was given.
    sentinel = tmp_path / "sentinel.html"
    sentinel.write_text('<!doctype html><html lang="en"><title>x</title><p><foo></foo>')
    run = subprocess.run(
        [*checker, "--format", "json", "--exit-zero-always", "--no-langdetect", str(sentinel)]
        + [name.removeprefix("file:") for name in sorted(files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    messages = json.loads(run.stderr)["messages"]
    assert any(message.get("url") == f"file:{sentinel}" for message in messages), run.stderr
    errors = [
        f"{files.get(message.get('url'), message.get('url'))}: line {message.get('lastLine')}: "
        f"{message['message']}"
        for message in messages
        if message["type"] in ("error", "non-document-error")
        and message.get("url") != f"file:{sentinel}"
    ]
    assert not errors, "\n".join(errors)
    assert len(files) == sum(len(every_page(code)) for code in DEFAULT_EDITIONS)
