"""``editions users create`` and ``editions tokens``: accounts and their API tokens."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from editions.accounts.roles import create_user
from editions.accounts.tokens import create_token, revoke_token, tokens_select
from editions.core.models import Role
from webapp.cli.options import user_named
from webapp.database import db, settings


@click.group(cls=AppGroup)
def users() -> None:
    """Accounts of translators, editors, coordinators and admins."""


@users.command("create")
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    required=True,
    help="What the user may do.",
)
@click.option(
    "--edition", "edition_codes", multiple=True, help="An edition they work in (repeatable)."
)
@click.option("--name", "display_name", help="The name shown to colleagues.")
@click.password_option(envvar="EDITIONS_NEW_PASSWORD", help="Asked for when not given.")
def users_create(
    username: str,
    role: str,
    edition_codes: tuple[str, ...],
    display_name: str | None,
    password: str,
) -> None:
    """Create a user (the password is asked for, or read from EDITIONS_NEW_PASSWORD)."""
    user = create_user(
        db(),
        settings().editions,
        username=username,
        password=password,
        role=role,
        edition_codes=edition_codes,
        display_name=display_name,
    )
    db().commit()
    click.echo(f"created {user.role.value} {user.username}")


@click.group(cls=AppGroup)
def tokens() -> None:
    """API tokens: created for a user, shown once, stored hashed, revocable."""


@tokens.command("create")
@click.option("--user", "username", required=True, help="The account the token acts as.")
@click.option("--name", default="API", show_default=True, help="What uses it, e.g. 'CMS'.")
def tokens_create(username: str, name: str) -> None:
    """Create a token; it is printed once and cannot be shown again."""
    user = user_named(username)
    assert user is not None
    token, secret = create_token(db(), user, name)
    db().commit()
    click.echo(
        f"token {token.id} for {user.username} ({token.name}); keep it now, it is not shown again:"
    )
    click.echo(secret)


@tokens.command("revoke")
@click.argument("token_id", type=int)
def tokens_revoke(token_id: int) -> None:
    """Revoke a token: requests carrying it are refused from now on."""
    token = revoke_token(db(), token_id)
    db().commit()
    click.echo(f"token {token.id} revoked")


@tokens.command("list")
@click.option("--user", "username", help="Only this user's tokens.")
def tokens_list(username: str | None) -> None:
    """Every token: its id, user, name, start, and whether it is revoked."""
    for token, user in db().execute(tokens_select(username)):
        state = "revoked" if token.revoked_at else "active"
        used = token.last_used_at.strftime("%Y-%m-%d %H:%M") if token.last_used_at else "never"
        start = f"{token.shown}…"
        click.echo(
            f"{token.id:>4}  {user.username:<16} {start}  {state:<8} {used:<16}  {token.name}"
        )
