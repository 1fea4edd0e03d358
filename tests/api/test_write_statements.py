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
