"""Each event's VEVENT rendered once per revision and kept in the store, so that a
calendar is a header, its VTIMEZONEs, and a join of stored parts."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import Future
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from feeds.times import UTC_NAMES
from timeline.publish.convert import Published
from timeline.publish.partrows import part_kind, part_rows, upsert
from timeline.publish.rendering import InlineWorker, Parts, Worker, render_events
from timeline.publish.rows import COLUMNS, load_published, related_of, rows_of
from timeline.store.engine import begin_write
from timeline.store.models import Event, EventPart
from timeline.store.queries import (
    NEWEST_FIRST,
    EventFilter,
    batch_conditions,
    conditions,
    older_than,
)


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
    rendered = render_events(events, config, lang)
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
    versions = [(e.data.id, e.sequence) for e in events]
    upsert(session, part_rows(versions, rendered, key, lang))


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


#: A batch of a calendar stream: its rows and the future of their missing parts'
#: rendering (None when every part was stored).
_Batch = tuple[Sequence[Any], Future[dict[str, bytes]] | None]


def iter_vevents(
    session_factory: orm.sessionmaker[orm.Session],
    flt: EventFilter,
    config: dict[str, Any],
    key: str,
    *,
    batch: int = 2000,
    lang: str | None = None,
    worker: Worker | None = None,
) -> Generator[bytes, None, None]:
    """Yield the VEVENT bytes of every event matching ``flt``, newest first, reading
    ``batch`` rows at a time (memory does not grow with the number of events), in
    ``lang`` (BCP 47; None: each event's original language). Stored parts are used as
    they are; the missing or stale ones (another sequence or ``key``) of each batch are
    rendered and stored by ``worker`` (:meth:`Parts.render
    <timeline.publish.rendering.Parts.render>`; default: an
    :class:`~timeline.publish.rendering.InlineWorker` of ``session_factory``,
    ``config`` and ``key``) while the next ``worker.ahead`` batches are read (after a
    batch mostly without parts, as in a first export, the next one reads whole rows:
    each event is looked up once, not again to render it); what it holds is stored at
    the end. Raises ValueError as :func:`feeds.render_vevent` does, storing nothing of
    that batch.
    """
    worker = worker or InlineWorker(Parts(session_factory, config, key))
    last: tuple[dt.datetime, str] | None = None
    cold = False
    pending: deque[_Batch] = deque()
    with session_factory() as session:
        where = batch_conditions(session, flt)
        while True:
            columns = COLUMNS if cold else (Event.id, Event.start)
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
            related = None
            if missing:
                found = missing if cold else rows_of(session, [row.id for row in missing])
                related = related_of(session, found, lang)
            session.rollback()  # end the read transaction: a writer may need the lock
            future = None if related is None else worker.submit(Parts.render, related, lang)
            pending.append((rows, future))
            if len(pending) > worker.ahead:  # the oldest, rendered while these were read
                yield from _emit(pending.popleft())
            if len(rows) < batch:
                break
            last = (rows[-1].start, rows[-1].id)
            cold = 2 * len(missing) > len(rows)
    while pending:
        yield from _emit(pending.popleft())
    worker.flush()


def _emit(pending: _Batch) -> Iterator[bytes]:
    rows, future = pending
    fresh = {} if future is None else future.result()
    for row in rows:
        yield row.body if row.body is not None else fresh[row.id]


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
