"""The store's version (one row): raised by every write, read by every request."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from timeline.store.models import (
    StoreState,
    Timeline,
    TimelineEvent,
    UtcDateTime,
    utcnow,
)
from timeline.store.walindex import WalIndex

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_READ = "SELECT version, updated FROM store_state WHERE id = 1"
_READ_TIMELINE = "SELECT version, updated FROM timelines WHERE id = ?"


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


def touch_timelines(
    session: orm.Session,
    version: int,
    when: dt.datetime,
    events: Collection[str] | sa.Select[Any] | None = None,
    *,
    timelines: Collection[int] = (),
) -> None:
    """Bring the timelines holding one of ``events`` (ids, or a select of ids; None:
    every timeline), and those of ``timelines`` (ids), to the store version ``version``
    (:class:`StoreState`, just raised in this transaction) and their ``updated`` to
    ``when`` (UTC-aware) when it is newer. The one place that moves a timeline's
    version: its documents' ETags, Last-Modified and the fast path's 304s follow it, and
    the timelines not touched keep theirs. Does not commit."""
    at = sa.literal(when, UtcDateTime())
    stmt = sa.update(Timeline).values(
        version=version,
        updated=sa.case((Timeline.updated < at, at), else_=Timeline.updated),
    )
    if events is not None or timelines:
        chosen: list[sa.ColumnElement[bool]] = []
        if events is not None:
            holding = sa.select(TimelineEvent.timeline_id).where(TimelineEvent.event_id.in_(events))
            chosen.append(Timeline.id.in_(holding))
        if timelines:
            chosen.append(Timeline.id.in_(list(timelines)))
        stmt = stmt.where(sa.or_(*chosen))
    session.execute(stmt, execution_options={"synchronize_session": False})


def record_timeline_change(session: orm.Session, timelines: Collection[int] | None) -> int:
    """Raise the store version by one for a change of the timelines ``timelines`` (ids;
    None: every timeline) that no event's content made (an event added or taken away;
    the list of timelines, which every timeline's page shows) and bring them to it
    (:func:`touch_timelines`); return the new version. Does not commit."""
    now = utcnow()
    when = sa.literal(now, UtcDateTime())
    stmt = (
        sa.update(StoreState)
        .where(StoreState.id == 1)
        .values(
            version=StoreState.version + 1,
            updated=sa.case((StoreState.updated < when, when), else_=StoreState.updated),
        )
        .returning(StoreState.version)
    )
    version = int(
        session.execute(stmt, execution_options={"synchronize_session": False}).scalar_one()
    )
    if timelines is None:
        touch_timelines(session, version, now)
    else:
        touch_timelines(session, version, now, timelines=timelines)
    return version


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
        #: Per timeline id (None: the store), (wal-index mark taken before the read,
        #: the version read; None: no such timeline): each replaced whole.
        self._last: dict[int | None, tuple[bytes, StoreVersion | None]] = {}

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
        current = self._read(None)
        assert current is not None  # the store_state row is made by the first migration
        return current

    def read_timeline(self, timeline_id: int) -> StoreVersion | None:
        """Return the current version of the timeline ``timeline_id``
        (:attr:`timeline.store.models.Timeline.version` and ``updated``), or None when
        there is no such timeline."""
        return self._read(timeline_id)

    def _read(self, timeline_id: int | None) -> StoreVersion | None:
        wal_index = self._wal_index
        mark = None if wal_index is None else wal_index.mark()
        if mark is not None:
            last = self._last.get(timeline_id)
            if last is not None and last[0] == mark:
                return last[1]
        connection = getattr(self._local, "connection", None)
        sql = _READ if timeline_id is None else _READ_TIMELINE
        try:
            if connection is None:
                connection = self._local.connection = self._connect()
            cursor = connection.cursor()
            try:
                if timeline_id is None:
                    cursor.execute(sql)
                elif self.engine.dialect.name == "sqlite":
                    cursor.execute(sql, (timeline_id,))
                else:  # psycopg's placeholder
                    cursor.execute(sql.replace("?", "%s"), (timeline_id,))
                row = cursor.fetchone()
            finally:
                cursor.close()
            if not self._wal_checked:
                self._open_wal_index(connection)
        except self.engine.dialect.loaded_dbapi.Error as error:
            self._local.connection = None
            self._discard(connection)
            raise sa.exc.OperationalError(sql, None, error) from error
        current = None
        if row is not None:
            current = StoreVersion(version=int(row[0]), updated=_parse_updated(row[1]))
        if mark is not None:
            if len(self._last) >= 4096:  # bounded: a timeline's entry is made again
                self._last = {}
            self._last = self._last | {timeline_id: (mark, current)}
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
        self._wal_index, self._wal_checked, self._last = None, False, {}

    def close(self) -> None:
        """Close every thread's connection (and unmap the wal-index)."""
        with self._lock:
            connections, self._connections = self._connections, []
            self._forget_wal_index()
        for connection in connections:
            with contextlib.suppress(Exception):
                connection.close()
