"""Faults: the database going away and coming back, a server killed mid-write."""

from __future__ import annotations

import http.client
import json
import signal
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from email.message import Message

import pytest
import sqlalchemy as sa
from flask import Response

from tests.conftest import AppFactory
from tests.live import create_token, live_server
from tests.proxy import Proxy
from timeline.http import db
from timeline.store.engine import make_engine


def _get(url: str) -> tuple[int, Message, bytes]:
    """GET ``url``: status, headers (case-insensitive) and body."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def postgres_url(database_url: str) -> Iterator[str]:
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL: set TIMELINE_TEST_DATABASE_URL (as .ci/run does)")
    yield database_url


def test_database_unreachable_gives_503_then_recovers(postgres_url: str) -> None:
    url = sa.make_url(postgres_url)
    proxy = Proxy((url.host or "127.0.0.1", url.port or 5432))
    through_proxy = url.set(host="127.0.0.1", port=proxy.port)
    try:
        with live_server(through_proxy.render_as_string(hide_password=False)) as server:
            assert _get(server.url + "/calendar.ics")[0] == 200
            proxy.cut()
            for path in ("/healthz", "/calendar.ics", "/feed.atom", "/"):
                status, headers, body = _get(server.url + path)
                assert status == 503, path
                assert headers["Retry-After"] == "5"
                assert headers["Content-Type"] == "application/problem+json"
                assert b"Traceback" not in body and b"psycopg" not in body
            proxy.restore()
            deadline = time.monotonic() + 20
            while _get(server.url + "/healthz")[0] != 200:
                assert time.monotonic() < deadline, "did not recover within 20 s"
                time.sleep(0.2)
            status, _headers, body = _get(server.url + "/calendar.ics")
            assert status == 200 and body.count(b"BEGIN:VEVENT") == 21
    finally:
        proxy.cut()


def _post(url: str, token: str, body: Mapping[str, object]) -> int:
    request = urllib.request.Request(
        url + "/api/events",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (urllib.error.URLError, ConnectionError, TimeoutError, http.client.HTTPException):
        return 0  # the server died under this request: not acknowledged


def test_sigkill_during_writes_loses_no_acknowledged_event(database_url: str) -> None:
    """Kill -9 the server in the middle of a write load: every event acknowledged with
    201 is in the store after a restart, and the database passes an integrity check."""
    acknowledged: list[str] = []
    statuses: list[int] = []
    lock = threading.Lock()
    with live_server(database_url, env={"TIMELINE_SEED_ON_START": "false"}) as server:
        token = create_token(database_url, "load")
        stop = threading.Event()

        def writer(worker: int) -> None:
            for n in range(10_000):
                if stop.is_set():
                    return
                event_id = f"load-{worker}-{n}"
                body = {"id": event_id, "title": f"Load {worker}/{n}", "start": "2025-03-01"}
                status = _post(server.url, token, body)
                with lock:
                    statuses.append(status)
                    if status == 201:
                        acknowledged.append(event_id)
                if status == 0:
                    return

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(8)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while len(acknowledged) < 100 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.process.send_signal(signal.SIGKILL)
        server.process.wait()
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert len(acknowledged) >= 100
    assert not [s for s in statuses if s >= 500], "no 5xx before the kill"

    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    finally:
        engine.dispose()
    with live_server(database_url, env={"TIMELINE_SEED_ON_START": "false"}) as server:
        stored = set()
        cursor_url: str | None = "/api/events?limit=200"
        while cursor_url:
            status, _headers, body = _get(server.url + cursor_url)
            assert status == 200
            page = json.loads(body)
            stored |= {e["id"] for e in page["events"]}
            cursor_url = page["next"] and page["next"].removeprefix(server.url)
        assert set(acknowledged) <= stored
        # Every stored event has its first revision (nothing half-written).
        for event_id in sorted(stored)[:20]:
            status, _headers, body = _get(f"{server.url}/api/events/{event_id}/revisions")
            assert status == 200 and json.loads(body)["revisions"][0]["action"] == "create"


def test_a_write_through_one_process_shows_in_the_other(database_url: str) -> None:
    """Two app processes on one store: each request checks the store's version, so the
    other process never serves its cached, stale output."""
    env = {"TIMELINE_SEED_ON_START": "false"}
    with live_server(database_url, env=env) as first, live_server(database_url, env=env) as second:
        token = create_token(database_url, "writer")
        for path in ("/calendar.ics", "/feed.atom", "/feed.rss", "/feed.json"):
            status, headers, body = _get(second.url + path)
            assert status == 200 and b"Written through the first" not in body
        body_before = _get(second.url + "/feed.atom")[2]
        etag_before = _get(second.url + "/feed.atom")[1]["ETag"]
        created = {"title": "Written through the first", "start": "2025-03-03"}
        assert _post(first.url, token, created) == 201
        for path in ("/calendar.ics", "/feed.atom", "/feed.rss", "/feed.json"):
            status, headers, body = _get(second.url + path)
            assert status == 200 and b"Written through the first" in body, path
        status, headers, body = _get(second.url + "/feed.atom")
        assert headers["ETag"] != etag_before and body != body_before


def test_a_connection_lost_as_a_request_ends_leaves_its_response_and_the_next(
    postgres_url: str, make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    # The backend is terminated after the listing read its page and before the request's
    # session rolls back: the ROLLBACK at the request's end fails (it was a 500 with a
    # traceback in the log).
    app = make_app()
    engine = db.get_engine(app)
    killed: list[int] = []

    @app.after_request
    def terminate(response: Response) -> Response:
        pid = db.get_session().execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        with engine.connect() as other:
            other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            gone = sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
            while other.execute(gone, {"pid": pid}).scalar_one():
                other.rollback()
                time.sleep(0.01)
        killed.append(pid)
        return response

    client = app.test_client()
    response = client.get("/api/events?limit=5")
    assert response.status_code == 200
    assert response.get_json() == {"events": [], "next": None}
    assert len(killed) == 1
    assert "the database connection was lost as a request ended" in caplog.text
    app.after_request_funcs[None].remove(terminate)
    assert client.get("/api/events?limit=5").status_code == 200
