"""Database engine and the session of each request or command."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask, g
from sqlalchemy import orm

from timeline.state import StoreVersion, VersionReader


def make_engine(url: str, *, busy_timeout: int = 30, pool_size: int = 5) -> sa.Engine:
    """Create the engine for a SQLAlchemy URL.

    SQLite files are opened with WAL journaling, ``synchronous=NORMAL``, a busy timeout of
    ``busy_timeout`` seconds and foreign keys on, and transactions start with
    ``BEGIN IMMEDIATE`` when :func:`begin_write` asks for it, so that concurrent writers
    queue on the busy timeout instead of failing with "database is locked" on lock
    upgrade. PostgreSQL URLs without a driver use psycopg 3.
    Raises sqlalchemy.exc.ArgumentError for a malformed URL.
    """
    parsed = sa.engine.make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(parsed, pool_size=pool_size, pool_pre_ping=True)
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


def init_app(app: Flask) -> None:
    """Create the app's engine and session factory, and close each request's session."""
    engine = make_engine(
        app.config["DATABASE_URL"],
        busy_timeout=int(app.config["SQLITE_BUSY_TIMEOUT"]),
        pool_size=int(app.config["DB_POOL_SIZE"]),
    )
    app.extensions["timeline.engine"] = engine
    app.extensions["timeline.sessionmaker"] = orm.sessionmaker(engine, expire_on_commit=False)
    app.extensions["timeline.version_reader"] = VersionReader(engine)
    app.teardown_appcontext(_close_session)


def current_version() -> StoreVersion:
    """Return the store version, read for this request from the database (one primary-key
    lookup, no transaction). Raises sqlalchemy.exc.OperationalError when unreachable."""
    from flask import current_app

    reader: VersionReader = current_app.extensions["timeline.version_reader"]
    return reader.read()


def close_app(app: Flask) -> None:
    """Close every database connection of ``app`` (for tests and shutdown), and its
    spool's index."""
    app.extensions["timeline.version_reader"].close()
    app.extensions["timeline.spool"].close()
    get_engine(app).dispose()


def get_engine(app: Flask) -> sa.Engine:
    """Return the app's engine."""
    engine: sa.Engine = app.extensions["timeline.engine"]
    return engine


def get_session() -> orm.Session:
    """Return the session of the current request or command (one per app context)."""
    if "db_session" not in g:
        from flask import current_app

        g.db_session = current_app.extensions["timeline.sessionmaker"]()
    session: orm.Session = g.db_session
    return session


def _close_session(_exc: BaseException | None) -> None:
    session: orm.Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()


def begin_write(session: orm.Session) -> None:
    """Start ``session``'s transaction as a write (SQLite: ``BEGIN IMMEDIATE``).

    Call it first in a unit of work that will write; a no-op on other backends and when
    the session's transaction has already begun.
    """
    if not session.in_transaction():
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})


def rollback_session() -> None:
    """Roll back the current session, if any (after an error)."""
    session: orm.Session | None = g.get("db_session")
    if session is not None:
        session.rollback()
