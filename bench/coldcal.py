"""The first GET /calendar.ics after ``timeline import`` (issue 23): the import run as a
process on a fresh SQLite file, then a new app's first request, beside django-ical
rendering the same events and beside the same request with no stored parts (what it
cost when the import stored none)."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench import peers
from bench.importing import TIMELINE, events
from bench.render import Rounds, _clear_parts, _entries, _get
from bench.stores import BASE_URL, WORK_DIR, close_app, make_app, sqlite_store
from timeline.http import db
from timeline.store.models import EventPart


def _parts(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(sa.select(sa.func.count()).select_from(EventPart)) or 0)
    finally:
        engine.dispose()


def measure(size: int, reps: int = 3) -> dict[str, Any]:
    """Import ``size`` generated events with ``timeline import`` (JSON, as a process),
    then time: a new app's first GET /calendar.ics (median of ``reps`` new apps, each
    with an empty spool), django-ical over the same events, and the first GET once the
    stored parts are removed. Returns seconds and the parts found after the import."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    store = sqlite_store(f"coldcal-{size}")
    try:
        with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
            path = Path(tmp) / "events.json"
            path.write_text(json.dumps(events(size)))
            env = os.environ | {
                "TIMELINE_DATABASE_URL": store.url,
                "TIMELINE_BASE_URL": BASE_URL,
                "TIMELINE_SEED_ON_START": "false",
            }
            began = time.perf_counter()
            subprocess.run(
                [TIMELINE, "import", str(path)], env=env, check=True, capture_output=True
            )
            imported = time.perf_counter() - began
        parts_after_import = _parts(store.url)
        app = make_app(store.url)
        channel, entries = _entries(app)
        close_app(app)
        items = peers.ical_items(entries)
        rounds = Rounds()
        bodies = []
        for _ in range(reps):
            rounds.add("django-ical", lambda: peers.render_django_ical(channel, items))
            app = make_app(store.url)
            bodies.append(rounds.add("first-get", lambda app=app: _get(app, "/calendar.ics")))
            close_app(app)
        app = make_app(store.url)
        with app.app_context():
            parts_after_gets = int(
                db.get_session().scalar(sa.select(sa.func.count()).select_from(EventPart)) or 0
            )
        close_app(app)
        for _ in range(reps):
            app = make_app(store.url)
            _clear_parts(app)
            bodies.append(
                rounds.add("first-get-no-parts", lambda app=app: _get(app, "/calendar.ics"))
            )
            close_app(app)
        return {
            "size": size,
            "import_seconds": imported,
            "parts_after_import": parts_after_import,
            "parts_after_gets": parts_after_gets,
            "same_bytes": all(body == bodies[0] for body in bodies),
            "vevents": bodies[0].count(b"BEGIN:VEVENT\r\n"),
            "cases": rounds.summaries(),
        }
    finally:
        store.drop()


def run(sizes: list[int]) -> dict[str, Any]:
    """The coldcal section: :func:`measure` at each of ``sizes``."""
    return {str(size): measure(size) for size in sizes}
