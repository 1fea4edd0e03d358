"""Alembic migrations: they build exactly the models' schema, and step down and up again."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask

from timeline.http import db
from timeline.store import migrations
from timeline.store.models import Base, Event
from timeline.store.queries import NEWEST_FIRST, EventFilter, conditions


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
