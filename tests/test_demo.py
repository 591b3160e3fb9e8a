"""The demo site shows every status, in four real languages."""

import re
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from editions.content.status import Status, compute_status
from editions.core.models import Article, Counterpart, Section
from editions.demo import ARTICLES, demo_folders, load_demo


def test_the_demo_has_every_status_and_sources_in_three_editions(session, editions):
    report = load_demo(session, editions)
    assert report.created >= 24
    rows = compute_status(session, list(editions))
    assert set(Counter(row.status for row in rows)) == set(Status)
    sources = Counter(session.scalars(select(Article.source_edition)))
    assert sources["fa"] + sources["sq"] >= 3
    sections = set(session.scalars(select(Article.section)))
    assert sections == set(Section)
    stale = [row for row in rows if row.status is Status.STALE]
    assert all(row.segments_stale >= 1 and row.segments_to_translate >= 1 for row in stale)


def test_loading_the_demo_twice_adds_nothing(session, editions):
    load_demo(session, editions)
    counterparts = session.scalar(select(func.count()).select_from(Counterpart))
    report = load_demo(session, editions)
    assert report.created == 0 and report.skipped == len(demo_folders())
    assert session.scalar(select(func.count()).select_from(Counterpart)) == counterparts


def test_the_demo_newsletters_are_compositions_showing_every_readiness_state(demo_app):
    from webapp.database import state

    with demo_app.app_context(), state().sessions() as session:
        _every_readiness_state(session, list(state().settings.editions))


def _every_readiness_state(session, editions):
    from editions.newsletter import NewsletterIssue, readiness

    issues = {
        issue.introduction.issue_number: issue
        for issue in session.scalars(
            select(NewsletterIssue).options(selectinload(NewsletterIssue.introduction))
        )
    }
    assert sorted(issues) == [127, 128, 129]
    found = readiness(session, [issue.article_id for issue in issues.values()], list(editions))
    entries = list(found.values())
    assert any(entry.ready for entry in entries)
    for status in (Status.MISSING, Status.STALE):
        assert any(entry.text is status for entry in entries), status
    for status in (Status.MISSING, Status.DRAFT, Status.STALE):
        assert any(entry.count(status) for entry in entries), status
    # Issue 127 lacks only one Albanian counterpart: its text is translated everywhere.
    albanian = found[(issues[127].article_id, "sq")]
    assert (albanian.text, albanian.missing, len(albanian.items)) == (Status.CURRENT, 1, 5)
    assert all(found[(issues[127].article_id, code)].ready for code in ("en", "ar", "fa"))


def test_persian_demo_text_uses_persian_letters_not_arabic_yeh_and_kaf():
    for path in ARTICLES.glob("*/fa*.md"):
        assert not re.search("[يك]", path.read_text(encoding="utf-8")), path


def test_the_demo_creates_one_account_per_role_once(session, editions):
    from editions.accounts.roles import authenticate
    from editions.demo import DEMO_PASSWORD, DEMO_USERS

    first = load_demo(session, editions)
    assert set(first.users) == {username for username, *_ in DEMO_USERS}
    assert load_demo(session, editions).users == ()
    translator = authenticate(session, "translator-fa", DEMO_PASSWORD)
    assert translator is not None and translator.editions == ("fa",)
