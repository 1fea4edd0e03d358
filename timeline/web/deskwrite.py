"""The desk's writes, through the API's write path: the body validated by
:func:`timeline.events.parse.parse_event`, ids by :func:`~timeline.events.parse.assign_id`,
stored by :mod:`timeline.store.writes` (revisions, sequence, store version), one
transaction each, a repeated form answered by its ``Idempotency-Key`` as the API does;
the writer's rights checked in that transaction by :mod:`timeline.store.rights`, as the
API checks a token's (403, nothing stored)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import orm

from timeline.events.parse import assign_id, parse_event, patched_body, request_hash
from timeline.events.problems import ProblemError
from timeline.http import db
from timeline.http.lookup import event_to_change
from timeline.store import writes
from timeline.store.engine import begin_write_after_reads
from timeline.store.models import Event, IdempotencyKey
from timeline.store.rights import Principal, may_write, may_write_all
from timeline.store.timelines import timeline_ids
from timeline.store.values import EventData

#: The detail of a 403: the writer may not write to a timeline the write touches.
FORBIDDEN = "You may not write to this timeline."
#: A form's key as the desk makes it (a random token in a hidden field), stored as
#: ``desk:<key>`` in the 200 characters of an Idempotency-Key.
_FORM_KEY = re.compile(r"[\x21-\x7e]{1,195}")


def _parse(body: dict[str, Any]) -> Any:
    today = dt.datetime.now(dt.UTC).date()
    return parse_event(body, today=today, language=current_app.config["LANGUAGE"])


def _check_event(session: orm.Session, principal: Principal, event: Event) -> None:
    """Raise ProblemError 403 unless ``principal`` may write to every timeline that holds
    ``event`` (a change shows in each: :func:`timeline.store.rights.may_write_all`)."""
    if not may_write_all(principal, timeline_ids(session, event.id)):
        raise ProblemError(403, FORBIDDEN, title="Forbidden")


def create(
    body: dict[str, Any], *, principal: Principal, timeline_id: int, key: str | None
) -> tuple[Event, bool]:
    """Store the event of ``body`` (an API event body) by ``principal`` in the timeline
    ``timeline_id``; return it and True, or, for a form sent again with the same ``key``
    (the form's hidden ``key``, kept as the Idempotency-Key ``desk:<key>``), the event
    it created then and False. Raises ProblemError (403 when ``principal`` may not
    write to that timeline, 400 for a key that is not 1 to 195 visible ASCII
    characters, 422 listing every error with its JSON pointer, 409 for a key used with
    another body); nothing is stored then."""
    if not may_write(principal, timeline_id):
        raise ProblemError(403, FORBIDDEN, title="Forbidden")
    if key is not None:
        if not _FORM_KEY.fullmatch(key):
            raise ProblemError(400, "This form is not one the desk made: open it again.")
        key = f"desk:{key}"
    data = _parse(body)
    for _ in range(writes.CREATE_ATTEMPTS):
        try:
            return _create_once(body, data, principal, timeline_id, key)
        except (sa.exc.IntegrityError, writes.EventExistsError):
            # A copy of this form sent at once (a double click) stored its event, or
            # another write took the id, and committed first: seen now, this one is its
            # repeat, or takes the next free id.
            continue
    raise ProblemError(409, "A concurrent change took this event's id; send again.")


def _create_once(
    body: dict[str, Any], data: EventData, principal: Principal, timeline_id: int, key: str | None
) -> tuple[Event, bool]:
    """One attempt of :func:`create` (``key`` as stored), in a transaction of its own:
    committed, or rolled back on any error. Raises IntegrityError or EventExistsError
    when a concurrent write took the key or the id first."""
    session = db.get_session()
    begin_write_after_reads(session)
    try:
        used = session.get(IdempotencyKey, (principal.name, timeline_id, key)) if key else None
        if used is not None:
            if used.request_hash != request_hash(body):
                raise ProblemError(409, "This form was sent already with other values.")
            event = session.get(Event, used.event_id)
            assert event is not None
            session.rollback()
            return event, False
        event = writes.create_event(
            session, assign_id(session, data), author=principal.name, timelines=[timeline_id]
        )
        if key is not None:
            session.add(
                IdempotencyKey(
                    owner=principal.name,
                    timeline_id=timeline_id,
                    key=key,
                    request_hash=request_hash(body),
                    event_id=event.id,
                )
            )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return event, True


def update(
    event_id: str, patch: dict[str, Any], *, principal: Principal, sequence: int | None
) -> bool:
    """Apply the merge ``patch`` (RFC 7396) to the event ``event_id`` as the API's PATCH
    does, by ``principal``; return whether anything changed. ``sequence``, the one the
    form was made from, must still be the event's (else 412: changed meanwhile). Raises
    ProblemError (403 unless ``principal`` may write to every timeline holding the
    event, 404, 410, 412, 422 with every error's JSON pointer); nothing is stored
    then."""
    session = db.get_session()
    begin_write_after_reads(session)
    try:
        event = event_to_change(session, event_id)  # copies sent at once: one at a time
        _check_event(session, principal, event)
        if sequence is not None and sequence != event.sequence:
            raise ProblemError(412, "The event was changed meanwhile: open it again.")
        data = _parse(patched_body(event, patch))
        changed = writes.update_event(session, event, data, author=principal.name)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return changed


def delete(event_id: str, *, principal: Principal) -> None:
    """Delete the event ``event_id`` by ``principal`` (a tombstone: it leaves every
    output, its history stays). Raises ProblemError (403 as :func:`update`, 404, 410);
    nothing is stored then."""
    session = db.get_session()
    begin_write_after_reads(session)
    try:
        event = event_to_change(session, event_id)
        _check_event(session, principal, event)
        writes.delete_event(session, event, author=principal.name)
        session.commit()
    except BaseException:
        session.rollback()
        raise
