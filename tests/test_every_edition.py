"""Every page right in every edition: digits, percent signs, language names, direction,
the site's name, bylines, and staff pages with no English left in Arabic or Persian."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from babel import Locale

from editions.content.articlefiles import ArticleFileError
from editions.content.articles import SourceText
from editions.content.sources import create_article
from editions.core.settings import DEFAULT_EDITIONS, PROJECT_ROOT, Settings
from editions.demo import DEMO_PASSWORD
from editions.text.localization import digits, percent_sign
from tests.factories import make_article

CATALOGS = PROJECT_ROOT / "translations"
# Placeholders, example ISO dates, code points, PO keywords and names of formats are code,
# not text: they are written the same in every language.
# Not numbers a reader reads: placeholders, ISO dates, names of standards and of file
# formats (MP4, M4A).
NOT_TEXT = re.compile(
    r"%(\([^)]*\))?[sd]|%%|\d{4}-\d{2}-\d{2}|UTF-8|SHA-256|U\+[0-9A-F]{4,6}|msgstr\[\d\]"
    r"|\b[A-Z]+[0-9][A-Z0-9]*\b"
)
DASHBOARD_PAGES = (
    "/dashboard/",
    "/dashboard/queue",
    "/dashboard/exchange/",
    "/admin/users",
    "/dashboard/articles/new",
    "/dashboard/articles/16009/edit",
    "/dashboard/articles/16009/history",
    "/dashboard/fa/posts/16009",
    "/dashboard/fa/posts/16009/history",
    "/dashboard/sq/posts/16004",
    "/dashboard/glossary/",
)


@pytest.fixture
def reader(demo_app):
    """A client of the demo site, loaded once for the session (these tests only read)."""
    return demo_app.test_client()


def signed_in(client, username: str):
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def msgstrs(code: str):
    for entry in polib.pofile(str(CATALOGS / code / "LC_MESSAGES" / "messages.po")):
        for text in (entry.msgstr, *entry.msgstr_plural.values()):
            yield entry.msgid, text


# ---------------------------------------------------------------- the catalogs


@pytest.mark.parametrize("code", ["ar", "fa", "sq"])
def test_no_interface_string_names_a_language_in_english(code):
    english = [Locale.parse("en").languages[other] for other in DEFAULT_EDITIONS]
    named = re.compile(r"\b(" + "|".join(english) + r")\b")
    assert not [(msgid, text) for msgid, text in msgstrs(code) if named.search(text)]


def test_no_interface_string_formats_a_number_itself():
    """A ``%(n)d`` prints Latin digits in every edition: counts are passed formatted."""
    template = (CATALOGS / "messages.pot").read_text(encoding="utf-8")
    assert not re.findall(r"%\([a-z_]+\)d", template)


@pytest.mark.parametrize("code", ["ar", "fa"])
def test_numbers_in_arabic_and_persian_strings_are_in_the_editions_digits(code):
    others = {"0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹"} - {digits(code)}
    foreign = re.compile("[" + "".join(others) + "]")
    assert not [
        (msgid, text) for msgid, text in msgstrs(code) if foreign.search(NOT_TEXT.sub("", text))
    ]


# ---------------------------------------------------------------- reader pages


@pytest.mark.parametrize(
    ("code", "sign", "some_digit"),
    [
        ("en", "%", "[0-9]"),
        ("ar", "\u200e%\u200e", "[0-9]"),
        ("fa", "٪", "[۰-۹]"),
        ("sq", "%", "[0-9]"),
    ],
)
def test_the_dashboard_writes_shares_in_the_editions_digits_and_percent_sign(
    reader, code, sign, some_digit
):
    assert percent_sign(code) == sign
    client = signed_in(reader, "coordinator")
    client.set_cookie("edition", code)
    page = client.get("/dashboard/").text
    summary = page.split('class="dash-summary"', 1)[1].split("</table>", 1)[0]
    shares = re.findall(r"<td>([^<]*" + re.escape(sign) + r")</td>", summary)
    assert len(shares) == len(DEFAULT_EDITIONS)
    assert all(re.fullmatch(some_digit + r"+" + re.escape(sign), share) for share in shares)
    if code == "fa":
        assert not re.search("[0-9]", summary.split("</thead>", 1)[1])
    exchange = client.get("/dashboard/exchange/").text
    assert re.search(some_digit + "+" + re.escape(sign), exchange)


def test_a_stale_translation_names_the_original_language_in_persian(reader):
    page = reader.get("/fa/posts/16009").text
    assert "متن اصلی را به زبان انگلیسی بخوانید" in page
    assert "English" not in page.split("stale-notice", 1)[1].split("</aside>", 1)[0]


def test_persian_ordered_lists_count_in_persian_digits(reader):
    assert 'data-numbers="arabext"' in reader.get("/fa/newsletter/128").text
    assert 'data-numbers="latn"' in reader.get("/ar/newsletter/128").text
    stylesheet = (PROJECT_ROOT / "webapp" / "static" / "reader.css").read_text()
    assert '[data-numbers="arabext"] ol { list-style-type: persian; }' in stylesheet


@pytest.mark.parametrize(
    ("code", "direction", "heading"),
    [
        ("fa", "rtl", "صفحه پیدا نشد"),
        ("ar", "rtl", "الصفحة غير موجودة"),
        ("sq", "ltr", "Faqja nuk u gjet"),
    ],
)
def test_any_missing_path_under_an_edition_answers_in_that_edition(
    reader, code, direction, heading
):
    for path in (f"/{code}/some-missing-page", f"/{code}/a/b/c", f"/{code}/posts/x"):
        response = reader.get(path, headers={"Accept-Language": "en"})
        assert response.status_code == 404
        assert f'<html lang="{code}" dir="{direction}">' in response.text
        assert f"<h1>{heading}</h1>" in response.text


def test_a_missing_counterpart_lists_its_title_in_each_edition_it_can_be_read_in(reader):
    page = reader.get("/sq/posts/16004")
    assert page.status_code == 404
    listing = page.text.split('class="readable-editions"', 1)[1].split("</ul>", 1)[0]
    for code in ("en", "ar", "fa"):
        title = re.search(r'^title: "(.*)"$', (DEMO / "16004" / f"{code}.md").read_text(), re.M)
        assert f'lang="{code}"' in listing
        assert f"<cite>{title.group(1)}</cite>" in listing.replace("&#39;", "'")


def test_the_site_is_named_as_the_publisher_writes_its_name_in_each_edition(reader):
    for code, name in (("en", "Editions"), ("ar", "إديشنز"), ("fa", "ادیشنز"), ("sq", "Editions")):
        page = reader.get(f"/{code}/").text
        assert f'<a class="site-name" href="/{code}/">{name}</a>' in page
        assert f"{name}. " in page.split('class="site-footer"', 1)[1]
    # Not the common noun "editions" of the catalogs.
    assert "نسخه‌ها. همهٔ حقوق" not in reader.get("/fa/").text


def test_the_site_name_is_a_setting_with_a_form_per_edition(tmp_path, monkeypatch):
    config = tmp_path / "editions.toml"
    config.write_text('[site_name]\nen = "Open Lantern"\nfa = "اوپن لنترن"\n', encoding="utf-8")
    monkeypatch.setenv("EDITIONS_CONFIG", str(config))
    settings = Settings.from_env(instance_path=tmp_path, secret_key="x")
    assert settings.site_name("fa") == "اوپن لنترن"
    assert settings.site_name("sq") == "Open Lantern"  # the default edition's form
    monkeypatch.setenv("EDITIONS_SITE_NAME", "Harbour Lines")
    assert Settings.from_env(instance_path=tmp_path, secret_key="x").site_name("ar") == (
        "Harbour Lines"
    )


def test_example_tags_stay_as_tags_exist_in_every_language(app):
    from webapp.messages import describe

    error = ArticleFileError(
        "16001.md", "tags must be a list of names, e.g. %(example)s", example="[culture, books]"
    )
    for code in ("ar", "fa", "sq"):
        with app.test_request_context(f"/{code}/"):
            app.preprocess_request()
            assert "[culture, books]" in describe(error)


def test_demo_bylines_are_written_in_the_editions_script(reader):
    assert "<bdi>مریم رحیمی</bdi>" in reader.get("/fa/posts/16006").text
    assert "<bdi>مريم رحيمي</bdi>" in reader.get("/ar/posts/16006").text
    assert "<bdi>Marjam Rahimi</bdi>" in reader.get("/sq/posts/16006").text
    assert "<bdi>Maryam Rahimi</bdi>" in reader.get("/en/posts/16006").text
    assert "<h1><bdi>مریم رحیمی</bdi></h1>" in reader.get("/fa/author/maryam-rahimi").text


def test_an_authors_name_per_edition_with_the_source_form_where_there_is_none(
    client, session, editions, run_cli
):
    text = SourceText("اتاق مطالعه‌ای گشوده شد", "خلاصه.", "یک بند.")
    create_article(
        session,
        editions,
        source_edition="fa",
        section="articles",
        text=text,
        published_on=date(2026, 9, 23),
        article_id=16100,
        author="Kofi Brandt",
    )
    session.commit()
    result = run_cli("authors", "name", "kofi-brandt", "کوفی برانت", "--edition", "fa")
    assert result.exit_code == 0, result.output
    assert "kofi-brandt\tKofi Brandt\tfa: کوفی برانت" in run_cli("authors", "list").output
    assert "<bdi>کوفی برانت</bdi>" in client.get("/fa/posts/16100").text
    assert "<h1><bdi>کوفی برانت</bdi></h1>" in client.get("/fa/author/kofi-brandt").text
    assert "<h1><bdi>Kofi Brandt</bdi></h1>" in client.get("/ar/author/kofi-brandt").text
    unknown = run_cli("authors", "name", "nobody", "x", "--edition", "fa")
    assert unknown.exit_code == 1 and "there is no author 'nobody'" in unknown.output


# ---------------------------------------------------------------- staff pages


class _Latin(HTMLParser):
    """Latin words in a page's own text: not in code, names, other languages or data."""

    VOID = {"input", "meta", "link", "br", "img", "hr", "source", "wbr"}
    SKIP = {"script", "style", "code", "bdi", "textarea", "title"}
    ALLOWED = {"PO", "CSV", "JSON", "Atom", "zip", "TBX", "PDF"}

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang, self.open, self.words = lang, [], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        for tag, attrs in self.open:
            if tag in self.SKIP or attrs.get("dir") in ("ltr", "auto"):
                return
            if attrs.get("lang", self.lang) != self.lang:
                return
        data = re.sub(r"https?://\S+", "", data)
        self.words += [w for w in re.findall(r"[A-Za-z]+", data) if w not in self.ALLOWED]


@pytest.mark.parametrize("code", ["ar", "fa"])
def test_no_english_is_left_on_staff_pages_in_arabic_and_persian(reader, code):
    client = signed_in(reader, "admin")
    client.set_cookie("edition", code)
    for path in DASHBOARD_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        scan = _Latin(code)
        scan.feed(response.text)
        assert not scan.words, (path, scan.words)
    history = client.get("/dashboard/fa/posts/16009/history").text
    assert {"ar": "استيراد المقالات", "fa": "درون‌ریزی مقاله‌ها"}[code] in history


def test_staff_pages_have_one_main_landmark_and_the_site_a_favicon(reader):
    assert reader.get("/login").text.count("<main") == 1
    client = signed_in(reader, "admin")
    for path in ("/dashboard/", "/dashboard/queue", "/admin/users", "/dashboard/exchange/"):
        page = client.get(path).text
        assert page.count("<main") == 1, path
        assert 'rel="icon" href="/static/favicon.svg"' in page
    icon = client.get("/favicon.ico")
    assert icon.status_code == 301 and icon.location.endswith("/static/favicon.svg")
    with client.get("/static/favicon.svg") as svg:
        assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"


def test_the_search_page_names_its_two_search_landmarks_apart(reader):
    page = reader.get("/en/search?q=library").text
    names = re.findall(r'role="search" (aria-label(?:ledby)?="[^"]+")', page)
    assert len(names) == 2 and len(set(names)) == 2


def test_the_editor_gives_the_source_the_room_of_both_columns_before_a_translation(reader):
    client = signed_in(reader, "translator-sq")
    client.set_cookie("edition", "fa")
    page = client.get("/dashboard/sq/posts/16004").text
    assert '<ol class="dash-segments dash-preview">' in page
    stylesheet = (PROJECT_ROOT / "webapp" / "static" / "dashboard.css").read_text()
    assert ".dash-preview .dash-segment { grid-template-columns: 8rem minmax(0, 1fr); }" in (
        stylesheet
    )


def test_the_progress_chart_of_a_fresh_demo_draws_its_history(reader):
    client = signed_in(reader, "coordinator")
    page = client.get("/dashboard/").text
    lines = re.findall(r'<polyline points="([^"]+)"', page)
    assert len(lines) == len(DEFAULT_EDITIONS)
    for points in lines:
        assert len(points.split()) > 30  # a point a day of the window, not a single dot
    heights = {point.split(",")[1] for points in lines for point in points.split()}
    assert len(heights) > 4  # the shares moved as articles were written and translated
    since = date.today() - timedelta(days=90)
    assert "Share of counterparts up to date since" in page
    assert str(since.year) in page


def test_days_without_a_snapshot_are_rebuilt_from_the_history(session, editions):
    """Written ten days ago, translated into Persian five days ago, edited two days ago."""
    from sqlalchemy import update

    from editions.content.articles import get_article
    from editions.content.sources import revise_source
    from editions.core.models import Counterpart, SourceRevision, TranslationChange
    from editions.translation.dashboard import history
    from editions.translation.progress import fill_missing_days
    from tests.factories import SOURCE_BODY

    make_article(session, editions, translate=("fa",))
    session.flush()
    edited = SourceText("t", "s", SOURCE_BODY.replace("four workshops", "five workshops"))
    revise_source(session, get_article(session, 16009), edited)
    session.flush()
    today = date.today()

    def days_ago(days: int) -> datetime:
        return datetime.combine(today - timedelta(days=days), time(12), tzinfo=UTC)

    revisions = update(SourceRevision).where(SourceRevision.article_id == 16009)
    session.execute(revisions.where(SourceRevision.number == 1).values(created_at=days_ago(10)))
    session.execute(revisions.where(SourceRevision.number == 2).values(created_at=days_ago(2)))
    session.execute(update(Counterpart).values(created_at=days_ago(10), published_at=None))
    session.execute(
        update(Counterpart)
        .where(Counterpart.edition == "fa")
        .values(created_at=days_ago(5), published_at=days_ago(5))
    )
    session.execute(update(TranslationChange).values(created_at=days_ago(5)))
    codes = ["en", "fa"]
    first, last = today - timedelta(days=12), today - timedelta(days=1)
    assert fill_missing_days(session, codes, first, last) == 12
    shares = {code: dict(points) for code, points in history(session, codes, first).items()}
    assert shares["fa"][today - timedelta(days=8)] == 0.0  # missing
    assert shares["fa"][today - timedelta(days=4)] == 100.0  # translated and published
    assert shares["fa"][today - timedelta(days=1)] == 0.0  # the source changed since
    assert shares["en"][today - timedelta(days=8)] == 100.0
    assert fill_missing_days(session, codes, first, last) == 0  # kept days stay as they are


# ---------------------------------------------------------------- the demo's texts

DEMO = Path(PROJECT_ROOT / "editions" / "demo" / "articles")
GREGORIAN_IN_PERSIAN = [
    "ژانویه",
    "فوریه",
    "مارس",
    "آوریل",
    "ژوئن",
    "ژوئیه",
    "اوت",
    "سپتامبر",
    "اکتبر",
    "نوامبر",
    "دسامبر",
]


def demo_texts(code: str):
    for path in sorted(DEMO.glob(f"*/{code}*.md")):
        yield path, path.read_text(encoding="utf-8")


def test_persian_demo_dates_are_solar_hijri():
    for path, text in demo_texts("fa"):
        for month in GREGORIAN_IN_PERSIAN:
            assert not re.search(rf"(?<![\w\u200c]){month}(?![\w\u200c])", text), (path, month)
        assert not re.search(r"ماه مه(?![\w\u200c])", text), path


def test_persian_demo_writes_the_ezafe_after_a_silent_h_one_way():
    """With the hamza (صفحهٔ), as the catalogs do, never with a joined ye (صفحه‌ی)."""
    for path, text in demo_texts("fa"):
        assert "ه\u200cی " not in text, path
    marked = [path for path, text in demo_texts("fa") if "هٔ " in text]
    assert len(marked) == len(list(demo_texts("fa")))


def test_albanian_demo_spells_digital_one_way():
    for path, text in demo_texts("sq"):
        assert "dixhital" not in text.lower(), path


def test_newsletter_titles_do_not_repeat_the_issue_kicker(reader):
    for code in DEFAULT_EDITIONS:
        listing = reader.get(f"/{code}/category/newsletter").text
        titles = re.findall(r'newsletter/\d+">([^<]+)</a>', listing)
        assert len(titles) >= 2, code  # issue 129 is in English and Albanian only
        for text in titles:
            kicker, _, title = text.partition(": ")
            assert title and kicker != title and kicker not in title, (code, text)
