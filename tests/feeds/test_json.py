"""Tests of the JSON Feed 1.1 renderer (feedparser 6.0 reads no JSON Feed: checked by hand)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from feeds import Entry, render_json_feed, render_json_item
from tests.feeds.fixtures import channel, entry

UTC = dt.UTC
GOLDEN = Path(__file__).parent / "golden"
PARIS = ZoneInfo("Europe/Paris")
CHANNEL = channel("https://example.org/feed.json", description="")
BASE = entry(
    "meetup",
    title="Café 🙂 meetup",
    start=dt.datetime(2025, 10, 2, 18, 0, tzinfo=PARIS),
    end=dt.datetime(2025, 10, 2, 20, 0, tzinfo=PARIS),
    all_day=False,
    timezone="Europe/Paris",
    description="Über alles",
    tags=("social",),
    sequence=2,
    location="Le Café, Paris",
    organizations=("Meetup Paris",),
)
MONTH = dataclasses.replace(
    BASE,
    id="ai-plan",
    guid="tag:example.org,2025:event-ai-plan",
    uid="event-ai-plan@example.org",
    link="https://example.org/events/ai-plan",
    title="Microsoft plans USD 80 billion for AI data centres",
    start=dt.date(2025, 1, 1),
    end=dt.date(2025, 2, 1),
    all_day=True,
    timezone=None,
    precision="month",
    approximate=True,
    description="",
    tags=(),
    sequence=0,
    location=None,
    organizations=("Microsoft",),
    url="https://news.example.com/ai",
    source_name="Example News",
    source_published="2025-01-03",
)


def document(entries: list[Entry]) -> Any:
    return json.loads(render_json_feed(CHANNEL, entries))


def test_top_level() -> None:
    feed = document([BASE, MONTH])
    assert list(feed) == [
        "version",
        "title",
        "home_page_url",
        "feed_url",
        "description",
        "language",
        "items",
    ]
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == feed["description"] == "Example timeline"
    assert feed["home_page_url"] == "https://example.org/"
    assert feed["feed_url"] == "https://example.org/feed.json"
    assert feed["language"] == "en"
    assert [item["id"] for item in feed["items"]] == [BASE.guid, MONTH.guid]


def test_timed_item() -> None:
    item = render_json_item(BASE)
    assert item == {
        "id": "tag:example.org,2025:event-meetup",
        "url": "https://example.org/events/meetup",
        "title": "Café 🙂 meetup",
        "content_text": "Über alles",
        "date_published": "2025-10-02T16:00:00Z",
        "date_modified": "2025-08-02T09:30:00Z",
        "tags": ["social"],
        "_timeline": {
            "start": "2025-10-02T18:00:00+02:00",
            "end": "2025-10-02T20:00:00+02:00",
            "all_day": False,
            "timezone": "Europe/Paris",
            "precision": "day",
            "approximate": False,
            "sequence": 2,
            "organizations": ["Meetup Paris"],
            "location": "Le Café, Paris",
            "source": None,
        },
    }
    published = dt.datetime.fromisoformat(item["date_published"])
    assert published == BASE.start


def test_month_item() -> None:
    item = render_json_item(MONTH)
    assert item["url"] == "https://example.org/events/ai-plan"
    assert item["external_url"] == "https://news.example.com/ai"
    assert item["title"] == (
        "Microsoft plans USD 80 billion for AI data centres (around January 2025; day not reported)"
    )
    assert item["content_text"] == (
        "Approximate date, known to the month only: January 2025.\n\n"
        "Source: Example News, published 2025-01-03\nhttps://news.example.com/ai"
    )
    assert item["date_published"] == "2025-01-01T10:00:00Z"
    assert "tags" not in item
    assert item["_timeline"] == {
        "start": "2025-01-01",
        "end": "2025-01-31",
        "all_day": True,
        "timezone": None,
        "precision": "month",
        "approximate": True,
        "sequence": 0,
        "organizations": ["Microsoft"],
        "location": None,
        "source": {"name": "Example News", "published": "2025-01-03", "locator": None},
    }


def test_utf8_without_ascii_escapes_and_no_control_characters() -> None:
    body = render_json_feed(CHANNEL, [dataclasses.replace(BASE, title="Café\x00 🙂\x1b")])
    assert "Café 🙂".encode() in body
    assert b"\\u" not in body
    assert document([BASE])["items"][0]["title"] == "Café 🙂 meetup"
    assert json.loads(body)["items"][0]["title"] == "Café 🙂"


def test_rendering_is_deterministic_and_golden() -> None:
    body = render_json_feed(CHANNEL, [BASE, MONTH])
    assert body == render_json_feed(CHANNEL, [BASE, MONTH])
    assert body == (GOLDEN / "feeds_feed.json").read_bytes()
