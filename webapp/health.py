"""``/healthz``: may a load balancer send this app server requests?

It answers 200 when the database answers, its schema is at the newest migration and
every edition's interface catalog is compiled; otherwise 503, naming what is wrong. One
short query on a pooled connection outside any transaction: no session, no cookie, no
template, so a balancer may ask every few seconds.
"""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from editions.maintenance.schema import current_revision, head_revision
from webapp.database import settings, state
from webapp.i18n import missing_catalogs

blueprint = Blueprint("health", __name__)
OK = "ok"


@blueprint.get("/healthz")
def healthz() -> Response:
    checks = {"database": OK, "migrations": OK, "catalogs": OK}
    try:
        revision = current_revision(state().engine)
    except (SQLAlchemyError, state().engine.dialect.loaded_dbapi.Error) as error:
        cause = getattr(error, "orig", None) or error
        checks["database"] = f"not answering: {type(cause).__name__}"
        checks["migrations"] = "unknown: the database is not answering"
    else:
        if revision != head_revision():
            checks["migrations"] = (
                f"the database is at {revision or 'no revision'}, the code needs "
                f"{head_revision()}: run 'editions db upgrade'"
            )
    missing = missing_catalogs(settings())
    if missing:
        checks["catalogs"] = f"not compiled for {', '.join(missing)}: run 'make catalogs'"
    healthy = all(value == OK for value in checks.values())
    response = jsonify({"status": OK if healthy else "unavailable", **checks})
    response.status_code = 200 if healthy else 503
    response.cache_control.no_store = True
    return response
