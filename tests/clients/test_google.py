"""The calendar for Google Calendar holds the most recent events within
CALENDAR_MAX_BYTES and says so; /calendar.ics keeps every event."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

import icalendar
import pytest
import vobject
from flask import Flask

from tests.conftest import AppFactory
from timeline.http import db
from timeline.store import writes
from timeline.store.engine import begin_write
from timeline.store.values import EventData

ZONES = ("Europe/Berlin", "America/New_York", None)


def _fill(app: Flask, count: int) -> list[str]:
    """Store ``count`` events in one transaction through the store's write functions:
    timed ones in three zones and all-day ones, each with a description of ~300
    characters, on distinct days. Returns the ids, most recent start first."""
    first = dt.date(2015, 1, 1)
    with app.app_context():
        session = db.get_session()
        begin_write(session)
        for n in range(count):
            day = first + dt.timedelta(days=n)
            zone = ZONES[n % 3]
            common = {
                "id": f"e{n:05d}",
                "title": f"Event {n}, on {day}",
                "description": f"Event number {n}. " + "Lorem ipsum dolor sit amet. " * 10,
                "tags": ("bulk", f"group-{n % 7}"),
            }
            if n % 4 == 0:
                data = EventData(start=day, end=day + dt.timedelta(days=1), all_day=True, **common)  # type: ignore[arg-type]
            else:
                start = dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC)
                data = EventData(
                    start=start,
                    end=start + dt.timedelta(hours=2),
                    all_day=False,
                    timezone=zone,
                    **common,  # type: ignore[arg-type]
                )
            writes.create_event(session, data, author="bulk")
        session.commit()
    return [f"e{n:05d}" for n in reversed(range(count))]


def _caldesc(body: bytes) -> str:
    """X-WR-CALDESC as vobject reads it, asserted equal to DESCRIPTION."""
    calendar = vobject.readOne(body.decode())
    found = [calendar.contents[name][0].value for name in ("x-wr-caldesc", "description")]
    assert found[0] == found[1]
    text: str = found[0]
    return text


def _uids(calendar: icalendar.Calendar) -> list[str]:
    return [str(event["UID"]).split("@")[0] for event in calendar.walk("VEVENT")]


def test_3000_events_the_google_calendar_holds_the_most_recent_that_fit(
    make_app: AppFactory,
) -> None:
    app = make_app()
    ids = _fill(app, 3000)
    client = app.test_client()
    full = client.get("/calendar.ics")
    assert full.status_code == 200
    assert len(icalendar.Calendar.from_ical(full.data).walk("VEVENT")) == 3000
    assert len(full.data) > 1_000_000

    response = client.get("/calendar-google.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.data
    assert len(body) <= 1_000_000
    calendar = icalendar.Calendar.from_ical(body)
    uids = _uids(calendar)
    n = len(uids)
    assert 1000 < n < 3000
    assert uids == ids[:n]
    description = (
        f"The {n:,} most recent of 3,000 events; "
        "the full calendar is at https://example.org/calendar.ics."
    )
    assert _caldesc(body) == (
        f"Dated events of AI models, investment and regulation. {description}"
    )
    # One more event would not have fitted.
    next_event = full.data.split(b"BEGIN:VEVENT")[n + 1]
    assert len(body) + len(b"BEGIN:VEVENT") + len(next_event.split(b"END:VEVENT")[0]) > (
        1_000_000 - 20
    )
    # B05: the zones used, and only they, have a VTIMEZONE before the first VEVENT.
    text = body.decode()
    assert (
        set(re.findall(r";TZID=([^:;]+)", text))
        == {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
        == {"Europe/Berlin", "America/New_York"}
    )
    assert text.rindex("END:VTIMEZONE") < text.index("BEGIN:VEVENT")


def test_a_filtered_google_calendar_keeps_the_filter(make_app: AppFactory) -> None:
    app = make_app(CALENDAR_MAX_BYTES=20_000)
    ids = _fill(app, 200)
    client = app.test_client()
    response = client.get("/calendar-google.ics?tag=group-3")
    assert response.status_code == 200
    body = response.data
    calendar = icalendar.Calendar.from_ical(body)
    matching = [i for i in ids if int(i[1:]) % 7 == 3]
    uids = _uids(calendar)
    assert 0 < len(uids) < len(matching)
    assert uids == matching[: len(uids)]
    assert len(response.data) <= 20_000
    assert _caldesc(body).endswith(
        f"The {len(uids)} most recent of {len(matching)} events; "
        "the full calendar is at https://example.org/calendar.ics?tag=group-3."
    )
    assert client.get("/calendar-google.ics?tag=").status_code == 400


def test_a_small_store_fits_whole_and_says_so(seeded_app: Flask) -> None:
    client = seeded_app.test_client()
    body = client.get("/calendar-google.ics").data
    assert len(icalendar.Calendar.from_ical(body).walk("VEVENT")) == 21
    assert _caldesc(body).endswith("All 21 events.")
    org = client.get("/calendar-google.ics?org=OpenAI").data
    assert len(icalendar.Calendar.from_ical(org).walk("VEVENT")) == 4
    assert _caldesc(org).endswith("All 4 events.")


@pytest.mark.parametrize("query", ["", "?tag=models"])
@pytest.mark.usefixtures("settled")
def test_conditional_get_as_for_the_other_documents(seeded_app: Flask, query: str) -> None:
    client = seeded_app.test_client()
    path = f"/calendar-google.ics{query}"
    first = client.get(path)
    etag = first.headers["ETag"]
    assert client.get(path).data == first.data
    assert client.get(path).headers["ETag"] == etag
    again = client.get(path, headers={"If-None-Match": etag})
    assert (again.status_code, again.data, again.headers["ETag"]) == (304, b"", etag)
    since = client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    assert client.get(path, headers={"If-None-Match": '"x"'}).status_code == 200
    assert etag != client.get(f"/calendar.ics{query}").headers["ETag"]


def test_the_page_points_google_to_its_calendar_and_says_what_each_holds(
    seeded_app: Flask,
) -> None:
    html = seeded_app.test_client().get("/?tag=models").get_data(as_text=True)
    google = quote("webcal://example.org/calendar-google.ics?tag=models", safe="")
    assert f'id="subscribe-google" href="https://calendar.google.com/calendar/r?cid={google}"' in (
        html
    )
    assert 'id="subscribe-webcal" href="webcal://example.org/calendar.ics?tag=models"' in html
    assert "hold every event" in html
    assert "1,000,000 bytes, so its subscription holds the most recent events that fit" in html
