"""The Core loader of the calendar parts (timeline.publish.rows) reads every kind of
event exactly as the ORM path does."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import Flask

import feeds
from tests.conftest import delete_event
from timeline.http import db
from timeline.publish.convert import entry_of, published, to_entry
from timeline.publish.rendering import Parts
from timeline.publish.rows import load_published, related_of_added
from timeline.store import bulk, writes
from timeline.store.models import Event, EventPart
from timeline.store.values import EventData, Translation

BERLIN = ZoneInfo("Europe/Berlin")


def _kinds() -> list[EventData]:
    """One event of each kind the store holds, besides the seeds (all-day, in several
    languages, with organizations named in Chinese)."""
    weekly = dt.datetime(2026, 3, 2, 9, 30, tzinfo=BERLIN)
    return [
        EventData(
            id="standup",
            title="Stand-up",
            start=weekly,
            end=weekly + dt.timedelta(minutes=15),
            all_day=False,
            precision="datetime",
            timezone="Europe/Berlin",
            tags=("Team", "weekly"),
            organizations=("Acme Research", "OpenAI"),
            organization_names=(("Acme Research", (("zh", "极致研究"),)),),
            language="en",
            translations=(Translation("zh", "站会", "每周站会"),),
            description="Weekly stand-up",
            rrule="FREQ=WEEKLY;COUNT=6",
            rdate=("2026-03-20T09:30:00+01:00",),
            exdate=("2026-03-16T09:30:00+01:00",),
            source_name="Team wiki",
            source_published="2026-02-01",
            source_locator="p. 3",
            location="Room 1",
            url="https://example.org/standup",
        ),
        EventData(
            id="standup-moved",
            title="Stand-up (moved)",
            start=dt.datetime(2026, 3, 10, 11, 0, tzinfo=BERLIN),
            end=dt.datetime(2026, 3, 10, 11, 15, tzinfo=BERLIN),
            all_day=False,
            precision="datetime",
            timezone="Europe/Berlin",
            recurrence_of="standup",
            recurrence_id="2026-03-09T09:30:00+01:00",
        ),
        EventData(
            id="holidays",
            title="假期",
            start=dt.date(2026, 8, 1),
            end=dt.date(2026, 8, 15),
            all_day=True,
            language="zh",
            translations=(Translation("en", "Holidays", ""),),
            rrule="FREQ=YEARLY;COUNT=3",
            exdate=("2027-08-01",),
            approximate=True,
            precision="month",
            when="八月",
        ),
        EventData(
            id="launch-off",
            title="Launch",
            start=dt.datetime(2026, 5, 1, 14, 0, tzinfo=dt.UTC),
            end=None,
            all_day=False,
            precision="datetime",
            timezone="UTC",
            status="cancelled",
        ),
        EventData(
            id="gone",
            title="Withdrawn",
            start=dt.datetime(2026, 6, 1, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
            end=dt.datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
            all_day=False,
            precision="datetime",
            timezone="Asia/Shanghai",
            tags=("gone",),
            status="tentative",
        ),
    ]


@pytest.mark.parametrize("lang", [None, "en", "zh", "zh-CN"])
def test_core_loader_gives_the_orm_paths_entries(seeded_app: Flask, lang: str | None) -> None:
    with seeded_app.app_context():
        session = db.get_session()
        for data in _kinds():
            writes.create_event(session, data, author="t")
        # Stored instants an hour off their wall times, as after a change of the zone's
        # rules not yet followed (timeline.store.tzrules): the wall times are the truth.
        session.execute(
            sa.update(Event)
            .where(Event.id == "standup-moved")
            .values(
                start=dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC),
                end=dt.datetime(2026, 3, 10, 9, 15, tzinfo=dt.UTC),
            )
        )
        session.commit()
    delete_event(seeded_app, "gone")
    config = dict(seeded_app.config)
    with seeded_app.app_context():
        session = db.get_session()
        events = {e.id: e for e in session.scalars(sa.select(Event))}
        orm_values = {i: published(e, lang) for i, e in events.items()}
        orm_entries = {i: to_entry(e, config, lang) for i, e in events.items()}
        session.rollback()
        loaded = load_published(session, sorted(events), lang)
    core_values = {p.data.id: p for p in loaded}
    assert len(events) > 20 and core_values.keys() == orm_values.keys()
    assert core_values == orm_values
    core_entries = {i: entry_of(p, config, lang) for i, p in core_values.items()}
    assert core_entries == orm_entries
    # Equal datetimes may differ in zone: the reprs say which.
    assert [repr(core_entries[i]) for i in sorted(events)] == [
        repr(orm_entries[i]) for i in sorted(events)
    ]
    assert [feeds.render_vevent(core_entries[i]) for i in sorted(events)] == [
        feeds.render_vevent(orm_entries[i]) for i in sorted(events)
    ]
    # Every kind is there, read as stored.
    standup, moved = core_entries["standup"], core_entries["standup-moved"]
    assert standup.start == dt.datetime(2026, 3, 2, 9, 30, tzinfo=BERLIN)
    assert standup.rrule == "FREQ=WEEKLY;COUNT=6"
    assert standup.exdate == (dt.datetime(2026, 3, 16, 9, 30, tzinfo=BERLIN),)
    assert standup.tags == ("Team", "weekly")
    chinese = lang is not None and lang.startswith("zh")
    assert standup.organizations == (
        ("极致研究", "开放人工智能研究中心") if chinese else ("Acme Research", "OpenAI")
    )
    titles = {None: "Stand-up", "en": "Stand-up", "zh": "站会", "zh-CN": "站会 [中文]"}
    assert standup.title == titles[lang]
    assert standup.source_locator == "p. 3"
    assert moved.uid == standup.uid and moved.recurrence_id is not None
    assert moved.start == dt.datetime(2026, 3, 10, 11, 0, tzinfo=BERLIN)
    assert isinstance(moved.start, dt.datetime) and moved.start.tzinfo == BERLIN
    assert core_entries["holidays"].start == dt.date(2026, 8, 1)
    assert core_entries["holidays"].end == dt.date(2026, 8, 15)
    assert core_entries["launch-off"].status == "cancelled"
    assert core_values["gone"].deleted and core_entries["gone"].status == "cancelled"


def test_core_loader_skips_unknown_ids_and_empty_lists(seeded_app: Flask) -> None:
    with seeded_app.app_context():
        session = db.get_session()
        assert load_published(session, []) == []
        assert load_published(session, ["no-such-event"]) == []


def test_parts_of_an_import_batch_equal_those_rendered_from_the_store(seeded_app: Flask) -> None:
    """The parts an import stores from the rows it just wrote (related_of_added) are the
    bytes rendered from the events read back, for every kind of event."""
    config = dict(seeded_app.config)
    sessions = seeded_app.extensions["timeline.sessionmaker"]
    with seeded_app.app_context():
        session = db.get_session()
        added = bulk.add_events(session, _kinds(), author="t")
        session.commit()
        parts = Parts(sessions, config, "k" * 16, leave_out=True)
        assert len(parts.render(related_of_added(added), None)) == len(_kinds())
        parts.flush()
        rows = session.execute(sa.select(EventPart.event_id, EventPart.body))
        stored = {event_id: body for event_id, body in rows}
        events = session.scalars(sa.select(Event).where(Event.id.in_(stored)))
        expected = {e.id: feeds.render_vevent(to_entry(e, config)) for e in events}
    assert sorted(stored) == sorted(d.id for d in _kinds())
    assert stored == expected
