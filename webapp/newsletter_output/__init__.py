"""An issue's email and PDF per edition: the dashboard's preview of the email (for
coordinators) and the PDF linked from the issue's reader page; the ``editions
newsletter`` commands (``webapp.cli.newsletter``) write and send them.

Modules: ``contents`` (what an issue shows in an edition), ``render`` (templates in the
edition's language), ``outputs`` (email and kept PDF).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request

from editions.core.models import Role
from editions.newsletter import NewsletterError
from editions.newsletter.email import inline_css
from editions.newsletter.pdf import PdfUnavailable
from webapp.database import settings
from webapp.messages import describe
from webapp.newsletter_output.outputs import email_preview, issue_pdf
from webapp.security import roles_required

blueprint = Blueprint("newsletter_output", __name__)

# The email's HTML part is shown as mail clients show it: in a frame that runs no script,
# loads nothing but images, and is styled only by its own inline CSS.
PREVIEW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; "
    "frame-ancestors 'self'; sandbox"
)
PDF_MAX_AGE = 300


@blueprint.url_value_preprocessor
def _known_edition_only(_endpoint: str | None, values: dict | None) -> None:
    for key in ("edition", "edition_code"):
        if values and key in values and values[key] not in settings().editions:
            abort(404)


@blueprint.get("/dashboard/newsletter/<int:number>/email/<edition_code>")
@roles_required(Role.COORDINATOR)
def email(number: int, edition_code: str):
    try:
        preview = email_preview(number, edition_code)
    except NewsletterError as error:
        return render_template(
            "newsletter_output/preview.html",
            number=number,
            target=settings().editions[edition_code],
            problem=describe(error),
            preview=None,
        ), 404
    return render_template(
        "newsletter_output/preview.html",
        number=number,
        target=settings().editions[edition_code],
        problem=describe(preview.refusal) if preview.refusal else None,
        preview=preview,
    )


@blueprint.get("/dashboard/newsletter/<int:number>/email/<edition_code>.html")
@roles_required(Role.COORDINATOR)
def email_html(number: int, edition_code: str):
    try:
        preview = email_preview(number, edition_code)
    except NewsletterError:
        abort(404)
    response = Response(inline_css(preview.email.html), mimetype="text/html")
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blueprint.get("/<edition>/newsletter/<int:number>.pdf")
def pdf(edition: str, number: int):
    try:
        key, data = issue_pdf(number, edition)
    except PdfUnavailable as error:
        return Response(describe(error), status=503, mimetype="text/plain")
    except NewsletterError:
        abort(404)
    response = Response(data, mimetype="application/pdf")
    name = f"newsletter-{number}-{edition}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Cache-Control"] = f"public, max-age={PDF_MAX_AGE}"
    response.set_etag(key)
    return response.make_conditional(request)
