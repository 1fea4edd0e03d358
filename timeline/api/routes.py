"""Blueprint of the JSON API under /api: events (create, list, read, patch, delete),
their revisions, candidate events read from an article, and the OpenAPI document."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote, urlencode

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, request
from pydantic import BaseModel
from sqlalchemy import orm
from sqlalchemy.dialects import postgresql
from werkzeug.http import http_date

from timeline.api import openapi
from timeline.api.auth import bearer_token, forbid_unless, require_token, require_token_reading
from timeline.events import problems, schemas
from timeline.events.listing import list_page
from timeline.events.output import event_output, revision_output
from timeline.events.parse import (
    TAKEN_ID_PARAMETERS,
    assign_id,
    id_candidates,
    invalid,
    parse_event,
    patched_body,
    request_hash,
    validate,
)
from timeline.events.problems import ProblemError
from timeline.extract.command import known_from_config
from timeline.extract.drafts import extraction_json, many_json
from timeline.extract.known import KnownDatesError
from timeline.extract.pipeline import ExtractError, NoPublicationDateError, combine, extract
from timeline.extract.store import mark_existing, store_gazetteer
from timeline.http import db
from timeline.http.cors import public_reads
from timeline.http.filters import (
    CACHE_BUSTER,
    FEED_PARAMETERS,
    offered_languages,
    parse_language,
    read_filter,
)
from timeline.http.jsonbody import idempotency_key, read_json
from timeline.http.lookup import any_event, event_to_change, live_event
from timeline.store import writes
from timeline.store.engine import begin_write
from timeline.store.languages import lookup
from timeline.store.models import DEFAULT_TIMELINE_ID, Event, IdempotencyKey
from timeline.store.queries import CursorError, cursor_after
from timeline.store.rights import Principal, may_write, may_write_all
from timeline.store.timelines import timeline_ids
from timeline.store.values import EventData

log = logging.getLogger("timeline")
bp = Blueprint("api", __name__, url_prefix="/api")
# Reads are public, for pages on any host too; writes need a token and say nothing.
public_reads(bp)

POST_TYPES = ("application/json",)
PATCH_TYPES = ("application/merge-patch+json", "application/json")
LIST_PARAMETERS = FEED_PARAMETERS | {"q", "limit", "cursor", CACHE_BUSTER}


class ConflictError(ProblemError):
    """A write that a concurrent one made impossible (a unique key taken meanwhile)."""


@contextmanager
def write_unit() -> Iterator[orm.Session]:
    """Run one request's writes in one transaction, begun as a write: committed when the
    block ends, rolled back on any error. A conflicting concurrent write (an integrity
    error) becomes a 409 ConflictError."""
    session = db.get_session()
    begin_write(session)
    try:
        yield session
        session.commit()
    except sa.exc.IntegrityError:
        session.rollback()
        log.warning("a write conflicted with another one and was rolled back")
        raise ConflictError(409, "A concurrent request changed the same data; retry.") from None
    except BaseException:
        session.rollback()
        raise


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def event_etag(event: Event, lang: str | None = None) -> str:
    """Return the strong ETag (RFC 9110 §8.8.3) of an event: a digest of id and sequence,
    and of ``lang`` when the event has a title in it other than the original (the
    representation differs then)."""
    key = f"{event.id}\n{event.sequence}"
    shown = lookup(lang, writes.event_data(event).titles()) if lang is not None else None
    if shown is not None and shown != event.language:
        key += f"\n{shown}"
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def _language() -> str | None:
    """The language that ``?lang=`` asks for (400 naming ``lang`` if it is not offered)."""
    return parse_language(request.args, offered_languages(current_app.config))


def _parse(body: Any, notes: list[str] | None = None) -> EventData:
    language = current_app.config["LANGUAGE"]
    return parse_event(body, today=_today(), language=language, notes=notes)


def _json(model: BaseModel, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = model.model_dump_json(by_alias=True)
    return Response(body, status=status, mimetype="application/json", headers=headers)


def _empty(status: int, headers: dict[str, str] | None = None) -> Response:
    response = Response(status=status, headers=headers)
    del response.headers["Content-Type"]
    return response


def _event_response(
    event: Event,
    status: int = 200,
    *,
    location: bool = False,
    lang: str | None = None,
    notes: list[str] | None = None,
) -> Response:
    headers = {"ETag": event_etag(event, lang), "Last-Modified": http_date(event.updated)}
    if location:
        headers["Location"] = f"/api/events/{quote(event.id, safe='')}"
    output = event_output(event, current_app.config, lang)
    if notes:
        output = schemas.WrittenEvent(**output.model_dump(), notes=notes)
    return _json(output, status, headers)


def _check_if_match(event: Event) -> None:
    if "If-Match" not in request.headers:
        return
    etag = event_etag(event)
    # The ETag of the event in any of its languages is of its current revision.
    current = {event_etag(event, tag).strip('"') for tag in writes.event_data(event).titles()}
    if not any(request.if_match.contains(tag) for tag in current):
        raise ProblemError(
            412,
            "The event has changed since that ETag (If-Match); GET it again.",
            headers={"ETag": etag},
        )


def check_event_rights(session: orm.Session, principal: Principal, event: Event) -> None:
    """Raise ProblemError 403 unless ``principal`` may write to every timeline holding
    ``event`` (a change shows in each of them)."""
    held = timeline_ids(session, event.id)
    forbid_unless(
        may_write_all(principal, held),
        f"This token may not change the event {event.id!r}: a timeline that holds it "
        "is not one it writes to.",
    )


def _same_content(event: Event, data: EventData) -> bool:
    return event.content_hash == data.content_hash() or writes.event_data(event) == data


@bp.post("/events")
def create_event() -> Response:
    """Create an event in the default timeline: 201 with Location; 200 with the same
    event for a repeat; 403 for a token that may not write to the default timeline."""
    return create_in(DEFAULT_TIMELINE_ID, "the default timeline")


def create_in(timeline_id: int, named: str) -> Response:
    """Create an event from the request's body in the timeline ``timeline_id`` (called
    ``named`` in a 403), as :func:`create_event` does.

    The body is read before the token is looked up (once its header is well-formed),
    so that on PostgreSQL the one query that checks the token also finds which of the
    ids the event may get are taken (:data:`timeline.events.parse.TAKEN_IDS`); an
    error of the body is still answered after a 401 or 403."""
    bearer_token()
    try:
        body = read_json(POST_TYPES, "Accept-Post")
        key = idempotency_key()
        notes: list[str] = []
        data = _parse(body, notes)
    except ProblemError:
        _check_writer(timeline_id, named)
        raise
    candidates = id_candidates(data)
    taken: Sequence[str] | None = None  # None: _create looks them up (SQLite, an id given)
    if candidates:
        principal, taken = require_token_reading(_TAKEN_LIST, candidates)
    else:
        principal = require_token()
    forbid_unless(may_write(principal, timeline_id), f"This token may not write to {named}.")
    for _ in range(writes.CREATE_ATTEMPTS - 1):
        try:
            return _create(body, key, data, principal.name, notes, timeline_id, taken)
        except (ConflictError, writes.EventExistsError):
            # A concurrent request took the id or the Idempotency-Key first and has
            # committed (PostgreSQL made this one wait for it, or it committed between
            # the look-up of a free id and the insert): seen now, this request is its
            # repeat, or takes the next free id (looked up in its own transaction).
            taken = None
    return _create(body, key, data, principal.name, notes, timeline_id)


#: The ids taken among the candidates (the parameters of
#: :data:`timeline.events.parse.TAKEN_IDS`), as one array, by the function of migration
#: 0011 (PostgreSQL), whose look-up is planned at each call (migration 0012) for the
#: size ``events`` has then, so the token query itself can be prepared. A scalar
#: subquery, so that it runs once, not once for each timeline the token writes to (a
#: row each).
_TAKEN_LIST: sa.ColumnElement[Sequence[str] | None] = sa.select(
    sa.func.timeline_taken_ids(
        postgresql.array([sa.bindparam(name, type_=sa.String) for name in TAKEN_ID_PARAMETERS]),
        type_=postgresql.ARRAY(sa.String),
    )
).scalar_subquery()


def _check_writer(timeline_id: int, named: str) -> None:
    """Raise the 401 or 403 that the request's token gets (see :func:`create_in`)."""
    principal = require_token()
    forbid_unless(may_write(principal, timeline_id), f"This token may not write to {named}.")


def _create(
    body: Any,
    key: str | None,
    data: EventData,
    author: str,
    notes: list[str],
    timeline_id: int = DEFAULT_TIMELINE_ID,
    taken: Collection[str] | None = None,
) -> Response:
    """Store ``data`` as a new event in the timeline ``timeline_id``, or answer a repeat
    with the event it repeats (see :func:`create_event`); ``taken``: which of the ids
    :func:`timeline.events.parse.id_candidates` gives were found taken in this request's
    transaction. Raises ProblemError (409, 422) and ConflictError."""
    with write_unit() as session:
        used = session.get(IdempotencyKey, (author, timeline_id, key)) if key else None
        if used is not None:
            if used.request_hash != request_hash(body):
                detail = "This Idempotency-Key was used with another body."
                errors = [{"header": "Idempotency-Key", "detail": detail}]
                raise ProblemError(422, detail, title="Idempotency-Key reused", errors=errors)
            event = live_event(session, used.event_id)
            return _event_response(event, location=True, notes=notes)
        existing = session.get(Event, data.id) if data.id else None
        if existing is not None:
            if existing.deleted or not _same_content(existing, data):
                state = "was deleted (ids are never reused)" if existing.deleted else "exists"
                detail = f"An event with id {data.id!r} {state} with other content."
                errors = [{"pointer": "/id", "detail": detail}]
                raise ProblemError(409, detail, title="Id taken", errors=errors)
            writes.name_organizations(session, data)
            return _event_response(existing, location=True, notes=notes)
        event = writes.create_event(
            session,
            assign_id(session, data, taken),
            author=author,
            timelines=[timeline_id],
            known_free=True,
        )
        if key is not None:
            session.add(
                IdempotencyKey(
                    owner=author,
                    timeline_id=timeline_id,
                    key=key,
                    request_hash=request_hash(body),
                    event_id=event.id,
                )
            )
        response = _event_response(event, 201, location=True, notes=notes)
    return response


def _page_size(errors: list[dict[str, Any]]) -> int:
    default, most = current_app.config["API_PAGE_SIZE"], current_app.config["API_MAX_PAGE_SIZE"]
    text = request.args.get("limit")
    if text is None:
        return int(default)
    # Length first: int() of thousands of digits raises (sys.get_int_max_str_digits).
    if text.isascii() and text.isdigit() and len(text) <= 9 and 1 <= int(text) <= int(most):
        return int(text)
    errors.append({"parameter": "limit", "detail": f"limit must be an integer from 1 to {most}"})
    return int(default)


@bp.get("/events")
def list_events_view() -> Response:
    """List the default timeline's events matching the filters, newest start first, a
    page at a time."""
    return list_in(DEFAULT_TIMELINE_ID)


def list_in(timeline_id: int) -> Response:
    """List the events of the timeline ``timeline_id`` as :func:`list_events_view`."""
    errors: list[dict[str, Any]] = []
    flt = read_filter(request.args, LIST_PARAMETERS, errors)
    flt = dataclasses.replace(flt, timeline=timeline_id)
    lang = None
    try:
        lang = _language()
    except ProblemError as error:
        errors += [e for e in error.errors or [] if e not in errors]
    limit = _page_size(errors)
    if errors:
        raise problems.listing(400, errors, title="Bad query parameter")
    cursor = request.args.get("cursor")
    try:
        events = list_page(db.get_session(), flt, limit=limit + 1, cursor=cursor)
    except CursorError:
        detail = "cursor is not one this API handed out; start again without it"
        raise ProblemError(
            400, detail, errors=[{"parameter": "cursor", "detail": detail}]
        ) from None
    page = events[:limit]
    next_url = None
    headers = {"Cache-Control": "no-cache"}
    if len(events) > limit:
        args = [
            (k, v) for k, v in request.args.items(multi=True) if k not in ("cursor", CACHE_BUSTER)
        ]
        next_url = f"{request.path}?{urlencode([*args, ('cursor', cursor_after(page[-1]))])}"
        headers["Link"] = f'<{next_url}>; rel="next"'
    config = current_app.config
    window = (flt.start, flt.until)
    listing = schemas.EventList(
        events=[event_output(e, config, lang, window) for e in page], next=next_url
    )
    return _json(listing, headers=headers)


@bp.get("/events/<event_id>")
def get_event(event_id: str) -> Response:
    """Return one event with its ETag; 304 for a matching If-None-Match."""
    lang = _language()
    event = live_event(db.get_session(), event_id)
    etag = event_etag(event, lang)
    if request.if_none_match.contains_weak(etag.strip('"')):
        return _empty(304, {"ETag": etag, "Cache-Control": "no-cache"})
    response = _event_response(event, lang=lang)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.patch("/events/<event_id>")
def patch_event(event_id: str) -> Response:
    """Merge-patch an event (RFC 7396) and validate the result; If-Match honoured; 403
    unless the token may write to every timeline that holds the event."""
    principal = require_token()
    author = principal.name
    patch = read_json(PATCH_TYPES, "Accept-Patch")
    validate(schemas.EventPatch, patch)
    with write_unit() as session:
        event = event_to_change(session, event_id)
        check_event_rights(session, principal, event)
        _check_if_match(event)
        data = _parse(patched_body(event, patch))
        if not _same_content(event, data):
            writes.update_event(session, event, data, author=author)
        else:
            writes.name_organizations(session, data)
        response = _event_response(event)
    return response


@bp.delete("/events/<event_id>")
def delete_event(event_id: str) -> Response:
    """Delete an event (a tombstone: it leaves every feed and listing, its history stays,
    and the calendars publish it as STATUS:CANCELLED for TOMBSTONE_DAYS); 204; 403
    unless the token may write to every timeline that holds the event."""
    principal = require_token()
    author = principal.name
    with write_unit() as session:
        event = event_to_change(session, event_id)
        check_event_rights(session, principal, event)
        _check_if_match(event)
        writes.delete_event(session, event, author=author)
        days = int(current_app.config["TOMBSTONE_DAYS"])
        writes.expire_tombstones(session, event.updated, days)
    return _empty(204)


@bp.get("/events/<event_id>/revisions")
def list_revisions(event_id: str) -> Response:
    """Return the history of an event (deleted ones too), oldest first."""
    session = db.get_session()
    any_event(session, event_id)
    language = current_app.config["LANGUAGE"]
    revisions = [revision_output(r, language) for r in writes.revisions(session, event_id)]
    return _json(schemas.RevisionList(revisions=revisions), headers={"Cache-Control": "no-cache"})


@bp.post("/extract")
def extract_events() -> Response:
    """Propose the dated events of an article or several (nothing stored); 200."""
    require_token()
    body = read_json(POST_TYPES, "Accept-Post")
    given = validate(schemas.ExtractInput, body)
    assert isinstance(given, schemas.ExtractInput)
    if given.text is None and given.articles is None:
        raise invalid([{"pointer": "/text", "detail": "required: text, or articles for several"}])
    if given.text is not None and given.articles is not None:
        raise invalid([{"pointer": "/articles", "detail": "give text or articles, not both"}])
    if given.articles is not None:
        articles = [
            (f"/articles/{i}", a.text, a.published, a.source) for i, a in enumerate(given.articles)
        ]
    else:
        assert given.text is not None
        articles = [("", given.text, given.published, "")]
    names = store_gazetteer(db.get_session())
    try:
        known = known_from_config()
    except KnownDatesError:
        log.exception("known dates cannot be read")
        known = ()
    results = []
    for pointer, text, published, source in articles:
        if not text.strip():
            raise invalid([{"pointer": f"{pointer}/text", "detail": "the text is blank"}])
        day = dt.date.fromisoformat(published) if published else None
        try:
            results.append(extract(text, published=day, lang=given.lang, names=names,
                                   known=known, source=source))  # fmt: skip
        except NoPublicationDateError:
            detail = "required: the text gives no date of its own with a year (YYYY-MM-DD)"
            raise invalid([{"pointer": f"{pointer}/published", "detail": detail}]) from None
        except ExtractError as error:
            raise invalid([{"pointer": f"{pointer}/text", "detail": str(error)}]) from None
    candidates = combine(results)
    mark_existing(db.get_session(), candidates)
    if given.articles is None:
        single = schemas.ExtractResult.model_validate(extraction_json(results[0]))
        return _json(single, headers={"Cache-Control": "no-store"})
    many = schemas.ExtractManyResult.model_validate(many_json(results, candidates))
    return _json(many, headers={"Cache-Control": "no-store"})


@bp.get("/openapi.json")
def openapi_document() -> Response:
    """Return the OpenAPI 3.1 document of this API."""
    document = openapi.document(current_app.config)
    return Response(json.dumps(document, ensure_ascii=False), mimetype="application/json")
