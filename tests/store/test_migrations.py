"""Alembic migrations: they build exactly the models' schema, and step down and up again."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask

from tests.conftest import AppFactory, create_token
from timeline.http import db
from timeline.store import migrations, writes
from timeline.store.engine import begin_write
from timeline.store.models import Base, Event, Revision
from timeline.store.queries import NEWEST_FIRST, EventFilter, conditions, recurring_before
from timeline.store.values import EventData


def test_migrations_build_the_models_schema(app: Flask) -> None:
    engine = db.get_engine(app)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
    assert migrations.is_current(engine)


def test_downgrade_and_upgrade_keep_the_events(seeded_app: Flask) -> None:
    engine = db.get_engine(seeded_app)
    migrations.downgrade(engine, "0002")
    assert not migrations.is_current(engine)
    migrations.upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM events")).scalar() == 21
        state = connection.execute(sa.text("SELECT version, longest FROM store_state")).one()
    assert state.version == 1  # existing events count as one change
    assert state.longest == 365 * 24 * 3600 + 1  # the 2025 "Apply AI" plan spans the year


def _plan(app: Flask, flt: EventFilter) -> str:
    with app.app_context():
        session = db.get_session()
        stmt = sa.select(Event.id).where(*conditions(session, flt)).order_by(*NEWEST_FIRST)
        sql = stmt.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        rows = session.execute(sa.text(f"EXPLAIN QUERY PLAN {sql}")).all()
    return "\n".join(row[3] for row in rows)


def test_filters_read_indexes(seeded_app: Flask) -> None:
    """On SQLite: a date range reads the start index between two bounds (the lower one
    from the longest event span), tags and organizations read their own indexes."""
    if db.get_engine(seeded_app).dialect.name != "sqlite":
        return  # PostgreSQL plans by its statistics; the SQLite plan is the checked one
    ranged = _plan(seeded_app, EventFilter(start=dt.date(2025, 2, 1), until=dt.date(2025, 2, 10)))
    assert "USING INDEX ix_events_deleted_start_id (deleted=? AND start>? AND start<?)" in ranged
    assert "ix_event_tags_tag_slug_event_id (tag_slug=?)" in _plan(
        seeded_app, EventFilter(tags=("summit",))
    )
    assert "ix_event_organizations_organization_id_event_id (organization_id=?)" in _plan(
        seeded_app, EventFilter(org="openai")
    )
    assert "TEMP B-TREE" not in _plan(seeded_app, EventFilter())


def test_texts_stored_before_languages_are_in_the_configured_language(
    seeded_app: Flask,
) -> None:
    engine = db.get_engine(seeded_app)
    migrations.downgrade(engine, "0004")
    with engine.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("events")}
    assert "language" not in columns
    migrations.upgrade(engine, language="zh")
    with engine.connect() as connection:
        languages = connection.execute(sa.text("SELECT DISTINCT language FROM events")).all()
        translations = connection.execute(sa.text("SELECT count(*) FROM event_translations"))
        assert translations.scalar() == 0
    assert languages == [("zh",)]


SERVED = [
    "/api/events?limit=200",
    "/api/events/meeting",
    "/calendar.ics",
    "/events/meeting.ics",
    "/feed.rss",
    "/feed.atom",
    "/feed.json",
    "/timeline.json",
    "/",
]


def test_a_store_written_at_0005_is_served_with_the_same_content(make_app: AppFactory) -> None:
    """Seeds, a timed event in a zone, one in UTC: at 0005 (the schema before wall
    times and organizations' names by language), upgraded to the newest and served
    again, every document is the same (in the events' own languages: 0005 knew no
    organization's Chinese name)."""
    first = make_app(SEED_ON_START=True)
    token = create_token(first)
    client = first.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    for body in (
        {
            "id": "meeting",
            "title": "Board",
            "start": "2026-07-01T10:00:00",
            "timezone": "Europe/Berlin",
        },
        {
            "id": "call",
            "title": "Call",
            "start": "2026-03-29T01:30:00Z",
            "end": "2026-03-29T03:00:00Z",
        },
    ):
        assert client.post("/api/events", json=body, headers=headers).status_code == 201
    before = {path: client.get(path).data for path in SERVED}
    engine = db.get_engine(first)
    migrations.downgrade(engine, "0005")
    with engine.begin() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("events")}
        # What 0005's code stored, without what this code rendered: rendered anew.
        connection.execute(sa.text("DELETE FROM event_parts"))
    assert "wall_start" not in columns
    second = make_app()  # migrates to the newest schema
    with engine.connect() as connection:
        walls = connection.execute(
            sa.text("SELECT id, wall_start, wall_end FROM events WHERE NOT all_day ORDER BY id")
        ).all()
    assert walls == [("call", None, None), ("meeting", "2026-07-01T10:00:00+02:00", None)]
    after = {path: second.test_client().get(path).data for path in SERVED}
    assert after == before


def test_a_store_written_at_0006_is_served_with_the_same_content_in_the_default_timeline(
    make_app: AppFactory,
) -> None:
    """At 0006 (one timeline, tokens that write anything), upgraded: every event is in
    the default timeline (``main``), its documents are those of before with the same
    ETags, and an old token writes to it, and to it only."""
    first = make_app(SEED_ON_START=True)
    token = create_token(first)
    client = first.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    body = {"id": "meeting", "title": "Board", "start": "2026-07-01T10:00:00Z"}
    assert client.post("/api/events", json=body, headers=headers).status_code == 201
    before = {path: client.get(path) for path in SERVED}
    engine = db.get_engine(first)
    migrations.downgrade(engine, "0006")
    with engine.connect() as connection:
        assert "timelines" not in sa.inspect(connection).get_table_names()
    second = make_app()  # migrates to the newest schema
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT slug, version FROM timelines")).all()
        held = connection.execute(sa.text("SELECT count(*) FROM timeline_events")).scalar()
        rights = connection.execute(sa.text("SELECT * FROM token_timelines")).all()
        state = connection.execute(sa.text("SELECT version FROM store_state")).scalar()
    assert rows == [("main", state)]
    assert held == 22
    assert rights == [("tester", 1)]
    again = second.test_client()
    for path, response in before.items():
        after = again.get(path)
        assert after.data == response.data, path
        assert after.headers.get("ETag") == response.headers.get("ETag"), path
    assert again.get("/t/main/feed.atom").status_code == 200
    made = again.post("/api/timelines", json={"slug": "fed"}, headers=headers)
    assert made.status_code == 403
    changed = again.patch("/api/events/meeting", json={"title": "Board, moved"}, headers=headers)
    assert changed.status_code == 200


#: The revision before recurrence and status (issue 22).
BEFORE_RECURRENCE = "0007"


def test_a_store_written_before_recurrence_is_served_with_the_same_content(
    make_app: AppFactory,
) -> None:
    """Seeds and a deleted event, at the revision before recurrence and status, upgraded
    to the newest and served again: every document is the same, every event
    ``confirmed`` and not recurring, and the deleted one no tombstone (it was deleted
    before tombstones were published)."""
    first = make_app(SEED_ON_START=True)
    token = create_token(first)
    client = first.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    body = {"id": "meeting", "title": "Board", "start": "2026-07-01T10:00:00Z"}
    assert client.post("/api/events", json=body, headers=headers).status_code == 201
    body = {"id": "gone", "title": "Gone", "start": "2026-07-02"}
    assert client.post("/api/events", json=body, headers=headers).status_code == 201
    assert client.delete("/api/events/gone", headers=headers).status_code == 204
    before = {path: client.get(path).data for path in SERVED}
    assert b"UID:gone@" in before["/calendar.ics"]  # a tombstone
    engine = db.get_engine(first)
    migrations.downgrade(engine, BEFORE_RECURRENCE)
    with engine.begin() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("events")}
        connection.execute(sa.text("DELETE FROM event_parts"))
    assert not {"status", "rrule", "tombstone"} & columns
    second = make_app()  # migrates to the newest schema
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT DISTINCT status, rrule, rdate, exdate, tombstone FROM events")
        ).all()
    assert rows == [("confirmed", None, "", "", False)]
    after = {path: second.test_client().get(path).data for path in SERVED}
    # "gone" was deleted before tombstones were kept: in no calendar any more.
    assert b"UID:gone@" not in after.pop("/calendar.ics")
    del before["/calendar.ics"]
    assert after == before
    api = second.test_client().get("/api/events/meeting").get_json()
    assert (api["status"], api["rrule"], api["rdate"]) == ("confirmed", None, [])


def test_an_events_history_reads_the_unique_index_of_its_revisions(seeded_app: Flask) -> None:
    """Migration 0014 dropped ix_revisions_event_id: an event's revisions, in sequence
    order, are read through uq_revisions_event_seq (event_id, sequence), with no sort."""
    with seeded_app.app_context():
        session = db.get_session()
        names = sa.inspect(session.connection()).get_indexes("revisions")
        assert "ix_revisions_event_id" not in [index["name"] for index in names]
        event_id = session.scalars(sa.select(Event.id).limit(1)).one()
        assert [r.sequence for r in writes.revisions(session, event_id)] == [0]
        if session.get_bind().dialect.name != "sqlite":
            return  # PostgreSQL plans by its statistics; the SQLite plan is the checked one
        stmt = sa.select(Revision).where(Revision.event_id == event_id)
        sql = stmt.order_by(Revision.sequence).compile(
            session.get_bind(), compile_kwargs={"literal_binds": True}
        )
        plan = " ".join(row[3] for row in session.execute(sa.text(f"EXPLAIN QUERY PLAN {sql}")))
    assert "USING INDEX sqlite_autoindex_revisions_1 (event_id=?)" in plan, plan
    assert "TEMP B-TREE" not in plan


def test_the_recurring_events_before_a_window_are_read_through_their_own_index(
    seeded_app: Flask,
) -> None:
    """Migration 0015: the recurring events begun before a window's first day (read for
    every page, and every feed or listing with ``from``) come from the partial index
    ix_events_recurring, not from every event begun before the window's end (250 ms for
    the page at 100,000 events on SQLite). A database uses a partial index only for a
    query whose condition implies the index's: with sequential scans off, PostgreSQL
    shows that it may; SQLite, with no statistics, must choose it by itself."""
    flt = EventFilter(start=dt.date(2025, 2, 1), until=dt.date(2025, 2, 10), timeline=1)
    with seeded_app.app_context():
        session = db.get_session()
        stmt = recurring_before(session, flt).order_by(Event.id)
        sql = stmt.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        if session.get_bind().dialect.name == "sqlite":
            rows = session.execute(sa.text(f"EXPLAIN QUERY PLAN {sql}")).all()
            plan = " ".join(row[3] for row in rows)
            assert "SEARCH events USING INDEX ix_events_recurring (deleted=? AND start<?)" in plan
        else:
            session.execute(sa.text("SET LOCAL enable_seqscan = off"))
            plan = " ".join(session.scalars(sa.text(f"EXPLAIN {sql}")))
            assert "ix_events_recurring" in plan, plan
        # What it reads: exactly the recurring events, deleted or not as asked.
        session.rollback()
        weekly = EventData(
            id="weekly-call",
            title="Weekly call",
            start=dt.date(2025, 1, 6),
            end=dt.date(2025, 1, 7),
            all_day=True,
            rrule="FREQ=WEEKLY;COUNT=8",
        )
        begin_write(session)
        writes.create_event(session, weekly, author="test")
        session.commit()
        found = [event.id for event in session.scalars(recurring_before(session, flt))]
    assert found == ["weekly-call"]
