"""Glossary terms are found in the forms each language writes them (no database)."""

import pytest

from editions.core.languages import load_editions
from editions.core.settings import DEFAULT_EDITION_OVERRIDES, DEFAULT_EDITIONS
from editions.text.checks import check_glossary
from editions.text.terms import Term, TermList, TermPairs

EDITIONS = load_editions(DEFAULT_EDITIONS, DEFAULT_EDITION_OVERRIDES)


def found(language: str, term: str, text: str) -> list[str]:
    terms = TermList(language, [(term, Term(1, term, None))])
    return [text[match.start : match.end] for match in terms.find(text)]


@pytest.mark.parametrize(
    ("term", "text"),
    [
        # the article, conjunctions and prepositions attached in front
        ("المنظمة", "قالت المنظمة"),
        ("منظمة", "قالت المنظمة"),
        ("المنظمة", "وقالت والمنظمة"),
        ("المنظمة", "رسالة بالمنظمة"),
        ("المنظمة", "شكرٌ للمنظمة"),
        ("المنظمة", "فالمنظمة تعمل"),
        # endings: pronouns (ة written ت), dual, plural, the alef of -an
        ("منظمة", "منظمتها الصغيرة"),
        ("منظمة", "منظمتان"),
        ("منظمة", "والمنظمات الأهلية"),
        ("مترجم", "عمل مترجمًا"),
        ("مترجم", "والمترجمين"),
        # diacritics, tatweel and hamza seats are not part of the comparison
        ("المُترجِم", "المترجم"),
        ("مترجم", "مـتـرجـم"),
        ("جائزة الأرز", "فازت بجائزة الارز"),
        # a term of two words, the first with a preposition in front
        ("مؤسسة لومن", "تبرّع لمؤسسة لومن"),
    ],
)
def test_arabic_terms_are_found_with_attached_prefixes_and_endings(term, text):
    assert found("ar", term, text)


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("کتابخانه", "كتابخانه"),  # Arabic kaf typed
        ("روزنامه", "روزنامه‌ها"),  # plural after a ZWNJ
        ("روزنامه", "روزنامهٔ شهر"),  # ezafe with hamza above
        ("روزنامه", "یک روزنامه‌ای"),
        ("روزنامه", "روزنامه‌اش"),
        ("کتابخانه", "کتاب‌خانه‌ها"),  # written with a ZWNJ inside
        ("داوطلب", "داوطلبان"),
        ("داوطلب", "کار داوطلبانه"),
        ("نویسنده", "نویسندگان"),
        ("بنیاد لومن", "بنياد لومن"),  # Arabic yeh typed
        ("فانوس باز", "از «فانوس باز»"),
    ],
)
def test_persian_terms_are_found_across_yeh_kaf_zwnj_and_endings(term, text):
    assert found("fa", term, text)


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("gazetë", "Gazeta doli sot."),
        ("gazetë", "Lexova gazetën."),
        ("gazetë", "faqja e gazetës"),
        ("gazetë", "Gazetat e qytetit"),
        ("gazetë", "lexuesit e gazetave"),
        ("qytet", "Qyteti është i vogël"),
        ("qytet", "banorët e qytetit"),
        ("buletin", "Buletini nr. 128"),
        ("buletin", "në buletinin e fundit"),
        ("vullnetar", "me vullnetarët"),
        ("përkthyes", "përkthyesja"),
        ("përkthyes", "një grup përkthyesish"),
        ("Feneri i Hapur", "Rreth Fenerit të Hapur"),
        ("Feneri i Hapur", "Si të kontaktoni Fenerin e Hapur"),
        ("Çmimi Kedri", "fitoi Çmimin Kedri"),
    ],
)
def test_albanian_terms_are_found_in_definite_and_inflected_forms(term, text):
    assert found("sq", term, text)


@pytest.mark.parametrize(
    ("language", "term", "text"),
    [
        ("en", "news", "A new library."),  # an ending is taken off the text, never added
        ("ar", "نشرة", "ننشر كل أسبوع"),  # "we publish" is not "newsletter"
        ("ar", "نشرة", "دار نشر"),
        ("sq", "qytet", "qytetar"),  # another word that starts alike
        ("fa", "باز", "بازار"),
        ("en", "Open Lantern", "an open door and a lantern"),  # words must follow each other
        ("en", "lantern", "see [the page](https://example.org/lantern)"),  # not in links
    ],
)
def test_words_that_merely_look_alike_are_not_terms(language, term, text):
    assert found(language, term, text) == []


def test_english_plurals_and_possessives_are_the_term():
    assert found("en", "newsletter", "Two newsletters and the newsletter's list.") == [
        "newsletters",
        "newsletter's",
    ]


def test_the_longest_term_wins_where_two_overlap():
    terms = TermList(
        "en",
        [("Open Lantern", Term(1, "Open Lantern", None)), ("lantern", Term(2, "lantern", None))],
    )
    assert [m.term.entry_id for m in terms.find("Open Lantern lit a lantern")] == [1, 2]


PAIRS = {
    "sq": TermPairs(
        "en",
        "sq",
        [
            Term(1, "newsletter", "buletin"),
            Term(2, "Hapat e Malit", "Hapat e Malit", do_not_translate=True),
        ],
    ),
    "ar": TermPairs("en", "ar", [Term(1, "newsletter", "نشرة")]),
    "fa": TermPairs("en", "fa", [Term(1, "newsletter", "خبرنامه")]),
}


@pytest.mark.parametrize(
    ("code", "translation"),
    [
        ("sq", "Buletini i sotëm del në mesditë."),
        ("ar", "تصدر النشرة ظهرًا."),
        ("fa", "خبرنامهٔ امروز ظهر منتشر می‌شود."),
    ],
)
def test_the_check_accepts_the_approved_translation_in_any_form(code, translation):
    source = "Today's newsletter comes out at noon."
    assert check_glossary(source, translation, EDITIONS[code], PAIRS[code]) == []


def test_the_check_warns_when_the_approved_translation_is_missing():
    source = "Today's newsletter comes out at noon."
    findings = check_glossary(source, "Gazeta e sotme del në mesditë.", EDITIONS["sq"], PAIRS["sq"])
    assert [(f.code, f.severity.value, f.params["translation"]) for f in findings] == [
        ("glossary", "warning", "buletin")
    ]
    assert "newsletter" in findings[0].text() and "buletin" in findings[0].text()


def test_a_do_not_translate_term_must_stay_as_it_is():
    source = "Volunteers from Hapat e Malit put up the signs."
    kept = "Vullnetarët e shoqatës Hapat e Malit vendosën tabelat."
    translated = "Vullnetarët e shoqatës Shkallët e Malit vendosën tabelat."
    assert check_glossary(source, kept, EDITIONS["sq"], PAIRS["sq"]) == []
    findings = check_glossary(source, translated, EDITIONS["sq"], PAIRS["sq"])
    assert findings and "as it is" in findings[0].text()


def test_the_demo_translations_carry_every_glossary_term_they_should():
    """Real prose in four languages: each demo translation, block by block against its
    source, is checked against the demo glossary; the terms are found and none is missing."""
    import yaml

    from editions.content.articlefiles import read_article_file
    from editions.demo import ARTICLES, DEMO_ROOT
    from editions.text.segmentation import split_body

    entries = yaml.safe_load((DEMO_ROOT / "glossary.yaml").read_text(encoding="utf-8"))

    def pairs(source: str, target: str) -> TermPairs:
        terms = []
        for number, entry in enumerate(entries):
            written = entry["terms"]
            if source not in written:
                continue
            dnt = entry.get("do_not_translate", False)
            translation = written[source] if dnt else written.get(target)
            terms.append(Term(number, written[source], translation, dnt))
        return TermPairs(source, target, terms)

    found = missing = 0
    for folder in sorted(ARTICLES.iterdir()):
        files = [
            read_article_file(path) for path in folder.glob("*.md") if path.name.count(".") == 1
        ]
        source = next(file for file in files if file.is_source)
        for file in files:
            if file is source:
                continue
            glossary = pairs(source.edition, file.edition)
            texts = [(source.text.title, file.text.title), (source.text.summary, file.text.summary)]
            blocks = zip(split_body(source.text.body), split_body(file.text.body), strict=True)
            texts += [(original.text, translated.text) for original, translated in blocks]
            for original, translated in texts:
                found += len(glossary.terms_in(original))
                missing += len(
                    check_glossary(original, translated, EDITIONS[file.edition], glossary)
                )
    assert found > 100
    assert missing == 0
