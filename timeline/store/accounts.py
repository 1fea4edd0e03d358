"""The editors' accounts: passwords hashed with Argon2id (argon2-cffi), rights on timelines
(kept by timeline id, answered by :mod:`timeline.store.rights` as for the API's tokens),
sign-in sessions kept as SHA-256 hashes, and the count of failed sign-ins in a row that
stops guessing. No Flask here: the desk (:mod:`timeline.web.desk`) calls these."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import orm

from timeline.store.models import Base, Timeline, UtcDateTime, utcnow
from timeline.store.rights import Principal
from timeline.store.timelines import TimelineNotFoundError, by_slug, list_timelines

ACCOUNT_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
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
        cascade="all, delete-orphan", order_by="AccountTimeline.timeline_id", lazy="selectin"
    )


class AccountTimeline(Base):
    """A right: the account ``account`` edits the timeline ``timeline_id`` (the right
    goes with the timeline when it is deleted; a new slug keeps it)."""

    __tablename__ = "account_timelines"

    account: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("accounts.name", ondelete="CASCADE"), primary_key=True
    )
    timeline_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("timelines.id", ondelete="CASCADE"), primary_key=True
    )


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
    ``timelines`` (slugs of existing timelines, kept as their ids). Does not commit.
    Raises AccountError for a bad or taken name, a short password, an unknown timeline,
    or an editor of no timeline."""
    if not ACCOUNT_NAME.fullmatch(name):
        raise AccountError(f"account names have 1 to 64 of a-z 0-9 . _ - (got {name!r})")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    if not admin and not timelines:
        raise AccountError("an editor needs --timeline SLUG (or --admin)")
    ids: dict[int, None] = {}
    for slug in timelines:
        try:
            ids[by_slug(session, slug).id] = None
        except TimelineNotFoundError:
            raise AccountError(f"there is no timeline {slug!r}") from None
    if session.get(Account, name) is not None:
        raise AccountError(f"an account named {name!r} exists already")
    account = Account(name=name, password_hash=_HASHER.hash(password), admin=admin)
    account.timelines = [AccountTimeline(timeline_id=t) for t in ids]
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


def principal(account: Account) -> Principal:
    """Who ``account`` is when it writes: named ``desk:<account>`` (the author of its
    revisions; a token's name never holds a colon, so the history tells the two apart),
    an admin or the editor of its timelines' ids. Whether it may write somewhere is then
    :func:`timeline.store.rights.may_write`, the API's tokens' answer too."""
    ids = frozenset(right.timeline_id for right in account.timelines)
    return Principal(f"desk:{account.name}", account.admin, ids)


def writable_timelines(session: orm.Session, account: Account) -> list[Timeline]:
    """The timelines ``account`` may write to, as the desk offers them: every timeline
    for an admin, else those of its rights; the default first, then by slug."""
    rights = principal(account)
    return [t for t in list_timelines(session) if rights.admin or t.id in rights.timelines]


def timeline_slugs(session: orm.Session, account: Account) -> list[str]:
    """The slugs of the timelines ``account`` edits (not as admin), by slug."""
    ids = [right.timeline_id for right in account.timelines]
    if not ids:
        return []
    stmt = sa.select(Timeline.slug).where(Timeline.id.in_(ids)).order_by(Timeline.slug)
    return list(session.scalars(stmt))


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
