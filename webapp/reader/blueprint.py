"""The reader's blueprint, on its own so that every view module can attach to it."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort

from webapp.database import settings
from webapp.i18n import current_edition
from webapp.reader.fragments import fragment
from webapp.reader.navigation import absolute

blueprint = Blueprint("reader", __name__)
SITE_FOUNDED = 2006  # the first year of the copyright line


@blueprint.url_value_preprocessor
def _known_edition_only(_endpoint: str | None, values: dict | None) -> None:
    # An unknown edition code is a 404 page in the reader's negotiated edition, never a 500.
    if values and "edition" in values and values["edition"] not in settings().editions:
        abort(404)
    # No tag, author or slug has a NUL (and PostgreSQL refuses one in a query): not found.
    if values and any(isinstance(value, str) and "\x00" in value for value in values.values()):
        abort(404)


@blueprint.app_context_processor
def _site() -> dict[str, object]:
    return {
        "site_years": (SITE_FOUNDED, date.today().year),
        "site_name": settings().site_name(current_edition().code),
        "absolute": absolute,
        "fragment": fragment,
    }
