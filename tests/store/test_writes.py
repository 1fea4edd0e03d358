"""The store: writes, revisions, tombstones, constraints, filters, on a real database."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy import exc, orm

from timeline.http import db
from timeline.store import writes
from timeline.store.models import Event, Revision
from timeline.store.queries import EventFilter, cursor_after, list_events
from timeline.store.values import EventData, Translation, slugify
from timeline.store.version import VersionReader, read_version

D = dt.date


def day_event(event_id: str, day: dt.date, **fields: object) -> EventData:
    values: dict[str, object] = {
        "id": event_id,
        "title": f"Event {event_id}",
        "start": day,
        "end": day + dt.timedelta(days=1),
        "all_day": True,
    }
    values.update(fields)
    return EventData(**values)  # type: ignore[arg-type]


def test_create_stores_every_field(session: orm.Session) -> None:
    data = day_event(
        "summit",
        D(2025, 2, 9),
        end=D(2025, 2, 11),
        description="Two days",
        location="Paris",
        url="https://example.com/s",
        tags=("Summit", "AI policy"),
        organizations=("France", "India"),
        source_name="News",
        source_published="2025-02",
        source_locator="paragraph 18",
        timezone="Europe/Paris",
    )
    writes.create_event(session, data, author="test")
    session.commit()
    session.expunge_all()
    event = session.get(Event, "summit")
    assert event is not None
    assert (event.start_value, event.end_value) == (D(2025, 2, 9), D(2025, 2, 11))
    assert event.tag_names == ["Summit", "AI policy"]
    assert [t.tag_slug for t in event.tags] == ["summit", "ai-policy"]
    assert event.organization_names == ["France", "India"]
    assert event.created.tzinfo is dt.UTC and event.updated == event.created
    assert event.sequence == 0 and not event.deleted
    assert writes.event_data(event) == data


def test_timed_event_keeps_its_instant(session: orm.Session) -> None:
    start = dt.datetime(2025, 8, 20, 16, 0, tzinfo=ZoneInfo("Europe/Madrid"))
    data = EventData(
        id="choir",
        title="Choir",
        start=start,
        end=start + dt.timedelta(hours=2),
        all_day=False,
        precision="datetime",
        timezone="Europe/Madrid",
    )
    writes.create_event(session, data, author="t")
    session.commit()
    session.expunge_all()
    event = session.get(Event, "choir")
    assert event is not None
    assert event.start_value == dt.datetime(2025, 8, 20, 14, 0, tzinfo=dt.UTC)
    assert event.end_value == dt.datetime(2025, 8, 20, 16, 0, tzinfo=dt.UTC)


def test_new_event_is_persistent_and_changes_in_its_transaction(session: orm.Session) -> None:
    # create_event builds the new event's instances as if loaded (no attribute events):
    # they must be persistent, with nothing for the unit of work to write, and an
    # update in the same transaction must replace each kind of part.
    data = day_event(
        "fresh",
        D(2025, 3, 1),
        tags=("AI", "ai", "Chips"),
        organizations=("OpenAI",),
        translations=(Translation("zh", "新", ""),),
    )
    event = writes.create_event(session, data, author="t")
    assert sa.inspect(event).persistent
    assert all(sa.inspect(part).persistent for part in (*event.tags, *event.translations))
    assert not session.new and not session.dirty
    assert [(t.tag_slug, t.label, t.event is event) for t in event.tags] == [
        ("ai", "AI", True),
        ("chips", "Chips", True),
    ]
    assert [o.organization.name for o in event.organizations] == ["OpenAI"]
    assert event.organizations[0].event is event
    changed = dataclasses.replace(
        data,
        tags=("Chips", "Policy"),
        organizations=(),
        translations=(Translation("fr", "Neuf", ""),),
    )
    assert writes.update_event(session, event, changed, author="t")
    session.commit()
    session.expunge_all()
    stored = session.get(Event, "fresh")
    assert stored is not None and stored.sequence == 1
    assert [(t.tag_slug, t.position) for t in stored.tags] == [("chips", 0), ("policy", 1)]
    assert stored.organizations == []
    assert [(t.language, t.title) for t in stored.translations] == [("fr", "Neuf")]
    assert writes.event_data(stored) == changed


def test_update_bumps_sequence_and_keeps_revisions(session: orm.Session) -> None:
    event = writes.create_event(session, day_event("a", D(2025, 1, 1)), author="alice")
    assert not writes.update_event(session, event, day_event("a", D(2025, 1, 1)), author="bob")
    assert writes.update_event(
        session, event, day_event("a", D(2025, 1, 2), title="Moved"), author="bob"
    )
    writes.delete_event(session, event, author="carol")
    session.commit()
    history = writes.revisions(session, "a")
    assert [(r.sequence, r.action, r.author) for r in history] == [
        (0, "create", "alice"),
        (1, "update", "bob"),
        (2, "delete", "carol"),
    ]
    assert history[0].data["title"] == "Event a" and history[1].data["title"] == "Moved"
    assert history[2].data["deleted"] is True
    assert event.sequence == 2 and event.deleted


def test_tombstone_leaves_listing_and_cannot_change(session: orm.Session) -> None:
    event = writes.create_event(session, day_event("gone", D(2025, 1, 1)), author="t")
    writes.create_event(session, day_event("kept", D(2025, 1, 2)), author="t")
    writes.delete_event(session, event, author="t")
    session.commit()
    assert [e.id for e in list_events(session, EventFilter())] == ["kept"]
    assert session.get(Event, "gone") is not None  # never a hard delete
    with pytest.raises(writes.EventGoneError):
        writes.update_event(session, event, day_event("gone", D(2025, 3, 3)), author="t")
    with pytest.raises(writes.EventGoneError):
        writes.delete_event(session, event, author="t")
    with pytest.raises(writes.EventExistsError):
        writes.create_event(session, day_event("gone", D(2025, 1, 1)), author="t")


def test_duplicate_id_is_refused(session: orm.Session) -> None:
    writes.create_event(session, day_event("x", D(2025, 1, 1)), author="t")
    with pytest.raises(writes.EventExistsError, match="'x'"):
        writes.create_event(session, day_event("x", D(2025, 1, 5)), author="t")


def test_schema_refuses_end_before_start(session: orm.Session) -> None:
    session.add(
        Event(
            id="bad",
            title="Bad",
            start=dt.datetime(2025, 1, 2, tzinfo=dt.UTC),
            end=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        )
    )
    with pytest.raises(exc.IntegrityError):
        session.flush()


def test_schema_refuses_duplicate_revision(session: orm.Session) -> None:
    writes.create_event(session, day_event("r", D(2025, 1, 1)), author="t")
    session.flush()
    session.add(
        Revision(
            event_id="r", sequence=0, action="x", author="t", at=dt.datetime.now(dt.UTC), data={}
        )
    )
    with pytest.raises(exc.IntegrityError):
        session.flush()


def test_schema_refuses_dangling_tag(session: orm.Session) -> None:
    insert = (
        "INSERT INTO event_tags (event_id, tag_slug, label, position) VALUES ('n', 'n', 'n', 0)"
    )
    with pytest.raises(exc.IntegrityError):
        session.execute(sa.text(insert))


def test_organization_aliases_resolve_to_one(session: orm.Session) -> None:
    writes.define_organization(session, "OpenAI", ["开放人工智能研究中心"])
    writes.create_event(
        session, day_event("o", D(2025, 1, 31), organizations=("开放人工智能研究中心",)), author="t"
    )
    session.commit()
    event = session.get(Event, "o")
    assert event is not None and event.organization_names == ["OpenAI"]
    assert [e.id for e in list_events(session, EventFilter(org="openai"))] == ["o"]
    assert [e.id for e in list_events(session, EventFilter(org="开放人工智能研究中心"))] == ["o"]
    assert list_events(session, EventFilter(org="google")) == []


def test_filters_and_order(session: orm.Session) -> None:
    writes.create_event(session, day_event("jan", D(2025, 1, 10), tags=("models",)), author="t")
    writes.create_event(
        session,
        day_event("feb", D(2025, 2, 9), end=D(2025, 2, 11), tags=("models", "eu")),
        author="t",
    )
    writes.create_event(
        session, day_event("mar", D(2025, 3, 1), description="Grok 100% ready"), author="t"
    )
    session.commit()

    def ids(**kw: object) -> list[str]:
        return [e.id for e in list_events(session, EventFilter(**kw))]  # type: ignore[arg-type]

    assert ids() == ["mar", "feb", "jan"]
    assert ids(tags=("models",)) == ["feb", "jan"]
    assert ids(tags=("models", "eu")) == ["feb"]
    assert ids(start=D(2025, 2, 10)) == ["mar", "feb"]  # feb runs through 02-10
    assert ids(start=D(2025, 2, 11)) == ["mar"]
    assert ids(until=D(2025, 2, 9)) == ["feb", "jan"]
    assert ids(until=D(2025, 2, 8)) == ["jan"]
    assert ids(q="grok 100%") == ["mar"]
    assert ids(q="%") == ["mar"]
    assert ids(q="_") == []


def test_cursor_pagination_visits_each_event_once(session: orm.Session) -> None:
    for i in range(7):
        writes.create_event(session, day_event(f"e{i}", D(2025, 1, 1 + i // 2)), author="t")
    session.commit()
    seen: list[str] = []
    cursor = None
    while True:
        page = list_events(session, EventFilter(), limit=3, cursor=cursor)
        seen += [e.id for e in page]
        if len(page) < 3:
            break
        cursor = cursor_after(page[-1])
    assert seen == ["e6", "e5", "e4", "e3", "e2", "e1", "e0"]


def test_store_version_moves_on_every_change(app: Flask, session: orm.Session) -> None:
    reader = VersionReader(db.get_engine(app))
    try:
        empty = read_version(session)
        assert reader.read() == empty
        event = writes.create_event(session, day_event("v", D(2025, 1, 1)), author="t")
        session.commit()
        one = read_version(session)
        assert not writes.update_event(session, event, day_event("v", D(2025, 1, 1)), author="t")
        session.commit()
        assert read_version(session) == one  # no change, no new version
        writes.delete_event(session, event, author="t")
        session.commit()
        deleted = read_version(session)
        assert reader.read() == deleted  # another connection sees the commit at once
    finally:
        reader.close()
    assert (empty.version, one.version, deleted.version) == (0, 1, 2)
    assert empty.updated < one.updated == event.created < deleted.updated == event.updated
    assert event.change_version == 2


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Community, Outdoor", "community-outdoor"),
        ("欧盟委员会", "欧盟委员会"),
        ("ＡＩ_Act", "ai-act"),
        ("!!", ""),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_an_organization_named_first_by_two_writers_at_once(app: Flask) -> None:
    """PostgreSQL lets two transactions insert the same new organization: the second
    waits for the first to commit, then takes its row instead of failing."""
    import threading

    engine = db.get_engine(app)
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time (BEGIN IMMEDIATE)")
    sessions = orm.sessionmaker(engine, expire_on_commit=False)
    results: dict[str, object] = {}
    with sessions() as first:
        ours = writes.organization_for(first, "Moonshot AI")  # inserted, not committed

        def second_writer() -> None:
            with sessions() as second:
                try:
                    event = writes.create_event(
                        second,
                        day_event("m", D(2025, 2, 1), organizations=("Moonshot AI",)),
                        author="t",
                    )
                    second.commit()
                    results["org"] = event.organizations[0].organization_id
                except Exception as error:  # reported to the main thread
                    results["error"] = error

        thread = threading.Thread(target=second_writer)
        thread.start()
        thread.join(timeout=1)
        assert thread.is_alive()  # waiting on our uncommitted row
        first.commit()
        thread.join(timeout=30)
    assert "error" not in results, results.get("error")
    assert results["org"] == ours.id
