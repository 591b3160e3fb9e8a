"""What the interface calls sections, roles, statuses and fields, in the reader's language.

Every template sees these tables (``init_app``); the labels are lazy, so one is translated
when it is shown, and only the one shown.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from editions.core.models import Section

SECTION_LABELS = {
    Section.ARTICLES: _l("Articles"),
    Section.CARTOONS: _l("Cartoons"),
    Section.NEWSPICS: _l("NewsPics"),
    Section.GALLERY: _l("Photo Gallery"),
    Section.VIDEOS: _l("Videos"),
    Section.BOOKS: _l("Books"),
    Section.NEWSLETTER: _l("Newsletter"),
    Section.BRIEF: _l("Brief"),
    Section.PAGES: _l("Pages"),
}
# The article form's fields, as an error names them.
FIELD_LABELS = {
    "date": _l("Date"),
    "author": _l("Author"),
    "tags": _l("Tags"),
    "section": _l("Section"),
    "state": _l("State"),
}

ROLE_LABELS = {
    "translator": _l("translator"),
    "editor": _l("editor"),
    "coordinator": _l("coordinator"),
    "admin": _l("admin"),
}
STATUS_LABELS = {
    "missing": _l("missing"),
    "draft": _l("draft"),
    "stale": _l("stale"),
    "current": _l("current"),
}
SEGMENT_STATE_LABELS = {
    "untranslated": _l("untranslated"),
    "draft": _l("draft"),
    "stale": _l("stale"),
    "current": _l("current"),
}

# Where a change to a translation came from, shown when no person made it.
ORIGIN_LABELS = {
    "editor": _l("segment editor"),
    "import": _l("article import"),
    "po-import": _l("PO import"),
    "restored": _l("restored: the source text came back"),
}


# Which segments a PO export holds (editions.exchange.export.Only).
ONLY_LABELS = {
    "all": _l("all segments"),
    "missing": _l("only missing"),
    "stale": _l("only stale"),
    "untranslated": _l("only untranslated (missing, draft or stale)"),
}

# What a PO import did with an entry (editions.exchange.importer.Outcome).
OUTCOME_LABELS = {
    "applied": _l("applied"),
    "draft": _l("applied as a draft"),
    "stale": _l("applied as stale"),
    "unchanged": _l("unchanged"),
    "untranslated": _l("untranslated, left as is"),
    "rejected": _l("rejected"),
}


def section_label(section: Section) -> str:
    return str(SECTION_LABELS[section])


def _labels() -> dict[str, object]:
    return {
        "section_label": section_label,
        "section_labels": SECTION_LABELS,
        "field_labels": FIELD_LABELS,
        "outcome_labels": OUTCOME_LABELS,
        "only_labels": ONLY_LABELS,
        "role_labels": ROLE_LABELS,
        "status_labels": STATUS_LABELS,
        "segment_state_labels": SEGMENT_STATE_LABELS,
        "origin_labels": ORIGIN_LABELS,
    }


def init_app(app: Flask) -> None:
    app.context_processor(_labels)
