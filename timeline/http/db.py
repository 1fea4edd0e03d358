"""The app's engine and the session of each request or command (one per Flask app
context), over the store's engine (:mod:`timeline.store.engine`)."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

import sqlalchemy as sa
from flask import Flask, current_app, g
from flask.cli import with_appcontext
from sqlalchemy import orm

from timeline.store import migrations
from timeline.store.engine import before_begin, begin_write, make_engine
from timeline.store.tzrules import follow_tz_rules, rules_changed
from timeline.store.version import StoreVersion, VersionReader

log = logging.getLogger("timeline")
P = ParamSpec("P")
R = TypeVar("R")


def init_app(app: Flask) -> None:
    """Create the app's engine and session factory (and the instance folder, if the
    database is the default SQLite file there: readable by its owner only, mode 0700),
    and close each request's session."""
    url = sa.make_url(app.config["DATABASE_URL"])
    if url.get_backend_name() == "sqlite" and url.database:
        folder = os.path.dirname(os.path.abspath(url.database))
        if folder == os.path.abspath(app.instance_path):
            os.makedirs(folder, mode=0o700, exist_ok=True)
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
    reader: VersionReader = current_app.extensions["timeline.version_reader"]
    return reader.read()


def timeline_version(timeline_id: int) -> StoreVersion | None:
    """Return the version of the timeline ``timeline_id`` as :func:`current_version`
    reads the store's, or None when there is no such timeline."""
    reader: VersionReader = current_app.extensions["timeline.version_reader"]
    return reader.read_timeline(timeline_id)


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
        g.db_session = current_app.extensions["timeline.sessionmaker"]()
    session: orm.Session = g.db_session
    return session


@contextmanager
def read_before_write() -> Iterator[sa.Connection]:
    """Yield a connection for the reads a request makes before its write transaction
    begins (its token, the timeline it writes to): reads that lock nothing.

    On PostgreSQL the request's own connection, in autocommit while the block runs
    (:func:`timeline.store.engine.before_begin`: no BEGIN round trip; under READ
    COMMITTED each statement of a transaction reads its own snapshot anyway). On SQLite
    a connection of its own: a read in the request's transaction would begin it as a
    read, and its write would then have to upgrade it, which SQLite refuses at once
    ("database is locked", SQLITE_BUSY_SNAPSHOT) when another writer has committed
    since, where ``BEGIN IMMEDIATE`` (:func:`timeline.store.engine.begin_write`) waits
    its turn."""
    session = get_session()
    if session.get_bind().dialect.name == "sqlite":
        with get_engine(current_app).connect() as own:
            yield own
        return
    connection = session.connection()
    with before_begin(connection):
        yield connection


def _close_session(_exc: BaseException | None) -> None:
    session: orm.Session | None = g.pop("db_session", None)
    if session is None:
        return
    try:
        session.close()
    except sa.exc.DBAPIError as error:
        # The connection died after the response was made (its closing ROLLBACK
        # failed): the response stands; SQLAlchemy has dropped the connection from the
        # pool (a disconnect), so the next request takes a sound one.
        log.warning("the database connection was lost as a request ended: %s", error.orig)


def rollback_session() -> None:
    """Roll back the current session, if any (after an error)."""
    session: orm.Session | None = g.get("db_session")
    if session is not None:
        session.rollback()


def prepare_engine(engine: sa.Engine, language: str) -> None:
    """Migrate the store of ``engine`` to the newest schema (texts stored before events
    had languages are in ``language``), then, when the tz database's rules changed since
    its instants were derived, derive them again
    (:func:`timeline.store.tzrules.follow_tz_rules`), committed."""
    migrations.upgrade(engine, language=language)
    with orm.Session(engine) as session:
        if rules_changed(session):
            session.rollback()
            begin_write(session)
            follow_tz_rules(session)
            session.commit()


def with_store(command: Callable[P, R]) -> Callable[P, R]:
    """Decorate a click command to run in the app context on a store migrated to the
    newest schema (a fresh database gets its tables first) and following this
    machine's tz database (:func:`prepare_engine`)."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        prepare_engine(get_engine(current_app), current_app.config["LANGUAGE"])
        return command(*args, **kwargs)

    return with_appcontext(wrapper)
