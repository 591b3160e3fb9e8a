"""The translators' workplace: status dashboard, queue, segment editor, status API."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from editions.accounts.roles import PermissionDenied, may_edit_edition, users_select
from editions.content.status import Status
from editions.core.errors import EditionsError
from editions.core.ids import parse_id
from editions.core.models import Article, Role, Section, User
from editions.translation import dashboard as queries
from editions.translation.assignments import assign, unassign
from webapp.dashboard import editor
from webapp.dashboard.chart import HEIGHT, PAD, WIDTH, lines
from webapp.database import db, settings, writing
from webapp.forms import optional_date, whole_number
from webapp.messages import describe
from webapp.security import current_user, login_required, roles_required

blueprint = Blueprint("dashboard", __name__)
editor.register(blueprint)


@blueprint.url_value_preprocessor
def _known_edition_only(_endpoint: str | None, values: dict | None) -> None:
    if values and "edition_code" in values and values["edition_code"] not in settings().editions:
        abort(404)


def _filters() -> queries.Filters:
    """The filters from the query string; anything unknown is ignored rather than refused."""
    args = request.args
    codes = settings().editions
    edition = args.get("edition") if args.get("edition") in codes else None
    source = args.get("source") if args.get("source") in codes else None
    status = args.get("status") if args.get("status") in {s.value for s in Status} else None
    section = args.get("section") if args.get("section") in {s.value for s in Section} else None
    sort = args.get("sort") if args.get("sort") in {s.value for s in queries.Sort} else "date"
    user = current_user()
    mine = args.get("mine") == "1" and user is not None
    return queries.Filters(
        edition=edition,
        status=Status(status) if status else None,
        section=section,
        source_edition=source,
        text=args.get("q", "").replace("\x00", "")[:200],  # PostgreSQL refuses NUL
        assigned_to=user.id if mine else None,
        sort=queries.Sort(sort),
        page=whole_number(args.get("page"), 1),
        per_page=whole_number(args.get("per_page"), 50, high=500),
    )


@blueprint.get("/dashboard/")
@login_required
def index():
    codes = list(settings().editions)
    filters = _filters()
    summaries = queries.summary(db(), codes)
    today = date.today()
    # The first view of a day keeps that day's point of the chart (see StatusSnapshot), in
    # a short write of its own: every other view only reads.
    if not queries.has_snapshot(db(), today):
        with writing() as session:
            queries.record_snapshot(session, summaries, today, replace=False)
    since = today - timedelta(days=queries.CHART_DAYS)
    history = queries.history(db(), codes, since)
    for item in summaries:
        history[item.edition] = [p for p in history[item.edition] if p[0] != today] + [
            (today, item.percent_current)
        ]
    first = min((points[0][0] for points in history.values() if points), default=today)
    user = current_user()
    return render_template(
        "dashboard/index.html",
        matrix=queries.matrix(db(), codes, filters),
        filters=filters,
        summaries=summaries,
        chart=lines(history, first, today),
        chart_size=(WIDTH, HEIGHT, PAD),
        chart_first=first,
        sections=list(Section),
        statuses=list(Status),
        sorts=list(queries.Sort),
        shown=[filters.edition] if filters.edition else codes,
        translators=db().scalars(users_select(active_only=True)).all()
        if user is not None and user.role in (Role.COORDINATOR, Role.ADMIN)
        else [],
        may_edit=lambda code: may_edit_edition(user, code),
    )


@blueprint.get("/dashboard/queue")
@login_required
def queue():
    user = current_user()
    assert user is not None
    items = queries.queue(db(), user, list(settings().editions))
    return render_template("dashboard/queue.html", items=items)


@blueprint.post("/dashboard/<edition_code>/posts/<int:article_id>/assign")
@roles_required(Role.COORDINATOR)
def assign_counterpart(edition_code: str, article_id: int):
    article = db().get(Article, article_id) or abort(404)
    acting = current_user()
    assert acting is not None
    user_id = parse_id(request.form.get("user_id", ""))
    try:
        if not user_id:
            unassign(db(), acting, article_id, edition_code)
        else:
            assignee = db().get(User, user_id) or abort(404)
            assign(
                db(),
                settings().editions,
                acting,
                article,
                edition_code,
                assignee,
                optional_date(request.form.get("due_on")),
            )
    except PermissionDenied:
        raise  # not a flash: the app's 403 page (webapp/errors.py) names the refusal
    except EditionsError as error:
        flash(describe(error), "error")
        return redirect(request.referrer or url_for("dashboard.index"), 303)
    flash(_("Assignment saved."), "notice")
    return redirect(request.referrer or url_for("dashboard.index"), 303)


# ---------------------------------------------------------------- the status API

COLUMNS = (
    "article_id",
    "title",
    "section",
    "published_on",
    "source_edition",
    "edition",
    "status",
    "words",
    "words_to_translate",
    "words_stale",
    "assigned_to",
    "due_on",
)


def _records(matrix: queries.Matrix, shown: list[str]) -> list[dict[str, object]]:
    records = []
    for row in matrix.rows:
        for code in shown:
            entry = row.statuses.get(code)
            assignment = row.assignments.get(code)
            records.append(
                {
                    "article_id": row.article_id,
                    "title": row.title,
                    "section": row.section.value,
                    "published_on": row.published_on.isoformat(),
                    "source_edition": row.source_edition,
                    "edition": code,
                    "status": entry.status.value if entry else None,
                    "words": entry.words if entry else row.words,
                    "words_to_translate": entry.words_to_translate if entry else None,
                    "words_stale": entry.words_stale if entry else None,
                    "assigned_to": assignment.user.username if assignment else None,
                    "due_on": assignment.due_on.isoformat()
                    if assignment and assignment.due_on
                    else None,
                }
            )
    return records


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet shows as text: one starting with = + - @ (or a tab or CR, which
    some spreadsheets skip) would run as a formula, ``=HYPERLINK(…)`` for one; a leading
    apostrophe makes it text (OWASP's advice on CSV injection). Numbers stay numbers."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@blueprint.get("/api/v1/status")
@login_required
def api_status():
    """The dashboard's data with the same filters; ``format=csv`` for a spreadsheet."""
    codes = list(settings().editions)
    filters = _filters()
    matrix = queries.matrix(db(), codes, filters)
    shown = [filters.edition] if filters.edition else codes
    records = _records(matrix, shown)
    if request.args.get("format") == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(
            {name: spreadsheet_safe(value) for name, value in record.items()} for record in records
        )
        return Response(
            out.getvalue(),
            mimetype="text/csv",
            headers={"Content-Disposition": "attachment; filename=status.csv"},
        )
    return jsonify(
        {
            "total": matrix.total,
            "page": filters.page,
            "pages": matrix.pages,
            "per_page": filters.per_page,
            "summary": [item.as_dict() for item in queries.summary(db(), codes)],
            "counterparts": records,
        }
    )
