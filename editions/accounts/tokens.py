"""API tokens: made for a user by an admin, shown once, kept only as a hash, revocable.

A token is 32 random bytes, so a fast hash (SHA-256) is enough: nobody can guess one
from its hash, and a look-up by hash needs no per-token salt.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import DateTime, ForeignKey, Select, String, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from editions.core.errors import ContentError
from editions.core.messages import _l
from editions.core.models import Base, User, utcnow

PREFIX = "edt_"
SHOWN_CHARACTERS = 8  # enough of a token to tell it apart in a list, too little to use it


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    shown: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(lazy="raise")

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class TokenError(ContentError):
    """A token that cannot be made or revoked as asked."""


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; the secret is returned once and never stored."""
    if not user.active:
        raise TokenError(_l("%(username)s is deactivated"), username=user.username)
    name = name.strip()
    if not name:
        raise TokenError(_l("a token needs a name saying what uses it, e.g. 'newsroom CMS'"))
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name[:120],
        token_hash=_hash(secret),
        shown=secret[: len(PREFIX) + SHOWN_CHARACTERS],
    )
    session.add(token)
    session.flush()
    return token, secret


def user_for_token(session: Session, secret: str) -> tuple[User, ApiToken] | None:
    """The active user a live token belongs to, and the token; None for no such token.

    Reads only: requests that read look tokens up too, so the caller records the use
    (``record_token_use``) in a write transaction of its own when ``use_due`` says so.
    """
    row = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(
            ApiToken.token_hash == _hash(secret),
            ApiToken.revoked_at.is_(None),
            User.active.is_(True),
        )
    ).one_or_none()
    return None if row is None else (row[1], row[0])


# The token list shows when a token was last used to the minute: recording it more often
# would make every API read a write.
USE_RECORDED_EVERY = timedelta(minutes=1)


def use_due(token: ApiToken) -> bool:
    last = token.last_used_at
    if last is None:
        return True
    if last.tzinfo is None:  # SQLite keeps no time zone: it was written in UTC
        last = last.replace(tzinfo=UTC)
    return utcnow() - last >= USE_RECORDED_EVERY


def record_token_use(session: Session, token_id: int) -> None:
    session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=utcnow()))


def revoke_token(session: Session, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise TokenError(_l("there is no token %(token_id)s"), token_id=token_id)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    return token


def tokens_select(username: str | None = None) -> Select[ApiToken, User]:
    query = select(ApiToken, User).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id)
    if username is not None:
        query = query.where(User.username == username)
    return query
