"""The store's engine: a SQLite file created readable by its owner only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

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
