"""The store's version (one row): raised by every write, read by every request."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from timeline.store.models import Event, StoreState, UtcDateTime
from timeline.store.walindex import WalIndex

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_READ = "SELECT version, updated FROM store_state WHERE id = 1"


@dataclass(frozen=True)
class StoreVersion:
    """What every document depends on: ``version`` counts the changes to the store (in
    commit order), ``updated`` is the newest change's time (UTC-aware; the epoch for an
    empty store), the HTTP Last-Modified."""

    version: int
    updated: dt.datetime

    @property
    def token(self) -> str:
        """A short string naming this version, for ETags."""
        return str(self.version)


def record_change(session: orm.Session, event: Event) -> None:
    """Raise the store version by one for a change of ``event`` in this transaction, and
    stamp the event with it (``change_version``). The row update locks the row until
    commit (PostgreSQL) or runs in the single writer's transaction (SQLite), so versions
    follow commit order. Also keeps the longest event span (:func:`longest_span`). Call
    after ``event.updated``, ``start`` and ``end`` are set; does not commit."""
    when = sa.literal(event.updated, UtcDateTime())
    span = 0 if event.end is None else int((event.end - event.start).total_seconds()) + 1
    stmt = (
        sa.update(StoreState)
        .where(StoreState.id == 1)
        .values(
            version=StoreState.version + 1,
            updated=sa.case((StoreState.updated < when, when), else_=StoreState.updated),
            longest=sa.case((StoreState.longest < span, span), else_=StoreState.longest),
        )
        .returning(StoreState.version)
    )
    event.change_version = session.execute(
        stmt, execution_options={"synchronize_session": False}
    ).scalar_one()


def longest_span(session: orm.Session) -> dt.timedelta:
    """Return the longest span (end - start, rounded up to the second) any event has had;
    it never shrinks."""
    seconds = session.scalar(sa.select(StoreState.longest).where(StoreState.id == 1))
    return dt.timedelta(seconds=int(seconds or 0))


def read_version(session: orm.Session) -> StoreVersion:
    """Return the store version through ``session`` (one primary-key read)."""
    row = session.execute(
        sa.select(StoreState.version, StoreState.updated).where(StoreState.id == 1)
    ).one()
    return StoreVersion(version=int(row.version), updated=row.updated)


def _parse_updated(value: Any) -> dt.datetime:
    if isinstance(value, str):  # SQLite hands back its text form
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    return value.replace(tzinfo=dt.UTC)


class VersionReader:
    """Reads the store version on every request, over one autocommit DBAPI connection per
    thread, outside the pool and outside any transaction, so it always sees the latest
    commit of any process. On a SQLite file in WAL mode, the SQL read (one primary-key
    lookup) is skipped while the wal-index header is unchanged since the last one
    (:class:`timeline.store.walindex.WalIndex`): no process has committed since, so the
    version read then is still the current one. Raises sqlalchemy.exc.OperationalError
    (HTTP 503) when the database cannot be reached; the next call connects again."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._local = threading.local()
        self._connections: list[Any] = []
        self._lock = threading.Lock()
        self._wal_index: WalIndex | None = None
        self._wal_checked = False
        #: (wal-index mark taken before the read, the version read): replaced whole.
        self._last: tuple[bytes, StoreVersion] | None = None

    def _connect(self) -> Any:
        dialect = self.engine.dialect
        cargs, cparams = dialect.create_connect_args(self.engine.url)
        connection = dialect.connect(*cargs, **cparams)
        if dialect.name == "sqlite":
            connection.isolation_level = None
        else:
            connection.autocommit = True
        with self._lock:
            self._connections.append(connection)
        return connection

    def _open_wal_index(self, connection: Any) -> None:
        """Map the wal-index once, while ``connection`` (kept open) holds the file."""
        with self._lock:
            if self._wal_checked:
                return
            self._wal_checked = True
            if self.engine.dialect.name != "sqlite":
                return
            cursor = connection.cursor()
            try:
                mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            finally:
                cursor.close()
            if str(mode).lower() == "wal":
                self._wal_index = WalIndex.open(self.engine.url.database)

    def read(self) -> StoreVersion:
        """Return the current store version."""
        wal_index = self._wal_index
        mark = None if wal_index is None else wal_index.mark()
        if mark is not None:
            last = self._last
            if last is not None and last[0] == mark:
                return last[1]
        connection = getattr(self._local, "connection", None)
        try:
            if connection is None:
                connection = self._local.connection = self._connect()
            cursor = connection.cursor()
            try:
                cursor.execute(_READ)
                version, updated = cursor.fetchone()
            finally:
                cursor.close()
            if not self._wal_checked:
                self._open_wal_index(connection)
        except self.engine.dialect.loaded_dbapi.Error as error:
            self._local.connection = None
            self._discard(connection)
            raise sa.exc.OperationalError(_READ, None, error) from error
        current = StoreVersion(version=int(version), updated=_parse_updated(updated))
        if mark is not None:
            self._last = (mark, current)
        return current

    def _discard(self, connection: Any) -> None:
        with self._lock:
            if connection in self._connections:
                self._connections.remove(connection)
            # The wal-index may be about to be deleted and made anew by another process:
            # map it again after the next good read.
            self._forget_wal_index()
        if connection is None:
            return
        with contextlib.suppress(Exception):  # a broken connection may fail to close too
            connection.close()

    def _forget_wal_index(self) -> None:
        """Unmap the wal-index, so that the next good read maps it again (hold _lock)."""
        if self._wal_index is not None:
            self._wal_index.close()
        self._wal_index, self._wal_checked, self._last = None, False, None

    def close(self) -> None:
        """Close every thread's connection (and unmap the wal-index)."""
        with self._lock:
            connections, self._connections = self._connections, []
            self._forget_wal_index()
        for connection in connections:
            with contextlib.suppress(Exception):
                connection.close()
