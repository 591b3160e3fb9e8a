"""Reading what people type into forms and query strings, with errors they can act on."""

from __future__ import annotations

from datetime import date

from werkzeug.routing import IntegerConverter, Map

from editions.core.errors import EditionsError
from editions.core.ids import MAX_ID
from editions.core.messages import _l


def optional_date(text: str | None) -> date | None:
    """An ISO date (what ``<input type=date>`` sends), or None when left empty."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise EditionsError(_l("%(text)s is not a date such as 2026-09-23"), text=text) from None


def whole_number(text: str | None, default: int, *, low: int = 1, high: int = MAX_ID) -> int:
    """A whole number from a query string or a form, clamped to ``low..high``.

    Anything that is not ASCII digits (``٣``, ``1e9``, ``-1``) counts as left out, and a
    number past ``high`` is ``high``: a page or an id never reaches the database as a
    number it cannot hold.
    """
    if not text or not text.isascii() or not text.isdigit():
        return default
    return max(low, min(int(text[:12]), high))


class IdConverter(IntegerConverter):
    """``<int:...>`` in every URL: an id, a page or a number, 1 to 2,147,483,647.

    Werkzeug's own takes any length of digits; a number past the database's integer
    made the query fail with a 500 instead of a 404.
    """

    def __init__(self, map: Map, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)  # type: ignore[arg-type]
