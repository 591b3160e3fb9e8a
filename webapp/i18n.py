"""Locale negotiation and the edition every page is rendered in.

Order, documented once: the edition in the URL (the route's, or the first segment of
a path no route matched, so that ``/fa/no-such-page`` answers a Persian 404), then the
reader's remembered choice (the ``edition`` cookie), then Accept-Language, then the
default edition.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from babel.lists import format_list
from flask import Flask, g, has_request_context, request
from flask_babel import Babel, get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from editions.core.languages import Edition
from editions.core.settings import Settings
from editions.text.localization import (
    format_date,
    format_file_size,
    format_number,
    format_percent,
    iso_date,
    localize_digits,
)
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
    _numbers_in_the_editions_digits(app)
    app.context_processor(_edition_context)
    app.add_template_filter(localdate)
    app.add_template_filter(localnumber)
    app.add_template_filter(localdigits)
    app.add_template_filter(localpercent)
    app.add_template_filter(filesize)
    app.add_template_filter(localdatetime)
    app.add_template_filter(edition_names)
    app.add_template_filter(bdi)
    app.add_template_filter(iso_date, "isodate")


def _numbers_in_the_editions_digits(app: Flask) -> None:
    """Templates' gettext calls write whole-number variables in the edition's digits.

    ``{{ _("Article %(id)s", id=16009) }}`` reads «مقاله ۱۶۰۰۹» on a Persian page and
    ``ngettext``'s count (``num``) too, while the plural form is still chosen from the
    number itself. A value already formatted (``|localnumber``) is left as it is.
    """
    env = app.jinja_env
    for name, counted in (
        ("gettext", False),
        ("ngettext", True),
        ("pgettext", False),
        ("npgettext", True),
    ):
        env.globals[name] = _localizing(env.globals[name], counted)
    env.globals["_"] = env.globals["gettext"]


def _localizing(translate: Callable[..., str], counted: bool) -> Callable[..., str]:
    @pass_context
    def localized(context: Context, *args: Any, **variables: Any) -> str:
        if counted:
            variables.setdefault("num", args[-1])
        variables = {
            key: localdigits(value)
            if isinstance(value, int) and not isinstance(value, bool)
            else value
            for key, value in variables.items()
        }
        return translate(context, *args, **variables)

    return localized


def missing_catalogs(config: Settings) -> list[str]:
    """The configured editions whose compiled interface catalog is not there."""
    return [
        code
        for code in config.editions
        if code != SOURCE_LANGUAGE
        and not (config.translations_path / code / "LC_MESSAGES" / "messages.mo").is_file()
    ]


def check_catalogs(config: Settings) -> None:
    """Refuse to start when a configured edition has no compiled interface catalog."""
    missing = missing_catalogs(config)
    if missing:
        raise RuntimeError(
            f"no compiled catalog for edition(s) {', '.join(missing)} in "
            f"{config.translations_path}: run 'make catalogs' (pybabel compile -d translations)"
        )


def negotiate_edition() -> str:
    editions = settings().editions
    if request.view_args is not None:
        from_url = request.view_args.get("edition")
    else:  # no route matched: the address may still be under an edition's prefix
        from_url = request.path.split("/", 2)[1]
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


# Template filters: numbers and dates in the page's edition (editions/text/localization.py).
def localdate(value, style: str = "long") -> str:
    return format_date(value, current_edition().code, style)


def localnumber(value: int | float) -> str:
    return format_number(value, current_edition().code)


def filesize(size: int) -> str:
    return format_file_size(size, current_edition().code)


def localpercent(ratio: float) -> str:
    return format_percent(ratio, current_edition().code)


def edition_names(codes: Iterable[str]) -> str:
    """Editions' languages as CLDR names them in the page's language, listed: "انگلیسی و فارسی"."""
    editions = settings().editions
    names = [edition_name(code) for code in codes if code in editions]
    return format_list(names, locale=current_edition().code) if names else ""


def edition_name(code: str) -> str:
    """An edition's language as the person reading names it: in the page's language on
    the web, in English on the command line."""
    edition = settings().editions[code]
    return (
        edition.name_in(current_edition().code) if has_request_context() else edition.english_name
    )


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """Flask-Babel's ``ngettext`` with the count (``%(num)s``) in the edition's digits."""
    return get_translations().ngettext(singular, plural, num) % {
        "num": localdigits(num),
        **variables,
    }


def bdi(text: str) -> Markup:
    """Text of unknown direction (a reader's query) isolated inside a sentence."""
    return Markup("<bdi>%s</bdi>") % text


def localdatetime(value: datetime) -> str:
    """A moment for staff pages: the edition's date, then hours and minutes, in its digits."""
    return f"{localdate(value, 'short')} {localdigits(value.strftime('%H:%M'))}"


def localdigits(value: object) -> str:
    return localize_digits(str(value), current_edition().code)
