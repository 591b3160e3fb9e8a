"""Writing source articles: create, edit with live preview, impact before saving, history.

Saving goes through the same domain function as a file import (``apply_source_file``),
so alignment, stale counterparts and kept statuses follow from one code path.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import func, select

from editions.content.articlefiles import ArticleFile
from editions.content.articles import (
    SourceText,
    articles_with_metadata,
    get_counterpart,
    next_article_id,
)
from editions.content.attachments import (
    Attachment,
    AttachmentError,
    attach,
    attachments_of,
    remove_attachment,
)
from editions.content.history import compare_revisions, restore_revision, revisions_select
from editions.content.images import ImageError, store_image
from editions.content.intake import apply_source_file, may_write_source, source_meta
from editions.content.sources import Impact, preview_revision
from editions.core.errors import ContentError, EditionsError
from editions.core.ids import parse_id
from editions.core.models import Article, PublicationState, Role, Section, SourceRevision
from editions.core.transactions import lock_article, lock_article_catalogue
from editions.text.rendering import render_markdown
from editions.text.segmentation import (
    MarkdownError,
    TooLarge,
    check_body_size,
)
from webapp.api import validation as v
from webapp.authoring.forms import FORM, as_form, posted
from webapp.database import db, request_reads_only, settings
from webapp.forms import uploaded_file, whole_number
from webapp.i18n import edition_names, localdigits, ngettext
from webapp.messages import describe
from webapp.security import current_user, roles_required

blueprint = Blueprint("authoring", __name__, url_prefix="/dashboard/articles")
writers = roles_required(Role.EDITOR, Role.COORDINATOR)

# ---------------------------------------------------------------- helpers


def _writable_editions() -> list[Any]:
    user = current_user()
    assert user is not None
    return [
        edition for edition in settings().editions.values() if may_write_source(user, edition.code)
    ]


def _load(article_id: int) -> Article:
    if not request_reads_only():
        lock_article(db(), article_id)  # a save's revision check and write see one version
    article = articles_with_metadata(db(), [article_id]).get(article_id)
    if article is None:
        abort(404)
    user = current_user()
    assert user is not None
    if not may_write_source(user, article.source_edition):
        abort(403)
    return article


def impact_sentences(impact: Impact, minor: bool = False) -> list[str]:
    """What an edit does to the other editions, in whole sentences."""
    editions = settings().editions
    if not any(code in editions for code in impact.affected_editions):
        return [_("No other edition has this article yet: nothing becomes stale.")]
    listed = edition_names(impact.affected_editions)
    sentences = []
    if impact.edited and minor:
        sentences.append(
            ngettext(
                "%(num)s paragraph changes; as a minor edit, its translations in %(editions)s stay current.",  # noqa: E501
                "%(num)s paragraphs change; as a minor edit, their translations in %(editions)s stay current.",  # noqa: E501
                len(impact.edited),
                editions=listed,
            )
        )
    elif impact.edited:
        sentences.append(
            ngettext(
                "%(num)s paragraph becomes stale in %(editions)s.",
                "%(num)s paragraphs become stale in %(editions)s.",
                len(impact.edited),
                editions=listed,
            )
        )
    if impact.added:
        sentences.append(
            ngettext(
                "%(num)s new paragraph to translate.",
                "%(num)s new paragraphs to translate.",
                len(impact.added),
            )
        )
    if impact.removed:
        sentences.append(
            ngettext(
                "%(num)s paragraph removed from every edition.",
                "%(num)s paragraphs removed from every edition.",
                len(impact.removed),
            )
        )
    return sentences or [_("The text is unchanged: every translation stays as it is.")]


def _latest_revision(article_id: int) -> int:
    return (
        db().scalar(
            select(func.max(SourceRevision.number)).where(SourceRevision.article_id == article_id)
        )
        or 0
    )


def _file(article_id: int, fields: dict[str, Any], article: Article | None) -> ArticleFile:
    kept = {"issue": article.issue_number, "slug": article.slug} if article else {}
    return v.source_file(article_id, {**fields, **kept}, default_state=PublicationState.DRAFT)


def _form_values(article: Article) -> dict[str, Any]:
    source = get_counterpart(db(), article.id, article.source_edition)
    assert source is not None
    meta = source_meta(article, source)
    return {
        "source_edition": article.source_edition,
        "section": meta["section"],
        "date": article.published_on.isoformat(),
        "author": meta.get("author", ""),
        "tags": ", ".join(meta["tags"]),
        "state": meta["state"],
        "title": source.title,
        "summary": source.summary,
        "body": source.body,
        "revision": _latest_revision(article.id),
    }


def _page(article: Article | None, values: dict[str, Any], *, status: int = 200, **extra: Any):
    return (
        render_template(
            "authoring/edit.html",
            article=article,
            values=values,
            editions=settings().editions,
            writable=_writable_editions(),
            sections=[section.value for section in Section],
            errors=extra.pop("errors", {}),
            attachments=attachments_of(db(), article.id) if article else [],
            max_attachment_mb=settings().max_attachment_bytes // 1_000_000,
            **extra,
        ),
        status,
    )


# ---------------------------------------------------------------- create and edit


@blueprint.route("/new", methods=["GET", "POST"])
@writers
def new():
    if request.method == "GET":
        first = _writable_editions()
        values = {
            "source_edition": first[0].code if first else "",
            "date": date.today().isoformat(),
            "state": PublicationState.DRAFT.value,
            "section": Section.ARTICLES.value,
        }
        return _page(None, values)
    data = posted()
    try:
        fields = v.validate(data, FORM)
    except v.Invalid as invalid:
        return _page(None, as_form(data), status=400, errors=invalid.fields)
    user = current_user()
    assert user is not None
    if not may_write_source(user, fields["source_edition"]):
        abort(403)
    lock_article_catalogue(db())  # before choosing the id: parallel creates take turns
    article_id = next_article_id(db())
    try:
        apply_source_file(db(), settings().editions, _file(article_id, fields, None), user=user)
    except EditionsError as error:
        return _page(None, as_form(data), status=400, errors={"": describe(error)})
    flash(_("Article %(id)s created.", id=localdigits(article_id)), "notice")
    return redirect(url_for("authoring.edit", article_id=article_id))


@blueprint.route("/<int:article_id>/edit", methods=["GET", "POST"])
@writers
def edit(article_id: int):
    article = _load(article_id)
    if request.method == "GET":
        return _page(article, _form_values(article))
    data = {**posted(), "source_edition": article.source_edition}
    try:
        fields = v.validate(data, FORM)
    except v.Invalid as invalid:
        return _page(article, as_form(data), status=400, errors=invalid.fields)
    if fields.get("minor") and not fields.get("note", "").strip():
        errors = {"note": _("Say why this edit is minor: translators will not be told.")}
        return _page(article, as_form(data), status=400, errors=errors)
    text = SourceText(fields["title"], fields.get("summary", ""), fields["body"])
    try:
        impact = preview_revision(db(), article, text)
    except EditionsError as error:
        return _page(article, as_form(data), status=400, errors={"body": describe(error)})
    sentences = impact_sentences(impact, fields.get("minor", False))
    if request.form.get("action") != "save":
        # First the impact, then a second, deliberate click to save.
        return _page(article, as_form(data), impact=sentences, reviewed=True)
    if fields.get("revision") != _latest_revision(article_id):
        flash(
            _(
                "Someone saved this article while you were editing. Nothing was saved: "
                "review their version, then apply your change again."
            ),
            "error",
        )
        return _page(article, _form_values(article), status=409)
    user = current_user()
    try:
        apply_source_file(
            db(),
            settings().editions,
            _file(article_id, fields, article),
            user=user,
            minor=fields.get("minor", False),
            note=fields.get("note", ""),
        )
    except EditionsError as error:
        return _page(article, as_form(data), status=400, errors={"": describe(error)})
    flash(_("Saved."), "notice")
    for sentence in sentences:
        flash(sentence, "notice")
    return redirect(url_for("authoring.edit", article_id=article_id))


@blueprint.post("/preview")
@writers
def preview():
    """The body as readers will see it and, for an existing article, the impact so far."""
    form = request.form
    try:
        check_body_size(form.get("body", ""))  # before the parser sees it
    except TooLarge as error:
        return jsonify({"html": "", "error": describe(error)})
    result: dict[str, Any] = {"html": render_markdown(form.get("body", ""))}
    user = current_user()
    assert user is not None
    article_id = parse_id(form.get("article_id", ""))
    article = db().get(Article, article_id) if article_id is not None else None
    if article is not None and may_write_source(user, article.source_edition):
        text = SourceText(form.get("title", ""), form.get("summary", ""), form.get("body", ""))
        try:
            impact = preview_revision(db(), article, text)
            result["impact"] = impact_sentences(impact, "minor" in form)
        except EditionsError as error:
            result["error"] = describe(error)
    return jsonify(result)


# ---------------------------------------------------------------- history


@blueprint.get("/<int:article_id>/history")
@writers
def history(article_id: int):
    article = _load(article_id)
    revisions = db().execute(revisions_select(article_id)).all()
    return render_template("authoring/history.html", article=article, revisions=revisions)


@blueprint.get("/<int:article_id>/compare")
@writers
def compare(article_id: int):
    article = _load(article_id)
    latest = _latest_revision(article_id)
    old = whole_number(request.args.get("old"), max(latest - 1, 1))
    new_number = whole_number(request.args.get("new"), latest)
    try:
        comparison = compare_revisions(db(), article_id, old, new_number)
    except MarkdownError as error:
        # A revision saved before today's limits: say so rather than fail.
        flash(describe(error), "error")
        return redirect(url_for("authoring.history", article_id=article_id))
    except ContentError:
        abort(404)
    return render_template(
        "authoring/compare.html",
        article=article,
        comparison=comparison,
        source=settings().editions[article.source_edition],
        numbers=list(range(latest, 0, -1)),
    )


@blueprint.post("/<int:article_id>/revisions/<int:number>/restore")
@writers
def restore(article_id: int, number: int):
    article = _load(article_id)
    try:
        impact = restore_revision(db(), article, number, user=current_user())
    except ContentError:
        abort(404)
    flash(_("Revision %(num)s restored as a new revision.", num=localdigits(number)), "notice")
    for sentence in impact_sentences(impact):
        flash(sentence, "notice")
    return redirect(url_for("authoring.history", article_id=article_id))


# ---------------------------------------------------------------- images


@blueprint.errorhandler(413)
def _too_large(_error):
    if request.endpoint == "authoring.add_attachment" and request.view_args:
        limit_mb = settings().max_attachment_bytes // 1_000_000
        return _attachment_refused(
            request.view_args["article_id"],
            _(
                "The file is larger than %(num)s MB, the most an attachment may be.",
                num=localdigits(limit_mb),
            ),
        )
    limit = settings().max_upload_bytes // 1024
    return jsonify({"error": _("Images may be at most %(num)s KiB.", num=localdigits(limit))}), 413


@blueprint.post("/images")
@writers
def upload_image():
    """Store an uploaded image; answers the Markdown that shows it, alt text and caption
    included, to paste into the body."""
    upload = uploaded_file("image")
    if upload is None:
        return jsonify({"error": _("Choose an image file to upload.")}), 400
    try:
        image = store_image(
            db(),
            upload.filename,
            upload.data,
            max_bytes=settings().max_upload_bytes,
            user=current_user(),
        )
    except ImageError as error:
        return jsonify({"error": describe(error)}), 400
    alt = request.form.get("alt", "").strip() or _("Image")
    markdown = image.markdown(alt, request.form.get("caption", ""))
    return jsonify(
        {"url": image.url, "markdown": markdown, "width": image.width, "height": image.height}
    ), 201


# ---------------------------------------------------------------- attachments

# A multipart request carries the file and a few short fields: room for them above the
# file's own limit.
FORM_OVERHEAD_BYTES = 64 * 1024


@blueprint.post("/<int:article_id>/attachments")
@writers
def add_attachment(article_id: int):
    """Attach a file to the article, for every edition or one; back to the edit page."""
    article = _load(article_id)
    limit = settings().max_attachment_bytes
    if (request.content_length or 0) > limit + FORM_OVERHEAD_BYTES:
        # Refused before a byte of the body is read.
        return _attachment_refused(
            article_id,
            _(
                "The file is larger than %(num)s MB, the most an attachment may be.",
                num=localdigits(limit // 1_000_000),
            ),
        )
    request.max_content_length = limit + FORM_OVERHEAD_BYTES
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _attachment_refused(article_id, _("Choose a file to attach."))
    edition = request.form.get("edition") or None
    try:
        attachment = attach(
            db(),
            article,
            upload.stream,
            filename=upload.filename,
            editions=settings().editions,
            max_bytes=limit,
            edition=edition,
            title=request.form.get("title", ""),
            user=current_user(),
        )
    except (AttachmentError, EditionsError) as error:
        return _attachment_refused(article_id, describe(error))
    flash(_("Attached: %(title)s.", title=attachment.title), "notice")
    return redirect(url_for("authoring.edit", article_id=article_id) + "#attachments", 303)


@blueprint.post("/<int:article_id>/attachments/<int:attachment_id>/remove")
@writers
def delete_attachment(article_id: int, attachment_id: int):
    _load(article_id)
    attachment = db().get(Attachment, attachment_id)
    if attachment is None or attachment.article_id != article_id:
        abort(404)
    remove_attachment(db(), attachment, current_user())
    flash(_("Removed: %(title)s.", title=attachment.title), "notice")
    return redirect(url_for("authoring.edit", article_id=article_id) + "#attachments", 303)


def _attachment_refused(article_id: int, reason: str):
    """The edit page again, saying why nothing was attached (a 400: nothing is kept)."""
    flash(_("Nothing was attached: %(reason)s", reason=reason), "error")
    article = _load(article_id)
    return _page(article, _form_values(article), status=400)
