"""Following the tz database: when its rules change, the UTC instants of the events kept
as wall times are derived again, and every document built under the old rules is
dropped."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from timeline.store.models import Event, StoreState, UtcDateTime, utcnow
from timeline.store.values import EventData
from timeline.store.version import touch_timelines
from timeline.store.walltime import rules_version
from timeline.store.writes import as_utc, event_data


def rules_changed(session: orm.Session) -> bool:
    """Whether the tz database differs from the one the stored instants follow (one
    primary-key read)."""
    zones = session.scalar(sa.select(StoreState.zones).where(StoreState.id == 1))
    return zones is not None and zones != rules_version()


def follow_tz_rules(session: orm.Session) -> int:
    """Bring the stored instants in line with this process's tz database.

    When its version (:func:`timeline.store.walltime.rules_version`) differs from the
    one the store's instants were derived under (``StoreState.zones``), derive the UTC
    ``start`` and ``end`` of every event kept as a wall time again, give each one that
    moved a change of its own (``change_version``, and its content hash), raise the
    store version once more (the calendars' VTIMEZONEs change with the rules) with
    ``updated`` now, so that no ETag or Last-Modified of the old documents holds, and
    note the version. Returns the number of events that moved; 0 at once, with one
    primary-key read, when the rules are those of the store. Does not commit.
    """
    rules = rules_version()
    state = session.get(StoreState, 1)
    if state is None or state.zones == rules:
        return 0
    moved: list[tuple[Event, EventData]] = []
    for event in session.scalars(sa.select(Event).where(Event.wall_start.is_not(None))):
        data = event_data(event)  # start and end read from the wall times, by today's rules
        start = as_utc(data.start)
        end = None if data.end is None else as_utc(data.end)
        if (start, end) != (event.start, event.end):
            event.start, event.end = start, end
            event.content_hash = data.content_hash()
            moved.append((event, data))
    now = sa.literal(utcnow(), UtcDateTime())
    spans = [0] + [
        int((e.end - e.start).total_seconds()) + 1 for e, _ in moved if e.end is not None
    ]
    version = session.execute(
        sa.update(StoreState)
        .where(StoreState.id == 1)
        .values(
            version=StoreState.version + len(moved) + 1,
            updated=sa.case((StoreState.updated < now, now), else_=StoreState.updated),
            longest=sa.case(
                (StoreState.longest < max(spans), max(spans)), else_=StoreState.longest
            ),
            zones=rules,
        )
        .returning(StoreState.version),
        execution_options={"synchronize_session": False},
    ).scalar_one()
    for number, (event, _) in enumerate(moved):
        event.change_version = version - len(moved) + number
    touch_timelines(session, version, utcnow())  # every calendar's VTIMEZONEs change
    session.flush()
    return len(moved)
