"""Users and roles: who may do what in which editions."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from functools import cache
from typing import cast

from sqlalchemy import DateTime, Integer, String, Table, case, delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from editions.core.errors import ContentError, check_edition
from editions.core.languages import Edition
from editions.core.messages import _l
from editions.core.models import Base, Role, User, utcnow

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
    """The active user with these credentials; one password hash is checked either way."""
    user = session.scalars(
        select(User).where(User.username == username.strip().lower(), User.active.is_(True))
    ).first()
    stored = user.password_hash if user is not None else _dummy_hash()
    if check_password_hash(stored, password) and user is not None:
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
#
# Failed sign-ins are counted per address and per username *and* address, never per
# username alone: a limit on a name lets anyone lock its owner out, admin included, from
# anywhere. Guessing one password from many addresses is bounded by the addresses'
# limits; the owner signs in from theirs as usual.
#
# The counters live in the database, the store every worker and every server already
# share (SQLite for one server, PostgreSQL for several): a Redis would be one more
# service to run and secure for a few writes a minute. Each attempt increments its
# counters in one atomic upsert before the password is checked, so parallel attempts
# cannot slip past the limit, and the counters reset when their window has passed.


class SignInThrottle(Base):
    """Failed sign-ins for one key (``address:…`` or ``account:…``) in the current window."""

    __tablename__ = "sign_in_throttles"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    window_started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


LOGIN_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USERNAME_AND_ADDRESS = 5
# Higher per address: several colleagues may sign in from one office behind one NAT.
MAX_FAILURES_PER_ADDRESS = 20


class LoginRefused(ContentError):
    """Wrong username or password (never says which)."""


class TooManyAttempts(ContentError):
    """Too many failed sign-ins for this name from this address, or from this address."""


@cache
def _dummy_hash() -> str:
    """A hash made like every user's, checked when there is no such user: the answer
    takes as long, so its time tells nobody which usernames exist."""
    return generate_password_hash(secrets.token_urlsafe(16))


def _throttle_keys(username: str, remote_addr: str) -> tuple[str, str]:
    return f"address:{remote_addr}"[:200], f"account:{remote_addr}/{username}"[:200]


def _count_attempt(session: Session, key: str, now: datetime) -> int:
    """Count one more attempt under ``key`` (a fresh window once the last one is over)."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    table = cast(Table, SignInThrottle.__table__)
    expired = table.c.window_started_at < now - LOGIN_WINDOW
    statement = (
        insert(table)
        .values(key=key, failures=1, window_started_at=now)
        .on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "failures": case((expired, 1), else_=table.c.failures + 1),
                "window_started_at": case((expired, now), else_=table.c.window_started_at),
            },
        )
        .returning(table.c.failures)
    )
    return session.execute(statement).scalar_one()


def sign_in(
    session: Session, username: str, password: str, remote_addr: str, now: datetime | None = None
) -> User:
    """The user these credentials belong to; attempts are counted and limited.

    The caller must commit even when LoginRefused is raised, so the failure counts.
    """
    now = now or utcnow()
    username = username.strip().lower()[:64]
    address_key, account_key = _throttle_keys(username, (remote_addr or "unknown")[:64])
    from_address = _count_attempt(session, address_key, now)
    for_account = _count_attempt(session, account_key, now)
    if (
        from_address > MAX_FAILURES_PER_ADDRESS
        or for_account > MAX_FAILURES_PER_USERNAME_AND_ADDRESS
    ):
        raise TooManyAttempts(_l("too many failed sign-ins; try again in 15 minutes"))
    user = authenticate(session, username, password)
    if user is None:
        raise LoginRefused(_l("wrong username or password"))
    # A success was no failure: this account starts afresh here, the address gets its
    # attempt back, and windows over for everyone are of no further use.
    session.execute(delete(SignInThrottle).where(SignInThrottle.key == account_key))
    session.execute(
        update(SignInThrottle)
        .where(SignInThrottle.key == address_key)
        .values(failures=SignInThrottle.failures - 1)
    )
    session.execute(
        delete(SignInThrottle).where(SignInThrottle.window_started_at < now - LOGIN_WINDOW)
    )
    return user


def users_select(active_only: bool = False):
    query = select(User).order_by(User.username)
    return query.where(User.active.is_(True)) if active_only else query
