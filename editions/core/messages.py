"""What the domain says to people, in English, translatable wherever it is shown.

The domain cannot translate (it knows no request and imports no Flask), so an error
carries a ``Message``: an English template marked with ``_l`` for ``pybabel extract``
and its parameters. The command line prints it in English; the web layer renders it
through the catalog of the reader's language. A parameter may itself be a Message, or
a tuple of them (shown joined by semicolons).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


def _l(template: str) -> str:
    """Mark an English template for the interface catalog; translated when shown."""
    return template


@dataclass(frozen=True)
class Message:
    template: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(
        self,
        translate: Callable[[str], str] = lambda template: template,
        number: Callable[[int], str] = str,
    ) -> str:
        """The message in ``translate``'s language; whole numbers written by ``number``
        (the edition's digits on a page, Latin ones on the command line)."""
        values = {
            name: self._value(value, translate, number) for name, value in self.params.items()
        }
        text = translate(self.template)
        return text % values if values else text

    @staticmethod
    def _value(value: Any, translate: Callable[[str], str], number: Callable[[int], str]) -> Any:
        if isinstance(value, Message):
            return value.render(translate, number)
        if isinstance(value, tuple):
            return "; ".join(str(Message._value(item, translate, number)) for item in value)
        if isinstance(value, int) and not isinstance(value, bool):
            return number(value)
        return value

    def __str__(self) -> str:
        return self.render()
