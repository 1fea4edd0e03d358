"""The rows of stored VEVENT parts (table ``event_parts``) and how they are written: one
statement for many rows, in the order of their event ids."""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from sqlalchemy import orm
from sqlalchemy.dialects import postgresql, sqlite

from timeline.store.engine import begin_write
from timeline.store.manyrows import execute_many
from timeline.store.models import EventPart

KIND_ICS = "ics"


def part_kind(lang: str | None) -> str:
    """The kind of an event's stored VEVENT in the language ``lang`` (BCP 47): ``ics``
    (each event's original language) or ``ics:zh``."""
    return KIND_ICS if lang is None else f"{KIND_ICS}:{lang}"


def upsert(session: orm.Session, rows: list[dict[str, Any]]) -> None:
    """Insert parts, replacing existing ones (two processes may render the same part), as
    one statement executed for many rows (not one statement of many VALUES, whose
    compiling cost a second per 10,000 parts), in the order of their event ids: the
    inserts walk the primary key's index in order, each page of it written once."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(EventPart)
    stmt = stmt.on_conflict_do_update(
        index_elements=["event_id", "kind"],
        set_={
            "sequence": stmt.excluded.sequence,
            "key": stmt.excluded.key,
            "body": stmt.excluded.body,
        },
    )
    execute_many(session.connection(), stmt, sorted(rows, key=itemgetter("event_id")))


def part_rows(
    versions: list[tuple[str, int]],
    rendered: dict[str, bytes],
    key: str,
    lang: str | None = None,
) -> list[dict[str, Any]]:
    """The ``event_parts`` rows of the VEVENT bytes ``rendered`` (by event id) of those of
    the events ``versions`` (each ``(id, sequence)``) it has, as :func:`store_parts`
    stores them."""
    kind = part_kind(lang)
    return [
        {"event_id": event_id, "kind": kind, "sequence": sequence, "key": key, "body": b}
        for event_id, sequence in versions
        if (b := rendered.get(event_id)) is not None
    ]


def store_part_rows(session: orm.Session, rows: list[dict[str, Any]]) -> None:
    """Store the part ``rows`` (:func:`part_rows`) in a write transaction of
    ``session``'s own that this commits (none may be open)."""
    begin_write(session)
    upsert(session, rows)
    session.commit()
