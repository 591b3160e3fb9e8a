"""Parts of every page that depend on the edition alone, rendered once per process.

The site menu and the footer hold about thirty links and labels: rendering them for
every request was a third of an article page's time. Their only inputs are the
edition, the catalogs and the templates, so they are kept per edition (and per year,
for the copyright line); a new release restarts the processes that hold them.
"""

from __future__ import annotations

from datetime import date

from flask import current_app, render_template
from markupsafe import Markup

from webapp.i18n import current_edition


def fragment(template: str) -> Markup:
    cache: dict[tuple[str, str, int], Markup] = current_app.extensions.setdefault(
        "reader_fragments", {}
    )
    key = (template, current_edition().code, date.today().year)
    html = cache.get(key)
    if html is None:
        html = cache[key] = Markup(render_template(template))
    return html
