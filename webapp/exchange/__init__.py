"""PO exchange pages for coordinators: export, upload → preview → apply, history, UI catalogs.

The uploaded file is kept in the shared store under its SHA-256 between the preview and
the apply step (``editions.exchange.previews``), so what is applied is byte for byte what
was previewed, on whichever app server the apply lands.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
from pathlib import Path

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext

from editions.core.errors import ContentError, EditionsError
from editions.core.messages import Message
from editions.core.models import Role, Section
from editions.exchange.catalogs import catalog_editions, catalog_path, catalog_statistics
from editions.exchange.export import ExportQuery, Only, export_all, export_edition
from editions.exchange.history import PoImport, imports_select, record_import
from editions.exchange.importer import import_files, sha256_of
from editions.exchange.pofiles import read_upload
from editions.exchange.previews import PreviewGone, discard_preview, keep_preview, take_preview
from webapp.database import db, settings
from webapp.forms import optional_date, uploaded_file
from webapp.messages import describe
from webapp.security import current_user, roles_required

blueprint = Blueprint("exchange", __name__, url_prefix="/dashboard/exchange")
coordinators = roles_required(Role.COORDINATOR)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def finding_message(finding: dict) -> str:
    """A stored finding (``Finding.as_dict``) in the reader's language, translated when shown."""
    return describe(Message(finding["template"], finding.get("params") or {}))


def _refused(error: ContentError):
    return render_template("exchange/refused.html", message=describe(error)), 422


@blueprint.app_template_filter("finding_message")
def _finding_message(finding: dict) -> str:
    return finding_message(finding)


@blueprint.get("/")
@coordinators
def index():
    records = db().scalars(imports_select().limit(50)).all()
    return render_template(
        "exchange/index.html",
        records=records,
        catalogs=catalog_statistics(settings().translations_path, settings().editions),
        sections=list(Section),
        onlies=list(Only),
    )


@blueprint.get("/export")
@coordinators
def export():
    config = settings()
    code = request.args.get("edition") or None
    try:
        query = ExportQuery.build(
            article_ids=tuple(
                int(part) for part in re.findall(r"\d+", request.args.get("articles", ""))
            ),
            section=request.args.get("section") or None,
            since=optional_date(request.args.get("since")),
            until=optional_date(request.args.get("until")),
            only=request.args.get("only") or "all",
        )
        edition = config.edition(code) if code else None
    except EditionsError as error:
        flash(describe(error), "error")
        return redirect(url_for(".index"))
    # Spooled: small exports stay in memory, large ones go to disk, never the whole in RAM.
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - send_file closes it
    site_url = config.site_url or request.host_url
    if edition is not None:
        text = _text(out)
        export_edition(db(), edition, query, text, site_url=site_url)
        text.detach()
        name, mimetype = f"{edition.code}.po", "text/x-gettext-translation"
    else:
        export_all(db(), config.editions, query, out, site_url=site_url)
        name, mimetype = "editions-po.zip", "application/zip"
    out.seek(0)
    return send_file(out, mimetype=mimetype, as_attachment=True, download_name=name)


def _text(out) -> io.TextIOWrapper:
    return io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=True)


@blueprint.post("/import")
@coordinators
def upload():
    upload = uploaded_file()
    if upload is None:
        flash(gettext("Choose a PO file or a zip to import."), "error")
        return redirect(url_for(".index"))
    name = Path(upload.filename).name
    return _preview(upload.data, name, request.form.get("edition") or None)


def _preview(data: bytes, filename: str, code: str | None):
    config = settings()
    try:
        files = read_upload(
            data, filename, config.editions, edition=code, limit=config.max_upload_bytes
        )
        report = import_files(
            db(),
            config.editions,
            files,
            filename=filename,
            sha256=sha256_of(data),
            user=current_user(),
            dry_run=True,
        )
    except ContentError as error:
        return _refused(error)
    keep_preview(db(), data, current_user())
    return render_template("exchange/preview.html", report=report.as_dict(), edition=code or "")


@blueprint.post("/apply")
@coordinators
def apply():
    config = settings()
    sha256 = request.form.get("sha256", "")
    filename = Path(request.form.get("filename", "upload.po")).name
    if not _SHA256.match(sha256):
        abort(404)
    try:
        data = take_preview(db(), sha256)
    except PreviewGone as error:
        db().commit()  # an expired preview is removed all the same
        return render_template("exchange/refused.html", message=describe(error)), 410
    try:
        files = read_upload(
            data,
            filename,
            config.editions,
            edition=request.form.get("edition") or None,
            limit=config.max_upload_bytes,
        )
        report = import_files(
            db(),
            config.editions,
            files,
            filename=filename,
            sha256=sha256,
            user=current_user(),
            dry_run=False,
        )
    except ContentError as error:
        return _refused(error)
    record = record_import(db(), report, current_user())
    discard_preview(db(), sha256)
    flash(gettext("The file was imported."), "notice")
    return redirect(url_for(".record", record_id=record.id))


@blueprint.get("/imports/<int:record_id>")
@coordinators
def record(record_id: int):
    found = db().scalars(imports_select().where(PoImport.id == record_id)).first()
    if found is None:
        abort(404)
    return render_template("exchange/record.html", record=found, report=found.report_data())


@blueprint.get("/imports/<int:record_id>/report.json")
@coordinators
def report_download(record_id: int):
    found = db().get(PoImport, record_id)
    if found is None:
        abort(404)
    body = json.dumps(found.report_data(), ensure_ascii=False, indent=1)
    return (
        body,
        200,
        {
            "Content-Type": "application/json; charset=utf-8",
            "Content-Disposition": f'attachment; filename="import-{found.id}.json"',
        },
    )


@blueprint.get("/catalogs/<code>.po")
@coordinators
def catalog_download(code: str):
    config = settings()
    if code not in catalog_editions(config.translations_path, config.editions):
        abort(404)
    return send_file(
        catalog_path(config.translations_path, code),
        mimetype="text/x-gettext-translation",
        as_attachment=True,
        download_name=f"messages-{code}.po",
    )


__all__ = ["blueprint", "finding_message"]
