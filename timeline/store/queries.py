"""Reads of the event store: filters, newest-first listing, windows of events around a
place, and cursors."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace

import sqlalchemy as sa
from sqlalchemy import orm

from timeline.store.models import (
    RECURRING,
    Event,
    EventOrganization,
    EventTag,
    OrganizationAlias,
    TimelineEvent,
)
from timeline.store.values import slugify


class CursorError(ValueError):
    """A pagination cursor that this store did not hand out."""


@dataclass(frozen=True)
class EventFilter:
    """Which events a feed, calendar or listing shows.

    ``tags``: slugs; an event must carry every one. ``org``: slug of an organization's name
    or alias. ``start``/``until``: inclusive days; an event shows if it overlaps them (for
    timed events the days are UTC days). ``q``: case-insensitive text in the title or
    description. ``timeline``: the id of the timeline the events are in (None: any event).
    Deleted events never show, but with ``tombstones`` (the calendars) those
    still within TOMBSTONE_DAYS of their deletion do (``Event.tombstone``).
    """

    tags: tuple[str, ...] = ()
    org: str | None = None
    start: dt.date | None = None
    until: dt.date | None = None
    q: str | None = None
    timeline: int | None = None
    tombstones: bool = False

    def where(
        self,
        longest: dt.timedelta | None = None,
        *,
        include_deleted: bool = False,
        timeline_per_event: bool = False,
    ) -> list[sa.ColumnElement[bool]]:
        """Return the SQL conditions of this filter over ``Event``. ``longest``, the
        longest span of any event (see :func:`conditions`), bounds the start from below
        too, so that a date range reads only the index entries near it.
        ``timeline_per_event``: the timeline is tested for each event read (EXISTS over
        its primary key), else its events are listed (IN) first."""
        conditions: list[sa.ColumnElement[bool]] = []
        if not include_deleted and self.tombstones:
            conditions.append(sa.or_(Event.deleted.is_(False), Event.tombstone.is_(True)))
        elif not include_deleted:
            conditions.append(Event.deleted.is_(False))
        if self.timeline is not None and timeline_per_event:
            conditions.append(
                sa.exists().where(
                    TimelineEvent.timeline_id == self.timeline, TimelineEvent.event_id == Event.id
                )
            )
        elif self.timeline is not None:
            held = sa.select(TimelineEvent.event_id).where(
                TimelineEvent.timeline_id == self.timeline
            )
            conditions.append(Event.id.in_(held))
        # IN (…) rather than EXISTS: the database reads the tag's or organization's index
        # entries instead of testing every event.
        for slug in self.tags:
            tagged = sa.select(EventTag.event_id).where(EventTag.tag_slug == slug)
            conditions.append(Event.id.in_(tagged))
        if self.org is not None:
            involved = sa.select(EventOrganization.event_id).where(
                EventOrganization.organization_id.in_(
                    sa.select(OrganizationAlias.organization_id).where(
                        OrganizationAlias.slug == slugify(self.org)
                    )
                )
            )
            conditions.append(Event.id.in_(involved))
        if self.start is not None:
            midnight = _midnight(self.start)
            conditions.append(
                sa.or_(Event.end > midnight, sa.and_(Event.end.is_(None), Event.start >= midnight))
            )
            if longest is not None:
                conditions.append(Event.start >= _shift(midnight, -longest))
        if self.until is not None:
            conditions.append(Event.start < _shift(_midnight(self.until), dt.timedelta(days=1)))
        if self.q:
            pattern = "%" + self.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            pattern += "%"
            conditions.append(
                sa.or_(
                    Event.title.ilike(pattern, escape="\\"),
                    Event.description.ilike(pattern, escape="\\"),
                )
            )
        return conditions


#: A timeline holding at least this many events is tested for each event a query reads
#: (EXISTS), one holding fewer is listed first (IN): see :func:`conditions`.
MANY_EVENTS = 1000


def conditions(
    session: orm.Session,
    flt: EventFilter,
    *,
    include_deleted: bool = False,
    timeline_per_event: bool | None = None,
) -> list[sa.ColumnElement[bool]]:
    """Return the SQL conditions of ``flt``, with a date range bounded on both sides by
    the store's longest event span (one primary-key read, only when ``flt`` has a start).

    On SQLite (``timeline_per_event`` None), a timeline of :data:`MANY_EVENTS` or more
    (found by a read of at most that many of its index entries, once per session) is
    tested for each event read: a query that reads a page of events newest first then
    stops after a few more than the page, where SQLite would first list all of its
    events (17 ms for a timeline of 100,000 events, twice per page). A smaller one is
    listed: testing its few events among many would cost more than listing them.
    PostgreSQL plans either form as a semi-join, by its statistics: its timelines are
    listed, with no such read."""
    longest = None
    if flt.start is not None:
        from timeline.store.version import longest_span

        longest = longest_span(session)
    if timeline_per_event is None:
        timeline_per_event = (
            flt.timeline is not None
            and session.get_bind().dialect.name == "sqlite"
            and _holds_many(session, flt.timeline)
        )
    return flt.where(
        longest, include_deleted=include_deleted, timeline_per_event=timeline_per_event
    )


def _holds_many(session: orm.Session, timeline_id: int) -> bool:
    """Whether the timeline ``timeline_id`` holds at least :data:`MANY_EVENTS` events,
    read once per session (its index entries, at most that many)."""
    known: dict[int, bool] = session.info.setdefault("timeline.holds_many", {})
    if timeline_id not in known:
        probe = (
            sa.select(TimelineEvent.event_id)
            .where(TimelineEvent.timeline_id == timeline_id)
            .offset(MANY_EVENTS - 1)
            .limit(1)
        )
        known[timeline_id] = session.execute(probe).first() is not None
    return known[timeline_id]


def batch_conditions(session: orm.Session, flt: EventFilter) -> list[sa.ColumnElement[bool]]:
    """Return the SQL conditions of ``flt`` (as :func:`conditions`) for a query run again
    for each batch of a long read (a calendar streamed in keyset batches): the
    timeline tested for each event read (EXISTS over its primary key) rather than
    listed (IN), which SQLite builds anew for every batch at the cost of the whole
    timeline (a million events: a quadratic export)."""
    return conditions(session, flt, timeline_per_event=True)


def _shift(moment: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    """``moment + delta``, held within the datetimes Python can represent."""
    try:
        return moment + delta
    except OverflowError:
        edge = dt.datetime.max if delta > dt.timedelta() else dt.datetime.min
        return edge.replace(tzinfo=dt.UTC)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


NEWEST_FIRST = (Event.start.desc(), Event.id.desc())


def list_events(
    session: orm.Session, flt: EventFilter, *, limit: int | None = None, cursor: str | None = None
) -> list[Event]:
    """Return the events matching ``flt``, newest start first (ties by id, descending), at
    most ``limit``, after the position ``cursor`` (from :func:`cursor_after`).

    Raises CursorError for a cursor this store did not produce.
    """
    stmt = sa.select(Event).where(*conditions(session, flt)).order_by(*NEWEST_FIRST)
    stmt = after_cursor(stmt, cursor)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def recurring_before(session: orm.Session, flt: EventFilter) -> sa.Select[Event]:
    """Return the query (unordered) of the recurring events (RRULE or RDATE: RFC 5545
    §3.8.5) that match ``flt`` but for its first day: those begun before it may have
    occurrences on its days, which only expanding their rules tells
    (:func:`timeline.dates.recurrence.occurrences`)."""
    before = replace(flt, start=None)
    # RECURRING as the partial index ix_events_recurring writes it: its few rows are read
    # rather than every event begun before the window's end (migration 0015).
    return sa.select(Event).where(*conditions(session, before), sa.text(RECURRING))


def after_cursor(stmt: sa.Select[Event], cursor: str | None) -> sa.Select[Event]:
    """Return ``stmt`` limited to the events after ``cursor`` (from :func:`cursor_after`)
    in newest-first order. Raises CursorError for a cursor this store did not produce."""
    if cursor is None:
        return stmt
    return stmt.where(*older_than(decode_cursor(cursor)))


def older_than(position: Position) -> list[sa.ColumnElement[bool]]:
    """The conditions of the events after ``position`` (a start, UTC-aware, and an id) in
    newest-first order (:data:`NEWEST_FIRST`). The start alone is bounded too, so that
    the database seeks to the position in its index on (deleted, start, id) rather than
    scan to it from the newest event (a stream of keyset batches would be quadratic)."""
    start, event_id = position
    return [Event.start <= start, sa.or_(Event.start < start, Event.id < event_id)]


#: A place in newest-first order: a start (UTC-aware) and an id, as :func:`cursor_after`
#: and :func:`decode_cursor` write and read it.
Position = tuple[dt.datetime, str]


@dataclass(frozen=True)
class Anchor:
    """Where a window of events stands: at ``position`` (None: above the newest event),
    which itself counts as newer when ``newer_holds_it``; the window takes ``newer`` of
    its events from the newer side when both sides have enough."""

    position: Position | None = None
    newer_holds_it: bool = True
    newer: int = 0


@dataclass(frozen=True)
class Window:
    """A run of consecutive matching events, newest first, and whether the store holds
    matching events newer than the first (``more_newer``) and older than the last
    (``more_older``)."""

    events: list[Event]
    more_newer: bool
    more_older: bool


def _side(
    session: orm.Session,
    where: list[sa.ColumnElement[bool]],
    position: Position | None,
    *,
    newer: bool,
    inclusive: bool,
    limit: int,
) -> list[Position]:
    """The positions of the ``limit`` matching events nearest ``position`` on one side of
    it (None: the newest events), nearest first: read from the index alone."""
    stmt = sa.select(Event.start, Event.id).where(*where)
    if position is not None:
        start, event_id = position
        # The bound on start alone lets the database seek to the position in its index
        # on (deleted, start, id) rather than scan to it from the newest event.
        if newer:
            tie = Event.id >= event_id if inclusive else Event.id > event_id
            stmt = stmt.where(Event.start >= start, sa.or_(Event.start > start, tie))
        else:
            tie = Event.id <= event_id if inclusive else Event.id < event_id
            stmt = stmt.where(Event.start <= start, sa.or_(Event.start < start, tie))
    order = (Event.start.asc(), Event.id.asc()) if newer else NEWEST_FIRST
    return [(row.start, row.id) for row in session.execute(stmt.order_by(*order).limit(limit))]


def window_events(session: orm.Session, flt: EventFilter, anchor: Anchor, size: int) -> Window:
    """Return the window of at most ``size`` consecutive events matching ``flt`` (newest
    start first, ties by id) at ``anchor``. With ``anchor.newer`` 0, the events older
    than its position (the newest ones without a position); with ``anchor.newer`` at
    least ``size``, the newer ones: so that windows taken one after the other hold each
    event once, the last one fewer (when that side holds none, the nearest on the other
    side). In between, ``anchor.newer`` newer events and the
    rest older ones, either side completed from the other when it runs short, so that
    the window holds ``size`` events whenever that many match. Reads at most
    ``2 × size + 2`` index entries and ``size`` events, whatever the store holds."""
    where = conditions(session, flt)

    def side(is_newer: bool, limit: int) -> list[Position]:
        inclusive = anchor.newer_holds_it == is_newer
        return _side(
            session, where, anchor.position, newer=is_newer, inclusive=inclusive, limit=limit
        )

    if anchor.position is None:
        older, newer = side(False, size + 1), []
        take_newer, take_older = 0, min(len(older), size)
    elif anchor.newer <= 0:
        older = side(False, size + 1)
        newer = side(True, 1 if older else size + 1)  # nothing older: the oldest ones
        take_older = min(len(older), size)
        take_newer = 0 if older else min(len(newer), size)
    elif anchor.newer >= size:
        newer = side(True, size + 1)
        older = side(False, 1 if newer else size + 1)  # nothing newer: the newest ones
        take_newer = min(len(newer), size)
        take_older = 0 if newer else min(len(older), size)
    else:
        newer, older = side(True, size + 1), side(False, size + 1)
        take_newer = min(len(newer), max(anchor.newer, size - len(older)))
        take_older = min(len(older), size - take_newer)
    ids = [event_id for _start, event_id in newer[:take_newer][::-1] + older[:take_older]]
    loaded = {e.id: e for e in session.scalars(sa.select(Event).where(Event.id.in_(ids)))}
    return Window(
        events=[loaded[event_id] for event_id in ids if event_id in loaded],
        more_newer=len(newer) > take_newer,
        more_older=len(older) > take_older,
    )


def iter_events(session: orm.Session, flt: EventFilter, *, batch: int = 1000) -> Iterator[Event]:
    """Yield the events matching ``flt`` newest first, reading ``batch`` rows at a time, so
    that memory does not grow with the number of events."""
    cursor: str | None = None
    while True:
        page = list_events(session, flt, limit=batch, cursor=cursor)
        yield from page
        if len(page) < batch:
            return
        cursor = cursor_after(page[-1])
        session.expunge_all()


def cursor_after(event: Event) -> str:
    """Return an opaque cursor for the position just after ``event`` in newest-first order."""
    raw = json.dumps([event.start.isoformat(), event.id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


#: The longest cursor read (characters): :func:`cursor_after` of any id the store takes
#: is far shorter; anything longer is refused before it is decoded.
MAX_CURSOR = 1000


def decode_cursor(cursor: str) -> tuple[dt.datetime, str]:
    """Return the position ``(start, id)`` that ``cursor`` (from :func:`cursor_after`)
    holds, ``start`` aware. Raises CursorError for anything else, whatever it holds (too
    long, not base64, not JSON, nested too deeply, not a date-time and an id)."""
    shown = cursor if len(cursor) <= 60 else cursor[:60] + "…"
    if len(cursor) > MAX_CURSOR:
        raise CursorError(f"cursor {shown!r} is longer than {MAX_CURSOR} characters")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        position = json.loads(raw)
        if not isinstance(position, list):
            raise TypeError("not a list")
        start, event_id = position
        when = dt.datetime.fromisoformat(start)
        if when.tzinfo is None:
            raise ValueError("no offset")
        when = when.astimezone(dt.UTC)  # OverflowError past year 1 or 9999 in UTC
    except (binascii.Error, ValueError, TypeError, RecursionError, OverflowError) as exc:
        raise CursorError(f"cursor {shown!r} is not valid") from exc
    if not isinstance(event_id, str) or not event_id.isprintable():
        raise CursorError(f"cursor {shown!r} is not valid")
    try:
        event_id.encode()
    except UnicodeEncodeError:  # a lone surrogate, which no id has
        raise CursorError(f"cursor {shown!r} is not valid") from None
    return when, event_id
