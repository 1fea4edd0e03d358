"""The store's engine: a SQLite file created readable by its owner only; pooled
PostgreSQL connections that the server closed replaced without a ping."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from timeline.store.engine import make_engine


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
