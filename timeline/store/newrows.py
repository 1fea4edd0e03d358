"""A new event's rows written as Core INSERTs, without the unit of work: on PostgreSQL
one statement for all of them with the stamp of the change, at the commit
(:mod:`timeline.store.deferred`), elsewhere one INSERT per table."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, TypeVar

from sqlalchemy import orm
from sqlalchemy.dialects import postgresql, sqlite

from timeline.store import deferred
from timeline.store.models import (
    EVENT_PARTS,
    Event,
    Revision,
    Tag,
    TimelineEvent,
    table,
)

_M = TypeVar("_M", bound=orm.DeclarativeBase)


def insert_tags(session: orm.Session, slugs: Collection[str]) -> None:
    """Add the tags ``slugs`` that do not exist yet, in one INSERT ... ON CONFLICT DO
    NOTHING: two writers using a new tag at once both succeed. Not flushed first: the
    event's own rows follow at the next flush."""
    if not slugs:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(table(Tag)).values([{"slug": slug} for slug in slugs])
    with session.no_autoflush:
        session.connection().execute(stmt.on_conflict_do_nothing(index_elements=["slug"]))


#: The column attributes of an event and of the rows of its parts, as
#: :func:`insert_new` writes them.
_EVENT_KEYS = tuple(attr.key for attr in orm.class_mapper(Event).column_attrs)
_PARTS = EVENT_PARTS
_PART_KEYS = {
    model: tuple(attr.key for attr in orm.class_mapper(model).column_attrs) for model, _ in _PARTS
}


def loaded(model: type[_M], **values: Any) -> _M:
    """Return an instance of ``model`` whose attributes are ``values`` (by key), in the
    state of a row just loaded: no attribute events, no history (a column left out is
    unloaded, a relationship left out loads when read). For :func:`insert_new`, which
    gives it its identity."""
    instance: _M = orm.class_mapper(model).class_manager.new_instance()
    instance.__dict__.update(values)
    return instance


def insert_new(
    session: orm.Session, event: Event, timelines: Collection[int], revision: dict[str, Any]
) -> None:
    """Write the new, transient ``event`` (every column attribute set), its tags (and
    the tags themselves where new, :func:`insert_tags`), organizations and translations
    (their keys set), its places in ``timelines`` and its first revision (``revision``:
    the columns of a :class:`Revision` but its id) on the session's connection, then
    make it persistent in ``session`` as if just loaded: a new event costs no
    unit-of-work flush. Raises sqlalchemy's IntegrityError when the id is taken: on
    PostgreSQL, where the rows are written with the stamp at the commit or before the
    transaction's next statement (:mod:`timeline.store.deferred`), from that."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        document = deferred.document(conn.dialect, event, timelines, revision)
        deferred.defer(conn, deferred.NewEvent(event.id, document))
    else:
        insert_tags(session, [row.tag_slug for row in event.tags])
        conn.execute(table(Event).insert(), {key: event.__dict__[key] for key in _EVENT_KEYS})
        for model, name in _PARTS:
            if rows := getattr(event, name):
                keys = _PART_KEYS[model]
                conn.execute(
                    table(model).insert(), [{k: row.__dict__[k] for k in keys} for row in rows]
                )
        places = [{"timeline_id": t, "event_id": event.id} for t in timelines]
        if places:
            conn.execute(table(TimelineEvent).insert(), places)
        conn.execute(table(Revision).insert(), revision)
    for instance in (event, *event.tags, *event.organizations, *event.translations):
        orm.make_transient_to_detached(instance)
    session.add(event)  # and its parts, by the cascade: persistent, nothing to flush
