"""Reading what people type into forms and query strings, with errors they can act on."""

from __future__ import annotations

from datetime import date

from editions.messages import EditionsError, _l


def optional_date(text: str | None) -> date | None:
    """An ISO date (what ``<input type=date>`` sends), or None when left empty."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise EditionsError(_l("%(text)s is not a date such as 2026-09-23"), text=text) from None
