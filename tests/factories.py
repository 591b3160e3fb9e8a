"""Small builders for articles in tests: real rows through the real domain functions."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from editions.content.articles import SourceText
from editions.content.counterparts import import_counterpart
from editions.content.sources import Impact, create_article, revise_source
from editions.core.models import Article

# Words for generated paragraphs (Hypothesis), which each test extends with its own.
NOUNS = (
    "library",
    "river",
    "school",
    "garden",
    "harbour",
    "museum",
    "theatre",
    "valley",
    "bridge",
    "lantern",
)

SOURCE_BODY = (
    "## Programme\n\n"
    "The festival opens on Friday at the city library.\n\n"
    "Readers meet translators in four workshops.\n\n"
    "Entry is free for everyone.\n"
)
TRANSLATIONS = {
    "ar": SourceText(
        "مهرجان القراءة",
        "مهرجان جديد في المدينة.",
        "## البرنامج\n\nيفتتح المهرجان يوم الجمعة في مكتبة المدينة.\n\n"
        "يلتقي القراء بالمترجمين في أربع ورشات.\n\nالدخول مجاني للجميع.\n",
    ),
    "fa": SourceText(
        "جشنوارهٔ کتاب‌خوانی",
        "جشنواره‌ای تازه در شهر.",
        "## برنامه\n\nجشنواره روز جمعه در کتابخانهٔ شهر آغاز می‌شود.\n\n"
        "خوانندگان در چهار کارگاه با مترجمان دیدار می‌کنند.\n\nورود برای همه رایگان است.\n",
    ),
    "sq": SourceText(
        "Festivali i leximit",
        "Një festival i ri në qytet.",
        "## Programi\n\nFestivali hapet të premten në bibliotekën e qytetit.\n\n"
        "Lexuesit takojnë përkthyesit në katër punëtori.\n\nHyrja është falas për të gjithë.\n",
    ),
}


def make_article(
    session: Session,
    editions,
    article_id: int = 16009,
    translate: tuple[str, ...] = ("ar", "fa", "sq"),
    body: str = SOURCE_BODY,
) -> Article:
    article = create_article(
        session,
        editions,
        article_id=article_id,
        source_edition="en",
        section="articles",
        text=SourceText("A reading festival", "A new festival in the city.", body),
        published_on=date(2026, 9, 23),
        author="Mira Dalen",
        tags=["culture", "books"],
    )
    for code in translate:
        import_counterpart(session, editions, article, code, TRANSLATIONS[code])
    session.flush()
    return article


def revise_body(session: Session, article: Article, body: str, **options) -> Impact:
    """A new version of the festival article's source with ``body``, title and summary kept."""
    text = SourceText("A reading festival", "A new festival in the city.", body)
    return revise_source(session, article, text, **options)
