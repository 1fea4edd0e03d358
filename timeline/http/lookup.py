"""Finding the event that a URL names: 404 when there is none, 410 when it was deleted."""

from __future__ import annotations

import re

from sqlalchemy import orm

from timeline.events.problems import ProblemError
from timeline.store.models import Event

# Ids are slugs: one with a control character names nothing (and PostgreSQL text cannot
# even hold NUL, so it must not reach a query).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _shown(event_id: str) -> str:
    """The id as error messages quote it: at most 120 characters."""
    return repr(event_id if len(event_id) <= 120 else event_id[:117] + "...")


def any_event(session: orm.Session, event_id: str) -> Event:
    """Return the event ``event_id``, deleted or not. Raises ProblemError (404) if none."""
    valid = len(event_id) <= 100 and not _CONTROL.search(event_id)
    event = session.get(Event, event_id) if valid else None
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
