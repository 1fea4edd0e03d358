"""One executemany of rows converted per column (timeline.store.manyrows) writes what
SQLAlchemy's executemany of the same statement writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import orm

from timeline.store.manyrows import execute_many
from timeline.store.models import Event, Revision

_EVENTS = Event.metadata.tables["events"]
_REVISIONS = Event.metadata.tables["revisions"]


def _event(event_id: str, **values: Any) -> dict[str, Any]:
    now = dt.datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=dt.UTC)
    return {
        "id": event_id,
        "title": "Launch, 发布",
        "description": "",
        "start": dt.datetime(2026, 3, 2, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        "end": None,
        "all_day": False,
        "timezone": "Europe/Berlin",
        "precision": "datetime",
        "approximate": True,
        "language": "en",
        "created": now,
        "updated": now,
        "sequence": 0,
        "deleted": False,
        "content_hash": "0" * 64,
    } | values


def _stored(session: orm.Session, table: sa.Table, key: str) -> list[tuple[Any, ...]]:
    """The rows of ``table`` as the database holds them (no conversion back)."""
    return list(session.connection().exec_driver_sql(f"SELECT * FROM {table.name} ORDER BY {key}"))


def test_rows_are_stored_as_sqlalchemy_stores_them(session: orm.Session) -> None:
    ours = [_event("a"), _event("b", all_day=True, end=dt.datetime(2026, 3, 4, tzinfo=dt.UTC))]
    theirs = [row | {"id": row["id"] + "-sa"} for row in ours]
    execute_many(session.connection(), sa.insert(_EVENTS), ours)
    session.execute(sa.insert(_EVENTS), theirs)
    revisions = [
        {
            "event_id": row["id"],
            "sequence": 0,
            "action": "create",
            "author": "t",
            "at": row["created"],
            "data": {"title": row["title"], "tags": ["x"], "deleted": False},
        }
        for row in ours + theirs
    ]
    execute_many(session.connection(), sa.insert(_REVISIONS), revisions[:2])
    session.execute(sa.insert(Revision), revisions[2:])
    events = {row[0]: row[1:] for row in _stored(session, _EVENTS, "id")}
    assert events["a"] == events["a-sa"] and events["b"] == events["b-sa"]
    assert events["a"] != events["b"]
    stored = [row[2:] for row in _stored(session, _REVISIONS, "id")]  # past id, event_id
    assert stored[:2] == stored[2:]


def test_a_computed_default_must_be_given(session: orm.Session) -> None:
    row = _event("a")
    del row["created"]  # its default is utcnow()
    with pytest.raises(ValueError, match="created"):
        execute_many(session.connection(), sa.insert(_EVENTS), [row])


def test_no_rows_write_nothing(session: orm.Session) -> None:
    execute_many(session.connection(), sa.insert(_EVENTS), [])
    assert _stored(session, _EVENTS, "id") == []
