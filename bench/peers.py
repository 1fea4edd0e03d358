"""The peers: django-ical's ICal20Feed (iCalendar) and Django's Rss201rev2Feed (RSS 2.0),
fed the same events as this project's renderers.

Items are prepared from ``feeds.Entry`` values before timing (title with its precision
marker, body text, dates), so the peers are timed on feed building and serialization
only: no database, no text building. That favours them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from feeds import Channel, Entry
from feeds.text import body_text, display_title
from feeds.times import all_day_span, start_instant, timed_span
from feeds.xmlfeeds import rss_html


def configure_django() -> None:
    """Configure Django settings once (time zones on), as a project would."""
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_TZ=True, TIME_ZONE="UTC", USE_I18N=False)


def ical_items(entries: Sequence[Entry]) -> list[dict[str, Any]]:
    """Return django-ical ``add_item`` keyword arguments, one dict per entry."""
    items = []
    for entry in entries:
        if entry.all_day:
            start, end = all_day_span(entry)
        else:
            start, end = timed_span(entry)
        item: dict[str, Any] = {
            "title": display_title(entry),
            "link": entry.url or entry.link,
            "description": body_text(entry),
            "unique_id": entry.uid,
            "start_datetime": start,
            "end_datetime": end,
            "updateddate": entry.updated,
            "created": entry.created,
            "timestamp": entry.updated,
            "location": entry.location,
            "categories": list(entry.tags),
            "sequence": entry.sequence,
        }
        if entry.precision in ("month", "year"):
            item["transparency"] = "TRANSPARENT"
        items.append(item)
    return items


def render_django_ical(channel: Channel, items: list[dict[str, Any]]) -> bytes:
    """Render a calendar of ``items`` with django-ical's ICal20Feed."""
    configure_django()
    from django_ical.feedgenerator import ICal20Feed

    feed = ICal20Feed(
        title=channel.title,
        link=channel.link,
        description=channel.description,
        language=channel.language,
        product_id=channel.prodid,
        ttl=f"PT{channel.refresh_interval // 60}M",
    )
    for item in items:
        feed.add_item(**item)
    out = io.BytesIO()
    feed.write(out, "utf-8")
    return out.getvalue()


def rss_items(entries: Sequence[Entry]) -> list[dict[str, Any]]:
    """Return Django ``Rss201rev2Feed.add_item`` keyword arguments, one dict per entry."""
    return [
        {
            "title": display_title(entry),
            "link": entry.url or entry.link,
            "description": rss_html(body_text(entry)),
            "unique_id": entry.guid,
            "unique_id_is_permalink": False,
            "pubdate": start_instant(entry),
            "updateddate": entry.updated,
            "categories": list(entry.tags),
        }
        for entry in entries
    ]


def render_django_rss(channel: Channel, items: list[dict[str, Any]]) -> bytes:
    """Render an RSS 2.0 document of ``items`` with Django's Rss201rev2Feed."""
    configure_django()
    from django.utils.feedgenerator import Rss201rev2Feed

    feed = Rss201rev2Feed(
        title=channel.title,
        link=channel.link,
        description=channel.description,
        language=channel.language,
        feed_url=channel.self_url,
        ttl=str(channel.refresh_interval // 60),
    )
    for item in items:
        feed.add_item(**item)
    return feed.writeString("utf-8").encode()
