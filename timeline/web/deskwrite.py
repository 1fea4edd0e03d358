"""The desk's writes, through the API's write path: the body validated by
:func:`timeline.events.parse.parse_event`, ids by :func:`~timeline.events.parse.assign_id`,
stored by :mod:`timeline.store.writes` (revisions, sequence, store version), one
transaction each, a repeated form answered by its ``Idempotency-Key`` as the API does."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask import current_app

from timeline.events.parse import assign_id, parse_event, patched_body, request_hash
from timeline.events.problems import ProblemError
from timeline.http import db
from timeline.http.lookup import live_event
from timeline.store import writes
from timeline.store.engine import begin_write
from timeline.store.models import Event, IdempotencyKey


def _parse(body: dict[str, Any]) -> Any:
    today = dt.datetime.now(dt.UTC).date()
    return parse_event(body, today=today, language=current_app.config["LANGUAGE"])


def create(body: dict[str, Any], *, author: str, key: str | None) -> tuple[Event, bool]:
    """Store the event of ``body`` (an API event body) by ``author``; return it and True,
    or, for a form sent again with the same ``key`` (the desk's ``Idempotency-Key``),
    the event it created then and False. Raises ProblemError (422 listing every error
    with its JSON pointer, 409 for a key used with another body); nothing is stored
    then."""
    data = _parse(body)
    session = db.get_session()
    begin_write(session)
    try:
        if key is not None and (used := session.get(IdempotencyKey, key)) is not None:
            if used.request_hash != request_hash(body):
                raise ProblemError(409, "This form was sent already with other values.")
            event = session.get(Event, used.event_id)
            assert event is not None
            session.rollback()
            return event, False
        event = writes.create_event(session, assign_id(session, data), author=author)
        if key is not None:
            session.add(IdempotencyKey(key=key, request_hash=request_hash(body), event_id=event.id))
        session.commit()
    except sa.exc.IntegrityError:
        session.rollback()
        raise ProblemError(409, "A concurrent change took this event's id; send again.") from None
    except BaseException:
        session.rollback()
        raise
    return event, True


def update(event_id: str, patch: dict[str, Any], *, author: str, sequence: int | None) -> bool:
    """Apply the merge ``patch`` (RFC 7396) to the event ``event_id`` as the API's PATCH
    does, by ``author``; return whether anything changed. ``sequence``, the one the form
    was made from, must still be the event's (else 412: changed meanwhile). Raises
    ProblemError (404, 410, 412, 422 with every error's JSON pointer); nothing is stored
    then."""
    session = db.get_session()
    begin_write(session)
    try:
        event = live_event(session, event_id)
        if sequence is not None and sequence != event.sequence:
            raise ProblemError(412, "The event was changed meanwhile: open it again.")
        data = _parse(patched_body(event, patch))
        changed = writes.update_event(session, event, data, author=author)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return changed


def delete(event_id: str, *, author: str) -> None:
    """Delete the event ``event_id`` (a tombstone: it leaves every output, its history
    stays). Raises ProblemError (404, 410)."""
    session = db.get_session()
    begin_write(session)
    try:
        event = live_event(session, event_id)
        writes.delete_event(session, event, author=author)
        session.commit()
    except BaseException:
        session.rollback()
        raise
