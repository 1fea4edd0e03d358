"""A new event's rows on PostgreSQL, written with the stamp of its change at the commit.

:func:`timeline.store.newrows.insert_new` does not send a new event's rows on
PostgreSQL; it leaves them on the connection as one JSON document (:func:`defer`). The
stamp of the transaction's one change (:mod:`timeline.store.stamp`) then raises the
store version, inserts them with that version as ``change_version``, touches the
event's timelines and commits, in one call of a function of the database and one
message (:func:`stamped_message`): a POST costs one statement fewer, PostgreSQL plans
nothing for it, and the new row is not updated again for its stamp.

Whatever else runs on that connection first writes the rows before it (a listener of
every execution), and so does a commit, so no statement of the transaction finds them
missing; a rollback forgets them. The function (migration 0010) reads the document with
``jsonb_populate_record`` into each table's own row type.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Collection, Iterator
from typing import Any, NamedTuple, cast

import psycopg
import sqlalchemy as sa
from psycopg import pq
from sqlalchemy import orm

from timeline.store.models import EVENT_PARTS, Event, Revision, table

_KEY = "timeline.deferred_new_event"


class NewEvent(NamedTuple):
    """A new event's rows waiting on a connection: its id and the JSON document of its
    rows (:func:`document`)."""

    event_id: str
    document: str


_PARTS = EVENT_PARTS
_MODELS: tuple[type[orm.DeclarativeBase], ...] = (Event, Revision, *(m for m, _ in _PARTS))


#: Per dialect, per model: (column key, column name, bind processor or None).
_COLUMNS: dict[type[sa.Dialect], dict[type[orm.DeclarativeBase], list[tuple[str, str, Any]]]] = {}


def _columns(dialect: sa.Dialect) -> dict[type[orm.DeclarativeBase], list[tuple[str, str, Any]]]:
    """The columns of each kind of row in a document, with their bind processors on
    ``dialect`` (none for JSON: its values stay values of the document)."""
    found = _COLUMNS.get(type(dialect))
    if found is None:
        found = _COLUMNS[type(dialect)] = {
            model: [
                (
                    column.key,
                    column.name,
                    None
                    if isinstance(column.type, sa.JSON)
                    else column.type.dialect_impl(dialect).bind_processor(dialect),
                )
                for column in table(model).c
            ]
            for model in _MODELS
        }
    return found


def _row(columns: list[tuple[str, str, Any]], values: dict[str, Any]) -> dict[str, Any]:
    """The row ``values`` (by column key; those missing left out) as the store takes it:
    each value converted by its column's type (an aware UTC time becomes naive,
    :class:`UtcDateTime`)."""
    row = {}
    for key, name, processor in columns:
        if key in values:
            value = values[key]
            row[name] = value if processor is None else processor(value)
    return row


def _json_value(value: Any) -> str:
    if isinstance(value, dt.date):  # and datetime: ISO 8601, as PostgreSQL reads it
        return value.isoformat()
    raise TypeError(f"not a value of a stored row: {value!r}")


def document(
    dialect: sa.Dialect, event: Event, timelines: Collection[int], revision: dict[str, Any]
) -> str:
    """Return the JSON document of the new, transient ``event`` (every column attribute
    set), its tags, organizations and translations (their keys set), its places in
    ``timelines`` (ids) and its first revision (``revision``: a :class:`Revision`'s
    columns but its id): ``{"event": row, "tags": [rows], "organizations": [rows],
    "translations": [rows], "timelines": [ids], "revision": row}``, each row keyed by
    column name, values as ``dialect`` takes them (times in naive UTC, ISO 8601)."""
    columns = _columns(dialect)
    doc: dict[str, Any] = {"event": _row(columns[Event], event.__dict__)}
    for model, name in _PARTS:
        doc[name] = [_row(columns[model], row.__dict__) for row in getattr(event, name)]
    doc["timelines"] = list(timelines)
    doc["revision"] = _row(columns[Revision], revision)
    return json.dumps(doc, ensure_ascii=False, default=_json_value)


def defer(connection: sa.Connection, new: NewEvent) -> None:
    """Leave the rows of ``new`` on ``connection`` (PostgreSQL), to be written with the
    stamp of the transaction or before anything else runs on it; one written first if
    already waiting."""
    write_waiting(connection)
    connection.info[_KEY] = new


def take(connection: sa.Connection) -> NewEvent | None:
    """Return the rows waiting on ``connection`` and forget them (the caller writes
    them), or None."""
    waiting: NewEvent | None = connection.info.pop(_KEY, None)
    return waiting


def write_waiting(connection: sa.Connection) -> None:
    """Write the rows waiting on ``connection``, if any, with ``change_version`` 0 (the
    stamp sets it). Raises sqlalchemy's IntegrityError when the id is taken."""
    waiting = take(connection)
    if waiting is None:
        return
    driver = connection.connection.driver_connection
    assert driver is not None
    with as_sqlalchemy_error(connection, NEW_EVENT.decode()):
        driver.execute(NEW_EVENT, (waiting.document,))


@contextlib.contextmanager
def as_sqlalchemy_error(connection: sa.Connection, statement: str) -> Iterator[None]:
    """Raise a psycopg error from the block, run on ``connection``'s driver connection,
    as SQLAlchemy's exception of its kind (IntegrityError, OperationalError, ...:
    ``sqlalchemy.exc.DBAPIError.instance``), as if SQLAlchemy had run ``statement``
    (what it says of it), and invalidate ``connection`` when the server is gone, as
    SQLAlchemy does: a request's handlers answer a taken id as a conflict (409) and a
    server gone as 503, and the pool connects again."""
    try:
        yield
    except psycopg.Error as error:
        driver: Any = connection.connection.dbapi_connection
        lost = connection.dialect.is_disconnect(cast(Any, error), driver, None)
        wrapped = sa.exc.DBAPIError.instance(
            statement, None, error, psycopg.Error, connection_invalidated=lost
        )
        if lost:
            connection.invalidate(error)
        raise wrapped from error


#: The statement that writes a document's rows as they are (``change_version`` 0, no
#: version raised): its one parameter, the document. The function is PostgreSQL's own
#: (migration 0010), which keeps the plans of its statements for the session.
NEW_EVENT = b"SELECT timeline_new_event(CAST(%s AS jsonb), NULL, NULL)"


def stamped_message(
    driver: psycopg.Connection[Any], document: str, at: dt.datetime, span: int, commit: bool
) -> bytes:
    """Return the message that raises the store version (its ``updated`` to ``at``, naive
    UTC, and ``longest`` to ``span``, seconds, when later or longer), writes the rows
    of ``document`` with that version as the event's ``change_version`` and brings the
    event's timelines to it; with ``commit``, then commits the transaction: two
    statements. Sent as a simple query (no parameters). The document is quoted by
    libpq (``PQescapeLiteral``, for the connection's ``standard_conforming_strings``
    and encoding); ``at`` and ``span`` are the store's own values, written as ISO 8601
    and an integer."""
    literal = pq.Escaping(driver.pgconn).escape_literal(document.encode(driver.info.encoding))
    call = b"SELECT timeline_new_event(CAST(%b AS jsonb), CAST('%b' AS TIMESTAMP), %d)" % (
        literal,
        at.replace(tzinfo=None).isoformat(sep=" ").encode(),
        int(span),
    )
    return call + b"; COMMIT" if commit else call


@sa.event.listens_for(sa.Engine, "before_cursor_execute")
def _before_execute(connection: sa.Connection, *_args: Any) -> None:
    # Anything else run in the transaction comes after the rows it may read or refer to.
    if _KEY in connection.info:
        write_waiting(connection)


@sa.event.listens_for(sa.Engine, "commit")
def _before_commit(connection: sa.Connection) -> None:
    if _KEY in connection.info:  # committed without its stamp: written all the same
        write_waiting(connection)


@sa.event.listens_for(sa.Engine, "rollback")
def _on_rollback(connection: sa.Connection) -> None:
    # An invalidated connection (its server gone) has no driver connection left, nor
    # anything waiting on it.
    if not connection.invalidated:
        connection.info.pop(_KEY, None)
