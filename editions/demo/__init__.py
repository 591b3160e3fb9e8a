"""The demo site: fictional articles in four editions, showing every status.

Each article folder holds one file per edition; a ``<source>.rev2.md`` file is a
later edit of the source, applied after the translations, which makes them stale.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import yaml
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from editions.accounts.roles import create_user
from editions.content.articlefiles import ArticleFileError, read_article_file
from editions.content.articles import (
    ensure_tags,
    get_article,
    name_author,
    slugify,
    source_segments,
)
from editions.content.counterparts import import_counterpart, translate_segment
from editions.content.intake import create_from_file
from editions.content.sources import revise_source
from editions.core.languages import Edition
from editions.core.messages import _l
from editions.core.models import (
    Article,
    Counterpart,
    PublicationState,
    Role,
    SourceRevision,
    TranslationChange,
    User,
)
from editions.newsletter import Composition, MissingItems, NewsletterIssue, make_issue, teaser_key
from editions.translation.dashboard import CHART_DAYS
from editions.translation.glossary import EntryData, apply_rows
from editions.translation.progress import fill_missing_days

DEMO_ROOT = Path(__file__).parent
ARTICLES = DEMO_ROOT / "articles"


# Demo accounts, one per role, so the dashboard can be tried at once. Only the demo
# creates them; a real site creates its users with `editions users create`.
DEMO_PASSWORD = "editions-demo"
# When the demo's work happened, relative to an article's date: each edition's
# translators take a few days (the article id varies it), a later source edit comes
# three weeks on. Times past the moment of loading are the moment of loading.
TRANSLATION_DAYS = {"en": 4, "ar": 3, "fa": 2, "sq": 5}
REVISION_DAYS = 21
DEMO_USERS: tuple[tuple[str, Role, tuple[str, ...], str], ...] = (
    ("admin", Role.ADMIN, (), "Demo Admin"),
    ("coordinator", Role.COORDINATOR, (), "Demo Coordinator"),
    ("editor", Role.EDITOR, ("en", "fa", "sq"), "Demo Editor"),
    ("translator-ar", Role.TRANSLATOR, ("ar",), "مترجم تجريبي"),
    ("translator-fa", Role.TRANSLATOR, ("fa",), "مترجم آزمایشی"),
    ("translator-sq", Role.TRANSLATOR, ("sq",), "Përkthyes provë"),
)


@dataclass(frozen=True)
class DemoReport:
    created: int
    skipped: int
    users: tuple[str, ...] = ()


def demo_folders() -> list[Path]:
    return sorted(path for path in ARTICLES.iterdir() if path.is_dir())


def load_demo(
    session: Session,
    editions: Mapping[str, Edition],
    progress: Callable[[Path], None] | None = None,
) -> DemoReport:
    """Load every demo article not already there; loading twice adds nothing."""
    ensure_tags(session, _tag_labels(editions), _tag_labels(editions))
    created = skipped = 0
    for folder in demo_folders():
        if session.get(Article, int(folder.name)) is not None:
            skipped += 1
        else:
            _load_article(session, editions, folder)
            created += 1
        if progress:
            progress(folder)
    load_demo_newsletters(session, editions)
    load_demo_glossary(session, editions)
    _author_names(session, editions)
    today = date.today()
    # The chart's window before today, rebuilt from the times the demo's work was done.
    fill_missing_days(
        session, list(editions), today - timedelta(days=CHART_DAYS), today - timedelta(days=1)
    )
    return DemoReport(created=created, skipped=skipped, users=_demo_users(session, editions))


def load_demo_newsletters(session: Session, editions: Mapping[str, Edition]) -> None:
    """Compose the demo's newsletter issues (``newsletters.yaml``) from their articles: the
    issue's text is its newsletter article, the teasers are translated where it is.
    An issue already composed is left as it is."""
    issues = yaml.safe_load((DEMO_ROOT / "newsletters.yaml").read_text(encoding="utf-8"))
    for entry in issues:
        article = session.scalar(select(Article).where(Article.issue_number == entry["issue"]))
        if article is None or session.get(NewsletterIssue, article.id) is not None:
            continue
        teasers: dict[int, dict[str, str]] = entry.get("teasers", {})
        composition = Composition(
            articles=entry["articles"],
            teasers={item: texts[article.source_edition] for item, texts in teasers.items()},
            missing_items=MissingItems(entry["missing_items"]),
        )
        make_issue(session, article, composition)
        translated = session.scalars(
            select(Counterpart).where(
                Counterpart.article_id == article.id,
                Counterpart.edition != article.source_edition,
                Counterpart.edition.in_(list(editions)),
            )
        )
        segments = {segment.key: segment for segment in source_segments(session, article.id)}
        for counterpart in translated:
            for item, texts in teasers.items():
                if counterpart.edition in texts:
                    segment = segments[teaser_key(item)]
                    translate_segment(
                        session, counterpart, segment, texts[counterpart.edition], origin="import"
                    )
    session.flush()


def load_demo_glossary(session: Session, editions: Mapping[str, Edition]) -> None:
    """The demo glossary (``glossary.yaml``), in the configured editions; loading it twice
    changes nothing."""
    entries = yaml.safe_load((DEMO_ROOT / "glossary.yaml").read_text(encoding="utf-8"))
    rows = [
        EntryData(
            terms={code: term for code, term in entry["terms"].items() if code in editions},
            notes={code: note for code, note in entry.get("notes", {}).items() if code in editions},
            note=entry.get("note", ""),
            do_not_translate=entry.get("do_not_translate", False),
        )
        for entry in entries
    ]
    apply_rows(session, editions, [row for row in rows if row.terms])


def _demo_users(session: Session, editions: Mapping[str, Edition]) -> tuple[str, ...]:
    existing = set(session.scalars(select(User.username)))
    made = []
    for username, role, codes, name in DEMO_USERS:
        if username not in existing:
            create_user(
                session,
                editions,
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                edition_codes=[code for code in codes if code in editions],
                display_name=name,
            )
            made.append(username)
    return tuple(made)


def _author_names(session: Session, editions: Mapping[str, Edition]) -> None:
    names = yaml.safe_load((DEMO_ROOT / "authors.yaml").read_text(encoding="utf-8"))
    session.flush()
    for source_form, forms in names.items():
        for code, name in forms.items():
            if code in editions:
                name_author(session, editions, slugify(source_form), code, name)


def _tag_labels(editions: Mapping[str, Edition]) -> dict[str, dict[str, str]]:
    labels = yaml.safe_load((DEMO_ROOT / "tags.yaml").read_text(encoding="utf-8"))
    return {
        slug: {code: name for code, name in names.items() if code in editions}
        for slug, names in labels.items()
    }


def _load_article(session: Session, editions: Mapping[str, Edition], folder: Path) -> None:
    files = [read_article_file(path) for path in sorted(folder.glob("*.md"))]
    revisions = [file for file in files if file.name.count(".") > 1]
    editions_files = [file for file in files if file not in revisions]
    sources = [file for file in editions_files if file.is_source]
    if len(sources) != 1:
        raise ArticleFileError(folder.name, _l("exactly one file must name its source_edition"))
    source = sources[0]
    article = create_from_file(session, editions, source, user=None)
    when = _demo_time(article.published_on)
    session.flush()
    _happened(session, article.id, None, when(0))
    for file in editions_files:
        if file is not source and file.edition in editions:
            counterpart = import_counterpart(
                session, editions, article, file.edition, file.text, state=file.state
            )
            session.flush()
            days = TRANSLATION_DAYS.get(file.edition, 3) + article.id % 3
            _happened(session, article.id, counterpart.id, when(days))
    for revision in sorted(revisions, key=lambda file: file.name):
        revise_source(session, get_article(session, article.id), revision.text)
        session.flush()
        session.execute(
            update(SourceRevision)
            .where(SourceRevision.article_id == article.id, SourceRevision.number > 1)
            .values(created_at=when(REVISION_DAYS))
        )
    session.flush()


def _demo_time(published_on: date):
    start = datetime.combine(published_on, time(9), tzinfo=UTC)
    now = datetime.now(UTC)
    return lambda days: min(start + timedelta(days=days), now)


def _happened(session: Session, article_id: int, counterpart_id: int | None, at: datetime) -> None:
    """Date the demo's work: the source's first revision, or one counterpart's translation."""
    if counterpart_id is None:
        session.execute(update(Article).where(Article.id == article_id).values(created_at=at))
        revisions = SourceRevision.article_id == article_id
        session.execute(update(SourceRevision).where(revisions).values(created_at=at))
        counterparts = Counterpart.article_id == article_id
    else:
        counterparts = Counterpart.id == counterpart_id
        session.execute(
            update(TranslationChange)
            .where(TranslationChange.counterpart_id == counterpart_id)
            .values(created_at=at)
        )
    session.execute(update(Counterpart).where(counterparts).values(created_at=at))
    session.execute(
        update(Counterpart)
        .where(counterparts, Counterpart.state == PublicationState.PUBLISHED)
        .values(published_at=at)
    )
