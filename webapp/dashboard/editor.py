"""The segment editor: read, save, check and publish one counterpart."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from editions.accounts import PermissionDenied
from editions.assignments import assignment_of
from editions.content import ContentError, NotReadyToPublish, get_counterpart
from editions.editor import (
    Conflict,
    Edit,
    QualityErrors,
    editor_segments,
    publish_counterpart,
    save_segments,
    segment_findings,
    start_counterpart,
)
from editions.glossary import term_pairs
from editions.models import Article, Counterpart, TranslationChange, User
from webapp.database import db, settings
from webapp.forms import whole_number
from webapp.messages import describe
from webapp.security import current_user, edition_required


def _article(article_id: int) -> Article:
    return db().get(Article, article_id) or abort(404)


def _edits() -> list[Edit]:
    form = request.form
    return [
        Edit(
            key=name.removeprefix("text-"),
            text=form[name],
            version=whole_number(form.get(f"version-{name.removeprefix('text-')}"), 0, low=0),
            reviewed=f"reviewed-{name.removeprefix('text-')}" in form,
        )
        for name in form
        if name.startswith("text-")
    ]


def _page(
    edition_code: str,
    article: Article,
    counterpart: Counterpart | None,
    *,
    status: int = 200,
    conflict: Conflict | None = None,
    posted: dict[str, str] | None = None,
    findings: dict | None = None,
):
    edition = settings().editions[edition_code]
    source_edition = settings().editions[article.source_edition]
    segments = editor_segments(db(), edition, article, counterpart)
    if posted is not None and findings is None:
        glossary = term_pairs(db(), article.source_edition, edition_code)
        findings = {
            item.segment.key: segment_findings(
                item.segment.text, posted[item.segment.key], edition, glossary
            )
            for item in segments
            if posted.get(item.segment.key, "").strip()
        }
    return render_template(
        "dashboard/editor.html",
        article=article,
        target=edition,
        source=source_edition,
        counterpart=counterpart,
        segments=segments,
        conflicts={segment.key: segment for segment in (conflict.segments if conflict else ())},
        posted=posted or {},
        findings=findings,
        assignment=assignment_of(db(), article.id, edition_code),
    ), status


def show(edition_code: str, article_id: int):
    article = _article(article_id)
    if edition_code == article.source_edition:
        return redirect(url_for("reader.article", edition=edition_code, article_id=article_id))
    return _page(edition_code, article, get_counterpart(db(), article_id, edition_code))


def save(edition_code: str, article_id: int):
    article = _article(article_id)
    counterpart = get_counterpart(db(), article_id, edition_code) or abort(404)
    user = current_user()
    assert user is not None
    edits = _edits()
    posted = {edit.key: edit.text for edit in edits}
    action = request.form.get("action", "save")
    if action == "check":
        return _page(edition_code, article, counterpart, posted=posted)
    try:
        try:
            result = save_segments(db(), user, counterpart, edits, draft=action == "draft")
        except (StaleDataError, IntegrityError):
            # Someone saved between our check and our write: look again, now their save shows.
            db().rollback()
            counterpart = get_counterpart(db(), article_id, edition_code) or abort(404)
            result = save_segments(db(), user, counterpart, edits, draft=action == "draft")
        if action == "publish":
            publish_counterpart(db(), user, settings().editions[edition_code], counterpart)
    except PermissionDenied:
        abort(403)
    except Conflict as conflict:
        flash(
            _(
                "Someone else saved some of these segments since you opened the page. Nothing was saved: compare both versions below, then save again."  # noqa: E501
            ),
            "error",
        )
        return _page(
            edition_code, article, counterpart, status=409, conflict=conflict, posted=posted
        )
    except NotReadyToPublish as refused:
        db().rollback()
        counterpart = get_counterpart(db(), article_id, edition_code)
        if refused.untranslated:
            flash(
                _(
                    "Not published. Still untranslated: %(keys)s.",
                    keys=", ".join(refused.untranslated),
                ),
                "error",
            )
        if refused.stale:
            flash(
                _("Not published. Still stale: %(keys)s.", keys=", ".join(refused.stale)), "error"
            )
        return _page(edition_code, article, counterpart, status=409)
    except QualityErrors as refused:
        db().rollback()
        counterpart = get_counterpart(db(), article_id, edition_code)
        flash(
            _(
                "Not published. Fix the errors found by the quality checks: %(keys)s.",
                keys=", ".join(refused.findings),
            ),
            "error",
        )
        return _page(edition_code, article, counterpart, status=409, findings=refused.findings)
    except ContentError as error:
        flash(describe(error), "error")
        return _page(edition_code, article, counterpart, status=400, posted=posted)
    if action == "publish":
        flash(_("Published."), "notice")
    elif result.saved or result.reviewed:
        flash(_("Saved."), "notice")
    else:
        flash(_("Nothing changed."), "notice")
    return redirect(url_for("dashboard.editor", edition_code=edition_code, article_id=article_id))


def start(edition_code: str, article_id: int):
    article = _article(article_id)
    user = current_user()
    assert user is not None
    try:
        start_counterpart(db(), settings().editions, user, article, edition_code)
    except PermissionDenied:
        abort(403)
    except ContentError as error:
        flash(describe(error), "error")
        return _page(
            edition_code, article, get_counterpart(db(), article_id, edition_code), status=400
        )
    return redirect(url_for("dashboard.editor", edition_code=edition_code, article_id=article_id))


def history(edition_code: str, article_id: int):
    article = _article(article_id)
    counterpart = get_counterpart(db(), article_id, edition_code) or abort(404)
    changes = (
        db()
        .execute(
            select(TranslationChange, User.display_name)
            .outerjoin(User, User.id == TranslationChange.user_id)
            .where(TranslationChange.counterpart_id == counterpart.id)
            .order_by(TranslationChange.created_at.desc(), TranslationChange.id.desc())
            .limit(500)
        )
        .all()
    )
    return render_template(
        "dashboard/history.html",
        article=article,
        target=settings().editions[edition_code],
        changes=changes,
    )


def register(blueprint) -> None:
    route = "/dashboard/<edition_code>/posts/<int:article_id>"
    blueprint.add_url_rule(route, "editor", edition_required(show), methods=["GET"])
    blueprint.add_url_rule(route, "editor_save", edition_required(save), methods=["POST"])
    blueprint.add_url_rule(
        f"{route}/start", "editor_start", edition_required(start), methods=["POST"]
    )
    blueprint.add_url_rule(f"{route}/history", "editor_history", edition_required(history))
