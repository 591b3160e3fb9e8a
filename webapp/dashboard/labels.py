"""Names of roles and statuses as translators read them, in the interface language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

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


def labels() -> dict[str, object]:
    return {
        "only_labels": ONLY_LABELS,
        "role_labels": ROLE_LABELS,
        "status_labels": STATUS_LABELS,
        "segment_state_labels": SEGMENT_STATE_LABELS,
        "origin_labels": ORIGIN_LABELS,
    }
