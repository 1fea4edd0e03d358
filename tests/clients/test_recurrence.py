"""Recurring events and cancellations as the clients read them: recurring-ical-events and
vobject expand our RRULE, RDATE and EXDATE to the same occurrences, vdirsyncer keeps an
overridden instance in its recurring event's item, and a recurring event survives API →
ICS → ``timeline import`` into an empty store → ICS."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path
from typing import Any

import feedparser
import icalendar
import pytest
import recurring_ical_events
import vobject
from flask import Flask
from vdirsyncer.vobject import Item, split_collection

from tests.conftest import ApiClient, AppFactory
from tests.io.test_import import run

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
WINDOW = (dt.datetime(2025, 1, 1, tzinfo=dt.UTC), dt.datetime(2025, 4, 1, tzinfo=dt.UTC))
STANDUP = {
    "id": "standup",
    "title": "Stand-up",
    "start": "2025-01-06T09:00:00",
    "end": "2025-01-06T09:15:00",
    "timezone": "Europe/Berlin",
    "rrule": "FREQ=WEEKLY;BYDAY=MO;COUNT=6",
    "exdate": ["2025-01-20T09:00:00+01:00"],
    "rdate": ["2025-01-22T09:00:00+01:00", "2025-03-05T10:00:00+01:00/PT1H"],
}
MOVED = {
    "id": "standup-moved",
    "title": "Stand-up (moved)",
    "start": "2025-01-13T11:00:00",
    "end": "2025-01-13T11:15:00",
    "timezone": "Europe/Berlin",
    "recurrence_of": "standup",
    "recurrence_id": "2025-01-13T09:00:00+01:00",
}
HOLIDAYS = {
    "id": "holidays",
    "title": "Office closed",
    "start": "2025-01-01",
    "rrule": "FREQ=MONTHLY;BYMONTHDAY=1;UNTIL=20250301",
}
#: The occurrences in WINDOW: (UID, start in UTC or date, summary).
OCCURRENCES = [
    ("holidays@timeline.example.org", dt.date(2025, 1, 1), "Office closed"),
    ("holidays@timeline.example.org", dt.date(2025, 2, 1), "Office closed"),
    ("holidays@timeline.example.org", dt.date(2025, 3, 1), "Office closed"),
    ("standup@timeline.example.org", dt.datetime(2025, 1, 6, 8, tzinfo=dt.UTC), "Stand-up"),
    (
        "standup@timeline.example.org",
        dt.datetime(2025, 1, 13, 10, tzinfo=dt.UTC),
        "Stand-up (moved)",
    ),
    ("standup@timeline.example.org", dt.datetime(2025, 1, 22, 8, tzinfo=dt.UTC), "Stand-up"),
    ("standup@timeline.example.org", dt.datetime(2025, 1, 27, 8, tzinfo=dt.UTC), "Stand-up"),
    ("standup@timeline.example.org", dt.datetime(2025, 2, 3, 8, tzinfo=dt.UTC), "Stand-up"),
    ("standup@timeline.example.org", dt.datetime(2025, 2, 10, 8, tzinfo=dt.UTC), "Stand-up"),
    ("standup@timeline.example.org", dt.datetime(2025, 3, 5, 9, tzinfo=dt.UTC), "Stand-up"),
]


@pytest.fixture
def target(make_app: AppFactory, other_database_url: str) -> Flask:
    """The service on a second, empty store."""
    return make_app(DATABASE_URL=other_database_url)


def _post_all(api: ApiClient) -> None:
    for body in (STANDUP, MOVED, HOLIDAYS):
        response = api.post(body)
        assert response.status_code == 201, response.get_json()


def _utc(value: Any) -> Any:
    return value.astimezone(dt.UTC) if isinstance(value, dt.datetime) else value


def occurrences(ics: bytes) -> list[tuple[str, Any, str]]:
    """The occurrences in WINDOW as recurring-ical-events expands them."""
    calendar = icalendar.Calendar.from_ical(ics)
    found = recurring_ical_events.of(calendar).between(*WINDOW)
    return sorted(
        ((str(e["UID"]), _utc(e["DTSTART"].dt), str(e["SUMMARY"])) for e in found),
        key=lambda o: (o[0], str(_utc(o[1]))),
    )


def test_recurring_ical_events_expands_what_the_api_was_given(api: ApiClient) -> None:
    _post_all(api)
    assert occurrences(api.client.get("/calendar.ics").data) == OCCURRENCES


def test_vobject_expands_the_same_rule(api: ApiClient) -> None:
    _post_all(api)
    calendar = vobject.readOne(api.client.get("/events/standup.ics").get_data(as_text=True))
    rules = calendar.vevent.getrruleset(addRDate=True)
    starts = [at.astimezone(dt.UTC) for at in rules.between(*WINDOW, inc=True)]
    # vobject knows no RECURRENCE-ID: the moved occurrence is still at 9:00 for it; and
    # it reads no RDATE;VALUE=PERIOD (its getrruleset takes date-times only), so the
    # 5 March occurrence is missing.
    assert starts == [
        dt.datetime(2025, 1, 6, 8, tzinfo=dt.UTC),
        dt.datetime(2025, 1, 13, 8, tzinfo=dt.UTC),
        dt.datetime(2025, 1, 22, 8, tzinfo=dt.UTC),
        dt.datetime(2025, 1, 27, 8, tzinfo=dt.UTC),
        dt.datetime(2025, 2, 3, 8, tzinfo=dt.UTC),
        dt.datetime(2025, 2, 10, 8, tzinfo=dt.UTC),
    ]


def test_vdirsyncer_keeps_the_moved_occurrence_with_its_event(api: ApiClient) -> None:
    _post_all(api)
    items = [
        Item(raw)
        for raw in split_collection(api.client.get("/calendar.ics").get_data(as_text=True))
    ]
    by_uid = {item.ident: item.raw.count("BEGIN:VEVENT") for item in items}
    assert by_uid == {"standup@timeline.example.org": 2, "holidays@timeline.example.org": 1}


def _aware(rules: Any) -> bool:
    """Whether a vobject rule set yields aware datetimes (timed) or naive ones (all-day)."""
    first: dt.datetime = next(iter(rules))
    return first.tzinfo is not None


def test_a_recurring_event_round_trips_through_an_import(
    api: ApiClient, target: Flask, tmp_path: Path
) -> None:
    """API → ICS → ``timeline import`` into an empty store → ICS: the same occurrences,
    as recurring-ical-events, vobject and vdirsyncer read them."""
    _post_all(api)
    exported = api.client.get("/calendar.ics").data
    path = tmp_path / "exported.ics"
    path.write_bytes(exported)
    result = run(target, "import", str(path))
    assert (result.exit_code, sorted(result.output.splitlines())) == (
        0,
        [
            "added 3, updated 0, unchanged 0, rejected 0",
            "added holidays",
            "added standup",
            "added standup-moved",
        ],
    )
    again = target.test_client().get("/calendar.ics").data
    assert occurrences(again) == occurrences(exported) == OCCURRENCES
    for body in (exported, again):
        master = vobject.readOne(body.decode()).vevent_list
        rules = [v.getrruleset(addRDate=True) for v in master if "recurrence-id" not in v.contents]
        naive = tuple(at.replace(tzinfo=None) for at in WINDOW)  # for all-day rules
        counts = [len(r.between(*(WINDOW if _aware(r) else naive), inc=True)) for r in rules]
        assert sorted(counts) == [3, 6]  # vobject reads no periods
        items = split_collection(body.decode())
        assert sorted(Item(raw).ident for raw in items) == [
            "holidays@timeline.example.org",
            "standup@timeline.example.org",
        ]


def test_the_feeds_and_the_timeline_show_each_occurrence(api: ApiClient) -> None:
    """RSS and Atom (feedparser), JSON Feed and /timeline.json: an item per occurrence,
    the moved one once at its new time, the RDATE period with its own end; ids unique."""
    _post_all(api)
    expected = [(str(start), title) for _, start, title in OCCURRENCES]
    feed = api.client.get("/feed.json").get_json()
    starts = [
        (item["_timeline"]["start"], item["title"], item["_timeline"]["end"])
        for item in feed["items"]
    ]
    found = sorted(
        (str(dt.datetime.fromisoformat(s).astimezone(dt.UTC)) if "T" in s else s, title)
        for s, title, _ in starts
    )
    assert found == sorted(expected)
    assert len({item["id"] for item in feed["items"]}) == len(OCCURRENCES)
    period = [end for start, _, end in starts if start == "2025-03-05T10:00:00+01:00"]
    assert period == ["2025-03-05T11:00:00+01:00"]
    for path in ("/feed.rss", "/feed.atom"):
        parsed = feedparser.parse(api.client.get(path).data)
        assert parsed.bozo == 0
        assert sorted(e.title for e in parsed.entries) == sorted(t for _, t in expected)
        assert len({e.id for e in parsed.entries}) == len(OCCURRENCES)
    timeline = api.client.get("/timeline.json").get_json()
    slides = [(e["start_date"]["month"], e["text"]["headline"]) for e in timeline["events"]]
    assert [month for month, _ in slides] == [1] * 5 + [2] * 3 + [3] * 2
    assert len({e["unique_id"] for e in timeline["events"]}) == len(OCCURRENCES)


def test_a_date_range_shows_the_occurrences_within_it(api: ApiClient) -> None:
    _post_all(api)
    feed = api.client.get("/feed.json?from=2025-02-01&to=2025-02-28").get_json()
    assert sorted(item["_timeline"]["start"] for item in feed["items"]) == [
        "2025-02-01",
        "2025-02-03T09:00:00+01:00",
        "2025-02-10T09:00:00+01:00",
    ]
