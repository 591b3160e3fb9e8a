"""Uploaded images: checked by content, size-limited, stored by hash, cached for a year."""

from __future__ import annotations

import io

import pytest
from PIL import Image as Pillow
from sqlalchemy import func, select

from editions.images import Image, ImageError, store_image
from editions.rendering import render_markdown
from editions.segmentation import split_body

LIMIT = 64 * 1024


def png(width: int = 4, height: int = 3, colour: str = "teal") -> bytes:
    out = io.BytesIO()
    Pillow.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def stored(media):
    return sorted(path.name for path in media.iterdir()) if media.exists() else []


def test_an_image_is_stored_once_under_the_hash_of_its_content(session, tmp_path):
    media = tmp_path / "media"
    image = store_image(session, media, "harbour.png", png(), max_bytes=LIMIT)
    assert (image.width, image.height, image.media_type) == (4, 3, "image/png")
    assert stored(media) == [image.filename] and len(image.sha256) == 64
    again = store_image(session, media, "copy.png", png(), max_bytes=LIMIT)
    assert again.id == image.id and stored(media) == [image.filename]


def test_the_type_comes_from_the_content_not_the_name(session, tmp_path):
    out = io.BytesIO()
    Pillow.new("RGB", (2, 2)).save(out, "JPEG")
    image = store_image(session, tmp_path, "photo.png", out.getvalue(), max_bytes=LIMIT)
    assert image.filename.endswith(".jpg")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.png", b"plain text renamed to look like a picture", "not an image"),
        ("big.png", png(400, 400, "red") + b"\0" * LIMIT, "images may be at most 64 KiB"),
        ("../../etc/passwd.png", png(), "without folders"),
        ("dir\\photo.png", png(), "without folders"),
        ("empty.png", b"", "empty"),
        ("cut.png", png(40, 40)[:-20], "damaged"),
    ],
    ids=["text", "oversized", "path", "backslash", "empty", "truncated"],
)
def test_a_bad_upload_gets_a_clear_error_and_stores_nothing(session, tmp_path, name, data, message):
    with pytest.raises(ImageError, match=message):
        store_image(session, tmp_path / "media", name, data, max_bytes=LIMIT)
    assert stored(tmp_path / "media") == []
    assert session.scalar(select(func.count()).select_from(Image)) == 0


def test_alt_text_and_caption_travel_inside_the_paragraph_segment(session, tmp_path):
    image = store_image(session, tmp_path, "harbour.png", png(), max_bytes=LIMIT)
    markdown = image.markdown("Boats in the harbour", "The harbour at dawn")
    [block] = split_body(markdown + "\n")
    assert block.kind == "paragraph" and "Boats in the harbour" in block.text
    html = render_markdown(markdown)
    assert f'src="{image.url}"' in html and 'alt="Boats in the harbour"' in html
    assert 'title="The harbour at dawn"' in html


def test_images_are_served_with_a_year_long_immutable_cache(app, client, session):
    media = app.instance_path + "/media"
    from pathlib import Path

    image = store_image(session, Path(media), "harbour.png", png(), max_bytes=LIMIT)
    response = client.get(image.url)
    assert response.status_code == 200 and response.data == png()
    assert response.mimetype == "image/png"
    cache = response.headers["Cache-Control"]
    assert "public" in cache and "max-age=31536000" in cache and "immutable" in cache
    response.close()
    assert client.get("/media/../secret_key").status_code == 404
    assert client.get("/media/" + "0" * 64 + ".png").status_code == 404
