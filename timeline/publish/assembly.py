"""Calendars kept assembled in memory, per filter, and brought up to date by reading only
the events changed since: a one-event change costs one query and one VEVENT."""

from __future__ import annotations

import bisect
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from feeds.times import UTC_NAMES
from timeline.publish.parts import current_part, render_missing, zone_span
from timeline.store.models import Event, EventPart
from timeline.store.queries import EventFilter, conditions
from timeline.store.version import StoreVersion

#: A VEVENT's typical size in bytes, to tell before reading whether a calendar will fit.
_PART_BYTES = 700
#: Past this share of changed events, assembling afresh is cheaper than patching.
_REBUILD_SHARE = 0.2


@dataclass(frozen=True)
class _Piece:
    order: tuple[Any, str]  # (start as the database returns it, id): sorts like NEWEST_FIRST
    tzid: str | None  # the VTIMEZONE it needs, None for all-day and UTC events
    first_year: int  # of its start and end: the span the VTIMEZONEs must cover
    last_year: int
    body: bytes


def _step(counter: Counter[Any], value: Any, step: int) -> None:
    counter[value] += step
    if counter[value] <= 0:
        del counter[value]


@dataclass
class _Calendar:
    """A calendar's pieces by event id, and the same kept in ascending order (``keys`` and
    ``bodies`` side by side), so that a change is a removal and an insertion by bisection,
    not a sort; and the counts of the TZIDs and years of its timed pieces."""

    version: int
    pieces: dict[str, _Piece] = field(default_factory=dict)
    size: int = 0
    keys: list[tuple[Any, str]] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    tzids: Counter[str] = field(default_factory=Counter)
    first_years: Counter[int] = field(default_factory=Counter)
    last_years: Counter[int] = field(default_factory=Counter)

    def _count(self, piece: _Piece, step: int) -> None:
        self.size += step * len(piece.body)
        if piece.tzid is not None:
            _step(self.tzids, piece.tzid, step)
            _step(self.first_years, piece.first_year, step)
            _step(self.last_years, piece.last_year, step)

    def remove(self, event_id: str) -> None:
        """Drop the piece of ``event_id``, if there is one."""
        piece = self.pieces.pop(event_id, None)
        if piece is None:
            return
        at = bisect.bisect_left(self.keys, piece.order)
        del self.keys[at], self.bodies[at]
        self._count(piece, -1)

    def insert(self, event_id: str, piece: _Piece) -> None:
        """Add the piece of ``event_id`` at its place (it must have none yet)."""
        self.pieces[event_id] = piece
        at = bisect.bisect_left(self.keys, piece.order)
        self.keys.insert(at, piece.order)
        self.bodies.insert(at, piece.body)
        self._count(piece, 1)


@dataclass(frozen=True)
class Assembled:
    """A calendar's VEVENT parts in newest-first order, the TZIDs they use (sorted), and the
    span of days (first, exclusive last) that the VTIMEZONEs must cover."""

    parts: list[bytes]
    tzids: list[str]
    span: tuple[Any, Any]


def _rows(
    session: orm.Session,
    conditions: Iterable[sa.ColumnElement[bool]],
    key: str,
    lang: str | None,
) -> list[Any]:
    # Selecting the start uncoerced (text on SQLite) skips per-row datetime parsing.
    stmt = (
        sa.select(
            Event.id,
            sa.type_coerce(Event.start, sa.String).label("order"),
            sa.type_coerce(Event.end, sa.String).label("until"),
            Event.all_day,
            Event.timezone,
            EventPart.body,
        )
        .outerjoin(EventPart, current_part(key, lang))
        .where(*conditions)
    )
    return list(session.execute(stmt))


class Assembler:
    """Per-process calendars by filter and language, least recently used dropped past
    ``max_bytes``.

    :meth:`assemble` returns the calendar of a filter at the store version it is given,
    or None when it is larger than half of ``max_bytes`` (the caller then streams it
    from the database). Thread-safe.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._calendars: OrderedDict[tuple[EventFilter, str | None], _Calendar] = OrderedDict()
        self._lock = threading.Lock()

    def assemble(
        self,
        sessions: orm.sessionmaker[orm.Session],
        flt: EventFilter,
        version: StoreVersion,
        config: dict[str, Any],
        key: str,
        lang: str | None = None,
    ) -> Assembled | None:
        """Return the calendar of ``flt`` in ``lang`` (BCP 47; None: each event's
        original language) at ``version``: patched from the one kept if any (reading
        only events with a newer ``change_version``), else read whole. Missing or stale
        stored parts are rendered and stored."""
        with self._lock:
            kept = self._calendars.pop((flt, lang), None)
        with sessions() as session:
            if kept is None or kept.version > version.version:
                kept = self._read(session, flt, version, config, key, lang)
            elif kept.version < version.version and not self._patch(
                session, kept, flt, version, config, key, lang
            ):
                kept = self._read(session, flt, version, config, key, lang)
        if kept is None:
            return None
        result = _assembled(kept)
        with self._lock:
            self._calendars[(flt, lang)] = kept
            while sum(c.size for c in self._calendars.values()) > self.max_bytes:
                self._calendars.popitem(last=False)
        return result

    def _fill(self, calendar: _Calendar, rows: list[Any], sessions_render: Any) -> None:
        missing = [row.id for row in rows if row.body is None]
        fresh = sessions_render(missing) if missing else {}
        pieces = {}
        for row in rows:
            body = row.body if row.body is not None else fresh[row.id]
            tzid = None if row.all_day or row.timezone in (None, *UTC_NAMES) else row.timezone
            first = int(str(row.order)[:4])
            last = int(str(row.until)[:4]) if row.until is not None else first
            pieces[row.id] = _Piece((row.order, row.id), tzid, first, last, body)
        if calendar.pieces:  # a patch: each piece to its place
            for event_id, piece in pieces.items():
                calendar.insert(event_id, piece)
            return
        ordered = sorted(pieces.values(), key=lambda p: p.order)
        calendar.pieces = pieces
        calendar.keys = [p.order for p in ordered]
        calendar.bodies = [p.body for p in ordered]
        for piece in ordered:
            calendar._count(piece, 1)

    def _read(
        self,
        session: orm.Session,
        flt: EventFilter,
        version: StoreVersion,
        config: dict[str, Any],
        key: str,
        lang: str | None,
    ) -> _Calendar | None:
        where = conditions(session, flt)
        count = session.scalar(sa.select(sa.func.count()).select_from(Event).where(*where))
        if (count or 0) * _PART_BYTES > self.max_bytes // 2:
            session.rollback()
            return None
        calendar = _Calendar(version=version.version)
        rows = _rows(session, where, key, lang)
        session.rollback()
        self._fill(calendar, rows, lambda ids: render_missing(session, ids, config, key, lang))
        return calendar if calendar.size <= self.max_bytes // 2 else None

    def _patch(
        self,
        session: orm.Session,
        calendar: _Calendar,
        flt: EventFilter,
        version: StoreVersion,
        config: dict[str, Any],
        key: str,
        lang: str | None,
    ) -> bool:
        newer = Event.change_version > calendar.version
        changed = list(session.scalars(sa.select(Event.id).where(newer)))
        if len(changed) > _REBUILD_SHARE * max(len(calendar.pieces), 100):
            return False
        # By id, not by change_version: with the filter's conditions SQLite would
        # otherwise walk the (deleted, start, id) index over every event.
        where = conditions(session, flt)
        rows = [
            row
            for at in range(0, len(changed), 500)
            for row in _rows(session, [Event.id.in_(changed[at : at + 500]), *where], key, lang)
        ]
        session.rollback()
        for event_id in changed:
            calendar.remove(event_id)
        self._fill(calendar, rows, lambda ids: render_missing(session, ids, config, key, lang))
        calendar.version = version.version
        return True


def _assembled(calendar: _Calendar) -> Assembled:
    parts = calendar.bodies[::-1]  # newest first
    tzids = sorted(calendar.tzids)
    if not tzids:
        return Assembled(parts, tzids, zone_span(None, None))
    return Assembled(parts, tzids, zone_span(min(calendar.first_years), max(calendar.last_years)))
