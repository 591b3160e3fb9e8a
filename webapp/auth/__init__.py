"""Signing in and out, and the admin's page of accounts."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from editions.accounts.roles import (
    AccountError,
    LoginRefused,
    TooManyAttempts,
    create_user,
    set_active,
    sign_in,
    users_select,
)
from editions.core.errors import UnknownEditionError
from editions.core.models import Role, User
from webapp.database import db, settings
from webapp.messages import describe
from webapp.security import current_user, log_in, log_out, roles_required

blueprint = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never an open redirect to another host.

    Browsers drop tabs and line breaks from a URL and read a backslash as a slash, so
    ``/\t/evil.example/`` would lead to ``//evil.example/``: a target holding any of them,
    any other control or space character, or a scheme or host, is not followed.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or not target.isprintable() or any(ch.isspace() for ch in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("auth/login.html", error=None, username="")
    username = request.form.get("username", "")
    if len(username) > 64 or not username.isprintable():
        # No account has such a name, and PostgreSQL cannot even compare one with a NUL.
        error = _("Wrong username or password.")
        return render_template("auth/login.html", error=error, username="")
    try:
        user = sign_in(db(), username, request.form.get("password", ""), request.remote_addr or "")
    except TooManyAttempts:
        error = _("Too many failed sign-ins. Try again in 15 minutes.")
        return render_template("auth/login.html", error=error, username=username), 429
    except LoginRefused:
        # 200, not 401: only a successful response commits, and the failure must be counted.
        error = _("Wrong username or password.")
        return render_template("auth/login.html", error=error, username=username)
    log_in(user)
    return redirect(_safe_next(request.args.get("next")) or url_for("dashboard.index"))


@blueprint.post("/logout")
def logout():
    log_out()
    return redirect(url_for("auth.login"))


@blueprint.get("/admin/users")
@roles_required(Role.ADMIN)
def users():
    return _users_page(error=None)


def _users_page(error: str | None, status: int = 200):
    accounts = db().scalars(users_select()).all()
    return render_template(
        "auth/users.html", users=accounts, roles=list(Role), error=error, form=request.form
    ), status


@blueprint.post("/admin/users")
@roles_required(Role.ADMIN)
def create():
    try:
        create_user(
            db(),
            settings().editions,
            username=request.form.get("username", ""),
            password=request.form.get("password", ""),
            role=request.form.get("role", ""),
            edition_codes=request.form.getlist("edition"),
            display_name=request.form.get("display_name") or None,
        )
    except (AccountError, UnknownEditionError) as error:
        return _users_page(error=describe(error), status=400)
    return redirect(url_for("auth.users"))


@blueprint.post("/admin/users/<int:user_id>/active")
@roles_required(Role.ADMIN)
def activate(user_id: int):
    user = db().get(User, user_id) or abort(404)
    try:
        set_active(db(), current_user(), user, request.form.get("active") == "1")
    except (AccountError, UnknownEditionError) as error:
        return _users_page(error=describe(error), status=400)
    return redirect(url_for("auth.users"))
