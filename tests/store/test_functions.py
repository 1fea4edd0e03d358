"""The functions of the store on PostgreSQL come with their migrations and go with
their downgrades, in the schema the search path finds (each test has its own)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.conftest import ApiClient
from timeline.http import db
from timeline.store import migrations


@pytest.mark.parametrize(
    ("signature", "before"),
    [
        ("timeline_new_event(jsonb, timestamp, bigint)", "0009"),
        ("timeline_taken_ids(varchar[])", "0010"),
    ],
)
def test_a_function_comes_and_goes_with_its_migration(
    app: Flask, api: ApiClient, signature: str, before: str
) -> None:
    engine = db.get_engine(app)
    if engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: set TIMELINE_TEST_DATABASE_URL (as .ci/run does)")
    query = sa.text("SELECT to_regprocedure(:signature) IS NOT NULL")
    with engine.connect() as connection:
        assert connection.execute(query, {"signature": signature}).scalar_one() is True
    migrations.downgrade(engine, before)
    with engine.connect() as connection:
        assert connection.execute(query, {"signature": signature}).scalar_one() is False
    migrations.upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(query, {"signature": signature}).scalar_one() is True
    # Back at the head, a POST writes through both.
    created = api.created({"title": "Rate decision", "start": "2025-03-19", "tags": ["Fed"]})
    assert created["id"] == "2025-03-19-rate-decision"
    assert api.client.get(f"/api/events/{created['id']}").get_json()["tags"] == ["Fed"]


def test_the_taken_ids_look_up_is_planned_at_each_call_from_migration_0012(app: Flask) -> None:
    engine = db.get_engine(app)
    if engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: set TIMELINE_TEST_DATABASE_URL (as .ci/run does)")
    query = sa.text(
        "SELECT proconfig FROM pg_proc WHERE oid = to_regprocedure('timeline_taken_ids(varchar[])')"
    )
    with engine.connect() as connection:
        settings = connection.execute(query).scalar_one()
    assert sorted(settings) == ["enable_seqscan=off", "plan_cache_mode=force_custom_plan"]
    migrations.downgrade(engine, "0011")
    with engine.connect() as connection:
        assert connection.execute(query).scalar_one() == ["enable_seqscan=off"]
    migrations.upgrade(engine)
    with engine.connect() as connection:
        assert sorted(connection.execute(query).scalar_one()) == settings
