"""The segment editor: read, save, check and publish one counterpart."""

from __future__ import annotations

from collections.abc import Sequence

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from editions.accounts.roles import PermissionDenied
from editions.content.articles import get_counterpart
from editions.content.counterparts import NotReadyToPublish
from editions.core.errors import ContentError
from editions.core.messages import _l
from editions.core.models import Article, Counterpart, TranslationChange, User
from editions.core.transactions import lock_article
from editions.translation.assignments import assignment_of
from editions.translation.editor import (
    Conflict,
    Edit,
    QualityErrors,
    SaveResult,
    editor_page,
    page_of,
    publish_counterpart,
    save_segments,
    segment_findings,
    start_counterpart,
)
from editions.translation.glossary import term_pairs
from webapp.database import db, request_reads_only, settings
from webapp.forms import whole_number
from webapp.i18n import localdigits
from webapp.messages import describe
from webapp.security import current_user, edition_required


def _article(article_id: int) -> Article:
    if request_reads_only():
        return db().get(Article, article_id) or abort(404)
    # A save locks the article before reading the versions it checks (the lock order).
    return lock_article(db(), article_id) or abort(404)


SHOWN_KEYS = 20  # segment keys named in one message; a long article may have thousands


class DamagedForm(ContentError):
    """A form field no page of ours sends: the page was changed or cut off on its way."""


def _version(key: str) -> int:
    value = request.form.get(f"version-{key}", "0") or "0"
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        raise DamagedForm(
            _l("the form is damaged (version-%(key)s is not a version number): reload the page"),
            key=key,
        )
    return int(value)


def _edits() -> list[Edit]:
    form = request.form
    return [
        Edit(
            key=name.removeprefix("text-"),
            text=form[name],
            version=_version(name.removeprefix("text-")),
            reviewed=f"reviewed-{name.removeprefix('text-')}" in form,
        )
        for name in form
        if name.startswith("text-")
    ]


def _keys(keys: Sequence[str]) -> str:
    """Segment keys for a message: the first few, then how many more."""
    shown = ", ".join(keys[:SHOWN_KEYS])
    if len(keys) <= SHOWN_KEYS:
        return shown
    return _("%(keys)s and %(num)s more", keys=shown, num=localdigits(len(keys) - SHOWN_KEYS))


def _page_number() -> int:
    return whole_number(request.values.get("page"), 1)


def _page(
    edition_code: str,
    article: Article,
    counterpart: Counterpart | None,
    *,
    status: int = 200,
    conflict: Conflict | None = None,
    posted: dict[str, str] | None = None,
    findings: dict | None = None,
    number: int | None = None,
):
    edition = settings().editions[edition_code]
    source_edition = settings().editions[article.source_edition]
    page = editor_page(db(), edition, article, counterpart, number or _page_number())
    if posted is not None and findings is None:
        glossary = term_pairs(db(), article.source_edition, edition_code)
        findings = {
            item.segment.key: segment_findings(
                item.segment.text, posted[item.segment.key], edition, glossary
            )
            for item in page.segments
            if posted.get(item.segment.key, "").strip()
        }
    return render_template(
        "dashboard/editor.html",
        article=article,
        target=edition,
        source=source_edition,
        counterpart=counterpart,
        page=page,
        segments=page.segments,
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
    try:
        edits = _edits()
    except DamagedForm as error:
        flash(describe(error), "error")
        return _page(edition_code, article, counterpart, status=400)
    posted = {edit.key: edit.text for edit in edits}
    action = request.form.get("action", "save")
    if action == "check":
        return _page(edition_code, article, counterpart, posted=posted)
    try:
        result = _save(edition_code, counterpart, edits, action)
    except PermissionDenied:
        raise  # not a flash: the app's 403 page (webapp/errors.py) names the refusal
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
        return _not_ready(edition_code, article, refused)
    except QualityErrors as refused:
        return _quality_refused(edition_code, article, refused, action, posted)
    except ContentError as error:
        flash(describe(error), "error")
        return _page(edition_code, article, counterpart, status=400, posted=posted)
    if action == "publish":
        flash(_("Published."), "notice")
    elif result.saved or result.reviewed:
        flash(_("Saved."), "notice")
    else:
        flash(_("Nothing changed."), "notice")
    page = _page_number()
    return redirect(
        url_for(
            "dashboard.editor",
            edition_code=edition_code,
            article_id=article_id,
            page=page if page > 1 else None,
        )
    )


def _save(
    edition_code: str, counterpart: Counterpart, edits: Sequence[Edit], action: str
) -> SaveResult:
    """Save the edits (as a draft when asked), then publish when asked."""
    user = current_user()
    assert user is not None
    edition = settings().editions[edition_code]
    draft = action == "draft"
    try:
        result = save_segments(db(), user, edition, counterpart, edits, draft=draft)
    except (StaleDataError, IntegrityError):
        # Someone saved between our check and our write: look again, now their save shows.
        db().rollback()
        counterpart = get_counterpart(db(), counterpart.article_id, edition_code) or abort(404)
        result = save_segments(db(), user, edition, counterpart, edits, draft=draft)
    if action == "publish":
        publish_counterpart(db(), user, edition, counterpart)
    return result


def _not_ready(edition_code: str, article: Article, refused: NotReadyToPublish):
    """The page where the first segment still to translate is, nothing published."""
    db().rollback()
    counterpart = get_counterpart(db(), article.id, edition_code)
    if refused.untranslated:
        flash(
            _("Not published. Still untranslated: %(keys)s.", keys=_keys(refused.untranslated)),
            "error",
        )
    if refused.stale:
        flash(_("Not published. Still stale: %(keys)s.", keys=_keys(refused.stale)), "error")
    first = (refused.untranslated or refused.stale)[0]
    number = page_of(db(), article.id, first)
    return _page(edition_code, article, counterpart, status=409, number=number)


def _quality_refused(
    edition_code: str, article: Article, refused: QualityErrors, action: str, posted: dict
):
    """A publish refused shows the errors found; a save refused shows what was sent."""
    db().rollback()
    counterpart = get_counterpart(db(), article.id, edition_code)
    keys = list(refused.findings)
    if action == "publish":
        message = _("Not published. Fix the errors found by the quality checks: %(keys)s.")
    else:
        message = _(
            "Not saved: this translation is published, and the quality checks found errors in %(keys)s."  # noqa: E501
        )
    flash(message % {"keys": _keys(keys)}, "error")
    number = page_of(db(), article.id, keys[0])
    if action == "publish":
        return _page(
            edition_code,
            article,
            counterpart,
            status=409,
            findings=refused.findings,
            number=number,
        )
    return _page(edition_code, article, counterpart, status=409, posted=posted)


def start(edition_code: str, article_id: int):
    article = _article(article_id)
    user = current_user()
    assert user is not None
    try:
        start_counterpart(db(), settings().editions, user, article, edition_code)
    except PermissionDenied:
        raise  # not a flash: the app's 403 page (webapp/errors.py) names the refusal
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
