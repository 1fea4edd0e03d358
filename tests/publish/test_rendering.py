"""A calendar stream's missing VEVENTs rendered and stored in a second process (what
``timeline export`` does): the same bytes and parts as in one process, errors raised."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from flask import Flask

import feeds
from timeline.http import db
from timeline.io.export import export_chunks
from timeline.publish import parts, rendering
from timeline.publish.caching import render_key
from timeline.publish.convert import to_entry
from timeline.publish.rows import Related
from timeline.store.models import EventPart
from timeline.store.queries import EventFilter, list_events

pytestmark = pytest.mark.skipif(not rendering.can_fork(), reason="forks only on Linux")


def _stored(app: Flask) -> dict[str, tuple[int, bytes]]:
    with app.app_context():
        rows = db.get_session().execute(
            sa.select(EventPart.event_id, EventPart.sequence, EventPart.body)
        )
        return {r.event_id: (r.sequence, r.body) for r in rows}


def _forget_parts(app: Flask) -> None:
    with app.app_context():
        session = db.get_session()
        session.execute(sa.delete(EventPart))
        session.commit()


def _export(app: Flask, *, second_process: bool) -> bytes:
    with app.app_context():
        return b"".join(export_chunks(app, "ics", EventFilter(), second_process=second_process))


def test_export_in_two_processes_writes_and_stores_what_one_process_does(
    seeded_app: Flask,
) -> None:
    _forget_parts(seeded_app)
    alone = _export(seeded_app, second_process=False)
    stored_alone = _stored(seeded_app)
    _forget_parts(seeded_app)
    assert _stored(seeded_app) == {}
    together = _export(seeded_app, second_process=True)
    assert together == alone
    assert together.count(b"BEGIN:VEVENT") == 21
    # The worker stored every part (on its own connection), each at its event's sequence.
    assert _stored(seeded_app) == stored_alone
    assert len(stored_alone) == 21
    config = dict(seeded_app.config)
    with seeded_app.app_context():
        events = list_events(db.get_session(), EventFilter())
    assert {e.id: stored_alone[e.id][1] for e in events} == {
        e.id: feeds.render_vevent(to_entry(e, config)) for e in events
    }
    assert {e.id: stored_alone[e.id][0] for e in events} == {e.id: e.sequence for e in events}
    # Warm: every part read from the store, the same bytes again.
    assert _export(seeded_app, second_process=True) == alone


def test_the_worker_is_another_process(seeded_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """The batches are rendered in the forked worker (it inherits this patch)."""

    def render_pid(related: Related, config: object, lang: str | None) -> dict[str, bytes]:
        return {row[0]: f"pid {os.getpid()}\r\n".encode() for row in related.rows}

    monkeypatch.setattr(rendering, "render_related", render_pid)
    _forget_parts(seeded_app)
    sessions = seeded_app.extensions["timeline.sessionmaker"]
    config, key = dict(seeded_app.config), render_key(seeded_app)
    with rendering.second_process(rendering.Parts(sessions, config, key)) as renderer:
        assert isinstance(renderer, rendering.ProcessRenderer)
        flt = EventFilter(timeline=1)
        bodies = set(parts.iter_vevents(sessions, flt, config, key, batch=5, renderer=renderer))
    assert len(bodies) == 1
    assert bodies != {f"pid {os.getpid()}\r\n".encode()}
    assert next(iter(bodies)).startswith(b"pid ")


def test_a_render_error_in_the_worker_is_raised_and_its_batch_not_stored(
    seeded_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    with seeded_app.app_context():
        events = list_events(db.get_session(), EventFilter())
    bad = events[7].id  # in the second batch of five
    real = feeds.render_vevent

    def fails_on_bad(entry: feeds.Entry) -> bytes:
        if entry.id == bad:
            raise ValueError(f"cannot render {entry.id}")
        return real(entry)

    monkeypatch.setattr(feeds, "render_vevent", fails_on_bad)
    monkeypatch.setattr(rendering, "STORE_EVERY", 5)
    _forget_parts(seeded_app)
    sessions = seeded_app.extensions["timeline.sessionmaker"]
    config, key = dict(seeded_app.config), render_key(seeded_app)
    with rendering.second_process(rendering.Parts(sessions, config, key)) as renderer:
        stream = parts.iter_vevents(
            sessions, EventFilter(timeline=1), config, key, batch=5, renderer=renderer
        )
        with pytest.raises(ValueError, match=f"cannot render {bad}"):
            list(stream)
    # The first batch was stored (five parts: STORE_EVERY), nothing of the second (the
    # third, sent before the second's error came back, may be).
    stored = set(_stored(seeded_app))
    assert {e.id for e in events[:5]} <= stored
    assert not stored & {e.id for e in events[5:10]}
