"""The store's engine: a SQLite file created readable by its owner only; pooled
PostgreSQL connections that the server closed replaced without a ping."""

from __future__ import annotations

import datetime as dt
import os
import stat
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from timeline.http import db
from timeline.store.engine import Precompiled, make_engine
from timeline.store.models import ApiToken, table


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sqlite_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE t (x INTEGER)"))
            conn.execute(sa.text("INSERT INTO t VALUES (1)"))
        modes = {p.name: _mode(p) for p in tmp_path.iterdir()}
        engine.dispose()
    finally:
        os.umask(umask)
    assert modes == {"store.db": 0o600, "store.db-wal": 0o600, "store.db-shm": 0o600}


def test_an_existing_sqlite_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    path.touch()
    path.chmod(0o640)
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE t (x INTEGER)"))
    engine.dispose()
    assert _mode(path) == 0o640


def test_a_missing_folder_is_left_to_sqlite_to_report(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'missing' / 'store.db'}")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as error:
        assert "unable to open database file" in str(error)
    else:
        raise AssertionError("SQLite opened a file in a missing folder")
    assert not (tmp_path / "missing").exists()


def test_a_connection_the_server_closed_is_replaced_at_checkout(database_url: str) -> None:
    """A pooled PostgreSQL connection whose backend was terminated (as by a restart) is
    replaced when checked out, without a ping: the next statement succeeds."""
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL: set TIMELINE_TEST_DATABASE_URL (as .ci/run does)")
    engine = make_engine(database_url)
    admin = make_engine(database_url)
    statements: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    try:
        with engine.connect() as conn:
            pid = conn.scalar(sa.text("SELECT pg_backend_pid()"))
        with admin.connect() as conn:
            assert conn.scalar(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        deadline = time.monotonic() + 10
        while _backend_alive(admin, pid):
            assert time.monotonic() < deadline, "the backend did not end"
            time.sleep(0.05)
        statements.clear()
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT pg_backend_pid()")) != pid
        assert statements == ["SELECT pg_backend_pid()"]  # no ping
    finally:
        engine.dispose()
        admin.dispose()


def _backend_alive(engine: sa.Engine, pid: int) -> bool:
    with engine.connect() as conn:
        query = sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
        return bool(conn.scalar(query, {"pid": pid}))


def test_a_precompiled_statement_runs_as_sqlalchemy_runs_it(app: Flask) -> None:
    """The same rows as SQLAlchemy's own execution, the values converted by the
    parameters' types (an aware time stored as naive UTC by UtcDateTime), on SQLite's
    positional parameters and psycopg's named ones; a statement with a parameter that
    has no name of its own is refused."""
    tokens = table(ApiToken)
    columns = ("name", "token_hash", "admin", "created")
    insert = tokens.insert().values({c: sa.bindparam(c, type_=tokens.c[c].type) for c in columns})
    created = dt.datetime(2025, 2, 18, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    select = sa.select(tokens.c.name, tokens.c.admin, tokens.c.created).where(
        tokens.c.token_hash == sa.bindparam("digest"), tokens.c.name != sa.bindparam("not")
    )
    engine = db.get_engine(app)
    with engine.connect() as conn:
        Precompiled(insert).execute(
            conn, {"name": "a", "token_hash": "h1", "admin": True, "created": created}
        )
        conn.execute(insert, {"name": "b", "token_hash": "h2", "admin": True, "created": created})
        raw = Precompiled(select).execute(conn, {"digest": "h2", "not": "x"}).one()
        usual = conn.execute(select, {"digest": "h1", "not": "x"}).one()
        stored = conn.execute(sa.select(sa.cast(tokens.c.created, sa.String))).scalars().all()
        conn.rollback()
    utc = dt.datetime(2025, 2, 18, 1, 30, tzinfo=dt.UTC)
    assert (usual.name, usual.admin, usual.created) == ("a", True, utc)  # the precompiled's
    assert (raw.name, bool(raw.admin)) == ("b", True)  # SQLite gives 1: the driver's value
    assert len(set(stored)) == 1 and stored[0].startswith("2025-02-18 01:30:00")
    unnamed = sa.select(tokens.c.name).where(tokens.c.token_hash == "h1")
    with engine.connect() as conn, pytest.raises(ValueError, match="not every parameter"):
        Precompiled(unnamed).execute(conn, {})
