"""What the domain says to people, in English, translatable wherever it is shown.

The domain cannot translate (it knows no request and imports no Flask), so an error
carries a ``Message``: an English template marked with ``_l`` for ``pybabel extract``
and its parameters. The command line prints it in English; the web layer renders it
through the catalog of the reader's language. A parameter may itself be a Message, or
a tuple of them (shown joined by semicolons). A message that counts something has a
plural template too (``_n``), and the language's own plural rule picks the form: Arabic
has six.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


def _l(template: str) -> str:
    """Mark an English template for the interface catalog; translated when shown."""
    return template


def _n(singular: str, plural: str, num: int, **params: Any) -> Message:
    """A message counting ``num`` things, in the form its language gives that number
    (marked for ``pybabel extract`` by ``-k _n:1,2``)."""
    return Message(singular, {"num": num, **params}, plural=plural)


def _english(template: str) -> str:
    return template


def _english_plural(singular: str, plural: str, num: int) -> str:
    return singular if num == 1 else plural


@dataclass(frozen=True)
class Message:
    template: str
    params: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None  # chosen by ``params["num"]``

    def render(
        self,
        translate: Callable[[str], str] = _english,
        number: Callable[[int], str] = str,
        translate_plural: Callable[[str, str, int], str] = _english_plural,
    ) -> str:
        """The message in ``translate``'s language; whole numbers written by ``number``
        (the edition's digits on a page, Latin ones on the command line)."""
        values = {
            name: self._value(value, translate, number, translate_plural)
            for name, value in self.params.items()
        }
        if self.plural is None:
            text = translate(self.template)
        else:
            text = translate_plural(self.template, self.plural, self.params["num"])
        return text % values if values else text

    @staticmethod
    def _value(
        value: Any,
        translate: Callable[[str], str],
        number: Callable[[int], str],
        translate_plural: Callable[[str, str, int], str],
    ) -> Any:
        if isinstance(value, Message):
            return value.render(translate, number, translate_plural)
        if isinstance(value, tuple):
            return "; ".join(
                str(Message._value(item, translate, number, translate_plural)) for item in value
            )
        if isinstance(value, int) and not isinstance(value, bool):
            return number(value)
        return value

    def __str__(self) -> str:
        return self.render()
