"""API tokens: made for a user by an admin, shown once, kept only as a hash, revocable.

A token is 32 random bytes, so a fast hash (SHA-256) is enough: nobody can guess one
from its hash, and a look-up by hash needs no per-token salt.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Select, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from editions.content import ContentError
from editions.messages import _l
from editions.models import Base, User, utcnow

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


def user_for_token(session: Session, secret: str) -> User | None:
    """The active user a live token belongs to, or None; records when it was last used."""
    row = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(
            ApiToken.token_hash == _hash(secret),
            ApiToken.revoked_at.is_(None),
            User.active.is_(True),
        )
    ).one_or_none()
    if row is None:
        return None
    token, user = row
    token.last_used_at = utcnow()
    return user


def revoke_token(session: Session, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise TokenError(_l("there is no token %(token_id)s"), token_id=token_id)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    return token


def tokens_select(username: str | None = None) -> Select[tuple[ApiToken, User]]:
    query = select(ApiToken, User).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id)
    if username is not None:
        query = query.where(User.username == username)
    return query
