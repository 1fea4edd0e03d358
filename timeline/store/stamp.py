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

import sqlalchemy as sa
from psycopg import sql as psql
from sqlalchemy import orm

from timeline.store import deferred
from timeline.store.engine import before_begin
from timeline.store.models import Event, StoreState, UtcDateTime
from timeline.store.version import touch_timelines

_KEY = "timeline.pending_changes"


@dataclasses.dataclass
class _Pending:
    """The changes a transaction has recorded, in the order recorded: each event with its
    ``updated`` and span (seconds) then; and, per savepoint open (by id), how many
    changes had been recorded when it began, so that its rollback forgets the later
    ones."""

    changes: list[tuple[Event, dt.datetime, int]] = dataclasses.field(default_factory=list)
    savepoints: dict[int, int] = dataclasses.field(default_factory=dict)


def _pending(session: orm.Session) -> _Pending:
    pending: _Pending = session.info.setdefault(_KEY, _Pending())
    return pending


def record_change(session: orm.Session, event: Event) -> None:
    """Record a change of ``event`` in this transaction: just before the session commits,
    the store version goes up by one for it and the event is stamped with that version
    (``change_version``; each change recorded gets its own, in the order recorded), its
    timelines are brought to it, the store's ``updated`` to ``event.updated`` when newer
    and the longest span (:func:`timeline.store.version.longest_span`) to the event's
    when longer. A savepoint rolled back forgets the changes recorded in it. Call after
    ``event.updated``, ``start`` and ``end`` are set; does not commit.
    :func:`stamp_changes` does it earlier, on demand."""
    span = 0 if event.end is None else int((event.end - event.start).total_seconds()) + 1
    _pending(session).changes.append((event, event.updated, span))


def stamp_changes(session: orm.Session, *, committing: bool = False) -> int | None:
    """Stamp the changes recorded in this transaction now (see :func:`record_change`);
    return the newest version given, or None when none was recorded. Flushes first.

    ``committing`` (only just before the session's own COMMIT, nothing written after
    it): on PostgreSQL a single change is stamped and committed in one message, so the
    version row stays locked for one round trip and never while this thread waits for
    the interpreter lock between the stamp and the COMMIT; the session's COMMIT that
    follows finds no transaction open and sends nothing (psycopg)."""
    pending: _Pending | None = session.info.get(_KEY)
    if pending is None or not pending.changes:
        return None
    changes, pending.changes = pending.changes, []
    pending.savepoints = dict.fromkeys(pending.savepoints, 0)
    session.flush()
    ids = [event.id for event, _, _ in changes]
    updated = max(when for _, when, _ in changes)
    longest = max(span for _, _, span in changes)
    count = len(ids)
    if count == 1 and session.get_bind().dialect.name == "postgresql":
        last = _stamp_one_postgresql(session, ids[0], updated, longest, committing)
    else:
        last = _raise_version(session, count, updated, longest)
        stamps = [{"id": i, "change_version": last - count + 1 + n} for n, i in enumerate(ids)]
        session.execute(sa.update(Event), stamps)  # by primary key, one executemany
        touch_timelines(session, last, updated, ids)
    for n, (event, _, _) in enumerate(changes):
        orm.attributes.set_committed_value(event, "change_version", last - count + 1 + n)
    return last


def _raise_version(session: orm.Session, count: int, when: dt.datetime, longest: int) -> int:
    """Raise the store version by ``count``, its ``updated`` to ``when`` and its longest
    span to ``longest`` (seconds) when newer or longer; return the new version."""
    at = sa.literal(when, UtcDateTime())
    stmt = (
        sa.update(StoreState)
        .where(StoreState.id == 1)
        .values(
            version=StoreState.version + count,
            updated=sa.case((StoreState.updated < at, at), else_=StoreState.updated),
            longest=sa.case((StoreState.longest < longest, longest), else_=StoreState.longest),
        )
        .returning(StoreState.version)
    )
    options = {"synchronize_session": False}
    return int(session.execute(stmt, execution_options=options).scalar_one())


def _stamp_one_postgresql(
    session: orm.Session, event_id: str, when: dt.datetime, longest: int, commit: bool
) -> int:
    """Raise the version, stamp the event ``event_id`` and touch its timelines in one
    statement (data-modifying WITH, PostgreSQL; each part runs whether read or not):
    one round trip under the row lock, and no statement built per request. With
    ``commit``, the COMMIT follows in the same message (the simple query protocol, so
    the values are sent as literals quoted by psycopg, :mod:`psycopg.sql`); and when
    the event is new, its rows waiting on the connection are written in that statement
    with the version as ``change_version`` (:mod:`timeline.store.deferred`), else they
    are written first. A new event's statement, when the transaction has sent nothing
    else, is sent alone in autocommit (:func:`timeline.store.engine.before_begin`): it
    is the whole transaction, with no BEGIN before it."""
    at = when.astimezone(dt.UTC).replace(tzinfo=None)  # stored naive, UTC (UtcDateTime)
    connection = session.connection()
    new = deferred.take(connection)
    if new is not None and (not commit or new.event_id != event_id):
        deferred.defer(connection, new)
        deferred.write_waiting(connection)
        new = None
    if not commit:
        params = {"at": at, "span": longest, "event": event_id}
        return int(session.execute(_STAMP_ONE, params).scalar_one())
    driver = connection.connection.driver_connection
    assert driver is not None  # a live connection of this session's transaction
    if new is not None:  # the event's rows and its stamp, one statement
        # Nothing else sent in the transaction (a POST's token query is read before it
        # begins): the statement is the whole transaction, sent alone in autocommit.
        with before_begin(connection) as alone:
            message = deferred.stamped_message(driver, new.document, at, longest, not alone)
            said = "SELECT timeline_new_event(...)" + ("" if alone else "; COMMIT")
            with deferred.as_sqlalchemy_error(connection, said):
                return int(driver.execute(message).fetchone()[0])
    literals = {"at": psql.Literal(at), "span": psql.Literal(longest)}
    query = _STAMP_ONE_COMMIT.format(event=psql.Literal(event_id), **literals)
    with deferred.as_sqlalchemy_error(connection, "the stamp of one change; COMMIT"):
        return int(driver.execute(query).fetchone()[0])


# The statement of :func:`_stamp_one_postgresql`, its values as ``{placeholders}``.
_STAMP_ONE_TEXT = """WITH raised AS (
    UPDATE store_state SET version = version + 1,
        updated = GREATEST(updated, CAST({at} AS TIMESTAMP)),
        longest = GREATEST(longest, {span})
    WHERE id = 1 RETURNING version
), stamped AS (
    UPDATE events SET change_version = (SELECT version FROM raised) WHERE id = {event}
), touched AS (
    UPDATE timelines SET version = (SELECT version FROM raised),
        updated = GREATEST(updated, CAST({at} AS TIMESTAMP))
    WHERE id IN (SELECT timeline_id FROM timeline_events WHERE event_id = {event})
)
SELECT version FROM raised"""

_STAMP_ONE = sa.text(_STAMP_ONE_TEXT.format(at=":at", span=":span", event=":event"))
_STAMP_ONE_COMMIT = psql.SQL(_STAMP_ONE_TEXT + "; COMMIT")


@sa.event.listens_for(orm.Session, "before_commit")
def _before_commit(session: orm.Session) -> None:
    if not session.in_nested_transaction():  # a savepoint's release stamps nothing
        stamp_changes(session, committing=True)


@sa.event.listens_for(orm.Session, "after_transaction_create")
def _after_transaction_create(session: orm.Session, transaction: orm.SessionTransaction) -> None:
    if transaction.nested:  # a savepoint: what was recorded before it stays either way
        pending = _pending(session)
        pending.savepoints[id(transaction)] = len(pending.changes)


@sa.event.listens_for(orm.Session, "after_rollback")
def _after_rollback(session: orm.Session) -> None:
    # Called for each transaction rolled back, the savepoint's while it is the current
    # one: forget what was recorded since it began (all, for the session's own).
    pending: _Pending | None = session.info.get(_KEY)
    if pending is None:
        return
    savepoint = session.get_nested_transaction()
    began = 0 if savepoint is None else pending.savepoints.get(id(savepoint), 0)
    del pending.changes[began:]


@sa.event.listens_for(orm.Session, "after_transaction_end")
def _after_transaction_end(session: orm.Session, transaction: orm.SessionTransaction) -> None:
    # The session's own transaction ended unstamped (rolled back or closed): what it
    # recorded was not written. A savepoint's end leaves the recorded changes.
    pending: _Pending | None = session.info.get(_KEY)
    if pending is None:
        return
    if transaction.nested:
        pending.savepoints.pop(id(transaction), None)
    elif transaction.parent is None:
        session.info.pop(_KEY, None)
