"""Uploaded images: checked by content, size-limited, stored by hash in the shared store,
cached for a year."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image as Pillow
from sqlalchemy import func, select

from editions.content.images import Image, ImageError, store_image
from editions.core.storage import Blob, storage
from editions.text.rendering import render_markdown
from editions.text.segmentation import split_body

LIMIT = 64 * 1024


def png(width: int = 4, height: int = 3, colour: str = "teal") -> bytes:
    out = io.BytesIO()
    Pillow.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def stored(session):
    """The hashes of every blob in the shared store."""
    return session.scalars(select(Blob.sha256).order_by(Blob.sha256)).all()


def kept(session, image):
    return storage(session).get(image.sha256)


def test_an_image_is_stored_once_under_the_hash_of_its_content(session):
    image = store_image(session, "harbour.png", png(), max_bytes=LIMIT)
    assert (image.width, image.height, image.media_type) == (4, 3, "image/png")
    assert stored(session) == [image.sha256] and len(image.sha256) == 64
    assert storage(session).info(image.sha256).content_type == "image/png"
    again = store_image(session, "copy.png", png(), max_bytes=LIMIT)
    assert again.id == image.id and stored(session) == [image.sha256]


def test_the_type_comes_from_the_content_not_the_name(session):
    out = io.BytesIO()
    Pillow.new("RGB", (2, 2)).save(out, "JPEG")
    image = store_image(session, "photo.png", out.getvalue(), max_bytes=LIMIT)
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
def test_a_bad_upload_gets_a_clear_error_and_stores_nothing(session, name, data, message):
    with pytest.raises(ImageError, match=message):
        store_image(session, name, data, max_bytes=LIMIT)
    assert stored(session) == []
    assert session.scalar(select(func.count()).select_from(Image)) == 0


def test_alt_text_and_caption_travel_inside_the_paragraph_segment(session):
    image = store_image(session, "harbour.png", png(), max_bytes=LIMIT)
    markdown = image.markdown("Boats in the harbour", "The harbour at dawn")
    [block] = split_body(markdown + "\n")
    assert block.kind == "paragraph" and "Boats in the harbour" in block.text
    html = render_markdown(markdown)
    assert f'src="{image.url}"' in html and 'alt="Boats in the harbour"' in html
    assert 'title="The harbour at dawn"' in html


def test_images_are_served_with_a_year_long_immutable_cache(app, client, session):
    image = store_image(session, "harbour.png", png(), max_bytes=LIMIT)
    response = client.get(image.url)
    assert response.status_code == 200 and response.data == png()
    assert response.mimetype == "image/png"
    cache = response.headers["Cache-Control"]
    assert "public" in cache and "max-age=31536000" in cache and "immutable" in cache
    assert response.headers["ETag"] == f'"{image.sha256}"'
    response.close()
    again = client.get(image.url, headers={"If-None-Match": f'"{image.sha256}"'})
    assert again.status_code == 304 and again.data == b""
    assert client.get(image.url.replace(".png", ".jpg")).status_code == 404
    assert client.get("/media/../secret_key").status_code == 404
    assert client.get("/media/" + "0" * 64 + ".png").status_code == 404


def test_an_image_too_large_to_decode_on_a_phone_is_refused_whatever_its_file_size(
    session,
):
    out = io.BytesIO()
    Pillow.new("1", (6000, 6600)).save(out, "PNG")  # one colour: a few KB, 160 MB decoded
    assert len(out.getvalue()) < 10_000
    with pytest.raises(ImageError, match="6000×6600 pixels; readers' phones could not show it"):
        store_image(session, "bomb.png", out.getvalue(), max_bytes=LIMIT)
    assert stored(session) == []


def test_an_animation_counts_the_pixels_of_every_frame(session):
    frames = [Pillow.new("L", (1000, 1000), 15 * n) for n in range(17)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=40)
    with pytest.raises(ImageError, match="17 frames of 1000×1000 pixels"):
        store_image(session, "long.gif", out.getvalue(), max_bytes=1 << 22)
    few = io.BytesIO()
    frames[0].save(few, "GIF", save_all=True, append_images=frames[1:4], duration=40)
    image = store_image(session, "short.gif", few.getvalue(), max_bytes=1 << 22)
    with Pillow.open(io.BytesIO(kept(session, image))) as frames_kept:
        assert frames_kept.n_frames == 4


def test_what_is_appended_to_an_image_is_not_kept(session):
    original = png(40, 30)
    smuggled = original + b"<html><script>alert(1)</script></html>"
    image = store_image(session, "x.png", smuggled, max_bytes=LIMIT)
    data = kept(session, image)
    assert b"<script>" not in data and data.endswith(b"IEND\xaeB`\x82")
    with Pillow.open(io.BytesIO(data)) as decoded, Pillow.open(io.BytesIO(original)) as source:
        assert decoded.tobytes() == source.tobytes()
    assert image.sha256 == hashlib.sha256(data).hexdigest()


def test_a_jpeg_keeps_its_orientation_but_no_other_metadata(session):
    exif = Pillow.Exif()
    exif[0x0112] = 6  # taken sideways
    exif[0x010F] = "Camera maker"
    out = io.BytesIO()
    Pillow.new("RGB", (8, 4), "navy").save(out, "JPEG", exif=exif.tobytes())
    image = store_image(session, "photo.jpg", out.getvalue(), max_bytes=LIMIT)
    with Pillow.open(io.BytesIO(kept(session, image))) as photo:
        assert dict(photo.getexif()) == {0x0112: 6}


def test_a_caption_with_line_breaks_and_quotes_stays_in_one_image(session):
    image = store_image(session, "x.png", png(), max_bytes=LIMIT)
    markdown = image.markdown("Boats [at] dawn\\", 'The "harbour"\n\n# not a heading \\')
    [block] = split_body(markdown + "\n")
    assert block.kind == "paragraph" and "\n" not in block.text
    html = render_markdown(markdown)
    assert 'alt="Boats [at] dawn\\"' in html
    assert 'title="The &quot;harbour&quot; # not a heading \\"' in html


def test_two_uploads_of_the_same_bytes_at_once_keep_one_blob(session):
    first = storage(session).put(png(), "image/png")
    second = storage(session).put(png(), "image/png")
    assert first == second and stored(session) == [first.sha256]


def test_a_blob_held_by_an_image_is_not_deleted_and_a_free_one_is(session):
    image = store_image(session, "harbour.png", png(), max_bytes=LIMIT)
    assert storage(session).delete(image.sha256) is False
    loose = storage(session).put(b"loose bytes", "application/octet-stream")
    assert storage(session).delete(loose.sha256) is True
    assert stored(session) == [image.sha256]


def test_a_blob_is_read_back_a_chunk_at_a_time(session, monkeypatch):
    import editions.core.storage

    monkeypatch.setattr(editions.core.storage, "CHUNK_BYTES", 1000)
    data = bytes(range(256)) * 40  # 10,240 bytes: eleven chunks
    blob = storage(session).put(data, "application/octet-stream")
    with storage(session).open(blob.sha256) as reader:
        assert reader.read(5) == data[:5]
        assert reader.read() == data[5:]
    assert storage(session).open("0" * 64) is None
