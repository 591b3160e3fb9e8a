"""The public site: editions' homes, articles, listings, search, feeds and discovery.

Modules: ``views`` (pages), ``feeds`` (Atom, sitemap, robots.txt), ``navigation``
(the editions switcher, hreflang and absolute URLs), ``caching`` (validators and
headers), ``queries`` (what the pages read, in as few statements as possible),
``newsletter`` and ``issues`` (the newsletter's pages and what they read), ``share``
(share links built on the server).
"""

from webapp.reader import feeds, newsletter, views  # noqa: F401 - attach their routes
from webapp.reader.blueprint import blueprint

__all__ = ["blueprint"]
