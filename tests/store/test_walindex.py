"""The wal-index header as a commit signal: the store version is read from SQL only after
a commit, by this process or any other."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from tests.store.test_writes import D, day_event
from timeline.http import db
from timeline.store import writes
from timeline.store.version import VersionReader
from timeline.store.walindex import WalIndex


@pytest.fixture
def sqlite_path(app: Flask) -> Path:
    engine = db.get_engine(app)
    if engine.dialect.name != "sqlite":
        pytest.skip("the wal-index is SQLite's")
    assert engine.url.database
    return Path(engine.url.database)


def _commit_elsewhere(path: Path) -> None:
    """Raise the store version from another process, with plain sqlite3."""
    code = (
        "import sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1])\n"
        "c.execute('UPDATE store_state SET version = version + 1 WHERE id = 1')\n"
        "c.commit()\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)


def _counting(reader: VersionReader) -> list[str]:
    """Start recording the SQL that the calling thread's reader connection runs."""
    statements: list[str] = []
    connection = reader._local.connection
    connection.set_trace_callback(statements.append)
    return statements


def test_reads_skip_sql_until_another_process_commits(app: Flask, sqlite_path: Path) -> None:
    reader = VersionReader(db.get_engine(app))
    try:
        reader.read()  # connects, reads, then maps the wal-index
        first = reader.read()  # marks the header, reads
        statements = _counting(reader)
        assert [reader.read() for _ in range(5)] == [first] * 5
        assert statements == []
        _commit_elsewhere(sqlite_path)
        after = reader.read()
        assert after.version == first.version + 1
        assert len(statements) == 1 and "store_state" in statements[0]
        assert reader.read() == after and len(statements) == 1
    finally:
        reader.close()


def test_a_commit_in_this_process_is_seen_at_once(app: Flask, sqlite_path: Path) -> None:
    reader = VersionReader(db.get_engine(app))
    try:
        before = reader.read()
        with app.app_context():
            session = db.get_session()
            writes.create_event(session, day_event("w", D(2025, 1, 1)), author="t")
            session.commit()
        assert reader.read().version == before.version + 1
    finally:
        reader.close()


def test_the_header_changes_with_each_commit_only(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("CREATE TABLE t (n INTEGER)")
    index = WalIndex.open(str(path))
    assert index is not None
    try:
        marks = [index.mark()]
        writer.execute("SELECT count(*) FROM t").fetchone()
        assert index.mark() == marks[0]  # a read is no commit
        for n in range(3):
            writer.execute("INSERT INTO t VALUES (?)", (n,))
            marks.append(index.mark())
        assert len(set(marks)) == 4
        writer.execute("BEGIN")
        writer.execute("INSERT INTO t VALUES (9)")
        assert index.mark() == marks[-1]  # not committed yet
        writer.execute("ROLLBACK")
        assert index.mark() == marks[-1]
    finally:
        index.close()
        writer.close()
    assert index.mark() is None


def test_no_wal_index_without_wal(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    sqlite3.connect(path).execute("CREATE TABLE t (n INTEGER)").close()
    assert WalIndex.open(str(path)) is None  # rollback journal: no -shm file
    assert WalIndex.open(":memory:") is None and WalIndex.open(None) is None
