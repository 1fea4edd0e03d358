"""Builders of the renderers' input values shared by the feeds tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from feeds import Channel, Entry

UTC = dt.UTC


def channel(self_url: str, **fields: Any) -> Channel:
    """The example channel served at ``self_url``; ``fields`` override the rest."""
    values: dict[str, Any] = {
        "id": "tag:example.org,2025:timeline",
        "title": "Example timeline",
        "description": "Events in the example city",
        "link": "https://example.org/",
        "self_url": self_url,
        "updated": dt.datetime(2025, 9, 1, 12, 0, tzinfo=UTC),
    }
    return Channel(**(values | fields))


def entry(slug: str, **fields: Any) -> Entry:
    """An entry whose uid, guid and link derive from ``slug``, created 2025-08-01 09:00 and
    updated 2025-08-02 09:30 UTC; ``fields`` give the rest (title, start, end, all_day...)."""
    values: dict[str, Any] = {
        "id": slug,
        "uid": f"event-{slug}@example.org",
        "guid": f"tag:example.org,2025:event-{slug}",
        "link": f"https://example.org/events/{slug}",
        "created": dt.datetime(2025, 8, 1, 9, 0, tzinfo=UTC),
        "updated": dt.datetime(2025, 8, 2, 9, 30, tzinfo=UTC),
    }
    return Entry(**(values | fields))
