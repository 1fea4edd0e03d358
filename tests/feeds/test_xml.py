"""Tests of the RSS 2.0 and Atom 1.0 renderers, parsed back with feedparser and lxml."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import feedparser
import pytest
from lxml import etree

from feeds import Entry, render_atom, render_rss
from tests.feeds.fixtures import channel, entry

UTC = dt.UTC
GOLDEN = Path(__file__).parent / "golden"
ATOM = "{http://www.w3.org/2005/Atom}"
RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
BERLIN = ZoneInfo("Europe/Berlin")
CHANNEL = channel("https://example.org/feed.rss", language="de")
BASE = entry(
    "hack",
    title="Hack night",
    start=dt.datetime(2025, 9, 25, 18, 0, tzinfo=BERLIN),
    end=dt.datetime(2025, 9, 25, 22, 0, tzinfo=BERLIN),
    all_day=False,
    timezone="Europe/Berlin",
    description="Bring a laptop.",
    tags=("tech", "community"),
)


def make(**fields: Any) -> Entry:
    """Return BASE with ``fields`` replaced; a new ``id`` also renames uid, guid and link."""
    slug = fields.get("id", BASE.id)
    defaults = {
        "uid": f"event-{slug}@example.org",
        "guid": f"tag:example.org,2025:event-{slug}",
        "link": f"https://example.org/events/{slug}",
    }
    return dataclasses.replace(BASE, **{**defaults, **fields})


def sample() -> list[Entry]:
    """Three events, newest first: timed, all-day month precision, approximate day."""
    return [
        make(),
        make(
            id="ai-plan",
            title="Microsoft plans USD 80 billion for AI data centres",
            start=dt.date(2025, 1, 1),
            end=dt.date(2025, 2, 1),
            all_day=True,
            timezone=None,
            precision="month",
            description="Spending in fiscal 2025.\nMostly in the US.",
            url="https://news.example.com/ai",
            source_name="Example News",
            tags=(),
        ),
        make(
            id="festival",
            title="香港國際電影節 🎬",
            start=dt.date(2024, 12, 10),
            end=dt.date(2024, 12, 11),
            all_day=True,
            approximate=True,
            description="",
            tags=(),
        ),
    ]


def parse(body: bytes, content_type: str) -> Any:
    result = feedparser.parse(body, response_headers={"content-type": content_type})
    assert result.bozo == 0, result.get("bozo_exception")
    return result


def test_rss_channel() -> None:
    body = render_rss(CHANNEL, sample())
    assert body.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    channel = etree.fromstring(body).find("channel")
    assert channel is not None
    assert channel.findtext("title") == "Example timeline"
    assert channel.findtext("link") == "https://example.org/"
    assert channel.findtext("description") == "Events in the example city"
    assert channel.findtext("language") == "de"
    assert channel.findtext("lastBuildDate") == "Mon, 01 Sep 2025 12:00:00 +0000"
    assert channel.findtext("generator") == "timeline"
    assert channel.findtext("ttl") == "60"
    self_link = channel.find(f"{ATOM}link")
    assert self_link is not None
    assert self_link.attrib == {
        "href": "https://example.org/feed.rss",
        "rel": "self",
        "type": "application/rss+xml",
    }


def test_rss_items() -> None:
    parsed = parse(render_rss(CHANNEL, sample()), RSS_TYPE)
    assert [entry.title for entry in parsed.entries] == [
        "Hack night",
        "Microsoft plans USD 80 billion for AI data centres (January 2025; day not reported)",
        "香港國際電影節 🎬 (approximate date)",
    ]
    assert [entry.link for entry in parsed.entries] == [
        "https://example.org/events/hack",
        "https://news.example.com/ai",
        "https://example.org/events/festival",
    ]
    assert [entry.id for entry in parsed.entries] == [entry.guid for entry in sample()]
    assert [entry.guidislink for entry in parsed.entries] == [False, False, False]
    assert [entry.published for entry in parsed.entries] == [
        "Thu, 25 Sep 2025 16:00:00 +0000",
        "Wed, 01 Jan 2025 10:00:00 +0000",
        "Tue, 10 Dec 2024 10:00:00 +0000",
    ]
    assert [tag.term for tag in parsed.entries[0].tags] == ["tech", "community"]
    assert html.unescape(parsed.entries[1].summary.replace("<br />", "")) == (
        "Date known to the month only: January 2025.\n\n"
        "Spending in fiscal 2025.\nMostly in the US.\n\n"
        "Source: Example News\nhttps://news.example.com/ai"
    )
    assert html.unescape(parsed.entries[2].summary) == "Approximate date: 2024-12-10."


def test_rss_guid_is_permalink_only_for_the_events_page() -> None:
    entry = make(guid="https://example.org/events/hack")
    guid = etree.fromstring(render_rss(CHANNEL, [entry])).find("channel/item/guid")
    assert guid is not None
    assert guid.attrib == {"isPermaLink": "true"}
    assert parse(render_rss(CHANNEL, [entry]), RSS_TYPE).entries[0].id == entry.link
    tag = etree.fromstring(render_rss(CHANNEL, [make()])).find("channel/item/guid")
    assert tag is not None
    assert tag.attrib == {"isPermaLink": "false"}


def test_atom_feed_and_entries() -> None:
    channel = dataclasses.replace(CHANNEL, self_url="https://example.org/feed.atom")
    body = render_atom(channel, sample())
    parsed = parse(body, ATOM_TYPE)
    assert parsed.version == "atom10"
    assert parsed.feed.id == "tag:example.org,2025:timeline"
    assert parsed.feed.updated == "2025-09-01T12:00:00+00:00"
    assert parsed.feed.subtitle == "Events in the example city"
    assert parsed.feed.language == "de"
    assert {(link.rel, link.href) for link in parsed.feed.links} == {
        ("alternate", "https://example.org/"),
        ("self", "https://example.org/feed.atom"),
    }
    entries = parsed.entries
    assert [entry.id for entry in entries] == [entry.guid for entry in sample()]
    assert [entry.published for entry in entries] == [
        "2025-09-25T16:00:00+00:00",
        "2025-01-01T10:00:00+00:00",
        "2024-12-10T10:00:00+00:00",
    ]
    assert {entry.updated for entry in entries} == {"2025-08-02T09:30:00+00:00"}
    assert [[(link.rel, link.href) for link in entry.links] for entry in entries] == [
        [("alternate", "https://example.org/events/hack")],
        [("alternate", "https://news.example.com/ai")],
        [("alternate", "https://example.org/events/festival")],
    ]
    assert entries[1].content[0].value.startswith("Date known to the month only")
    assert "Spending in fiscal 2025.\nMostly in the US." in entries[1].content[0].value
    assert [tag.term for tag in entries[0].tags] == ["tech", "community"]
    root = etree.fromstring(body)
    assert root.findtext(f"{ATOM}generator") == "timeline"
    assert [c.get("type") for c in root.iterfind(f"{ATOM}entry/{ATOM}content")] == ["text"] * 3


def test_dates_come_from_the_input_never_the_clock() -> None:
    epoch = dt.datetime(1970, 1, 1, tzinfo=UTC)
    channel = dataclasses.replace(CHANNEL, updated=epoch)
    rss = etree.fromstring(render_rss(channel, []))
    assert rss.findtext("channel/lastBuildDate") == "Thu, 01 Jan 1970 00:00:00 +0000"
    atom = etree.fromstring(render_atom(channel, []))
    assert atom.findtext(f"{ATOM}updated") == "1970-01-01T00:00:00+00:00"
    for path in Path(__file__).parents[2].joinpath("feeds").glob("*.py"):
        source = path.read_text()
        assert ".now(" not in source and "today(" not in source, path


@pytest.mark.parametrize(
    ("render", "content_type"), [(render_rss, RSS_TYPE), (render_atom, ATOM_TYPE)]
)
def test_empty_feed_is_valid(render: Any, content_type: str) -> None:
    assert parse(render(CHANNEL, []), content_type).entries == []


def test_blank_titles_still_render() -> None:
    channel = dataclasses.replace(CHANNEL, title=" ", description="")
    entry = make(title="")
    for body, content_type in (
        (render_rss(channel, [entry]), RSS_TYPE),
        (render_atom(channel, [entry]), ATOM_TYPE),
    ):
        parsed = parse(body, content_type)
        assert parsed.feed.title == "(untitled)"
        assert parsed.entries[0].title == "(untitled)"


def test_rendering_is_deterministic() -> None:
    assert render_rss(CHANNEL, sample()) == render_rss(CHANNEL, sample())
    assert render_atom(CHANNEL, sample()) == render_atom(CHANNEL, sample())


def test_golden_rss() -> None:
    assert render_rss(CHANNEL, sample()) == (GOLDEN / "feeds_feed.rss").read_bytes()


def test_golden_atom() -> None:
    channel = dataclasses.replace(CHANNEL, self_url="https://example.org/feed.atom")
    assert render_atom(channel, sample()) == (GOLDEN / "feeds_feed.atom").read_bytes()


def test_feed_dates_are_whole_seconds_in_rss_atom_and_json() -> None:
    """Times stored to the microsecond are written without a fraction of a second, which
    ROME (the Java library behind many readers) cannot read."""
    import json

    from feeds import render_json_feed

    fraction = dt.datetime(2026, 12, 6, 2, 26, 5, 678839, tzinfo=UTC)
    head = channel("https://example.org/feed.atom", updated=fraction)
    timed = make(start=fraction, end=None, updated=fraction, timezone=None)
    atom = etree.fromstring(render_atom(head, [timed]))
    dates = [e.text for e in atom.iter(f"{ATOM}updated", f"{ATOM}published")]
    assert dates == ["2026-12-06T02:26:05+00:00"] * 3
    rss = etree.fromstring(render_rss(head, [timed]))
    assert [e.text for e in rss.iter("lastBuildDate", "pubDate")] == [
        "Sun, 06 Dec 2026 02:26:05 +0000"
    ] * 2
    item = json.loads(render_json_feed(head, [timed]))["items"][0]
    assert (item["date_published"], item["date_modified"]) == ("2026-12-06T02:26:05Z",) * 2
