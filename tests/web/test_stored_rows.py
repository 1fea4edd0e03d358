"""A row written into the database by other means, with a time zone this machine cannot
load, stops no document: the event is shown in UTC, at the instant stored."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.conftest import ApiClient
from timeline.http import db
from timeline.store.models import Event, TimelineEvent

PATHS = [
    "/calendar.ics",
    "/calendar-google.ics",
    "/feed.rss",
    "/feed.atom",
    "/feed.json",
    "/timeline.json",
    "/",
    "/events/far",
    "/events/far.ics",
    "/api/events/far",
]


@pytest.mark.parametrize("zone", ["Europe", "Mars/Base", "europe/berlin "])
def test_an_unloadable_zone_in_a_stored_row(app: Flask, api: ApiClient, zone: str) -> None:
    now = dt.datetime(2025, 9, 1, 12, tzinfo=dt.UTC)
    with db.get_engine(app).begin() as connection:
        connection.execute(
            sa.insert(Event).values(
                id="far",
                title="Far away",
                description="",
                start=dt.datetime(2025, 9, 11, 7, 30, tzinfo=dt.UTC),
                end=None,
                all_day=False,
                timezone=zone,
                precision="datetime",
                approximate=False,
                created=now,
                updated=now,
                sequence=0,
                deleted=False,
                content_hash="",
            )
        )
        connection.execute(sa.insert(TimelineEvent).values(timeline_id=1, event_id="far"))
    for path in PATHS:
        assert api.client.get(path).status_code == 200, path
    feeds = api.feeds()  # RSS and Atom parse with bozo 0
    (vevent,) = feeds.calendar.walk("VEVENT")
    assert vevent.decoded("DTSTART") == dt.datetime(2025, 9, 11, 7, 30, tzinfo=dt.UTC)
    assert feeds.calendar.walk("VTIMEZONE") == []
    shown = api.client.get("/api/events/far").get_json()
    assert (shown["start"], shown["timezone"]) == ("2025-09-11T07:30:00Z", None)
