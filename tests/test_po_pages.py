"""The PO exchange pages: coordinators export, preview, apply and read the history."""

from __future__ import annotations

import io

import polib

from editions.accounts.roles import create_user
from editions.content.articles import get_counterpart
from tests.factories import make_article

PASSWORD = "a long enough secret"


def test_a_translator_may_not_use_the_exchange(session, editions, client):
    create_user(
        session,
        editions,
        username="leyla",
        password=PASSWORD,
        role="translator",
        edition_codes=["fa"],
    )
    session.flush()
    client.post("/login", data={"username": "leyla", "password": PASSWORD})
    assert client.get("/dashboard/exchange/").status_code == 403
    assert client.get("/dashboard/exchange/export?edition=fa").status_code == 403


def test_the_exchange_page_shows_forms_history_and_catalog_statistics(coordinator):
    page = coordinator.get("/dashboard/exchange/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'action="/dashboard/exchange/import"' in html
    assert "/dashboard/exchange/catalogs/fa.po" in html
    download = coordinator.get("/dashboard/exchange/catalogs/fa.po")
    assert download.status_code == 200 and b'"Language: fa\\n"' in download.data
    download.close()


def test_upload_preview_apply_and_history(coordinator, session, editions):
    make_article(session, editions)
    session.flush()
    response = coordinator.get("/dashboard/exchange/export?edition=sq")
    text = response.get_data(as_text=True)
    response.close()
    assert polib.pofile(text).metadata["Language"] == "sq"
    edited = text.replace("në katër punëtori.", "në katër punëtori të hapura.")
    preview = coordinator.post(
        "/dashboard/exchange/import",
        data={"file": (io.BytesIO(edited.encode()), "sq.po"), "edition": "sq"},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "16009:b3" in html and "Nothing has been changed yet." in html
    assert "të hapura" not in get_counterpart(session, 16009, "sq").body
    sha = html.split('name="sha256" value="')[1].split('"')[0]
    applied = coordinator.post(
        "/dashboard/exchange/apply", data={"sha256": sha, "filename": "sq.po", "edition": "sq"}
    )
    assert applied.status_code == 302
    session.expire_all()
    assert "të hapura" in get_counterpart(session, 16009, "sq").body
    record = coordinator.get(applied.headers["Location"])
    assert "sq.po" in record.get_data(as_text=True)
    report = coordinator.get(applied.headers["Location"] + "/report.json")
    assert report.json["counts"]["applied"] == 1
    assert "sq.po" in coordinator.get("/dashboard/exchange/").get_data(as_text=True)


def test_a_refused_upload_names_the_problem(coordinator):
    response = coordinator.post(
        "/dashboard/exchange/import",
        data={
            "file": (io.BytesIO(b'msgid ""\nmsgstr ""\n"Language: fa\\n"\n'), "x.po"),
            "edition": "sq",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "the Language is fa but the sq edition was asked for" in response.get_data(as_text=True)
