"""Locale negotiation and the edition every page is rendered in.

Order, documented once: the edition in the URL, then the reader's remembered choice
(the ``edition`` cookie), then Accept-Language, then the default edition.
"""

from __future__ import annotations

from flask import Flask, g, request
from flask_babel import Babel

from editions.languages import Edition
from editions.localization import (
    format_date,
    format_number,
    format_percent,
    iso_date,
    localize_digits,
)
from editions.settings import Settings
from webapp.database import settings

EDITION_COOKIE = "edition"
SOURCE_LANGUAGE = "en"  # the language of the msgids: needs no catalog


def init_app(app: Flask, config: Settings) -> None:
    check_catalogs(config)
    Babel(
        app,
        locale_selector=negotiate_edition,
        default_translation_directories=str(config.translations_path),
        default_locale=config.default_edition,
    )
    app.context_processor(_edition_context)
    app.add_template_filter(localdate)
    app.add_template_filter(localnumber)
    app.add_template_filter(localdigits)
    app.add_template_filter(localpercent)
    app.add_template_filter(iso_date, "isodate")


def check_catalogs(config: Settings) -> None:
    """Refuse to start when a configured edition has no compiled interface catalog."""
    missing = [
        code
        for code in config.editions
        if code != SOURCE_LANGUAGE
        and not (config.translations_path / code / "LC_MESSAGES" / "messages.mo").is_file()
    ]
    if missing:
        raise RuntimeError(
            f"no compiled catalog for edition(s) {', '.join(missing)} in "
            f"{config.translations_path}: run 'make catalogs' (pybabel compile -d translations)"
        )


def negotiate_edition() -> str:
    editions = settings().editions
    from_url = (request.view_args or {}).get("edition")
    if from_url in editions:
        return from_url
    remembered = request.cookies.get(EDITION_COOKIE)
    if remembered in editions:
        return remembered
    return request.accept_languages.best_match(list(editions)) or settings().default_edition


def current_edition() -> Edition:
    if "edition" not in g:
        g.edition = settings().editions[negotiate_edition()]
    return g.edition


def _edition_context() -> dict[str, object]:
    return {"edition": current_edition(), "editions": settings().editions}


# Template filters: numbers and dates in the page's edition (editions/localization.py).
def localdate(value, style: str = "long") -> str:
    return format_date(value, current_edition().code, style)


def localnumber(value: int | float) -> str:
    return format_number(value, current_edition().code)


def localpercent(ratio: float) -> str:
    return format_percent(ratio, current_edition().code)


def localdigits(value: object) -> str:
    return localize_digits(str(value), current_edition().code)
