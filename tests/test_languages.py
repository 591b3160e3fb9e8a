"""Editions come from configuration; direction and plural rules from CLDR."""

from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface

from editions.core.languages import load_editions, plural_forms_agree
from editions.core.settings import DEFAULT_EDITION_OVERRIDES, Settings
from webapp import create_app

# GNU gettext's (and Weblate's) standard formulas: the spec our headers must equal.
GNU_PLURAL_FORMS = {
    "ar": "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 ? 4 : 5;",
    "fa": "nplurals=2; plural=n > 1;",
    "sq": "nplurals=2; plural=n != 1;",
}


def test_the_four_editions_have_the_publishers_native_names(editions):
    assert [(e.code, e.native_name) for e in editions.values()] == [
        ("en", "English"),
        ("ar", "عربي"),
        ("fa", "فارسی"),
        ("sq", "Shqip"),
    ]


def test_direction_comes_from_locale_data(editions):
    assert {code: e.direction for code, e in editions.items()} == {
        "en": "ltr",
        "ar": "rtl",
        "fa": "rtl",
        "sq": "ltr",
    }


@pytest.mark.parametrize("code", ["ar", "fa", "sq"])
def test_plural_forms_are_gnu_standard_and_agree_with_cldr(editions, code):
    assert editions[code].plural_forms == GNU_PLURAL_FORMS[code]
    assert plural_forms_agree(GNU_PLURAL_FORMS[code], code)


def test_arabic_has_six_forms_with_eleven_many_and_hundred_other(editions):
    from gettext import c2py

    formula = c2py(editions["ar"].plural_forms.split("plural=")[1].rstrip(";"))
    assert editions["ar"].nplurals == 6
    assert [formula(n) for n in (0, 1, 2, 3, 11, 99, 100, 102)] == [0, 1, 2, 3, 4, 4, 5, 5]


def test_babels_swapped_arabic_formula_is_refused():
    babel_816 = (
        "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
        "n%100>=0 && n%100<=2 ? 4 : 5);"
    )
    with pytest.raises(ValueError, match="disagree with CLDR"):
        load_editions(["ar"], {"ar": {"plural_forms": babel_816}})


def test_an_unknown_locale_is_a_clear_error():
    with pytest.raises(ValueError, match="not a locale CLDR knows"):
        load_editions(["en", "xx-nowhere"], DEFAULT_EDITION_OVERRIDES)


@pytest.mark.usefixtures("engine")  # the schema, migrated
def test_a_fifth_rtl_edition_is_configuration_plus_a_catalog(tmp_path: Path, database_url):
    """Kurdish Sorani: no code change, only a config file and a compiled catalog."""
    translations = tmp_path / "translations"
    project_translations = Path(__file__).parent.parent / "translations"
    for code in ("ar", "fa", "sq"):
        target = translations / code / "LC_MESSAGES"
        target.mkdir(parents=True)
        (target / "messages.mo").write_bytes(
            (project_translations / code / "LC_MESSAGES" / "messages.mo").read_bytes()
        )
    babel_cli = CommandLineInterface()
    pot = str(project_translations / "messages.pot")
    babel_cli.run(["pybabel", "-q", "init", "-i", pot, "-d", str(translations), "-l", "ckb"])
    babel_cli.run(["pybabel", "-q", "compile", "-d", str(translations), "-l", "ckb", "--use-fuzzy"])
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "editions.toml").write_text(
        '[editions]\ncodes = ["en", "ar", "fa", "sq", "ckb"]\n[editions.ckb]\nname = "کوردی"\n',
        encoding="utf-8",
    )
    settings = Settings.from_env(
        instance, database_url=database_url, translations_path=translations, testing=True
    )
    ckb = settings.editions["ckb"]
    assert (ckb.native_name, ckb.direction, ckb.nplurals) == ("کوردی", "rtl", 2)
    app = create_app(settings)
    page = app.test_client().get("/ckb/")
    app.extensions["editions"].engine.dispose()
    assert page.status_code == 200
    assert '<html lang="ckb" dir="rtl">' in page.get_data(as_text=True)


def test_an_edition_without_a_compiled_catalog_stops_the_start(tmp_path: Path, database_url):
    settings = Settings(
        instance_path=tmp_path,
        database_url=database_url,
        secret_key="x",
        translations_path=tmp_path / "empty",
    )
    with pytest.raises(RuntimeError, match="no compiled catalog for edition"):
        create_app(settings)
