"""The published documents over HTTP, on the seeded store, parsed back with the clients'
own libraries."""

from __future__ import annotations

import datetime as dt
import gzip

import feedparser
import icalendar
import pytest
import recurring_ical_events
import vobject
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree

from tests.io.test_seeds import EXPECTED

BASE = "https://example.org"


@pytest.fixture
def seeded(seeded_app: Flask) -> FlaskClient:
    return seeded_app.test_client()


def test_calendar_holds_every_seed_event_with_its_dates(seeded: FlaskClient) -> None:
    response = seeded.get("/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.data)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"{i}@timeline.example.org" for i in EXPECTED}
    for event_id, (start, end, _precision, _approx) in EXPECTED.items():
        vevent = events[f"{event_id}@timeline.example.org"]
        assert vevent.decoded("DTSTART") == start
        assert vevent.decoded("DTEND") == end
        assert str(vevent["URL"]) == f"{BASE}/events/{event_id}"
    summit = events["2025-02-09-ai-action-summit@timeline.example.org"]
    assert str(summit["SUMMARY"]) == "AI Action Summit held in Paris"
    assert str(summit["LOCATION"]) == "Paris, Grand Palais"
    assert b"DTSTART;VALUE=DATE:20250209\r\n" in response.data
    assert b"DTEND;VALUE=DATE:20250211\r\n" in response.data
    month = events["2025-01-microsoft-80-billion@timeline.example.org"]
    assert str(month["X-TIMELINE-PRECISION"]) == "month"
    assert str(month["SUMMARY"]).endswith("(January 2025; day not reported)")


def test_calendar_lines_are_folded_crlf(seeded: FlaskClient) -> None:
    body = seeded.get("/calendar.ics").data
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in b"".join(lines)
    for line in lines:
        line.decode("utf-8")  # folding never splits a character


def test_calendar_parses_in_vobject_and_range_query(seeded: FlaskClient) -> None:
    body = seeded.get("/calendar.ics").data.decode()
    parsed = vobject.readOne(body)
    assert len(parsed.vevent_list) == len(EXPECTED)
    calendar = icalendar.Calendar.from_ical(body)
    in_range = recurring_ical_events.of(calendar).between((2025, 2, 9), (2025, 2, 10))
    assert sorted(str(e["UID"]).split("@")[0] for e in in_range) == [
        "2025-02-09-ai-action-summit",
        "2025-02-09-eu-cut-ai-red-tape",
        "2025-02-09-france-109-billion",
        "2025-eu-apply-ai",
    ]


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        (
            "tag=summit",
            {
                "2025-02-09-ai-action-summit",
                "2025-02-09-eu-cut-ai-red-tape",
                "2025-02-10-summit-declaration",
            },
        ),
        ("org=深度求索", {"2025-01-20-deepseek-r1", "2025-01-27-ft-deepseek-r1"}),
        (
            "from=2025-02-10&to=2025-02-16",
            {
                "2025-02-09-ai-action-summit",
                "2025-02-09-eu-cut-ai-red-tape",
                "2025-02-10-summit-declaration",
                "2025-02-10-eu-investai",
                "2025-eu-apply-ai",
            },
        ),
        ("to=2024-12-31", {"2024-08-01-eu-ai-act-in-force", "2024-12-eu-ai-factories"}),
    ],
)
def test_filters(seeded: FlaskClient, query: str, ids: set[str]) -> None:
    calendar = icalendar.Calendar.from_ical(seeded.get(f"/calendar.ics?{query}").data)
    assert {str(e["UID"]).split("@")[0] for e in calendar.walk("VEVENT")} == ids
    feed = feedparser.parse(seeded.get(f"/feed.atom?{query}").data)
    assert {e.link.rsplit("/", 1)[1] for e in feed.entries} == ids


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("colour=red", "colour"),
        ("from=2025-02-30", "from"),
        ("from=yesterday", "from"),
        ("to=2025-1-5", "to"),
        ("from=2025-02-10&to=2025-02-01", "to"),
        ("tag=%21%21", "tag"),
        ("org=a&org=b", "org"),
    ],
)
@pytest.mark.parametrize("path", ["/calendar.ics", "/feed.rss", "/feed.atom", "/feed.json", "/"])
def test_bad_filters_get_400_naming_the_parameter(
    seeded: FlaskClient, path: str, query: str, parameter: str
) -> None:
    response = seeded.get(f"{path}?{query}")
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == 400
    assert [e["parameter"] for e in problem["errors"]] == [parameter]


@pytest.mark.parametrize("path", ["/feed.rss", "/calendar.ics", "/api/events"])
def test_ten_thousand_unknown_parameters_get_a_short_400(seeded: FlaskClient, path: str) -> None:
    """The problem describes the first five and lists the first hundred, in a few
    kilobytes, not a line per parameter (1.5 MB before)."""
    response = seeded.get(path + "?" + "&".join(f"a{i}=" for i in range(10_000)))
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    assert len(response.data) < 20_000
    problem = response.get_json()
    assert [e["parameter"] for e in problem["errors"]] == [f"a{i}" for i in range(100)]
    assert problem["detail"].startswith("unknown parameter 'a0'; known: ")
    assert problem["detail"].endswith(" (and 9995 more)")
    assert problem["detail"].count("unknown parameter") == 5


@pytest.mark.parametrize(
    "path", ["/calendar.ics", "/feed.rss", "/feed.json", "/timeline.json", "/", "/api/events"]
)
def test_many_tags_are_400_naming_the_bound_not_a_503(seeded: FlaskClient, path: str) -> None:
    # 994 tags made SQLite refuse the query ("Expression tree is too large"), which was
    # answered as the store being down (503, Retry-After).
    many = "&".join(f"tag=t{n}" for n in range(994))
    response = seeded.get(f"{path}?{many}", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    detail = "tag may be given at most 50 times (an event carries at most 50 tags), not 994"
    assert response.get_json()["errors"] == [{"parameter": "tag", "detail": detail}]
    # The bound itself is served: no event carries these 50 tags.
    fifty = "&".join(f"tag=t{n}" for n in range(50))
    response = seeded.get(f"{path}?{fifty}", headers={"Accept": "application/json"})
    assert response.status_code == 200


def test_rss_items_newest_first_with_guids(seeded: FlaskClient) -> None:
    response = seeded.get("/feed.rss")
    assert response.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    etree.fromstring(response.data)
    feed = feedparser.parse(
        response.data, response_headers={"content-type": response.headers["Content-Type"]}
    )
    assert feed.bozo == 0
    assert len(feed.entries) == len(EXPECTED)
    first = feed.entries[0]
    assert first.title == "xAI releases Grok 3 and Grok 3 mini"
    assert first.id == "tag:timeline.example.org,2025:event:2025-02-17-xai-grok-3"
    assert first.guidislink is False
    assert first.published_parsed[:3] == (2025, 2, 17)
    starts = [e.published_parsed[:3] for e in feed.entries]
    assert starts == sorted(starts, reverse=True)
    assert feed.feed.title == "AI timeline" and feed.feed.language == "en"


def test_atom_entries(seeded: FlaskClient) -> None:
    response = seeded.get("/feed.atom")
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(
        response.data, response_headers={"content-type": response.headers["Content-Type"]}
    )
    assert feed.bozo == 0 and len(feed.entries) == len(EXPECTED)
    apply_ai = next(e for e in feed.entries if e.id.endswith(":2025-eu-apply-ai"))
    assert apply_ai.title.endswith("(2025; date not reported)")
    assert apply_ai.published_parsed[:3] == (2025, 1, 1)
    assert {link.rel for link in feed.feed.links} >= {"self", "alternate"}
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    assert self_link == f"{BASE}/feed.atom"


def test_json_feed(seeded: FlaskClient) -> None:
    response = seeded.get("/feed.json")
    assert response.headers["Content-Type"] == "application/feed+json; charset=utf-8"
    doc = response.get_json()
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["feed_url"] == f"{BASE}/feed.json"
    assert len(doc["items"]) == len(EXPECTED)
    assert doc["items"][0]["url"] == f"{BASE}/events/2025-02-17-xai-grok-3"
    assert doc["items"][0]["date_published"] == "2025-02-17T10:00:00Z"


def test_feed_cap_from_configuration(make_app: object) -> None:
    app = make_app(SEED_ON_START=True, FEED_MAX_ITEMS=5)  # type: ignore[operator]
    for path in ("/feed.rss", "/feed.atom"):
        assert len(feedparser.parse(app.test_client().get(path).data).entries) == 5
    assert len(app.test_client().get("/feed.json").get_json()["items"]) == 5


def test_one_event_calendar(seeded: FlaskClient) -> None:
    response = seeded.get("/events/2025-02-17-xai-grok-3.ics")
    assert response.status_code == 200
    [event] = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    assert event.decoded("DTSTART") == dt.date(2025, 2, 17)
    assert seeded.get("/events/no-such-event.ics").status_code == 404


@pytest.mark.parametrize("path", ["/calendar.ics", "/feed.rss", "/feed.atom", "/feed.json"])
@pytest.mark.usefixtures("settled")
def test_conditional_get_gzip_head(seeded: FlaskClient, path: str) -> None:
    first = seeded.get(path)
    second = seeded.get(path)
    assert first.data == second.data
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert first.headers["Vary"] == "Accept-Encoding"
    assert "Content-Encoding" not in first.headers
    not_modified = seeded.get(path, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert not_modified.headers["ETag"] == etag
    since = seeded.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    zipped = seeded.get(path, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == first.data
    refused = seeded.get(path, headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers
    head = seeded.head(path)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == etag


def test_page_lists_events_by_month_with_subscribe_links(seeded: FlaskClient) -> None:
    html = seeded.get("/").get_data(as_text=True)
    assert html.index("<h2>February 2025</h2>") < html.index("<h2>January 2025</h2>")
    assert html.index("<h2>January 2025</h2>") < html.index("<h2>August 2024</h2>")
    assert 'href="webcal://example.org/calendar.ics"' in html
    assert (
        'href="https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fexample.org%2Fcalendar-google.ics"'
        in html
    )
    assert 'rel="alternate" type="application/rss+xml"' in html
    assert "9–10 Feb 2025" in html
    assert "January 2025 (day not reported)" in html
    assert "around 22 Jan 2025" in html


def test_event_page(seeded: FlaskClient) -> None:
    response = seeded.get("/events/2025-02-09-ai-action-summit")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "AI Action Summit held in Paris" in html and "Paris, Grand Palais" in html
    assert seeded.get("/events/nope").status_code == 404


def test_healthz(seeded: FlaskClient) -> None:
    assert seeded.get("/healthz").status_code == 200


def test_healthz_503_when_store_unreachable(make_app: object) -> None:
    app = make_app()  # type: ignore[operator]
    app.extensions["timeline.engine"].dispose()
    import sqlalchemy as sa
    from sqlalchemy import orm

    broken = sa.create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    app.extensions["timeline.sessionmaker"] = orm.sessionmaker(broken)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.headers["Content-Type"] == "application/problem+json"
    assert "Traceback" not in response.get_data(as_text=True)


def test_b26_subscribe_links_webcal_google_and_https(seeded: FlaskClient) -> None:
    """Case B26: webcal:// (not webcals://), Google's cid form, and the plain https URL."""
    html = seeded.get("/").get_data(as_text=True)
    assert 'id="subscribe-webcal" href="webcal://example.org/calendar.ics"' in html
    assert (
        'id="subscribe-google" href="https://calendar.google.com/calendar/r?cid='
        'webcal%3A%2F%2Fexample.org%2Fcalendar-google.ics"' in html
    )
    assert 'id="download-ics" href="https://example.org/calendar.ics"' in html
    assert "webcals://" not in html
    plain = seeded.get("/calendar.ics")  # no cookies, no auth, no redirect
    assert plain.status_code == 200
    assert plain.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Content-Disposition" not in plain.headers
    filtered = seeded.get("/?tag=summit").get_data(as_text=True)
    assert 'href="webcal://example.org/calendar.ics?tag=summit"' in filtered


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/events/a%00b", 404),
        ("/events/a%00b.ics", 404),
        ("/calendar.ics?tag=a%00b", 400),
        ("/feed.rss?org=%1b", 400),
        ("/?from=2025-01-01%00", 400),
    ],
)
def test_control_characters_in_urls_get_4xx(seeded: FlaskClient, path: str, status: int) -> None:
    """PostgreSQL text cannot hold NUL: such ids and values must never reach a query."""
    response = seeded.get(path)
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/problem+json"
