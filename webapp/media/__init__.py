"""Uploaded images, served from ``instance/media`` under their content hash.

A name is the SHA-256 of the bytes, so a file never changes once written: browsers and
proxies may keep it for a year without asking again.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory
from werkzeug.wrappers import Response

from editions.images import STORED_NAME

blueprint = Blueprint("media", __name__)
ONE_YEAR = 365 * 24 * 60 * 60


def media_dir() -> Path:
    return Path(current_app.instance_path) / "media"


@blueprint.get("/media/<name>")
def image(name: str) -> Response:
    if not STORED_NAME.match(name):
        abort(404)
    response = send_from_directory(media_dir(), name, max_age=ONE_YEAR, conditional=True)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response
