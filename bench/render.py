"""Rendering side by side, in one process: the peers (django-ical, Django RSS) and this
project's calendar in its three states (nothing rendered, restart over stored parts, one
event changed), its feeds, and a breakdown of where a calendar request spends its time."""

from __future__ import annotations

import dataclasses
import gc
import gzip
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask

import feeds
from bench import peers
from bench.load import bulk_load, load_events
from bench.stores import Store, close_app, make_app, sqlite_store
from bench.timing import summary, timed
from timeline.http import db
from timeline.io.export import export_chunks
from timeline.publish import parts
from timeline.publish.convert import to_channel, to_entry
from timeline.store import writes
from timeline.store.engine import begin_write
from timeline.store.models import Event, EventPart
from timeline.store.queries import EventFilter, list_events
from timeline.store.version import read_version

#: Above this many events the store is loaded in bulk (create_event is ~300 events/s).
BULK_ABOVE = 10_000


def _get(app: Flask, path: str) -> bytes:
    response = app.test_client().get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.data


def _clear_parts(app: Flask) -> None:
    with db.get_engine(app).begin() as conn:
        conn.execute(sa.delete(EventPart))


def _edit(app: Flask, event_id: str, mark: str) -> None:
    """Change one event's title through the store, as an API write would."""
    with app.app_context():
        session = db.get_session()
        begin_write(session)
        event = session.get(Event, event_id)
        assert event is not None
        data = writes.event_data(event)
        writes.update_event(
            session, event, dataclasses.replace(data, title=data.title + mark), author="bench"
        )
        session.commit()


def _entries(app: Flask) -> tuple[feeds.Channel, list[feeds.Entry]]:
    with app.test_request_context("/calendar.ics"):
        session = db.get_session()
        events = list_events(session, EventFilter())
        channel = to_channel(app.config, read_version(session), self_path="/calendar.ics")
        return channel, [to_entry(e, app.config) for e in events]


def prepare(size: int, seed: int = 1) -> tuple[Store, dict[str, Any]]:
    """Return a SQLite store of ``size`` synthetic events and how it was loaded."""
    bench_store = sqlite_store(f"render-{size}")
    if size > BULK_ABOVE:
        seconds, method = bulk_load(bench_store.url, size, seed=seed), "bulk (SQLAlchemy core)"
    else:
        app = make_app(bench_store.url)
        seconds, method = load_events(app, size, seed=seed), "timeline.store.writes.create_event"
        close_app(app)
    return bench_store, {"seconds": seconds, "method": method, "bytes": bench_store.size_bytes()}


class Rounds:
    """Collects timings by case name over interleaved rounds."""

    def __init__(self) -> None:
        self.runs: dict[str, list[float]] = {}

    def add(self, name: str, fn: Callable[[], Any]) -> Any:
        """Time ``fn()`` (after a garbage collection) under ``name``; return its result."""
        gc.collect()
        seconds, result = timed(fn)
        self.runs.setdefault(name, []).append(seconds)
        return result

    def summaries(self) -> dict[str, dict[str, Any]]:
        """Return the summary of every case."""
        return {name: summary(runs) for name, runs in self.runs.items()}


def _round(
    r: int,
    url: str,
    channel: feeds.Channel,
    entries: list[feeds.Entry],
    items: dict[str, list[dict[str, Any]]],
    rounds: Rounds,
    checks: dict[str, Any],
) -> None:
    """One round of every case, peers and ours interleaved."""
    rounds.add("django-ical", lambda: peers.render_django_ical(channel, items["ical"]))
    rounds.add("django-rss", lambda: peers.render_django_rss(channel, items["rss"]))
    rounds.add("django-rss-50", lambda: peers.render_django_rss(channel, items["rss"][:50]))
    rounds.add("ours-render-ical", lambda: feeds.render_ical(channel, entries))
    rounds.add("ours-render-rss", lambda: feeds.render_rss(channel, entries))
    rounds.add("ours-render-atom", lambda: feeds.render_atom(channel, entries))

    app = make_app(url)
    _clear_parts(app)
    cold = rounds.add("ours-cold", lambda: _get(app, "/calendar.ics"))
    close_app(app)

    app = make_app(url)  # a restart: parts stored, in-memory cache empty
    restart = rounds.add("ours-restart", lambda: _get(app, "/calendar.ics"))
    rounds.add("ours-cached", lambda: _get(app, "/calendar.ics"))
    _edit(app, entries[(r * 7919) % len(entries)].id, f" ✎{r}")
    changed = rounds.add("ours-changed", lambda: _get(app, "/calendar.ics"))
    rounds.add("ours-rss-50", lambda: _get(app, "/feed.rss"))
    rounds.add("ours-atom-50", lambda: _get(app, "/feed.atom"))
    rounds.add("ours-rss-50-cached", lambda: _get(app, "/feed.rss"))
    _breakdown(app, restart, rounds)
    close_app(app)

    checks.setdefault("cold_equals_restart", []).append(cold == restart)
    unfolded = changed.replace(b"\r\n ", b"")  # RFC 5545 §3.1 line folding
    checks.setdefault("changed_differs", []).append(f" ✎{r}".encode() in unfolded)
    checks.setdefault("vevents", []).append(restart.count(b"BEGIN:VEVENT\r\n"))


def _breakdown(app: Flask, body: bytes, rounds: Rounds) -> None:
    """Time the pieces of a calendar request on stored parts."""
    with app.test_request_context("/calendar.ics"):
        session = db.get_session()
        rounds.add("part-store-version", db.current_version)
        rounds.add("part-zones", lambda: parts.calendar_zones(session, EventFilter()))
        session.rollback()
        rounds.add(
            "part-join-stored",
            lambda: b"".join(export_chunks(app, "ics", EventFilter())),
        )
    rounds.add("part-gzip", lambda: gzip.compress(body, compresslevel=6, mtime=0))


def run(size: int, reps: int, seed: int = 1) -> dict[str, Any]:
    """Measure every rendering case over ``size`` events, ``reps`` interleaved rounds;
    return medians (seconds), the load figures, and the checks of the outputs."""
    bench_store, load = prepare(size, seed)
    try:
        app = make_app(bench_store.url)
        channel, entries = _entries(app)
        close_app(app)
        items = {"ical": peers.ical_items(entries), "rss": peers.rss_items(entries)}
        rounds, checks = Rounds(), {}
        for r in range(reps):
            _round(r, bench_store.url, channel, entries, items, rounds, checks)
        body = peers.render_django_ical(channel, items["ical"])
        sizes = {"django-ical": len(body), "ours": None}
        app = make_app(bench_store.url)
        ours = _get(app, "/calendar.ics")
        sizes["ours"] = len(ours)
        sizes["ours-gzip"] = len(gzip.compress(ours, compresslevel=6, mtime=0))
        close_app(app)
        return {
            "size": size,
            "reps": reps,
            "load": load,
            "bytes": sizes,
            "cases": rounds.summaries(),
            "checks": {
                "cold_equals_restart": all(checks["cold_equals_restart"]),
                "changed_differs": all(checks["changed_differs"]),
                "vevents": checks["vevents"],
            },
        }
    finally:
        bench_store.drop()
