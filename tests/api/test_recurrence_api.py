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
