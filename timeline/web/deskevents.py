"""The desk's events: the newest to edit, a new one, an edit, a deletion (confirmed) and an
event's history, as plain HTML forms; every write through :mod:`timeline.web.deskwrite`
with the API's validation, its errors next to the field they name."""

from __future__ import annotations

import secrets

from flask import Blueprint, Response, abort, current_app, request

from timeline.events.output import revision_output
from timeline.events.problems import ProblemError
from timeline.http import db
from timeline.http.lookup import any_event, live_event
from timeline.store import writes
from timeline.store.accounts import DEFAULT_TIMELINE, Account, writable_timelines
from timeline.store.models import Event
from timeline.store.queries import CursorError, EventFilter, cursor_after, list_events
from timeline.web import deskforms, deskwrite, i18n
from timeline.web.desk import (
    current_account,
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


def author(account: Account) -> str:
    """The author of a revision written at the desk: ``desk:<account>`` (a token's name
    never holds a colon, so the history tells the two apart)."""
    return f"desk:{account.name}"


def _timeline(account: Account) -> str:
    """The timeline a form names (``timeline``): one the account may write to, else 403."""
    slug = request.form.get("timeline", DEFAULT_TIMELINE)
    require_right(slug)
    return slug


def _event_timeline(event: Event) -> str:
    """The slug of the timeline ``event`` is in (one timeline per store until there are
    many)."""
    return DEFAULT_TIMELINE


@bp.get("/")
@signed_in
def home() -> Response:
    """The desk's start: review an article, add an event, and the newest events, each
    with its edit, history and delete links (``?cursor=`` for older ones)."""
    cursor = request.args.get("cursor")
    try:
        events = list_events(
            db.get_session(), EventFilter(), limit=PAGE_SIZE + 1, cursor=cursor or None
        )
    except CursorError:
        abort(400, description=i18n.gettext("This page position is not one the desk gave."))
    older = None
    if len(events) > PAGE_SIZE:
        events = events[:PAGE_SIZE]
        older = desk_url("desk_events.home", cursor=cursor_after(events[-1]))
    return render_desk("desk/home.html", events=events, older=older)


def _form_page(form: EventForm, event: Event | None, status: int = 200) -> Response:
    account = current_account()
    assert account is not None
    return render_desk(
        "desk/event_form.html",
        status,
        form=form,
        event=event,
        timelines=writable_timelines(account),
        key=secrets.token_urlsafe(16),
        languages=deskforms.FORM_LANGUAGES,
        precisions=deskforms.PRECISIONS,
    )


@bp.get("/events/new")
@signed_in
def new_event() -> Response:
    """An empty event form."""
    return _form_page(EventForm(language=current_app.config["LANGUAGE"]), None)


@bp.post("/events/new")
@signed_in
def create_event() -> Response:
    """Create the event of the form: to its page on the desk, or the form again (422)
    with each error next to its field."""
    account = current_account()
    assert account is not None
    _timeline(account)
    form = deskforms.read_form(request.form)
    body = deskforms.body_of(form)
    if form.errors:
        return _form_page(form, None, 422)
    key = request.form.get("key") or None
    try:
        event, _ = deskwrite.create(body, author=author(account), key=key and f"desk:{key}")
    except ProblemError as problem:
        deskforms.put_errors(form, problem.errors or [{"pointer": "", "detail": problem.detail}])
        return _form_page(form, None, 422 if problem.status == 422 else problem.status)
    target = desk_url("desk_events.edit_event", event_id=event.id, saved=1)
    return see_other(target)


@bp.get("/events/<event_id>/edit")
@signed_in
def edit_event(event_id: str) -> Response:
    """The form of a stored event."""
    event = live_event(db.get_session(), event_id)
    return _form_page(deskforms.form_of_event(event), event)


@bp.post("/events/<event_id>/edit")
@signed_in
def update_event(event_id: str) -> Response:
    """Save the form over the event (a merge patch of what the form shows: what it does
    not show stays): back to it, or the form again (422) with the errors."""
    session = db.get_session()
    event = live_event(session, event_id)
    account = require_right(_event_timeline(event))
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
            author=author(account),
            sequence=int(sequence) if sequence.isdigit() and len(sequence) < 10 else None,
        )
    except ProblemError as problem:
        deskforms.put_errors(form, problem.errors or [{"pointer": "", "detail": problem.detail}])
        return _form_page(form, live_event(db.get_session(), event_id), problem.status)
    target = desk_url("desk_events.edit_event", event_id=event_id, saved=1)
    return see_other(target)


@bp.get("/events/<event_id>/delete")
@signed_in
def confirm_delete(event_id: str) -> Response:
    """Ask before deleting an event."""
    return render_desk("desk/delete.html", event=live_event(db.get_session(), event_id))


@bp.post("/events/<event_id>/delete")
@signed_in
def delete_event(event_id: str) -> Response:
    """Delete the event (it leaves every output; its history stays): back to the desk."""
    session = db.get_session()
    account = require_right(_event_timeline(live_event(session, event_id)))
    session.commit()
    deskwrite.delete(event_id, author=author(account))
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
