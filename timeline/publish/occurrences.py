"""The occurrences of recurring events as the renderers' entries: the feeds and the
timeline show each occurrence (the calendars publish the rule, for clients to expand)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy import orm

from feeds import Entry
from timeline.dates.recurrence import occurrences, parse_value
from timeline.store.models import Event
from timeline.store.queries import EventFilter, recurring_before
from timeline.store.writes import split_values

#: The most occurrences of one recurring event in one feed or timeline: its first ones
#: within the document's days (``from``/``to``), else from its start.
MAX_OCCURRENCES = 50
_FAR = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


def with_recurring(session: orm.Session, flt: EventFilter, events: list[Event]) -> list[Event]:
    """Return ``events`` (matching ``flt``) and after them the recurring events that
    match ``flt`` but for its first day, having begun before it: their occurrences may
    fall in its days (:func:`expand` sorts them out). One more query, only when ``flt``
    has a first day."""
    if flt.start is None:
        return events
    known = {event.id for event in events}
    stmt = recurring_before(session, flt).order_by(Event.id)
    return events + [e for e in session.scalars(stmt) if e.id not in known]


def _overridden(session: orm.Session, ids: Sequence[str]) -> dict[str, list[dt.date]]:
    """The RECURRENCE-IDs of the live overridden instances of the events ``ids``."""
    stmt = sa.select(Event.recurrence_of, Event.recurrence_id, Event.all_day).where(
        Event.recurrence_of.in_(ids), Event.deleted.is_(False)
    )
    found: dict[str, list[dt.date]] = {}
    for master, rid, all_day in session.execute(stmt):
        if master is None or rid is None:
            continue
        value = parse_value(rid, all_day=all_day)
        assert not isinstance(value, tuple)
        found.setdefault(master, []).append(value)
    return found


def _periods(rdate: Sequence[str]) -> dict[dt.date, dt.datetime]:
    """The ends of the RDATE periods (RFC 5545 §3.3.9) by their starts."""
    ends: dict[dt.date, dt.datetime] = {}
    for text in rdate:
        value = parse_value(text, all_day=False, period=True) if "/" in text else None
        if isinstance(value, tuple):
            start, end = value
            ends[start] = end if isinstance(end, dt.datetime) else start + end
    return ends


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _ends_after(start: dt.date, end: dt.date | None, first: dt.date | None) -> bool:
    if first is None:
        return True
    if isinstance(start, dt.datetime):
        last = end if isinstance(end, dt.datetime) else start
        return last >= _midnight(first) if end is None else last > _midnight(first)
    return (end or start + dt.timedelta(days=1)) > first


def occurrence_id(event_id: str, start: dt.date | dt.datetime) -> str:
    """The id of the occurrence at ``start`` (a date, or an aware datetime) of the
    recurring event ``event_id``: the id, a dot (never in an event's id, a slug of
    ``[a-z0-9-]``, so no event's id can be an occurrence's) and the start, its day
    (``club.20250310``) or its UTC time (``talks.20250303T170000Z``): the same on every
    page and document that shows it (the page's anchor, TimelineJS's ``unique_id``)."""
    if isinstance(start, dt.datetime):
        return f"{event_id}.{start.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"
    return f"{event_id}.{start:%Y%m%d}"


def expand(
    session: orm.Session,
    pairs: Iterable[tuple[Event, Entry]],
    first: dt.date | None = None,
    last: dt.date | None = None,
) -> list[Entry]:
    """Return the entries of ``pairs`` (events and their entries), each recurring one
    (RRULE or RDATE: RFC 5545 §3.8.5) replaced by its occurrences (dateutil's rrule:
    :func:`timeline.dates.recurrence.occurrences`) that overlap the days ``first`` to
    ``last`` (inclusive; UTC days for timed events; None: unbounded), at most
    :data:`MAX_OCCURRENCES` of them, less those an overridden instance replaces (that
    one is an entry of its own). An occurrence has the event's duration (an RDATE
    period's own end), no
    recurrence, its own ``guid`` (``<guid>/<start in ISO 8601>``) and ``id``
    (:func:`occurrence_id`). Others as they are.
    """
    pairs = list(pairs)
    recurring = [event.id for event, _ in pairs if event.rrule or event.rdate]
    overridden = _overridden(session, recurring) if recurring else {}
    until = _FAR if last is None or last >= _FAR.date() else _midnight(last + dt.timedelta(days=1))
    result: list[Entry] = []
    for event, entry in pairs:
        if not (event.rrule or event.rdate):
            result.append(entry)
            continue
        skipped = overridden.get(event.id, [])
        length = None if entry.end is None else entry.end - entry.start
        rdate, exdate = split_values(event.rdate), split_values(event.exdate)
        starts = occurrences(entry.start, event.rrule, rdate, exdate, until=until)
        wanted = (
            at
            for at in starts
            if at not in skipped and _ends_after(at, None if length is None else at + length, first)
        )
        periods = _periods(rdate)
        for at in itertools.islice(wanted, MAX_OCCURRENCES):
            result.append(
                dataclasses.replace(
                    entry,
                    start=at,
                    end=periods.get(at, None if length is None else at + length),
                    id=occurrence_id(entry.id, at),
                    guid=f"{entry.guid}/{at.isoformat()}",
                    rrule=None,
                    rdate=(),
                    exdate=(),
                )
            )
    return result
