"""Who is signed in, what they may do, and the protections every form relies on.

- ``current_user()``: the signed-in, active ``User`` of this request, or None; under
  ``/api/`` a request with ``Authorization: Bearer <token>`` is that token's user
  (and a wrong token is nobody, whatever cookie comes along).
- ``login_required``: sends anonymous visitors to the sign-in page (401 for ``/api/``).
- ``roles_required(*roles)``: 403 unless the user has one of ``roles`` (admins always pass).
- ``edition_required``: 403 unless the user works in the view's ``edition_code`` argument.
- CSRF: Flask-WTF's ``CSRFProtect`` checks every POST, PUT, PATCH and DELETE; forms carry
  ``<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">``, scripts send the
  ``X-CSRFToken`` header (``<meta name="csrf-token">`` in the dashboard layout).
- The session cookie is HttpOnly, SameSite=Lax, and Secure whenever the request came over
  HTTPS (behind a proxy, through ``X-Forwarded-Proto`` once ProxyFix is configured). It
  names a server-side ``SignIn``: signing out revokes it everywhere (``editions.accounts.signins``).
- Every response has ``X-Content-Type-Options``, ``Referrer-Policy`` and a
  Content-Security-Policy without inline code; staff pages have ``frame-ancestors 'none'``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import (
    Flask,
    Request,
    Response,
    abort,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect

from editions.accounts.roles import may_edit_edition
from editions.accounts.signins import LIFETIME, end_sign_in, signed_in_user, start_sign_in
from editions.accounts.tokens import record_token_use, use_due, user_for_token
from editions.core.models import Role, User
from editions.core.settings import Settings
from webapp.database import db, writing

csrf = CSRFProtect()
SESSION_SIGN_IN = "sign_in"  # the id of a SignIn row, never the user id itself


class _SessionInterface(SecureCookieSessionInterface):
    def get_cookie_secure(self, app: Flask) -> bool:  # type: ignore[override]
        # Secure over HTTPS (behind proxies, as EDITIONS_PROXIES lets them say) and on a
        # site whose address is https; plain HTTP (the local `make run`) would never
        # get its cookie back.
        site_url = app.extensions["editions"].settings.site_url or ""
        return request.is_secure or site_url.startswith("https://")

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        # Most requests are anonymous readers without a cookie: building the signing
        # serializer for them was a tenth of a public page's time.
        if not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def init_app(app: Flask, settings: Settings) -> None:
    app.config.update(
        # Tests that check CSRF switch it on; every other test posts without tokens.
        WTF_CSRF_ENABLED=not settings.testing,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        PERMANENT_SESSION_LIFETIME=LIFETIME,
    )
    app.session_interface = _SessionInterface()
    app.after_request(_security_headers)
    csrf.init_app(app)
    app.register_error_handler(CSRFError, _csrf_refused)
    app.context_processor(lambda: {"current_user": current_user})


# Every script and style is a file under /static: no inline code, so no 'unsafe-inline'.
# Article images may come from other sites (Markdown image links), hence https: for img.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors {frame_ancestors}"
)
# Staff pages (and the API) are never framed, so no other site can overlay them to trick
# a click; reader pages may be framed by the site itself only.
_STAFF = ("/dashboard", "/admin", "/login", "/logout", "/api/")


def _security_headers(response: Response) -> Response:
    staff = request.path.startswith(_STAFF)
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault(
        "Content-Security-Policy", _CSP.format(frame_ancestors="'none'" if staff else "'self'")
    )
    headers.setdefault("X-Frame-Options", "DENY" if staff else "SAMEORIGIN")
    return response


def _csrf_refused(error: CSRFError):
    return render_template("auth/csrf.html", reason=error.description), 400


def current_user() -> User | None:
    if "current_user" not in g:
        if request.path.startswith("/api/") and "Authorization" in request.headers:
            g.current_user = bearer_user()
            return g.current_user
        sign_in_id = session.get(SESSION_SIGN_IN)
        g.current_user = signed_in_user(db(), sign_in_id) if isinstance(sign_in_id, str) else None
    return g.current_user


def bearer_user() -> User | None:
    """The active user whose live API token this request carries, or None."""
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    found = user_for_token(db(), secret.strip())
    if found is None:
        return None
    user, token = found
    if use_due(token):
        with writing() as session:
            record_token_use(session, token.id)
    return user


def log_in(user: User) -> None:
    session.clear()  # nothing from before signing in survives it
    session[SESSION_SIGN_IN] = start_sign_in(db(), user)
    session.permanent = True
    g.current_user = user


def log_out() -> None:
    """End the session on the server: the cookie, even a copy of it, signs nobody in."""
    sign_in_id = session.get(SESSION_SIGN_IN)
    if isinstance(sign_in_id, str):
        end_sign_in(db(), sign_in_id)
    session.clear()
    g.current_user = None


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            if request.path.startswith("/api/"):
                abort(401)
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def roles_required(*roles: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Signed in with one of ``roles``; an admin may do everything a coordinator may."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is not None and user.role is not Role.ADMIN and user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return login_required(wrapped)

    return decorate


def edition_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Signed in and working in the edition named by the view's ``edition_code`` argument."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        user = current_user()
        if user is not None and not may_edit_edition(user, kwargs["edition_code"]):
            abort(403)
        return view(*args, **kwargs)

    return login_required(wrapped)
