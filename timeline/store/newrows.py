"""A new event's rows written as Core INSERTs, without the unit of work: on PostgreSQL
one statement for all of them (one round trip), elsewhere one INSERT per table."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.dialects import postgresql, sqlite

from timeline.store.engine import Precompiled
from timeline.store.models import (
    Event,
    EventOrganization,
    EventTag,
    EventTranslation,
    Revision,
    Tag,
    TimelineEvent,
)


def table(model: type[orm.DeclarativeBase]) -> sa.Table:
    """Return the table of the mapped class ``model``."""
    mapped = model.__table__
    assert isinstance(mapped, sa.Table)
    return mapped


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
_PARTS: tuple[tuple[type[orm.DeclarativeBase], str], ...] = (
    (EventTag, "tags"),
    (EventOrganization, "organizations"),
    (EventTranslation, "translations"),
)
_PART_KEYS = {
    model: tuple(attr.key for attr in orm.class_mapper(model).column_attrs) for model, _ in _PARTS
}


def insert_new(
    session: orm.Session, event: Event, timelines: Collection[int], revision: dict[str, Any]
) -> None:
    """Write the new, transient ``event`` (every column attribute set), its tags (and
    the tags themselves where new, :func:`insert_tags`), organizations and translations
    (their keys set), its places in ``timelines`` and its first revision (``revision``:
    the columns of a :class:`Revision` but its id) on the session's connection, then
    make it persistent in ``session`` as if just loaded: a new event costs no
    unit-of-work flush. Raises sqlalchemy's IntegrityError when the id is taken."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        _NEW_EVENT_POSTGRESQL.execute(conn, _postgresql_values(event, timelines, revision))
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


def _postgresql_values(
    event: Event, timelines: Collection[int], revision: dict[str, Any]
) -> dict[str, Any]:
    """The parameters of :data:`_NEW_EVENT_POSTGRESQL`: the event's and the revision's
    columns, and a list per column of each kind of part (the rows' values in order)."""
    values = {f"event_{key}": event.__dict__[key] for key in _EVENT_KEYS}
    values.update({f"revision_{key}": value for key, value in revision.items()})
    values["tag_slugs"] = [row.tag_slug for row in event.tags]
    for model, name in _PARTS:
        rows = getattr(event, name)
        for key in _PART_KEYS[model]:
            if key != "event_id":
                values[f"{name}_{key}"] = [row.__dict__[key] for row in rows]
    values["timeline_ids"] = list(timelines)
    return values


def _new_event_postgresql() -> sa.Insert:
    """Build the INSERT of a new event's revision whose data-modifying WITH queries
    (PostgreSQL) insert the new tags (ON CONFLICT DO NOTHING), the event, its parts
    (from arrays, ``unnest``) and its places in timelines: one statement, built and
    compiled once (:class:`timeline.store.engine.Precompiled`). The foreign keys are
    checked at its end, when every row is in."""
    events = table(Event)
    event_id = sa.bindparam("event_id", type_=events.c.id.type)

    def array(name: str, type_: Any) -> sa.BindParameter[Any]:
        return sa.bindparam(name, type_=postgresql.ARRAY(type_))

    new_tags = (
        postgresql.insert(table(Tag))
        .from_select(["slug"], sa.select(sa.func.unnest(array("tag_slugs", sa.String()))))
        .on_conflict_do_nothing(index_elements=["slug"])
    )
    ctes = [
        new_tags.cte("new_tags"),
        sa.insert(events)
        .values(
            {c.key: sa.bindparam(f"event_{c.key}", type_=c.type) for c in events.c}
            | {"id": event_id}
        )
        .cte("new_event"),
    ]
    for model, name in _PARTS:
        part = table(model)
        columns = [c for c in part.c if c.key != "event_id"]
        rows = sa.func.unnest(*(array(f"{name}_{c.key}", c.type) for c in columns))
        listed = rows.table_valued(*(c.key for c in columns)).render_derived(name=f"{name}_rows")
        select = sa.select(event_id, *(listed.c[c.key] for c in columns))
        ctes.append(
            sa.insert(part)
            .from_select(["event_id", *(c.key for c in columns)], select)
            .cte(f"new_event_{name}")
        )
    places = sa.select(sa.func.unnest(array("timeline_ids", sa.Integer())), event_id)
    ctes.append(
        sa.insert(table(TimelineEvent))
        .from_select(["timeline_id", "event_id"], places)
        .cte("new_places")
    )
    revisions = table(Revision)
    columns = [c for c in revisions.c if c.key != "id"]
    revision = {c.key: sa.bindparam(f"revision_{c.key}", type_=c.type) for c in columns}
    return sa.insert(revisions).values(revision).add_cte(*ctes)


_NEW_EVENT_POSTGRESQL = Precompiled(_new_event_postgresql())
