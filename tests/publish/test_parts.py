"""Stored VEVENT parts: rendered once per revision, joined into the calendar."""

from __future__ import annotations

import datetime as dt
import gzip
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import Headers

import feeds
from tests.conftest import AppFactory, delete_event
from timeline.http import db
from timeline.publish.convert import to_channel, to_entry
from timeline.store import writes
from timeline.store.models import Event, EventPart
from timeline.store.queries import EventFilter, list_events
from timeline.store.values import EventData
from timeline.store.version import read_version


def _parts(app: Flask) -> dict[str, tuple[int, bytes]]:
    with app.app_context():
        rows = db.get_session().execute(
            sa.select(EventPart.event_id, EventPart.sequence, EventPart.body)
        )
        return {r.event_id: (r.sequence, r.body) for r in rows}


def _add_timed(app: Flask, event_id: str, zone: str) -> None:
    start = dt.datetime(2025, 3, 30, 12, 0, tzinfo=ZoneInfo(zone))
    data = EventData(
        id=event_id,
        title=f"Call {zone}",
        start=start,
        end=start + dt.timedelta(hours=1),
        all_day=False,
        precision="datetime",
        timezone=zone,
    )
    with app.app_context():
        session = db.get_session()
        writes.create_event(session, data, author="t")
        session.commit()


def test_calendar_is_the_join_of_stored_parts(seeded_app: Flask) -> None:
    _add_timed(seeded_app, "call-ny", "America/New_York")
    _add_timed(seeded_app, "call-berlin", "Europe/Berlin")
    client = seeded_app.test_client()
    assert _parts(seeded_app) == {}
    body = client.get("/calendar.ics").data
    stored = _parts(seeded_app)
    assert len(stored) == 23 and all(seq == 0 for seq, _ in stored.values())
    for _seq, part in stored.values():
        assert part.startswith(b"BEGIN:VEVENT\r\n") and part.endswith(b"END:VEVENT\r\n")
        assert part in body
    # The same bytes as rendering every event afresh with the renderers.
    with seeded_app.test_request_context("/calendar.ics"):
        session = db.get_session()
        events = list_events(session, EventFilter())
        channel = to_channel(seeded_app.config, read_version(session), self_path="/calendar.ics")
        fresh = feeds.render_ical(channel, [to_entry(e, seeded_app.config) for e in events])
    assert body[body.index(b"BEGIN:VEVENT") :] == fresh[fresh.index(b"BEGIN:VEVENT") :]
    zones = [str(tz["TZID"]) for tz in icalendar.Calendar.from_ical(body).walk("VTIMEZONE")]
    assert zones == ["America/New_York", "Europe/Berlin"]


def test_a_change_rerenders_only_that_event(seeded_app: Flask) -> None:
    client = seeded_app.test_client()
    client.get("/calendar.ics")
    before = _parts(seeded_app)
    with seeded_app.app_context():
        session = db.get_session()
        event = session.get(Event, "2025-02-17-xai-grok-3")
        assert event is not None
        data = writes.event_data(event)
        writes.update_event(
            session,
            event,
            replace(data, title="Grok 3 is out"),
            author="t",
        )
        session.commit()
    body = client.get("/calendar.ics").data
    after = _parts(seeded_app)
    changed = {i for i in after if after[i] != before[i]}
    assert changed == {"2025-02-17-xai-grok-3"}
    assert after["2025-02-17-xai-grok-3"][0] == 1
    assert b"SUMMARY:Grok 3 is out\r\n" in body and b"SEQUENCE:1\r\n" in body


def test_a_restart_renders_nothing(make_app: AppFactory, tmp_path: Path) -> None:
    first = make_app(SEED_ON_START=True)
    first.test_client().get("/calendar.ics")
    stored = _parts(first)
    second = make_app()  # a new process on the same store
    body = second.test_client().get("/calendar.ics").data
    assert _parts(second) == stored
    assert all(part in body for _seq, part in stored.values())
    assert not (tmp_path / "spool").exists()  # small documents never touch the disk


def test_a_large_calendar_is_streamed_with_the_same_bytes(make_app: AppFactory) -> None:
    small = make_app(SEED_ON_START=True, RENDER_CACHE_BYTES=4096)
    large = make_app(SEED_ON_START=True)
    streamed = small.test_client().get("/calendar.ics")
    assert "Content-Length" not in streamed.headers
    whole = large.test_client().get("/calendar.ics")
    assert whole.headers["Content-Length"] == str(len(whole.data))
    assert streamed.data == whole.data
    assert streamed.headers["ETag"] == whole.headers["ETag"]
    zipped = small.test_client().get("/calendar.ics", headers={"Accept-Encoding": "gzip"})
    assert gzip.decompress(zipped.data) == whole.data


def _fetch(client: FlaskClient, path: str, gzipped: bool = False) -> tuple[Headers, bytes]:
    """GET ``path`` and read it whole, as a server sends it; return headers and body."""
    headers = {"Accept-Encoding": "gzip"} if gzipped else {}
    with client.get(path, headers=headers) as response:
        return response.headers, response.get_data()


def test_a_burst_for_a_large_calendar_renders_and_gzips_it_once(
    make_app: AppFactory,
) -> None:
    """A request for a large calendar being rendered and gzipped for another one waits
    for that render and is sent the spooled file (Content-Length): each request of a
    burst after a change used to compress it again."""
    import threading

    small = make_app(SEED_ON_START=True, RENDER_CACHE_BYTES=4096)
    first = small.test_client().get(
        "/calendar.ics", headers={"Accept-Encoding": "gzip"}, buffered=False
    )
    chunks: Iterator[bytes] = iter(first.response)  # type: ignore[arg-type]
    head = next(chunks)  # being rendered and sent: not produced whole yet
    fetched: list[tuple[Headers, bytes]] = []
    second = threading.Thread(
        target=lambda: fetched.append(_fetch(small.test_client(), "/calendar.ics", True))
    )
    second.start()
    second.join(0.3)
    assert second.is_alive()  # waiting for the first render, not rendering its own
    body = head + b"".join(chunks)
    first.close()
    second.join(10)
    [(headers, again)] = fetched
    assert "Content-Length" not in first.headers
    assert headers["Content-Length"] == str(len(body))  # the spooled file
    assert again == body and headers["ETag"] == first.headers["ETag"]
    assert gzip.decompress(again).count(b"BEGIN:VEVENT") == 21


def test_a_large_calendar_is_sent_from_the_spool_until_it_changes(
    make_app: AppFactory, tmp_path: Path
) -> None:
    small = make_app(SEED_ON_START=True, RENDER_CACHE_BYTES=4096)
    client = small.test_client()
    # A client that goes away half-way leaves nothing in the spool.
    with client.get("/calendar.ics", buffered=False) as partial:
        next(iter(partial.response))
    assert not list((tmp_path / "spool").glob("*.part"))
    headers, body = _fetch(client, "/calendar.ics")
    assert "Content-Length" not in headers  # rendered while sent
    assert body.count(b"BEGIN:VEVENT") == 21
    again_headers, again = _fetch(client, "/calendar.ics")
    assert again_headers["Content-Length"] == str(len(body))  # from the spool
    assert again == body and again_headers["ETag"] == headers["ETag"]
    zipped_headers, zipped = _fetch(client, "/calendar.ics", gzipped=True)
    assert "Content-Length" not in zipped_headers
    zipped_again_headers, zipped_again = _fetch(client, "/calendar.ics", gzipped=True)
    assert zipped_again_headers["Content-Encoding"] == "gzip"
    assert zipped_again_headers["Content-Length"] == str(len(zipped))
    assert gzip.decompress(zipped_again) == body
    other_process = make_app(RENDER_CACHE_BYTES=4096).test_client()
    assert _fetch(other_process, "/calendar.ics")[0]["Content-Length"] == str(len(body))
    delete_event(small, "2025-02-17-xai-grok-3")
    changed_headers, changed = _fetch(client, "/calendar.ics")
    assert "Content-Length" not in changed_headers
    assert changed_headers["ETag"] != headers["ETag"]
    assert b"2025-02-17-xai-grok-3@" in body
    assert b"STATUS:CANCELLED" not in body and b"STATUS:CANCELLED" in changed  # a tombstone


def test_patched_calendar_equals_a_fresh_one(make_app: AppFactory) -> None:
    """The calendar kept in memory and patched with each change is, byte for byte, the
    calendar a new process assembles from the store: for an edit, a tag removed (leaving a
    filter), a delete and an addition."""
    app = make_app(SEED_ON_START=True)
    client = app.test_client()
    paths = ("/calendar.ics", "/calendar.ics?tag=summit")
    for path in paths:
        client.get(path)
    with app.app_context():
        session = db.get_session()
        summit = session.get(Event, "2025-02-09-ai-action-summit")
        grok = session.get(Event, "2025-02-17-xai-grok-3")
        assert summit is not None and grok is not None
        writes.update_event(
            session, summit, replace(writes.event_data(summit), tags=("policy",)), author="t"
        )
        writes.update_event(
            session, grok, replace(writes.event_data(grok), title="Grok 3"), author="t"
        )
        writes.delete_event(session, session.get(Event, "2025-01-20-deepseek-r1"), author="t")  # type: ignore[arg-type]
        session.commit()
    _add_timed(app, "call-tokyo", "Asia/Tokyo")
    fresh = make_app().test_client()
    for path in paths:
        patched = client.get(path)
        assert patched.data == fresh.get(path).data, path
        assert patched.headers["ETag"] == fresh.get(path).headers["ETag"]
    whole = client.get("/calendar.ics").data
    assert whole.count(b"STATUS:CANCELLED") == 1  # deepseek-r1's tombstone
    assert b"SUMMARY:Grok 3\r\n" in whole
    assert b"TZID:Asia/Tokyo" in whole
    assert b"2025-02-09-ai-action-summit@" not in client.get("/calendar.ics?tag=summit").data


def test_import_and_db_upgrade_leave_every_part_a_calendar_needs(
    app: Flask, tmp_path: Path
) -> None:
    """No subscriber's first GET renders: ``timeline import`` stores the VEVENT of each
    event it wrote, ``timeline db upgrade`` those that are missing or stale (as after a
    new release, whose render key differs), each the bytes the calendar then serves."""
    import json

    from timeline.publish.caching import render_key

    items = [
        {"id": "a", "title": "A", "start": "2025-02-17", "tags": ["AI"]},
        {"id": "b", "title": "B", "start": "2025-02-18T09:00:00", "timezone": "Europe/Berlin"},
        {"id": "c", "title": "C 中文", "start": "2025-03"},
    ]
    path = tmp_path / "in.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    key = render_key(app)
    stored = _parts(app)
    assert sorted(stored) == ["a", "b", "c"]
    with app.app_context():
        session = db.get_session()
        kinds = set(session.scalars(sa.select(EventPart.kind)))
        keys = set(session.scalars(sa.select(EventPart.key)))
        events = list_events(session, EventFilter())
        expected = {e.id: feeds.render_vevent(to_entry(e, app.config)) for e in events}
    assert (kinds, keys) == ({"ics"}, {key})
    assert {i: body for i, (_, body) in stored.items()} == expected
    body = app.test_client().get("/calendar.ics").data
    assert all(part in body for part in expected.values())

    with app.app_context():  # parts of an older release: stale under this render key
        session = db.get_session()
        session.execute(sa.update(EventPart).values(key="0123456789abcdef", body=b"old"))
        session.execute(sa.delete(EventPart).where(EventPart.event_id == "c"))
        session.commit()
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert {i: body for i, (_, body) in _parts(app).items()} == expected
    with app.app_context():
        assert set(db.get_session().scalars(sa.select(EventPart.key))) == {key}


def test_vevents_read_in_small_batches_cold_then_warm_are_the_orm_renders(
    seeded_app: Flask,
) -> None:
    """Batches without parts (read as whole rows after the first), then with some, then
    with all, in a timeline: every VEVENT is the one rendered from the ORM, newest first."""
    from timeline.publish.caching import render_key
    from timeline.publish.parts import iter_vevents

    sessions = seeded_app.extensions["timeline.sessionmaker"]
    config, key = dict(seeded_app.config), render_key(seeded_app)
    flt = EventFilter(timeline=1)
    with seeded_app.app_context():
        session = db.get_session()
        expected = [feeds.render_vevent(to_entry(e, config)) for e in list_events(session, flt)]
        session.execute(sa.delete(EventPart))
        session.commit()
    assert len(expected) > 10
    assert list(iter_vevents(sessions, flt, config, key, batch=3)) == expected
    assert len(_parts(seeded_app)) == len(expected)
    with seeded_app.app_context():  # every other part gone: batches half cold
        session = db.get_session()
        gone = sorted(_parts(seeded_app))[::2]
        session.execute(sa.delete(EventPart).where(EventPart.event_id.in_(gone)))
        session.commit()
    assert list(iter_vevents(sessions, flt, config, key, batch=3)) == expected
    assert list(iter_vevents(sessions, flt, config, key, batch=3)) == expected


def test_each_batch_of_a_stream_seeks_through_the_index(seeded_app: Flask) -> None:
    """A keyset batch after the first is found by a seek on (deleted, start) in the index,
    not by scanning from the newest event to it (which made a stream of a million
    events quadratic): the plan of every batch query bounds ``start``."""
    from timeline.publish.caching import render_key
    from timeline.publish.parts import iter_vevents

    engine = db.get_engine(seeded_app)
    if engine.dialect.name != "sqlite":
        pytest.skip("reads SQLite's EXPLAIN QUERY PLAN")
    sessions = seeded_app.extensions["timeline.sessionmaker"]
    config, key = dict(seeded_app.config), render_key(seeded_app)
    seen: list[tuple[str, tuple[object, ...]]] = []

    def keep(
        _conn: object, _cursor: object, statement: str, parameters: object, *_: object
    ) -> None:
        if statement.startswith("SELECT") and "ORDER BY events.start DESC" in statement:
            assert isinstance(parameters, tuple)
            seen.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", keep)
    try:
        count = len(list(iter_vevents(sessions, EventFilter(timeline=1), config, key, batch=3)))
    finally:
        sa.event.remove(engine, "before_cursor_execute", keep)
    assert len(seen) == count // 3 + 1 and len(seen) > 3
    with engine.connect() as conn:
        for statement, parameters in seen[1:]:
            plan = [
                row[3]
                for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            ]
            assert (
                "SEARCH events USING INDEX ix_events_deleted_start_id (deleted=? AND start<?)"
                in plan
            ), plan


def test_a_stream_stores_its_parts_every_store_every_rendered(
    seeded_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts are stored once STORE_EVERY are rendered, not only at the end: a stream left
    half-way has stored what it rendered up to then, each part the ORM's render. The
    stream renders one batch ahead of what it yields (the next is rendered while the
    store is read)."""
    from timeline.publish import parts, rendering
    from timeline.publish.caching import render_key

    monkeypatch.setattr(rendering, "STORE_EVERY", 4)
    sessions = seeded_app.extensions["timeline.sessionmaker"]
    config, key = dict(seeded_app.config), render_key(seeded_app)
    flt = EventFilter(timeline=1)
    with seeded_app.app_context():
        session = db.get_session()
        events = list_events(session, flt)
        expected = {e.id: feeds.render_vevent(to_entry(e, config)) for e in events}
        session.execute(sa.delete(EventPart))
        session.commit()
    assert len(events) >= 13
    stream = parts.iter_vevents(sessions, flt, config, key, batch=3)
    # The 7th VEVENT is the first of the third batch: the fourth is rendered by then,
    # and the 12 parts of four batches stored (at 6 and at 12).
    read = [next(stream) for _ in range(7)]
    assert read == [expected[e.id] for e in events[:7]]
    assert {i: body for i, (_, body) in _parts(seeded_app).items()} == {
        e.id: expected[e.id] for e in events[:12]
    }
    stream.close()
    assert len(_parts(seeded_app)) == 12


def test_the_render_key_changes_with_the_conversion_code_not_only_the_renderers(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A release that changes how stored events become the renderers' values (and not
    the renderers) gets a new render key: its stored parts are stale and its ETags new,
    so no subscriber is served bytes of the old code."""
    from timeline.publish import convert
    from timeline.publish.caching import render_key, rendering_sources

    before = render_key(make_app())
    sources = rendering_sources()
    changed = Path(convert.__file__).resolve()
    assert changed in sources
    assert Path(feeds.__file__).resolve().parent / "ical.py" in sources
    read = Path.read_bytes

    def another_release(path: Path) -> bytes:
        data = read(path)
        return data + b"\n# a change of this release\n" if path.resolve() == changed else data

    monkeypatch.setattr(Path, "read_bytes", another_release)
    after = render_key(make_app())
    assert len(after) == 16 and after != before
    monkeypatch.setattr(Path, "read_bytes", read)
    assert render_key(make_app()) == before
