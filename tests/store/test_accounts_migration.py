"""Migration 0009 (the desk's accounts): a store written at 0008 upgrades, keeps and serves
every event as before, and takes accounts whose rights are its timelines' ids."""

from __future__ import annotations

import sqlalchemy as sa

from tests.conftest import AppFactory, create_token
from tests.web.desk import make_account, post_form, sign_in
from timeline.http import db
from timeline.store import migrations

SERVED = ["/api/events?limit=200", "/calendar.ics", "/feed.rss", "/feed.json", "/"]
TABLES = {"accounts", "account_timelines", "account_sessions", "sign_in_failures"}


def test_a_store_written_at_0008_upgrades_and_is_served_the_same(make_app: AppFactory) -> None:
    first = make_app(SEED_ON_START=True)
    engine = db.get_engine(first)
    # An event and a timeline through the API, in tables that 0008 has as they are
    # (this release writes a new event on PostgreSQL with the function of 0010), then
    # the store taken down to 0008.
    client = first.test_client()
    headers = {"Authorization": f"Bearer {create_token(first)}"}
    body = {"id": "written-at-0008", "title": "Written at 0008", "start": "2025-03-01"}
    assert client.post("/api/events", json=body, headers=headers).status_code == 201
    admin = {"Authorization": f"Bearer {create_token(first, 'root', admin=True)}"}
    assert client.post("/api/timelines", json={"slug": "fed"}, headers=admin).status_code == 201
    migrations.downgrade(engine, "0008")
    with engine.connect() as connection:
        assert not TABLES & set(sa.inspect(connection).get_table_names())
    before = {path: client.get(path).data for path in SERVED}
    second = make_app()  # migrates to the newest schema
    assert migrations.is_current(engine)
    with engine.connect() as connection:
        assert TABLES <= set(sa.inspect(connection).get_table_names())
        count = connection.execute(sa.text("SELECT count(*) FROM events")).scalar()
    assert count == 22
    after = {path: second.test_client().get(path).data for path in SERVED}
    assert after == before
    with engine.connect() as connection:
        inspector = sa.inspect(connection)
        columns = [c["name"] for c in inspector.get_columns("account_timelines")]
        keys = {(k["referred_table"], tuple(k["referred_columns"]))
                for k in inspector.get_foreign_keys("account_timelines")}  # fmt: skip
    assert columns == ["account", "timeline_id"]
    assert keys == {("accounts", ("name",)), ("timelines", ("id",))}
    # An editor of the timeline made at 0008 writes to it, and to it only.
    make_account(second, timelines=("fed",))
    desk = second.test_client()
    assert sign_in(desk).status_code == 303
    event = {"title_en": "Rates held", "start": "2025-03-19", "language": "en"}
    new = "/desk/events/new?timeline=fed"
    assert post_form(desk, new, "/desk/events/new", event | {"timeline": "fed"}).status_code == 303
    assert post_form(desk, new, "/desk/events/new", event | {"timeline": "main"}).status_code == 403
    fed = second.test_client().get("/t/fed/feed.json").get_json()
    assert [item["title"] for item in fed["items"]] == ["Rates held"]
    with engine.connect() as connection:
        rights = connection.execute(sa.text("SELECT account, timeline_id FROM account_timelines"))
        fed_id = connection.execute(sa.text("SELECT id FROM timelines WHERE slug = 'fed'"))
        assert rights.all() == [("editor", fed_id.scalar())]
    # And down again: the accounts go, the events stay.
    migrations.downgrade(engine, "0008")
    with engine.connect() as connection:
        assert not TABLES & set(sa.inspect(connection).get_table_names())
        assert connection.execute(sa.text("SELECT count(*) FROM events")).scalar() == 23
