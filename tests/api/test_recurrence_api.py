"""The API's recurring events: RRULE in RFC 5545 RECUR syntax, RDATE and EXDATE in the
forms of ``start``, overridden instances; each refusal a 422 naming its JSON Pointer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ApiClient

TIMED = {"title": "Talk", "start": "2025-03-03T18:00:00", "timezone": "Europe/Berlin"}
DAY = {"title": "Fair", "start": "2025-03-03"}


def test_a_rule_and_its_dates_are_kept_as_given(api: ApiClient) -> None:
    body = TIMED | {
        "id": "talks",
        "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;UNTIL=20250630T000000Z",
        "rdate": ["2025-03-05T18:00:00+01:00", "2025-03-06T17:00:00Z/PT90M"],
        "exdate": ["2025-03-17T18:00:00+01:00"],
    }
    response = api.post(body)
    assert response.status_code == 201, response.get_json()
    event = response.get_json()
    assert {k: event[k] for k in ("rrule", "rdate", "exdate", "status")} == {
        "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;UNTIL=20250630T000000Z",
        "rdate": ["2025-03-05T18:00:00+01:00", "2025-03-06T17:00:00Z/PT90M"],
        "exdate": ["2025-03-17T18:00:00+01:00"],
        "status": "confirmed",
    }
    ics = api.client.get("/events/talks.ics").get_data(as_text=True)
    assert "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;UNTIL=20250630T000000Z\r\n" in ics
    assert "RDATE;TZID=Europe/Berlin:20250305T180000\r\n" in ics
    assert "RDATE;VALUE=PERIOD:20250306T170000Z/PT1H30M\r\n" in ics
    assert "EXDATE;TZID=Europe/Berlin:20250317T180000\r\n" in ics
    patched = api.patch("talks", {"rrule": None, "rdate": None, "exdate": None})
    assert (patched.get_json()["rrule"], patched.get_json()["rdate"]) == (None, [])
    vevent = api.client.get("/events/talks.ics").get_data(as_text=True).split("BEGIN:VEVENT")[1]
    names = {line.split(":")[0].split(";")[0] for line in vevent.split("\r\n")}
    assert not names & {"RRULE", "RDATE", "EXDATE"}


@pytest.mark.parametrize(
    ("body", "pointer", "detail"),
    [
        (TIMED | {"rrule": "FREQ=SOMETIMES"}, "/rrule", "is not an RFC 5545 RECUR value"),
        (TIMED | {"rrule": "freq=daily"}, "/rrule", "only A-Z, 0-9"),
        (TIMED | {"rrule": "FREQ=DAILY\r\nX:Y"}, "/rrule", "only A-Z, 0-9"),
        (TIMED | {"rrule": "RSCALE=CHINESE;FREQ=YEARLY"}, "/rrule", "unknown parameter"),
        (TIMED | {"rrule": "FREQ=HOURLY"}, "/rrule", "more than 1000 occurrences in a year"),
        (TIMED | {"rrule": "FREQ=DAILY;UNTIL=20250601"}, "/rrule", "UNTIL values must be"),
        (DAY | {"rdate": ["2025-03-05T10:00:00Z"]}, "/rdate/0", "the event is all-day"),
        (TIMED | {"rdate": ["2025-03-05", "x"]}, "/rdate/0", "needs a UTC offset"),
        (TIMED | {"rdate": ["2025-03-05T10:00:00"]}, "/rdate/0", "needs a UTC offset"),
        (TIMED | {"rdate": ["2025-03-05T10:00:00Z/P1Y"]}, "/rdate/0", "is not a duration"),
        (TIMED | {"exdate": ["2025-03-05T10:00:00Z/PT1H"]}, "/exdate/0", "only RDATE takes"),
        (
            TIMED | {"recurrence_of": "talks"},
            "/recurrence_id",
            "recurrence_of and recurrence_id go together",
        ),
        (
            TIMED | {"recurrence_of": "t", "recurrence_id": "2025-03-03", "rrule": "FREQ=DAILY"},
            "/recurrence_id",
            "needs a UTC offset",
        ),
    ],
)
def test_a_bad_recurrence_is_refused_with_its_pointer(
    api: ApiClient, body: dict[str, Any], pointer: str, detail: str
) -> None:
    response = api.post(body)
    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    errors = response.get_json()["errors"]
    assert errors[0]["pointer"] == pointer, errors
    assert detail in errors[0]["detail"]
    assert api.counts()[0] == 0  # nothing stored


def test_the_listing_gives_the_occurrences_within_its_days(api: ApiClient) -> None:
    body = DAY | {"id": "fair", "rrule": "FREQ=MONTHLY;COUNT=4", "exdate": ["2025-04-03"]}
    assert api.post(body).status_code == 201
    assert api.post(TIMED | {"id": "once"}).status_code == 201
    listed = api.client.get("/api/events").get_json()["events"]
    assert {e["id"]: e["occurrences"] for e in listed} == {
        "fair": ["2025-03-03", "2025-05-03", "2025-06-03"],
        "once": None,
    }
    ranged = api.client.get("/api/events?from=2025-03-01&to=2025-05-31").get_json()["events"]
    assert {e["id"]: e["occurrences"] for e in ranged} == {
        "fair": ["2025-03-03", "2025-05-03"],
        "once": None,
    }
    one = api.client.get("/api/events/fair").get_json()
    assert one["occurrences"] == ["2025-03-03", "2025-05-03", "2025-06-03"]
    weekly = TIMED | {"id": "weekly", "rrule": "FREQ=WEEKLY;COUNT=2"}
    assert api.post(weekly).get_json()["occurrences"] == [
        "2025-03-03T18:00:00+01:00",
        "2025-03-10T18:00:00+01:00",
    ]


def _pages(api: ApiClient, url: str) -> list[tuple[str, list[str] | None]]:
    """The ids and occurrences of every page of the listing at ``url``, following
    ``next``, checking that it ends."""
    seen: list[tuple[str, list[str] | None]] = []
    next_url: str | None = url
    while next_url is not None:
        assert len(seen) < 50, "the listing does not end"
        body = api.client.get(next_url).get_json()
        seen += [(e["id"], e["occurrences"]) for e in body["events"]]
        next_url = body["next"]
    return seen


def test_a_listing_from_a_day_finds_the_series_begun_before_it(api: ApiClient) -> None:
    """Series begun before ``from`` whose occurrences begin on its days are listed in the
    place of their start, each once through pages of 2; those whose occurrences all fall
    outside the days are not."""
    bodies = [
        DAY | {"id": "monthly", "start": "2024-11-03", "rrule": "FREQ=MONTHLY;COUNT=12"},
        DAY | {"id": "yearly", "start": "2020-04-01", "rrule": "FREQ=YEARLY"},
        DAY | {"id": "ended", "start": "2024-01-10", "rrule": "FREQ=WEEKLY;COUNT=3"},
        DAY | {"id": "later-date", "start": "2024-12-24", "rdate": ["2025-04-20"]},
        DAY | {"id": "skipped", "start": "2025-01-15", "rdate": ["2025-06-15"]},
        DAY | {"id": "in-range", "start": "2025-04-10"},
        DAY | {"id": "in-range-too", "start": "2025-03-20"},
        DAY | {"id": "before", "start": "2025-01-02"},
        TIMED | {"id": "talks", "start": "2025-02-24T18:00:00", "rrule": "FREQ=WEEKLY;COUNT=3"},
    ]
    for body in bodies:
        assert api.post(body).status_code == 201, body
    listed = _pages(api, "/api/events?from=2025-03-05&to=2025-04-30&limit=2")
    assert listed == [
        ("in-range", None),
        ("in-range-too", None),
        ("talks", ["2025-03-10T18:00:00+01:00"]),
        ("later-date", ["2025-04-20"]),
        ("monthly", ["2025-04-03"]),
        ("yearly", ["2025-04-01"]),
    ]
    assert _pages(api, "/api/events?from=2025-03-05&limit=1")[:3] == [
        ("in-range", None),
        ("in-range-too", None),
        ("talks", ["2025-03-10T18:00:00+01:00"]),
    ]
    assert [e for e, _ in _pages(api, "/api/events?from=2025-03-05&limit=1")] == [
        "in-range",
        "in-range-too",
        "talks",
        "skipped",
        "later-date",
        "monthly",
        "yearly",
    ]
    assert _pages(api, "/api/events?from=2025-05-01&to=2025-05-31&limit=5") == [
        ("monthly", ["2025-05-03"])
    ]
