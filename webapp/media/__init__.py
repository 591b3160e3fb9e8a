"""Uploaded images, served from the shared store under their content hash.

A name is the SHA-256 of the bytes, so an image never changes once stored: browsers and
proxies may keep it for a year without asking again, and the hash is its ETag. Every
app server reads the same store, so any of them serves any image.
"""

from __future__ import annotations

from flask import Blueprint, abort, request
from sqlalchemy import select
from werkzeug.wrappers import Response

from editions.images import STORED_NAME, Image
from editions.storage import storage
from webapp.database import db

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
