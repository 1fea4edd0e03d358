"""Repeated polls answered in front of Flask: same answers, and never stale."""

from __future__ import annotations

import gzip

import pytest
from flask import Flask

from tests.conftest import delete_event


@pytest.fixture
def flask_calls(seeded_app: Flask) -> list[str]:
    """The paths of the requests that reached Flask."""
    calls: list[str] = []

    @seeded_app.before_request
    def count() -> None:
        from flask import request

        calls.append(request.full_path)

    return calls


@pytest.mark.parametrize(
    "path", ["/calendar.ics", "/feed.rss", "/feed.atom?tag=summit", "/feed.json"]
)
@pytest.mark.usefixtures("settled")
def test_a_repeat_poll_skips_flask_with_the_same_answer(
    seeded_app: Flask, flask_calls: list[str], path: str
) -> None:
    client = seeded_app.test_client()
    first = client.get(path)
    assert len(flask_calls) == 1
    again = client.get(path)
    assert len(flask_calls) == 1  # answered in front of Flask
    assert again.data == first.data
    for name in ("ETag", "Last-Modified", "Cache-Control", "Vary", "Content-Type"):
        assert again.headers[name] == first.headers[name]
    not_modified = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert not_modified.headers["ETag"] == first.headers["ETag"]
    since = client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    head = client.head(path)
    assert head.data == b"" and head.headers["Content-Length"] == str(len(first.data))
    assert len(flask_calls) == 1
    zipped = client.get(path, headers={"Accept-Encoding": "gzip"})  # first gzip: Flask
    assert len(flask_calls) == 2
    again_zipped = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert len(flask_calls) == 2
    assert again_zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(again_zipped.data) == first.data == gzip.decompress(zipped.data)
    assert (
        "Content-Encoding" not in client.get(path, headers={"Accept-Encoding": "gzip;q=0"}).headers
    )


def test_a_change_goes_back_to_flask(seeded_app: Flask, flask_calls: list[str]) -> None:
    client = seeded_app.test_client()
    first = client.get("/calendar.ics")
    delete_event(seeded_app, "2025-02-17-xai-grok-3")
    after = client.get("/calendar.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200 and len(flask_calls) == 2
    assert after.headers["ETag"] != first.headers["ETag"]
    assert b"STATUS:CANCELLED" not in first.data
    assert after.data.count(b"STATUS:CANCELLED") == 1  # the deleted event's tombstone


def test_posts_and_single_events_always_reach_flask(
    seeded_app: Flask, flask_calls: list[str]
) -> None:
    client = seeded_app.test_client()
    for _ in range(2):
        client.get("/events/2025-02-17-xai-grok-3.ics")
        client.post("/feed.rss")
    assert len(flask_calls) == 4


def test_each_content_coding_has_its_own_etag(seeded_app: Flask) -> None:
    """RFC 9110 §8.8.3.3: a strong ETag names one representation, gzip being another."""
    client = seeded_app.test_client()
    for _ in range(2):  # through Flask, then in front of it
        plain = client.get("/feed.rss")
        zipped = client.get("/feed.rss", headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["ETag"] == plain.headers["ETag"][:-1] + '-gzip"'
        gzip_tag = {"If-None-Match": zipped.headers["ETag"], "Accept-Encoding": "gzip"}
        assert client.get("/feed.rss", headers=gzip_tag).status_code == 304
        only_tag = {"If-None-Match": zipped.headers["ETag"]}
        assert client.get("/feed.rss", headers=only_tag).status_code == 200
