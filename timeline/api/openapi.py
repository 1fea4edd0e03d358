"""The OpenAPI 3.1 document of the JSON API, built from the pydantic models and a route
table kept here, beside nothing written by hand about the schemas."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from timeline.api import timelineschemas
from timeline.events import schemas
from timeline.store.languages import text_in

REF = "#/components/schemas/{model}"
PROBLEM = "application/problem+json"
_PROBLEMS = {
    400: "Malformed JSON, unknown fields (each named by its pointer), or a bad query parameter.",
    401: "No token, or an unknown or revoked one (see WWW-Authenticate).",
    403: "The token may not write to this timeline (or to one holding the event), or "
    "manage timelines (admin tokens only); nothing was changed.",
    404: "No event with this id, or no timeline with this slug (or not holding the event).",
    409: "The id (or slug) is taken by other content (or by a deleted event), a concurrent "
    "write, or the default timeline deleted.",
    410: "The event was deleted.",
    412: "If-Match does not match the event's current ETag.",
    413: "The body is over the configured limit (MAX_CONTENT_LENGTH).",
    415: "The body is not JSON in UTF-8.",
    422: "The body is JSON but not valid (an event, an article): every error, each with a "
    "JSON pointer.",
}
_INFO = """\
Dated events published as iCalendar, RSS, Atom and JSON Feed.

Reads are public; writes need `Authorization: Bearer <token>` (see `timeline token`).
Errors are RFC 9457 problem documents.

- A repeated POST returns the event it created, with 200 instead of 201 and the same
  Location: same client `id` and same content, or the same `Idempotency-Key` header
  with the same body (a key is its token's own in each timeline). An `Idempotency-Key`
  reused with another body is a 422; a taken `id` with other content is a 409.
- Read-only fields of Event (`precision`, `created`, `updated`, `sequence`, `links`)
  are refused as unknown fields (400) in a POST or PATCH body: leave them out.
- `when` is read relative to `reference`, by default today's date in UTC.
- `/api/events` lists and creates the default timeline's events; each timeline's are
  under `/api/timelines/{slug}/events`. An event may be in several timelines (the same
  id and UID in each); changing or deleting it needs a token that writes to each.
- A timed `start` needs an offset or a `timezone`; a wall time skipped by a DST change
  is refused, a repeated one is its first occurrence.
"""


@dataclass(frozen=True)
class Operation:
    """One operation of the route table: ``responses`` maps a status to (description,
    schema name (or names joined by ``|``: one of them), ``"object"`` or None, response
    header names); ``problems`` lists the
    statuses answered with a problem document."""

    method: str
    path: str
    operation_id: str
    summary: str
    parameters: tuple[str, ...] = ()
    body: str | None = None
    body_types: tuple[str, ...] = ("application/json",)
    responses: Mapping[int, tuple[str, str | None, tuple[str, ...]]] = field(default_factory=dict)
    problems: tuple[int, ...] = ()
    auth: bool = False


_EVENT_ID = "/api/events/{event_id}"
_TIMELINE = "/api/timelines/{slug}"
_MANAGE = (400, 401, 403, 409, 413, 415, 422)
TIMELINE_OPERATIONS = (
    Operation(
        "get",
        "/api/timelines",
        "listTimelines",
        "List the timelines, the default first",
        responses={200: ("Every timeline.", "TimelineList", ())},
    ),
    Operation(
        "post",
        "/api/timelines",
        "createTimeline",
        "Make a timeline (admin token)",
        body="TimelineInput",
        responses={201: ("Made.", "Timeline", ("Location",))},
        problems=_MANAGE,
        auth=True,
    ),
    Operation(
        "get",
        _TIMELINE,
        "getTimeline",
        "Get a timeline",
        parameters=("slug",),
        responses={200: ("The timeline.", "Timeline", ())},
        problems=(404,),
    ),
    Operation(
        "patch",
        _TIMELINE,
        "patchTimeline",
        "Change a timeline (JSON Merge Patch; admin token)",
        parameters=("slug",),
        body="TimelinePatch",
        body_types=("application/merge-patch+json", "application/json"),
        responses={200: ("The timeline, changed.", "Timeline", ())},
        problems=(*_MANAGE, 404),
        auth=True,
    ),
    Operation(
        "delete",
        _TIMELINE,
        "deleteTimeline",
        "Delete a timeline (admin token); its events stay",
        parameters=("slug",),
        responses={204: ("Deleted.", None, ())},
        problems=(401, 403, 404, 409),
        auth=True,
    ),
    Operation(
        "get",
        _TIMELINE + "/events",
        "listTimelineEvents",
        "List a timeline's events, newest start first",
        parameters=("slug", "tag", "org", "from", "to", "q", "limit", "cursor"),
        responses={200: ("A page of events.", "EventList", ("Link",))},
        problems=(400, 404),
    ),
    Operation(
        "post",
        _TIMELINE + "/events",
        "createTimelineEvent",
        "Create an event in a timeline",
        parameters=("slug", "IdempotencyKey"),
        body="EventInput",
        responses={
            201: ("Created: the stored event.", "WrittenEvent", ("Location", "ETag")),
            200: ("A repeat: the event created before.", "Event", ("Location", "ETag")),
        },
        problems=(400, 401, 403, 404, 409, 410, 413, 415, 422),
        auth=True,
    ),
    Operation(
        "put",
        _TIMELINE + "/events/{event_id}",
        "addTimelineEvent",
        "Put an existing event in a timeline too (the same event, the same UID)",
        parameters=("slug", "event_id"),
        responses={
            201: ("Added.", None, ()),
            204: ("It was there already.", None, ()),
        },
        problems=(401, 403, 404, 409, 410),
        auth=True,
    ),
    Operation(
        "delete",
        _TIMELINE + "/events/{event_id}",
        "removeTimelineEvent",
        "Take an event out of a timeline (it stays in the others)",
        parameters=("slug", "event_id"),
        responses={204: ("Taken out.", None, ())},
        problems=(401, 403, 404, 409, 410),
        auth=True,
    ),
)
OPERATIONS = (
    Operation(
        "post",
        "/api/events",
        "createEvent",
        "Create an event",
        parameters=("IdempotencyKey",),
        body="EventInput",
        responses={
            201: ("Created: the stored event.", "WrittenEvent", ("Location", "ETag")),
            200: ("A repeat: the event created before.", "Event", ("Location", "ETag")),
        },
        problems=(400, 401, 409, 410, 413, 415, 422),
        auth=True,
    ),
    Operation(
        "get",
        "/api/events",
        "listEvents",
        "List events, newest start first",
        parameters=("tag", "org", "from", "to", "q", "limit", "cursor"),
        responses={200: ("A page of events.", "EventList", ("Link",))},
        problems=(400,),
    ),
    Operation(
        "get",
        _EVENT_ID,
        "getEvent",
        "Get an event",
        parameters=("event_id", "IfNoneMatch"),
        responses={
            200: ("The event.", "Event", ("ETag", "Last-Modified")),
            304: ("Not modified: the If-None-Match tag is current.", None, ("ETag",)),
        },
        problems=(404, 410),
    ),
    Operation(
        "patch",
        _EVENT_ID,
        "patchEvent",
        "Change an event (JSON Merge Patch, RFC 7396)",
        parameters=("event_id", "IfMatch"),
        body="EventPatch",
        body_types=("application/merge-patch+json", "application/json"),
        responses={200: ("The event, changed or not.", "WrittenEvent", ("ETag", "Last-Modified"))},
        problems=(400, 401, 404, 409, 410, 412, 413, 415, 422),
        auth=True,
    ),
    Operation(
        "delete",
        _EVENT_ID,
        "deleteEvent",
        "Delete an event (it leaves every feed; its revisions stay)",
        parameters=("event_id", "IfMatch"),
        responses={204: ("Deleted.", None, ())},
        problems=(401, 404, 409, 410, 412),
        auth=True,
    ),
    Operation(
        "get",
        _EVENT_ID + "/revisions",
        "listRevisions",
        "The history of an event, oldest first",
        parameters=("event_id",),
        responses={200: ("Every revision.", "RevisionList", ())},
        problems=(404,),
    ),
    Operation(
        "post",
        "/api/extract",
        "extractEvents",
        "Propose the dated events of an article or several, for review (nothing is stored)",
        body="ExtractInput",
        responses={
            200: (
                "Candidate events: one article's in its order (ExtractResult), several "
                "articles' merged and ranked (ExtractManyResult).",
                "ExtractResult|ExtractManyResult",
                (),
            )
        },
        problems=(400, 401, 413, 415, 422),
        auth=True,
    ),
    *TIMELINE_OPERATIONS,
    Operation(
        "get",
        "/api/openapi.json",
        "getOpenApi",
        "This document",
        responses={200: ("The OpenAPI 3.1 document.", "object", ())},
    ),
)

#: The models whose JSON Schemas make ``components.schemas``, and in which mode.
MODELS: tuple[tuple[type[BaseModel], JsonSchemaMode], ...] = (
    (schemas.EventInput, "validation"),
    (schemas.EventPatch, "validation"),
    (schemas.Event, "serialization"),
    (schemas.WrittenEvent, "serialization"),
    (schemas.EventList, "serialization"),
    (schemas.RevisionList, "serialization"),
    (schemas.ExtractInput, "validation"),
    (schemas.ExtractResult, "serialization"),
    (schemas.ExtractManyResult, "serialization"),
    (schemas.Problem, "serialization"),
    (timelineschemas.TimelineInput, "validation"),
    (timelineschemas.TimelinePatch, "validation"),
    (timelineschemas.Timeline, "serialization"),
    (timelineschemas.TimelineList, "serialization"),
)


def _parameters(config: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    def query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
        return {"name": name, "in": "query", "description": description, "schema": schema}

    def header(name: str, description: str, pattern: str = "") -> dict[str, Any]:
        schema = {"type": "string"} | ({"pattern": pattern} if pattern else {})
        return {"name": name, "in": "header", "description": description, "schema": schema}

    day = {"type": "string", "format": "date"}
    limit = {"type": "integer", "minimum": 1, "maximum": int(config["API_MAX_PAGE_SIZE"])}
    text = {"type": "string", "minLength": 1}
    tags = {"type": "array", "items": text}
    tag = query("tag", "Events carrying this tag (repeatable: all of them).", tags)
    return {
        "event_id": {
            "name": "event_id",
            "in": "path",
            "required": True,
            "schema": {"type": "string"},
        },
        "slug": {
            "name": "slug",
            "in": "path",
            "required": True,
            "description": "The timeline's slug.",
            "schema": {"type": "string"},
        },
        "tag": tag | {"style": "form", "explode": True},
        "org": query("org", "Events involving this organization (name or alias).", text),
        "from": query(
            "from",
            "Events overlapping this day or later (inclusive), and recurring events begun"
            " before it with an occurrence beginning on it or later (up to `to`).",
            day,
        ),
        "to": query("to", "Events overlapping this day or earlier (inclusive).", day),
        "q": query(
            "q",
            "Text in the title or description (1 to 200 characters).",
            {"type": "string", "minLength": 1, "maxLength": 200},
        ),
        "limit": query("limit", "Page size.", limit | {"default": int(config["API_PAGE_SIZE"])}),
        "cursor": query("cursor", "Where the page starts (from a `next` link).", text),
        "IfNoneMatch": header("If-None-Match", "An ETag: 304 if it is current."),
        "IfMatch": header("If-Match", "An ETag (or *): 412 unless it is current."),
        "IdempotencyKey": header(
            "Idempotency-Key",
            "1 to 200 visible ASCII characters: a repeat by the same token to the same "
            "timeline returns the same event.",
            "^[!-~]{1,200}$",
        ),
    }


_HEADERS = {
    "Location": "Root-relative URL of what was made: /api/events/{id}, /api/timelines/{slug}.",
    "ETag": "Strong ETag of the event's revision.",
    "Last-Modified": "When the event last changed (IMF-fixdate).",
    "Link": 'The next page, as <url>; rel="next" (RFC 8288), when there is one.',
    "WWW-Authenticate": 'Bearer realm="timeline", with error="invalid_token" for a bad token.',
}


def _response(description: str, schema: str | None, headers: tuple[str, ...]) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description}
    if schema == "object":
        response["content"] = {"application/json": {"schema": {"type": "object"}}}
    elif schema is not None:
        refs = [{"$ref": REF.format(model=name)} for name in schema.split("|")]
        one = refs[0] if len(refs) == 1 else {"oneOf": refs}
        response["content"] = {"application/json": {"schema": one}}
    if headers:
        response["headers"] = {name: {"$ref": f"#/components/headers/{name}"} for name in headers}
    return response


def _operation(op: Operation) -> dict[str, Any]:
    item: dict[str, Any] = {"operationId": op.operation_id, "summary": op.summary}
    if op.parameters:
        item["parameters"] = [{"$ref": f"#/components/parameters/{p}"} for p in op.parameters]
    if op.body is not None:
        schema = {"$ref": REF.format(model=op.body)}
        content = {media: {"schema": schema} for media in op.body_types}
        item["requestBody"] = {"required": True, "content": content}
    responses = {str(status): _response(*spec) for status, spec in op.responses.items()}
    for status in op.problems:
        headers = ("WWW-Authenticate",) if status == 401 else ()
        responses[str(status)] = _response(_PROBLEMS[status], None, headers) | {
            "content": {PROBLEM: {"schema": {"$ref": REF.format(model="Problem")}}}
        }
    responses["default"] = {
        "description": "Any other error (405, 500, 503...).",
        "content": {PROBLEM: {"schema": {"$ref": REF.format(model="Problem")}}},
    }
    item["responses"] = responses
    if op.auth:
        item["security"] = [{"bearer": []}]
    return item


def _version() -> str:
    try:
        return version("timeline")
    except PackageNotFoundError:
        return "0"


def document(config: Mapping[str, Any]) -> dict[str, Any]:
    """Return the OpenAPI 3.1.0 document of the API under ``config`` (page sizes)."""
    _, definitions = models_json_schema(MODELS, ref_template=REF)
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method] = _operation(op)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{text_in(config['CALENDAR_NAME'], None, config['LANGUAGE'])} API",
            "version": _version(),
            "description": _INFO,
        },
        "paths": paths,
        "components": {
            "schemas": definitions["$defs"],
            "parameters": _parameters(config),
            "headers": {
                name: {"description": text, "schema": {"type": "string"}}
                for name, text in _HEADERS.items()
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
