"""The page under load, on a real ``timeline serve`` (loopback only, bounded in count and
time): a burst of ``GET /`` on a store of 10,000 events leaves ``/healthz`` answering."""

from __future__ import annotations

import datetime as dt
import http.client
import threading
from collections.abc import Iterator

import pytest

from tests.conftest import AppFactory
from tests.live import LiveServer, live_server
from timeline.http import db
from timeline.store import bulk
from timeline.store.engine import begin_write
from timeline.store.values import EventData

EVENTS = 10_000
BURST = 16
#: /healthz must answer within this while the burst is served: before the page was a
#: window it took 48.5 s. The 100 ms figure of issue 17 is measured in the benchmark
#: (bench/page.py), not asserted here, where the machine's load decides it.
HEALTHZ_TIMEOUT_S = 10
#: A page of PAGE_MAX_EVENTS (50) events is far below this; all 10,000 made 6 MB.
PAGE_MAX_BYTES = 500_000


def many_events(count: int) -> list[EventData]:
    """``count`` one-day events spread over 2015-2025, a few on each day, two tags each."""
    first = dt.date(2015, 1, 1)
    return [
        EventData(
            id=f"event-{n:06d}",
            title=f"Event {n} of the load test",
            start=first + dt.timedelta(days=n * 4018 // count),
            end=first + dt.timedelta(days=n * 4018 // count + 1),
            all_day=True,
            description=f"Description {n}",
            tags=("load", f"group-{n % 7}"),
        )
        for n in range(count)
    ]


@pytest.fixture
def server(make_app: AppFactory, database_url: str) -> Iterator[LiveServer]:
    app = make_app()
    with app.app_context():
        session = db.get_session()
        begin_write(session)
        bulk.add_events(session, many_events(EVENTS), author="load")
        session.commit()
    db.close_app(app)
    with live_server(database_url, env={"TIMELINE_SEED_ON_START": "false"}) as running:
        yield running


def test_a_burst_of_pages_leaves_healthz_answering(server: LiveServer) -> None:
    # 16 parallel GET / on 10,000 events made /healthz take 48.5 s: each rendered every
    # event. The page is now a window of PAGE_MAX_EVENTS, rendered once for the burst.
    host, port = server.url.removeprefix("http://").split(":")
    sent = threading.Barrier(BURST + 1, timeout=60)
    answers: list[tuple[int, str, int]] = []

    def get_page() -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        try:
            connection.request("GET", "/", headers={"Accept": "text/html"})
            sent.wait()
            response = connection.getresponse()
            answers.append(
                (response.status, response.getheader("ETag") or "", len(response.read()))
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=get_page) for _ in range(BURST)]
    for thread in threads:
        thread.start()
    sent.wait()  # every GET / is on its way
    health = http.client.HTTPConnection(host, int(port), timeout=HEALTHZ_TIMEOUT_S)
    health.request("GET", "/healthz")
    response = health.getresponse()
    body = response.read()
    health.close()
    for thread in threads:
        thread.join(timeout=120)
    assert (response.status, body) == (200, b"ok\n")
    assert len(answers) == BURST
    assert {status for status, _etag, _size in answers} == {200}
    assert len({etag for _status, etag, _size in answers}) == 1
    assert max(size for _status, _etag, size in answers) < PAGE_MAX_BYTES
