"""Whether an edition of an issue may go out (as an email or a PDF), and why not.

An edition that is not ready is refused, unless the coordinator sends it anyway: then
the issue's policy for missing items decides what its readers see (``Readiness.shown``).
An edition without a published text of the issue, or with no article left to show, is
refused either way: there would be nothing to send.
"""

from __future__ import annotations

from editions.content.status import Status
from editions.core.messages import Message, _l, _n
from editions.newsletter.composition import NewsletterError
from editions.newsletter.models import MissingItems
from editions.newsletter.readiness import Readiness

POLICIES = {
    MissingItems.LEAVE_OUT: _l("leave out the missing articles"),
    MissingItems.LINK_TO_SOURCE: _l("link the missing articles to the original"),
}


def check_sendable(
    number: int,
    state: Readiness,
    policy: MissingItems,
    *,
    shown: int,
    anyway: bool,
    language: str,
) -> None:
    """Refuse issue ``number`` in ``state.edition`` unless it may go out; ``shown`` is
    how many articles its readers would see there, ``language`` the edition's language
    as the reader of the refusal names it."""
    if state.ready:
        return
    if not anyway:
        raise NewsletterError(
            _l(
                "issue %(number)s is not ready in %(edition)s: %(problems)s. Send it anyway "
                "to apply the issue's policy: %(policy)s"
            ),
            number=number,
            edition=state.edition,
            problems=not_ready(state, language),
            policy=Message(POLICIES[policy]),
        )
    if shown == 0:
        raise NewsletterError(
            _l("issue %(number)s has no article to show in %(edition)s"),
            number=number,
            edition=state.edition,
        )


def not_ready(state: Readiness, language: str) -> tuple[Message, ...]:
    """What keeps an edition from being ready, one message per problem, naming the
    edition's language as ``language`` (its name in the reader's language):
    "2 of 6 articles have no Persian counterpart", "the introduction is stale"."""
    problems = []
    if state.text is Status.MISSING:
        problems.append(
            Message(_l("the introduction has no %(language)s counterpart"), {"language": language})
        )
    elif state.text is Status.DRAFT:
        problems.append(
            Message(
                _l("the introduction is not yet published in %(language)s"),
                {"language": language},
            )
        )
    elif state.text is Status.STALE:
        problems.append(Message(_l("the introduction is stale")))
    total = len(state.items)
    if state.missing:
        problems.append(
            _n(
                "%(num)s of %(total)s articles has no %(language)s counterpart",
                "%(num)s of %(total)s articles have no %(language)s counterpart",
                state.missing,
                total=total,
                language=language,
            )
        )
    if state.draft:
        problems.append(
            _n(
                "%(num)s of %(total)s articles is not yet published in %(language)s",
                "%(num)s of %(total)s articles are not yet published in %(language)s",
                state.draft,
                total=total,
                language=language,
            )
        )
    if state.stale:
        problems.append(
            _n(
                "%(num)s of %(total)s articles is stale in %(language)s",
                "%(num)s of %(total)s articles are stale in %(language)s",
                state.stale,
                total=total,
                language=language,
            )
        )
    return tuple(problems)


__all__ = ["check_sendable", "not_ready"]
