"""Two ``timeline serve`` processes on one database, as behind a load balancer: each with
its own spool (its own disk), the same TIMELINE_BASE_URL and SECRET_KEY. A write through
one is in the other's next response, and both send the same bytes and ETag for the same
document, before the write and after it. On PostgreSQL (TIMELINE_TEST_DATABASE_URL) as
deployed; on a SQLite file shared by two processes of one machine otherwise."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import icalendar

from tests.live import LiveServer, create_token, live_server

BASE = "https://timeline.example.org"
DOCUMENTS = ("/calendar.ics", "/feed.rss", "/feed.atom", "/feed.json", "/api/events", "/")


def _get(server: LiveServer, path: str, etag: str | None = None) -> tuple[int, str, bytes]:
    headers = {"Accept-Encoding": "identity"} | ({"If-None-Match": etag} if etag else {})
    request = urllib.request.Request(server.url + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return int(response.status), response.headers["ETag"], response.read()
    except urllib.error.HTTPError as error:
        return int(error.code), error.headers["ETag"], error.read()


def _same(one: LiveServer, two: LiveServer) -> dict[str, tuple[str, bytes]]:
    """Assert that each document is the same bytes and ETag on both; return them."""
    found = {}
    for path in DOCUMENTS:
        first, second = _get(one, path), _get(two, path)
        assert first[0] == second[0] == 200, path
        assert first[1] == second[1], path
        assert first[2] == second[2], path
        found[path] = (first[1], first[2])
    return found


def _uids(calendar: bytes) -> set[str]:
    parsed = icalendar.Calendar.from_ical(calendar)
    return {str(component["UID"]) for component in parsed.walk("VEVENT")}


def test_two_servers_on_one_database(database_url: str, tmp_path: Path) -> None:
    token = create_token(database_url, "writer")
    common = {"TIMELINE_BASE_URL": BASE, "TIMELINE_SECRET_KEY": "s" * 48}
    one_env = common | {"TIMELINE_SPOOL_DIR": str(tmp_path / "one" / "spool")}
    two_env = common | {"TIMELINE_SPOOL_DIR": str(tmp_path / "two" / "spool")}
    with (
        live_server(database_url, env=one_env, base_url=False) as one,
        live_server(database_url, env=two_env, base_url=False) as two,
    ):
        before = _same(one, two)
        # Both warm now (their spools and caches hold the documents): a write through one
        assert _get(two, "/calendar.ics", before["/calendar.ics"][0])[0] == 304
        body = {"id": "two-nodes", "title": "Written through one", "start": "2025-04-02"}
        request = urllib.request.Request(
            one.url + "/api/events",
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 201
        # is in the other's next response, even to a conditional request,
        status, etag, calendar = _get(two, "/calendar.ics", before["/calendar.ics"][0])
        assert status == 200
        assert etag != before["/calendar.ics"][0]
        uid = next(u for u in _uids(calendar) if u.startswith("two-nodes"))
        assert uid not in _uids(before["/calendar.ics"][1])
        _, _, listed = _get(two, "/api/events/two-nodes")
        assert json.loads(listed)["title"] == "Written through one"
        # and both send the same documents again, each changed.
        after = _same(one, two)
        # (the API's list is sent without an ETag, Cache-Control: no-cache)
        assert [p for p in DOCUMENTS if after[p][0] == before[p][0]] == ["/api/events"]
        assert all(b"Written through one" in after[path][1] for path in DOCUMENTS)
    assert "Traceback" not in one.output + two.output
