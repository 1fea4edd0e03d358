"""What a POST of a new event costs on PostgreSQL: two messages, the token query with
the free-id look-up (prepared, through migration 0011's function), then every row of
the event with the version's stamp (:mod:`timeline.store.deferred`), each its own
transaction (no BEGIN, no COMMIT); no ping, and no UPDATE of the new row."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa

from tests.conftest import ApiClient, create_token
from timeline.api.auth import _holder_query, token_hash
from timeline.api.routes import _TAKEN_LIST
from timeline.events.parse import TAKEN_ID_PARAMETERS
from timeline.http import db
from timeline.store.timelines import create_timeline


@pytest.fixture(autouse=True)
def _postgresql_only(api: ApiClient) -> None:
    if db.get_engine(api.app).dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: set TIMELINE_TEST_DATABASE_URL (as .ci/run does)")


def test_a_post_on_postgresql_takes_two_statements(
    api: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = db.get_engine(api.app)
    body = {"title": "Rate decision", "start": "2025-03-19", "tags": ["Fed", "rates"]}
    first = api.created(body)  # the pool holds a connection now
    with _recording(monkeypatch) as (sent, commands):
        second = api.created(body)
    assert len(sent) == 2, sent
    assert sent[0].startswith("SELECT api_tokens.name")
    assert sent[1].startswith("SELECT timeline_new_event(CAST('{")
    assert sent[1].endswith("86401)")  # the call alone: it commits itself
    assert commands == []  # no BEGIN (nor COMMIT) round trip
    assert second["id"] == "2025-03-19-rate-decision-2"
    assert second["tags"] == ["Fed", "rates"]
    stored = api.client.get(f"/api/events/{second['id']}").get_json()
    assert stored == second
    revisions = api.client.get(f"/api/events/{second['id']}/revisions").get_json()
    assert [r["action"] for r in revisions["revisions"]] == ["create"]
    assert second["id"] in api.feeds().ics.decode()
    with engine.connect() as conn:
        stamps = conn.execute(
            sa.text("SELECT id, change_version FROM events ORDER BY change_version")
        ).all()
        store = conn.scalar(sa.text("SELECT version FROM store_state"))
        timeline = conn.scalar(sa.text("SELECT version FROM timelines WHERE slug = 'main'"))
    assert stamps[-2:] == [(first["id"], store - 1), (second["id"], store)]
    assert timeline == store


@contextmanager
def _recording(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[list[str], list[bytes]]]:
    """Record the statements psycopg's cursors execute and the commands its connections
    send apart from them (BEGIN, COMMIT, ROLLBACK: psycopg's ``_exec_command``)."""
    sent: list[str] = []
    commands: list[bytes] = []
    execute = psycopg.Cursor.execute
    exec_command = psycopg.Connection._exec_command

    def recorded(cursor: psycopg.Cursor[Any], query: Any, *args: Any, **kwargs: Any) -> Any:
        if hasattr(query, "as_string"):
            sent.append(query.as_string(cursor))
        else:
            sent.append(query.decode() if isinstance(query, bytes) else str(query))
        return execute(cursor, query, *args, **kwargs)

    def command(connection: psycopg.Connection[Any], sql: Any, *args: Any, **kwargs: Any) -> Any:
        commands.append(bytes(sql) if isinstance(sql, bytes) else str(sql).encode())
        return exec_command(connection, sql, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", recorded)
    monkeypatch.setattr(psycopg.Connection, "_exec_command", command)
    try:
        yield sent, commands
    finally:
        monkeypatch.undo()


def test_a_post_that_reads_more_begins_its_transaction_after_the_token_query(
    api: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An Idempotency-Key is looked up in the transaction: it begins then, after the
    # token query, and the event's rows and stamp end with its COMMIT.
    body = {"title": "Rate decision", "start": "2025-03-19"}
    api.created(body)
    with _recording(monkeypatch) as (sent, commands):
        response = api.post(body, headers={"Idempotency-Key": "k-1"})
    assert response.status_code == 201, response.get_json()
    assert commands == [b"BEGIN"]
    assert sent[0].startswith("SELECT api_tokens.name")
    assert any(text.startswith("SELECT idempotency_keys.") for text in sent[1:]), sent
    assert sent[-1].endswith("; COMMIT")
    again = api.post(body, headers={"Idempotency-Key": "k-1"})
    assert again.status_code == 200  # the repeat, answered with the event it made
    assert again.get_json()["id"] == response.get_json()["id"] == "2025-03-19-rate-decision-2"


def test_a_new_events_document_is_quoted_by_libpq(api: ApiClient) -> None:
    # The stamped message carries the event's rows as a literal in the query text
    # (a simple query, no parameters): quotes, backslashes and JSON's escapes in what
    # a writer sends must come back as sent.
    engine = db.get_engine(api.app)
    title = "O'Brien's \\server\\share \"quoted\" '; DROP TABLE events; -- 引号 🚀"
    body = {"title": title, "start": "2025-03-19", "description": "tab\tend\\n", "tags": ["a'b"]}
    created = api.created(body)
    assert created["title"] == title
    stored = api.client.get(f"/api/events/{created['id']}").get_json()
    assert (stored["title"], stored["description"], stored["tags"]) == (
        title,
        "tab\tend\\n",
        ["a'b"],
    )
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM events")) == 1
        assert conn.scalar(sa.text("SELECT label FROM event_tags")) == "a'b"


def test_the_token_query_is_prepared_and_its_id_look_up_reads_the_index(
    api: ApiClient,
) -> None:
    # psycopg prepares what a connection runs five times, and PostgreSQL keeps the plan
    # it made then. The token query reads which candidate ids are taken through
    # migration 0011's function, whose look-up is planned at each call (migration 0012):
    # a plan kept from when ``events`` was near empty would read the whole table at
    # every POST as writes filled it.
    engine = db.get_engine(api.app)
    body = {"title": "Rate decision", "start": "2025-03-19"}
    # The 17th and later look beyond the token query's 16 candidates (TAKEN_IDS).
    # With an Idempotency-Key the event's rows are written before the key's row.
    posts = [api.post(body, {"Idempotency-Key": f"key-{n}"}) for n in range(25)]
    assert [post.status_code for post in posts] == [201] * 25
    ids = [post.get_json()["id"] for post in posts]
    assert ids[:2] == ["2025-03-19-rate-decision", "2025-03-19-rate-decision-2"]
    assert ids[16:] == [f"2025-03-19-rate-decision-{n}" for n in range(17, 26)]
    idle = engine.pool.checkedin()  # type: ignore[attr-defined]
    connections = [engine.connect() for _ in range(idle)]  # every one the requests used
    try:
        query = sa.text("SELECT statement FROM pg_prepared_statements")
        prepared = [text for conn in connections for text in conn.scalars(query)]
    finally:
        for conn in connections:
            conn.close()
    # What a connection repeats is prepared: the token query with the id look-up...
    assert any(
        text.startswith("SELECT api_tokens.name") and "timeline_taken_ids(ARRAY[$1" in text
        for text in prepared
    ), prepared
    # ...but not the look-ups past the first 16, planned for the table's size each time.
    assert [text for text in prepared if "events.id IN" in text] == []


def test_the_taken_ids_function_reads_only_the_candidates_after_the_table_grew(
    api: ApiClient,
) -> None:
    engine = db.get_engine(api.app)
    look_up = sa.text("SELECT timeline_taken_ids(CAST(:ids AS varchar[]))")
    scans = sa.text(
        "SELECT seq_scan, idx_tup_fetch FROM pg_stat_xact_user_tables "
        "WHERE relid = CAST('events' AS regclass)"
    )
    with engine.connect() as conn:
        # Run enough times on the empty table for PostgreSQL to keep a generic plan,
        # if it would keep one: a plan costed for a table of no rows.
        for n in range(8):
            assert conn.execute(look_up, {"ids": [f"free-{n}"]}).scalar_one() == []
        conn.commit()
        rows = [{"title": f"Event {n}", "start": "2025-03-19"} for n in range(300)]
        assert [api.post(row).status_code for row in rows] == [201] * 300
        # The backend's counts not yet reported: read in one transaction, they move
        # only with what it does.
        seq_before, fetched_before = conn.execute(scans).one()
        taken = conn.execute(
            look_up, {"ids": ["2025-03-19-event-7", "free", "2025-03-19-event-299"]}
        ).scalar_one()
        assert sorted(taken) == ["2025-03-19-event-299", "2025-03-19-event-7"]
        seq_after, fetched_after = conn.execute(scans).one()
        assert seq_after - seq_before == 0
        # The rows of the two ids taken, not every row through some other index: the
        # plan kept from the empty table read all 300 through ix_events_deleted_start_id,
        # a cost that grew with the table at every POST.
        assert fetched_after - fetched_before == 2


def test_the_taken_ids_are_read_once_for_a_token_of_many_timelines(api: ApiClient) -> None:
    # The token query has a row for each timeline the token writes to: the look-up of
    # the taken ids is a subquery run once (InitPlan), not a call in each row.
    engine = db.get_engine(api.app)
    slugs = ["energy", "health", "space"]
    with api.app.app_context():
        session = db.get_session()
        for slug in slugs:
            create_timeline(session, slug, {"en": (slug.title(), "")}, language="en")
        session.commit()
    token = create_token(api.app, "three", timelines=slugs)
    taken = api.created({"title": "Rate decision", "start": "2025-03-19"})["id"]
    compiled = _holder_query(_TAKEN_LIST)._for(engine.dialect)
    values = {name: f"{taken}-{n + 2}" for n, name in enumerate(TAKEN_ID_PARAMETERS)}
    values |= {TAKEN_ID_PARAMETERS[0]: taken, "digest": token_hash(token)}
    explain = "EXPLAIN (ANALYZE, VERBOSE, COSTS OFF, TIMING OFF) "
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(compiled.sql, values).all()
        plan = list(conn.exec_driver_sql(explain + compiled.sql, values).scalars())
    assert [row.also for row in rows] == [[taken]] * 3
    assert sum("timeline_taken_ids(" in line for line in plan) == 1, plan
    assert any("InitPlan" in line for line in plan), plan
    assert "timeline_taken_ids" not in next(line for line in plan if "Output:" in line)
    response = api.client.post(
        "/api/timelines/health/events",
        json={"title": "Rate decision", "start": "2025-03-19"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["id"] == "2025-03-19-rate-decision-2"
