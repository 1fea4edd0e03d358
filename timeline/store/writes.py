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
from timeline.store.newrows import insert_new, insert_tags, loaded
from timeline.store.orgnames import name_organization
from timeline.store.stamp import record_change
from timeline.store.values import EventData, Translation, slugify
from timeline.store.walltime import keeps_wall_time, wall_text


class StoreError(ValueError):
    """A write the store refuses."""


#: How many times a new event's write is tried when concurrent writes keep taking the
#: id it found free (the same title and day at once) or its Idempotency-Key: each
#: round, one of them wins, so this many writers at once all get their own id (or the
#: event of their key); beyond, a 409 says to retry (the API's POST, the desk's form).
CREATE_ATTEMPTS = 16


def lock_events(session: orm.Session, event_ids: list[str]) -> None:
    """Lock the rows of the events ``event_ids`` until the transaction ends (PostgreSQL:
    ``SELECT ... FOR UPDATE``; SQLite has one writer, which ``BEGIN IMMEDIATE`` makes
    wait its turn). Taken before the store version's
    (:func:`timeline.store.stamp.record_change`), the order in which every write that
    changes an event locks them, so that no two writers wait for each other. Read after
    it, under READ COMMITTED, an event is as the last write that changed it left it."""
    for at in range(0, len(event_ids), 500):
        chunk = event_ids[at : at + 500]
        session.execute(sa.select(Event.id).where(Event.id.in_(chunk)).with_for_update())


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


def content_columns(data: EventData) -> dict[str, Any]:
    """Return the columns of an event that its content ``data`` sets, by attribute key:
    its start and end in UTC (aware), wall times where kept, its content hash."""
    wall_start, wall_end = wall_times(data)
    return {
        "title": data.title,
        "description": data.description,
        "start": as_utc(data.start),
        "end": None if data.end is None else as_utc(data.end),
        "all_day": data.all_day,
        "timezone": data.timezone,
        "wall_start": wall_start,
        "wall_end": wall_end,
        "precision": data.precision,
        "approximate": data.approximate,
        "location": data.location,
        "url": data.url,
        "source_name": data.source_name,
        "source_published": data.source_published,
        "source_locator": data.source_locator,
        "language": data.language,
        "when_text": data.when,
        "status": data.status,
        "rrule": data.rrule,
        "rdate": ",".join(data.rdate),
        "exdate": ",".join(data.exdate),
        "recurrence_of": data.recurrence_of,
        "recurrence_id": data.recurrence_id,
        "content_hash": data.content_hash(),
    }


def _tag_labels(data: EventData) -> dict[str, str]:
    """Return the tags of ``data`` by slug, in order, each under its first label. Raises
    StoreError for a tag with no slug."""
    seen: dict[str, str] = {}
    for label in data.tags:
        slug = slugify(label)
        if not slug:
            raise StoreError(f"tag {label!r} has no letters or digits")
        seen.setdefault(slug, label)
    return seen


def _organizations(session: orm.Session, data: EventData) -> list[Organization]:
    """Return the organizations of ``data``, in order, once each (created where new,
    their names by language given first: :func:`name_organizations`)."""
    name_organizations(session, data)  # first: one of its names may be an alias already
    orgs: dict[int, Organization] = {}
    for name in data.organizations:
        org = organization_for(session, name)
        orgs.setdefault(org.id, org)
    return list(orgs.values())


def _apply(session: orm.Session, event: Event, data: EventData) -> None:
    """Bring the persistent ``event`` to the content ``data`` (the unit of work writes
    what changed)."""
    for key, value in content_columns(data).items():
        setattr(event, key, value)
    kept = {t.language: t for t in event.translations}
    translations = []
    for text in data.translations:
        row = kept.get(text.language) or EventTranslation(event_id=event.id, language=text.language)
        row.title, row.description = text.title, text.description
        translations.append(row)
    event.translations = translations
    seen = _tag_labels(data)
    insert_tags(session, seen)
    event.tags = [
        EventTag(event_id=event.id, tag_slug=slug, label=label, position=i)
        for i, (slug, label) in enumerate(seen.items())
    ]
    event.organizations = [
        EventOrganization(event_id=event.id, organization_id=org.id, organization=org, position=i)
        for i, org in enumerate(_organizations(session, data))
    ]


def _new_event(session: orm.Session, data: EventData, now: dt.datetime) -> Event:
    """Return the new event of content ``data`` made at ``now`` (sequence 0), with its
    tags, organizations and translations, as instances in the state of rows just
    loaded (:func:`loaded`): building them costs no attribute events, and
    :func:`insert_new` writes them."""
    event_id = data.id
    event = loaded(
        Event,
        id=event_id,
        created=now,
        updated=now,
        sequence=0,
        deleted=False,
        tombstone=False,
        change_version=0,
        **content_columns(data),
    )
    translations = [
        loaded(
            EventTranslation,
            event_id=event_id,
            language=t.language,
            title=t.title,
            description=t.description,
            event=event,
        )
        for t in data.translations
    ]
    tags = [
        loaded(EventTag, event_id=event_id, tag_slug=slug, label=label, position=i, event=event)
        for i, (slug, label) in enumerate(_tag_labels(data).items())
    ]
    organizations = [
        loaded(
            EventOrganization,
            event_id=event_id,
            organization_id=org.id,
            position=i,
            event=event,
            organization=org,
        )
        for i, org in enumerate(_organizations(session, data))
    ]
    set_committed = orm.attributes.set_committed_value
    set_committed(event, "translations", translations)
    set_committed(event, "tags", tags)
    set_committed(event, "organizations", organizations)
    return event


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
    event = _new_event(session, data, now)
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
    _tag_labels(data)
    for name in data.organizations:
        if not slugify(name):
            raise StoreError(f"organization name {name!r} has no letters or digits")
