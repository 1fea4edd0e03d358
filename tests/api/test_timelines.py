"""Many timelines: made and managed through the API by admin tokens only, events in one
or several, each timeline's documents holding exactly its events, and tokens scoped."""

from __future__ import annotations

from typing import Any

import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import ApiClient, create_token

FED: dict[str, Any] = {
    "slug": "fed",
    "texts": {
        "en": {"title": "Fed decisions", "description": "Rate decisions of the FOMC."},
        "zh": {"title": "美联储决议", "description": ""},
    },
    "language": "en",
    "timezone": "America/New_York",
}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def admin(app: Flask) -> dict[str, str]:
    """The Authorization header of an admin token."""
    return _bearer(create_token(app, "root", admin=True))


@pytest.fixture
def fed(client: FlaskClient, admin: dict[str, str]) -> dict[str, Any]:
    """The timeline ``fed``, made by the admin token."""
    response = client.post("/api/timelines", json=FED, headers=admin)
    assert response.status_code == 201, response.get_json()
    assert response.headers["Location"] == "/api/timelines/fed"
    body: dict[str, Any] = response.get_json()
    return body


def _uids(client: FlaskClient, path: str) -> list[str]:
    """The ids in the UIDs of the calendar at ``path`` (each ``<id>@<ID_DOMAIN>``)."""
    response = client.get(path)
    assert response.status_code == 200, path
    calendar = icalendar.Calendar.from_ical(response.data)
    uids = [str(v["UID"]) for v in calendar.walk("VEVENT")]
    assert all(uid.endswith("@timeline.example.org") for uid in uids)
    return sorted(uid.split("@")[0] for uid in uids)


def _post(client: FlaskClient, path: str, headers: dict[str, str], **body: Any) -> str:
    response = client.post(path, json={"start": "2025-03-19", **body}, headers=headers)
    assert response.status_code == 201, response.get_json()
    event_id: str = response.get_json()["id"]
    return event_id


def test_a_timeline_is_made_listed_changed_and_deleted(
    client: FlaskClient, admin: dict[str, str], fed: dict[str, Any]
) -> None:
    assert fed == {
        "slug": "fed",
        "language": "en",
        "timezone": "America/New_York",
        "default": False,
        "texts": {
            "en": {"title": "Fed decisions", "description": "Rate decisions of the FOMC."},
            "zh": {"title": "美联储决议", "description": ""},
        },
        "page": "https://example.org/t/fed/",
        "calendar": "https://example.org/t/fed/calendar.ics",
    }
    listed = client.get("/api/timelines").get_json()["timelines"]
    assert [t["slug"] for t in listed] == ["main", "fed"]
    assert listed[0]["default"] is True
    patched = client.patch(
        "/api/timelines/fed", json={"slug": "fomc", "timezone": None}, headers=admin
    )
    assert patched.status_code == 200, patched.get_json()
    assert (patched.get_json()["slug"], patched.get_json()["timezone"]) == ("fomc", None)
    assert client.get("/api/timelines/fed").status_code == 404
    assert client.get("/t/fomc/feed.json").get_json()["title"] == "Fed decisions"
    assert client.delete("/api/timelines/fomc", headers=admin).status_code == 204
    assert client.get("/t/fomc/feed.json").status_code == 404
    gone = client.delete("/api/timelines/main", headers=admin)
    assert gone.status_code == 409
    assert gone.headers["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("body", "status", "pointers"),
    [
        ({"slug": "Fed Rates"}, 422, ["/slug"]),
        ({"slug": "fed", "colour": "red"}, 400, ["/colour"]),
        ({"slug": "fed", "language": "english please"}, 422, ["/language"]),
        ({"slug": "fed", "timezone": "Mars/Base"}, 422, ["/timezone"]),
        ({"slug": "fed", "texts": {"en": {"title": ""}}}, 422, ["/texts/en/title"]),
        ({"slug": "fed", "texts": {"not a tag": {"title": "x"}}}, 422, ["/texts/not a tag"]),
        ({"texts": {}}, 422, ["/slug"]),
        ([], 422, [""]),
    ],
)
def test_bad_timelines_are_refused_naming_the_field(
    client: FlaskClient, admin: dict[str, str], body: Any, status: int, pointers: list[str]
) -> None:
    response = client.post("/api/timelines", json=body, headers=admin)
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/problem+json"
    assert [e["pointer"] for e in response.get_json()["errors"]] == pointers
    assert [t["slug"] for t in client.get("/api/timelines").get_json()["timelines"]] == ["main"]


def test_a_taken_slug_is_a_conflict(
    client: FlaskClient, admin: dict[str, str], fed: dict[str, Any]
) -> None:
    again = client.post("/api/timelines", json={"slug": "fed"}, headers=admin)
    assert again.status_code == 409
    renamed = client.patch("/api/timelines/fed", json={"slug": "main"}, headers=admin)
    assert renamed.status_code == 409
    assert client.get("/api/timelines/fed").get_json()["slug"] == "fed"


def test_each_timeline_serves_exactly_its_events(
    client: FlaskClient, admin: dict[str, str], fed: dict[str, Any]
) -> None:
    only_main = _post(client, "/api/events", admin, id="gpt-5", title="GPT-5")
    only_fed = _post(client, "/api/timelines/fed/events", admin, id="march", title="FOMC")
    shared = _post(client, "/api/events", admin, id="tariffs", title="Tariffs")
    added = client.put(f"/api/timelines/fed/events/{shared}", headers=admin)
    assert added.status_code == 201
    assert client.put(f"/api/timelines/fed/events/{shared}", headers=admin).status_code == 204
    assert _uids(client, "/calendar.ics") == sorted([only_main, shared])
    assert _uids(client, "/t/fed/calendar.ics") == sorted([only_fed, shared])
    assert _uids(client, "/t/main/calendar.ics") == _uids(client, "/calendar.ics")
    assert _uids(client, "/t/fed/calendar-google.ics") == _uids(client, "/t/fed/calendar.ics")
    fed_json = client.get("/t/fed/feed.json").get_json()
    assert fed_json["title"] == "Fed decisions"
    assert fed_json["home_page_url"] == "https://example.org/t/fed/"
    assert sorted(i["id"].rsplit(":", 1)[-1] for i in fed_json["items"]) == sorted(
        [only_fed, shared]
    )
    assert client.get("/t/fed/feed.json?lang=zh").get_json()["title"] == "美联储决议"
    listed = client.get("/api/timelines/fed/events").get_json()["events"]
    assert sorted(e["id"] for e in listed) == sorted([only_fed, shared])
    assert sorted(e["id"] for e in client.get("/api/events").get_json()["events"]) == sorted(
        [only_main, shared]
    )
    timelinejs = client.get("/t/fed/timeline.json").get_json()
    assert len(timelinejs["events"]) == 2
    # An event's own documents answer under the timelines that hold it only.
    assert client.get(f"/t/fed/events/{only_fed}").status_code == 200
    assert client.get(f"/t/fed/events/{only_main}.ics").status_code == 404
    page = client.get("/t/fed/").get_data(as_text=True)
    assert '<h1><a href="/t/fed/">Fed decisions</a></h1>' in page
    assert 'href="https://example.org/t/fed/feed.rss"' in page
    root = client.get("/").get_data(as_text=True)
    assert '<a class="timeline" href="/t/fed/">Fed decisions</a>' in root
    # Taken out of fed, the shared event stays in main, and leaves fed's calendar (kept
    # in memory and patched).
    assert client.delete(f"/api/timelines/fed/events/{shared}", headers=admin).status_code == 204
    assert _uids(client, "/t/fed/calendar.ics") == [only_fed]
    assert shared in _uids(client, "/calendar.ics")
    again = client.delete(f"/api/timelines/fed/events/{shared}", headers=admin)
    assert again.status_code == 404


def test_a_scoped_token_gets_403_elsewhere_and_changes_nothing(
    app: Flask, client: FlaskClient, admin: dict[str, str], fed: dict[str, Any]
) -> None:
    writer = _bearer(create_token(app, "main-writer", timelines=["main"]))
    shared = _post(client, "/api/events", admin, id="tariffs", title="Tariffs")
    assert client.put(f"/api/timelines/fed/events/{shared}", headers=admin).status_code == 201
    before = client.get("/t/fed/feed.json").data
    refused = [
        client.post(
            "/api/timelines/fed/events", json={"title": "x", "start": "2025-01-01"}, headers=writer
        ),
        client.patch(f"/api/events/{shared}", json={"title": "Changed"}, headers=writer),
        client.delete(f"/api/events/{shared}", headers=writer),
        client.put("/api/timelines/fed/events/tariffs", headers=writer),
        client.delete("/api/timelines/fed/events/tariffs", headers=writer),
        client.post("/api/timelines", json={"slug": "mine"}, headers=writer),
        client.patch("/api/timelines/main", json={"slug": "mine"}, headers=writer),
        client.delete("/api/timelines/fed", headers=writer),
    ]
    bad_bodies = [
        client.post("/api/timelines/fed/events", json=body, headers=writer)
        for body in ({"title": "x"}, {"start": "2025-01-01"}, ["not", "an", "object"])
    ]
    for response in refused + bad_bodies:
        assert response.status_code == 403, response.request.path
        assert response.headers["Content-Type"] == "application/problem+json"
    assert client.get("/t/fed/feed.json").data == before
    assert client.get(f"/api/events/{shared}").get_json()["title"] == "Tariffs"
    assert [t["slug"] for t in client.get("/api/timelines").get_json()["timelines"]] == [
        "main",
        "fed",
    ]
    # Its own timeline it writes.
    assert _post(client, "/api/events", writer, id="own", title="Own") == "own"


def test_a_write_to_one_timeline_leaves_the_other_ones_etag_and_304(
    api: ApiClient, admin: dict[str, str], fed: dict[str, Any]
) -> None:
    client = api.client
    _post(client, "/api/timelines/fed/events", admin, id="march", title="FOMC")
    paths = ("/t/fed/feed.rss", "/t/fed/calendar.ics", "/t/fed/timeline.json", "/t/fed/?lang=en")
    etags = {path: client.get(path).headers["ETag"] for path in paths}
    main_etag = client.get("/feed.rss").headers["ETag"]
    api.created({"title": "GPT-5", "start": "2025-08-07"})
    assert client.get("/feed.rss").headers["ETag"] != main_etag
    for path, etag in etags.items():
        again = client.get(path, headers={"If-None-Match": etag})
        assert (again.status_code, again.headers["ETag"]) == (304, etag), path
    api.created({"title": "Tariffs", "start": "2025-04-02"})
    fed_rss = client.get("/t/fed/feed.rss", headers={"If-None-Match": etags["/t/fed/feed.rss"]})
    assert fed_rss.status_code == 304
    # A write to fed moves fed's ETag.
    _post(client, "/api/timelines/fed/events", admin, id="may", title="FOMC, May")
    moved = client.get("/t/fed/feed.rss", headers={"If-None-Match": etags["/t/fed/feed.rss"]})
    assert moved.status_code == 200
    assert b"FOMC, May" in moved.data


def test_an_unknown_timeline_is_a_404_problem(client: FlaskClient) -> None:
    for path in ("/t/nope/feed.rss", "/t/nope/calendar.ics", "/api/timelines/nope/events"):
        response = client.get(path, headers={"Accept": "application/json"})
        assert response.status_code == 404, path
    assert "nope" in client.get("/api/timelines/nope").get_json()["detail"]


def test_the_pages_list_a_timeline_made_or_renamed_after_they_were_cached(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    before = client.get("/?lang=en")
    assert 'class="timelines"' not in before.get_data(as_text=True)
    assert client.post("/api/timelines", json=FED, headers=admin).status_code == 201
    again = client.get("/?lang=en", headers={"If-None-Match": before.headers["ETag"]})
    assert again.status_code == 200
    assert '<a class="timeline" href="/t/fed/">Fed decisions</a>' in again.get_data(as_text=True)
    texts = {"en": {"title": "The FOMC"}}
    assert (
        client.patch("/api/timelines/fed", json={"texts": texts}, headers=admin).status_code == 200
    )
    renamed = client.get("/?lang=en").get_data(as_text=True)
    assert '<a class="timeline" href="/t/fed/">The FOMC</a>' in renamed
    assert client.delete("/api/timelines/fed", headers=admin).status_code == 204
    assert 'class="timelines"' not in client.get("/?lang=en").get_data(as_text=True)


def test_a_timelines_listing_from_a_day_finds_its_series_begun_before_it(
    client: FlaskClient, admin: dict[str, str], fed: dict[str, Any]
) -> None:
    """The timeline's listing with ``from`` holds its own series begun before it (its
    occurrences on the days), not the other timeline's."""
    rule = {"start": "2024-12-18", "rrule": "FREQ=MONTHLY;COUNT=4"}
    _post(client, "/api/timelines/fed/events", admin, id="fomc-series", title="FOMC", **rule)
    _post(client, "/api/events", admin, id="main-series", title="Other", **rule)
    _post(client, "/api/timelines/fed/events", admin, id="fed-once", title="Minutes")
    url = "/api/timelines/fed/events?from=2025-02-01&to=2025-03-31&limit=1"
    first = client.get(url).get_json()
    assert [(e["id"], e["occurrences"]) for e in first["events"]] == [("fed-once", None)]
    second = client.get(first["next"]).get_json()
    assert [(e["id"], e["occurrences"]) for e in second["events"]] == [
        ("fomc-series", ["2025-02-18", "2025-03-18"])
    ]
    assert second["next"] is None


def test_an_idempotency_key_is_each_tokens_own_in_each_timeline(
    app: Flask, client: FlaskClient, admin: dict[str, str], fed: dict[str, Any]
) -> None:
    """A key names one token's request to one timeline (draft-ietf-httpapi-idempotency-
    key-header §2: keys are unique per client): the same key from another token, or to
    another timeline, is another request, never an answer with what it did not make."""
    writer = _bearer(create_token(app, "writer"))
    other = _bearer(create_token(app, "other", timelines=["fed"]))
    body = {"title": "Keyed", "start": "2025-12-10"}

    def post(path: str, headers: dict[str, str]) -> tuple[int, str]:
        keyed = headers | {"Idempotency-Key": "shared-K"}
        response = client.post(path, json=body, headers=keyed)
        return response.status_code, response.get_json()["id"]

    assert post("/api/events", writer) == (201, "2025-12-10-keyed")
    assert post("/api/timelines/fed/events", other) == (201, "2025-12-10-keyed-2")
    assert post("/api/timelines/fed/events", admin) == (201, "2025-12-10-keyed-3")
    assert post("/api/events", admin) == (201, "2025-12-10-keyed-4")
    # Each repeat gets its own first answer again, and nothing more is stored.
    assert post("/api/events", writer) == (200, "2025-12-10-keyed")
    assert post("/api/timelines/fed/events", other) == (200, "2025-12-10-keyed-2")
    assert post("/api/timelines/fed/events", admin) == (200, "2025-12-10-keyed-3")
    assert post("/api/events", admin) == (200, "2025-12-10-keyed-4")
    assert _uids(client, "/t/fed/calendar.ics") == ["2025-12-10-keyed-2", "2025-12-10-keyed-3"]
    assert _uids(client, "/calendar.ics") == ["2025-12-10-keyed", "2025-12-10-keyed-4"]
