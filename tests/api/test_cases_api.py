"""The interoperability cases (shared/cases/interop.md) that go through the JSON API: the
input is POSTed, the served documents are checked with the clients' libraries."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import feedparser
import icalendar
import pytest
import sqlalchemy as sa
from flask import Flask
from lxml import etree
from werkzeug.http import http_date

from tests.conftest import ApiClient, AppFactory
from timeline.api import auth
from timeline.http import db
from timeline.store.models import Event, TimelineEvent

CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FLOATING = re.compile(r"^(DTSTART|DTEND)(;VALUE=DATE-TIME)?:\d{8}T\d{6}$")
ATOM_NS = "{http://www.w3.org/2005/Atom}"


def lines(ics: bytes) -> list[str]:
    """The content lines of ``ics``, unfolded (RFC 5545 §3.1)."""
    return ics.decode("utf-8").replace("\r\n ", "").split("\r\n")


def vevent_blocks(ics: bytes) -> list[list[str]]:
    """The unfolded lines of each VEVENT, in order."""
    blocks: list[list[str]] = []
    for line in lines(ics):
        if line == "BEGIN:VEVENT":
            blocks.append([])
        elif blocks and (not blocks[-1] or blocks[-1][-1] != "END:VEVENT"):
            blocks[-1].append(line)
    return blocks


def test_b01_all_day_events_have_an_exclusive_dtend(api: ApiClient) -> None:
    single = api.created(
        {
            "title": "Spring cleaning day",
            "start": "2025-02-17",
            "end": "2025-02-17",
            "all_day": True,
            "timezone": "Europe/Berlin",
            "description": "",
            "url": None,
            "tags": [],
        }
    )
    multi = api.created(
        {
            "title": "Trade fair",
            "start": "2025-02-17",
            "end": "2025-02-19",
            "all_day": True,
            "timezone": "Europe/Berlin",
        }
    )
    no_end = api.created({"title": "Quiet day", "start": "2025-02-17", "all_day": True})
    assert [(e["start"], e["end"]) for e in (single, multi, no_end)] == [
        ("2025-02-17", "2025-02-17"),
        ("2025-02-17", "2025-02-19"),
        ("2025-02-17", "2025-02-17"),
    ]
    feeds = api.feeds()
    by_title = {}
    for block in vevent_blocks(feeds.ics):
        title = next(line for line in block if line.startswith("SUMMARY:"))[8:]
        by_title[title] = [line for line in block if line.startswith(("DTSTART", "DTEND"))]
    assert by_title == {
        "Spring cleaning day": ["DTSTART;VALUE=DATE:20250217", "DTEND;VALUE=DATE:20250218"],
        "Trade fair": ["DTSTART;VALUE=DATE:20250217", "DTEND;VALUE=DATE:20250220"],
        "Quiet day": ["DTSTART;VALUE=DATE:20250217", "DTEND;VALUE=DATE:20250218"],
    }
    spans = {
        str(e["SUMMARY"]): e.decoded("DTEND") - e.decoded("DTSTART")
        for e in feeds.calendar.walk("VEVENT")
    }
    assert spans == {
        "Spring cleaning day": dt.timedelta(days=1),
        "Trade fair": dt.timedelta(days=3),
        "Quiet day": dt.timedelta(days=1),
    }


def test_b03_timed_events_are_never_floating(api: ApiClient) -> None:
    choir = {
        "title": "Choir rehearsal",
        "start": "2025-08-20T16:00:00",
        "end": "2025-08-20T18:00:00",
        "all_day": False,
        "timezone": "Europe/Madrid",
    }
    event = api.created(choir)
    assert (event["start"], event["end"]) == (
        "2025-08-20T16:00:00+02:00",
        "2025-08-20T18:00:00+02:00",
    )
    ics = api.feeds().ics
    (block,) = vevent_blocks(ics)
    assert "DTSTART;TZID=Europe/Madrid:20250820T160000" in block
    assert "DTEND;TZID=Europe/Madrid:20250820T180000" in block
    assert "TZID:Europe/Madrid" in lines(ics)
    assert not [line for line in block if FLOATING.match(line)]
    without_zone = api.post({k: v for k, v in choir.items() if k != "timezone"})
    assert without_zone.status_code == 422
    assert [e["pointer"] for e in without_zone.get_json()["errors"]] == ["/start"]


def test_b10_text_is_escaped_once(api: ApiClient) -> None:
    body = {
        "title": "Budget review, Q3; part 2 \\ final",
        "start": "2025-09-09T09:00:00",
        "end": "2025-09-09T10:00:00",
        "timezone": "Europe/Paris",
        "description": "Line one\nLine two\nBring notes; pens, paper",
    }
    event = api.created(body)
    assert (event["title"], event["description"]) == (body["title"], body["description"])
    feeds = api.feeds()
    (block,) = vevent_blocks(feeds.ics)
    assert "SUMMARY:Budget review\\, Q3\\; part 2 \\\\ final" in block
    assert "DESCRIPTION:Line one\\nLine two\\nBring notes\\; pens\\, paper" in block
    (vevent,) = feeds.calendar.walk("VEVENT")
    assert (str(vevent["SUMMARY"]), str(vevent["DESCRIPTION"])) == (
        body["title"],
        body["description"],
    )


def test_b12_control_characters_are_refused_and_stored_ones_do_not_break_feeds(
    app: Flask, api: ApiClient
) -> None:
    body = {
        "title": "Notes\u000c",
        "start": "2025-09-11T09:00:00",
        "end": "2025-09-11T10:00:00",
        "timezone": "Europe/Paris",
        "description": "Agenda\u000bitem\u0000two\u001b[0m",
    }
    refused = api.post(body)
    assert refused.status_code == 422
    assert [e["pointer"] for e in refused.get_json()["errors"]] == ["/title", "/description"]
    assert api.counts() == (0, 0)
    engine = db.get_engine(app)
    description = body["description"]
    if engine.dialect.name == "postgresql":
        description = description.replace("\u0000", "")  # PostgreSQL text cannot hold NUL
    now = dt.datetime(2025, 9, 1, 12, tzinfo=dt.UTC)
    with engine.begin() as connection:
        connection.execute(
            sa.insert(Event).values(
                id="notes",
                title=body["title"],
                description=description,
                start=dt.datetime(2025, 9, 11, 7, tzinfo=dt.UTC),
                end=dt.datetime(2025, 9, 11, 8, tzinfo=dt.UTC),
                all_day=False,
                timezone="Europe/Paris",
                precision="datetime",
                approximate=False,
                created=now,
                updated=now,
                sequence=0,
                deleted=False,
                content_hash="",
            )
        )
        connection.execute(sa.insert(TimelineEvent).values(timeline_id=1, event_id="notes"))
    feeds = api.feeds()  # each 200, RSS and Atom bozo 0
    assert not CONTROL.search(feeds.ics)
    (vevent,) = feeds.calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Notes"
    assert feeds.rss.entries[0].title == "Notes"
    assert api.client.get("/api/events/notes").get_json()["title"] == "Notes\u000c"
    # A PATCH validates the whole event: fixing only the description is not enough.
    partial = api.patch("notes", {"description": "Agenda"})
    assert partial.status_code == 422
    assert [e["pointer"] for e in partial.get_json()["errors"]] == ["/title"]
    fixed = api.patch("notes", {"title": "Notes", "description": "Agenda"})
    assert fixed.status_code == 200
    assert fixed.get_json()["sequence"] == 1


def test_b18_markup_is_escaped_once_per_layer(api: ApiClient) -> None:
    text = 'Bring <laptop> & charger. Room "B" > 2'
    api.created(
        {
            "title": "Hack night",
            "start": "2025-09-25T18:00:00",
            "end": "2025-09-25T22:00:00",
            "timezone": "Europe/Berlin",
            "description": text,
        }
    )
    rss = api.client.get("/feed.rss").data
    assert b"&amp;lt;laptop&amp;gt;" in rss
    feeds = api.feeds()
    assert html.unescape(feeds.rss.entries[0].summary) == text
    content = feeds.atom.entries[0].content[0]
    assert (content.value, content.type) == (text, "text/plain")
    assert f"DESCRIPTION:{text}" in lines(feeds.ics)


def test_b19_tags_with_commas_stay_separate_categories(api: ApiClient) -> None:
    tags = ["community, outdoor", "music"]
    api.created(
        {
            "title": "Park concert",
            "start": "2025-09-27T19:00:00",
            "end": "2025-09-27T21:00:00",
            "timezone": "Europe/Rome",
            "tags": tags,
        }
    )
    feeds = api.feeds()
    assert "CATEGORIES:community\\, outdoor,music" in lines(feeds.ics)
    (vevent,) = feeds.calendar.walk("VEVENT")
    assert isinstance(vevent, icalendar.Event)
    assert [str(category) for category in vevent.categories] == tags
    rss = etree.fromstring(api.client.get("/feed.rss").data)
    assert [c.text for c in rss.iterfind("channel/item/category")] == tags
    atom = etree.fromstring(api.client.get("/feed.atom").data)
    assert [c.get("term") for c in atom.iterfind(f"{ATOM_NS}entry/{ATOM_NS}category")] == tags


def _stamp(updated: str) -> str:
    return dt.datetime.fromisoformat(updated).strftime("DTSTAMP:%Y%m%dT%H%M%SZ")


@pytest.mark.usefixtures("settled")
def test_b20_conditional_get_through_the_api_flow(api: ApiClient) -> None:
    events = [
        api.created(
            {"title": "Opening", "start": "2025-09-30T09:00:00", "timezone": "Europe/Berlin"}
        ),
        api.created({"title": "Closing", "start": "2025-10-03", "end": "2025-10-03"}),
    ]
    newest = max(dt.datetime.fromisoformat(e["updated"]) for e in events)
    imf = re.compile(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$")
    etags = {}
    for path in ("/calendar.ics", "/feed.rss", "/feed.atom"):
        first, second = api.client.get(path), api.client.get(path)
        assert first.status_code == second.status_code == 200
        assert first.data == second.data
        etag = first.headers["ETag"]
        assert etag == second.headers["ETag"] and etag.startswith('"')
        etags[path] = etag
        modified = first.headers["Last-Modified"]
        assert imf.match(modified) and modified == http_date(newest)
        hit = api.client.get(path, headers={"If-None-Match": etag})
        assert (hit.status_code, hit.data, hit.headers["ETag"]) == (304, b"", etag)
        assert api.client.get(path, headers={"If-None-Match": '"x"'}).status_code == 200
        assert api.client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
        both = {"If-None-Match": '"x"', "If-Modified-Since": modified}
        assert api.client.get(path, headers=both).status_code == 200
        old = http_date(newest - dt.timedelta(days=1))
        both = {"If-None-Match": etag, "If-Modified-Since": old}
        assert api.client.get(path, headers=both).status_code == 304
        head = api.client.head(path)
        assert head.data == b""
        assert (head.headers["ETag"], head.headers["Last-Modified"]) == (etag, modified)
    ics = api.client.get("/calendar.ics").data
    stamps = sorted(line for line in lines(ics) if line.startswith("DTSTAMP"))
    assert stamps == sorted(_stamp(e["updated"]) for e in events)
    assert not [line for line in lines(ics) if line.startswith("METHOD")]
    api.created(
        {
            "title": "Extra session",
            "start": "2025-10-01T10:00:00",
            "end": "2025-10-01T11:00:00",
            "timezone": "Europe/Berlin",
        }
    )
    for path, etag in etags.items():
        after = api.client.get(path, headers={"If-None-Match": etag})
        assert after.status_code == 200
        assert after.headers["ETag"] != etag


def test_b21_content_type_charset_and_disposition(api: ApiClient) -> None:
    api.created(
        {
            "title": "Café 🙂 meetup",
            "start": "2025-10-02T18:00:00",
            "end": "2025-10-02T20:00:00",
            "timezone": "Europe/Paris",
            "description": "Über alles",
        }
    )
    expected = {
        "/calendar.ics": "text/calendar; charset=utf-8",
        "/feed.rss": "application/rss+xml; charset=utf-8",
        "/feed.atom": "application/atom+xml; charset=utf-8",
    }
    for path, content_type in expected.items():
        response = api.client.get(path)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == content_type
        assert "attachment" not in response.headers.get("Content-Disposition", "")
        assert "Content-Encoding" not in response.headers
        if path != "/calendar.ics":
            parsed = feedparser.parse(
                response.data, response_headers={"content-type": content_type}
            )
            assert parsed.bozo == 0
            assert parsed.entries[0].title == "Café 🙂 meetup"
    (vevent,) = icalendar.Calendar.from_ical(api.client.get("/calendar.ics").data).walk("VEVENT")
    assert (str(vevent["SUMMARY"]), str(vevent["DESCRIPTION"])) == ("Café 🙂 meetup", "Über alles")


def _titles(api: ApiClient) -> tuple[list[str], list[str]]:
    feeds = api.feeds()
    return [e.title for e in feeds.rss.entries], [e.title for e in feeds.atom.entries]


def _berlin_talk(title: str, day: dt.date) -> dict[str, Any]:
    return {
        "title": title,
        "start": f"{day}T18:00:00",
        "end": f"{day}T19:00:00",
        "timezone": "Europe/Berlin",
    }


def test_b24_feeds_are_newest_first_and_capped(make_app: AppFactory) -> None:
    app = make_app(FEED_MAX_ITEMS=50)
    with app.app_context():
        session = db.get_session()
        token = auth.create_token(session, "tester")
        session.commit()
    api = ApiClient(app, app.test_client(), {"Authorization": f"Bearer {token}"})
    for title, day in (("Talk A", 1), ("Talk B", 3), ("Talk C", 2)):
        api.created(_berlin_talk(title, dt.date(2025, 3, day)))
    assert _titles(api) == (["Talk B", "Talk C", "Talk A"], ["Talk B", "Talk C", "Talk A"])
    first = dt.date(2025, 4, 1)
    for n in range(60):  # inserted oldest first, then the feed must reverse them
        api.created(_berlin_talk(f"Later {n}", first + dt.timedelta(days=n)))
    newest = [f"Later {n}" for n in range(59, 9, -1)]
    assert _titles(api) == (newest, newest)
    assert len(api.feeds().json["items"]) == 50
