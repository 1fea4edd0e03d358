"""What a POST of a new event costs on PostgreSQL: two statements (the token with the
free-id look-up, then every row of the event), the version's stamp and the COMMIT
following in one message (:mod:`timeline.store.stamp`), and no ping."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import ApiClient
from timeline.http import db


def test_a_post_on_postgresql_takes_two_statements(api: ApiClient) -> None:
    engine = db.get_engine(api.app)
    if engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: set TIMELINE_TEST_DATABASE_URL (as .ci/run does)")
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    body = {"title": "Rate decision", "start": "2025-03-19", "tags": ["Fed", "rates"]}
    api.created(body)  # the pool holds a connection now
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        second = api.created(body)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 2, statements
    assert statements[0].startswith("SELECT api_tokens.name")
    assert statements[1].startswith("WITH new_tags AS")
    assert second["id"] == "2025-03-19-rate-decision-2"
    assert second["tags"] == ["Fed", "rates"]
    stored = api.client.get(f"/api/events/{second['id']}").get_json()
    assert stored == second
    revisions = api.client.get(f"/api/events/{second['id']}/revisions").get_json()
    assert [r["action"] for r in revisions["revisions"]] == ["create"]
    assert second["id"] in api.feeds().ics.decode()


def test_the_free_id_look_ups_are_planned_for_the_table_as_it_is(api: ApiClient) -> None:
    # psycopg prepares what a connection runs five times, and PostgreSQL keeps the plan
    # it made then: a look-up of 16 ids prepared while ``events`` was near empty stayed
    # a sequential scan as writes filled the table (every POST read all of it).
    engine = db.get_engine(api.app)
    if engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: set TIMELINE_TEST_DATABASE_URL (as .ci/run does)")
    body = {"title": "Rate decision", "start": "2025-03-19"}
    # The 17th and later look beyond the token query's 16 candidates (TAKEN_IDS).
    ids = [api.created(body)["id"] for _ in range(25)]
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
    # What a connection repeats is prepared: the event's rows...
    assert any(text.startswith("WITH new_tags AS") for text in prepared), prepared
    # ...but not the look-ups of taken ids, planned for the table's size each time.
    assert [text for text in prepared if "events.id IN" in text] == []
