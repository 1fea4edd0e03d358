"""The ``timeline user`` commands: the desk's accounts, created on the server's machine
(the password from a prompt or standard input, never from the command line)."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from timeline.http import db
from timeline.store import accounts, migrations
from timeline.store.engine import begin_write
from timeline.store.timelines import TimelineNotFoundError, by_slug

user_group = AppGroup("user", help="Create, list and delete the desk's accounts.")


def _password() -> str:
    """The password: asked twice, hidden, on a terminal; else the first line of standard
    input (``printf '%s\\n' "$PASSWORD" | timeline user create ...``)."""
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\r\n")


@user_group.command("create")
@click.argument("name")
@click.option("--admin", is_flag=True, help="Write to every timeline.")
@click.option(
    "--timeline",
    "timelines",
    multiple=True,
    metavar="SLUG",
    help="A timeline the account edits, by slug (repeatable).",
)
def user_create(name: str, admin: bool, timelines: tuple[str, ...]) -> None:
    """Create the account NAME.

    An admin (--admin), or the editor of the timelines named (--timeline SLUG, an
    existing timeline). Its password is asked for (or read from standard input) and
    only its Argon2id hash is kept."""
    engine = db.get_engine(current_app)
    migrations.upgrade(engine, language=current_app.config["LANGUAGE"])
    session = db.get_session()
    for slug in timelines:  # before the password is asked for
        try:
            by_slug(session, slug)
        except TimelineNotFoundError:
            raise click.ClickException(f"there is no timeline {slug!r}") from None
    session.rollback()
    password = _password()
    begin_write(session)
    try:
        accounts.create_account(session, name, password, admin=admin, timelines=timelines)
    except accounts.AccountError as error:
        session.rollback()
        raise click.ClickException(str(error)) from None
    session.commit()
    rights = "admin" if admin else "editor of " + ", ".join(timelines)
    click.echo(f"account {name!r} created ({rights})")


@user_group.command("list")
def user_list() -> None:
    """List the accounts: name, rights, creation time."""
    migrations.upgrade(db.get_engine(current_app), language=current_app.config["LANGUAGE"])
    session = db.get_session()
    for account in accounts.list_accounts(session):
        rights = "admin" if account.admin else ",".join(accounts.timeline_slugs(session, account))
        click.echo(f"{account.name}\t{rights}\t{account.created:%Y-%m-%dT%H:%M:%SZ}")


@user_group.command("delete")
@click.argument("name")
def user_delete(name: str) -> None:
    """Delete the account NAME and end its sessions.

    Its revisions keep its name."""
    migrations.upgrade(db.get_engine(current_app), language=current_app.config["LANGUAGE"])
    session = db.get_session()
    begin_write(session)
    try:
        accounts.delete_account(session, name)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    session.commit()
    click.echo(f"account {name!r} deleted")
