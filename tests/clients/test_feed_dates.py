"""All-day events in feeds are dated at 10:00 UTC, which feed readers that convert dates
to their own zone show on the event's day from UTC-10:00 to UTC+13:59.

Readers convert an item's date to the reader's zone and keep no trace of the feed's
offset (feedparser hands back UTC; NetNewsWire, FreshRSS and RSS Bandit show local time),
so a local midnight with the event's own offset would not help: these tests convert
what feedparser parsed into every zone that zoneinfo knows.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import time
import zoneinfo

import feedparser
import pytest

from tests.conftest import ApiClient

DAY = dt.date(2025, 2, 17)
#: The offsets whose readers see the event's day: UTC-10:00 inclusive to UTC+14 exclusive.
LOWEST, HIGHEST = dt.timedelta(hours=-10), dt.timedelta(hours=14)


def _utc(parsed: time.struct_time) -> dt.datetime:
    """feedparser's ``*_parsed`` values are UTC."""
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC)


def _dates(api: ApiClient) -> dict[str, list[dt.datetime]]:
    published = api.feeds()
    return {
        "rss": [_utc(entry.published_parsed) for entry in published.rss.entries],
        "atom": [_utc(entry.published_parsed) for entry in published.atom.entries],
        "json": [
            dt.datetime.fromisoformat(item["date_published"]) for item in published.json["items"]
        ],
    }


@pytest.mark.parametrize("timezone", ["Europe/Berlin", "Pacific/Kiritimati", None])
def test_an_all_day_event_is_dated_at_ten_utc_in_every_feed(
    api: ApiClient, timezone: str | None
) -> None:
    api.created({"title": "Spring cleaning day", "start": "2025-02-17", "timezone": timezone})
    instant = dt.datetime(2025, 2, 17, 10, tzinfo=dt.UTC)
    assert _dates(api) == {"rss": [instant], "atom": [instant], "json": [instant]}
    rss = api.client.get("/feed.rss").get_data(as_text=True)
    assert "<pubDate>Mon, 17 Feb 2025 10:00:00 +0000</pubDate>" in rss


def test_readers_from_utc_minus_10_to_utc_plus_13_59_see_the_day(api: ApiClient) -> None:
    api.created({"title": "Trade fair", "start": "2025-02-17", "end": "2025-02-19"})
    instant = feedparser.parse(api.client.get("/feed.rss").data).entries[0].published_parsed
    shown = _utc(instant)
    named = {
        "Pacific/Pago_Pago": dt.datetime(2025, 2, 16, 23, 0),  # UTC-11: outside
        "Pacific/Honolulu": dt.datetime(2025, 2, 17, 0, 0),  # UTC-10
        "America/Los_Angeles": dt.datetime(2025, 2, 17, 2, 0),
        "Europe/London": dt.datetime(2025, 2, 17, 10, 0),
        "Asia/Tokyo": dt.datetime(2025, 2, 17, 19, 0),
        "Pacific/Auckland": dt.datetime(2025, 2, 17, 23, 0),  # UTC+13 in summer
        "Pacific/Kiritimati": dt.datetime(2025, 2, 18, 0, 0),  # UTC+14: outside
    }
    for name, local in named.items():
        assert shown.astimezone(zoneinfo.ZoneInfo(name)).replace(tzinfo=None) == local, name
    checked = 0
    for name in sorted(zoneinfo.available_timezones()):
        if name.startswith(("posix/", "right/")) or name in ("Factory", "localtime"):
            continue
        local = shown.astimezone(zoneinfo.ZoneInfo(name))
        offset = local.utcoffset()
        assert offset is not None
        assert (local.date() == DAY) == (LOWEST <= offset < HIGHEST), (name, offset)
        checked += 1
    assert checked > 400


def test_month_events_are_dated_on_their_first_day(api: ApiClient) -> None:
    api.created({"title": "Capital plan", "start": "2025-01"})
    instant = dt.datetime(2025, 1, 1, 10, tzinfo=dt.UTC)
    assert _dates(api) == {"rss": [instant], "atom": [instant], "json": [instant]}


def test_items_stay_in_descending_order_of_their_dates(api: ApiClient) -> None:
    """An all-day event now sorts after an early timed event of the same day."""
    for body in (
        {"title": "All day", "start": "2025-02-17"},
        {"title": "Breakfast", "start": "2025-02-17T07:00:00Z"},
        {"title": "Dinner", "start": "2025-02-17T19:00:00Z"},
        {"title": "Day before", "start": "2025-02-16"},
    ):
        api.created(body)
    dates = _dates(api)
    expected = [
        dt.datetime(2025, 2, 17, 19, tzinfo=dt.UTC),
        dt.datetime(2025, 2, 17, 10, tzinfo=dt.UTC),
        dt.datetime(2025, 2, 17, 7, tzinfo=dt.UTC),
        dt.datetime(2025, 2, 16, 10, tzinfo=dt.UTC),
    ]
    assert dates == {"rss": expected, "atom": expected, "json": expected}
    titles = [item["title"] for item in json.loads(api.client.get("/feed.json").data)["items"]]
    assert titles == ["Dinner", "All day", "Breakfast", "Day before"]
