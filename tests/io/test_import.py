"""``timeline import``: our export back into an empty store, foreign calendars, the API's
JSON; the API's validation and reasons; nothing of a rejected event stored."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import threading
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import hypothesis
import pytest
from click.testing import Result
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from tests.api.test_api import DESCRIPTIONS, ONE_LINE, TAGS, TITLES
from tests.conftest import NOT_RECURRING, ApiClient, AppFactory
from timeline.events import texts
from timeline.http import db
from timeline.store import bulk, writes
from timeline.store.values import slugify

STATIC = Path(__file__).parent / "static"
#: What the API shows that an import does not carry over.
BOOKKEEPING = ("created", "updated", "sequence", "links")


def run(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(args=list(args))


def content(client: FlaskClient, event_id: str) -> dict[str, Any]:
    """The event as GET /api/events/<id> shows it, without the bookkeeping."""
    response = client.get(f"/api/events/{event_id}")
    assert response.status_code == 200, event_id
    return {k: v for k, v in response.get_json().items() if k not in BOOKKEEPING}


def as_exported(event: dict[str, Any]) -> dict[str, Any]:
    """What an ICS export can carry: the feeds turn CR LF (and a lone CR) into LF, and
    leave out a description that is only white space (RFC 5545 TEXT has no CR); the
    texts in the original language only, and not the date as the source writes it."""
    description = event["description"].replace("\r\n", "\n").replace("\r", "\n")
    description = description if description.strip() else ""
    language = event["language"]
    source = event["source"] and event["source"] | {"when": None}
    return event | {
        "description": description,
        "descriptions": {language: description} if description else {},
        "titles": {language: event["title"]},
        "source": source if source and any(source.values()) else None,
    }


def all_ids(client: FlaskClient) -> list[str]:
    return [e["id"] for e in client.get("/api/events?limit=200").get_json()["events"]]


@pytest.fixture
def target(make_app: AppFactory, other_database_url: str) -> Flask:
    """The service on a second, empty store."""
    return make_app(DATABASE_URL=other_database_url)


TRICKY: list[dict[str, Any]] = [
    {  # a backslash before N is text, not RFC 5545's line break escape
        "title": r"Files in C:\New folder",
        "start": "2025-03-01",
        "description": r"Copied to D:\Net\N1; then, \n done",
        "tags": [r"a\Nb", "c,d"],
        "location": r"Room \N7",
    },
    {
        "title": 'Berlin <script>alert("x")</script> & "quotes"',
        "start": "2025-03-29T22:00:00",
        "end": "2025-03-30T04:30:00",
        "timezone": "Europe/Berlin",
        "description": "Across DST.\r\nBEGIN:VEVENT\r\n\r\nSecond paragraph, after CR LF.\n",
        "tags": ["community, outdoor", "a;b", "back\\slash"],
    },
    {
        "title": "深度求索 R1 🚀 مرحبا بالعالم",
        "start": "2025-07-04T18:00:00-04:00",
        "end": "2025-07-04T21:30:00-04:00",
        "timezone": "America/New_York",
        "organizations": ["Example, Inc.", "深度求索"],
        "location": "Pier 17; New York, NY",
    },
    {"title": "UTC call", "start": "2025-02-11T08:00:00Z", "end": "2025-02-11T09:00:00Z"},
    {"title": "An instant", "start": "2025-02-12T08:00:00Z", "timezone": "Etc/UTC"},
    {
        "title": "Multi-day, kept zone",
        "start": "2025-02-09",
        "end": "2025-02-12",
        "timezone": "Asia/Shanghai",
        "url": "https://example.com/a?b=c&d=e",
        "source": {"name": 'Wire; "News"', "published": "2025-02", "locator": ""},
    },
    {"title": "Two months", "start": "2025-01", "end": "2025-02", "description": "\n\nx\n\n"},
    {"title": "Around November", "start": "2024-11", "approximate": True},
    {"title": "A year", "start": "2023", "source": {"locator": "p. 4"}},
    {"title": "Some years", "start": "2021", "end": "2022", "approximate": True},
    {
        "title": "A few days later",
        "start": "2025-01-22",
        "approximate": True,
        "description": "Source: not a source line\n\nhttps://example.com/x",
        "url": "https://example.com/x",
        "source": {"name": "Example News", "published": "2025-01-23"},
    },
]


def test_export_then_import_gives_the_same_events(
    seeded_app: Flask, api: ApiClient, target: Flask, tmp_path: Path
) -> None:
    for body in TRICKY:
        api.created(body)
    exported = tmp_path / "all.ics"
    assert run(seeded_app, "export", "--format", "ics", "-o", str(exported)).exit_code == 0
    result = run(target, "import", str(exported))
    ids = all_ids(api.client)
    assert len(ids) == 21 + len(TRICKY)
    assert result.exit_code == 0, result.output
    assert sorted(result.output.splitlines()) == sorted(
        [f"added {i}" for i in ids] + [f"added {len(ids)}, updated 0, unchanged 0, rejected 0"]
    )
    for event_id in ids:
        assert content(target.test_client(), event_id) == as_exported(content(api.client, event_id))
    assert sorted(all_ids(target.test_client())) == sorted(ids)
    revisions = target.test_client().get(f"/api/events/{ids[0]}/revisions").get_json()
    assert [(r["action"], r["author"]) for r in revisions["revisions"]] == [("create", "import")]
    again = run(target, "import", str(exported))
    assert again.exit_code == 0
    assert sorted(again.output.splitlines()) == sorted(
        [f"unchanged {i}" for i in ids] + [f"added 0, updated 0, unchanged {len(ids)}, rejected 0"]
    )


def _passes(check: Any, value: str) -> bool:
    try:
        check(value)
    except PydanticCustomError:
        return False
    return True


ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]
LINES = st.text(ONE_LINE, max_size=30).filter(lambda t: _passes(texts.check_one_line, t))
ORGANIZATIONS = st.lists(
    TITLES.filter(lambda t: _passes(texts.check_organization, t) and len(t) <= 100),
    max_size=3,
    unique_by=slugify,
)


def _unambiguous(naive: dt.datetime, zone: ZoneInfo) -> bool:
    first, second = naive.replace(tzinfo=zone), naive.replace(tzinfo=zone, fold=1)
    back = first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    return first.utcoffset() == second.utcoffset() and back == naive


@st.composite
def event_dates(draw: st.DrawFn) -> dict[str, Any]:
    """Date fields of any form the API takes (whole seconds: ICS has no fractions; no
    repeated wall time: see the xfail test below)."""
    kind = draw(st.sampled_from(["day", "month", "year", "datetime"]))
    span = draw(st.integers(0, 3))
    if kind == "datetime":
        naive = draw(st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2035, 12, 31)))
        naive = naive.replace(microsecond=0)
        name = draw(st.sampled_from([*ZONES, None]))
        zone = ZoneInfo(name or "UTC")
        hypothesis.assume(_unambiguous(naive, zone))
        start = naive.replace(tzinfo=zone)
        fields = {"start": naive.isoformat() + ("" if name else "Z"), "timezone": name}
        minutes = draw(st.none() | st.integers(1, 60 * 24 * 3))
        if minutes is not None:
            end = (start + dt.timedelta(minutes=minutes)).astimezone(dt.UTC).astimezone(zone)
            fields["end"] = end.isoformat()
        return {k: v for k, v in fields.items() if v is not None}
    year = draw(st.integers(1900, 2100))
    if kind == "year":
        return {"start": f"{year}", "end": f"{year + span}"}
    month = draw(st.integers(1, 12))
    if kind == "month":
        final = year * 12 + month - 1 + span
        return {"start": f"{year}-{month:02d}", "end": f"{final // 12}-{final % 12 + 1:02d}"}
    day = dt.date(year, month, draw(st.integers(1, 28)))
    timezone = draw(st.sampled_from([None, *ZONES]))
    last = (day + dt.timedelta(days=span)).isoformat()
    return {"start": day.isoformat(), "end": last} | ({"timezone": timezone} if timezone else {})


SOURCES = st.none() | st.fixed_dictionaries(
    {},
    optional={
        "name": LINES,
        "published": st.sampled_from(["2025", "2025-01", "2025-01-03"]),
        "locator": LINES,
    },
)
URLS = st.none() | st.sampled_from(["https://example.com/a?b=c&d=e#f", "http://例え.jp/パス"])


@hypothesis.settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)
@hypothesis.given(
    dates=event_dates(),
    approximate=st.booleans(),
    title=TITLES,
    description=DESCRIPTIONS,
    tags=TAGS,
    organizations=ORGANIZATIONS,
    location=st.none() | TITLES,
    url=URLS,
    source=SOURCES,
)
def test_any_valid_event_round_trips_through_ics(
    api: ApiClient,
    target: Flask,
    tmp_path: Path,
    dates: dict[str, Any],
    approximate: bool,
    title: str,
    description: str,
    tags: list[str],
    organizations: list[str],
    location: str | None,
    url: str | None,
    source: dict[str, str] | None,
) -> None:
    body = dates | {"title": title, "description": description, "approximate": approximate}
    extra = {"location": location, "url": url, "source": source}
    body |= {"tags": tags, "organizations": organizations}
    event = api.created(body | {k: v for k, v in extra.items() if v is not None})
    exported = tmp_path / "one.ics"
    assert run(api.app, "export", "-o", str(exported)).exit_code == 0
    result = run(target, "import", str(exported))
    assert result.exit_code == 0, (result.output, result.exception)
    assert f"added {event['id']}" in result.output.splitlines()
    imported = content(target.test_client(), event["id"])
    assert imported == as_exported(content(api.client, event["id"]))
    assert api.delete(event["id"]).status_code == 204


def test_a_repeated_wall_time_round_trips(api: ApiClient, target: Flask, tmp_path: Path) -> None:
    start = "2025-11-02T01:30:00-05:00"  # the second 01:30 in New York that night
    api.created({"id": "fold", "title": "Fold", "start": start, "timezone": "America/New_York"})
    run(api.app, "export", "-o", str(tmp_path / "fold.ics"))
    run(target, "import", str(tmp_path / "fold.ics"))
    assert content(target.test_client(), "fold")["start"] == start


def test_a_backslash_n_in_an_organization_round_trips(
    api: ApiClient, target: Flask, tmp_path: Path
) -> None:
    """A literal backslash and N (``C:\\New``) stays two characters in
    X-TIMELINE-ORGANIZATIONS (RFC 5545 §3.3.11: ``\\\\`` then ``N``), not a line break."""
    names = ["C:\\New", "Back\\slash, Inc."]
    api.created({"id": "paths", "title": "Paths", "start": "2025-03-03", "organizations": names})
    exported = tmp_path / "paths.ics"
    assert run(api.app, "export", "-o", str(exported)).exit_code == 0
    unfolded = exported.read_bytes().decode().replace("\r\n ", "")
    assert "X-TIMELINE-ORGANIZATIONS:C:\\\\New,Back\\\\slash\\, Inc.\r\n" in unfolded
    assert run(target, "import", str(exported)).exit_code == 0
    assert content(target.test_client(), "paths")["organizations"] == names


GOOGLE_REPORT = [
    "added 4k7q2m9x1c8v5b3n6h0j-1bd0ca0b",
    "added 20250303-carnival-be81d6eb",
    "added 7f3e2d1c0b9a-34016a5d",
    "added deadline-q1-d19f9e37",
    "added 9a8b7c6d5e4f-a1ab62ef",
    "added floating-1-5932bc87",  # a floating time is in the calendar's X-WR-TIMEZONE
    "rejected backwards-1@example.com: /end: end must be after start",
    "rejected bell-1@example.com: /title: U+0007 at index 4 is not allowed: no control "
    "characters or line breaks in this field",
    "added weekly-1-7e197c5c",  # RRULE:FREQ=WEEKLY;BYDAY=MO, kept as written
]
NONE: dict[str, Any] = {"approximate": False, "organizations": [], "source": None}
ALL_DAY = NONE | {"all_day": True, "timezone": None, "precision": "day", "url": None}
GOOGLE_EVENTS: list[dict[str, Any]] = [
    NONE
    | {
        "id": "4k7q2m9x1c8v5b3n6h0j-1bd0ca0b",
        "title": "Planning meeting",
        "start": "2025-02-17T09:30:00+01:00",
        "end": "2025-02-17T11:00:00+01:00",
        "all_day": False,
        "timezone": "Europe/Berlin",
        "precision": "datetime",
        "description": "Agenda:\n1. Budget\n2. Hiring; see the shared folder",
        "url": "https://meet.example.com/abc-defg-hij",
        "location": "Room 4, Building B",
        "tags": ["Work", "Budget, Q1", "Planning"],
    },
    ALL_DAY
    | {
        "id": "20250303-carnival-be81d6eb",
        "title": "Carnival Monday (office closed)",
        "start": "2025-03-03",
        "end": "2025-03-03",
        "description": "",
        "location": None,
        "tags": [],
    },
    ALL_DAY
    | {
        "id": "7f3e2d1c0b9a-34016a5d",
        "title": "Trade fair 🚀 展会",
        "start": "2025-03-10",
        "end": "2025-03-12",
        "description": "",
        "location": "Messe München",
        "tags": [],
    },
    ALL_DAY
    | {
        "id": "deadline-q1-d19f9e37",
        "title": "Q1 report due",
        "start": "2025-03-31",
        "end": "2025-03-31",
        "description": "",
        "location": None,
        "tags": [],
    },
    NONE
    | {
        "id": "9a8b7c6d5e4f-a1ab62ef",
        "title": 'Release call with "NYC" & co',
        "start": "2025-03-20T16:00:00+01:00",  # 15:00Z in the calendar's X-WR-TIMEZONE
        "end": "2025-03-20T16:30:00+01:00",
        "all_day": False,
        "timezone": "Europe/Berlin",
        "precision": "datetime",
        "description": "",
        "url": None,
        "location": None,
        "tags": [],
    },
    NONE
    | {
        "id": "floating-1-5932bc87",
        "title": "Floating stand-up",
        "start": "2025-03-21T10:00:00+01:00",
        "end": "2025-03-21T11:00:00+01:00",
        "all_day": False,
        "timezone": "Europe/Berlin",
        "precision": "datetime",
        "description": "",
        "url": None,
        "location": None,
        "tags": [],
    },
]


def in_english(event: dict[str, Any]) -> dict[str, Any]:
    """``event`` with its texts by language: an ICS without LANGUAGE is in LANGUAGE."""
    description = event["description"]
    return (
        event
        | {
            "titles": {"en": event["title"]},
            "descriptions": {"en": description} if description else {},
            "language": "en",
        }
        | NOT_RECURRING
    )


def test_a_google_export(api: ApiClient) -> None:
    summary = "added 7, updated 0, unchanged 0, rejected 2"
    result = run(api.app, "import", str(STATIC / "google-export.ics"))
    assert (result.exit_code, result.output.splitlines()) == (1, [*GOOGLE_REPORT, summary])
    expected = [in_english(e) for e in GOOGLE_EVENTS]
    assert [content(api.client, e["id"]) for e in GOOGLE_EVENTS] == expected
    weekly = content(api.client, "weekly-1-7e197c5c")
    assert (weekly["start"], weekly["rrule"]) == (
        "2025-01-06T09:00:00+01:00",
        "FREQ=WEEKLY;BYDAY=MO",
    )
    assert api.counts() == (7, 7)
    again = run(api.app, "import", str(STATIC / "google-export.ics"))
    unchanged = [line.replace("added", "unchanged", 1) for line in GOOGLE_REPORT]
    summary = "added 0, updated 0, unchanged 7, rejected 2"
    assert (again.exit_code, again.output.splitlines()) == (1, [*unchanged, summary])
    assert api.counts() == (7, 7)


def calendar(vevent: str, zones: str = "") -> str:
    """A VCALENDAR (CRLF lines) of ``zones`` and one VEVENT, each given as lines joined
    by ``|``."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//test//EN",
        *filter(None, zones.split("|")),
    ]
    lines += ["BEGIN:VEVENT", "DTSTAMP:20250101T000000Z", *vevent.split("|"), "END:VEVENT"]
    return "\r\n".join([*lines, "END:VCALENDAR", ""])


CUSTOM_ZONE = (
    "BEGIN:VTIMEZONE|TZID:Office time|BEGIN:STANDARD|DTSTART:19700101T000000|"
    "TZOFFSETFROM:+0530|TZOFFSETTO:+0530|END:STANDARD|END:VTIMEZONE"
)


@pytest.mark.parametrize(
    ("vevent", "expected"),
    [
        (  # Outlook's Windows zone names are IANA zones
            "UID:w|SUMMARY:W|DTSTART;TZID=W. Europe Standard Time:20250217T093000",
            {"start": "2025-02-17T09:30:00+01:00", "timezone": "Europe/Berlin"},
        ),
        (  # RFC 5545 §3.3.5: a time skipped by DST counts from the offset before it
            "UID:g|SUMMARY:G|DTSTART;TZID=Europe/Berlin:20250330T023000|DURATION:PT1H",
            {"start": "2025-03-30T03:30:00+02:00", "end": "2025-03-30T04:30:00+02:00"},
        ),
        (  # a zone known only by its VTIMEZONE: its offset, no zone name
            "UID:c|SUMMARY:C|DTSTART;TZID=Office time:20250217T093000",
            {"start": "2025-02-17T04:00:00Z", "timezone": None},
        ),
        (  # read in IMPORT_TIMEZONE (UTC), said in the report
            "UID:u|SUMMARY:U|DTSTART;TZID=Mars/Olympus:20250217T093000",
            {"start": "2025-02-17T09:30:00Z", "timezone": None},
        ),
        (  # one day, as Google and Outlook show it
            "UID:d|SUMMARY:D|DTSTART;VALUE=DATE:20250217|DTEND;VALUE=DATE:20250217",
            {"start": "2025-02-17", "end": "2025-02-17"},
        ),
        (  # no UID: an id from the content (tests/io/test_import_calendars.py)
            "SUMMARY:No UID|DTSTART;VALUE=DATE:20250217",
            {"id": "2025-02-17-no-uid-17b00bac", "start": "2025-02-17"},
        ),
        ("UID:m|DTSTART;VALUE=DATE:20250217", {"title": "(untitled)"}),
        (  # ours, but floating: read in IMPORT_TIMEZONE, then undone as ours
            "UID:f|SUMMARY:F (approximate date)|DTSTART:20250217T093000|"
            "X-TIMELINE-PRECISION:datetime|X-TIMELINE-APPROXIMATE:TRUE|DESCRIPTION:x",
            {"start": "2025-02-17T09:30:00Z", "title": "F", "approximate": True},
        ),
        (
            "UID:p|SUMMARY:P|DTSTART;VALUE=DATE:20250215|X-TIMELINE-PRECISION:month",
            "rejected p: X-TIMELINE-PRECISION: month, but DTSTART and DTEND do not span",
        ),
    ],
)
def test_calendar_mapping(
    app: Flask, tmp_path: Path, vevent: str, expected: dict[str, Any] | str
) -> None:
    path = tmp_path / "in.ics"
    path.write_bytes(calendar(vevent, CUSTOM_ZONE if "Office" in vevent else "").encode())
    result = run(app, "import", str(path))
    first = result.output.splitlines()[0]
    if isinstance(expected, str):
        assert (result.exit_code, first[: len(expected)]) == (1, expected)
        return
    assert result.exit_code == 0, result.output
    added = result.output.splitlines()[-2]
    event = content(app.test_client(), added.removeprefix("added "))
    assert {k: event[k] for k in expected} == expected


def write_json(tmp_path: Path, document: Any) -> str:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(document, ensure_ascii=False))
    return str(path)


def test_json_one_object_and_a_list(api: ApiClient, tmp_path: Path) -> None:
    one = {"id": "one", "title": "One", "start": "2025-02-17", "tags": ["x"]}
    result = run(api.app, "import", write_json(tmp_path, one))
    assert (result.exit_code, result.output.splitlines()[0]) == (0, "added one")
    items = [one | {"title": "One, edited"}, {"title": "Sans id", "when": "2025-02-18"}]
    result = run(api.app, "import", write_json(tmp_path, items))
    assert result.output.splitlines() == [
        "updated one",
        "added 2025-02-18-sans-id-344927c5",
        "added 1, updated 1, unchanged 0, rejected 0",
    ]
    assert content(api.client, "one")["title"] == "One, edited"
    again = run(api.app, "import", write_json(tmp_path, items))
    assert again.output.splitlines()[-1] == "added 0, updated 0, unchanged 2, rejected 0"


def test_json_bad_items_say_what_the_api_says(api: ApiClient, tmp_path: Path) -> None:
    bad = [
        {"title": "Feb 30", "start": "2025-02-30"},
        {"title": "", "start": "2025-02-17", "colour": "red"},
        ["not", "an", "object"],
    ]
    good = {"id": "good", "title": "Good", "start": "2025-02-17"}
    result = run(api.app, "import", write_json(tmp_path, [good, *bad]))
    reasons = [api.post(body).get_json()["detail"] for body in bad]
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "added good",
        *(f"rejected #{n}: {reason}" for n, reason in enumerate(reasons, start=2)),
        "added 1, updated 0, unchanged 0, rejected 3",
    ]
    assert reasons[0].startswith("/start: 2025-02-30 is not a real date")
    assert api.counts() == (1, 1)


def test_a_store_refusal_leaves_nothing_of_that_event(
    api: ApiClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.created({"id": "gone", "title": "Gone", "start": "2025-02-17"})
    assert api.delete("gone").status_code == 204
    before = api.counts()
    upsert = writes.upsert_event

    def failing(session: Any, data: Any, *, author: str, timelines: Any) -> str:
        outcome = upsert(session, data, author=author, timelines=timelines)  # then refused
        if data.id == "boom":
            raise writes.StoreError("boom: refused after writing")
        return outcome

    monkeypatch.setattr(writes, "upsert_event", failing)
    add_events = bulk.add_events

    def failing_together(session: Any, datas: Any, *, author: str, timelines: Any) -> None:
        add_events(session, datas, author=author, timelines=timelines)  # then all undone
        if any(data.id == "boom" for data in datas):
            raise writes.StoreError("boom: refused after writing")

    monkeypatch.setattr(bulk, "add_events", failing_together)
    items = [{"id": i, "title": i, "start": "2025-02-17"} for i in ("a", "boom", "gone", "b")]
    result = run(api.app, "import", write_json(tmp_path, items))
    assert result.exit_code == 1
    assert result.output.splitlines()[:4] == [
        "added a",
        "rejected #2: boom: refused after writing",
        "rejected #3: /id: the event 'gone' was deleted (ids are never reused)",
        "added b",
    ]
    assert api.counts() == (before[0] + 2, before[1] + 2)
    assert sorted(all_ids(api.client)) == ["a", "b"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'[{"title": "x", "start": }]', "is not valid JSON: Expecting value at line 1 column 26"),
        (b'{"title": "a", "title": "b"}', 'is not valid JSON: duplicate member "title"'),
        (b"Subject: hello", "is neither iCalendar (it does not begin with BEGIN:VCALENDAR)"),
        (b'"just a string"', "holds JSON, but not an event object or a list of them"),
        (b"\xff\xfe{}", "is not UTF-8 text (byte 0)"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n", "is not a valid iCalendar file: Found no"),
    ],
)
def test_unreadable_files_are_usage_errors(
    app: Flask, tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "in.txt"
    path.write_bytes(data)
    result = run(app, "import", str(path))
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_a_missing_file_is_a_usage_error(app: Flask, tmp_path: Path) -> None:
    result = run(app, "import", str(tmp_path / "nowhere.ics"))
    assert result.exit_code == 2
    assert "No such file or directory" in result.output


def test_long_files_get_a_progress_bar_on_stderr(app: Flask, tmp_path: Path) -> None:
    items = [{"id": f"e{n}", "title": f"E{n}", "start": "2025-02-17"} for n in range(201)]
    result = run(app, "import", write_json(tmp_path, items))
    assert result.exit_code == 0
    assert result.stderr.startswith("importing")
    assert result.stdout.splitlines()[-1] == "added 201, updated 0, unchanged 0, rejected 0"
    short = run(app, "import", write_json(tmp_path, items[:3]))
    assert short.stderr == ""


def test_a_foreign_event_moved_or_renamed_is_updated(api: ApiClient, tmp_path: Path) -> None:
    """Another calendar's event keeps its UID when it moves: importing it again updates
    the event imported before instead of adding a second one."""

    def calendar(day: str, title: str) -> Path:
        path = tmp_path / f"{day}.ics"
        path.write_text(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:move-me@example.com\r\nDTSTAMP:20250101T000000Z\r\nDTSTART;VALUE=DATE:{day}\r\n"
            f"SUMMARY:{title}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            encoding="utf-8",
        )
        return path

    first = run(api.app, "import", str(calendar("20250301", "Team offsite")))
    moved = run(api.app, "import", str(calendar("20250308", "Team offsite (moved)")))
    assert first.output.splitlines()[0] == "added move-me-1c8f4700"
    assert moved.output.splitlines()[0] == "updated move-me-1c8f4700"
    event = api.client.get("/api/events/move-me-1c8f4700").get_json()
    assert (event["start"], event["title"], event["sequence"]) == (
        "2025-03-08",
        "Team offsite (moved)",
        1,
    )


def test_the_apis_own_output_imports(api: ApiClient, tmp_path: Path) -> None:
    """GET /api/events/<id> and a GET /api/events page import as they are: the read-only
    fields the API adds are left aside."""
    api.created({"id": "one", "title": "One", "start": "2025-04-01", "tags": ["a"]})
    api.created({"id": "two", "title": "Two", "start": "2025-04-02"})
    single = tmp_path / "one.json"
    single.write_bytes(api.client.get("/api/events/one").data)
    page = tmp_path / "page.json"
    page.write_bytes(api.client.get("/api/events").data)
    assert run(api.app, "import", str(single)).output.splitlines() == [
        "unchanged one",
        "added 0, updated 0, unchanged 1, rejected 0",
    ]
    assert run(api.app, "import", str(page)).output.splitlines()[-1] == (
        "added 0, updated 0, unchanged 2, rejected 0"
    )


def test_import_into_a_database_never_migrated(other_database_url: str, tmp_path: Path) -> None:
    """A fresh database gets its tables first, as ``timeline serve`` does."""
    from timeline.app import create_app
    from timeline.cli import main

    app = create_app({"DATABASE_URL": other_database_url, "TESTING": True})
    try:
        path = tmp_path / "one.json"
        path.write_text('{"id": "fresh", "title": "Fresh", "start": "2025-06-01"}')
        result = app.test_cli_runner().invoke(main, ["import", str(path)])
        assert result.output.splitlines() == [
            "added fresh",
            "added 1, updated 0, unchanged 0, rejected 0",
        ]
    finally:
        db.close_app(app)


def test_an_import_saying_cancelled_cancels_the_event(api: ApiClient, tmp_path: Path) -> None:
    path = tmp_path / "cancelled.ics"
    vevent = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:off@example.com\r\nDTSTAMP:20250101T000000Z\r\nDTSTART;VALUE=DATE:20250301\r\n"
        "SUMMARY:Called off\r\n{status}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    path.write_text(vevent.format(status=""), encoding="utf-8")
    assert run(api.app, "import", str(path)).exit_code == 0
    assert content(api.client, "off-ae632e24")["status"] == "confirmed"
    path.write_text(vevent.format(status="STATUS:CANCELLED\r\n"), encoding="utf-8")
    result = run(api.app, "import", str(path))
    assert (result.exit_code, result.output.splitlines()) == (
        0,
        ["updated off-ae632e24", "added 0, updated 1, unchanged 0, rejected 0"],
    )
    assert content(api.client, "off-ae632e24")["status"] == "cancelled"


def _fed_pipe(path: Path, size: int) -> threading.Thread:
    """A FIFO at ``path`` that a thread feeds with ``size`` zero bytes (less if the reader
    closes it first), like /dev/zero but bounded."""
    os.mkfifo(path)

    def feed() -> None:
        with contextlib.suppress(BrokenPipeError), path.open("wb") as pipe:
            for _ in range(size // 65536):
                pipe.write(bytes(65536))

    thread = threading.Thread(target=feed, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("source", ["file", "pipe"])
def test_a_file_over_import_max_bytes_is_one_line_and_never_read_whole(
    make_app: AppFactory, tmp_path: Path, source: str
) -> None:
    # /dev/zero was read until MemoryError; a 16.6 MB calendar took 702 MB.
    app = make_app(IMPORT_MAX_BYTES=100_000)
    path = tmp_path / "big.json"
    feeder = None
    if source == "file":
        path.write_text(json.dumps([{"title": "x" * 200, "start": "2025-02-17"}] * 500))
    else:
        feeder = _fed_pipe(path, 4 * 1024 * 1024)
    result = run(app, "import", str(path))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {path} holds more than IMPORT_MAX_BYTES (100,000 bytes): split it "
        "(timeline export --from/--to) or raise TIMELINE_IMPORT_MAX_BYTES\n"
    )
    if feeder is not None:
        feeder.join(timeout=10)
    small = tmp_path / "small.json"
    small.write_text(json.dumps([{"id": "ok", "title": "x", "start": "2025-02-17"}]))
    assert run(app, "import", str(small)).stdout.splitlines()[0] == "added ok"
