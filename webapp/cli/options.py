"""What several commands share: options, and reading users and files named on the command line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click
from sqlalchemy import select

from editions.core.batches import BATCH_SECONDS, BATCH_SIZE
from editions.core.models import User
from webapp.database import db, settings

F = TypeVar("F", bound=Callable[..., object])


def batch_options(command: F) -> F:
    """``--batch-size`` and ``--batch-seconds``: how much one transaction of an import holds."""
    command = click.option(
        "--batch-seconds",
        type=click.FloatRange(0, 3600),
        default=BATCH_SECONDS,
        show_default=True,
        help="A batch also ends at the next article after this many seconds.",
    )(command)
    return click.option(
        "--batch-size",
        type=click.IntRange(1, 100_000),
        default=BATCH_SIZE,
        show_default=True,
        help="Articles per transaction at most: the site's writers wait at most one batch.",
    )(command)


def user_named(username: str | None) -> User | None:
    """The user given with ``--user``, None when the option is left out."""
    if username is None:
        return None
    user = db().scalars(select(User).where(User.username == username.lower())).one_or_none()
    if user is None:
        raise click.BadParameter(f"there is no user {username!r}", param_hint="--user")
    return user


def read_within_limit(file: Path) -> bytes:
    """A file to import, refused past the upload limit the web pages keep too."""
    limit = settings().max_upload_bytes
    size = file.stat().st_size
    if size > limit:
        raise click.ClickException(
            f"{file.name}: the file is {size:,} bytes; the limit is {limit:,}"
        )
    return file.read_bytes()
