"""Users and roles: who may do what in which editions."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import DateTime, Index, String, delete, func, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from editions.content import ContentError, check_edition
from editions.languages import Edition
from editions.messages import _l
from editions.models import Base, Role, User, utcnow

MIN_PASSWORD_LENGTH = 10
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


class AccountError(ContentError):
    """A user that cannot be created or changed as asked."""


def create_user(
    session: Session,
    editions: Mapping[str, Edition],
    *,
    username: str,
    password: str,
    role: Role | str,
    edition_codes: Iterable[str] = (),
    display_name: str | None = None,
) -> User:
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise AccountError(
            _l("a username is 2–64 lowercase letters, digits, dots, dashes or underscores")
        )
    if session.scalars(select(User).where(User.username == username)).first() is not None:
        raise AccountError(_l("the user %(username)s already exists"), username=username)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _l("a password needs at least %(count)s characters"), count=MIN_PASSWORD_LENGTH
        )
    try:
        role = Role(role)
    except ValueError:
        raise AccountError(
            _l("unknown role %(role)s; roles are: %(roles)s"),
            role=role,
            roles=", ".join(member.value for member in Role),
        ) from None
    codes = [check_edition(editions, code).code for code in edition_codes]
    if role in (Role.TRANSLATOR, Role.EDITOR) and not codes:
        raise AccountError(
            _l("a translator works in at least one edition: choose one")
            if role is Role.TRANSLATOR
            else _l("an editor works in at least one edition: choose one")
        )
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=generate_password_hash(password),
        role=role,
        edition_codes=",".join(codes),
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalars(
        select(User).where(User.username == username.strip().lower(), User.active.is_(True))
    ).first()
    if user is not None and check_password_hash(user.password_hash, password):
        return user
    return None


# ---------------------------------------------------------------- what a role may do


class PermissionDenied(ContentError):
    """The acting user may not do this (a 403 on the web)."""


def may_edit_edition(user: User, edition: str) -> bool:
    """Coordinators and admins work in every edition; translators and editors in theirs."""
    if user.role in (Role.COORDINATOR, Role.ADMIN):
        return True
    return edition in user.editions


def may_coordinate(user: User) -> bool:
    """Assignments, exports and imports: coordinators and admins."""
    return user.role in (Role.COORDINATOR, Role.ADMIN)


def may_manage_users(user: User) -> bool:
    return user.role is Role.ADMIN


def check_may_edit(user: User, edition: str) -> None:
    if not may_edit_edition(user, edition):
        raise PermissionDenied(
            _l("%(username)s does not work in the %(edition)s edition"),
            username=user.username,
            edition=edition,
        )


def set_active(session: Session, acting: User, user: User, active: bool) -> None:
    if not may_manage_users(acting):
        raise PermissionDenied(_l("only an admin changes accounts"))
    if user.id == acting.id and not active:
        raise AccountError(_l("an admin cannot deactivate their own account"))
    user.active = active


# ---------------------------------------------------------------- signing in, rate-limited


class LoginFailure(Base):
    """A failed sign-in, kept for a while so every worker process counts the same attempts."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_username_created", "username", "created_at"),
        Index("ix_login_failures_address_created", "remote_addr", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    remote_addr: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


LOGIN_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USERNAME = 5
# Higher per address: several colleagues may sign in from one office behind one NAT.
MAX_FAILURES_PER_ADDRESS = 20


class LoginRefused(ContentError):
    """Wrong username or password (never says which)."""


class TooManyAttempts(ContentError):
    """Too many failed sign-ins for this name or from this address: wait and retry."""


def sign_in(
    session: Session, username: str, password: str, remote_addr: str, now: datetime | None = None
) -> User:
    """The user these credentials belong to; failures are recorded and limited.

    The caller must commit even when LoginRefused is raised, so the failure counts.
    """
    now = now or utcnow()
    username = username.strip().lower()[:64]
    remote_addr = (remote_addr or "unknown")[:64]
    since = now - LOGIN_WINDOW
    by_name, by_address = session.execute(
        select(
            func.count().filter(LoginFailure.username == username),
            func.count().filter(LoginFailure.remote_addr == remote_addr),
        ).where(
            LoginFailure.created_at >= since,
            or_(LoginFailure.username == username, LoginFailure.remote_addr == remote_addr),
        )
    ).one()
    if by_name >= MAX_FAILURES_PER_USERNAME or by_address >= MAX_FAILURES_PER_ADDRESS:
        raise TooManyAttempts(_l("too many failed sign-ins; try again in 15 minutes"))
    user = authenticate(session, username, password)
    if user is None:
        session.add(LoginFailure(username=username, remote_addr=remote_addr, created_at=now))
        session.flush()
        raise LoginRefused(_l("wrong username or password"))
    session.execute(delete(LoginFailure).where(LoginFailure.username == username))
    # Old failures of everyone are of no further use: keep the table small.
    session.execute(delete(LoginFailure).where(LoginFailure.created_at < since))
    return user


def users_select(active_only: bool = False):
    query = select(User).order_by(User.username)
    return query.where(User.active.is_(True)) if active_only else query
