"""Files attached to articles: streamed into the shared store a chunk at a time, listed
per edition, served with byte ranges, their type sniffed and their names kept."""

from __future__ import annotations

import io
import random
import re
from dataclasses import replace
from urllib.parse import unquote

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from editions.content.attachments import Attachment, AttachmentError, attach
from editions.core.storage import CHUNK_BYTES, Blob, BlobChunk, storage
from editions.text.localization import format_file_size
from tests.factories import make_article
from tests.sqlcount import count_queries

PERSIAN_NAME = "گزارش سالانه ۱۴۰۵.mp4"
ARABIC_NAME = "التقرير.pdf"


def video(size: int, seed: int = 7) -> bytes:
    """An MP4 as its first bytes say (an ``ftyp`` box), then ``size`` bytes in all."""
    head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    return head + random.Random(seed).randbytes(size - len(head))


def pdf(text: str = "a short report") -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Title (" + text.encode() + b") >> endobj\n%%EOF\n"


def count(session, table) -> int:
    return session.scalar(select(func.count()).select_from(table))


def nothing_written(session) -> bool:
    return count(session, Attachment) == count(session, Blob) == count(session, BlobChunk) == 0


@pytest.fixture
def festival(session, editions):
    article = make_article(session, editions)
    session.commit()
    return article


@pytest.fixture
def editor(client, sign_in):
    sign_in(client, "editor", ["en"])
    return client


def upload(client, data: bytes, name: str, **fields: str):
    # The body encoded in memory: the test client would spool a large one to a file
    # that nobody closes.
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), name), **fields})
    return client.post(
        "/dashboard/articles/16009/attachments",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def attached(session) -> Attachment:
    return session.scalars(select(Attachment).order_by(Attachment.id.desc())).first()


# ------------------------------------------------------------------ the store


def test_a_stream_is_kept_in_chunks_and_reads_back_whole_and_from_any_byte(session):
    data = video(2 * CHUNK_BYTES + 1234)
    pieces = (data[i : i + 100_000] for i in range(0, len(data), 100_000))  # uneven pieces
    blob = storage(session).put_stream(pieces, "video/mp4")
    assert (blob.size, blob.content_type) == (len(data), "video/mp4")
    assert count(session, BlobChunk) == 3
    assert storage(session).get(blob.sha256) == data
    reader = storage(session).open(blob.sha256)
    reader.seek(CHUNK_BYTES - 10)  # across a chunk's edge
    assert reader.read(20) == data[CHUNK_BYTES - 10 : CHUNK_BYTES + 10]
    reader.seek(0)
    assert reader.read() == data


def test_the_same_bytes_streamed_twice_are_kept_once(session):
    data = video(CHUNK_BYTES + 1)
    first = storage(session).put_stream([data], "video/mp4")
    second = storage(session).put_stream([data[:10], data[10:]], "video/mp4")
    assert first.sha256 == second.sha256
    assert count(session, Blob) == 1 and count(session, BlobChunk) == 2


def test_a_stream_that_fails_midway_keeps_nothing(session):
    def pieces():
        yield b"x" * CHUNK_BYTES * 2
        raise OSError("the client went away")

    with pytest.raises(OSError, match="went away"):
        storage(session).put_stream(pieces(), "video/mp4")
    assert count(session, Blob) == count(session, BlobChunk) == 0


# ------------------------------------------------------------------ attaching


def test_an_editor_attaches_a_video_for_persian_readers_only(editor, session, festival):
    data = video(CHUNK_BYTES + 500)
    response = upload(editor, data, PERSIAN_NAME, edition="fa", title="ویدیو با زیرنویس فارسی")
    assert response.status_code == 303, response.text
    found = attached(session)
    assert (found.edition, found.media_type, found.size) == ("fa", "video/mp4", len(data))
    assert found.filename == PERSIAN_NAME
    assert storage(session).get(found.sha256) == data
    page = editor.get("/dashboard/articles/16009/edit").text
    assert "ویدیو با زیرنویس فارسی" in page


def test_each_edition_lists_its_own_files_and_the_shared_ones(editor, client, session, festival):
    assert upload(editor, pdf(), "report.pdf", title="The full report").status_code == 303
    assert (
        upload(editor, pdf("arabic"), ARABIC_NAME, edition="ar", title="التقرير الكامل").status_code
        == 303
    )
    assert (
        upload(editor, video(3_400_000), PERSIAN_NAME, edition="fa", title="ویدیو").status_code
        == 303
    )
    english = client.get("/en/posts/16009").text
    assert (
        "The full report" in english and "التقرير الكامل" not in english and "ویدیو" not in english
    )
    assert re.search(r"PDF, \d+ byte", english)
    arabic = client.get("/ar/posts/16009").text
    assert "The full report" in arabic and "التقرير الكامل" in arabic and "ویدیو" not in arabic
    persian = client.get("/fa/posts/16009").text
    assert "ویدیو" in persian and "التقرير الكامل" not in persian
    assert format_file_size(3_400_000, "fa") in persian  # ۳٫۴ in Persian digits
    assert "۳٫۴" in persian


def test_a_file_size_is_written_as_cldr_writes_it_in_the_editions_digits():
    assert format_file_size(3_400_000, "en") == "3.4 MB"
    assert format_file_size(512, "en") == "512 byte"
    persian = format_file_size(3_400_000, "fa")
    assert persian.startswith("۳٫۴") and "3" not in persian
    assert format_file_size(1_250_000_000, "sq").startswith("1,2")


def test_removing_a_file_takes_it_off_the_page_and_the_store(editor, client, session, festival):
    upload(editor, pdf(), "report.pdf", title="The full report")
    found = attached(session)
    url = found.url
    response = editor.post(f"/dashboard/articles/16009/attachments/{found.id}/remove")
    assert response.status_code == 303
    assert "The full report" not in client.get("/en/posts/16009").text
    assert client.get(url).status_code == 404
    assert nothing_written(session)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 200, "programs and scripts cannot be attached"),
        ("run.mp4", b"#!/bin/sh\nrm -rf ~\n", "programs and scripts cannot be attached"),
        ("page.pdf", b"\xef\xbb\xbf  <!doctype html><script>alert(1)</script>", "web pages"),
        ("logo.pdf", b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>', "SVG"),
        ("notes.pdf", b"plain words and nothing else", "could not be recognised"),
        ("empty.pdf", b"", "the file is empty"),
        ("../secret.pdf", pdf(), "without folders"),
    ],
    ids=["exe", "script", "html", "svg", "unknown", "empty", "path"],
)
def test_a_refused_file_gets_a_clear_message_and_nothing_is_written(
    editor, session, festival, name, data, message
):
    response = upload(editor, data, name)
    assert response.status_code == 400
    assert "Nothing was attached" in response.text and message in response.text
    assert nothing_written(session)


def test_a_file_past_the_limit_is_refused_while_it_streams_in(session, festival, editions):
    data = video(3 * CHUNK_BYTES)
    with pytest.raises(AttachmentError, match="larger than 1 MB"):
        attach(
            session,
            festival,
            io.BytesIO(data),
            filename="long.mp4",
            editions=editions,
            max_bytes=CHUNK_BYTES * 2,  # passed in the third chunk: two were read
        )
    assert nothing_written(session)


def test_the_web_limit_is_the_attachment_setting(app, editor, session, festival):
    state = app.extensions["editions"]
    app.extensions["editions"] = replace(
        state, settings=replace(state.settings, max_attachment_bytes=1_000_000)
    )
    response = upload(editor, video(1_500_000), "long.mp4")
    assert response.status_code == 400
    assert "larger than 1 MB" in response.text
    assert nothing_written(session)


def test_a_file_larger_than_other_uploads_may_be_is_attached(editor, session, festival):
    data = video(6_000_000)  # past the 5 MiB of images and PO files
    assert upload(editor, data, "interview.mp4").status_code == 303
    assert attached(session).size == len(data)
    assert session.scalar(select(func.max(func.length(BlobChunk.data)))) == CHUNK_BYTES


def test_a_translator_cannot_attach_files(client, sign_in, session, festival):
    sign_in(client, "translator", ["fa"])
    assert upload(client, pdf(), "report.pdf").status_code == 403
    assert nothing_written(session)


def test_an_editor_of_another_edition_cannot_attach_to_this_article(
    client, sign_in, session, festival
):
    sign_in(client, "editor", ["fa"])
    assert upload(client, pdf(), "report.pdf", edition="fa").status_code == 403
    assert nothing_written(session)


# ------------------------------------------------------------------ serving


def test_a_byte_range_of_an_attached_video_gets_206(editor, client, session, festival):
    data = video(2 * CHUNK_BYTES + 99)
    upload(editor, data, PERSIAN_NAME, edition="fa")
    url = attached(session).url
    start, end = CHUNK_BYTES - 100, CHUNK_BYTES + 899  # across a chunk's edge
    response = client.get(url, headers={"Range": f"bytes={start}-{end}"})
    assert response.status_code == 206
    assert response.headers["Content-Range"] == f"bytes {start}-{end}/{len(data)}"
    assert response.headers["Content-Length"] == "1000"
    assert response.data == data[start : end + 1]
    assert response.headers["Content-Type"] == "video/mp4"
    tail = client.get(url, headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.data == data[-10:]


def test_a_range_past_the_end_gets_416(editor, client, session, festival):
    data = video(5000)
    upload(editor, data, "clip.mp4")
    response = client.get(attached(session).url, headers={"Range": "bytes=9000-9999"})
    assert response.status_code == 416
    assert response.headers["Content-Range"] == "bytes */5000"


def test_a_whole_file_is_sent_with_its_type_hash_and_no_sniffing(editor, client, session, festival):
    data = pdf()
    upload(editor, data, ARABIC_NAME, edition="ar")
    found = attached(session)
    response = client.get(found.url)
    assert response.status_code == 200 and response.data == data
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["ETag"] == f'"{found.sha256}"'
    again = client.get(found.url, headers={"If-None-Match": f'"{found.sha256}"'})
    assert again.status_code == 304 and again.data == b""


@pytest.mark.parametrize(
    ("name", "data", "disposition", "fallback"),
    [
        (PERSIAN_NAME, video(4000), "inline", "attachment-{id}.mp4"),
        (ARABIC_NAME, pdf(), "attachment", "attachment-{id}.pdf"),
        ("Raporti vjetor 2026.pdf", pdf(), "attachment", "Raporti_vjetor_2026.pdf"),
    ],
    ids=["persian-video", "arabic-pdf", "albanian-pdf"],
)
def test_a_file_name_round_trips_in_content_disposition(
    editor, client, session, festival, name, data, disposition, fallback
):
    upload(editor, data, name)
    found = attached(session)
    header = client.get(found.url).headers["Content-Disposition"]
    kind, *params = [part.strip() for part in header.split(";")]
    values = dict(param.split("=", 1) for param in params)
    assert kind == disposition
    assert values["filename"] == f'"{fallback.format(id=found.id)}"'
    assert values["filename*"].startswith("UTF-8''")
    assert unquote(values["filename*"][len("UTF-8''") :]) == name
    assert header.isascii()


def test_a_file_is_found_by_its_id_and_name_only(editor, client, session, festival):
    upload(editor, pdf(), "report.pdf")
    found = attached(session)
    assert client.get(f"/media/attachments/{found.id}/other.pdf").status_code == 404
    assert client.get(f"/media/attachments/{found.id + 1}/report.pdf").status_code == 404


def test_an_article_page_with_files_takes_at_most_five_queries(
    editor, client, connection, session, festival
):
    upload(editor, pdf(), "report.pdf", title="The full report")
    with count_queries(connection) as queries:
        response = client.get("/fa/posts/16009")
    assert response.status_code == 200 and "The full report" in response.text
    assert queries.count <= 5, "\n\n".join(queries)


def test_an_article_page_without_files_asks_for_none(client, connection, festival):
    with count_queries(connection) as queries:
        assert client.get("/fa/posts/16009").status_code == 200
    assert not any(query.lstrip().startswith("SELECT attachments.id") for query in queries)


def test_a_kept_page_shows_a_file_attached_after_it_was_kept(editor, client, session, festival):
    assert "Files to download" not in client.get("/sq/posts/16009").text
    upload(editor, pdf(), "report.pdf", title="Raporti i plotë")
    assert "Raporti i plotë" in client.get("/sq/posts/16009").text


# ------------------------------------------------------------------ the command line


def test_the_command_line_attaches_lists_and_detaches(run_cli, session, festival, tmp_path):
    path = tmp_path / PERSIAN_NAME
    path.write_bytes(video(CHUNK_BYTES * 2 + 5))
    result = run_cli(
        "articles", "attach", "16009", str(path), "--edition", "fa", "--title", "ویدیو"
    )
    assert result.exit_code == 0, result.output
    found = attached(session)
    assert (found.edition, found.title, found.size) == ("fa", "ویدیو", CHUNK_BYTES * 2 + 5)
    assert f"attachment {found.id}: {PERSIAN_NAME} (video/mp4" in result.output
    listed = run_cli("articles", "files", "16009")
    assert f"{found.id}\tfa\tvideo/mp4" in listed.output
    removed = run_cli("articles", "detach", "16009", str(found.id))
    assert removed.exit_code == 0 and nothing_written(session)


def test_the_command_line_refuses_a_hostile_file_and_writes_nothing(
    run_cli, session, festival, tmp_path
):
    path = tmp_path / "invoice.pdf"
    path.write_bytes(b"MZ" + b"\x00" * 100)
    result = run_cli("articles", "attach", "16009", str(path))
    assert result.exit_code == 1
    assert "programs and scripts cannot be attached" in result.output
    assert nothing_written(session)
