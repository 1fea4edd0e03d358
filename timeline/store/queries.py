"""Reads of the event store: filters, newest-first listing, and the store version."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from timeline.store.models import Event, EventOrganization, EventTag, OrganizationAlias
from timeline.store.values import slugify


class CursorError(ValueError):
    """A pagination cursor that this store did not hand out."""


@dataclass(frozen=True)
class EventFilter:
    """Which events a feed, calendar or listing shows.

    ``tags``: slugs; an event must carry every one. ``org``: slug of an organization's name
    or alias. ``start``/``until``: inclusive days; an event shows if it overlaps them (for
    timed events the days are UTC days). ``q``: case-insensitive text in the title or
    description. Deleted events never show.
    """

    tags: tuple[str, ...] = ()
    org: str | None = None
    start: dt.date | None = None
    until: dt.date | None = None
    q: str | None = None

    def where(
        self, longest: dt.timedelta | None = None, *, include_deleted: bool = False
    ) -> list[sa.ColumnElement[bool]]:
        """Return the SQL conditions of this filter over ``Event``. ``longest``, the
        longest span of any event (see :func:`conditions`), bounds the start from below
        too, so that a date range reads only the index entries near it."""
        conditions: list[sa.ColumnElement[bool]] = []
        if not include_deleted:
            conditions.append(Event.deleted.is_(False))
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


def conditions(
    session: orm.Session, flt: EventFilter, *, include_deleted: bool = False
) -> list[sa.ColumnElement[bool]]:
    """Return the SQL conditions of ``flt``, with a date range bounded on both sides by
    the store's longest event span (one primary-key read, only when ``flt`` has a start)."""
    longest = None
    if flt.start is not None:
        from timeline.store.version import longest_span

        longest = longest_span(session)
    return flt.where(longest, include_deleted=include_deleted)


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
    if cursor is not None:
        start, event_id = decode_cursor(cursor)
        stmt = stmt.where(
            sa.or_(Event.start < start, sa.and_(Event.start == start, Event.id < event_id))
        )
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


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
    except (binascii.Error, ValueError, TypeError, RecursionError) as exc:
        raise CursorError(f"cursor {shown!r} is not valid") from exc
    if not isinstance(event_id, str) or when.tzinfo is None or not event_id.isprintable():
        raise CursorError(f"cursor {shown!r} is not valid")
    try:
        event_id.encode()
    except UnicodeEncodeError:  # a lone surrogate, which no id has
        raise CursorError(f"cursor {shown!r} is not valid") from None
    return when, event_id
