"""Write tokens: shown once, stored as SHA-256 hashes, checked in constant time, revoked
by name; ``require_token`` for the API's writes and the ``timeline token`` commands."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets

import click
import sqlalchemy as sa
from flask import current_app, request
from flask.cli import AppGroup
from sqlalchemy import orm

from timeline.events.problems import ProblemError
from timeline.http import db
from timeline.store import migrations
from timeline.store.engine import begin_write
from timeline.store.models import ApiToken, utcnow

log = logging.getLogger("timeline")

TOKEN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
# RFC 6750 §2.1 b64token.
_B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]{1,512}=*")
REALM = 'Bearer realm="timeline"'


class TokenError(ValueError):
    """A token operation that cannot be done (bad or taken name, unknown name)."""


def token_hash(token: str) -> str:
    """Return the SHA-256 hex digest under which ``token`` is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: orm.Session, name: str) -> str:
    """Create a token called ``name`` (1 to 100 of ``A-Z a-z 0-9 . _ -``) and return it:
    43 URL-safe characters (``secrets.token_urlsafe(32)``, 256 bits). Only its hash is
    stored, so it cannot be shown again. Does not commit. Raises TokenError for a bad
    name or one already used (revoked tokens keep their names)."""
    if not TOKEN_NAME.fullmatch(name):
        raise TokenError(f"token names have 1 to 100 of A-Z a-z 0-9 . _ - (got {name!r})")
    if session.get(ApiToken, name) is not None:
        raise TokenError(f"a token named {name!r} exists already")
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(name=name, token_hash=token_hash(token), created=utcnow()))
    session.flush()
    return token


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
    """Return the name of the live (not revoked) token ``token``, or None. The stored
    hash is compared with ``hmac.compare_digest`` (constant time)."""
    digest = token_hash(token)
    row = connection.execute(
        sa.select(ApiToken.name, ApiToken.token_hash).where(
            ApiToken.token_hash == digest, ApiToken.revoked.is_(None)
        )
    ).first()
    if row is None or not hmac.compare_digest(row.token_hash, digest):
        return None
    return str(row.name)


def require_token() -> str:
    """Return the name of the token in the request's ``Authorization: Bearer`` header
    (RFC 6750 §2.1), the author of the write.

    Checked on a connection of its own, before the request's unit of work begins.
    Raises ProblemError 401 with ``WWW-Authenticate: Bearer realm="timeline"`` when the
    header is missing or not Bearer, adding ``error="invalid_token"`` (RFC 6750 §3.1)
    for a malformed, unknown or revoked token. Never logs or echoes the token.
    """
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        raise ProblemError(
            401,
            "This request needs a token: send Authorization: Bearer <token>.",
            headers={"WWW-Authenticate": REALM},
        )
    token = credentials.strip()
    name = None
    if _B64TOKEN.fullmatch(token):
        with db.get_engine(current_app).connect() as connection:
            name = token_name(connection, token)
    if name is None:
        log.warning("refused a write with an invalid token")
        raise ProblemError(
            401,
            "The token is not valid: unknown, revoked or malformed.",
            headers={
                "WWW-Authenticate": f'{REALM}, error="invalid_token", '
                'error_description="The token is unknown, revoked or malformed"'
            },
        )
    return name


token_group = AppGroup("token", help="Create, list and revoke the API's write tokens.")


def _session(*, write: bool = True) -> orm.Session:
    migrations.upgrade(db.get_engine(current_app), language=current_app.config["LANGUAGE"])
    session = db.get_session()
    if write:
        begin_write(session)
    return session


@token_group.command("create")
@click.argument("name")
def token_create(name: str) -> None:
    """Create a write token called NAME and print it, once."""
    session = _session()
    try:
        token = create_token(session, name)
    except TokenError as error:
        raise click.ClickException(str(error)) from None
    session.commit()
    click.echo(f"token {name!r} created; it is shown only now:", err=True)
    click.echo(token)


@token_group.command("list")
def token_list() -> None:
    """List the tokens: name, creation time, status.

    The tokens themselves are never shown again."""
    for row in list_tokens(_session(write=False)):
        status = "active" if row.revoked is None else f"revoked {row.revoked:%Y-%m-%dT%H:%M:%SZ}"
        click.echo(f"{row.name}\t{row.created:%Y-%m-%dT%H:%M:%SZ}\t{status}")


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
