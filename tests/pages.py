"""The page set every checker walks: each page type, reader and staff, in one edition.

Reader pages are under the edition's prefix; staff pages are in the interface language
of the ``edition`` cookie. ``account`` is the demo account a page needs (None: signed out).
"""

from __future__ import annotations

from dataclasses import dataclass

from editions.demo import DEMO_PASSWORD

SEARCHED = {"en": "library", "ar": "مكتبة", "fa": "کتابخانه", "sq": "bibliotek"}


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    account: str | None = None
    status: int = 200


def reader_pages(code: str) -> list[Page]:
    pages = [
        Page("home", f"/{code}/"),
        Page("article", f"/{code}/posts/16009"),
        Page("section", f"/{code}/category/articles"),
        Page("tag", f"/{code}/tag/culture"),
        Page("author", f"/{code}/author/erion-dushku"),
        Page("search", f"/{code}/search?q={SEARCHED[code]}"),
        Page("newsletter", f"/{code}/newsletter/128"),
        Page("newsletter archive", f"/{code}/newsletter/"),
        Page("newsletter, originals linked", f"/{code}/newsletter/127"),
        # Issue 129 has an English and an Albanian introduction only.
        Page("newsletter 129", f"/{code}/newsletter/129", status=200 if code in "en sq" else 404),
        Page("404", f"/{code}/no-such-page", status=404),
    ]
    if code != "en":  # every demo article has an English counterpart
        pages.append(Page("not in this edition", f"/{code}/posts/16021", status=404))
    return pages


def staff_pages(code: str) -> list[Page]:
    target = "sq" if code == "en" else code
    return [
        Page("login", "/login"),
        Page("dashboard", "/dashboard/?per_page=10", "admin"),
        Page("editor", f"/dashboard/{target}/posts/16009", "admin"),
        Page("editor, no counterpart yet", "/dashboard/sq/posts/16004", "admin"),
        Page("translation history", f"/dashboard/{target}/posts/16009/history", "admin"),
        Page("exchange", "/dashboard/exchange/", "admin"),
        Page("authoring", "/dashboard/articles/16009/edit", "admin"),
        Page("new article", "/dashboard/articles/new", "admin"),
        Page("revisions", "/dashboard/articles/16009/history", "admin"),
        Page("users", "/admin/users", "admin"),
        Page("glossary", "/dashboard/glossary/", "admin"),
        Page("newsletter email", f"/dashboard/newsletter/128/email/{target}", "admin"),
        Page("queue", "/dashboard/queue", "translator-fa"),
        Page("newsletter issues", "/dashboard/newsletters/", "admin"),
        Page("newsletter composition", "/dashboard/newsletters/128?q=library", "admin"),
    ]


def every_page(code: str) -> list[Page]:
    return reader_pages(code) + staff_pages(code)


def sign_in_form(account: str) -> dict[str, str]:
    return {"username": account, "password": DEMO_PASSWORD}
