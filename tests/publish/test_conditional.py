"""Conditional requests that cannot hide a change: If-Modified-Since counts whole seconds,
so no Last-Modified is sent for a document changed within the current second."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import ApiClient

EVENT = {"id": "fair", "title": "Trade fair", "start": "2025-03-04"}
SECOND = dt.datetime(2026, 12, 6, 2, 26, 5, tzinfo=dt.UTC)
DOCUMENTS = ["/calendar.ics", "/feed.rss", "/feed.atom", "/feed.json", "/timeline.json"]


class Clock:
    """The time the store stamps changes with and the service compares with."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = SECOND
        for name in ("timeline.store.writes.utcnow", "timeline.publish.fastpath.utcnow"):
            monkeypatch.setattr(name, lambda: self.now, raising=False)

    def at(self, seconds: float) -> None:
        self.now = SECOND + dt.timedelta(seconds=seconds)


@pytest.mark.parametrize("path", DOCUMENTS)
def test_a_change_in_the_second_of_the_last_fetch_is_seen(
    api: ApiClient, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    """POST, fetch and DELETE within one second: the next If-Modified-Since poll gets the
    document without the deleted event, never a 304."""
    clock = Clock(monkeypatch)
    api.created(EVENT | {"id": "kept", "title": "Kept"})
    clock.at(0.1)
    api.created(EVENT)
    clock.at(0.3)
    first = api.client.get(path)
    assert b"fair" in first.data
    since = first.headers.get("Last-Modified")
    clock.at(0.8)
    assert api.delete("fair").status_code == 204
    clock.at(1.5)
    for _ in range(2):  # through Flask, then the fast path
        again = api.client.get(path, headers={"If-Modified-Since": since} if since else {})
        assert again.status_code == 200
        # The calendars keep a deleted event as a tombstone (STATUS:CANCELLED) a while.
        gone = b"STATUS:CANCELLED" in again.data if ".ics" in path else b"fair" not in again.data
        assert gone and b"Kept" in again.data


def test_if_modified_since_gets_304_once_the_second_is_over(
    api: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    api.created(EVENT)
    clock.at(0.5)
    same_second = api.client.get("/feed.rss")
    assert "Last-Modified" not in same_second.headers
    # ETag clients keep their 304s meanwhile.
    etag = same_second.headers["ETag"]
    assert api.client.get("/feed.rss", headers={"If-None-Match": etag}).status_code == 304
    clock.at(1.0)
    for _ in range(2):  # through Flask, then the fast path
        later = api.client.get("/feed.rss")
        assert later.headers["Last-Modified"] == "Sun, 06 Dec 2026 02:26:05 GMT"
        cached = api.client.get(
            "/feed.rss", headers={"If-Modified-Since": later.headers["Last-Modified"]}
        )
        assert cached.status_code == 304
        assert cached.headers["Last-Modified"] == later.headers["Last-Modified"]


def test_one_events_calendar_too(api: ApiClient, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(monkeypatch)
    api.created(EVENT)
    clock.at(0.2)
    first = api.client.get("/events/fair.ics")
    since = first.headers.get("Last-Modified")
    clock.at(0.7)
    assert api.patch("fair", {"title": "Spring fair"}).status_code == 200
    clock.at(3)
    conditional = {"If-Modified-Since": since} if since else {}
    again = api.client.get("/events/fair.ics", headers=conditional)
    assert again.status_code == 200 and b"Spring fair" in again.data
