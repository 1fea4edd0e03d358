"""Write tokens: shown once, stored as SHA-256 hashes, checked in constant time, revoked
by name; ``require_token`` for the API's writes and the ``timeline token`` commands."""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Collection, Mapping
from typing import Any, NoReturn, TypeVar

import click
import sqlalchemy as sa
from flask import current_app, request
from flask.cli import AppGroup
from sqlalchemy import orm

from timeline.events.problems import ProblemError
from timeline.http import db
from timeline.store import migrations
from timeline.store.engine import Precompiled, begin_write
from timeline.store.models import (
    DEFAULT_TIMELINE_ID,
    ApiToken,
    Timeline,
    TokenTimeline,
    utcnow,
)
from timeline.store.rights import Principal
from timeline.store.timelines import TimelineNotFoundError, by_slug

log = logging.getLogger("timeline")
T = TypeVar("T")

TOKEN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
# RFC 6750 §2.1 b64token.
_B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]{1,512}=*")
REALM = 'Bearer realm="timeline"'


class TokenError(ValueError):
    """A token operation that cannot be done (bad or taken name, unknown name)."""


def token_hash(token: str) -> str:
    """Return the SHA-256 hex digest under which ``token`` is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    session: orm.Session,
    name: str,
    *,
    timelines: Collection[str] | None = None,
    admin: bool = False,
) -> str:
    """Create a token called ``name`` (1 to 100 of ``A-Z a-z 0-9 . _ -``) and return it:
    43 URL-safe characters (``secrets.token_urlsafe(32)``, 256 bits). Only its hash is
    stored, so it cannot be shown again. It writes to the timelines of the slugs
    ``timelines`` (None: the default timeline only), or, ``admin``, to every timeline,
    and manages timelines. Does not commit. Raises TokenError for a bad name, one
    already used (revoked tokens keep their names) or an unknown timeline."""
    if not TOKEN_NAME.fullmatch(name):
        raise TokenError(f"token names have 1 to 100 of A-Z a-z 0-9 . _ - (got {name!r})")
    if session.get(ApiToken, name) is not None:
        raise TokenError(f"a token named {name!r} exists already")
    ids = {DEFAULT_TIMELINE_ID}
    if timelines is not None:
        ids = set()
        for slug in timelines:
            try:
                ids.add(by_slug(session, slug).id)
            except TimelineNotFoundError:
                raise TokenError(f"there is no timeline {slug!r}") from None
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(name=name, token_hash=token_hash(token), created=utcnow(), admin=admin))
    session.flush()
    session.add_all(TokenTimeline(token_name=name, timeline_id=t) for t in sorted(ids))
    session.flush()
    return token


def writable_slugs(session: orm.Session, name: str) -> list[str]:
    """Return the slugs of the timelines the token ``name`` may write to (but as admin),
    by slug."""
    stmt = (
        sa.select(Timeline.slug)
        .join(TokenTimeline, TokenTimeline.timeline_id == Timeline.id)
        .where(TokenTimeline.token_name == name)
        .order_by(Timeline.slug)
    )
    return list(session.scalars(stmt))


def list_tokens(session: orm.Session) -> list[ApiToken]:
    """Return every token (revoked ones too), by name."""
    return list(session.scalars(sa.select(ApiToken).order_by(ApiToken.name)))


def revoke_token(session: orm.Session, name: str) -> bool:
    """Revoke the token called ``name``; return False if it was revoked already. Does
    not commit. Raises TokenError for an unknown name."""
    row = session.get(ApiToken, name)
    if row is None:
        raise TokenError(f"no token named {name!r}")
    if row.revoked is not None:
        return False
    row.revoked = utcnow()
    session.flush()
    return True


def token_name(connection: sa.Connection, token: str) -> str | None:
    """Return the name of the live (not revoked) token ``token``, or None."""
    principal, _ = token_holder(connection, token)
    return None if principal is None else principal.name


def token_holder(
    connection: sa.Connection,
    token: str,
    also: sa.ColumnElement[T] | None = None,
    params: Mapping[str, Any] | None = None,
) -> tuple[Principal | None, T | None]:
    """Return who the live (not revoked) token ``token`` is, with its rights as stored,
    or None; and the value of the SQL expression ``also`` (its parameters ``params``),
    read by the same query (one round trip), or None when there is no such token or no
    ``also``. The query is one that psycopg prepares once a connection has run it five
    times: ``also`` must have a plan that suits any size of the tables it reads. The
    stored hash is compared with ``hmac.compare_digest`` (constant time)."""
    digest = token_hash(token)
    values = {**(params or {}), "digest": digest}
    rows = _holder_query(also).execute(connection, values).all()
    if not rows or not hmac.compare_digest(rows[0].token_hash, digest):
        return None, None
    timelines = frozenset(row.timeline_id for row in rows if row.timeline_id is not None)
    return Principal(str(rows[0].name), bool(rows[0].admin), timelines), rows[0].also


@functools.cache
def _holder_query(also: sa.ColumnElement[Any] | None) -> Precompiled:
    # One statement per ``also`` (a module's constant), built and compiled once.
    return Precompiled(
        sa.select(
            ApiToken.name,
            ApiToken.token_hash,
            ApiToken.admin,
            TokenTimeline.timeline_id,
            (sa.null() if also is None else also).label("also"),
        )
        .outerjoin(TokenTimeline, TokenTimeline.token_name == ApiToken.name)
        .where(ApiToken.token_hash == sa.bindparam("digest"), ApiToken.revoked.is_(None))
    )


def bearer_token() -> str:
    """Return the token of the request's ``Authorization: Bearer`` header (RFC 6750
    §2.1), reading nothing from the store. Raises ProblemError 401 as
    :func:`require_token` does when the header is missing, not Bearer or malformed."""
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        raise ProblemError(
            401,
            "This request needs a token: send Authorization: Bearer <token>.",
            headers={"WWW-Authenticate": REALM},
        )
    token = credentials.strip()
    if not _B64TOKEN.fullmatch(token):
        _refuse()
    return token


def require_token() -> Principal:
    """Return who the token in the request's ``Authorization: Bearer`` header (RFC 6750
    §2.1) is: its name (the author of the write) and its rights
    (:func:`timeline.store.rights.may_write`).

    Checked before the request writes anything: on PostgreSQL on the request's own
    connection (:func:`timeline.http.db.get_session`), before its transaction begins
    (:func:`timeline.store.engine.before_begin`: a read that locks nothing, with no
    BEGIN round trip; the write then begins the transaction, if it needs one beside
    its last statement); on SQLite on a connection of its own, a read that takes no
    write lock, before the unit of work begins its write transaction.
    Raises ProblemError 401 with ``WWW-Authenticate: Bearer realm="timeline"`` when the
    header is missing or not Bearer, adding ``error="invalid_token"`` (RFC 6750 §3.1)
    for a malformed, unknown or revoked token. Never logs or echoes the token.
    """
    principal, _ = require_token_reading(None)
    return principal


def require_token_reading(
    also: sa.ColumnElement[T] | None, params: Mapping[str, Any] | None = None
) -> tuple[Principal, T | None]:
    """Return who the request's token is, as :func:`require_token`, and on PostgreSQL
    the value of the SQL expression ``also`` (a constant: one statement is compiled
    for each; its parameters ``params``) read by the same query, on the request's
    connection (one round trip for both); None on SQLite, where the token is read on a
    connection of its own: the caller reads it in its transaction then. Raises
    ProblemError 401 as :func:`require_token`."""
    token = bearer_token()
    with db.read_before_write() as connection:
        if connection.dialect.name != "sqlite":
            read = token_holder(connection, token, also, params)
        else:
            read = token_holder(connection, token)[0], None
    principal, value = read
    if principal is None:
        _refuse()
    return principal, value


def _refuse() -> NoReturn:
    log.warning("refused a write with an invalid token")
    raise ProblemError(
        401,
        "The token is not valid: unknown, revoked or malformed.",
        headers={
            "WWW-Authenticate": f'{REALM}, error="invalid_token", '
            'error_description="The token is unknown, revoked or malformed"'
        },
    )


def forbid_unless(allowed: bool, detail: str) -> None:
    """Raise ProblemError 403 with ``detail`` unless ``allowed``: the token is valid but
    may not do this (RFC 9110 §15.5.4); nothing is written."""
    if not allowed:
        raise ProblemError(403, detail, title="Forbidden")


token_group = AppGroup("token", help="Create, list and revoke the API's write tokens.")


def _session(*, write: bool = True) -> orm.Session:
    migrations.upgrade(db.get_engine(current_app), language=current_app.config["LANGUAGE"])
    session = db.get_session()
    if write:
        begin_write(session)
    return session


@token_group.command("create")
@click.argument("name")
@click.option(
    "--timeline",
    "timelines",
    multiple=True,
    metavar="SLUG",
    help="A timeline it may write to (repeatable; default: the default timeline).",
)
@click.option("--admin", is_flag=True, help="Write to every timeline and manage timelines.")
def token_create(name: str, timelines: tuple[str, ...], admin: bool) -> None:
    """Create a write token called NAME and print it, once."""
    session = _session()
    try:
        token = create_token(session, name, timelines=timelines or None, admin=admin)
    except TokenError as error:
        raise click.ClickException(str(error)) from None
    session.commit()
    click.echo(f"token {name!r} created; it is shown only now:", err=True)
    click.echo(token)


@token_group.command("list")
def token_list() -> None:
    """List the tokens: name, creation time, status.

    The tokens themselves are never shown again."""
    session = _session(write=False)
    for row in list_tokens(session):
        status = "active" if row.revoked is None else f"revoked {row.revoked:%Y-%m-%dT%H:%M:%SZ}"
        rights = "admin" if row.admin else ",".join(writable_slugs(session, row.name))
        click.echo(f"{row.name}\t{row.created:%Y-%m-%dT%H:%M:%SZ}\t{status}\t{rights}")


@token_group.command("revoke")
@click.argument("name")
def token_revoke(name: str) -> None:
    """Revoke the token called NAME: it can no longer write."""
    session = _session()
    try:
        changed = revoke_token(session, name)
    except TokenError as error:
        raise click.ClickException(str(error)) from None
    session.commit()
    click.echo(f"token {name!r} revoked" if changed else f"token {name!r} was revoked already")
