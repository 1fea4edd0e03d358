"""Blueprint of the published documents: the calendar, the feeds, one event's ICS."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, Response, current_app, request

import feeds
from timeline import db, parts
from timeline.caching import cached_document, render_key
from timeline.convert import to_channel, to_entry
from timeline.filters import parse_filter
from timeline.lookup import live_event
from timeline.queries import EventFilter, list_events
from timeline.state import StoreVersion

bp = Blueprint("feeds", __name__)

ICS = "text/calendar; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
JSON_FEED = "application/feed+json; charset=utf-8"


def _channel(version: StoreVersion) -> feeds.Channel:
    return to_channel(current_app.config, version, self_path=request.full_path.rstrip("?"))


def _calendar(flt: EventFilter, version: StoreVersion) -> Iterator[bytes]:
    """The calendar in chunks: header and VTIMEZONEs, then the VEVENT parts, assembled in
    memory (patched with what changed since) or, for a very large calendar, streamed from
    the stored parts."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    sessions = app.extensions["timeline.sessionmaker"]
    config, key = dict(app.config), render_key(app)
    assembled = app.extensions["timeline.assembler"].assemble(sessions, flt, version, config, key)
    if assembled is not None:
        return feeds.iter_ical(
            _channel(version), assembled.parts, assembled.tzids, span=assembled.span
        )
    zones, span = parts.calendar_zones(db.get_session(), flt)
    vevents = parts.iter_vevents(sessions, flt, config, key)
    return feeds.iter_ical(_channel(version), vevents, zones, span=span)


@bp.get("/calendar.ics")
def calendar() -> Response:
    """The calendar of every event matching the filters (RFC 5545)."""
    flt = parse_filter(request.args)
    version = db.current_version()
    return cached_document("ics", ICS, version, lambda: _calendar(flt, version))


@bp.get("/events/<event_id>.ics")
def event_calendar(event_id: str) -> Response:
    """A calendar holding one event; 404 if unknown, 410 if deleted."""
    parse_filter(request.args, allowed=())
    event = live_event(db.get_session(), event_id)
    version = StoreVersion(version=event.sequence, updated=event.updated)
    entry = to_entry(event, current_app.config)
    return cached_document(
        "ics", ICS, version, lambda: [feeds.render_ical(_channel(version), [entry])], shared=False
    )


def _newest(flt: EventFilter) -> list[feeds.Entry]:
    events = list_events(db.get_session(), flt, limit=int(current_app.config["FEED_MAX_ITEMS"]))
    return [to_entry(e, current_app.config) for e in events]


@bp.get("/feed.rss")
def rss() -> Response:
    """RSS 2.0 of the newest events (by start) matching the filters."""
    flt = parse_filter(request.args)
    version = db.current_version()
    return cached_document(
        "rss", RSS, version, lambda: [feeds.render_rss(_channel(version), _newest(flt))]
    )


@bp.get("/feed.atom")
def atom() -> Response:
    """Atom 1.0 (RFC 4287) of the newest events matching the filters."""
    flt = parse_filter(request.args)
    version = db.current_version()
    return cached_document(
        "atom", ATOM, version, lambda: [feeds.render_atom(_channel(version), _newest(flt))]
    )


@bp.get("/feed.json")
def json_feed() -> Response:
    """JSON Feed 1.1 of the newest events matching the filters."""
    flt = parse_filter(request.args)
    version = db.current_version()
    return cached_document(
        "json",
        JSON_FEED,
        version,
        lambda: [feeds.render_json_feed(_channel(version), _newest(flt))],
    )
