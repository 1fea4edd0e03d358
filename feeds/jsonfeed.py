"""JSON Feed 1.1 rendering (https://jsonfeed.org/version/1.1)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from feeds.model import Channel, Entry
from feeds.text import (
    UNTITLED,
    body_text,
    channel_description,
    clean_channel,
    clean_entry,
    feed_title,
)
from feeds.times import ONE_DAY, all_day_span, iso_utc, item_instant, timed_span

VERSION = "https://jsonfeed.org/version/1.1"


def _local_iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _timeline(entry: Entry) -> dict[str, Any]:
    start: dt.date
    end: dt.date | None
    if entry.all_day:
        # The last day, inclusive, as the API's ``end`` (and schema.org's endDate): one
        # meaning wherever a person reads JSON. Only the ICS DTEND is exclusive.
        start, after = all_day_span(entry)
        end = after - ONE_DAY
        timezone = entry.timezone
    else:
        start, end = timed_span(entry)
        timezone = entry.timezone or "UTC"
    source = {
        "name": entry.source_name,
        "published": entry.source_published,
        "locator": entry.source_locator,
    }
    return {
        "start": _local_iso(start),
        "end": _local_iso(end),
        "all_day": entry.all_day,
        "timezone": timezone,
        "precision": entry.precision,
        "approximate": entry.approximate,
        "sequence": entry.sequence,
        "organizations": list(entry.organizations),
        "location": entry.location,
        "source": source if any(source.values()) else None,
    } | ({} if entry.status == "confirmed" else {"status": entry.status})


def render_json_item(entry: Entry) -> dict[str, Any]:
    """Return one JSON Feed 1.1 item as a JSON-ready dict, keys in a fixed order.

    ``id`` = guid, ``url`` = the event's page, ``external_url`` = ``entry.url`` when set,
    ``title`` with the precision marker, ``content_text`` = the plain body,
    ``date_published`` = start in UTC RFC 3339 (all-day: the first day at 10:00 UTC,
    shown on that day by readers from UTC-10:00 to UTC+13:59, see
    :data:`feeds.times.ALL_DAY_HOUR`),
    ``date_modified`` = ``entry.updated`` in UTC (both in whole seconds), ``tags`` when
    any, and the extension ``_timeline``: ``start``/``end`` (all-day: ISO dates, ``end``
    the last day inclusive, as the API's ``end``, so a one-day event on 2025-02-17 has
    ``end`` 2025-02-17 and a
    month event of January 2025 has 2025-01-31; timed: RFC 3339 datetimes in the event's
    zone, ``end`` null for an instant), ``all_day``, ``timezone``
    (IANA name; "UTC" for a timed event without one), ``precision``, ``approximate``,
    ``sequence``, ``organizations``, ``location`` and ``source`` (name, published date,
    locator; null when unknown), and ``status`` when not ``confirmed`` (``tentative``,
    ``cancelled``: then the title is marked, :func:`feeds.text.feed_title`). Raises
    ValueError as :func:`feeds.render_vevent`.
    """
    entry = clean_entry(entry)
    item: dict[str, Any] = {"id": entry.guid, "url": entry.link}
    if entry.url:
        item["external_url"] = entry.url
    item["title"] = feed_title(entry)
    item["content_text"] = body_text(entry)
    item["date_published"] = iso_utc(item_instant(entry))
    item["date_modified"] = iso_utc(entry.updated)
    if entry.tags:
        item["tags"] = list(entry.tags)
    item["_timeline"] = _timeline(entry)
    return item


def render_json_feed(channel: Channel, entries: Sequence[Entry]) -> bytes:
    """Render a JSON Feed 1.1 document as UTF-8 JSON (not ASCII-escaped), LF-terminated.

    Top level: ``version``, ``title``, ``home_page_url`` = ``channel.link``,
    ``feed_url`` = ``channel.self_url``, ``description`` (the title when blank),
    ``language``, and ``items`` from :func:`render_json_item` in the order given.
    Deterministic: fixed key order, no clock. Raises ValueError as
    :func:`feeds.render_vevent`.
    """
    channel = clean_channel(channel)
    document = {
        "version": VERSION,
        "title": channel.title if channel.title.strip() else UNTITLED,
        "home_page_url": channel.link,
        "feed_url": channel.self_url,
        "description": channel_description(channel),
        "language": channel.language,
        "items": [render_json_item(entry) for entry in entries],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
