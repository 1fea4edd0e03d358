"""``timeline import`` on PostgreSQL leaves the planner statistics of the tables it
filled (ANALYZE), so that the first page of a listing reads that page, not the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy import orm

from timeline.http import db
from timeline.store import bulk
from timeline.store.models import DEFAULT_TIMELINE_ID
from timeline.store.queries import EventFilter, list_events

IMPORTED = 2000


def _import(app: Flask, tmp_path: Path) -> str:
    events = [
        {"title": f"Rate decision {n}", "start": f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}"}
        for n in range(IMPORTED)
    ]
    path = tmp_path / "events.json"
    path.write_text(json.dumps(events))
    result = app.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    last: str = result.output.splitlines()[-1]
    return last


def _counted(app: Flask) -> dict[str, float]:
    counted = sa.text(
        "SELECT relname, reltuples FROM pg_class "
        "WHERE relnamespace = CAST(current_schema() AS regnamespace) AND relname = ANY(:names)"
    )
    with db.get_engine(app).connect() as conn:
        names = {"names": list(bulk.FILLED_BY_IMPORT)}
        return {name: count for name, count in conn.execute(counted, names)}


@pytest.fixture
def postgresql_app(app: Flask) -> Flask:
    if db.get_engine(app).dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: set TIMELINE_TEST_DATABASE_URL (as .ci/run does)")
    return app


def test_an_import_analyzes_every_table_it_filled(postgresql_app: Flask, tmp_path: Path) -> None:
    summary = _import(postgresql_app, tmp_path)
    assert summary == f"added {IMPORTED}, updated 0, unchanged 0, rejected 0"
    rows = _counted(postgresql_app)
    # ANALYZE counts each table's rows (-1: never analyzed, as migrations left them).
    assert sorted(rows) == sorted(bulk.FILLED_BY_IMPORT)
    assert rows["events"] == IMPORTED
    assert rows["timeline_events"] == IMPORTED
    assert rows["revisions"] == IMPORTED
    assert rows["event_tags"] == 0
    assert all(count >= 0 for count in rows.values()), rows


def test_the_first_page_after_an_import_reads_the_page_not_the_timeline(
    postgresql_app: Flask, tmp_path: Path
) -> None:
    _import(postgresql_app, tmp_path)
    fetched = sa.text(
        "SELECT relname, idx_tup_fetch + seq_tup_read FROM pg_stat_xact_user_tables "
        "WHERE relname IN ('events', 'timeline_events')"
    )
    with db.get_engine(postgresql_app).connect() as conn:
        # The backend's counts not yet reported: read in one transaction, they move only
        # with what it does.
        before: dict[str, int] = {name: n for name, n in conn.execute(fetched)}
        session = orm.Session(bind=conn)
        page = list_events(session, EventFilter(timeline=DEFAULT_TIMELINE_ID), limit=51)
        after: dict[str, int] = {name: n for name, n in conn.execute(fetched)}
    assert [event.start.date().isoformat() for event in page[:2]] == ["2025-12-28", "2025-12-28"]
    assert len(page) == 51
    read = {name: after.get(name, 0) - before.get(name, 0) for name in after}
    # Unanalyzed, PostgreSQL took timeline_events for nearly empty and read all 2,000 of
    # its rows, then looked each event up (2,000 more), to sort them for the 51 newest.
    assert read["events"] <= 2 * 51, read
    assert read["timeline_events"] <= 2 * 51, read


def test_a_small_import_into_a_large_store_leaves_the_statistics_to_autovacuum(
    postgresql_app: Flask, tmp_path: Path
) -> None:
    _import(postgresql_app, tmp_path)
    # 300 changed of 2,000 counted: more than 50 + 10% (250), analyzed again.
    more = [{"title": f"Hearing {n}", "start": "2026-01-05"} for n in range(300)]
    path = tmp_path / "more.json"
    path.write_text(json.dumps(more))
    result = postgresql_app.test_cli_runner().invoke(args=["import", str(path)])
    assert result.output.splitlines()[-1] == "added 300, updated 0, unchanged 0, rejected 0"
    assert _counted(postgresql_app)["events"] == IMPORTED + 300
    # 1 more of 2,300: left as they are, as autovacuum would leave them.
    path.write_text(json.dumps(more[:10] + [{"title": "Vote", "start": "2026-01-06"}]))
    result = postgresql_app.test_cli_runner().invoke(args=["import", str(path)])
    assert result.output.splitlines()[-1] == "added 1, updated 0, unchanged 10, rejected 0"
    assert _counted(postgresql_app)["events"] == IMPORTED + 300


def test_a_table_held_by_another_session_is_skipped_not_waited_for(
    postgresql_app: Flask, tmp_path: Path
) -> None:
    engine = db.get_engine(postgresql_app)
    with engine.connect() as holder:
        # What a VACUUM or another ANALYZE of event_parts would hold until it ends.
        holder.exec_driver_sql("LOCK TABLE event_parts IN SHARE UPDATE EXCLUSIVE MODE")
        summary = _import(postgresql_app, tmp_path)
        holder.rollback()
    assert summary == f"added {IMPORTED}, updated 0, unchanged 0, rejected 0"
    counted = _counted(postgresql_app)
    assert counted["events"] == IMPORTED
    assert counted["event_parts"] == -1  # skipped: never analyzed


def test_a_failed_analyze_is_a_warning_after_the_import_stored_everything(
    postgresql_app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def cancelled(session: orm.Session, changed: int) -> bool:
        session.execute(sa.text("SET LOCAL statement_timeout = 1"))
        session.execute(sa.text("SELECT pg_sleep(1)"))
        return True

    monkeypatch.setattr(bulk, "analyze_filled", cancelled)
    events = [{"title": f"Summit {n}", "start": "2025-02-10"} for n in range(30)]
    path = tmp_path / "events.json"
    path.write_text(json.dumps(events))
    result = postgresql_app.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "added 30, updated 0, unchanged 0, rejected 0"
    assert result.stderr == (
        "warning: the events are stored, but ANALYZE of their tables failed (canceling "
        "statement due to statement timeout); autovacuum, or an ANALYZE run by hand, gives "
        "the planner their statistics\n"
    )
    listed = postgresql_app.test_client().get("/api/events?limit=100").get_json()["events"]
    assert len(listed) == 30
