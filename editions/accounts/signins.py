"""Signed-in sessions kept on the server, so signing out ends them everywhere at once.

The session cookie is signed but not secret-bound to the server: a copy of it stayed
valid for its whole lifetime after the person signed out. Now the cookie carries the id
of a ``SignIn`` row; signing out deletes the row, and a cookie whose row is gone (or
older than the lifetime) signs nobody in, on every app server alike.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import DateTime, ForeignKey, Index, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from editions.core.models import Base, User, utcnow

LIFETIME = timedelta(hours=12)


class SignIn(Base):
    __tablename__ = "sign_ins"
    __table_args__ = (Index("ix_sign_ins_created_at", "created_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def start_sign_in(session: Session, user: User) -> str:
    """A new server-side session for ``user``; expired ones are swept on the way."""
    session.execute(delete(SignIn).where(SignIn.created_at < utcnow() - LIFETIME))
    sign_in_id = secrets.token_urlsafe(32)
    session.add(SignIn(id=sign_in_id, user_id=user.id))
    session.flush()
    return sign_in_id


def signed_in_user(session: Session, sign_in_id: str) -> User | None:
    """The active user of a live session, or None (signed out, expired, deactivated)."""
    return session.scalars(
        select(User)
        .join(SignIn, SignIn.user_id == User.id)
        .where(
            SignIn.id == sign_in_id,
            SignIn.created_at >= utcnow() - LIFETIME,
            User.active.is_(True),
        )
    ).first()


def end_sign_in(session: Session, sign_in_id: str) -> None:
    session.execute(delete(SignIn).where(SignIn.id == sign_in_id))
