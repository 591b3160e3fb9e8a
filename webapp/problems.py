"""Errors of the JSON API as problem details (RFC 9457, ``application/problem+json``).

Every answer under ``/api/`` that is not a success has the same shape, whichever layer
refused it (the API's validation, the sign-in check, Flask's routing, a body too large):
``type`` (``about:blank``: the status says it all), ``title`` (the status phrase),
``status``, ``detail`` (what went wrong, in the reader's language) and, for invalid
fields, ``fields`` mapping each field name to its problem.
"""

from __future__ import annotations

import json
from http import HTTPStatus

from flask import Flask, Response, current_app, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

MEDIA_TYPE = "application/problem+json"
API_PREFIX = "/api/"


def problem(status: int, detail: str, fields: dict[str, str] | None = None) -> Response:
    body: dict[str, object] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if fields:
        body["fields"] = fields
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), status=status, mimetype=MEDIA_TYPE
    )
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="editions"'
    return response


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def _http_error(error: HTTPException) -> Response | HTTPException:
    if not is_api_request() or error.code is None:
        return error  # pages answer with their own error pages
    response = problem(error.code, error.description or HTTPStatus(error.code).phrase)
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _server_error(error: InternalServerError) -> Response | InternalServerError:
    if not is_api_request():
        return error
    return problem(500, _("The server could not answer this request. Please try again later."))


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)
