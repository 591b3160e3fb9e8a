"""The past of the "up to date over time" chart, read from the history in the database.

A snapshot (``StatusSnapshot``) records a day's counts as they were; a site installed
today, or a dashboard nobody opened for a week, has none for the days before. Those
days are not unknown: every source revision, every translated segment and every
counterpart carries its time. ``fill_missing_days`` rebuilds each missing day's
counts from them and keeps them as that day's snapshot, so the chart of a new site
shows its history at once and a day never recorded is drawn from what happened.

The status of an article in an edition at the end of a past day follows the rules of
``editions.content.status`` at day granularity: not counted before the article's first
revision; ``missing`` before its counterpart was created; ``draft`` until the
counterpart was published; then ``stale`` when a source revision (not a minor edit)
came after the counterpart's last translated segment, else ``current``. From the day
of an article's latest event on, its kept status (``StatusEntry``) is the truth, so
the rebuilt past always meets today's counts. Articles with no event in the window
keep their kept status on every day of it; only the others are read.
Rebuilt days carry no word counts (``words_*`` are 0): the chart draws shares only.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from editions.content.status import Status, StatusEntry, refresh_pending_status
from editions.core.models import (
    Article,
    Counterpart,
    PublicationState,
    SourceRevision,
    TranslationChange,
)
from editions.translation.dashboard import EditionSummary, StatusSnapshot, record_snapshot, summary

_CHUNK = 1000


@dataclass
class _Article:
    source_edition: str
    created: date | None = None  # the day of the first revision
    revised: list[date] = field(default_factory=list)  # later revisions that are not minor
    last_event: date | None = None


@dataclass
class _Counterpart:
    created: date
    published: date | None
    translated: list[date] = field(default_factory=list)


def _day(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date()


def _later(*days: date | None) -> date | None:
    known = [day for day in days if day is not None]
    return max(known) if known else None


def missing_days(session: Session, codes: Sequence[str], days: Sequence[date]) -> list[date]:
    """The days among ``days`` that some edition has no snapshot for."""
    kept = set(
        session.execute(
            select(StatusSnapshot.day, StatusSnapshot.edition).where(
                StatusSnapshot.day.in_(list(days)), StatusSnapshot.edition.in_(list(codes))
            )
        )
    )
    return [day for day in days if any((day, code) not in kept for code in codes)]


def fill_missing_days(session: Session, codes: Sequence[str], first: date, last: date) -> int:
    """Keep a snapshot rebuilt from the history for every day from ``first`` to ``last``
    (both included) that has none; days already kept are left as they are. Returns the
    number of days filled."""
    days = missing_days(
        session, codes, [first + timedelta(days=n) for n in range((last - first).days + 1)]
    )
    if not days:
        return 0
    counts = rebuild(session, codes, days)
    for day in days:
        record_snapshot(session, counts[day], day, replace=False)
    return len(days)


def rebuild(
    session: Session, codes: Sequence[str], days: Sequence[date]
) -> dict[date, list[EditionSummary]]:
    """Each day's counts per edition, rebuilt from revision, translation and
    publication times (see the module docstring)."""
    refresh_pending_status(session)
    since = datetime.combine(min(days), time.min, tzinfo=UTC)
    now = summary(session, codes)
    tallies = {day: {item.edition: _tally(item) for item in now} for day in days}
    active = _articles_changed_since(session, since)
    for start in range(0, len(active), _CHUNK):
        chunk = active[start : start + _CHUNK]
        articles = _articles(session, chunk)
        counterparts = _counterparts(session, chunk, codes)
        kept = session.execute(
            select(StatusEntry.article_id, StatusEntry.edition, StatusEntry.status).where(
                StatusEntry.article_id.in_(chunk), StatusEntry.edition.in_(list(codes))
            )
        )
        for article_id, code, status in kept:
            article = articles.get(article_id)
            if article is None:
                continue
            counterpart = counterparts.get((article_id, code))
            last_event = _later(
                article.last_event,
                counterpart.created if counterpart else None,
                counterpart.published if counterpart else None,
                *(counterpart.translated[-1:] if counterpart else ()),
            )
            for day in days:
                if last_event is not None and day >= last_event:
                    continue  # the kept status holds from the latest event on
                tally = tallies[day][code]
                tally[Status(status)] -= 1
                then = _status_on(day, code, article, counterpart, Status(status))
                if then is not None:
                    tally[then] += 1
    return {
        day: [
            EditionSummary(
                code,
                current=tally[Status.CURRENT],
                stale=tally[Status.STALE],
                draft=tally[Status.DRAFT],
                missing=tally[Status.MISSING],
            )
            for code, tally in tallies[day].items()
        ]
        for day in days
    }


def _tally(item: EditionSummary) -> dict[Status, int]:
    return {
        Status.CURRENT: item.current,
        Status.STALE: item.stale,
        Status.DRAFT: item.draft,
        Status.MISSING: item.missing,
    }


def _status_on(
    day: date,
    code: str,
    article: _Article,
    counterpart: _Counterpart | None,
    kept: Status,
) -> Status | None:
    """The status at the end of ``day``, or None when the article did not exist yet."""
    if article.created is None or article.created > day:
        return None
    if code == article.source_edition:
        return kept  # the source is as published as it is now from its first revision
    if counterpart is None or counterpart.created > day:
        return Status.MISSING
    if counterpart.published is None or counterpart.published > day:
        return Status.DRAFT
    revised = article.revised[: bisect_right(article.revised, day)]
    translated = counterpart.translated[: bisect_right(counterpart.translated, day)]
    if revised and (not translated or revised[-1] > translated[-1]):
        return Status.STALE
    return Status.CURRENT


def _articles_changed_since(session: Session, since: datetime) -> list[int]:
    changed: set[int] = set()
    changed.update(
        session.scalars(select(SourceRevision.article_id).where(SourceRevision.created_at >= since))
    )
    changed.update(
        session.scalars(
            select(Counterpart.article_id)
            .join(TranslationChange, TranslationChange.counterpart_id == Counterpart.id)
            .where(TranslationChange.created_at >= since)
            .distinct()
        )
    )
    changed.update(
        session.scalars(
            select(Counterpart.article_id).where(
                or_(Counterpart.created_at >= since, Counterpart.published_at >= since)
            )
        )
    )
    return sorted(changed)


def _articles(session: Session, ids: Iterable[int]) -> dict[int, _Article]:
    articles = {
        article_id: _Article(source_edition)
        for article_id, source_edition in session.execute(
            select(Article.id, Article.source_edition).where(Article.id.in_(list(ids)))
        )
    }
    revisions = session.execute(
        select(
            SourceRevision.article_id,
            SourceRevision.number,
            SourceRevision.minor,
            SourceRevision.created_at,
        )
        .where(SourceRevision.article_id.in_(list(articles)))
        .order_by(SourceRevision.article_id, SourceRevision.number)
    )
    for article_id, number, minor, created_at in revisions:
        article, day = articles[article_id], _day(created_at)
        assert day is not None
        article.last_event = _later(article.last_event, day)
        if number == 1 or article.created is None:
            article.created = day
        elif not minor:
            article.revised.append(day)
    for article in articles.values():
        article.revised.sort()
    return articles


def _counterparts(
    session: Session, ids: Sequence[int], codes: Sequence[str]
) -> dict[tuple[int, str], _Counterpart]:
    found: dict[tuple[int, str], _Counterpart] = {}
    by_id: dict[int, _Counterpart] = {}
    rows = session.execute(
        select(
            Counterpart.id,
            Counterpart.article_id,
            Counterpart.edition,
            Counterpart.created_at,
            Counterpart.published_at,
            Counterpart.state,
        ).where(Counterpart.article_id.in_(list(ids)), Counterpart.edition.in_(list(codes)))
    )
    for counterpart_id, article_id, code, created_at, published_at, state in rows:
        created = _day(created_at)
        assert created is not None
        published = _day(published_at) if state is PublicationState.PUBLISHED else None
        if state is PublicationState.PUBLISHED and published is None:
            published = created  # published before publication times were recorded
        entry = _Counterpart(created, published)
        found[(article_id, code)] = by_id[counterpart_id] = entry
    translated: defaultdict[int, set[date]] = defaultdict(set)
    for counterpart_id, created_at in session.execute(
        select(TranslationChange.counterpart_id, TranslationChange.created_at).where(
            TranslationChange.counterpart_id.in_(list(by_id))
        )
    ):
        day = _day(created_at)
        assert day is not None
        translated[counterpart_id].add(day)
    for counterpart_id, days in translated.items():
        by_id[counterpart_id].translated = sorted(days)
    return found
