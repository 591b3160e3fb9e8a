"""The site's error pages, app-wide: not found (404), forbidden (403) and busy (503).

Pages answer in the reader's edition; under ``/api/`` each is a problem document
(``webapp.problems``).
"""

from __future__ import annotations

import math

from flask import Flask, Response, make_response, render_template
from flask_babel import gettext as _
from werkzeug.exceptions import Forbidden, NotFound, ServiceUnavailable

from editions.accounts.roles import PermissionDenied
from webapp.database import request_reads_only, settings, state
from webapp.messages import describe
from webapp.problems import is_api_request, problem


def not_found(error: NotFound) -> Response:
    """A 404 page in the reader's edition (the API answers in JSON)."""
    if is_api_request():
        return problem(404, error.description or "")
    response = make_response(render_template("errors/404.html"), 404)
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


def forbidden(error: Forbidden | PermissionDenied) -> Response:
    """A 403 in the reader's edition, naming what the domain refused where it did (the
    API answers in JSON)."""
    reason = describe(error) if isinstance(error, PermissionDenied) else None
    if is_api_request():
        return problem(403, reason or error.description or "")
    response = make_response(render_template("errors/403.html", reason=reason), 403)
    response.headers["Cache-Control"] = "no-store"
    return response


def busy(_error: ServiceUnavailable) -> Response:
    """503 (``EditionsApp``): the database could not give this request its locks in time;
    nothing changed, and Retry-After says how long it waited."""
    config = settings()
    waited = config.busy_timeout if state().engine.dialect.name == "sqlite" else config.lock_timeout
    if is_api_request():
        response = problem(
            503,
            _(
                "The database is busy with other changes and this request could not wait its "
                "turn; nothing was changed. Send it again after the seconds in Retry-After."
            ),
        )
    else:
        # A form is sent again; a page is loaded again.
        resend = not request_reads_only()
        response = make_response(render_template("errors/busy.html", resend=resend), 503)
    response.headers["Retry-After"] = str(max(1, math.ceil(waited)))
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(404, not_found)
    app.register_error_handler(403, forbidden)
    app.register_error_handler(PermissionDenied, forbidden)
    app.register_error_handler(503, busy)
