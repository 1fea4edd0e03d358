"""Migration 0009 (the desk's accounts): a store written at 0008 upgrades, keeps and serves
every event as before, and takes accounts."""

from __future__ import annotations

import sqlalchemy as sa

from tests.conftest import AppFactory, create_token
from tests.web.desk import make_account, sign_in
from timeline.http import db
from timeline.store import migrations

SERVED = ["/api/events?limit=200", "/calendar.ics", "/feed.rss", "/feed.json", "/"]
TABLES = {"accounts", "account_timelines", "account_sessions", "sign_in_failures"}


def test_a_store_written_at_0008_upgrades_and_is_served_the_same(make_app: AppFactory) -> None:
    first = make_app(SEED_ON_START=True)
    engine = db.get_engine(first)
    migrations.downgrade(engine, "0008")
    with engine.connect() as connection:
        assert not TABLES & set(sa.inspect(connection).get_table_names())
    # Written at 0008: an event through the API (its tables are 0008's).
    client = first.test_client()
    headers = {"Authorization": f"Bearer {create_token(first)}"}
    body = {"id": "written-at-0008", "title": "Written at 0008", "start": "2025-03-01"}
    assert client.post("/api/events", json=body, headers=headers).status_code == 201
    before = {path: client.get(path).data for path in SERVED}
    second = make_app()  # migrates to the newest schema
    assert migrations.is_current(engine)
    with engine.connect() as connection:
        assert TABLES <= set(sa.inspect(connection).get_table_names())
        count = connection.execute(sa.text("SELECT count(*) FROM events")).scalar()
    assert count == 22
    after = {path: second.test_client().get(path).data for path in SERVED}
    assert after == before
    make_account(second)
    assert sign_in(second.test_client()).status_code == 303
    # And down again: the accounts go, the events stay.
    migrations.downgrade(engine, "0008")
    with engine.connect() as connection:
        assert not TABLES & set(sa.inspect(connection).get_table_names())
        assert connection.execute(sa.text("SELECT count(*) FROM events")).scalar() == 22
