"""Whether an edition of an issue may go out (as an email or a PDF), and why not.

An edition that is not ready is refused, unless the coordinator sends it anyway: then
the issue's policy for missing items decides what its readers see (``Readiness.shown``).
An edition without a published text of the issue, or with no article left to show, is
refused either way: there would be nothing to send.
"""

from __future__ import annotations

from editions.content.status import Status
from editions.core.messages import Message, _l
from editions.newsletter.composition import NewsletterError
from editions.newsletter.models import MissingItems
from editions.newsletter.readiness import Readiness

POLICIES = {
    MissingItems.LEAVE_OUT: _l("leave out the missing articles"),
    MissingItems.LINK_TO_SOURCE: _l("link the missing articles to the original"),
}
INTRODUCTION = {
    Status.MISSING: _l("the introduction is not translated"),
    Status.DRAFT: _l("the introduction is a draft"),
    Status.STALE: _l("the introduction is stale"),
}


def check_sendable(
    number: int, state: Readiness, policy: MissingItems, *, shown: int, anyway: bool
) -> None:
    """Refuse issue ``number`` in ``state.edition`` unless it may go out; ``shown`` is
    how many articles its readers would see there."""
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
            problems=not_ready(state),
            policy=Message(POLICIES[policy]),
        )
    if shown == 0:
        raise NewsletterError(
            _l("issue %(number)s has no article to show in %(edition)s"),
            number=number,
            edition=state.edition,
        )


def not_ready(state: Readiness) -> tuple[Message, ...]:
    """What keeps an edition from being ready, one message per problem."""
    problems = []
    if state.text is not Status.CURRENT:
        problems.append(Message(INTRODUCTION[state.text]))
    total = len(state.items)
    for status, template in (
        (Status.MISSING, _l("%(count)s of %(total)s articles have no counterpart")),
        (Status.DRAFT, _l("%(count)s of %(total)s articles are drafts")),
        (Status.STALE, _l("%(count)s of %(total)s articles are stale")),
    ):
        count = state.count(status)
        if count:
            problems.append(Message(template, {"count": count, "total": total}))
    return tuple(problems)


__all__ = ["check_sendable", "not_ready"]
