"""The published documents, built the same way for the service and for ``timeline export``:
the calendar (assembled in memory or streamed from stored parts) and the feeds."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from flask import Flask
from sqlalchemy import orm

import feeds
from feeds.times import item_instant
from timeline.publish import parts, rendering
from timeline.publish.caching import render_key
from timeline.publish.convert import to_channel, to_entry
from timeline.publish.occurrences import expand, with_recurring
from timeline.store.queries import EventFilter, list_events
from timeline.store.timelines import SITE, Heading
from timeline.store.version import StoreVersion

#: Path and Content-Type of each format (RFC 5545 §8.1, RSS, RFC 4287 §7, JSON Feed 1.1).
PATHS = {"ics": "/calendar.ics", "rss": "/feed.rss", "atom": "/feed.atom", "json": "/feed.json"}
CONTENT_TYPES = {
    "ics": "text/calendar; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
FeedRenderer = Callable[[feeds.Channel, Sequence[feeds.Entry]], bytes]
_FEEDS: dict[str, FeedRenderer] = {
    "rss": feeds.render_rss,
    "atom": feeds.render_atom,
    "json": feeds.render_json_feed,
}


def channel(
    app: Flask,
    version: StoreVersion,
    self_path: str,
    lang: str | None = None,
    heading: Heading = SITE,
) -> feeds.Channel:
    """The metadata of the document served at ``self_path`` (path and query), in the
    language ``lang`` (a BCP 47 tag; None: the configured LANGUAGE), of the site or of
    the timeline ``heading`` names (:class:`timeline.publish.convert.Heading`)."""
    return to_channel(app.config, version, self_path=self_path, lang=lang, heading=heading)


def calendar_chunks(
    app: Flask,
    flt: EventFilter,
    version: StoreVersion,
    self_path: str,
    *,
    assemble: bool,
    lang: str | None = None,
    heading: Heading = SITE,
    second_process: bool = False,
) -> Iterator[bytes]:
    """Yield the calendar of ``flt`` with its texts in ``lang`` (BCP 47; None: each
    event's original language; see :func:`timeline.publish.convert.texts`): header and
    VTIMEZONEs, then the VEVENT parts (stored per language), then the end. With
    ``assemble``, from the calendar kept in memory (patched with what changed since),
    unless it is too large; otherwise streamed from the stored parts in batches, so
    memory stays flat whatever the number of events, the missing parts rendered in a
    worker process with ``second_process`` (:func:`timeline.publish.rendering.second_process`:
    a command's, never the service's)."""
    sessions = app.extensions["timeline.sessionmaker"]
    config, key = dict(app.config), render_key(app)
    head = channel(app, version, self_path, lang, heading)
    if assemble:
        assembler = app.extensions["timeline.assembler"]
        assembled = assembler.assemble(sessions, flt, version, config, key, lang)
        if assembled is not None:
            chunks = _joined(assembled.parts)
            yield from feeds.iter_ical(head, chunks, assembled.tzids, span=assembled.span)
            return
    with sessions() as session:
        zones, span = parts.calendar_zones(session, flt)
    workers = rendering.second_process if second_process else rendering.inline
    with workers(rendering.Parts(sessions, config, key)) as worker:
        vevents = parts.iter_vevents(sessions, flt, config, key, lang=lang, worker=worker)
        yield from feeds.iter_ical(head, vevents, zones, span=span)


def _joined(parts: list[bytes], size: int = 1 << 20) -> Iterator[bytes]:
    """``parts`` joined into pieces of about ``size`` bytes: a hundred thousand VEVENTs
    go to the client (and the spool) as about eighty writes, not a hundred thousand."""
    held: list[bytes] = []
    length = 0
    for part in parts:
        held.append(part)
        length += len(part)
        if length >= size:
            yield b"".join(held)
            held, length = [], 0
    if held:
        yield b"".join(held)


def store_calendar_parts(app: Flask) -> int:
    """Render and store every missing or stale VEVENT part of the calendar (each event's
    original language), so that the next GET of /calendar.ics or an export finds them:
    see :func:`timeline.publish.parts.store_missing`. Returns how many were stored."""
    sessions = app.extensions["timeline.sessionmaker"]
    return parts.store_missing(sessions, dict(app.config), render_key(app))


def feed_bytes(
    session: orm.Session,
    app: Flask,
    fmt: str,
    flt: EventFilter,
    version: StoreVersion,
    self_path: str,
    lang: str | None = None,
    heading: Heading = SITE,
) -> bytes:
    """Return the feed ``fmt`` (``rss``, ``atom`` or ``json``) of the ``FEED_MAX_ITEMS``
    events with the newest start matching ``flt`` (a recurring one an item per occurrence,
    :func:`timeline.publish.occurrences.expand`; at most ``FEED_MAX_ITEMS`` items), in
    descending order of the item date
    (:func:`feeds.times.item_instant`), in the language ``lang`` (as
    :func:`calendar_chunks`). Raises KeyError for an unknown format."""
    limit = int(app.config["FEED_MAX_ITEMS"])
    events = with_recurring(session, flt, list_events(session, flt, limit=limit))
    pairs = [(e, to_entry(e, app.config, lang)) for e in events]
    # A recurring event is an item per occurrence (timeline.publish.occurrences).
    entries = expand(session, pairs, flt.start, flt.until)
    # Items in descending order of the date they show: an all-day event's is 10:00 UTC
    # (feeds.times.ALL_DAY_HOUR), after that day's early timed events. Stable for ties.
    entries.sort(key=item_instant, reverse=True)
    del entries[limit:]
    return _FEEDS[fmt](channel(app, version, self_path, lang, heading), entries)
