"""Blueprint of the published documents: the calendar, the feeds, one event's ICS."""

from __future__ import annotations

import dataclasses

from flask import Blueprint, Response, current_app, request

import feeds
from timeline.http import db
from timeline.http.cors import public_reads
from timeline.http.filters import (
    CACHE_BUSTER,
    DOCUMENT_PARAMETERS,
    LANG,
    offered_languages,
    parse_filter,
    parse_language,
)
from timeline.http.lookup import live_event
from timeline.http.timelines import per_timeline, shown, shown_event, shown_filter, shown_version
from timeline.publish.caching import cached_document, document_path, document_query
from timeline.publish.convert import to_entry
from timeline.publish.documents import CONTENT_TYPES, calendar_chunks, channel, feed_bytes
from timeline.publish.googlecal import PATH, google_calendar
from timeline.store.version import StoreVersion

bp = Blueprint("feeds", __name__)
public_reads(bp)
per_timeline(bp)


def _path() -> str:
    return document_path()


def _language() -> str | None:
    """The language ``?lang=`` asks for (400 naming ``lang`` unless it is offered)."""
    return parse_language(request.args, offered_languages(current_app.config))


@bp.get("/calendar.ics")
def calendar() -> Response:
    """The calendar of every event matching the filters (RFC 5545), with the tombstones
    of recently deleted ones (STATUS:CANCELLED)."""
    flt = dataclasses.replace(
        shown_filter(parse_filter(request.args, DOCUMENT_PARAMETERS)), tombstones=True
    )
    lang = _language()
    version = shown_version()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    path = _path()
    heading = shown().heading
    return cached_document(
        "ics",
        CONTENT_TYPES["ics"],
        version,
        lambda: calendar_chunks(app, flt, version, path, assemble=True, lang=lang, heading=heading),
        timeline=shown().id,
    )


@bp.get(PATH)
def google_calendar_view() -> Response:
    """The calendar for Google Calendar: the most recent events matching the filters that
    fit in ``CALENDAR_MAX_BYTES`` (RFC 5545), tombstones included as in :func:`calendar`."""
    flt = dataclasses.replace(
        shown_filter(parse_filter(request.args, DOCUMENT_PARAMETERS)), tombstones=True
    )
    lang = _language()
    version = shown_version()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    path = _path()
    query = document_query()
    heading = shown().heading
    return cached_document(
        "ics-google",
        CONTENT_TYPES["ics"],
        version,
        lambda: [google_calendar(db.get_session(), app, flt, version, path, query, lang, heading)],
        timeline=shown().id,
    )


@bp.get("/events/<event_id>.ics")
def event_calendar(event_id: str) -> Response:
    """A calendar holding one event; 404 if unknown, 410 if deleted."""
    parse_filter(request.args, allowed=(LANG, CACHE_BUSTER))
    lang = _language()
    event = shown_event(live_event(db.get_session(), event_id))
    version = StoreVersion(version=event.sequence, updated=event.updated)
    entry = to_entry(event, current_app.config, lang)
    head = channel(current_app, version, _path(), lang, shown().heading)
    return cached_document(
        "ics",
        CONTENT_TYPES["ics"],
        version,
        lambda: [feeds.render_ical(head, [entry])],
        shared=False,
    )


def _feed(fmt: str) -> Response:
    flt = shown_filter(parse_filter(request.args, DOCUMENT_PARAMETERS))
    lang = _language()
    version = shown_version()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    path = _path()
    heading = shown().heading
    return cached_document(
        fmt,
        CONTENT_TYPES[fmt],
        version,
        lambda: [feed_bytes(db.get_session(), app, fmt, flt, version, path, lang, heading)],
        timeline=shown().id,
    )


@bp.get("/feed.rss")
def rss() -> Response:
    """RSS 2.0 of the newest events (by start) matching the filters."""
    return _feed("rss")


@bp.get("/feed.atom")
def atom() -> Response:
    """Atom 1.0 (RFC 4287) of the newest events matching the filters."""
    return _feed("atom")


@bp.get("/feed.json")
def json_feed() -> Response:
    """JSON Feed 1.1 of the newest events matching the filters."""
    return _feed("json")
