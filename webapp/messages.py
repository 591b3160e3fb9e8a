"""Domain messages shown in the reader's language (see editions/core/messages.py)."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_translations, gettext

from editions.core.errors import EditionsError
from editions.core.messages import Message
from webapp.i18n import localdigits


def describe(error: EditionsError | Message) -> str:
    """What went wrong, through the interface catalog of the current request."""
    message = error if isinstance(error, Message) else error.message
    return message.render(gettext, localdigits, get_translations().ngettext)


def init_app(app: Flask) -> None:
    app.add_template_filter(describe)
