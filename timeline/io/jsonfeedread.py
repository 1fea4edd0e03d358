"""Items of our own JSON Feed (:func:`feeds.render_json_item`) as bodies of the JSON API,
undoing what the renderer adds to titles and texts."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from feeds import Entry
from timeline.io.icsread import EPOCH, PRECISIONS, undo_render
from timeline.publish.wording import wordings

VERSION_PREFIX = "https://jsonfeed.org/version/"
_GUID = re.compile(r"^tag:[^,]+,[^:]+:event:(.+)$")
_PAGE = re.compile(r"/events/([^/?#]+)$")
_SIZES = {"year": 4, "month": 7, "day": 10}
_ONE_DAY = dt.timedelta(days=1)


class FeedItemError(ValueError):
    """A JSON Feed item that cannot become an event body; the message says why."""


def is_json_feed(document: Any) -> bool:
    """Return whether ``document`` (parsed JSON) is a JSON Feed (https://jsonfeed.org/
    version/1.1): an object whose ``version`` is a JSON Feed version URL."""
    version = document.get("version") if isinstance(document, dict) else None
    return isinstance(version, str) and version.startswith(VERSION_PREFIX)


def unmarked_cancelled(title: str) -> str:
    """``title`` without the mark :func:`feeds.text.feed_title` gives a cancelled event
    (``Cancelled: <title>``, ``【已取消】<title>``), in any language the catalogs have; as
    it is when none fits."""
    for words in wordings():
        before, _, after = words.cancelled.partition("%(title)s")
        fits = len(title) >= len(before) + len(after)
        if fits and title.startswith(before) and title.endswith(after):
            return title[len(before) : len(title) - len(after)]
    return title


def _event_id(item: dict[str, Any]) -> str | None:
    for pattern, value in ((_GUID, item.get("id")), (_PAGE, item.get("url"))):
        match = pattern.search(value) if isinstance(value, str) else None
        if match:
            return match.group(1)
    return None


def _dates(ext: dict[str, Any], precision: str) -> tuple[dict[str, Any], Any, Any]:
    """The API's date fields, and start and exclusive end as the renderer had them."""
    start, end = ext.get("start"), ext.get("end")
    if not isinstance(start, str) or not isinstance(end, str | None):
        raise FeedItemError("/_timeline/start: a date or date-time string is required")
    try:
        if ext.get("all_day") is True:
            # ``end`` is the API's: the last day, inclusive (feeds/jsonfeed.py writes it
            # so since JSON Feed's end became inclusive; an exclusive end read here would
            # add a day).
            size = _SIZES.get(precision, 10)
            first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end or start)
            fields: dict[str, Any] = {"start": start[:size], "timezone": ext.get("timezone")}
            if end is not None and end[:size] != start[:size]:
                fields["end"] = end[:size]
            return fields, first, last + _ONE_DAY
        begin = dt.datetime.fromisoformat(start)
        until = None if end is None else dt.datetime.fromisoformat(end)
    except ValueError as error:
        raise FeedItemError(f"/_timeline: {error}") from None
    # The feed writes "UTC" for a timed event without zone: read it back as none.
    zone = ext.get("timezone")
    fields = {"start": start, "timezone": None if zone == "UTC" else zone}
    return fields | ({"end": end} if end is not None else {}), begin, until


def item_body(item: Any) -> dict[str, Any]:
    """Return the JSON API body of a JSON Feed item that :func:`feeds.render_json_item`
    wrote (see :class:`timeline.events.schemas.EventInput`).

    The id comes from the item's ``id`` (``tag:<domain>,<date>:event:<id>``) or its
    ``url`` (``.../events/<id>``); dates, zone, precision, approximation, location,
    organizations and source from the ``_timeline`` extension, whose all-day ``end`` is
    read as the API's ``end``, the last day inclusive (a month or year event's ``end``
    as its last month or year); a timed item's ``timezone`` "UTC" as no zone (the feed
    writes "UTC" for both). The precision marker of ``title``, and the note, source line
    and ``external_url`` that the renderer put around the description in
    ``content_text``, are taken off. Raises FeedItemError for an item without
    ``_timeline`` (a feed of another program: its dates cannot be read back) or with
    unreadable ``_timeline`` dates.
    """
    ext = item.get("_timeline") if isinstance(item, dict) else None
    if not isinstance(ext, dict):
        raise FeedItemError(
            "/_timeline: missing: only timeline's own JSON Feed can be read back; "
            "import the calendar instead (timeline export --format ics)"
        )
    precision = ext.get("precision", "day")
    if precision not in PRECISIONS:
        raise FeedItemError(f"/_timeline/precision: {precision!r} is not one of {PRECISIONS}")
    fields, start, end = _dates(ext, precision)
    source = ext.get("source") if isinstance(ext.get("source"), dict) else None
    source = {k: v for k, v in (source or {}).items() if v is not None} or None
    approximate = ext.get("approximate") is True
    title, text = item.get("title"), item.get("content_text", "")
    status = ext.get("status", "confirmed")
    if status == "cancelled" and isinstance(title, str):
        title = unmarked_cancelled(title)
    url = item.get("external_url")
    if isinstance(title, str) and isinstance(text, str):
        entry = Entry(
            id="",
            uid="",
            guid="",
            title=title,
            start=start,
            end=end,
            all_day=ext.get("all_day") is True,
            link="",
            created=EPOCH,
            updated=EPOCH,
            timezone=fields.get("timezone"),
            precision=precision,
            approximate=approximate,
            source_name=(source or {}).get("name"),
            source_published=(source or {}).get("published"),
            source_locator=(source or {}).get("locator"),
        )
        title, text, url = undo_render(title, text, [url, None] if url else [None], entry)
    body = fields | {
        "id": _event_id(item),
        "title": title,
        "description": text,
        "url": url,
        "approximate": approximate,
        "location": ext.get("location"),
        "tags": item.get("tags", []),
        "organizations": ext.get("organizations", []),
        "source": source,
        "status": status,
    }
    return {k: v for k, v in body.items() if v is not None}
