"""The API's listings of events: a page of the events matching a filter, with the
recurring events begun before its first day whose occurrences fall on its days."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from timeline.events.output import occurrence_starts
from timeline.store.models import Event
from timeline.store.queries import (
    NEWEST_FIRST,
    EventFilter,
    after_cursor,
    list_events,
    recurring_before,
)
from timeline.store.writes import event_data


def list_page(
    session: orm.Session, flt: EventFilter, *, limit: int, cursor: str | None = None
) -> list[Event]:
    """Return at most ``limit`` events matching ``flt`` after the position ``cursor``
    (see :func:`timeline.store.queries.list_events`), newest start first (ties by id,
    descending, in the database's order). With a first day (``flt.start``), also the
    recurring events (RRULE or RDATE: RFC 5545 §3.8.5) begun before it of which an
    occurrence begins on the days ``flt.start`` to ``flt.until`` (inclusive, UTC days:
    :func:`timeline.events.output.occurrence_starts`), each in the place of its start,
    so that pages taken one after the other by their cursors hold each event once.

    The range reads its index as :func:`list_events` does; the recurring events are one
    more query (read until ``limit`` of them match), and, only when one matches, a
    query that orders the at most ``2 × limit`` events found. Raises CursorError for a
    cursor this store did not produce."""
    found = list_events(session, flt, limit=limit, cursor=cursor)
    if flt.start is None:
        return found
    known = {event.id for event in found}
    extra: list[str] = []
    stmt = after_cursor(recurring_before(session, flt), cursor).order_by(*NEWEST_FIRST)
    for event in session.scalars(stmt):
        if len(extra) >= limit:
            break
        if event.id not in known and occurrence_starts(event_data(event), flt.start, flt.until):
            extra.append(event.id)
    if not extra:
        return found
    ids = [*known, *extra]
    ordered = sa.select(Event).where(Event.id.in_(ids)).order_by(*NEWEST_FIRST).limit(limit)
    return list(session.scalars(ordered))
