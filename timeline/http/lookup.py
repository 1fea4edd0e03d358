"""Finding the event that a URL names: 404 when there is none, 410 when it was deleted."""

from __future__ import annotations

import re

from sqlalchemy import orm

from timeline.events.problems import ProblemError
from timeline.store import writes
from timeline.store.models import Event

# Ids are slugs: one with a control character names nothing (and PostgreSQL text cannot
# even hold NUL, so it must not reach a query).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _shown(event_id: str) -> str:
    """The id as error messages quote it: at most 120 characters."""
    return repr(event_id if len(event_id) <= 120 else event_id[:117] + "...")


def _names_an_event(event_id: str) -> bool:
    """Whether ``event_id`` could be an event's id (else it names none)."""
    return len(event_id) <= 100 and not _CONTROL.search(event_id)


def any_event(session: orm.Session, event_id: str) -> Event:
    """Return the event ``event_id``, deleted or not. Raises ProblemError (404) if none."""
    event = session.get(Event, event_id) if _names_an_event(event_id) else None
    if event is None:
        raise ProblemError(404, f"There is no event with id {_shown(event_id)}.")
    return event


def live_event(session: orm.Session, event_id: str) -> Event:
    """Return the event ``event_id`` if it is not deleted. Raises ProblemError: 404 if
    there is no such event, 410 if it was deleted."""
    event = any_event(session, event_id)
    if event.deleted:
        raise ProblemError(410, f"The event {_shown(event_id)} was deleted.")
    return event


def event_to_change(session: orm.Session, event_id: str) -> Event:
    """Return the event ``event_id`` for a write that changes it, in ``session``'s write
    transaction: its row locked first (:func:`timeline.store.writes.lock_events`), so
    that copies of one change sent at once are made one after the other, each reading
    the event as the one before left it (the second of two PATCHes with one If-Match
    gets 412, the second of two DELETEs 410). The session must not hold the event
    loaded from before the lock (a fresh session, or
    :func:`timeline.store.engine.begin_write_after_reads`). Raises ProblemError: 404 if
    there is no such event, 410 if it was deleted."""
    if _names_an_event(event_id):
        writes.lock_events(session, [event_id])
    return live_event(session, event_id)
