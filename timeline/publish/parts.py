"""Each event's VEVENT rendered once per revision and kept in the store, so that a
calendar is a header, its VTIMEZONEs, and a join of stored parts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.dialects import postgresql, sqlite

import feeds
from feeds.times import UTC_NAMES
from timeline.publish.convert import Published, entry_of
from timeline.publish.rows import COLUMNS, load_published, published_row, published_rows
from timeline.store.bulk import Added
from timeline.store.engine import begin_write
from timeline.store.manyrows import execute_many
from timeline.store.models import Event, EventPart
from timeline.store.queries import (
    NEWEST_FIRST,
    EventFilter,
    batch_conditions,
    conditions,
    older_than,
)

KIND_ICS = "ics"
#: A calendar stream stores the parts it renders once it has this many: a few
#: megabytes held, and one write transaction where five of 2,000 parts wrote most pages
#: of the index (random ids) five times over; 300,000 events: commits 37 -> 15 µs a part.
STORE_EVERY = 10_000
#: The keys of :data:`timeline.publish.rows.COLUMNS` in an added event's row.
_ROW_KEYS = [column.key for column in COLUMNS]


def part_kind(lang: str | None) -> str:
    """The kind of an event's stored VEVENT in the language ``lang`` (BCP 47): ``ics``
    (each event's original language) or ``ics:zh``."""
    return KIND_ICS if lang is None else f"{KIND_ICS}:{lang}"


def _upsert(session: orm.Session, rows: list[dict[str, Any]]) -> None:
    """Insert parts, replacing existing ones (two processes may render the same part), as
    one statement executed for many rows (not one statement of many VALUES, whose
    compiling cost a second per 10,000 parts), in the order of their event ids: the
    inserts walk the primary key's index in order, each page of it written once."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(EventPart)
    stmt = stmt.on_conflict_do_update(
        index_elements=["event_id", "kind"],
        set_={
            "sequence": stmt.excluded.sequence,
            "key": stmt.excluded.key,
            "body": stmt.excluded.body,
        },
    )
    execute_many(session.connection(), stmt, sorted(rows, key=itemgetter("event_id")))


def current_part(key: str, lang: str | None = None) -> sa.ColumnElement[bool]:
    """The condition joining an event to its stored VEVENT in ``lang`` if that is
    current: rendered at the event's sequence with render key ``key``."""
    return sa.and_(
        EventPart.event_id == Event.id,
        EventPart.kind == part_kind(lang),
        EventPart.sequence == Event.sequence,
        EventPart.key == key,
    )


def refresh_parts(
    session: orm.Session,
    events: list[Published],
    config: dict[str, Any],
    key: str,
    lang: str | None = None,
) -> dict[str, bytes]:
    """Render the VEVENT of each of ``events`` (read with their organizations named in
    ``lang``) in ``lang`` and store it under (id, :func:`part_kind`) with the event's
    sequence and ``key``; return the bytes by event id. Raises ValueError as
    :func:`feeds.render_vevent` does, storing nothing. Does not commit."""
    rendered = {e.data.id: feeds.render_vevent(entry_of(e, config, lang)) for e in events}
    store_parts(session, events, rendered, key, lang)
    return rendered


def store_parts(
    session: orm.Session,
    events: list[Published],
    rendered: dict[str, bytes],
    key: str,
    lang: str | None = None,
) -> None:
    """Store the VEVENT bytes ``rendered`` (by event id) of those of ``events`` it has,
    under (id, :func:`part_kind`) with the event's sequence and ``key``, replacing what
    was stored. Does not commit."""
    _upsert(session, part_rows(events, rendered, key, lang))


def part_rows(
    events: list[Published], rendered: dict[str, bytes], key: str, lang: str | None = None
) -> list[dict[str, Any]]:
    """The ``event_parts`` rows of the VEVENT bytes ``rendered`` (by event id) of those of
    ``events`` it has, as :func:`store_parts` stores them."""
    kind = part_kind(lang)
    return [
        {"event_id": e.data.id, "kind": kind, "sequence": e.sequence, "key": key, "body": b}
        for e in events
        if (b := rendered.get(e.data.id)) is not None
    ]


def render_each(
    events: list[Published], config: dict[str, Any], lang: str | None = None
) -> dict[str, bytes]:
    """Render the VEVENT in ``lang`` of each of ``events`` that renders (see
    :func:`feeds.render_vevent`); those that raise ValueError are left out (a later
    :func:`store_missing` meets the error again). Returns the bytes by event id."""
    rendered = {}
    for event in events:
        try:
            rendered[event.data.id] = feeds.render_vevent(entry_of(event, config, lang))
        except ValueError:
            continue
    return rendered


def zone_span(first_year: int | None, last_year: int | None) -> tuple[dt.date, dt.date]:
    """The days (first, exclusive last) that VTIMEZONEs cover for timed events from
    ``first_year`` to ``last_year``: a year of margin before, two after, within the years
    a date can have; a token day when there are none."""
    if first_year is None or last_year is None:
        return dt.date(1970, 1, 1), dt.date(1970, 1, 2)
    first = dt.date(max(dt.MINYEAR, first_year - 1), 1, 1)
    last = dt.date.max if last_year + 2 > dt.MAXYEAR else dt.date(last_year + 2, 1, 1)
    return first, last


def calendar_zones(
    session: orm.Session, flt: EventFilter
) -> tuple[list[str], tuple[dt.date, dt.date]]:
    """Return the time zones the timed events of ``flt`` use, sorted, and the span of
    days their VTIMEZONEs must cover (:func:`zone_span`). Two aggregate queries."""
    timed = [
        *conditions(session, flt),
        Event.all_day.is_(False),
        Event.timezone.is_not(None),
        Event.timezone.not_in(UTC_NAMES),
    ]
    stmt = sa.select(Event.timezone).where(*timed).distinct()
    zones = sorted(z for z in session.scalars(stmt) if z is not None)
    first, last_start, last_end = session.execute(
        sa.select(sa.func.min(Event.start), sa.func.max(Event.start), sa.func.max(Event.end)).where(
            *timed
        )
    ).one()
    if not zones or first is None:
        return zones, zone_span(None, None)
    last = max(last_start, last_end or last_start)
    return zones, zone_span(first.year, last.year)


def iter_vevents(
    session_factory: orm.sessionmaker[orm.Session],
    flt: EventFilter,
    config: dict[str, Any],
    key: str,
    *,
    batch: int = 2000,
    lang: str | None = None,
) -> Generator[bytes, None, None]:
    """Yield the VEVENT bytes of every event matching ``flt``, newest first, reading
    ``batch`` rows at a time (memory does not grow with the number of events), in
    ``lang`` (BCP 47; None: each event's original language). Stored parts are used as
    they are; a missing or stale one (another sequence or ``key``) is rendered, and
    stored once :data:`STORE_EVERY` are rendered (and at the end), in a short write
    transaction of its own, in the order of their ids (after a batch mostly without
    parts, as in a first export, the next one reads whole rows: each event is looked up
    once, not again to render it). Raises ValueError as :func:`feeds.render_vevent`
    does, storing nothing of that batch.
    """
    last: tuple[dt.datetime, str] | None = None
    cold = False
    rendered: list[dict[str, Any]] = []  # part rows not stored yet
    with session_factory() as session:
        where = batch_conditions(session, flt)
        while True:
            columns = COLUMNS if cold else (Event.id, Event.start, Event.sequence)
            stmt = (
                sa.select(*columns, EventPart.body)
                .outerjoin(EventPart, current_part(key, lang))
                .where(*where)
                .order_by(*NEWEST_FIRST)
                .limit(batch)
            )
            if last is not None:
                stmt = stmt.where(*older_than(last))
            rows = session.connection().execute(stmt).all()  # Core rows: no ORM loading
            missing = [row for row in rows if row.body is None]
            events: list[Published] = []
            if missing and cold:
                events = published_rows(session, missing, lang)
            elif missing:
                events = load_published(session, [row.id for row in missing], lang)
            session.rollback()  # end the read transaction: a writer may need the lock
            fresh = {e.data.id: feeds.render_vevent(entry_of(e, config, lang)) for e in events}
            rendered += part_rows(events, fresh, key, lang)
            for row in rows:
                yield row.body if row.body is not None else fresh[row.id]
            if len(rendered) >= STORE_EVERY or (rendered and len(rows) < batch):
                _store_rows(session, rendered)
                rendered = []
            if len(rows) < batch:
                return
            last = (rows[-1].start, rows[-1].id)
            cold = 2 * len(missing) > len(rows)


def _store_rows(session: orm.Session, rows: list[dict[str, Any]]) -> None:
    """Store the part ``rows`` (:func:`part_rows`) in a write transaction of
    ``session``'s own that this commits (none may be open)."""
    begin_write(session)
    _upsert(session, rows)
    session.commit()


def store_missing(
    session_factory: orm.sessionmaker[orm.Session],
    config: dict[str, Any],
    key: str,
    *,
    lang: str | None = None,
    batch: int = 2000,
) -> int:
    """Render and store the VEVENT in ``lang`` of every event of the calendar (the
    default :class:`EventFilter`) whose stored part is missing or stale, ``batch`` events
    per write transaction, so that no subscriber's GET has to: what ``timeline import``
    and ``timeline db upgrade`` do last. Returns the number of parts stored."""
    stored = 0
    with session_factory() as session:
        where = conditions(session, EventFilter())
        stmt = (
            sa.select(Event.id)
            .outerjoin(EventPart, current_part(key, lang))
            .where(*where, EventPart.event_id.is_(None))
            .order_by(Event.id)
        )
        ids = list(session.scalars(stmt))
        session.rollback()
        for at in range(0, len(ids), batch):
            stored += len(render_missing(session, ids[at : at + batch], config, key, lang))
    return stored


def render_missing(
    session: orm.Session,
    ids: list[str],
    config: dict[str, Any],
    key: str,
    lang: str | None = None,
) -> dict[str, bytes]:
    """Render and store the VEVENT parts in ``lang`` of the events ``ids``, in a write
    transaction of
    ``session``'s own that this commits (the session must have no transaction open),
    the events read as plain rows (:func:`timeline.publish.rows.load_published`).
    Returns the bytes by event id."""
    begin_write(session)
    events = load_published(session, ids, lang)
    rendered = refresh_parts(session, events, config, key, lang)
    session.commit()
    return rendered


def store_added(session: orm.Session, added: list[Added], config: dict[str, Any], key: str) -> int:
    """Render and store the VEVENT (each event's original language) of the events just
    added by :func:`timeline.store.bulk.add_events`, from what it stored rather than
    read back: the parts an import would otherwise render at its end. An event that
    does not render is left to :func:`store_missing`. Returns the number of parts
    stored; does not commit."""
    events = [
        published_row(
            [a.row[key] for key in _ROW_KEYS],
            a.tags,
            [(name, name) for name in a.organizations],
            a.translations,
        )
        for a in added
    ]
    rendered = render_each(events, config)
    store_parts(session, events, rendered, key)
    return len(rendered)
