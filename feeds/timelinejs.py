"""TimelineJS3 JSON rendering (https://timeline.knightlab.com/docs/json-format.html)."""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Sequence
from typing import Any

from feeds.model import Channel, Entry, Wording
from feeds.text import (
    UNTITLED,
    channel_description,
    clean_channel,
    clean_entry,
    marked_cancelled,
    precision_label,
)
from feeds.times import ONE_DAY, all_day_span, timed_span


def _html(text: str) -> str:
    """Plain text as the HTML that TimelineJS inserts: escaped, line breaks as ``<br>``."""
    return html.escape(text).replace("\n", "<br>")


def _parts(value: dt.date, precision: str) -> dict[str, int]:
    """A TimelineJS date object holding the parts known at ``precision``."""
    parts = {"year": value.year}
    if precision != "year":
        parts["month"] = value.month
    if precision not in ("year", "month"):
        parts["day"] = value.day
    if isinstance(value, dt.datetime):
        parts["hour"], parts["minute"] = value.hour, value.minute
        if value.second:
            parts["second"] = value.second
    return parts


def _day(value: dt.date, words: Wording) -> str:
    return words.day % {
        "day": value.day,
        "month": words.months[value.month - 1],
        "year": value.year,
    }


def _days(first: dt.date, last: dt.date, words: Wording) -> str:
    """``9 February 2025``, ``9–10 February 2025``, ``30 January – 2 February 2025``
    (in English; in ``words``)."""
    if first == last:
        return _day(first, words)
    month, last_month = words.months[first.month - 1], words.months[last.month - 1]
    if (first.year, first.month) == (last.year, last.month):
        return words.days_in_month % {
            "first": first.day,
            "last": last.day,
            "month": month,
            "year": first.year,
        }
    if first.year == last.year:
        return words.days_in_year % {
            "first_day": first.day,
            "first_month": month,
            "last_day": last.day,
            "last_month": last_month,
            "year": first.year,
        }
    return words.days_across % {"first": _day(first, words), "last": _day(last, words)}


def _timed_words(start: dt.datetime, end: dt.datetime | None, zone: str, words: Wording) -> str:
    """``20 August 2025, 16:00 (Europe/Madrid)``, with ``–18:00`` or ``– 21 August 2025,
    10:00`` for an end (in English; in ``words``)."""
    text = words.moment % {"day": _day(start, words), "time": f"{start:%H:%M}"}
    if end is not None and end != start:
        if end.date() == start.date():
            text += f"–{end:%H:%M}"
        else:
            later = words.moment % {"day": _day(end, words), "time": f"{end:%H:%M}"}
            text = words.days_across % {"first": text, "last": later}
    return words.in_zone % {"date": text, "zone": zone}


def render_timelinejs_event(entry: Entry) -> dict[str, Any]:
    """Return one TimelineJS slide as a JSON-ready dict, keys in a fixed order.

    ``start_date`` holds the parts known: ``year`` for a year event, ``year`` and
    ``month`` for a month event, the day too for a day, and ``hour`` and ``minute``
    (``second`` when not 0) for a timed event, in its own zone. ``end_date`` is the
    last day, month or year, inclusive, of an event that spans several, or the end of
    a timed event; absent otherwise. ``display_date`` words the date where TimelineJS
    cannot: for an approximate date (``around 22 January 2025``) and for a timed event
    (``20 August 2025, 16:00 (Europe/Madrid)``; TimelineJS has no time zones).
    ``text`` has the ``headline`` (the title) and ``text`` (the description) as
    escaped HTML; ``group`` is the first tag, when there is one; ``unique_id`` the
    event's id. Raises ValueError as :func:`feeds.render_vevent`.
    """
    entry = clean_entry(entry)
    slide: dict[str, Any] = {}
    if entry.all_day:
        first, after = all_day_span(entry)
        last = after - ONE_DAY
        slide["start_date"] = _parts(first, entry.precision)
        if _parts(last, entry.precision) != slide["start_date"]:
            slide["end_date"] = _parts(last, entry.precision)
        day = entry.precision == "day"
        words = _days(first, last, entry.wording) if day else precision_label(entry)
        if entry.approximate:
            slide["display_date"] = entry.wording.around % {"date": words}
    else:
        start, end = timed_span(entry)
        slide["start_date"] = _parts(start, "datetime")
        if end is not None and end != start:
            slide["end_date"] = _parts(end, "datetime")
        timed = _timed_words(start, end, entry.timezone or "UTC", entry.wording)
        around = entry.wording.around % {"date": timed}
        slide["display_date"] = around if entry.approximate else timed
    slide["text"] = {
        "headline": _html(
            marked_cancelled(entry, entry.title if entry.title.strip() else entry.wording.untitled)
        ),
        "text": _html(entry.description),
    }
    if entry.tags:
        slide["group"] = _html(entry.tags[0])
    slide["unique_id"] = entry.id
    return slide


def render_timelinejs(channel: Channel, entries: Sequence[Entry]) -> bytes:
    """Render a TimelineJS3 timeline as UTF-8 JSON (not ASCII-escaped), LF-terminated:
    a ``title`` slide (the channel's title and description as escaped HTML), the
    ``events`` from :func:`render_timelinejs_event` in the order given, and ``scale``
    ``human``. Deterministic: fixed key order, no clock. Raises ValueError as
    :func:`feeds.render_vevent`."""
    channel = clean_channel(channel)
    document = {
        "title": {
            "text": {
                "headline": _html(channel.title if channel.title.strip() else UNTITLED),
                "text": _html(channel_description(channel)),
            }
        },
        "events": [render_timelinejs_event(entry) for entry in entries],
        "scale": "human",
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
