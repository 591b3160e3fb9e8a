"""The glossary entry form: a term and a note per edition, a note, a flag."""

from __future__ import annotations

from flask import request

from editions.translation.glossary import EntryData
from webapp.database import settings


def posted() -> EntryData:
    form = request.form
    codes = settings().editions
    return EntryData(
        terms={code: form.get(f"term-{code}", "") for code in codes},
        notes={code: form.get(f"note-{code}", "") for code in codes},
        note=form.get("note", ""),
        do_not_translate="do_not_translate" in form,
    )
