"""How a query finds a timeline's events. On SQLite a timeline holding many is tested
for each event read (EXISTS), so that a page of the newest events stops after a few
more than the page, where SQLite first listed every event of the timeline (IN: 17 ms
at 100,000 events, twice per page); a small one is listed, cheaper than testing its
few events among many. PostgreSQL plans either as a semi-join. Either way, the same
events in the same order."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask import Flask

from timeline.http import db
from timeline.store import queries, timelines
from timeline.store.engine import begin_write
from timeline.store.models import Event
from timeline.store.queries import EventFilter, conditions, list_events, window_events


def _plan(session: sa.orm.Session, flt: EventFilter) -> str:
    stmt = sa.select(Event.id).where(*conditions(session, flt)).order_by(*queries.NEWEST_FIRST)
    sql = stmt.limit(5).compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    if session.get_bind().dialect.name == "sqlite":
        rows = session.execute(sa.text(f"EXPLAIN QUERY PLAN {sql}")).all()
        return " ".join(row[3] for row in rows)
    return str(sql)


def test_a_timeline_of_many_events_is_tested_per_event_and_a_small_one_listed(
    seeded_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries, "MANY_EVENTS", 5)  # the seeds' 21 events are many
    with seeded_app.app_context():
        session = db.get_session()
        begin_write(session)
        small = timelines.create_timeline(session, "small", {}, language="en")
        ids = sorted(session.scalars(sa.select(Event.id)))
        assert len(ids) == 21
        timelines.place_events(session, small.id, ids[:4])
        session.commit()
        main = timelines.default_timeline(session).id

        many, few = EventFilter(timeline=main), EventFilter(timeline=small.id)
        if session.get_bind().dialect.name == "sqlite":
            assert "CORRELATED SCALAR SUBQUERY" in _plan(session, many)
            assert "LIST SUBQUERY" not in _plan(session, many)
            assert "LIST SUBQUERY" in _plan(session, few)
            assert "CORRELATED" not in _plan(session, few)
        else:  # PostgreSQL plans either as a semi-join: listed, with no read of the size
            assert "IN (SELECT" in _plan(session, many)
            assert "IN (SELECT" in _plan(session, few)

        # The same events, in the same order, as the other form gives.
        for flt, count in ((many, 21), (few, 4)):
            for per_event in (True, False):
                stmt = sa.select(Event.id).where(
                    *conditions(session, flt, timeline_per_event=per_event)
                )
                found = session.scalars(stmt.order_by(*queries.NEWEST_FIRST)).all()
                assert found == [e.id for e in list_events(session, flt)]
                assert len(found) == count
        assert sorted(e.id for e in list_events(session, few)) == ids[:4]
        # A window of days, as the page reads it.
        days = EventFilter(timeline=main, start=dt.date(2025, 2, 1))
        window = window_events(session, days, queries.Anchor(), 3)
        newest = [e.id for e in list_events(session, days)]
        assert len(newest) > 3
        assert [e.id for e in window.events] == newest[:3]


def test_the_size_of_a_timeline_is_read_once_per_session_on_sqlite(
    seeded_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements: list[str] = []
    with seeded_app.app_context():
        session = db.get_session()
        main = timelines.default_timeline(session).id
        engine = db.get_engine(seeded_app)

        def record(_c: object, _cur: object, statement: str, *_args: object) -> None:
            statements.append(statement)

        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            for _ in range(3):
                conditions(session, EventFilter(timeline=main))
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)
    probes = [s for s in statements if "FROM timeline_events" in s]
    if db.get_engine(seeded_app).dialect.name == "sqlite":
        assert len(probes) == 1, statements
        assert "OFFSET" in probes[0]
    else:
        assert probes == []
