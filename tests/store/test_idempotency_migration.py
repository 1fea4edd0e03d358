"""Migration 0013: an Idempotency-Key is its sender's own in each timeline. Keys stored
before it become their events' (the first revision's author, the first timeline that
holds the event) and answer their repeats as before; a key whose event is in no
timeline is dropped; stepping down keeps each key's first use."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask

from tests.conftest import AppFactory, create_token
from timeline.http import db
from timeline.store import migrations


def _keys(app: Flask) -> list[tuple[Any, ...]]:
    with db.get_engine(app).connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("idempotency_keys")}
        who = "owner, timeline_id, " if "owner" in columns else ""
        rows = connection.execute(
            sa.text(f"SELECT {who}key, event_id FROM idempotency_keys ORDER BY key, {who}event_id")
        )
        return [tuple(row) for row in rows]


def test_keys_kept_from_0012_are_their_events_and_answer_repeats(make_app: AppFactory) -> None:
    first = make_app()
    client = first.test_client()
    root = {"Authorization": f"Bearer {create_token(first, 'root', admin=True)}"}
    writer = {"Authorization": f"Bearer {create_token(first, 'writer')}"}
    assert client.post("/api/timelines", json={"slug": "fed"}, headers=root).status_code == 201
    with db.get_engine(first).connect() as connection:
        fed_id = connection.execute(sa.text("SELECT id FROM timelines WHERE slug = 'fed'")).scalar()

    def post(path: str, headers: dict[str, str], key: str, title: str) -> tuple[int, str]:
        body = {"title": title, "start": "2025-02-10"}
        response = client.post(path, json=body, headers=headers | {"Idempotency-Key": key})
        return response.status_code, response.get_json()["id"]

    assert post("/api/events", writer, "k1", "A") == (201, "2025-02-10-a")
    assert post("/api/timelines/fed/events", root, "k2", "B") == (201, "2025-02-10-b")
    assert post("/api/events", root, "k3", "C") == (201, "2025-02-10-c")
    assert client.delete("/api/timelines/main/events/2025-02-10-c", headers=root).status_code == 204
    assert post("/api/timelines/fed/events", root, "k1", "D") == (201, "2025-02-10-d")
    assert post("/api/timelines/fed/events", root, "k4", "E") == (201, "2025-02-10-e")
    assert client.put("/api/timelines/main/events/2025-02-10-e", headers=root).status_code == 201
    engine = db.get_engine(first)

    migrations.downgrade(engine, "0012")
    assert _keys(first) == [
        ("k1", "2025-02-10-a"),  # the first use of k1 stays, the later one (D) goes
        ("k2", "2025-02-10-b"),
        ("k3", "2025-02-10-c"),
        ("k4", "2025-02-10-e"),
    ]
    second = make_app()  # migrates to the newest schema
    assert migrations.is_current(engine)
    assert _keys(second) == [
        ("writer", 1, "k1", "2025-02-10-a"),
        ("root", fed_id, "k2", "2025-02-10-b"),
        # Sent to fed, then put in main too: which one it was sent to is not known.
        ("root", 1, "k4", "2025-02-10-e"),
        ("root", fed_id, "k4", "2025-02-10-e"),
    ]
    client = second.test_client()
    assert post("/api/events", writer, "k1", "A") == (200, "2025-02-10-a")
    assert post("/api/timelines/fed/events", root, "k2", "B") == (200, "2025-02-10-b")
    assert post("/api/timelines/fed/events", root, "k4", "E") == (200, "2025-02-10-e")
    assert post("/api/events", root, "k4", "E") == (200, "2025-02-10-e")
    # k3's event is in no timeline: its repeat makes the event anew, in the timeline.
    assert post("/api/events", root, "k3", "C") == (201, "2025-02-10-c-2")
    # Deleting a timeline takes its keys with it.
    assert client.delete("/api/timelines/fed", headers=root).status_code == 204
    assert [row[:3] for row in _keys(second)] == [
        ("writer", 1, "k1"),
        ("root", 1, "k3"),
        ("root", 1, "k4"),
    ]
