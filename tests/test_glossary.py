"""The glossary: kept per edition, used by the editor, the PO import and export, and
exchanged as TBX (read back by translate-toolkit) and CSV."""

from __future__ import annotations

import io

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from translate.storage.tbx import tbxfile

from editions.content.articles import SourceText, get_counterpart
from editions.content.sources import revise_source
from editions.core.models import Article
from editions.exchange.export import ExportQuery, export_edition
from editions.exchange.glossaryfiles import export_glossary, import_glossary
from editions.exchange.tbx import read_tbx
from editions.exchange.termcsv import read_csv
from editions.translation.editor import editor_page
from editions.translation.glossary import (
    EntryData,
    GlossaryError,
    all_entries,
    replace_entry,
    save_entry,
    term_pairs,
)
from tests.factories import SOURCE_BODY, make_article
from tests.test_po_exchange import import_text

LIMIT = 1024 * 1024
FESTIVAL = {"en": "festival", "ar": "مهرجان", "fa": "جشنواره", "sq": "festival"}
LIBRARY = {
    "en": "city library",
    "ar": "مكتبة المدينة",
    "fa": "کتابخانهٔ شهر",
    "sq": "biblioteka e qytetit",
}


def add(session, editions, terms, **fields):
    return save_entry(session, editions, EntryData(terms=terms, **fields))


def test_one_spelling_names_one_entry_per_edition(session, editions):
    add(session, editions, {"sq": "gazetë", "en": "newspaper"})
    with pytest.raises(GlossaryError, match="already in the sq glossary"):
        add(session, editions, {"sq": "Gazetë"})  # the same word, capitalised
    with pytest.raises(GlossaryError, match="at least one edition"):
        add(session, editions, {"en": "  "})
    with pytest.raises(GlossaryError, match="not an edition of this site"):
        add(session, editions, {"de": "Zeitung"})


def test_editing_an_entry_replaces_its_terms(session, editions):
    entry = add(session, editions, FESTIVAL, note="An event of several days.")
    replace_entry(
        session,
        editions,
        EntryData(terms={"en": "festival", "ar": "المهرجان"}, note="", do_not_translate=False),
        entry,
    )
    assert {term.edition: term.text for term in entry.terms} == {"en": "festival", "ar": "المهرجان"}
    assert entry.note == ""


def test_the_editor_marks_terms_in_the_source_and_warns_when_a_translation_lacks_one(
    session, editions
):
    make_article(session, editions)
    add(session, editions, FESTIVAL, notes={"fa": "بدون «ی» در پایان"})
    add(session, editions, LIBRARY)
    article = session.get(Article, 16009)
    items = {
        item.segment.key: item
        for item in editor_page(
            session, editions["fa"], article, get_counterpart(session, 16009, "fa")
        ).segments
    }
    opening = items["b2"]  # "The festival opens on Friday at the city library."
    assert [(text, term.translation) for text, term in opening.source_pieces if term] == [
        ("festival", "جشنواره"),
        ("city library", "کتابخانهٔ شهر"),
    ]
    assert opening.glossary[0].note == "بدون «ی» در پایان"
    # The Persian "جشنواره روز جمعه در کتابخانهٔ شهر آغاز می‌شود." has both terms.
    assert [f.code for f in opening.findings if f.code == "glossary"] == []

    revise_source(
        session,
        article,
        SourceText("A reading festival", "A festival in the city.", SOURCE_BODY),
    )
    summary = editor_page(
        session, editions["ar"], article, get_counterpart(session, 16009, "ar")
    ).segments
    findings = next(item for item in summary if item.segment.key == "summary").findings
    # "مهرجان جديد في المدينة." still has the festival: no glossary warning.
    assert not [f for f in findings if f.code == "glossary"]


def test_the_editor_page_highlights_terms_and_shows_the_warning(client, session, editions, sign_in):
    make_article(session, editions)
    add(session, editions, {"en": "workshops", "sq": "seminar"})
    session.commit()
    sign_in(client, "translator", ["sq"])
    page = client.get("/dashboard/sq/posts/16009")
    assert page.status_code == 200
    assert '<mark class="dash-term" title="' in page.text and ">workshops</mark>" in page.text
    assert 'lang="sq" dir="ltr">seminar</span>' in page.text
    # "Lexuesit takojnë përkthyesit në katër punëtori." does not say "seminar".
    assert "The glossary translates “workshops” as “seminar”" in page.text


def test_the_po_import_warns_about_a_missing_term_and_still_applies_the_entry(session, editions):
    make_article(session, editions)
    add(session, editions, {"en": "library", "ar": "مكتبة"})
    out = io.StringIO()
    export_edition(session, editions["ar"], ExportQuery(), out)
    po = polib.pofile(out.getvalue())
    target = next(entry for entry in po if entry.msgctxt == "16009:b2")
    target.msgstr = "يفتتح المهرجان يوم الجمعة في دار الكتب."
    report = import_text(session, editions, str(po), name="ar.po")
    result = next(entry for entry in report.entries if entry.msgctxt == "16009:b2")
    assert result.outcome.value == "applied"
    assert [finding["code"] for finding in result.findings] == ["glossary"]
    assert "مكتبة" in result.reason


def test_po_exports_list_each_entrys_terms_as_extracted_comments(session, editions):
    make_article(session, editions, translate=())
    add(session, editions, FESTIVAL, note="Several days of events.")
    add(session, editions, {"en": "Friday", "sq": "Friday"}, do_not_translate=True)
    out = io.StringIO()
    export_edition(session, editions["sq"], ExportQuery(), out)
    entry = next(entry for entry in polib.pofile(out.getvalue()) if entry.msgctxt == "16009:b2")
    assert entry.comment.splitlines()[-2:] == [
        "Glossary: festival = festival; Several days of events.",
        "Glossary: Friday (do not translate)",
    ]


# ---------------------------------------------------------------- files


def glossary(session, editions) -> dict[str, dict[str, str]]:
    return {
        entry.term("en").text: {term.edition: term.text for term in entry.terms}
        for entry in all_entries(session)
        if entry.term("en")
    }


def test_a_tbx_export_reads_back_in_translate_toolkit(session, editions):
    add(session, editions, FESTIVAL, note="Several days of events.", notes={"sq": "Mashkullor."})
    add(session, editions, {"en": "Hapat e Malit", "sq": "Hapat e Malit"}, do_not_translate=True)
    store = tbxfile.parsestring(export_glossary(session, editions, "tbx"))
    units = {unit.source: unit for unit in store.units}
    assert set(units) == {"festival", "Hapat e Malit"}
    festival = units["festival"]
    for code in ("ar", "fa", "sq"):
        assert [term.text for term in festival.get_target_terms(code)] == [FESTIVAL[code]]
    assert "Several days of events." in festival.getnotes()
    assert [note.text for note in festival.get_target_terms("sq")[0].notes] == [
        "Several days of events.",
        "Mashkullor.",
    ]
    assert festival.istranslatable() and not units["Hapat e Malit"].istranslatable()


def test_a_tbx_written_by_translate_toolkit_imports_and_a_round_trip_changes_nothing(
    session, editions
):
    store = tbxfile(sourcelanguage="en")
    unit = store.addsourceunit("volunteer")
    unit.set_target_terms(["vullnetar"], lang="sq")
    unit.set_target_terms(["داوطلب"], lang="fa")
    unit.addnote("Unpaid helpers.")
    data = bytes(store)
    report = import_glossary(session, editions, data, "helpers.tbx", limit=LIMIT)
    assert (report.created, report.updated) == (1, 0)
    assert glossary(session, editions) == {
        "volunteer": {"en": "volunteer", "fa": "داوطلب", "sq": "vullnetar"}
    }
    again = import_glossary(
        session, editions, export_glossary(session, editions, "tbx"), "glossary.tbx", limit=LIMIT
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_a_tbx_import_updates_by_shared_term_and_skips_languages_that_are_no_edition(
    session, editions
):
    add(session, editions, {"en": "festival", "ar": "مهرجان"})
    tbx = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en"><text><body>
  <termEntry id="c1">
    <langSet xml:lang="en-GB"><tig><term>Festival</term></tig></langSet>
    <langSet xml:lang="sq"><tig><term>festivali</term></tig></langSet>
    <langSet xml:lang="de"><tig><term>Festspiele</term></tig></langSet>
  </termEntry>
</body></text></martif>"""
    report = import_glossary(session, editions, tbx.encode(), "in.tbx", limit=LIMIT)
    assert (report.created, report.updated, dict(report.skipped_languages)) == (0, 1, {"de": 1})
    assert glossary(session, editions)["Festival"] == {
        "en": "Festival",
        "ar": "مهرجان",
        "sq": "festivali",
    }


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"<martif><text><body><termEntry>", "not well-formed XML"),
        (b"<html><body>hello</body></html>", "not a TBX file"),
        (
            b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b"<martif>&b;</martif>",
            "entities are not accepted",
        ),
    ],
    ids=["broken", "not-tbx", "entities"],
)
def test_a_bad_tbx_file_is_refused_whole(session, editions, data, problem):
    add(session, editions, FESTIVAL)
    with pytest.raises(GlossaryError, match=problem):
        import_glossary(session, editions, data, "bad.tbx", limit=LIMIT)
    assert len(all_entries(session)) == 1


def test_a_csv_export_imports_back_unchanged_and_a_spreadsheet_adds_terms(session, editions):
    add(session, editions, FESTIVAL, note="Several, days")
    data = export_glossary(session, editions, "csv")
    assert (
        data.decode().splitlines()[0]
        == "en,ar,fa,sq,note_en,note_ar,note_fa,note_sq,note,do_not_translate"
    )
    report = import_glossary(session, editions, data, "glossary.csv", limit=LIMIT)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    sheet = "\ufeffen,sq,do_not_translate\nfestival,,\nnewsletter,buletin,no\n".encode()
    report = import_glossary(session, editions, sheet, "sheet.csv", limit=LIMIT)
    assert (report.created, report.unchanged) == (1, 1)  # a blank cell leaves the term
    assert glossary(session, editions)["festival"]["sq"] == "festival"
    assert glossary(session, editions)["newsletter"] == {"en": "newsletter", "sq": "buletin"}


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"term,translation\nfestival,festival\n", "the columns must be editions"),
        (b"en,sq\nfestival\n", "line 2: 1 cells where the header has 2"),
        (b"en,do_not_translate\nfestival,maybe\n", "must be yes or no"),
        (b"en,sq\n\xff\xfe,x\n", "not UTF-8"),
        (b"en,sq,do_not_translate\nnewsletter,buletin,no\nnews,lajme,perhaps\n", "line 3:"),
    ],
    ids=["header", "cells", "flag", "encoding", "second-row"],
)
def test_a_bad_csv_file_is_refused_whole_with_the_line(session, editions, data, problem):
    with pytest.raises(GlossaryError, match=problem):
        import_glossary(session, editions, data, "bad.csv", limit=LIMIT)
    assert all_entries(session) == []


def test_a_row_whose_terms_belong_to_two_entries_refuses_the_whole_file(session, editions):
    add(session, editions, {"en": "newsletter", "sq": "buletin"})
    add(session, editions, {"en": "brief", "sq": "përmbledhje"})
    sheet = b"en,sq\nvolunteer,vullnetar\nnewsletter,p\xc3\xabrmbledhje\n"
    with pytest.raises(GlossaryError, match="line 3: its terms belong to different glossary"):
        import_glossary(session, editions, sheet, "bad.csv", limit=LIMIT)
    assert sorted(glossary(session, editions)) == ["brief", "newsletter"]


# ---------------------------------------------------------------- command line and pages


def test_the_cli_adds_lists_exports_imports_and_removes(run_cli, session, tmp_path):
    added = run_cli(
        "glossary", "add", "--term", "en=newsletter", "--term", "sq=buletin",
        "--term", "fa=خبرنامه", "--term-note", "sq=Mashkullor.", "--note", "The numbered one.",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    listed = run_cli("glossary", "list", "--edition", "fa")
    assert "en: newsletter | fa: خبرنامه | sq: buletin" in listed.output
    path = tmp_path / "glossary.tbx"
    assert run_cli("glossary", "export", str(path)).exit_code == 0
    assert "<term>buletin</term>" in path.read_text(encoding="utf-8")
    imported = run_cli("glossary", "import", "--dry-run", str(path))
    assert "dry run, nothing changed: 0 created, 0 updated, 1 unchanged" in imported.output
    duplicate = run_cli("glossary", "add", "--term", "sq=Buletin")
    assert duplicate.exit_code == 1 and "already in the sq glossary" in duplicate.output
    entry_id = listed.output.split()[0]
    assert run_cli("glossary", "remove", entry_id).exit_code == 0
    assert "0 entries" in run_cli("glossary", "list").output


def test_translators_read_the_glossary_and_coordinators_keep_it(client, session, editions, sign_in):
    add(session, editions, FESTIVAL)
    session.commit()
    sign_in(client, "translator", ["fa"])
    page = client.get("/dashboard/glossary/?edition=fa")
    assert page.status_code == 200
    assert '<td lang="fa" dir="rtl">جشنواره</td>' in page.text
    assert client.get("/dashboard/glossary/new").status_code == 403
    assert client.get("/dashboard/glossary/export.csv").text.startswith("en,ar,fa,sq")


def test_a_coordinator_adds_edits_imports_and_removes_on_the_glossary_page(
    client, session, editions, sign_in
):
    sign_in(client, "coordinator")
    form = {f"term-{code}": text for code, text in FESTIVAL.items()}
    assert client.post("/dashboard/glossary/new", data=form).status_code == 302
    refused = client.post("/dashboard/glossary/new", data={"term-sq": "Festival"})
    assert refused.status_code == 400 and "already in the sq glossary" in refused.text
    entry = all_entries(session)[0]
    form["term-ar"] = ""
    form["do_not_translate"] = "on"
    assert client.post(f"/dashboard/glossary/{entry.id}/edit", data=form).status_code == 302
    session.expire_all()
    assert [term.edition for term in all_entries(session)[0].terms] == ["en", "fa", "sq"]
    upload = {
        "file": (
            io.BytesIO(b"en,ar\nvolunteer,\xd9\x85\xd8\xaa\xd8\xb7\xd9\x88\xd8\xb9\n"),
            "v.csv",
        )
    }
    imported = client.post("/dashboard/glossary/import", data=upload, follow_redirects=True)
    assert "Added: 1; updated: 0; unchanged: 0." in imported.text
    bad = {"file": (io.BytesIO(b"<nope"), "bad.tbx")}
    assert client.post("/dashboard/glossary/import", data=bad).status_code == 422
    assert client.post(f"/dashboard/glossary/{entry.id}/delete").status_code == 302
    assert len(all_entries(session)) == 1


def test_term_pairs_take_one_query(session, editions, connection):
    from tests.sqlcount import count_queries

    for number in range(20):
        add(session, editions, {"en": f"term{number}", "fa": f"واژه{number}"})
    with count_queries(connection) as log:
        pairs = term_pairs(session, "en", "fa")
    assert log.count == 1 and len(pairs.terms_in("term3 and term17")) == 2


# ---------------------------------------------------------------- hostile files


def _editions():
    from editions.core.languages import load_editions
    from editions.core.settings import DEFAULT_EDITION_OVERRIDES, DEFAULT_EDITIONS

    return load_editions(DEFAULT_EDITIONS, DEFAULT_EDITION_OVERRIDES)


_CSV_PIECES = st.sampled_from(
    ["en", "sq", "ar", "note", "do_not_translate", ",", "\n", '"', "yes", "گ", "ë", "\r", " "]
)


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.binary(max_size=300), st.lists(_CSV_PIECES, max_size=40).map("".join)))
def test_any_csv_bytes_are_read_or_refused_with_a_glossary_error(data):
    raw = data if isinstance(data, bytes) else data.encode()
    try:
        result = read_csv(raw, "fuzz.csv", _editions())
    except GlossaryError as refused:
        assert str(refused).startswith("fuzz.csv")  # names the file, and the line where known
    else:
        assert all(any(text.strip() for text in row.terms.values()) for row in result.rows)


_TBX_PIECES = st.sampled_from(
    [
        "<martif>",
        "</martif>",
        "<termEntry>",
        "</termEntry>",
        '<langSet xml:lang="sq">',
        "</langSet>",
        "<tig><term>",
        "</term></tig>",
        "gazetë",
        "&amp;",
        "<!DOCTYPE m [<!ENTITY a 'x'>]>",
        "&a;",
        "<",
        '<descrip type="Translation needed">no</descrip>',
    ]
)


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.binary(max_size=300), st.lists(_TBX_PIECES, max_size=30).map("".join)))
def test_any_tbx_bytes_are_read_or_refused_with_a_glossary_error(data):
    raw = data if isinstance(data, bytes) else data.encode()
    try:
        result = read_tbx(raw, "fuzz.tbx", _editions())
    except GlossaryError as refused:
        assert str(refused).startswith("fuzz.tbx")  # names the file, and the line where known
    else:
        assert all(any(text.strip() for text in row.terms.values()) for row in result.rows)
