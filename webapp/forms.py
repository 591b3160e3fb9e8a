"""Reading what people type into forms and query strings, with errors they can act on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import request
from werkzeug.routing import IntegerConverter, Map

from editions.core.errors import EditionsError
from editions.core.ids import MAX_ID
from editions.core.messages import _l
from webapp.database import settings


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


@dataclass(frozen=True)
class Upload:
    filename: str  # as the browser sent it
    data: bytes


def uploaded_file(field: str = "file") -> Upload | None:
    """The file a form sent in ``field``, None when it came without one.

    At most one byte past the upload limit is read: enough for the domain to refuse a
    file too large, without holding a huge one in memory.
    """
    upload = request.files.get(field)
    if upload is None or not upload.filename:
        return None
    return Upload(upload.filename, upload.stream.read(settings().max_upload_bytes + 1))


class IdConverter(IntegerConverter):
    """``<int:...>`` in every URL: an id, a page or a number, 1 to 2,147,483,647.

    Werkzeug's own takes any length of digits; a number past the database's integer
    made the query fail with a 500 instead of a 404.
    """

    def __init__(self, map: Map, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)  # type: ignore[arg-type]
