"""The calendar for Google Calendar: the most recent events that fit in
``CALENDAR_MAX_BYTES``, since Google silently drops events from larger subscriptions."""

from __future__ import annotations

import dataclasses
import datetime as dt

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import orm

import feeds
from feeds.times import timed_span
from feeds.vtimezone import render_vtimezone
from timeline.publish.convert import to_entry
from timeline.publish.documents import PATHS, channel
from timeline.publish.parts import zone_span
from timeline.publish.wording import google_description
from timeline.store.models import Event
from timeline.store.queries import EventFilter, conditions, list_events
from timeline.store.timelines import SITE, Heading
from timeline.store.version import StoreVersion

PATH = "/calendar-google.ics"
#: No VEVENT we write is shorter (UID, DTSTAMP, DTSTART, SUMMARY, URL, CREATED, ...), so
#: no more events than CALENDAR_MAX_BYTES / this can fit.
_SMALLEST_VEVENT = 200


def describe(base: str, n: int, total: int, full_url: str, lang: str = "en") -> str:
    """Return the calendar description saying which events it holds: ``base``, then
    ``The 812 most recent of 3,000 events; the full calendar is at <full_url>.`` (or
    ``All 21 events.`` when none is left out), in the language ``lang``."""
    return f"{base} {google_description(lang, n, total, full_url)}".strip()


def google_calendar(
    session: orm.Session,
    app: Flask,
    flt: EventFilter,
    version: StoreVersion,
    self_path: str,
    query: str,
    lang: str | None = None,
    heading: Heading = SITE,
) -> bytes:
    """Return the VCALENDAR (RFC 5545) of the events matching ``flt`` with the newest
    start, newest first, as many as fit in ``CALENDAR_MAX_BYTES`` bytes with the header
    and the VTIMEZONEs they need (B05 holds: every TZID has its VTIMEZONE, no other).
    DESCRIPTION and X-WR-CALDESC say how many of how many, and where the full calendar
    (``/calendar.ics`` with ``query``, the same filter) is. The body is at most
    ``CALENDAR_MAX_BYTES``; with a limit smaller than an empty calendar it holds no event
    and is larger. Texts in ``lang`` (see :func:`timeline.publish.convert.texts`); the site's
    or a timeline's name, as ``heading`` says.
    Raises ValueError as :func:`feeds.render_vevent`."""
    limit = int(app.config["CALENDAR_MAX_BYTES"])
    where = conditions(session, flt)
    total = int(session.scalar(sa.select(sa.func.count()).select_from(Event).where(*where)) or 0)
    events = list_events(session, flt, limit=limit // _SMALLEST_VEVENT + 1)
    entries = [to_entry(e, app.config, lang) for e in events]
    session.rollback()
    full_url = f"{app.config['BASE_URL']}{heading.prefix}{PATHS['ics']}"
    full_url += f"?{query}" if query else ""
    head = channel(app, version, self_path, lang, heading)
    base = head.description
    words = head.language

    def header(n: int) -> feeds.Channel:
        return dataclasses.replace(head, description=describe(base, n, total, full_url, words))

    # No description is longer than this one: "most recent", and counts with the most digits.
    longest = dataclasses.replace(
        head, description=describe(base, total, total + 1, full_url, words)
    )
    fixed = max(len(b"".join(feeds.iter_ical(c, [], []))) for c in (longest, header(total)))
    parts: list[bytes] = []
    tzids: set[str] = set()
    years: list[int] = []
    size = fixed
    zones_size = 0
    for entry in entries:
        part = feeds.render_vevent(entry)
        tzid = feeds.vevent_tzid(entry)
        new_tzids, new_years = set(tzids), list(years)
        if tzid is not None:
            new_tzids.add(tzid)
            new_years += [v.year for v in timed_span(entry) if isinstance(v, dt.datetime)]
        new_zones = zones_size
        if (new_tzids, _bounds(new_years)) != (tzids, _bounds(years)):
            new_zones = _zones_size(new_tzids, new_years)
        if size - zones_size + new_zones + len(part) > limit:
            break
        parts.append(part)
        size += len(part) - zones_size + new_zones
        tzids, years, zones_size = new_tzids, new_years, new_zones
    span = zone_span(*_bounds(years))
    return b"".join(feeds.iter_ical(header(len(parts)), parts, sorted(tzids), span=span))


def _bounds(years: list[int]) -> tuple[int | None, int | None]:
    return (min(years), max(years)) if years else (None, None)


def _zones_size(tzids: set[str], years: list[int]) -> int:
    span = zone_span(*_bounds(years))
    return sum(len(render_vtimezone(tzid, *span)) for tzid in tzids)
