"""Share links built on the server: plain addresses of each network's share form, with
the page's absolute URL and title. No third-party script, button or pixel is loaded:
nothing reaches a network until the reader follows a link."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from flask_babel import gettext as _

from webapp.reader.navigation import absolute


@dataclass(frozen=True)
class ShareLink:
    network: str  # a stable name for styling and tests
    label: str  # what the link says, in the reader's language
    url: str


def share_links(path: str, title: str) -> list[ShareLink]:
    """Links sharing the page at ``path`` (a site path) under ``title``."""
    url = quote(absolute(path), safe="")
    text = quote(title, safe="")
    return [
        ShareLink(
            "telegram",
            _("Share on %(network)s", network="Telegram"),
            f"https://t.me/share/url?url={url}&text={text}",
        ),
        ShareLink(
            "whatsapp",
            _("Share on %(network)s", network="WhatsApp"),
            f"https://wa.me/?text={text}%20{url}",
        ),
        ShareLink(
            "x",
            _("Share on %(network)s", network="X"),
            f"https://twitter.com/intent/tweet?url={url}&text={text}",
        ),
        ShareLink(
            "facebook",
            _("Share on %(network)s", network="Facebook"),
            f"https://www.facebook.com/sharer/sharer.php?u={url}",
        ),
        ShareLink("email", _("Share by email"), f"mailto:?subject={text}&body={url}"),
    ]
