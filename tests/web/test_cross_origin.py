"""Feeds for the web: every public read-only document may be read by a page on any host
(Access-Control-Allow-Origin: *), writes say nothing, and the cache-buster ``_`` is
ignored, sharing the document's cache and ETag."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import ApiClient

EVENT = {"id": "fair", "title": "Trade fair", "start": "2025-03-04", "tags": ["expo"]}
READS = [
    "/calendar.ics",
    "/calendar-google.ics",
    "/events/fair.ics",
    "/feed.rss",
    "/feed.atom",
    "/feed.json",
    "/timeline.json",
    "/api/events",
    "/api/events/fair",
    "/api/events/fair/revisions",
    "/api/openapi.json",
]


@pytest.mark.parametrize("path", READS)
def test_every_public_read_allows_any_origin(api: ApiClient, path: str) -> None:
    api.created(EVENT)
    for method in ("GET", "HEAD"):
        response = api.client.open(path, method=method)
        assert response.status_code == 200, (method, path)
        assert response.headers["Access-Control-Allow-Origin"] == "*", (method, path)
    # The answer of the fast path (a repeated poll) and a 304 say it too.
    again = api.client.get(path)
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    etag = again.headers.get("ETag")
    if etag:
        cached = api.client.get(path, headers={"If-None-Match": etag})
        assert cached.status_code == 304
        assert cached.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "path", ["/feed.rss?lang=fr", "/calendar.ics?from=x", "/api/events?limit=0", "/api/events/no"]
)
def test_errors_of_public_reads_are_readable_too(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (400, 404)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_writes_and_pages_do_not_allow_other_origins(api: ApiClient) -> None:
    created = api.post(EVENT)
    assert created.status_code == 201
    patched = api.patch("fair", {"title": "Trade fair 2025"})
    extract = api.client.post(
        "/api/extract", json={"text": "2025年2月6日，发布。"}, headers=api.headers
    )
    unauthorized = api.client.post("/api/events", json=EVENT)
    deleted = api.delete("fair")
    page = api.client.get("/")
    for response in (created, patched, extract, unauthorized, deleted, page):
        assert "Access-Control-Allow-Origin" not in response.headers, response.status


@pytest.mark.parametrize(
    "path", ["/feed.rss", "/feed.atom", "/feed.json", "/calendar.ics", "/timeline.json"]
)
def test_the_cache_buster_is_ignored_and_shares_the_cache(api: ApiClient, path: str) -> None:
    api.created(EVENT)
    plain = api.client.get(f"{path}?tag=expo")
    busted = api.client.get(f"{path}?_=1700000000000&tag=expo")
    assert busted.status_code == 200, busted.get_data(as_text=True)
    assert busted.data == plain.data
    assert busted.headers["ETag"] == plain.headers["ETag"]
    # Another value, answered by the fast path: a 304 for the ETag already held.
    again = api.client.get(
        f"{path}?tag=expo&_=1700000000001", headers={"If-None-Match": plain.headers["ETag"]}
    )
    assert again.status_code == 304
    assert api.client.get(f"{path}?tag=expo&foo=1").status_code == 400


def test_the_cache_buster_on_one_event_and_the_api(app: Flask, api: ApiClient) -> None:
    api.created(EVENT)
    one = api.client.get("/events/fair.ics")
    busted = api.client.get("/events/fair.ics?_=1")
    assert (busted.status_code, busted.data, busted.headers["ETag"]) == (
        200,
        one.data,
        one.headers["ETag"],
    )
    listing = api.client.get("/api/events?_=1&limit=1")
    assert listing.status_code == 200
    assert [e["id"] for e in listing.get_json()["events"]] == ["fair"]
    assert (
        api.client.get("/calendar-google.ics?_=5").data
        == api.client.get("/calendar-google.ics").data
    )
