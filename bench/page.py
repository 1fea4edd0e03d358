"""The timeline page beside the feed (issue 17): GET / and GET /feed.rss over 10,000 and
100,000 events, not cached, cached and 304, in one process; the worst case of the axis
(every event on one day); and a burst of 16 parallel GET / on ``timeline serve`` while
/healthz is asked."""

from __future__ import annotations

import datetime as dt
import http.client
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask

from bench.load import bulk_load
from bench.render import Rounds
from bench.servers import free_port, timeline_server
from bench.stores import Store, close_app, make_app, sqlite_store
from timeline.http import db
from timeline.store import bulk
from timeline.store.engine import begin_write
from timeline.store.queries import EventFilter, cursor_after, list_events
from timeline.store.values import EventData

#: The cases in one process: key, label.
CASES = (
    ("feed", "GET /feed.rss (50 items), not cached"),
    ("page", "GET / (the newest 50), not cached"),
    ("page-around", "GET /?around=<a day in the middle>, not cached"),
    ("page-deep", "GET /?before=<the middle event>, not cached"),
    ("page-tag", "GET /?tag=funding, not cached"),
    ("feed-cached", "GET /feed.rss again (fast path)"),
    ("page-cached", "GET / again (render cache, through Flask)"),
    ("page-lang-cached", "GET /?lang=en again (fast path)"),
    ("page-304", "GET / with If-None-Match (304)"),
)
BURST = 16


def _get(app: Flask, path: str, headers: dict[str, str] | None = None) -> Any:
    response = app.test_client().get(path, headers=headers or {})
    assert response.status_code in (200, 304), (path, response.status_code)
    return response


def _forget(app: Flask) -> None:
    """Empty the app's render cache: the next request renders (as after a write)."""
    app.extensions["timeline.render_cache"]._items.clear()


def _one_day(url: str, count: int) -> float:
    """Add ``count`` one-day events all on 17 February 2025; return the seconds taken."""
    app = make_app(url)
    began = time.perf_counter()
    day = dt.date(2025, 2, 17)
    with app.app_context():
        session = db.get_session()
        for at in range(0, count, 5000):
            begin_write(session)
            datas = [
                EventData(
                    id=f"same-day-{n:06d}",
                    title=f"Event {n}",
                    start=day,
                    end=day + dt.timedelta(days=1),
                    all_day=True,
                    tags=("funding",) if n % 3 == 0 else (),
                )
                for n in range(at, min(at + 5000, count))
            ]
            bulk.add_events(session, datas, author="bench")
            session.commit()
    close_app(app)
    return time.perf_counter() - began


def _positions(app: Flask) -> tuple[str, str]:
    """A day in the middle of the store and the position of its middle event."""
    with app.app_context():
        events = list_events(db.get_session(), EventFilter())
        middle = events[len(events) // 2]
        return middle.start.date().isoformat(), cursor_after(middle)


def _rounds(app: Flask, reps: int) -> dict[str, Any]:
    day, position = _positions(app)
    paths = {
        "feed": "/feed.rss",
        "page": "/",
        "page-around": f"/?around={day}",
        "page-deep": f"/?before={position}",
        "page-tag": "/?tag=funding",
    }
    rounds = Rounds()
    for path in paths.values():  # compile templates and queries, fill the fast path
        _get(app, path)
    _get(app, "/?lang=en")
    for _ in range(reps):
        for key, path in paths.items():
            _forget(app)
            rounds.add(key, lambda path=path: _get(app, path))
        _get(app, "/feed.rss")
        rounds.add("feed-cached", lambda: _get(app, "/feed.rss"))
        _get(app, "/")
        rounds.add("page-cached", lambda: _get(app, "/"))
        _get(app, "/?lang=en")
        rounds.add("page-lang-cached", lambda: _get(app, "/?lang=en"))
        etag = _get(app, "/").headers["ETag"]
        rounds.add("page-304", lambda etag=etag: _get(app, "/", {"If-None-Match": etag}))
    _forget(app)
    sizes = {key: len(_get(app, path).data) for key, path in paths.items()}
    return {"cases": rounds.summaries(), "bytes": sizes}


def _burst(port: int, paths: Callable[[int], str]) -> dict[str, float]:
    """16 parallel GET of ``paths(n)`` then /healthz; the milliseconds /healthz took, and
    until the first and the last page came."""
    sent = threading.Barrier(BURST + 1, timeout=120)
    done: list[float] = []

    def get(n: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.request("GET", paths(n), headers={"Accept": "text/html"})
        sent.wait()
        connection.getresponse().read()
        done.append(time.perf_counter())
        connection.close()

    threads = [threading.Thread(target=get, args=(n,)) for n in range(BURST)]
    for thread in threads:
        thread.start()
    sent.wait()
    began = time.perf_counter()
    health = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    health.request("GET", "/healthz")
    health.getresponse().read()
    healthz = time.perf_counter() - began
    health.close()
    for thread in threads:
        thread.join()
    return {
        "healthz_ms": healthz * 1000,
        "first_ms": (min(done) - began) * 1000,
        "last_ms": (max(done) - began) * 1000,
    }


def _bursts(url: str, day: str, reps: int) -> dict[str, Any]:
    """Bursts on a fresh ``timeline serve``: 16 of one page that none asked for before
    (rendered once), and 16 different pages (each rendered: cache-busting)."""
    port = free_port()
    found: dict[str, list[dict[str, float]]] = {"same": [], "different": []}
    first = dt.date.fromisoformat(day)
    with timeline_server(url, port):
        for r in range(reps):
            found["same"].append(_burst(port, lambda n, r=r: f"/?tag=funding&from=200{r}-01-01"))
            found["different"].append(
                _burst(port, lambda n, r=r: f"/?around={first + dt.timedelta(days=40 * r + n)}")
            )
    return {
        kind: {
            "healthz_ms": sorted(b["healthz_ms"] for b in runs),
            "last_ms": sorted(b["last_ms"] for b in runs),
        }
        for kind, runs in found.items()
    }


def run(sizes: list[int], reps: int = 5) -> dict[str, Any]:
    """Measure every case over stores of ``sizes`` synthetic events (and, at the largest,
    one where every event is on one day); return medians and the bursts' figures."""
    results: dict[str, Any] = {}
    stores: list[tuple[str, Store, Callable[[str], float]]] = [
        (str(size), sqlite_store(f"page-{size}"), lambda url, n=size: bulk_load(url, n))
        for size in sizes
    ]
    largest = max(sizes)
    stores.append(
        (f"{largest} on one day", sqlite_store("page-one-day"), lambda u: _one_day(u, largest))
    )
    for name, bench_store, load in stores:
        print(f"page: {name} events", flush=True)
        try:
            seconds = load(bench_store.url)
            app = make_app(bench_store.url)
            measured = _rounds(app, reps)
            day, _position = _positions(app)
            close_app(app)
            measured["load_seconds"] = seconds
            measured["bursts"] = _bursts(bench_store.url, day, reps)
            results[name] = measured
        finally:
            bench_store.drop()
    return results
