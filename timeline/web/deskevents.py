"""The desk's events: the newest of a timeline to edit, a new one in a timeline, an edit, a
deletion (confirmed) and an event's history, as plain HTML forms; every write through
:mod:`timeline.web.deskwrite` with the API's validation and rights (an event is changed
only by who may write to every timeline holding it), its errors next to their field."""

from __future__ import annotations

import secrets

from flask import Blueprint, Response, abort, current_app, request

from timeline.events.output import revision_output
from timeline.events.problems import ProblemError
from timeline.http import db
from timeline.http.lookup import any_event, live_event
from timeline.http.timelines import find
from timeline.store import writes
from timeline.store.accounts import writable_timelines
from timeline.store.models import Event, Timeline
from timeline.store.queries import CursorError, EventFilter, cursor_after, list_events
from timeline.store.rights import Principal, may_write_all
from timeline.store.timelines import slugs_of, timeline_ids
from timeline.web import deskforms, deskwrite, i18n
from timeline.web.desk import (
    current_account,
    current_principal,
    desk_url,
    render_desk,
    require_right,
    see_other,
    signed_in,
)
from timeline.web.deskforms import EventForm

bp = Blueprint("desk_events", __name__, url_prefix="/desk")
#: Events a page of the desk lists.
PAGE_SIZE = 50


def chosen_timeline(slug: str | None) -> Timeline:
    """The timeline the desk works on: the one ``slug`` names (from a form's or the
    URL's ``timeline``), else the first the signed-in account may write to (the default
    timeline for an admin). Aborts with 404 for an unknown slug, 403 for a timeline the
    account may not write to."""
    if slug:
        timeline = find(slug)
        require_right(timeline.id)
        return timeline
    account = current_account()
    assert account is not None
    writable = writable_timelines(db.get_session(), account)
    if not writable:
        abort(403, description=i18n.gettext("You may not write to this timeline."))
    return writable[0]


def require_event_right(event: Event) -> Principal:
    """Return the signed-in account's principal if it may change ``event``: write to
    every timeline that holds it (:func:`timeline.store.rights.may_write_all`, as the
    API); else abort with 403."""
    principal = current_principal()
    if not may_write_all(principal, timeline_ids(db.get_session(), event.id)):
        abort(403, description=i18n.gettext("You may not write to this timeline."))
    return principal


def _forbidden(problem: ProblemError) -> None:
    """Abort with 403 for a write refused by the rights (see :mod:`deskwrite`)."""
    if problem.status == 403:
        abort(403, description=i18n.gettext("You may not write to this timeline."))


@bp.get("/")
@signed_in
def home() -> Response:
    """The desk's start: the timelines the account writes to (``?timeline=<slug>``
    chooses one; the first by default), and that timeline's newest events, each with
    its edit, history and delete links (``?cursor=`` for older ones)."""
    timeline = chosen_timeline(request.args.get("timeline"))
    cursor = request.args.get("cursor")
    try:
        flt = EventFilter(timeline=timeline.id)
        events = list_events(db.get_session(), flt, limit=PAGE_SIZE + 1, cursor=cursor or None)
    except CursorError:
        abort(400, description=i18n.gettext("This page position is not one the desk gave."))
    older = None
    if len(events) > PAGE_SIZE:
        events = events[:PAGE_SIZE]
        older = desk_url(
            "desk_events.home", timeline=timeline.slug, cursor=cursor_after(events[-1])
        )
    account = current_account()
    assert account is not None
    return render_desk(
        "desk/home.html",
        events=events,
        older=older,
        timeline=timeline,
        timelines=writable_timelines(db.get_session(), account),
    )


def _form_page(
    form: EventForm, event: Event | None, status: int = 200, *, chosen: str | None = None
) -> Response:
    account = current_account()
    assert account is not None
    session = db.get_session()
    return render_desk(
        "desk/event_form.html",
        status,
        form=form,
        event=event,
        timelines=writable_timelines(session, account),
        chosen=chosen,
        held=slugs_of(session, event.id) if event is not None else [],
        key=secrets.token_urlsafe(16),
        languages=deskforms.FORM_LANGUAGES,
        precisions=deskforms.PRECISIONS,
    )


@bp.get("/events/new")
@signed_in
def new_event() -> Response:
    """An empty event form, for the timeline ``?timeline=<slug>`` (else the first the
    account writes to)."""
    timeline = chosen_timeline(request.args.get("timeline"))
    form = EventForm(language=current_app.config["LANGUAGE"])
    return _form_page(form, None, chosen=timeline.slug)


@bp.post("/events/new")
@signed_in
def create_event() -> Response:
    """Create the event of the form in the form's timeline (403 unless the account
    writes to it, nothing stored): to its page on the desk, or the form again (422) with
    each error next to its field."""
    timeline = chosen_timeline(request.form.get("timeline"))
    principal = require_right(timeline.id)
    form = deskforms.read_form(request.form)
    body = deskforms.body_of(form)
    if form.errors:
        return _form_page(form, None, 422, chosen=timeline.slug)
    key = request.form.get("key") or None
    try:
        event, _ = deskwrite.create(body, principal=principal, timeline_id=timeline.id, key=key)
    except ProblemError as problem:
        _forbidden(problem)
        deskforms.put_errors(form, problem.errors or [{"pointer": "", "detail": problem.detail}])
        return _form_page(form, None, problem.status, chosen=timeline.slug)
    target = desk_url("desk_events.edit_event", event_id=event.id, saved=1)
    return see_other(target)


@bp.get("/events/<event_id>/edit")
@signed_in
def edit_event(event_id: str) -> Response:
    """The form of a stored event (403 unless the account writes to every timeline
    holding it)."""
    event = live_event(db.get_session(), event_id)
    require_event_right(event)
    return _form_page(deskforms.form_of_event(event), event)


@bp.post("/events/<event_id>/edit")
@signed_in
def update_event(event_id: str) -> Response:
    """Save the form over the event (a merge patch of what the form shows: what it does
    not show stays): back to it, or the form again (422) with the errors; 403 unless the
    account writes to every timeline holding it (nothing changed)."""
    session = db.get_session()
    event = live_event(session, event_id)
    principal = require_event_right(event)
    session.commit()
    form = deskforms.read_form(request.form)
    patch = deskforms.body_of(form, patch=True)
    if form.errors:
        return _form_page(form, event, 422)
    sequence = request.form.get("sequence", "")
    try:
        deskwrite.update(
            event_id,
            patch,
            principal=principal,
            sequence=int(sequence) if sequence.isdigit() and len(sequence) < 10 else None,
        )
    except ProblemError as problem:
        _forbidden(problem)
        deskforms.put_errors(form, problem.errors or [{"pointer": "", "detail": problem.detail}])
        return _form_page(form, live_event(db.get_session(), event_id), problem.status)
    target = desk_url("desk_events.edit_event", event_id=event_id, saved=1)
    return see_other(target)


@bp.get("/events/<event_id>/delete")
@signed_in
def confirm_delete(event_id: str) -> Response:
    """Ask before deleting an event (403 as for :func:`delete_event`)."""
    event = live_event(db.get_session(), event_id)
    require_event_right(event)
    return render_desk("desk/delete.html", event=event)


@bp.post("/events/<event_id>/delete")
@signed_in
def delete_event(event_id: str) -> Response:
    """Delete the event (it leaves every output; its history stays): back to the desk;
    403 unless the account writes to every timeline holding it (nothing changed)."""
    session = db.get_session()
    principal = require_event_right(live_event(session, event_id))
    session.commit()
    try:
        deskwrite.delete(event_id, principal=principal)
    except ProblemError as problem:
        _forbidden(problem)
        raise
    return see_other(desk_url("desk_events.home", deleted=event_id))


@bp.get("/events/<event_id>/history")
@signed_in
def history(event_id: str) -> Response:
    """An event's revisions, oldest first: who, when, what, and the content after each."""
    session = db.get_session()
    event = any_event(session, event_id)
    language = current_app.config["LANGUAGE"]
    revisions = [revision_output(r, language) for r in writes.revisions(session, event_id)]
    return render_desk("desk/history.html", event=event, revisions=revisions)
