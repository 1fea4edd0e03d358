"""The database engine: SQLite and PostgreSQL tuned for this store, and write transactions."""

from __future__ import annotations

import os
import select
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, NamedTuple

import sqlalchemy as sa
from psycopg import pq
from sqlalchemy import orm
from sqlalchemy.sql.compiler import SQLCompiler


def make_engine(url: str, *, busy_timeout: int = 30, pool_size: int = 5) -> sa.Engine:
    """Create the engine for a SQLAlchemy URL.

    SQLite files are opened with WAL journaling, ``synchronous=NORMAL``, a busy timeout of
    ``busy_timeout`` seconds and foreign keys on, and transactions start with
    ``BEGIN IMMEDIATE`` when :func:`begin_write` asks for it, so that concurrent writers
    queue on the busy timeout instead of failing with "database is locked" on lock
    upgrade. A SQLite file that does not exist yet is created readable by its owner only
    (see :func:`create_private`). PostgreSQL URLs without a driver use psycopg 3; a
    pooled PostgreSQL connection that the server has closed is replaced when checked out
    (:func:`discard_if_closed`), and a statement run with :data:`PLANNED_EACH_TIME` is
    planned for its own values each time (:func:`execute_unprepared`). Raises
    sqlalchemy.exc.ArgumentError for a malformed URL.
    """
    parsed = sa.engine.make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() != "sqlite":
        psycopg = parsed.get_dialect().driver == "psycopg"
        # Another driver pings: a round trip per checkout.
        engine = sa.create_engine(parsed, pool_size=pool_size, pool_pre_ping=not psycopg)
        if psycopg:
            sa.event.listen(engine, "checkout", discard_if_closed)
            sa.event.listen(engine, "do_execute", execute_unprepared)
        return engine
    if parsed.database and parsed.database != ":memory:" and "uri" not in parsed.query:
        create_private(parsed.database)
    engine = sa.create_engine(parsed, connect_args={"timeout": busy_timeout})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy issue BEGIN itself (pysqlite's own BEGIN is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


#: Execution options of a statement that PostgreSQL must plan for its values each time
#: it runs, never from a plan cached by an earlier run (see :func:`execute_unprepared`).
PLANNED_EACH_TIME = {"timeline_planned_each_time": True}


def execute_unprepared(cursor: Any, statement: str, parameters: Any, context: Any) -> bool:
    """Run a statement executed with :data:`PLANNED_EACH_TIME` unprepared (psycopg's
    ``prepare=False``) and return True (SQLAlchemy's ``do_execute`` event: done); return
    False for any other statement, which SQLAlchemy runs as usual.

    psycopg prepares a statement on the server once a connection has run it five times,
    and PostgreSQL then keeps one generic plan for it while the connection lives, chosen
    with the table's size when it was prepared. A lookup of many keys (``id IN (...)``)
    prepared while its table was empty, or before the table was first analyzed, stays a
    sequential scan as the table grows: on a store filled by writes right after it was
    created, every write read the whole ``events`` table. Unprepared, the statement is
    planned for the table as it is, at the cost of planning it (about 0.2 ms)."""
    options = context.execution_options if context is not None else {}
    if not options.get("timeline_planned_each_time"):
        return False
    cursor.execute(statement, parameters, prepare=False)
    return True


class Precompiled:
    """A constant statement (every parameter a named ``bindparam``), compiled once per
    dialect and run as that dialect's SQL (``exec_driver_sql``): SQLAlchemy computes no
    cache key of it per execution (about 160 µs of CPU for the INSERT of a new event,
    :mod:`timeline.store.newrows`, 60 µs for a POST's token query). The values are
    converted by the parameters' own types (their bind processors) as SQLAlchemy would;
    the rows come back as the driver gives them (no result processing). Raises
    ValueError, when first run, for a statement whose parameters are not all named."""

    def __init__(self, statement: sa.ClauseElement) -> None:
        self.statement = statement
        self._compiled: dict[type[sa.Dialect], _Compiled] = {}

    def _for(self, dialect: sa.Dialect) -> _Compiled:
        compiled = self._compiled.get(type(dialect))
        if compiled is None:
            done = self.statement.compile(dialect=dialect)
            assert isinstance(done, SQLCompiler)
            if any(name != bind.key for bind, name in done.bind_names.items()):
                names = sorted(done.bind_names.values())
                raise ValueError(f"not every parameter is named: {names}")
            processors = {
                bind.key: processor
                for bind in done.bind_names
                if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect))
            }
            order = tuple(done.positiontup) if done.positional and done.positiontup else None
            compiled = _Compiled(str(done), processors, order)
            self._compiled[type(dialect)] = compiled
        return compiled

    def execute(
        self,
        connection: sa.Connection,
        values: Mapping[str, Any],
        options: Mapping[str, Any] | None = None,
    ) -> sa.CursorResult[Any]:
        """Run the statement with ``values`` (by parameter name) on ``connection``, with
        the execution ``options``; return its result (raw driver rows). Raises what
        the driver raises, as SQLAlchemy's exceptions."""
        compiled = self._for(connection.dialect)
        processors = compiled.processors
        params = {
            name: processors[name](value) if name in processors else value
            for name, value in values.items()
        }
        if compiled.order is None:  # a named parameter style (psycopg's %(name)s)
            return connection.exec_driver_sql(compiled.sql, params, execution_options=options)
        ordered = tuple(params[name] for name in compiled.order)  # qmark (SQLite's ?)
        return connection.exec_driver_sql(compiled.sql, ordered, execution_options=options)


class _Compiled(NamedTuple):
    """A statement compiled for one dialect: its SQL, the bind processors of its
    parameters that have one (by name), and, for a positional parameter style, the
    names in the order the SQL takes them."""

    sql: str
    processors: dict[str, Any]
    order: tuple[str, ...] | None


def discard_if_closed(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Raise sqlalchemy.exc.DisconnectionError (the pool then connects again) when the
    idle psycopg connection ``dbapi_connection`` is closed or the server has sent it
    something: an idle connection hears from a PostgreSQL server only when it closes
    it (a restart, ``pg_terminate_backend``, the end of a proxy: an error message then
    end of file), and a notice on an idle connection only costs a new one.

    A pool checkout listener in place of ``pool_pre_ping``: one ``poll`` of the socket
    instead of a round trip per checkout. A server gone without closing (a host down)
    is found by the request's first statement: that request fails (503) and the pool
    drops every connection it holds (SQLAlchemy's handling of a disconnect)."""
    pgconn = dbapi_connection.pgconn
    if dbapi_connection.closed or pgconn.status != pq.ConnStatus.OK:
        raise sa.exc.DisconnectionError("the connection is closed")
    poller = select.poll()
    poller.register(pgconn.socket, select.POLLIN | select.POLLPRI)
    if poller.poll(0):
        raise sa.exc.DisconnectionError("the server closed the connection or sent a notice")


def create_private(path: str) -> None:
    """Create the empty SQLite file ``path`` with mode 0600 (its owner may read and write
    it, nobody else: it holds token hashes and every revision) when nothing is there yet;
    SQLite gives the file's ``-wal`` and ``-shm`` the same mode. An existing file keeps its
    mode; a folder that does not exist is left for SQLite to report."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError:
        pass


def begin_write(session: orm.Session) -> None:
    """Start ``session``'s transaction as a write (SQLite: ``BEGIN IMMEDIATE``).

    Call it first in a unit of work that will write; a no-op on other backends and when
    the session's transaction has already begun.
    """
    if not session.in_transaction():
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})


def begin_write_after_reads(session: orm.Session) -> None:
    """Start ``session``'s write transaction as :func:`begin_write` does, ending first
    the transaction that its reads began, if any (committed: it changed nothing), and
    expiring what the session has loaded: the write reads it again, as it is once the write's turn
    has come (a copy of the event from before a concurrent change would have its old
    ``sequence``). On SQLite a write in a transaction begun by a read must upgrade it,
    which SQLite refuses at once ("database is locked", SQLITE_BUSY_SNAPSHOT) when
    another write has committed since; ``BEGIN IMMEDIATE`` waits its turn instead.
    Raises RuntimeError when the session holds changes not yet flushed (they would be
    committed)."""
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("the session holds changes: begin the write before them")
    if session.in_transaction():
        session.commit()
    session.expire_all()  # kept by earlier commits too (expire_on_commit=False)
    begin_write(session)


@contextmanager
def before_begin(connection: sa.Connection) -> Iterator[bool]:
    """Send what the block runs on ``connection`` before its transaction begins on the
    server, when it has not begun yet (PostgreSQL, psycopg): in autocommit, each
    statement its own transaction, with no ``BEGIN`` round trip before it; yield
    whether it does (False: the transaction was open already, or SQLite, and the block
    runs in it as usual). Afterwards the connection is back in transaction mode: its
    next statement, if any, begins the transaction (``BEGIN``, then the statement).

    For a read that needs no lock (under READ COMMITTED, PostgreSQL's default and ours,
    each statement of a transaction reads its own snapshot anyway), or for a single
    statement that is a whole write and commits itself. SQLAlchemy still counts the
    transaction as begun; its COMMIT or ROLLBACK then finds none open on the server
    and sends nothing (psycopg)."""
    driver = connection.connection.driver_connection
    pgconn = getattr(driver, "pgconn", None)
    if (
        pgconn is None
        or driver.autocommit  # type: ignore[union-attr]
        or pgconn.transaction_status != pq.TransactionStatus.IDLE
    ):
        yield False
        return
    driver.autocommit = True  # type: ignore[union-attr]
    try:
        yield True
    finally:
        # A connection lost meanwhile is not idle and cannot be set; the pool drops it.
        if pgconn.transaction_status == pq.TransactionStatus.IDLE:
            driver.autocommit = False  # type: ignore[union-attr]
