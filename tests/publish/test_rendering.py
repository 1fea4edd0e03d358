"""A calendar stream's missing VEVENTs rendered and stored in a second process (what
``timeline export`` does): the same bytes and parts as in one process, errors raised."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

import feeds
from tests.io.test_import import run, write_json
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

    def render_pid(
        related: Related, config: object, lang: str | None, *, leave_out: bool
    ) -> dict[str, bytes]:
        return {row[0]: f"pid {os.getpid()}\r\n".encode() for row in related.rows}

    monkeypatch.setattr(rendering, "render_related", render_pid)
    _forget_parts(seeded_app)
    sessions = seeded_app.extensions["timeline.sessionmaker"]
    config, key = dict(seeded_app.config), render_key(seeded_app)
    with rendering.second_process(rendering.Parts(sessions, config, key)) as worker:
        assert isinstance(worker, rendering.ProcessWorker)
        flt = EventFilter(timeline=1)
        bodies = set(parts.iter_vevents(sessions, flt, config, key, batch=5, worker=worker))
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
    with rendering.second_process(rendering.Parts(sessions, config, key)) as worker:
        stream = parts.iter_vevents(
            sessions, EventFilter(timeline=1), config, key, batch=5, worker=worker
        )
        with pytest.raises(ValueError, match=f"cannot render {bad}"):
            list(stream)
    # The first batch was stored (five parts: STORE_EVERY), nothing of the second (the
    # third, sent before the second's error came back, may be).
    stored = set(_stored(seeded_app))
    assert {e.id for e in events[:5]} <= stored
    assert not stored & {e.id for e in events[5:10]}


_ORPHAN = """
import os, time
import sqlalchemy as sa
from sqlalchemy import orm
from timeline.publish import rendering


def pid(_parts):
    return os.getpid()


if __name__ == "__main__":
    parts = rendering.Parts(orm.sessionmaker(sa.create_engine("sqlite://")), {}, "k")
    worker = rendering.ProcessWorker(parts)
    print(worker.submit(pid).result(), flush=True)
    time.sleep(60)
"""


def _gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split()[2]
        except OSError:
            return True
        if state == "Z":  # ended, not yet reaped by init
            return True
        time.sleep(0.05)
    return False


def test_the_worker_ends_with_the_command_however_it_ends(tmp_path: Path) -> None:
    """A command killed (SIGKILL: no cleanup runs) leaves no worker behind: without
    PR_SET_PDEATHSIG, the worker waited forever on its queue, whose writing end it holds
    too."""
    script = tmp_path / "orphan.py"
    script.write_text(_ORPHAN)
    with subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True) as cmd:
        try:
            assert cmd.stdout is not None
            worker = int(cmd.stdout.readline())
            assert worker != cmd.pid
            assert not _gone(worker, 0.5)  # alive while the command is
        finally:
            cmd.kill()
    assert _gone(worker, 10)


def test_a_lost_worker_fails_the_command_with_a_message_and_no_half_file(
    seeded_app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def dies(related: Related, config: object, lang: str | None, *, leave_out: bool) -> None:
        os._exit(1)  # as the kernel's OOM killer would end it: no cleanup

    monkeypatch.setattr(rendering, "render_related", dies)
    _forget_parts(seeded_app)
    output = tmp_path / "calendar.ics"
    exported = run(seeded_app, "export", "-o", str(output))
    assert exported.exit_code == 1
    assert exported.output == (
        f"Error: the worker process ended before its work did, {output} left as it was:"
        " export again\n"
    )
    assert [path for path in tmp_path.iterdir() if "calendar" in path.name] == []
    items = [{"id": f"w{n}", "title": f"W{n}", "start": "2025-03-01"} for n in range(3)]
    imported = run(seeded_app, "import", str(write_json(tmp_path, items)))
    assert imported.exit_code == 1
    assert imported.output.endswith(
        "Error: the worker process ended before its work did: the 3 events reported done"
        " before are stored; import the file again to import the rest (those stored come"
        " back unchanged)\n"
    )


def test_a_warm_stream_starts_no_worker(seeded_app: Flask) -> None:
    """Every part stored: nothing to render, no process forked (not even to store)."""
    _export(seeded_app, second_process=False)  # stores every part
    sessions = seeded_app.extensions["timeline.sessionmaker"]
    config, key = dict(seeded_app.config), render_key(seeded_app)
    with rendering.second_process(rendering.Parts(sessions, config, key)) as worker:
        assert isinstance(worker, rendering.ProcessWorker)
        flt = EventFilter(timeline=1)
        assert len(list(parts.iter_vevents(sessions, flt, config, key, worker=worker))) == 21
        assert not worker.started
    _forget_parts(seeded_app)
    with rendering.second_process(rendering.Parts(sessions, config, key)) as worker:
        assert isinstance(worker, rendering.ProcessWorker)
        assert len(list(parts.iter_vevents(sessions, flt, config, key, worker=worker))) == 21
        assert worker.started
