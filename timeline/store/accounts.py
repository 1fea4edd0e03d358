"""The editors' accounts: passwords hashed with Argon2id (argon2-cffi), rights by timeline
slug, sign-in sessions kept as SHA-256 hashes, and the count of failed sign-ins in a row
that stops guessing. No Flask here: the desk (:mod:`timeline.web.desk`) calls these."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import orm

from timeline.store.models import Base, UtcDateTime, utcnow

#: The slug of the one timeline a store holds before there are many (issue 20 names the
#: timelines; rights are kept by slug so that they carry over).
DEFAULT_TIMELINE = "default"
ACCOUNT_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
TIMELINE_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")
#: The least length of a password, in characters (NIST SP 800-63B §5.1.1.2: at least 8).
MIN_PASSWORD = 10
_HASHER = PasswordHasher()  # Argon2id, RFC 9106's second recommended option


class AccountError(ValueError):
    """An account operation that cannot be done; the message says why."""


class Account(Base):
    """An editor: ``name`` (1 to 64 of ``a-z 0-9 . _ -``), the Argon2id hash of the
    password (PHC string form), and whether an admin (writes to every timeline)."""

    __tablename__ = "accounts"

    name: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    password_hash: orm.Mapped[str] = orm.mapped_column(sa.String(200))
    admin: orm.Mapped[bool] = orm.mapped_column(default=False)
    created: orm.Mapped[dt.datetime] = orm.mapped_column(UtcDateTime, default=utcnow)

    timelines: orm.Mapped[list[AccountTimeline]] = orm.relationship(
        cascade="all, delete-orphan", order_by="AccountTimeline.timeline", lazy="selectin"
    )


class AccountTimeline(Base):
    """A right: the account ``account`` edits the timeline whose slug is ``timeline``."""

    __tablename__ = "account_timelines"

    account: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("accounts.name", ondelete="CASCADE"), primary_key=True
    )
    timeline: orm.Mapped[str] = orm.mapped_column(sa.String(100), primary_key=True)


class AccountSession(Base):
    """A signed-in browser: the SHA-256 of the random token its cookie holds, the
    account, and when it ends (UTC, exclusive)."""

    __tablename__ = "account_sessions"

    token_hash: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    account: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("accounts.name", ondelete="CASCADE"), index=True
    )
    expires: orm.Mapped[dt.datetime] = orm.mapped_column(UtcDateTime)


class SignInFailure(Base):
    """Failed sign-ins in a row of one ``key`` (``account:<name>`` or ``address:<ip>``)
    and the time of the last one (UTC)."""

    __tablename__ = "sign_in_failures"

    key: orm.Mapped[str] = orm.mapped_column(sa.String(120), primary_key=True)
    failures: orm.Mapped[int] = orm.mapped_column(default=0)
    last: orm.Mapped[dt.datetime] = orm.mapped_column(UtcDateTime)


def create_account(
    session: orm.Session,
    name: str,
    password: str,
    *,
    admin: bool = False,
    timelines: tuple[str, ...] = (),
) -> Account:
    """Create the account ``name`` with ``password`` (at least :data:`MIN_PASSWORD`
    characters; only its Argon2id hash is kept), an admin or the editor of
    ``timelines`` (slugs). Does not commit. Raises AccountError for a bad or taken
    name, a short password, a bad slug, or an editor of no timeline."""
    if not ACCOUNT_NAME.fullmatch(name):
        raise AccountError(f"account names have 1 to 64 of a-z 0-9 . _ - (got {name!r})")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    for slug in timelines:
        if not TIMELINE_SLUG.fullmatch(slug):
            raise AccountError(f"{slug!r} is not a timeline slug (a-z 0-9 -)")
    if not admin and not timelines:
        raise AccountError("an editor needs --timeline SLUG (or --admin)")
    if session.get(Account, name) is not None:
        raise AccountError(f"an account named {name!r} exists already")
    account = Account(name=name, password_hash=_HASHER.hash(password), admin=admin)
    account.timelines = [AccountTimeline(timeline=slug) for slug in dict.fromkeys(timelines)]
    session.add(account)
    session.flush()
    return account


def check_password(session: orm.Session, name: str, password: str) -> Account | None:
    """Return the account ``name`` if ``password`` is its password, else None (an unknown
    name costs one hash too, so that timing does not tell which names exist). Rehashes
    a password stored with older Argon2 parameters. Does not commit."""
    account = session.get(Account, name) if ACCOUNT_NAME.fullmatch(name) else None
    stored = account.password_hash if account is not None else _DUMMY
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if account is not None and _HASHER.check_needs_rehash(stored):
        account.password_hash = _HASHER.hash(password)
    return account


_DUMMY = _HASHER.hash(secrets.token_urlsafe(16))


def may_write(account: Account, timeline: str) -> bool:
    """Whether ``account`` may write to the timeline whose slug is ``timeline``: an admin
    everywhere, an editor in the timelines named for it. The one answer to "may this
    account write here" (the API's tokens scoped to timelines join it here)."""
    return account.admin or any(right.timeline == timeline for right in account.timelines)


def writable_timelines(account: Account) -> list[str]:
    """The slugs of the timelines ``account`` may write to, as the desk offers them: the
    default timeline for an admin, else its rights, sorted."""
    if account.admin:
        return [DEFAULT_TIMELINE]
    return [right.timeline for right in account.timelines]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def open_session(session: orm.Session, account: Account, lifetime: dt.timedelta) -> str:
    """Open a sign-in session of ``account`` lasting ``lifetime`` and return its token
    (43 URL-safe characters, 256 bits; only its SHA-256 is stored). Does not commit."""
    token = secrets.token_urlsafe(32)
    expires = utcnow() + lifetime
    session.add(AccountSession(token_hash=_digest(token), account=account.name, expires=expires))
    session.flush()
    return token


def session_account(session: orm.Session, token: str) -> Account | None:
    """Return the account of the live session ``token``, or None (unknown or ended)."""
    row = session.get(AccountSession, _digest(token))
    if row is None or row.expires <= utcnow():
        return None
    return session.get(Account, row.account)


def close_session(session: orm.Session, token: str) -> None:
    """End the session ``token`` (sign-out), and every ended session of the store. Does
    not commit."""
    session.execute(
        sa.delete(AccountSession).where(
            (AccountSession.token_hash == _digest(token)) | (AccountSession.expires <= utcnow())
        )
    )


def locked(session: orm.Session, keys: list[str], limit: int, lock: dt.timedelta) -> bool:
    """Whether any of ``keys`` has ``limit`` failed sign-ins in a row, the last less than
    ``lock`` ago."""
    since = utcnow() - lock
    rows = session.scalars(sa.select(SignInFailure).where(SignInFailure.key.in_(keys)))
    return any(row.failures >= limit and row.last > since for row in rows)


def record_failure(session: orm.Session, keys: list[str], lock: dt.timedelta) -> None:
    """Count one more failed sign-in for each of ``keys`` (a count whose last failure is
    ``lock`` or more ago starts again at 1). Does not commit."""
    now = utcnow()
    for key in keys:
        row = session.get(SignInFailure, key)
        if row is None:
            session.add(SignInFailure(key=key, failures=1, last=now))
        else:
            row.failures = 1 if row.last <= now - lock else row.failures + 1
            row.last = now
    session.flush()


def clear_failures(session: orm.Session, keys: list[str]) -> None:
    """Forget the failed sign-ins of ``keys`` (after a sign-in that succeeded). Does not
    commit."""
    session.execute(sa.delete(SignInFailure).where(SignInFailure.key.in_(keys)))


def list_accounts(session: orm.Session) -> list[Account]:
    """Every account, by name."""
    return list(session.scalars(sa.select(Account).order_by(Account.name)))


def delete_account(session: orm.Session, name: str) -> None:
    """Delete the account ``name`` with its rights and sessions. Does not commit. Raises
    AccountError for an unknown name."""
    account = session.get(Account, name)
    if account is None:
        raise AccountError(f"no account named {name!r}")
    session.execute(sa.delete(AccountSession).where(AccountSession.account == name))
    session.delete(account)
    session.flush()
