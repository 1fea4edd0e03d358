"""Loading synthetic events into a store: through ``timeline.store.writes.create_event`` (the
application's write path), or in bulk with SQLAlchemy core writing the same rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import orm

from bench.generate import ORGANIZATIONS, make_events
from timeline.http import db
from timeline.store import writes
from timeline.store.engine import begin_write, make_engine
from timeline.store.models import (
    DEFAULT_TIMELINE_ID,
    Event,
    EventOrganization,
    EventTag,
    Organization,
    OrganizationAlias,
    Revision,
    StoreState,
    Tag,
    Timeline,
    TimelineEvent,
    utcnow,
)
from timeline.store.values import EventData, slugify

AUTHOR = "bench"


def _define_organizations(session: Any) -> None:
    for name, aliases in ORGANIZATIONS:
        writes.define_organization(session, name, aliases)


def load_events(app: Flask, count: int, *, seed: int = 1, batch: int = 1000) -> float:
    """Create ``count`` synthetic events with :func:`timeline.store.writes.create_event`, one
    commit per ``batch``; return the seconds taken."""
    began = time.perf_counter()
    with app.app_context():
        session = db.get_session()
        begin_write(session)
        _define_organizations(session)
        session.commit()
        for i, data in enumerate(make_events(count, seed), start=1):
            if not session.in_transaction():
                begin_write(session)
            writes.create_event(session, data, author=AUTHOR)
            if i % batch == 0:
                session.commit()
                session.expunge_all()
        session.commit()
    return time.perf_counter() - began


def _as_utc(value: dt.date | dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC)
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


class _Orgs:
    """Organization ids and canonical names by alias slug, read once from the store."""

    def __init__(self, conn: sa.Connection) -> None:
        stmt = sa.select(OrganizationAlias.slug, Organization.id, Organization.name).join(
            Organization, Organization.id == OrganizationAlias.organization_id
        )
        self.by_slug = {slug: (oid, name) for slug, oid, name in conn.execute(stmt)}


def _rows(
    data: EventData, now: dt.datetime, orgs: _Orgs, version: int
) -> dict[str, list[dict[str, Any]]]:
    """Return the rows create_event writes for ``data``, by table (its columns as
    writes.content_columns gives them)."""
    labels: dict[str, str] = {}
    for label in data.tags:
        labels.setdefault(slugify(label), label)
    linked: dict[int, str] = {}
    for name in data.organizations:
        oid, canonical = orgs.by_slug[slugify(name)]
        linked.setdefault(oid, canonical)
    start = _as_utc(data.start)
    end = _as_utc(data.end)
    assert start is not None
    stored = dataclasses.replace(
        data,
        start=start.date() if data.all_day else start,
        end=None if end is None else (end.date() if data.all_day else end),
        tags=tuple(labels.values()),
        organizations=tuple(linked.values()),
    )
    event = writes.content_columns(data) | {
        "id": data.id,
        "created": now,
        "updated": now,
        "sequence": 0,
        "deleted": False,
        "change_version": version,  # what state.record_change stamps
    }
    return {
        "events": [event],
        "event_tags": [
            {"event_id": data.id, "tag_slug": slug, "label": label, "position": i}
            for i, (slug, label) in enumerate(labels.items())
        ],
        "event_organizations": [
            {"event_id": data.id, "organization_id": oid, "position": i}
            for i, oid in enumerate(linked)
        ],
        "revisions": [
            {
                "event_id": data.id,
                "sequence": 0,
                "action": "create",
                "author": AUTHOR,
                "at": now,
                "data": stored.to_json() | {"deleted": False},
            }
        ],
        "timeline_events": [{"timeline_id": DEFAULT_TIMELINE_ID, "event_id": data.id}],
    }


TABLES = {
    "events": Event.__table__,
    "event_tags": EventTag.__table__,
    "event_organizations": EventOrganization.__table__,
    "revisions": Revision.__table__,
    "timeline_events": TimelineEvent.__table__,
}


def bulk_load(url: str, count: int, *, seed: int = 1, batch: int = 5000) -> float:
    """Insert ``count`` synthetic events with SQLAlchemy core, writing the rows that
    :func:`load_events` would (events, tags, links, first revisions; see
    :func:`verify_bulk`), one commit per ``batch``; return the seconds taken."""
    began = time.perf_counter()
    engine = make_engine(url)
    try:
        with orm.Session(engine) as session:
            _define_organizations(session)
            session.commit()
        with engine.connect() as conn:
            orgs = _Orgs(conn)
            tags = set(conn.scalars(sa.select(Tag.slug)))
            first = _version(conn)
            longest = 0
            conn.commit()
            base = utcnow()
            pending: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
            for i, data in enumerate(make_events(count, seed), start=1):
                now = base + dt.timedelta(microseconds=i)
                for name, table_rows in _rows(data, now, orgs, first + i).items():
                    pending[name].extend(table_rows)
                longest = max(longest, _span(data))
                if i % batch == 0 or i == count:
                    _flush(conn, pending, tags)
                    _raise_version(conn, first + i, now, longest)
                    conn.commit()
    finally:
        engine.dispose()
    return time.perf_counter() - began


def _flush(conn: sa.Connection, pending: dict[str, list[dict[str, Any]]], tags: set[str]) -> None:
    """Insert the pending rows (new tags first) and empty ``pending``."""
    new_tags = {r["tag_slug"] for r in pending["event_tags"]} - tags
    if new_tags:
        conn.execute(sa.insert(Tag.__table__), [{"slug": s} for s in sorted(new_tags)])
        tags |= new_tags
    for name, table in TABLES.items():
        if pending[name]:
            conn.execute(sa.insert(table), pending[name])
        pending[name] = []


def _version(conn: sa.Connection) -> int:
    return int(conn.scalar(sa.select(StoreState.version).where(StoreState.id == 1)) or 0)


def _span(data: EventData) -> int:
    """Return the event's span in whole seconds, rounded up, as state.record_change keeps
    it for the store's longest span (0 for an instant)."""
    start, end = _as_utc(data.start), _as_utc(data.end)
    assert start is not None
    return 0 if end is None else int((end - start).total_seconds()) + 1


def _raise_version(conn: sa.Connection, version: int, now: dt.datetime, longest: int) -> None:
    """Set the store version row as ``version`` calls of state.record_change would: the
    version, the newest change's time and the longest event span."""
    when = sa.literal(now, StoreState.updated.type)
    conn.execute(
        sa.update(StoreState)
        .where(StoreState.id == 1)
        .values(
            version=version,
            updated=sa.case((StoreState.updated < when, when), else_=StoreState.updated),
            longest=sa.case((StoreState.longest < longest, longest), else_=StoreState.longest),
        )
    )
    # The default timeline, which holds every loaded event, follows (as touch_timelines).
    conn.execute(
        sa.update(Timeline)
        .where(Timeline.id == DEFAULT_TIMELINE_ID)
        .values(
            version=version,
            updated=sa.case((Timeline.updated < when, when), else_=Timeline.updated),
        )
    )


def _dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of the event tables, minus clock-dependent and surrogate columns."""
    skip = {"created", "updated", "at"}
    engine = make_engine(url)
    out: dict[str, list[tuple[Any, ...]]] = {}
    try:
        with engine.connect() as conn:
            tables = {**TABLES, "tags": Tag.__table__, "store_state": StoreState.__table__}
            for name, table in tables.items():
                ignored = skip | ({"id"} if name == "revisions" else set())
                cols = [c for c in table.columns if c.name not in ignored]
                rows = conn.execute(sa.select(*cols)).all()
                out[name] = sorted(tuple(_plain(v) for v in r) for r in rows)
    finally:
        engine.dispose()
    return out


def _plain(value: Any) -> Any:
    return repr(sorted(value.items())) if isinstance(value, dict) else value


def verify_bulk(count: int = 300) -> bool:
    """Load ``count`` events through create_event and in bulk into two fresh SQLite files
    and return whether every table holds the same rows (clock columns aside)."""
    from bench.stores import close_app, make_app, sqlite_store

    orm_store, bulk_store = sqlite_store("verify-orm"), sqlite_store("verify-bulk")
    try:
        app = make_app(orm_store.url)
        load_events(app, count)
        close_app(app)
        bulk_load(bulk_store.url, count, batch=97)
        return _dump(orm_store.url) == _dump(bulk_store.url)
    finally:
        orm_store.drop()
        bulk_store.drop()
