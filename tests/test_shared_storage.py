"""Shared storage: PO previews kept as blobs that expire, and files of older versions
carried into the database by the migration."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import pytest
from PIL import Image as Pillow
from sqlalchemy import select, text

from editions.content.articles import get_counterpart
from editions.core.db import make_engine
from editions.core.models import utcnow
from editions.core.storage import Blob, storage
from editions.exchange.previews import (
    PREVIEW_LIFETIME,
    PoPreview,
    PreviewGone,
    keep_preview,
    remove_expired_previews,
    take_preview,
)
from editions.maintenance import schema
from tests.factories import make_article


def blobs(session) -> list[str]:
    return session.scalars(select(Blob.sha256)).all()


def test_a_preview_is_kept_until_it_expires_then_refused_and_removed(session):
    now = utcnow()
    preview = keep_preview(session, b'msgid ""\nmsgstr ""\n', now=now)
    assert preview.expires_at - preview.created_at == PREVIEW_LIFETIME
    assert take_preview(session, preview.sha256, now=now) == b'msgid ""\nmsgstr ""\n'
    later = now + PREVIEW_LIFETIME + timedelta(seconds=1)
    with pytest.raises(PreviewGone, match="previews are kept 24 hours; upload the file again"):
        take_preview(session, preview.sha256, now=later)
    assert session.get(PoPreview, preview.sha256) is None and blobs(session) == []
    with pytest.raises(PreviewGone, match="no longer pending"):
        take_preview(session, preview.sha256, now=now)


def test_a_new_preview_removes_the_expired_ones(session):
    now = utcnow()
    old = keep_preview(session, b"old file", now=now - PREVIEW_LIFETIME * 2)
    new = keep_preview(session, b"new file", now=now)
    assert blobs(session) == [new.sha256] and session.get(PoPreview, old.sha256) is None
    assert remove_expired_previews(session, now + PREVIEW_LIFETIME) == 1
    assert blobs(session) == []


def _preview(client, session, editions):
    make_article(session, editions)
    session.flush()
    response = client.get("/dashboard/exchange/export?edition=sq")
    edited = response.get_data(as_text=True).replace("në katër punëtori.", "në dy punëtori.")
    response.close()
    preview = client.post(
        "/dashboard/exchange/import",
        data={"file": (io.BytesIO(edited.encode()), "sq.po"), "edition": "sq"},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200
    return preview.get_data(as_text=True).split('name="sha256" value="')[1].split('"')[0]


def test_an_applied_preview_cannot_be_applied_twice(coordinator, session, editions):
    sha256 = _preview(coordinator, session, editions)
    form = {"sha256": sha256, "filename": "sq.po", "edition": "sq"}
    assert coordinator.post("/dashboard/exchange/apply", data=form).status_code == 302
    assert blobs(session) == []  # the file is forgotten once applied
    again = coordinator.post("/dashboard/exchange/apply", data=form)
    assert again.status_code == 410
    assert "no longer pending" in again.get_data(as_text=True)


def test_an_expired_preview_is_refused_with_the_reason_and_nothing_changes(
    coordinator, session, editions
):
    sha256 = _preview(coordinator, session, editions)
    session.get(PoPreview, sha256).expires_at = utcnow() - timedelta(minutes=1)
    session.flush()
    form = {"sha256": sha256, "filename": "sq.po", "edition": "sq"}
    refused = coordinator.post("/dashboard/exchange/apply", data=form)
    assert refused.status_code == 410
    assert "previews are kept 24 hours" in refused.get_data(as_text=True)
    session.expire_all()
    assert "në dy punëtori" not in get_counterpart(session, 16009, "sq").body
    assert session.get(PoPreview, sha256) is None and blobs(session) == []


def _png() -> bytes:
    out = io.BytesIO()
    Pillow.new("RGB", (3, 2), "olive").save(out, "PNG")
    return out.getvalue()


def test_the_migration_carries_the_instance_files_into_the_database_and_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    instance = tmp_path / "instance"
    (instance / "media").mkdir(parents=True)
    (instance / "po-uploads").mkdir()
    schema.upgrade(url, "i16_search_vectors")
    image, po = _png(), b'msgid ""\nmsgstr ""\n"Language: fa\\n"\n'
    image_sha, po_sha = hashlib.sha256(image).hexdigest(), hashlib.sha256(po).hexdigest()
    (instance / "media" / f"{image_sha}.png").write_bytes(image)
    (instance / "po-uploads" / po_sha).write_bytes(po)
    (instance / "po-uploads" / ("0" * 64)).write_bytes(b"a file not named by its hash")
    engine = make_engine(url)
    with engine.begin() as connection:
        for sha, name in ((image_sha, "harbour.png"), ("f" * 64, "lost.png")):
            connection.execute(
                text(
                    "INSERT INTO images (sha256, extension, media_type, width, height, size,"
                    " original_name, created_at) VALUES (:sha, 'png', 'image/png', 3, 2, 1,"
                    " :name, '2026-01-02 03:04:05')"
                ),
                {"sha": sha, "name": name},
            )
    schema.upgrade(url, instance_path=instance)
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        assert storage(session).get(image_sha) == image
        assert storage(session).info(image_sha).content_type == "image/png"
        assert take_preview(session, po_sha) == po  # still pending, for its lifetime
        assert sorted(blobs(session)) == sorted([image_sha, po_sha])  # nothing else taken
    (instance / "media" / f"{image_sha}.png").unlink()
    schema.downgrade(url, "i16_search_vectors", instance_path=instance)
    assert (instance / "media" / f"{image_sha}.png").read_bytes() == image
    engine.dispose()
