"""One rule for article ids (and every other id or number a person types): a positive
whole number that fits PostgreSQL's ``integer``, on every path (files, API, web, CLI).

Zero, negative numbers and numbers past the column's range used to make duplicates,
unreachable articles or database errors; they are refused where they come in.
"""

from __future__ import annotations

import re

MAX_ID = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")


def is_valid_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def parse_id(text: str) -> int | None:
    """``text`` as an id when it is one, written in ASCII digits; None otherwise.

    ``int()`` would take ``٣``, ``+3``, `` 3`` and ``3_000``; an id is none of these.
    """
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if is_valid_id(value) else None
