"""Writes to the event store: create, update, delete, with a revision row for each change.

These functions take a session and never commit: the view or the CLI command is the unit
of work. They never import Flask.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from timeline.store.models import (
    DEFAULT_TIMELINE_ID,
    Event,
    EventOrganization,
    EventTag,
    EventTranslation,
    Organization,
    OrganizationAlias,
    Revision,
    table,
    utcnow,
)
from timeline.store.newrows import insert_new, insert_tags
from timeline.store.orgnames import name_organization
from timeline.store.stamp import record_change
from timeline.store.values import EventData, Translation, slugify
from timeline.store.walltime import keeps_wall_time, wall_text


class StoreError(ValueError):
    """A write the store refuses."""


class EventExistsError(StoreError):
    """An event with this id exists already with other content (HTTP 409)."""


class EventGoneError(StoreError):
    """The event was deleted (a tombstone): it cannot be changed (HTTP 410)."""


def as_utc(value: dt.date | dt.datetime) -> dt.datetime:
    """Return the stored form of a start or end: an aware datetime in UTC (a date is its
    midnight, UTC)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC)
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


def wall_times(data: EventData) -> tuple[str | None, str | None]:
    """Return the wall times (``wall_start``, ``wall_end``) kept for ``data``: its start
    and end as entered in its zone (:func:`timeline.store.walltime.wall_text`), for a
    timed event in a zone other than UTC; None otherwise."""
    if not keeps_wall_time(data.all_day, data.timezone):
        return None, None
    assert data.timezone is not None and isinstance(data.start, dt.datetime)
    end = data.end if isinstance(data.end, dt.datetime) else None
    return wall_text(data.start, data.timezone), (
        None if end is None else wall_text(end, data.timezone)
    )


def event_data(event: Event) -> EventData:
    """Return the stored content of ``event`` as an :class:`EventData`."""
    return EventData(
        id=event.id,
        title=event.title,
        start=event.start_value,
        end=event.end_value,
        all_day=event.all_day,
        precision=event.precision,
        approximate=event.approximate,
        description=event.description,
        timezone=event.timezone,
        location=event.location,
        url=event.url,
        tags=tuple(event.tag_names),
        organizations=tuple(event.organization_names),
        source_name=event.source_name,
        source_published=event.source_published,
        source_locator=event.source_locator,
        language=event.language,
        translations=tuple(
            Translation(t.language, t.title, t.description) for t in event.translations
        ),
        when=event.when_text,
        status=event.status,
        rrule=event.rrule,
        rdate=split_values(event.rdate),
        exdate=split_values(event.exdate),
        recurrence_of=event.recurrence_of,
        recurrence_id=event.recurrence_id,
    )


def split_values(text: str) -> tuple[str, ...]:
    """Return the RDATE or EXDATE values stored as ``text`` (joined by ``,``)."""
    return tuple(text.split(",")) if text else ()


def organization_for(session: orm.Session, name: str) -> Organization:
    """Return the organization that ``name`` is the canonical name or an alias of, creating
    it (under ``name``) if there is none. Raises StoreError if ``name`` has no slug."""
    slug = slugify(name)
    if not slug:
        raise StoreError(f"organization name {name!r} has no letters or digits")
    alias = session.get(OrganizationAlias, slug)
    if alias is not None:
        return alias.organization
    org = Organization(name=name, slug=slug)
    org.aliases.append(OrganizationAlias(slug=slug, name=name))
    try:
        with session.begin_nested():  # a savepoint: a conflict undoes only this insert
            session.add(org)
    except sa.exc.IntegrityError:
        # Another writer created it since our read and has committed (PostgreSQL; SQLite
        # has one writer at a time): use theirs.
        alias = session.get(OrganizationAlias, slug, populate_existing=True)
        if alias is None:
            raise
        return alias.organization
    return org


def define_organization(
    session: orm.Session,
    name: str,
    aliases: Iterable[str],
    names: Iterable[tuple[str, str]] = (),
) -> Organization:
    """Create or update the organization ``name`` with ``aliases`` (other names) and its
    ``names`` by language (``(tag, name)``: :func:`name_organization`). An alias already
    held by another organization is moved to this one."""
    org = organization_for(session, name)
    if org.name != name:  # ``name`` was an alias: promote it to the canonical name
        org.name = name
    for alias_name in (name, *aliases):
        slug = slugify(alias_name)
        alias = session.get(OrganizationAlias, slug)
        if alias is None:
            org.aliases.append(OrganizationAlias(slug=slug, name=alias_name))
        elif alias.organization_id != org.id:
            alias.organization = org
    session.flush()
    name_organization(session, org, names)
    return org


def name_organizations(session: orm.Session, data: EventData) -> bool:
    """Give the organizations of ``data`` the names by language it carries
    (``organization_names``: :func:`timeline.store.orgnames.name_organization`), each
    the organization that one of its names is an alias of, else a new one under the
    name ``data`` gives it; return whether any changed. Does not commit."""
    changed = False
    for name, names in data.organization_names:
        org = None
        for text in (name, *(text for _, text in names)):
            alias = session.get(OrganizationAlias, slugify(text))
            if alias is not None:
                org = alias.organization
                break
        changed |= name_organization(session, org or organization_for(session, name), names)
    return changed


def _apply(session: orm.Session, event: Event, data: EventData, *, new: bool = False) -> None:
    # ``new``: a transient event, whose tags :func:`insert_new` adds with its rows.
    event.title = data.title
    event.description = data.description
    event.start = as_utc(data.start)
    event.end = None if data.end is None else as_utc(data.end)
    event.all_day = data.all_day
    event.timezone = data.timezone
    event.wall_start, event.wall_end = wall_times(data)
    event.precision = data.precision
    event.approximate = data.approximate
    event.location = data.location
    event.url = data.url
    event.source_name = data.source_name
    event.source_published = data.source_published
    event.source_locator = data.source_locator
    event.language = data.language
    event.when_text = data.when
    event.status = data.status
    event.rrule = data.rrule
    event.rdate = ",".join(data.rdate)
    event.exdate = ",".join(data.exdate)
    event.recurrence_of = data.recurrence_of
    event.recurrence_id = data.recurrence_id
    kept = {t.language: t for t in event.translations}
    translations = []
    for text in data.translations:
        row = kept.get(text.language) or EventTranslation(event_id=event.id, language=text.language)
        row.title, row.description = text.title, text.description
        translations.append(row)
    event.translations = translations
    seen: dict[str, str] = {}
    for label in data.tags:
        slug = slugify(label)
        if not slug:
            raise StoreError(f"tag {label!r} has no letters or digits")
        seen.setdefault(slug, label)
    if not new:
        insert_tags(session, seen)
    event.tags = [
        EventTag(event_id=event.id, tag_slug=slug, label=label, position=i)
        for i, (slug, label) in enumerate(seen.items())
    ]
    name_organizations(session, data)  # first: one of its names may be an alias already
    orgs: dict[int, Organization] = {}
    for name in data.organizations:
        org = organization_for(session, name)
        orgs.setdefault(org.id, org)
    event.organizations = [
        EventOrganization(event_id=event.id, organization_id=org.id, organization=org, position=i)
        for i, org in enumerate(orgs.values())
    ]
    event.content_hash = data.content_hash()


def _revision(event: Event, action: str, author: str) -> dict[str, Any]:
    """Return the columns of the revision of ``event`` by ``author`` for ``action``."""
    return {
        "event_id": event.id,
        "sequence": event.sequence,
        "action": action,
        "author": author,
        "at": event.updated,
        "data": event_data(event).to_json() | {"deleted": event.deleted},
    }


def _revise(session: orm.Session, event: Event, action: str, author: str) -> None:
    revision = _revision(event, action, author)
    session.connection().execute(table(Revision).insert(), revision)  # no unit of work


def create_event(
    session: orm.Session,
    data: EventData,
    *,
    author: str,
    timelines: Collection[int] = (DEFAULT_TIMELINE_ID,),
    known_free: bool = False,
) -> Event:
    """Add a new event with ``data`` (sequence 0) and its first revision, in the
    timelines ``timelines`` (ids; the default timeline unless told), whose versions
    follow. ``known_free``: the caller has just found ``data.id`` free in this
    transaction (:func:`timeline.events.parse.assign_id` or its own look-up), so it is
    not looked up again; if another writer takes it meanwhile, the INSERT fails with
    sqlalchemy's IntegrityError at the flush.

    Raises EventExistsError if the id is taken (even by a deleted event: ids are never
    reused) and StoreError for a tag or organization with no slug.
    """
    if not known_free and session.get(Event, data.id) is not None:
        raise EventExistsError(f"an event with id {data.id!r} exists already")
    now = utcnow()
    event = Event(
        id=data.id,
        created=now,
        updated=now,
        sequence=0,
        deleted=False,
        tombstone=False,
        change_version=0,
        # Empty, not unloaded: filling them loads nothing from the store.
        translations=[],
        tags=[],
        organizations=[],
    )
    _apply(session, event, data, new=True)
    insert_new(session, event, timelines, _revision(event, "create", author))
    record_change(session, event)
    return event


def update_event(session: orm.Session, event: Event, data: EventData, *, author: str) -> bool:
    """Replace the content of ``event`` with ``data``; return False (and change nothing
    of the event) if it is the same. A change bumps ``sequence`` and ``updated`` and
    adds a revision. The names by language that ``data`` gives its organizations are
    theirs either way (:func:`name_organizations`).

    Raises EventGoneError for a deleted event and StoreError as :func:`create_event`.
    """
    if event.deleted:
        raise EventGoneError(f"event {event.id!r} was deleted")
    name_organizations(session, data)  # the organizations' own, whatever the event's content
    if data.content_hash() == event.content_hash:
        return False
    _apply(session, event, data)
    event.sequence += 1
    event.updated = max(utcnow(), event.updated + dt.timedelta(microseconds=1))
    session.flush()
    record_change(session, event)
    _revise(session, event, "update", author)
    return True


def delete_event(session: orm.Session, event: Event, *, author: str) -> None:
    """Mark ``event`` deleted (a tombstone: the row and its revisions stay), bumping
    ``sequence`` and ``updated``. Raises EventGoneError if it is deleted already."""
    if event.deleted:
        raise EventGoneError(f"event {event.id!r} was deleted")
    event.deleted = True
    event.tombstone = True
    event.sequence += 1
    event.updated = max(utcnow(), event.updated + dt.timedelta(microseconds=1))
    session.flush()
    record_change(session, event)
    _revise(session, event, "delete", author)


def expire_tombstones(session: orm.Session, now: dt.datetime, days: int) -> list[str]:
    """End the tombstones of the events deleted more than ``days`` days before ``now``
    (aware, UTC): they leave the calendars. Each is a change of the store (its version
    goes up, so that cached calendars are read again), without a revision: the event's
    content did not change. Returns their ids, sorted; does not commit."""
    before = now - dt.timedelta(days=days)
    stmt = sa.select(Event).where(Event.tombstone.is_(True), Event.updated < before)
    expired = list(session.scalars(stmt.order_by(Event.id)))
    for event in expired:
        event.tombstone = False
        event.updated = max(now, event.updated + dt.timedelta(microseconds=1))
        session.flush()
        record_change(session, event)
    return [event.id for event in expired]


def upsert_event(
    session: orm.Session,
    data: EventData,
    *,
    author: str,
    timelines: Collection[int] = (DEFAULT_TIMELINE_ID,),
) -> str:
    """Create the event (in ``timelines``, as :func:`create_event`) or bring it to
    ``data`` (in the timelines it is in); return ``"added"``, ``"updated"`` or
    ``"unchanged"``. Raises EventGoneError for a deleted event."""
    event = session.get(Event, data.id)
    if event is None:
        create_event(session, data, author=author, timelines=timelines, known_free=True)
        return "added"
    return "updated" if update_event(session, event, data, author=author) else "unchanged"


def revisions(session: orm.Session, event_id: str) -> list[Revision]:
    """Return the revisions of an event, oldest first (empty for an unknown id)."""
    stmt = sa.select(Revision).where(Revision.event_id == event_id).order_by(Revision.sequence)
    return list(session.scalars(stmt))


def check_slugs(data: EventData) -> None:
    """Raise StoreError, as :func:`create_event` would, when a tag or an organization of
    ``data`` has no slug; write nothing."""
    for label in data.tags:
        if not slugify(label):
            raise StoreError(f"tag {label!r} has no letters or digits")
    for name in data.organizations:
        if not slugify(name):
            raise StoreError(f"organization name {name!r} has no letters or digits")
