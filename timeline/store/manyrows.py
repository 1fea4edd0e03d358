"""Many rows written by one executemany whose values each column's own type converts, once
per column looked up: what SQLAlchemy's executemany of a Core statement does, without
building its parameters row by row (a third of an import's time)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa


def execute_many(conn: sa.Connection, stmt: sa.Insert, rows: Sequence[Mapping[str, Any]]) -> None:
    """Execute the INSERT ``stmt`` (of a table, possibly with an ON CONFLICT clause but no
    bound values of its own) once for each of ``rows``, all with the keys of the first
    (column keys). A column left out gets its scalar Python default; one whose default
    is computed (a function or SQL) must be given. Values are converted as
    ``conn.execute(stmt, rows)`` would convert them (the columns' types on this dialect).

    Raises ValueError for a left-out column with a computed default, and what the
    database raises (IntegrityError...)."""
    if not rows:
        return
    table = stmt.table
    assert isinstance(table, sa.Table)
    given = list(rows[0])
    defaults: dict[str, Any] = {}
    for column in table.columns:
        if column.key in given or column.default is None:
            continue
        if not column.default.is_scalar:
            raise ValueError(f"{table.name}.{column.key} has a computed default: give it")
        defaults[column.key] = getattr(column.default, "arg", None)
    keys = given + list(defaults)
    dialect = conn.dialect
    compiled = stmt.compile(dialect=dialect, column_keys=keys)
    names = list(compiled.positiontup or ()) if compiled.positional else keys
    assert sorted(names) == sorted(keys), (names, keys)
    # Column by column: one C-level map per column instead of Python work per value.
    columns: list[Iterable[Any]] = []
    for name in names:
        processor = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if name in defaults:
            value = defaults[name]
            columns.append(itertools.repeat(value if processor is None else processor(value)))
        else:
            values = [row[name] for row in rows]
            columns.append(values if processor is None else map(processor, values))
    tuples = zip(*columns, strict=False)  # the defaults' columns repeat endlessly
    params: list[Any] = (
        list(tuples) if compiled.positional else [dict(zip(names, t, strict=True)) for t in tuples]
    )
    conn.exec_driver_sql(compiled.string, params)
