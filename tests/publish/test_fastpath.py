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


@pytest.mark.usefixtures("settled")
def test_a_write_to_one_timeline_keeps_the_other_timelines_polls_in_front_of_flask(
    seeded_app: Flask, flask_calls: list[str]
) -> None:
    """The fast path reads the version of the document's own timeline: a write to the
    default timeline leaves the polls of ``fed`` answered without Flask (304 and 200),
    and a write to ``fed`` sends its next poll to Flask, which renders it anew."""
    from tests.conftest import create_token

    admin = {"Authorization": "Bearer " + create_token(seeded_app, "root", admin=True)}
    client = seeded_app.test_client()
    assert client.post("/api/timelines", json={"slug": "fed"}, headers=admin).status_code == 201
    march = {"id": "march", "title": "FOMC", "start": "2025-03-19"}
    assert client.post("/api/timelines/fed/events", json=march, headers=admin).status_code == 201
    paths = ["/t/fed/feed.rss", "/t/fed/calendar.ics", "/t/fed/?lang=en", "/feed.rss"]
    first = {path: client.get(path) for path in paths}
    calls = len(flask_calls)
    other = {"title": "GPT-5", "start": "2025-08-07"}
    assert client.post("/api/events", json=other, headers=admin).status_code == 201
    calls += 1  # the POST
    for path in paths[:3]:
        etag = first[path].headers["ETag"]
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
        assert client.get(path).data == first[path].data
    assert len(flask_calls) == calls  # the three fed documents: in front of Flask
    assert client.get("/feed.rss").headers["ETag"] != first["/feed.rss"].headers["ETag"]
    assert len(flask_calls) == calls + 1  # the default timeline's: rendered anew
    may = {"id": "may", "title": "FOMC, May", "start": "2025-05-07"}
    assert client.post("/api/timelines/fed/events", json=may, headers=admin).status_code == 201
    fresh = client.get(
        "/t/fed/feed.rss", headers={"If-None-Match": first[paths[0]].headers["ETag"]}
    )
    assert fresh.status_code == 200 and b"FOMC, May" in fresh.data
    assert len(flask_calls) == calls + 3
