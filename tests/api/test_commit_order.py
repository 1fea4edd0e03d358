"""Store versions follow commit order under concurrent writers: 8 clients POST new events
to a real server (8 threads) while a reader, reading the store version as the server
does for every ETag (:class:`timeline.store.version.VersionReader`), then the events,
checks that every change up to the version it saw is there: no reader sees version N+1
without the change of version N. On SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import threading
import urllib.request

import sqlalchemy as sa

from tests.live import create_token, live_server
from timeline.store.engine import make_engine
from timeline.store.models import Event
from timeline.store.version import VersionReader

WRITERS = 8
EACH = 15


def _post(url: str, headers: dict[str, str], body: dict[str, str]) -> int:
    request = urllib.request.Request(
        url + "/api/events", data=json.dumps(body).encode(), method="POST", headers=headers
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return int(response.status)


def test_no_reader_sees_a_version_before_the_changes_below_it(database_url: str) -> None:
    token = create_token(database_url, "writer")
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    engine = make_engine(database_url)
    reader = VersionReader(engine)
    statuses: list[int] = []
    gaps: list[tuple[int, list[int]]] = []
    seen: list[int] = []
    writing = threading.Event()
    try:
        with live_server(database_url, env={"TIMELINE_SEED_ON_START": "false"}) as server:
            first = reader.read().version  # the migrations' own changes come before

            def write(number: int) -> None:
                for i in range(EACH):
                    body = {"title": f"Writer {number} event {i}", "start": "2025-03-01"}
                    statuses.append(_post(server.url, headers, body))

            def read() -> None:
                with engine.connect() as conn:
                    while writing.is_set():
                        version = reader.read().version
                        conn.rollback()  # a new snapshot, begun after the version's read
                        stamps = conn.scalars(
                            sa.select(Event.change_version).where(
                                Event.change_version > first, Event.change_version <= version
                            )
                        ).all()
                        missing = sorted(set(range(first + 1, version + 1)) - set(stamps))
                        if missing:
                            gaps.append((version, missing))
                        seen.append(version)

            writing.set()
            watcher = threading.Thread(target=read)
            watcher.start()
            writers = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
            for thread in writers:
                thread.start()
            for thread in writers:
                thread.join()
            writing.clear()
            watcher.join()
            last = reader.read().version
    finally:
        reader.close()
        engine.dispose()
    assert statuses == [201] * (WRITERS * EACH)
    assert gaps == []
    assert last == first + WRITERS * EACH  # one version per change, none skipped
    assert len(set(seen)) > 2  # the reader saw versions in between, not only the ends
