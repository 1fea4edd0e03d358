"""JSON Feed's ``_timeline`` dates mean what the API's mean: ``end`` is the last day."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import icalendar
import pytest
from flask import Flask

from tests.conftest import ApiClient
from timeline.app import create_app, prepare_store
from timeline.cli import main
from timeline.http import db


@pytest.mark.parametrize(
    ("body", "api_end", "feed_end", "dtend"),
    [
        ({"start": "2025-02-17"}, "2025-02-17", "2025-02-17", dt.date(2025, 2, 18)),
        ({"start": "2025-02-17", "end": "2025-02-17"}, "2025-02-17", "2025-02-17", None),
        ({"start": "2025-02-17", "end": "2025-02-19"}, "2025-02-19", "2025-02-19", None),
        ({"start": "2025-01"}, "2025-01", "2025-01-31", dt.date(2025, 2, 1)),
        ({"start": "2024"}, "2024", "2024-12-31", dt.date(2025, 1, 1)),
    ],
)
def test_all_day_end_is_the_last_day_in_the_api_and_the_json_feed(
    api: ApiClient, body: dict[str, str], api_end: str, feed_end: str, dtend: dt.date | None
) -> None:
    event = api.created({"title": "Trade fair", "timezone": "Europe/Berlin"} | body)
    assert event["end"] == api_end
    published = api.feeds()
    (item,) = published.json["items"]
    assert (item["_timeline"]["start"][: len(body["start"])], item["_timeline"]["end"]) == (
        body["start"],
        feed_end,
    )
    # The calendar alone keeps RFC 5545's exclusive DTEND, the day after the last.
    (vevent,) = published.calendar.walk("VEVENT")
    expected = dtend or dt.date.fromisoformat(feed_end) + dt.timedelta(days=1)
    assert vevent.decoded("DTEND") == expected


def test_timed_end_is_the_same_instant_in_the_api_and_the_json_feed(api: ApiClient) -> None:
    event = api.created(
        {
            "title": "Choir rehearsal",
            "start": "2025-08-20T16:00:00",
            "end": "2025-08-20T18:00:00",
            "timezone": "Europe/Madrid",
        }
    )
    (item,) = api.feeds().json["items"]
    assert item["_timeline"]["end"] == event["end"] == "2025-08-20T18:00:00+02:00"
    instant = api.created({"title": "Launch", "start": "2025-08-21T09:00:00Z"})
    assert instant["end"] is None
    items = {i["title"]: i for i in api.feeds().json["items"]}
    assert items["Launch"]["_timeline"]["end"] is None


def test_every_seeded_event_ends_on_the_same_day_in_both(seeded_app: Flask) -> None:
    client = seeded_app.test_client()
    events: list[dict[str, Any]] = client.get("/api/events?limit=200").get_json()["events"]
    seeded_app.config["FEED_MAX_ITEMS"] = 200
    items = json.loads(client.get("/feed.json").data)["items"]
    assert len(events) == len(items) == 21
    feed_ends = {item["url"].rsplit("/", 1)[1]: item["_timeline"]["end"] for item in items}
    for event in events:
        # The API writes month and year events as YYYY-MM and YYYY; the feed as days.
        assert feed_ends[event["id"]].startswith(event["end"]), event["id"]
        last = dt.date.fromisoformat(feed_ends[event["id"]])
        assert (last + dt.timedelta(days=1)).isoformat()[: len(event["end"])] != event["end"]


def test_our_json_feed_imports_with_the_same_inclusive_end(
    api: ApiClient, other_database_url: str, tmp_path: Path
) -> None:
    """``timeline import`` of our JSON Feed reads ``_timeline.end`` with the API's meaning:
    a three-day fair stays three days (not four), in another store."""
    api.created({"id": "fair", "title": "Trade fair", "start": "2025-02-17", "end": "2025-02-19"})
    path = tmp_path / "feed.json"
    path.write_bytes(api.client.get("/feed.json").data)
    target = create_app(
        {"DATABASE_URL": other_database_url, "TESTING": True, "SEED_ON_START": False}
    )
    try:
        prepare_store(target)
        result = target.test_cli_runner().invoke(main, ["import", str(path)])
        assert result.output.splitlines() == [
            "added fair",
            "added 1, updated 0, unchanged 0, rejected 0",
        ]
        event = target.test_client().get("/api/events/fair").json
        assert event is not None and (event["start"], event["end"]) == ("2025-02-17", "2025-02-19")
        calendar = icalendar.Calendar.from_ical(target.test_client().get("/calendar.ics").data)
        (vevent,) = calendar.walk("VEVENT")
        assert vevent.decoded("DTEND") == dt.date(2025, 2, 20)
    finally:
        db.close_app(target)
