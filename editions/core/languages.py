"""Editions as the publisher configures them, with everything else taken from CLDR.

Direction, plural categories and the gettext Plural-Forms formula come from Babel's
locale data; only the label readers see in the menu may be set by hand, because the
publisher labels some editions differently from CLDR (``عربي`` rather than
``العربية``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from gettext import c2py

from babel import Locale, UnknownLocaleError
from babel.plural import PluralRule, to_gettext, to_python


@dataclass(frozen=True)
class Edition:
    code: str
    native_name: str
    plural_forms: str

    @cached_property
    def locale(self) -> Locale:
        return Locale.parse(self.code)

    @property
    def direction(self) -> str:
        return self.locale.text_direction

    @property
    def is_rtl(self) -> bool:
        return self.direction == "rtl"

    @property
    def numbering_system(self) -> str:
        """CLDR's default numbering system: ``arabext`` (۱۲۳) for Persian, ``latn`` for ``ar``."""
        return self.locale.default_numbering_system

    def name_in(self, language: str) -> str:
        """The edition's language as CLDR names it in ``language``: "انگلیسی" for en in fa."""
        return (
            Locale.parse(language).languages.get(self.code) or self.locale.display_name or self.code
        )

    @property
    def english_name(self) -> str:
        return self.locale.english_name or self.code

    @property
    def nplurals(self) -> int:
        return int(self.plural_forms.split(";")[0].split("=")[1])


def cldr_plural_forms(code: str) -> str:
    """The gettext Plural-Forms that CLDR's plural rules for ``code`` compile to."""
    return to_gettext(Locale.parse(code).plural_form)


def plural_forms_agree(plural_forms: str, code: str, upto: int = 1000) -> bool:
    """True when a gettext formula picks the same form as CLDR for 0..upto.

    Forms are numbered in CLDR's category order (zero, one, two, few, many, other),
    which is the order GNU gettext's standard formulas use.
    """
    rule: PluralRule = Locale.parse(code).plural_form
    categories: list[str] = [
        tag
        for tag in ("zero", "one", "two", "few", "many", "other")
        if tag in rule.tags or tag == "other"
    ]
    expression = plural_forms.split("plural=", 1)[1].rstrip("; ")
    gettext_form = c2py(expression)
    cldr_category = to_python(rule)
    return all(gettext_form(n) == categories.index(cldr_category(n)) for n in range(upto + 1))


def load_editions(
    codes: Iterable[str], overrides: Mapping[str, Mapping[str, str]]
) -> dict[str, Edition]:
    """Build the configured editions, in menu order.

    ``overrides`` may give a ``name`` (the menu label) and a ``plural_forms``
    formula per edition. A formula is accepted only if it agrees with CLDR, so a
    catalog header can follow GNU gettext's spelling without ever disagreeing with
    the locale data.
    """
    editions: dict[str, Edition] = {}
    for code in codes:
        try:
            locale = Locale.parse(code)
        except (UnknownLocaleError, ValueError) as error:
            raise ValueError(f"edition {code!r} is not a locale CLDR knows: {error}") from error
        override = overrides.get(code, {})
        plural_forms = override.get("plural_forms") or cldr_plural_forms(code)
        if not plural_forms_agree(plural_forms, code):
            raise ValueError(
                f"Plural-Forms configured for {code!r} disagree with CLDR: {plural_forms}"
            )
        name = override.get("name") or (locale.display_name or code)
        editions[code] = Edition(code=code, native_name=name, plural_forms=plural_forms)
    if not editions:
        raise ValueError("at least one edition must be configured")
    return editions
