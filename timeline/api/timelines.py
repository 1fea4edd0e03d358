"""Blueprint of the API's timelines under /api/timelines: made, read, changed and
deleted (admin tokens), and their events listed, created, added and taken away (tokens
that write to the timeline)."""

from __future__ import annotations

import json
import zoneinfo
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, current_app
from sqlalchemy import orm

from timeline.api.auth import forbid_unless, require_token
from timeline.api.routes import POST_TYPES, create_in, list_in, write_unit
from timeline.api.timelineschemas import TimelineInput, TimelinePatch
from timeline.events.parse import validate
from timeline.events.problems import ProblemError, listing
from timeline.http import db
from timeline.http.cors import public_reads
from timeline.http.jsonbody import read_json
from timeline.http.lookup import live_event
from timeline.http.timelines import find, find_before_write, not_found
from timeline.store import timelines
from timeline.store.engine import begin_write
from timeline.store.languages import LanguageTagError, canonical_tag
from timeline.store.models import DEFAULT_TIMELINE_ID, Timeline
from timeline.store.rights import may_manage, may_write

bp = Blueprint("timelines_api", __name__, url_prefix="/api")
public_reads(bp)

PATCH_TYPES = ("application/merge-patch+json", "application/json")


def timeline_output(timeline: Timeline) -> dict[str, Any]:
    """The JSON of ``timeline``: slug, default language and time zone, texts by language
    (``{"en": {"title", "description"}}``), whether it is the default, and its URLs."""
    base = current_app.config["BASE_URL"]
    return {
        "slug": timeline.slug,
        "language": timeline.language,
        "timezone": timeline.timezone,
        "default": timeline.id == DEFAULT_TIMELINE_ID,
        "texts": {
            t.language: {"title": t.title, "description": t.description} for t in timeline.texts
        },
        "page": f"{base}/t/{timeline.slug}/",
        "calendar": f"{base}/t/{timeline.slug}/calendar.ics",
    }


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    text = json.dumps(body, ensure_ascii=False)
    return Response(text, status=status, mimetype="application/json", headers=headers)


def _parse(body: Any, *, partial: bool) -> dict[str, Any]:
    """The fields given in a timeline's JSON ``body`` (:class:`TimelineInput`, or
    :class:`TimelinePatch` when ``partial``), checked, every mistake collected. Raises
    ProblemError: 400 for unknown fields, 422 naming each bad field by JSON pointer
    (a language that is no BCP 47 tag, a zone this machine does not know)."""
    model = validate(TimelinePatch if partial else TimelineInput, body)
    fields = model.model_dump(exclude_unset=True)
    errors: list[dict[str, str]] = []
    for name in ("slug", "language"):
        if partial and name in fields and fields[name] is None:
            errors.append({"pointer": f"/{name}", "detail": f"a timeline keeps a {name}"})
    if fields.get("language") is not None:
        try:
            fields["language"] = canonical_tag(fields["language"])
        except LanguageTagError:
            detail = "a BCP 47 language tag, such as en or zh-Hant"
            errors.append({"pointer": "/language", "detail": detail})
    if fields.get("timezone") is not None and not _zone(fields["timezone"]):
        detail = "an IANA time zone name (Europe/Berlin), or null for UTC"
        errors.append({"pointer": "/timezone", "detail": detail})
    if fields.get("texts") is not None:
        texts: dict[str, tuple[str, str]] = {}
        for tag, text in fields["texts"].items():
            try:
                texts[canonical_tag(tag)] = (text["title"], text.get("description", ""))
            except LanguageTagError:
                pointer = "/texts/" + tag.replace("~", "~0").replace("/", "~1")
                errors.append({"pointer": pointer, "detail": "not a BCP 47 language tag"})
        fields["texts"] = texts
    if errors:
        raise listing(
            422,
            errors,
            title="Invalid timeline",
            describe=lambda e: f"{e['pointer']}: {e['detail']}",
        )
    return fields


def _zone(name: str) -> bool:
    if "/" not in name and name != "UTC":
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _manage() -> None:
    forbid_unless(may_manage(require_token()), "Only an admin token manages timelines.")


def _timeline_problem(error: timelines.TimelineError, pointer: str = "/slug") -> ProblemError:
    return ProblemError(error.status, str(error), errors=[{"pointer": pointer}])


@bp.get("/timelines")
def list_view() -> Response:
    """List every timeline, the default first."""
    found = timelines.list_timelines(db.get_session())
    return _json({"timelines": [timeline_output(t) for t in found]})


@bp.post("/timelines")
def create_view() -> Response:
    """Make a timeline (admin token): 201 with Location."""
    _manage()
    fields = _parse(read_json(POST_TYPES, "Accept-Post"), partial=False)
    language = fields.get("language") or current_app.config["LANGUAGE"]
    with write_unit() as session:
        try:
            timeline = timelines.create_timeline(
                session,
                fields["slug"],
                fields.get("texts", {}),
                language=language,
                timezone=fields.get("timezone"),
            )
        except timelines.TimelineError as error:
            raise _timeline_problem(error) from None
        location = f"/api/timelines/{quote(timeline.slug)}"
        response = _json(timeline_output(timeline), 201, {"Location": location})
    return response


@bp.get("/timelines/<slug>")
def get_view(slug: str) -> Response:
    """Return one timeline."""
    return _json(timeline_output(find(slug)))


@bp.patch("/timelines/<slug>")
def patch_view(slug: str) -> Response:
    """Change a timeline's slug, texts (all replaced), language or time zone (admin)."""
    _manage()
    fields = _parse(read_json(PATCH_TYPES, "Accept-Patch"), partial=True)
    with write_unit():
        timeline = find(slug)
        try:
            timelines.update_timeline(
                db.get_session(),
                timeline,
                slug=fields.get("slug"),
                texts=fields.get("texts"),
                language=fields.get("language"),
                timezone=fields.get("timezone"),
                clear_timezone="timezone" in fields and fields["timezone"] is None,
            )
        except timelines.TimelineError as error:
            raise _timeline_problem(error) from None
        except timelines.TimelineNotFoundError:  # deleted while this waited its turn
            raise not_found(slug) from None
        response = _json(timeline_output(timeline))
    return response


@bp.delete("/timelines/<slug>")
def delete_view(slug: str) -> Response:
    """Delete a timeline (admin); its events stay. 409 for the default timeline."""
    _manage()
    with write_unit() as session:
        try:
            timelines.delete_timeline(session, find(slug))
        except timelines.TimelineError as error:
            raise _timeline_problem(error, "") from None
    return Response(status=204)


@bp.get("/timelines/<slug>/events")
def list_events_view(slug: str) -> Response:
    """List the timeline's events as ``/api/events`` lists the default timeline's."""
    return list_in(find(slug).id)


@bp.post("/timelines/<slug>/events")
def create_event_view(slug: str) -> Response:
    """Create an event in the timeline (as ``POST /api/events``)."""
    timeline_id, found = find_before_write(slug)
    return create_in(timeline_id, f"the timeline {found!r}")


def _member_write(slug: str) -> tuple[orm.Session, Timeline]:
    """The session, in its write transaction, and the timeline ``slug`` of a change of
    its events: 401 without a valid token, 404 for an unknown slug (or one deleted
    meanwhile), 403 unless the token writes to it. The caller's :func:`write_unit`
    commits or rolls back."""
    principal = require_token()
    timeline_id, found = find_before_write(slug)
    forbid_unless(may_write(principal, timeline_id), f"This token may not write to {found!r}.")
    session = db.get_session()
    begin_write(session)
    timeline = session.get(Timeline, timeline_id)
    if timeline is None:
        raise ProblemError(404, f"There is no timeline {found!r}.")
    return session, timeline


@bp.put("/timelines/<slug>/events/<event_id>")
def add_event_view(slug: str, event_id: str) -> Response:
    """Put an existing event in the timeline too (the same event, the same UID): 201
    when added, 204 when it was there already."""
    session, timeline = _member_write(slug)
    with write_unit():
        added = timelines.add_event(session, timeline, live_event(session, event_id))
    return Response(status=201 if added else 204)


@bp.delete("/timelines/<slug>/events/<event_id>")
def remove_event_view(slug: str, event_id: str) -> Response:
    """Take an event out of the timeline (it stays in the others): 204; 404 when the
    timeline does not hold it. Moving an event is a PUT into one timeline and a DELETE
    from the other."""
    session, timeline = _member_write(slug)
    with write_unit():
        event = live_event(session, event_id)
        if not timelines.remove_event(session, timeline, event):
            raise ProblemError(404, f"The timeline {timeline.slug!r} has no event {event_id!r}.")
    return Response(status=204)
