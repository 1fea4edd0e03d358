"""Changes of events stamped with store versions at the very end of their transaction.

A write transaction records the events it changes (:func:`record_change`); just before
the session commits, one statement raises the store version (:class:`StoreState`) by
their number, stamps them (``change_version``) and brings their timelines to it
(:func:`timeline.store.version.touch_timelines`). The row lock that the version's UPDATE
takes (PostgreSQL) is so held only from that statement to the commit, not while the
rest of the transaction runs: concurrent writers do their work side by side and queue
only for the stamp. Versions still follow commit order: the next writer's UPDATE of the
version row waits for this commit, so no reader sees version N+1 before the change of
version N (on SQLite the single writer's transaction orders them).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from timeline.store.models import Event, StoreState, Timeline, TimelineEvent, UtcDateTime
from timeline.store.version import touch_timelines

_KEY = "timeline.pending_changes"


@dataclasses.dataclass
class _Pending:
    """The changes a transaction has recorded, in the order recorded."""

    events: list[Event] = dataclasses.field(default_factory=list)
    updated: dt.datetime | None = None
    longest: int = 0


def record_change(session: orm.Session, event: Event) -> None:
    """Record a change of ``event`` in this transaction: just before the session commits,
    the store version goes up by one for it and the event is stamped with that version
    (``change_version``; each change recorded gets its own, in the order recorded), its
    timelines are brought to it, the store's ``updated`` to ``event.updated`` when newer
    and the longest span (:func:`timeline.store.version.longest_span`) to the event's
    when longer. Call after ``event.updated``, ``start`` and ``end`` are set; does not
    commit. :func:`stamp_changes` does it earlier, on demand."""
    pending = session.info.setdefault(_KEY, _Pending())
    span = 0 if event.end is None else int((event.end - event.start).total_seconds()) + 1
    pending.events.append(event)
    if pending.updated is None or event.updated > pending.updated:
        pending.updated = event.updated
    pending.longest = max(pending.longest, span)


def stamp_changes(session: orm.Session) -> int | None:
    """Stamp the changes recorded in this transaction now (see :func:`record_change`);
    return the newest version given, or None when none was recorded. Flushes first."""
    pending: _Pending | None = session.info.pop(_KEY, None)
    if pending is None or not pending.events:
        return None
    session.flush()
    assert pending.updated is not None
    ids = [event.id for event in pending.events]
    count = len(ids)
    when = sa.literal(pending.updated, UtcDateTime())
    raise_version = (
        sa.update(StoreState)
        .where(StoreState.id == 1)
        .values(
            version=StoreState.version + count,
            updated=sa.case((StoreState.updated < when, when), else_=StoreState.updated),
            longest=sa.case(
                (StoreState.longest < pending.longest, pending.longest),
                else_=StoreState.longest,
            ),
        )
        .returning(StoreState.version)
    )
    options: dict[str, Any] = {"synchronize_session": False}
    if count == 1 and session.get_bind().dialect.name == "postgresql":
        last = _stamp_one_postgresql(session, raise_version, ids[0], pending.updated)
    else:
        last = int(session.execute(raise_version, execution_options=options).scalar_one())
        stamps = [{"id": i, "change_version": last - count + 1 + n} for n, i in enumerate(ids)]
        session.execute(sa.update(Event), stamps)  # by primary key, one executemany
        touch_timelines(session, last, pending.updated, ids)
    for n, event in enumerate(pending.events):
        orm.attributes.set_committed_value(event, "change_version", last - count + 1 + n)
    return last


def _stamp_one_postgresql(
    session: orm.Session, raise_version: Any, event_id: str, when: dt.datetime
) -> int:
    """Raise the version, stamp the event ``event_id`` and touch its timelines in one
    statement (data-modifying WITH, PostgreSQL): one round trip under the row lock."""
    raised = raise_version.cte("raised")
    version = sa.select(raised.c.version).scalar_subquery()
    stamped = (
        sa.update(Event)
        .where(Event.id == event_id)
        .values(change_version=version)
        .returning(Event.id)
        .cte("stamped")
    )
    at = sa.literal(when, UtcDateTime())
    holding = sa.select(TimelineEvent.timeline_id).where(TimelineEvent.event_id == event_id)
    touched = (
        sa.update(Timeline)
        .where(Timeline.id.in_(holding))
        .values(
            version=version,
            updated=sa.case((Timeline.updated < at, at), else_=Timeline.updated),
        )
        .returning(Timeline.id)
        .cte("touched")
    )
    stmt = sa.select(
        raised.c.version,
        sa.select(sa.func.count()).select_from(stamped).scalar_subquery(),
        sa.select(sa.func.count()).select_from(touched).scalar_subquery(),
    )
    return int(session.execute(stmt).one()[0])


@sa.event.listens_for(orm.Session, "before_commit")
def _before_commit(session: orm.Session) -> None:
    if not session.in_nested_transaction():  # a savepoint's release stamps nothing
        stamp_changes(session)


@sa.event.listens_for(orm.Session, "after_transaction_end")
def _after_transaction_end(session: orm.Session, transaction: orm.SessionTransaction) -> None:
    # The session's own transaction ended unstamped (rolled back or closed): what it
    # recorded was not written. A savepoint's end leaves the recorded changes.
    if transaction.parent is None and not transaction.nested:
        session.info.pop(_KEY, None)
