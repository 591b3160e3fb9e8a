"""Production settings that cannot be forgotten: the site's address, its hosts, its proxies."""

from __future__ import annotations

from dataclasses import replace

import pytest

from editions.core.settings import ConfigurationError, Settings
from tests.factories import make_article
from webapp import create_app


def served(app, settings, sessions, engine):
    """The app on the test's database and transaction, as the ``app`` fixture does."""
    state = app.extensions["editions"]
    app.extensions["editions"] = replace(state, engine=engine, sessions=sessions)
    state.engine.dispose()
    return app.test_client()


def test_outside_development_the_app_needs_a_site_url_or_trusted_hosts(settings):
    production = replace(settings, testing=False, environment="production")
    with pytest.raises(ConfigurationError, match="EDITIONS_SITE_URL"):
        create_app(production)
    for enough in ({"site_url": "https://news.example.org"}, {"trusted_hosts": ("a.example",)}):
        create_app(replace(production, **enough)).extensions["editions"].engine.dispose()
    create_app(replace(production, environment="development")).extensions[
        "editions"
    ].engine.dispose()
    with pytest.raises(ConfigurationError, match="EDITIONS_ENV"):
        create_app(replace(production, environment="staging"))


def test_the_environment_reads_the_variables(tmp_path, monkeypatch):
    monkeypatch.setenv("EDITIONS_ENV", "production")
    monkeypatch.setenv("EDITIONS_TRUSTED_HOSTS", "news.example.org, .example.net")
    monkeypatch.setenv("EDITIONS_PROXIES", "1")
    loaded = Settings.from_env(tmp_path, secret_key="x")
    assert loaded.environment == "production"
    assert loaded.trusted_hosts == ("news.example.org", ".example.net")
    assert loaded.proxies == 1


def test_the_waits_of_concurrent_writers_come_from_the_environment(tmp_path, monkeypatch):
    defaults = Settings.from_env(tmp_path, secret_key="x")
    assert (defaults.busy_timeout, defaults.lock_timeout, defaults.statement_timeout) == (
        5.0,
        3.0,
        10.0,
    )
    monkeypatch.setenv("EDITIONS_BUSY_TIMEOUT", "8")
    monkeypatch.setenv("EDITIONS_LOCK_TIMEOUT", "1.5")
    monkeypatch.setenv("EDITIONS_STATEMENT_TIMEOUT", "30")
    loaded = Settings.from_env(tmp_path, secret_key="x")
    assert (loaded.busy_timeout, loaded.lock_timeout, loaded.statement_timeout) == (8, 1.5, 30)
    with pytest.raises(ConfigurationError, match="EDITIONS_LOCK_TIMEOUT"):
        replace(loaded, lock_timeout=0, testing=True).check_deployable()


def test_links_never_follow_a_host_the_site_does_not_trust(
    settings, sessions, engine, session, editions
):
    make_article(session, editions, translate=())
    session.commit()
    trusted = replace(settings, testing=False, trusted_hosts=("news.example.org",))
    client = served(create_app(trusted), trusted, sessions, engine)
    evil = client.get("/en/posts/16009", headers={"Host": "evil.example"})
    assert evil.status_code == 400
    good = client.get("/en/posts/16009", headers={"Host": "news.example.org"})
    assert good.status_code == 200 and "https://evil.example" not in good.text
    fixed = replace(settings, testing=False, site_url="https://news.example.org")
    client = served(create_app(fixed), fixed, sessions, engine)
    page = client.get("/sitemap.xml", headers={"Host": "evil.example"})
    assert "evil.example" not in page.text and "https://news.example.org/" in page.text


def test_behind_a_proxy_the_client_address_and_https_come_from_its_headers(
    settings, sessions, engine, session, editions
):
    from editions.accounts.roles import MAX_FAILURES_PER_USERNAME_AND_ADDRESS, create_user

    create_user(session, editions, username="ada", password="a long enough secret", role="admin")
    session.commit()
    proxied = replace(settings, proxies=1, site_url="http://news.example.org")
    client = served(create_app(proxied), proxied, sessions, engine)

    def login(address: str, password: str):
        return client.post(
            "/login",
            data={"username": "ada", "password": password},
            headers={"X-Forwarded-For": address, "X-Forwarded-Proto": "https"},
            environ_base={"REMOTE_ADDR": "10.0.0.2"},  # the proxy itself
        )

    for _attempt in range(MAX_FAILURES_PER_USERNAME_AND_ADDRESS):
        assert login("203.0.113.9", "guess").status_code == 200
    assert login("203.0.113.9", "a long enough secret").status_code == 429
    signed_in = login("198.51.100.7", "a long enough secret")  # another client, same proxy
    assert signed_in.status_code == 302
    assert "Secure" in signed_in.headers["Set-Cookie"]  # HTTPS as the proxy says
