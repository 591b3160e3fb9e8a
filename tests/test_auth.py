"""Accounts, signing in and out, roles, CSRF and the limit on failed sign-ins."""

from __future__ import annotations

import re
from dataclasses import replace

import polib
import pytest
from markupsafe import escape
from sqlalchemy import select

from editions.accounts.roles import (
    MAX_FAILURES_PER_USERNAME_AND_ADDRESS,
    TooManyAttempts,
    create_user,
)
from editions.accounts.roles import sign_in as sign_in_domain
from editions.core.models import User
from editions.core.settings import PROJECT_ROOT
from webapp import create_app

PASSWORD = "a long enough secret"


@pytest.fixture
def admin(session, editions):
    return create_user(session, editions, username="ada", password=PASSWORD, role="admin")


def login(client, username="ada", password=PASSWORD, **kwargs):
    return client.post("/login", data={"username": username, "password": password}, **kwargs)


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/dashboard/"


def test_a_user_signs_in_and_out(client, admin):
    response = login(client, query_string={"next": "/dashboard/queue"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/queue"
    page = client.get("/dashboard/")
    assert page.status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_signing_in_never_redirects_to_another_site(client, admin):
    response = login(client, query_string={"next": "//elsewhere.example/"})
    assert response.headers["Location"] == "/dashboard/"


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, admin):
    wrong_password = login(client, password="not the password")
    unknown_user = login(client, username="nobody")
    assert "Wrong username or password." in wrong_password.text
    assert "Wrong username or password." in unknown_user.text
    assert client.get("/dashboard/").status_code == 302


def test_a_deactivated_user_cannot_sign_in_and_is_signed_out(client, session, admin):
    assert login(client).status_code == 302
    admin.active = False
    session.flush()
    assert client.get("/dashboard/").status_code == 302
    assert "Wrong username or password." in login(client).text


def test_failed_sign_ins_from_one_address_are_limited_even_for_the_right_password(client, admin):
    for _attempt in range(MAX_FAILURES_PER_USERNAME_AND_ADDRESS):
        assert login(client, password="guess").status_code == 200
    refused = login(client)
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.text
    assert client.get("/dashboard/").status_code == 302


def test_nobody_locks_an_account_from_another_address(app, client, admin):
    attacker = {"REMOTE_ADDR": "203.0.113.9"}
    for _attempt in range(MAX_FAILURES_PER_USERNAME_AND_ADDRESS):
        assert login(client, password="guess", environ_base=attacker).status_code == 200
    assert login(client, environ_base=attacker).status_code == 429
    # The owner, from their own address, signs in at once.
    owner = app.test_client()
    assert login(owner, environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code == 302
    assert owner.get("/dashboard/").status_code == 200


def test_one_address_is_limited_whatever_names_it_tries(client, admin):
    from editions.accounts.roles import MAX_FAILURES_PER_ADDRESS

    for attempt in range(MAX_FAILURES_PER_ADDRESS):
        assert login(client, username=f"name{attempt}", password="guess").status_code == 200
    assert login(client).status_code == 429


def test_unknown_and_known_usernames_cost_one_password_check_alike(session, admin, monkeypatch):
    """Equal work: an unknown name is checked against a hash made like every user's."""
    from werkzeug import security

    from editions.accounts import roles as accounts
    from editions.accounts.roles import LoginRefused

    checked: list[str] = []
    real_check = security.check_password_hash

    def counting_check(stored: str, password: str) -> bool:
        checked.append(stored.split("$")[0])  # the method and its cost parameters
        return real_check(stored, password)

    monkeypatch.setattr(accounts, "check_password_hash", counting_check)
    for username in ("ada", "nobody"):
        with pytest.raises(LoginRefused):
            sign_in_domain(session, username, "guess", "192.0.2.1")
    admin.active = False
    session.flush()
    with pytest.raises(LoginRefused):
        sign_in_domain(session, "ada", PASSWORD, "192.0.2.2")
    assert len(checked) == 3
    assert checked[0] == checked[1] == checked[2] == admin.password_hash.split("$")[0]


def test_the_limit_holds_across_worker_processes(app, settings, sessions, admin):
    # A second app stands for a second gunicorn worker: it counts the same failures.
    other = create_app(settings)
    other.extensions["editions"].engine.dispose()
    other.extensions["editions"] = replace(app.extensions["editions"])
    for index in range(MAX_FAILURES_PER_USERNAME_AND_ADDRESS):
        worker = app if index % 2 else other
        login(worker.test_client(), password="guess")
    assert login(other.test_client()).status_code == 429
    assert login(app.test_client()).status_code == 429


def test_failures_older_than_the_window_do_not_count(session, admin):
    from datetime import timedelta

    from editions.accounts.roles import LOGIN_WINDOW, LoginRefused
    from editions.core.models import utcnow

    long_ago = utcnow() - LOGIN_WINDOW - timedelta(minutes=1)
    for _attempt in range(MAX_FAILURES_PER_USERNAME_AND_ADDRESS):
        with pytest.raises(LoginRefused):
            sign_in_domain(session, "ada", "guess", "10.0.0.1", now=long_ago)
    assert sign_in_domain(session, "ada", PASSWORD, "10.0.0.1") == admin
    with pytest.raises(TooManyAttempts):
        for _attempt in range(MAX_FAILURES_PER_USERNAME_AND_ADDRESS + 1):
            with pytest.raises(LoginRefused):
                sign_in_domain(session, "ada", "guess", "10.0.0.1")


def test_a_post_without_csrf_token_is_refused(app, client, admin):
    app.config["WTF_CSRF_ENABLED"] = True
    refused = login(client)
    assert refused.status_code == 400
    assert "security token" in refused.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)[1]
    accepted = client.post(
        "/login", data={"username": "ada", "password": PASSWORD, "csrf_token": token}
    )
    assert accepted.status_code == 302
    # Signed in, a form without its token still cannot sign the user out.
    assert client.post("/logout").status_code == 400
    assert client.get("/dashboard/").status_code == 200


def test_the_session_cookie_is_http_only_lax_and_secure_over_https(client, admin):
    over_https = login(client, base_url="https://editions.example")
    cookie = over_https.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" in cookie
    assert "Secure" not in login(client).headers["Set-Cookie"]


@pytest.mark.parametrize("role", ["translator", "editor", "coordinator"])
def test_only_an_admin_sees_the_users_page(client, sign_in, role):
    sign_in(client, role, ["fa"] if role in ("translator", "editor") else [])
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/users", data={"username": "eve"}).status_code == 403


def test_an_admin_creates_and_deactivates_a_translator(client, session, sign_in):
    sign_in(client, "admin")
    created = client.post(
        "/admin/users",
        data={
            "username": "leila",
            "display_name": "Leila",
            "password": PASSWORD,
            "role": "translator",
            "edition": ["fa", "ar"],
        },
    )
    assert created.status_code == 302
    leila = session.scalars(select(User).where(User.username == "leila")).one()
    assert leila.editions == ("fa", "ar")
    assert "leila" in client.get("/admin/users").text
    client.post(f"/admin/users/{leila.id}/active", data={"active": "0"})
    session.refresh(leila)
    assert not leila.active


def test_the_users_page_says_what_is_wrong_with_a_new_account(client, sign_in):
    sign_in(client, "admin")
    refused = client.post(
        "/admin/users",
        data={"username": "sami", "password": PASSWORD, "role": "translator"},
    )
    assert refused.status_code == 400
    assert "at least one edition" in refused.text


@pytest.mark.parametrize("code", ["ar", "fa", "sq"])
def test_a_refusal_from_the_domain_is_explained_in_the_admins_language(client, sign_in, code):
    sign_in(client, "admin")
    client.post("/admin/users", data={"username": "sami", "password": PASSWORD, "role": "admin"})
    refused = client.post(
        "/admin/users",
        data={"username": "sami", "password": PASSWORD, "role": "admin"},
        headers={"Accept-Language": code},
    )
    catalog = polib.pofile(
        str(PROJECT_ROOT / "translations" / code / "LC_MESSAGES" / "messages.po")
    )
    template = catalog.find("the user %(username)s already exists").msgstr
    assert template, f"the {code} catalog does not translate this refusal"
    assert refused.status_code == 400
    assert str(escape(template % {"username": "sami"})) in refused.text


def test_an_admin_cannot_deactivate_themselves(client, sign_in):
    admin = sign_in(client, "admin")
    refused = client.post(f"/admin/users/{admin.id}/active", data={"active": "0"})
    assert refused.status_code == 400


def test_signing_out_revokes_the_session_on_the_server(client, sign_in):
    sign_in(client, "coordinator")
    cookie = client.get_cookie("session")
    assert client.get("/dashboard/").status_code == 200
    client.post("/logout")
    # A copy of the cookie taken before signing out signs nobody in any more.
    client.set_cookie("session", cookie.value)
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "https://evil.example/",
        "/\n/evil.example",
        " //evil.example",
        "/\x00/evil",
    ],
)
def test_sign_in_never_redirects_to_another_site(client, session, editions, target):
    from editions.accounts.roles import create_user

    create_user(
        session, editions, username="dana", password="a long enough secret", role="coordinator"
    )
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"username": "dana", "password": "a long enough secret"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard/"


def test_a_forbidden_page_says_so_in_the_reader_s_edition(client, sign_in):
    sign_in(client, "translator", ["fa"])
    client.get("/fa/choose")
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert '<html lang="fa" dir="rtl">' in response.text
    assert "مجاز نیست" in response.text and "Forbidden" not in response.text


def test_a_refusal_no_view_catches_is_a_403_naming_it_in_the_reader_s_language(app, client):
    # Views check roles before they call the domain; when the domain refuses all the same
    # (a role changed meanwhile), the page says what was refused rather than a bare 403.
    from editions.accounts.roles import PermissionDenied

    def refused():
        raise PermissionDenied("only a coordinator assigns work")

    app.add_url_rule("/fa/refused", view_func=refused)
    client.get("/fa/choose")
    response = client.get("/fa/refused")
    assert response.status_code == 403
    assert "فقط هماهنگ‌کننده می‌تواند کار واگذار کند" in response.text
