"""A new event's rows on PostgreSQL wait on the connection until its stamp at the commit
(:mod:`timeline.store.deferred`): whatever runs before finds them written, a rollback
forgets them, and migration 0010's function writes every row and the stamp
(tests/store/test_functions.py: it comes and goes with its migration)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy import orm

from timeline.http import db
from timeline.store import writes
from timeline.store.engine import begin_write
from timeline.store.models import Event
from timeline.store.values import EventData, Translation

START = dt.date(2025, 3, 19)


def _session(app: Flask) -> orm.Session:
    engine = db.get_engine(app)
    if engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: set TIMELINE_TEST_DATABASE_URL (as .ci/run does)")
    return orm.Session(engine)


def _data(event_id: str, **more: object) -> EventData:
    values: dict[str, object] = {
        "id": event_id,
        "title": "Rate decision",
        "start": START,
        "end": START + dt.timedelta(days=1),
        "all_day": True,
    }
    return EventData(**(values | more))  # type: ignore[arg-type]


def _count(session: orm.Session, table: str, event_id: str) -> int:
    query = sa.text(f"SELECT count(*) FROM {table} WHERE event_id = :id")  # noqa: S608
    return int(session.execute(query, {"id": event_id}).scalar_one())


def test_a_statement_after_the_new_event_finds_its_rows(app: Flask) -> None:
    with _session(app) as session:
        begin_write(session)
        writes.create_event(session, _data("waiting", tags=("Fed", "rates")), author="t")
        # Sent first: the rows, not stamped yet; then this statement.
        assert _count(session, "event_tags", "waiting") == 2
        assert _count(session, "revisions", "waiting") == 1
        stored = session.execute(sa.text("SELECT change_version FROM events WHERE id = 'waiting'"))
        assert stored.scalar_one() == 0
        session.commit()
        version = session.execute(sa.text("SELECT version FROM store_state")).scalar_one()
        stamped = session.get(Event, "waiting")
        assert stamped is not None and stamped.change_version == version


def test_a_rollback_forgets_the_rows(app: Flask) -> None:
    with _session(app) as session:
        begin_write(session)
        writes.create_event(session, _data("rolled-back"), author="t")
        session.rollback()
        # The next transaction on the same connection writes another event only.
        begin_write(session)
        writes.create_event(session, _data("kept"), author="t")
        session.commit()
        ids = session.execute(sa.text("SELECT id FROM events ORDER BY id")).scalars().all()
    assert ids == ["kept"]


def test_the_stamped_write_stores_every_row(app: Flask) -> None:
    with _session(app) as session:
        begin_write(session)
        data = _data(
            "every-row",
            end=START + dt.timedelta(days=2),
            tags=("Fed", "利率"),
            organizations=("Federal Reserve",),
            translations=(Translation("zh", "利率决议"),),
        )
        writes.create_event(session, data, author="t", timelines=[1])
        session.commit()
        version, longest = session.execute(
            sa.text("SELECT version, longest FROM store_state")
        ).one()
        assert session.execute(sa.text("SELECT version FROM timelines")).scalar_one() == version
        assert longest == 2 * 86400 + 1  # as record_change counts it
        session.expunge_all()
        event = session.get(Event, "every-row")
        assert event is not None
        assert writes.event_data(event) == data
        assert event.change_version == version
        assert [t.label for t in event.tags] == ["Fed", "利率"]
        places = session.execute(sa.text("SELECT timeline_id FROM timeline_events"))
        assert places.scalars().all() == [1]


def test_a_taken_id_is_sqlalchemys_integrity_error_at_the_commit(app: Flask) -> None:
    with _session(app) as session:
        begin_write(session)
        writes.create_event(session, _data("taken"), author="t")
        session.commit()
        begin_write(session)
        writes.create_event(session, _data("taken"), author="t", known_free=True)
        with pytest.raises(sa.exc.IntegrityError, match="pk_events"):
            session.commit()
        session.rollback()
        assert session.execute(sa.text("SELECT count(*) FROM events")).scalar_one() == 1


def test_a_server_gone_before_the_commit_is_sqlalchemys_operational_error(app: Flask) -> None:
    # The message of the rows, the stamp and the COMMIT goes to psycopg itself: a
    # connection that PostgreSQL has closed is answered 503 as anywhere else, not 500.
    engine = db.get_engine(app)
    with _session(app) as session:
        begin_write(session)
        writes.create_event(session, _data("lost"), author="t")
        pid = session.connection().connection.driver_connection.info.backend_pid  # type: ignore[union-attr]
        with engine.connect() as other:
            other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            gone = sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
            while other.execute(gone, {"pid": pid}).scalar_one():
                time.sleep(0.01)
        with pytest.raises(sa.exc.OperationalError) as raised:
            session.commit()
        assert raised.value.connection_invalidated  # the pool connects again
        session.rollback()  # as write_unit does: nothing more is sent to the lost server
    with engine.connect() as connection:
        found = connection.execute(sa.text("SELECT count(*) FROM events WHERE id = 'lost'"))
        assert found.scalar_one() == 0
