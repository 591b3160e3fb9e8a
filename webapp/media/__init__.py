"""Uploaded images and attached files, served from the shared store.

A name is the SHA-256 of the bytes, so an image never changes once stored: browsers and
proxies may keep it for a year without asking again, and the hash is its ETag. Every
app server reads the same store, so any of them serves any image.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask import Blueprint, abort, request
from sqlalchemy import select
from werkzeug.wrappers import Response
from werkzeug.wsgi import wrap_file

from editions.content.attachments import Attachment
from editions.content.images import STORED_NAME, Image
from editions.core.storage import CHUNK_BYTES, storage
from webapp.database import db, state

blueprint = Blueprint("media", __name__)
ONE_YEAR = 365 * 24 * 60 * 60


@blueprint.get("/media/<name>")
def image(name: str) -> Response:
    if not STORED_NAME.match(name):
        abort(404)
    sha256, extension = name.split(".")
    media_type = db().scalar(
        select(Image.media_type).where(Image.sha256 == sha256, Image.extension == extension)
    )
    if media_type is None:
        abort(404)
    response = Response(mimetype=media_type)
    response.set_etag(sha256)
    response.cache_control.public = True
    response.cache_control.max_age = ONE_YEAR
    response.cache_control.immutable = True
    if request.if_none_match.contains_weak(sha256):
        response.status_code = 304  # the bytes are not even read
        return response
    data = storage(db()).get(sha256)
    if data is None:  # an image whose bytes were never carried over (see the README)
        abort(404)
    response.set_data(data)
    return response


# Attachments are found by id, not by hash: removing one from its article must take it
# off the site, so they are kept a day, not a year; the hash is still their ETag.
ONE_DAY = 24 * 60 * 60


@blueprint.get("/media/attachments/<int:attachment_id>/<path:filename>")
def attachment(attachment_id: int, filename: str) -> Response:
    """An attached file: byte ranges for players that seek, its sniffed type, and its
    name as uploaded (Persian, Arabic) for the reader's download."""
    found = db().get(Attachment, attachment_id)
    if found is None or found.filename != filename:
        abort(404)
    response = Response(mimetype=found.media_type, direct_passthrough=True)
    response.headers["Content-Disposition"] = content_disposition(found)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.set_etag(found.sha256)
    response.cache_control.public = True
    response.cache_control.max_age = ONE_DAY
    response.accept_ranges = "bytes"
    if request.if_none_match.contains(found.sha256):
        response.status_code = 304
        return response
    # The reader fetches one chunk per query, each in a short session of its own, so a
    # response still streaming after this request's session closed goes on reading.
    reader = storage(db(), state().sessions).open(found.sha256)
    if reader is None:
        abort(404)
    response.response = wrap_file(request.environ, reader, CHUNK_BYTES)
    response.content_length = found.size
    # Range and If-Range: 206 with Content-Range, 416 past the end, the reader seeked to
    # the first byte asked for (werkzeug's range handling; one range per request).
    return response.make_conditional(request, accept_ranges=True, complete_length=found.size)


def content_disposition(found: Attachment) -> str:
    """RFC 6266: the name as uploaded in ``filename*`` (RFC 5987, UTF-8), and an ASCII
    ``filename`` for old clients: the name's Latin letters, or else a made-up name with
    the kind's extension."""
    disposition = "inline" if found.kind.plays_in_the_page else "attachment"
    stem = found.filename.rsplit(".", 1)[0]
    latin = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    latin = re.sub(r"[^A-Za-z0-9._-]+", "_", latin).strip("._-")
    fallback = f"{latin or f'attachment-{found.id}'}.{found.kind.extension}"
    quoted = quote(found.filename, safe="!#$&+-.^_`|~")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quoted}"
