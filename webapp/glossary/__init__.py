"""The glossary pages: everyone on the staff reads it, coordinators keep it.

``/dashboard/glossary/`` lists the entries (by edition, by text), ``new`` and
``<id>/edit`` change one, ``import`` takes a TBX or CSV file whole or not at all, and
``export.tbx`` / ``export.csv`` give the whole glossary.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from editions.core.errors import EditionsError
from editions.core.models import GlossaryEntry, Role
from editions.exchange.glossaryfiles import FORMATS, export_glossary, import_glossary
from editions.translation.glossary import (
    EntryData,
    EntryNotFound,
    delete_entry,
    entries_select,
    get_entry,
    replace_entry,
    save_entry,
)
from webapp.database import db, settings
from webapp.forms import uploaded_file
from webapp.glossary.forms import posted
from webapp.i18n import localdigits, ngettext
from webapp.messages import describe
from webapp.security import current_user, login_required, roles_required

blueprint = Blueprint("glossary", __name__, url_prefix="/dashboard/glossary")
coordinators = roles_required(Role.COORDINATOR)
PAGE_SIZE = 100


def _may_edit() -> bool:
    user = current_user()
    return user is not None and user.role in (Role.COORDINATOR, Role.ADMIN)


@blueprint.get("/")
@login_required
def index():
    codes = settings().editions
    edition = request.args.get("edition") or None
    if edition is not None and edition not in codes:
        edition = None
    text = request.args.get("q", "").strip()[:200]
    page = max(request.args.get("page", 1, type=int), 1)
    entries = (
        db()
        .scalars(entries_select(edition, text).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1))
        .all()
    )
    return render_template(
        "glossary/index.html",
        entries=entries[:PAGE_SIZE],
        more=len(entries) > PAGE_SIZE,
        page=page,
        chosen_edition=edition,
        text=text,
        may_edit=_may_edit(),
    )


def _entry(entry_id: int) -> GlossaryEntry:
    try:
        return get_entry(db(), entry_id)
    except EntryNotFound:
        abort(404)


def _form(entry: GlossaryEntry | None, data: EntryData | None = None, error: str = ""):
    if data is None:
        data = EntryData(
            terms={term.edition: term.text for term in entry.terms} if entry else {},
            notes={term.edition: term.note for term in entry.terms} if entry else {},
            note=entry.note if entry else "",
            do_not_translate=entry.do_not_translate if entry else False,
        )
    status = 400 if error else 200
    return render_template("glossary/edit.html", entry=entry, data=data, error=error), status


@blueprint.route("/new", methods=["GET", "POST"])
@coordinators
def new():
    if request.method == "GET":
        return _form(None)
    data = posted()
    try:
        entry = save_entry(db(), settings().editions, data)
    except EditionsError as error:
        return _form(None, data, describe(error))
    flash(gettext("Glossary entry %(id)s added.", id=entry.id), "notice")
    return redirect(url_for(".index"))


@blueprint.route("/<int:entry_id>/edit", methods=["GET", "POST"])
@coordinators
def edit(entry_id: int):
    entry = _entry(entry_id)
    if request.method == "GET":
        return _form(entry)
    data = posted()
    try:
        replace_entry(db(), settings().editions, data, entry)
    except EditionsError as error:
        return _form(entry, data, describe(error))
    flash(gettext("Glossary entry %(id)s saved.", id=entry.id), "notice")
    return redirect(url_for(".index"))


@blueprint.post("/<int:entry_id>/delete")
@coordinators
def delete(entry_id: int):
    delete_entry(db(), _entry(entry_id))
    flash(gettext("Glossary entry %(id)s removed.", id=entry_id), "notice")
    return redirect(url_for(".index"))


@blueprint.post("/import")
@coordinators
def upload():
    upload = uploaded_file()
    if upload is None:
        flash(gettext("Choose a TBX or CSV file to import."), "error")
        return redirect(url_for(".index"))
    name = Path(upload.filename).name
    try:
        report = import_glossary(
            db(), settings().editions, upload.data, name, limit=settings().max_upload_bytes
        )
    except EditionsError as error:
        db().rollback()
        return render_template("glossary/refused.html", message=describe(error)), 422
    flash(
        gettext(
            "Glossary imported. Added: %(created)s; updated: %(updated)s; unchanged: %(unchanged)s.",  # noqa: E501
            created=localdigits(report.created),
            updated=localdigits(report.updated),
            unchanged=localdigits(report.unchanged),
        ),
        "notice",
    )
    for language, count in sorted(report.skipped_languages.items()):
        flash(
            ngettext(
                "%(num)s term in %(language)s was skipped: it is not an edition of this site.",
                "%(num)s terms in %(language)s were skipped: it is not an edition of this site.",
                count,
                language=language,
            ),
            "notice",
        )
    return redirect(url_for(".index"))


@blueprint.get("/export.<kind>")
@login_required
def export(kind: str):
    if kind not in FORMATS:
        abort(404)
    data = export_glossary(db(), settings().editions, kind)
    return Response(
        data,
        mimetype=FORMATS[kind],
        headers={"Content-Disposition": f"attachment; filename=glossary.{kind}"},
    )


__all__ = ["blueprint"]
