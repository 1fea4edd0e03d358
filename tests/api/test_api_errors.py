"""Every bad input of the API gets its exact 4xx problem, with a pointer to the field,
and leaves the store and every feed as they were."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import ApiClient

PROBLEM = "application/problem+json"
OK = {"title": "Fine", "start": "2025-02-17"}
EXISTING = {"id": "existing", "title": "Existing event", "start": "2025-01-10"}


@dataclass(frozen=True)
class Raw:
    """A body sent as these bytes with this Content-Type, not encoded by the test."""

    body: bytes
    content_type: str = "application/json"


def event(**fields: Any) -> dict[str, Any]:
    """A valid body (OK) with ``fields`` changed."""
    return OK | fields


def timed(**fields: Any) -> dict[str, Any]:
    return event(
        start="2025-09-11T09:00:00", end="2025-09-11T10:00:00", timezone="Europe/Paris"
    ) | (fields)


BAD_INPUTS: list[tuple[Any, int, str | None]] = [
    # The body itself.
    (Raw(b'{"title": "Broken", "start": '), 400, ""),
    (Raw(b'{"title": "a", "title": "b", "start": "2025-02-17"}'), 400, ""),
    (Raw(b'{"title": "Not a number", "start": "2025-02-17", "x": NaN}'), 400, ""),
    (Raw(b'{"title": "caf\xe9", "start": "2025-02-17"}'), 400, ""),
    (Raw(b""), 400, ""),
    (Raw(b'{"title": "Plain", "start": "2025-02-17"}', "text/plain"), 415, None),
    (
        Raw(b'{"title": "Form", "start": "2025-02-17"}', "application/x-www-form-urlencoded"),
        415,
        None,
    ),
    (
        Raw(b'{"title": "Latin", "start": "2025-02-17"}', "application/json; charset=latin-1"),
        415,
        None,
    ),
    (Raw(b'{"title": "' + b"x" * 140_000 + b'", "start": "2025-02-17"}'), 413, None),
    ([OK], 422, ""),
    ("an event", 422, ""),
    (42, 422, ""),
    (Raw(b"null"), 422, ""),
    # Unknown and read-only fields: 400, each named.
    (event(colour="red"), 400, "/colour"),
    (event(sequence=3), 400, "/sequence"),
    (event(links={}), 400, "/links"),
    (event(source={"name": "Paper", "page": 3}), 400, "/source/page"),
    (event(**{"a/b~c": 1}), 400, "/a~1b~0c"),
    # The title.
    ({"start": "2025-02-17"}, 422, "/title"),
    (event(title=""), 422, "/title"),
    (event(title=" \t "), 422, "/title"),
    (event(title="\u3000"), 422, "/title"),
    (event(title=None), 422, "/title"),
    (event(title=7), 422, "/title"),
    (event(title="x" * 10_000), 422, "/title"),
    (event(title="x" * 301), 422, "/title"),
    # Control characters, line breaks in one-line fields, lone surrogates.
    (event(title="Nul\u0000"), 422, "/title"),
    (event(title="Esc\u001b[0m"), 422, "/title"),
    (event(title="Notes\u000c"), 422, "/title"),
    (event(title="Del\u007f"), 422, "/title"),
    (event(title="C1\u0085"), 422, "/title"),
    (event(title="Two\nlines"), 422, "/title"),
    (event(title="Tab\there"), 422, "/title"),
    (event(title="Non\uffff"), 422, "/title"),
    (event(description="Agenda\u000bitem"), 422, "/description"),
    (event(description="a\u0000b"), 422, "/description"),
    (event(description="x" * 8_001), 422, "/description"),
    (event(location="Room\u0007"), 422, "/location"),
    (event(tags=["ok", "bell\u0007"]), 422, "/tags/1"),
    (event(organizations=["Org\u001f"]), 422, "/organizations/0"),
    (event(source={"name": "Paper\u0000"}), 422, "/source/name"),
    (event(source={"locator": "p.\r\n3"}), 422, "/source/locator"),
    (event(url="https://example.org/\u0000"), 422, "/url"),
    ({"title": "Moved", "when": "Feb 17\u0000, 2025"}, 422, "/when"),
    (Raw(b'{"title": "\\ud800", "start": "2025-02-17"}'), 422, "/title"),
    (
        Raw(b'{"title": "Ok", "start": "2025-02-17", "description": "x\\udfff"}'),
        422,
        "/description",
    ),
    (Raw(b'{"title": "Ok", "start": "2025-02-17", "tags": ["\\ud83d"]}'), 422, "/tags/0"),
    # Dates.
    ({"title": "No date"}, 422, "/start"),
    (event(start="2025-02-30"), 422, "/start"),
    (event(start="2025-13"), 422, "/start"),
    (event(start="0000-01-01"), 422, "/start"),
    (event(start="0000"), 422, "/start"),
    (event(start="10000-01-01"), 422, "/start"),
    (event(start="9999-12-31"), 422, "/start"),
    (event(start="17/02/2025"), 422, "/start"),
    (event(start="2025-02-17T09:30"), 422, "/start"),
    (event(start="2025-02-17T24:00:00Z"), 422, "/start"),
    (event(start=20250217), 422, "/start"),
    (event(end="2025-02-16"), 422, "/end"),
    (event(start="2025-02", end="2025-01"), 422, "/end"),
    (event(start="2025-02", end="2025-03-01"), 422, "/end"),
    (event(end="2025-02-18T10:00:00Z"), 422, "/end"),
    (timed(end="2025-09-11T09:00:00"), 422, "/end"),
    (timed(end="2025-09-11T08:00:00"), 422, "/end"),
    (timed(end="2025-09-12"), 422, "/end"),
    (timed(end="2025-09-11T10:00:00+05:00"), 422, "/end"),
    (event(timezone="Mars/Olympus_Mons"), 422, "/timezone"),
    (event(timezone="europe/berlin"), 422, "/timezone"),
    (event(timezone=""), 422, "/timezone"),
    (timed(all_day=True), 422, "/all_day"),
    (event(all_day=False), 422, "/all_day"),
    (event(all_day="yes"), 422, "/all_day"),
    (event(approximate="true"), 422, "/approximate"),
    # B03: a wall time without offset or zone is refused; the server's zone is not guessed.
    (
        {"title": "Choir rehearsal", "start": "2025-08-20T16:00:00", "end": "2025-08-20T18:00:00"},
        422,
        "/start",
    ),
    # An offset that is not the zone's at that time.
    (
        {"title": "Choir", "start": "2025-08-20T16:00:00+05:00", "timezone": "Europe/Madrid"},
        422,
        "/start",
    ),
    # B08: a wall time in the spring-forward gap.
    (
        {
            "title": "Night shift handover",
            "start": "2025-03-30T02:30:00",
            "end": "2025-03-30T04:00:00",
            "timezone": "Europe/Berlin",
        },
        422,
        "/start",
    ),
    ({"title": "Both", "when": "Feb 17, 2025", "start": "2025-02-17"}, 422, "/when"),
    ({"title": "Both", "when": "Feb 17, 2025", "end": "2025-02-18"}, 422, "/end"),
    ({"title": "Vague", "when": "some day soon"}, 422, "/when"),
    ({"title": "Vague", "when": "Feb 30, 2025"}, 422, "/when"),
    ({"title": "Ref", "when": "2月17日", "reference": "2025-02-30"}, 422, "/reference"),
    (event(reference="2025-02-17"), 422, "/reference"),
    # Tags and organizations.
    (event(tags="x"), 422, "/tags"),
    (event(tags=[1]), 422, "/tags/0"),
    (event(tags=["ok", None]), 422, "/tags/1"),
    (event(tags=[f"tag {n}" for n in range(1000)]), 422, "/tags"),
    (event(tags=[f"tag {n}" for n in range(51)]), 422, "/tags"),
    (event(tags=[""]), 422, "/tags/0"),
    (event(tags=["!!!"]), 422, "/tags/0"),
    (event(tags=["x" * 101]), 422, "/tags/0"),
    (event(tags=["AI policy", "ai-policy"]), 422, "/tags/1"),
    (event(tags={"a": 1}), 422, "/tags"),
    (event(organizations="OpenAI"), 422, "/organizations"),
    (event(organizations=[["nested"]]), 422, "/organizations/0"),
    # URLs.
    (event(url="javascript:alert(1)"), 422, "/url"),
    (event(url="data:text/html,<script>alert(1)</script>"), 422, "/url"),
    (event(url="/events/relative"), 422, "/url"),
    (event(url="ftp://example.org/file"), 422, "/url"),
    (event(url="https://"), 422, "/url"),
    (event(url="https://exa mple.org/"), 422, "/url"),
    (event(url="https://example.org:99999/"), 422, "/url"),
    (event(url="https://example.org/" + "x" * 2000), 422, "/url"),
    # Source and id.
    (event(source="a newspaper"), 422, "/source"),
    (event(source={"published": "2025-13"}), 422, "/source/published"),
    (event(source={"published": "2025-02-17T10:00:00Z"}), 422, "/source/published"),
    (event(id="Has Spaces"), 422, "/id"),
    (event(id="-leading-dash"), 422, "/id"),
    (event(id="x" * 101), 422, "/id"),
    # A duplicate client id with different content.
    (EXISTING | {"title": "Other content"}, 409, "/id"),
]


@pytest.fixture
def seeded_api(api: ApiClient) -> ApiClient:
    """The API on a store holding the event EXISTING."""
    api.created(EXISTING)
    return api


def _send(api: ApiClient, payload: Any) -> Any:
    if isinstance(payload, Raw):
        return api.client.post(
            "/api/events",
            data=payload.body,
            headers=api.headers | {"Content-Type": payload.content_type},
        )
    return api.post(payload)


@pytest.mark.parametrize(("payload", "status", "pointer"), BAD_INPUTS)
def test_bad_input_is_refused_and_changes_nothing(
    seeded_api: ApiClient, payload: Any, status: int, pointer: str | None
) -> None:
    before = seeded_api.counts()
    response = _send(seeded_api, payload)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == PROBLEM
    problem = response.get_json()
    assert problem["status"] == status
    assert problem["type"] == "about:blank"
    assert problem["title"] and problem["detail"]
    if pointer is not None:
        assert pointer in [error.get("pointer") for error in problem["errors"]]
    assert seeded_api.counts() == before
    feeds = seeded_api.feeds()
    assert [str(e["SUMMARY"]) for e in feeds.calendar.walk("VEVENT")] == ["Existing event"]
    assert [entry.title for entry in feeds.rss.entries] == ["Existing event"]
    assert [entry.title for entry in feeds.atom.entries] == ["Existing event"]
    assert [item["title"] for item in feeds.json["items"]] == ["Existing event"]


def test_every_error_is_listed_at_once(api: ApiClient) -> None:
    body = {
        "title": "",
        "start": "2025-02-30",
        "timezone": "Nowhere/City",
        "url": "javascript:alert(1)",
        "tags": [1, "ok", "\u0000"],
    }
    problem = api.post(body).get_json()
    pointers = [error["pointer"] for error in problem["errors"]]
    assert pointers == ["/title", "/start", "/timezone", "/url", "/tags/0", "/tags/2"]


def test_unknown_fields_are_named_along_with_other_errors(api: ApiClient) -> None:
    response = api.post({"title": "", "start": "2025-02-17", "colour": "red", "size": 3})
    assert response.status_code == 400
    pointers = [error["pointer"] for error in response.get_json()["errors"]]
    assert sorted(pointers) == ["/colour", "/size", "/title"]


def test_unreadable_when_says_what_is_read_and_suggests_start(api: ApiClient) -> None:
    response = api.post({"title": "x", "when": "someday"})
    assert response.status_code == 422
    detail = (
        "cannot read a date in 'someday': not a date form this module can read; it reads dates "
        "(2025-02-17, Feb 17 2025, 17 February, 2月17日, 二〇二五年三月三日), ranges (Feb 9-10, "
        "2月9日至10日), months and years (March 2025, 去年12月, Q1 2025, 2025年上半年), relative "
        "days and weeks (yesterday, 昨天, last Tuesday, 上周二, next week), parts (early March, "
        "2月中旬, 年底) and offsets (3 days ago, 三个月前); or give the date as start (YYYY-MM-DD)"
    )
    assert response.get_json()["errors"] == [{"pointer": "/when", "detail": detail}]


def test_ambiguous_when_is_refused_with_both_readings(api: ApiClient) -> None:
    response = api.post({"title": "x", "when": "3/4/2025"})
    assert response.status_code == 422
    detail = (
        "cannot read a date in '3/4/2025': 3/4/2025 is ambiguous: 2025-04-03 (day first) or "
        "2025-03-04 (month first); write it as YYYY-MM-DD; or give the date as start (YYYY-MM-DD)"
    )
    assert response.get_json()["errors"] == [{"pointer": "/when", "detail": detail}]


def test_body_over_the_limit_read_without_content_length_is_413(app: Flask, token: str) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1024
    client: FlaskClient = app.test_client()
    body = b'{"title": "' + b"x" * 4096 + b'", "start": "2025-02-17"}'
    import io

    response = client.post(
        "/api/events",
        input_stream=io.BytesIO(body),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413
    assert response.headers["Content-Type"] == PROBLEM
    assert "1024 bytes" in response.get_json()["detail"]


def test_lone_surrogate_in_an_unknown_field_name_still_answers(api: ApiClient) -> None:
    response = api.client.post(
        "/api/events",
        data=b'{"title": "Ok", "start": "2025-02-17", "\\ud800": 1}',
        headers=api.headers | {"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["pointer"] == "/\\ud800"


def test_b08_overlap_is_accepted_as_the_first_occurrence(api: ApiClient) -> None:
    late = api.created(
        {
            "title": "Late train",
            "start": "2025-10-26T02:30:00",
            "end": "2025-10-26T03:30:00",
            "timezone": "Europe/Berlin",
        }
    )
    assert late["start"] == "2025-10-26T02:30:00+02:00"
    assert late["end"] == "2025-10-26T03:30:00+01:00"
    ics = api.feeds().ics.decode()
    assert "DTSTART;TZID=Europe/Berlin:20251026T023000\r\n" in ics
    assert "DTEND;TZID=Europe/Berlin:20251026T033000\r\n" in ics
    (vevent,) = api.feeds().calendar.walk("VEVENT")
    assert vevent.decoded("DTSTART").isoformat() == "2025-10-26T02:30:00+02:00"
    # The second occurrence is reachable by its offset.
    second = api.created(
        {"title": "Later train", "start": "2025-10-26T02:30:00+01:00", "timezone": "Europe/Berlin"}
    )
    assert second["start"] == "2025-10-26T02:30:00+01:00"


@pytest.mark.parametrize(
    ("payload", "pointer"),
    [
        ({"title": "Far", "start": "9999-06-01T10:00:00", "timezone": "Europe/Paris"}, "/start"),
        ({"title": "Early", "start": "0001-01-01T10:00:00", "timezone": "Asia/Tokyo"}, "/start"),
        ({"title": "Edge", "start": "9999-12-31T20:00:00-12:00"}, "/start"),
        ({"title": "Edge", "start": "0001-01-01T00:30:00+01:00"}, "/start"),
        ({"title": "LMT", "start": "1850-06-01T10:00:00", "timezone": "Asia/Tokyo"}, "/start"),
        ({"title": "Here", "start": "2025-06-01T10:00:00", "timezone": "localtime"}, "/timezone"),
        ({"title": "Here", "start": "2025-06-01T10:00:00", "timezone": "Factory"}, "/timezone"),
    ],
)
def test_date_times_outside_what_every_output_can_write_are_422(
    api: ApiClient, payload: dict[str, Any], pointer: str
) -> None:
    """Timed events from 1900 to 2199 in real zones: before, offsets have seconds (local
    mean time) and RSS has no dates; after, the page's axis could not draw them."""
    before = api.counts()
    response = api.post(payload)
    assert response.status_code == 422
    assert pointer in [e["pointer"] for e in response.get_json()["errors"]]
    assert api.counts() == before
    api.feeds()


@pytest.mark.parametrize(
    "query",
    ["to=9999-12-31", "from=0001-01-01", "from=0001-01-01&to=9999-12-31"],
)
def test_the_widest_date_filters_work(api: ApiClient, query: str) -> None:
    api.created({"title": "A year", "start": "2025"})
    for path in ("/calendar.ics", "/feed.rss", "/feed.atom", "/feed.json", "/", "/api/events"):
        assert api.client.get(f"{path}?{query}").status_code == 200, path


def test_a_cursor_with_a_lone_surrogate_is_400(api: ApiClient) -> None:
    import base64

    raw = b'["2025-02-10T00:00:00+00:00", "\\ud800"]'
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    response = api.client.get(f"/api/events?cursor={cursor}")
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["parameter"] == "cursor"


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 50_000,  # a RecursionError in json.loads, once a 500
        b"[" * 700,
        b'{"2025-02-10T00:00:00+00:00": 1, "x": 2}',
        b'["2025-02-10T00:00:00+00:00", 5]',
        b'["2025-02-10T00:00:00", "x"]',
        b"\xff\xfe",
        b'["0001-01-01T00:00:00+14:00", "x"]',  # before year 1 in UTC: an OverflowError
        b'["9999-12-31T23:00:00-14:00", "x"]',
    ],
    ids=[
        "50000-brackets",
        "700-brackets",
        "an-object",
        "a-number-id",
        "no-offset",
        "not-utf8",
        "before-year-1",
        "after-9999",
    ],
)
def test_a_cursor_is_400_whatever_it_holds(api: ApiClient, raw: bytes) -> None:
    import base64

    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    response = api.client.get(f"/api/events?cursor={cursor}")
    assert response.status_code == 400
    problem = response.get_json()
    assert problem["errors"] == [
        {
            "parameter": "cursor",
            "detail": "cursor is not one this API handed out; start again without it",
        }
    ]
    assert len(response.data) < 1000


def test_a_compressed_body_is_415(api: ApiClient) -> None:
    import gzip as gz

    body = gz.compress(b'{"title": "Zipped", "start": "2025-01-01"}')
    headers = api.headers | {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    response = api.client.post("/api/events", data=body, headers=headers)
    assert response.status_code == 415
    assert response.headers["Accept-Encoding"] == "identity"


def test_a_huge_unknown_id_is_not_echoed_whole(api: ApiClient) -> None:
    response = api.client.get("/api/events/" + "x" * 100_000)
    assert response.status_code == 404
    assert len(response.get_json()["detail"]) < 200


def test_errors_speak_of_the_input_not_of_the_implementation(api: ApiClient) -> None:
    bad_id = api.post(event(id="Bad ID"))
    assert bad_id.status_code == 422
    assert bad_id.get_json()["errors"] == [
        {
            "pointer": "/id",
            "detail": "must be 1 to 100 lowercase ASCII letters, digits or '-', "
            "starting with a letter or digit",
        }
    ]
    huge = b'{"title": "Big", "start": "2025-01-01", "n": ' + b"9" * 5000 + b"}"
    response = api.client.post(
        "/api/events", data=huge, headers=api.headers | {"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.get_json()["detail"] == "Malformed JSON: an integer has more than 100 digits."
    assert api.counts() == (0, 0)
