"""Events loaded for publishing as plain rows (SQLAlchemy Core, a few set-based queries),
not as ORM objects: what rendering a calendar's missing parts reads, at a fraction of
the ORM's cost per event."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from timeline.publish.convert import Published
from timeline.store.bulk import Added
from timeline.store.models import (
    Event,
    EventOrganization,
    EventTag,
    EventTranslation,
    Organization,
    OrganizationName,
    name_in,
    time_value,
)
from timeline.store.values import EventData, Translation
from timeline.store.writes import split_values

_EVENTS = Event.__table__
#: The columns of ``events`` that :func:`published_row` reads, in its order.
COLUMNS = [
    _EVENTS.c[name]
    for name in (
        "id title description language when_text start end all_day timezone wall_start "
        "wall_end precision approximate location url source_name source_published "
        "source_locator created updated sequence deleted status rrule rdate exdate "
        "recurrence_of recurrence_id"
    ).split()
]
_WIDTH = len(COLUMNS)
_KEYS = [column.key for column in COLUMNS]
#: Where a row of :data:`COLUMNS` holds the event's sequence.
SEQUENCE = _KEYS.index("sequence")


def load_published(
    session: orm.Session, ids: Sequence[str], lang: str | None = None
) -> list[Published]:
    """Return the events ``ids`` (those that exist, in no set order) as :class:`Published`
    values, their organizations named in ``lang`` (BCP 47; None: canonical names), equal
    to what :func:`timeline.publish.convert.published` gives for the same events loaded
    through the ORM. Four or five queries whatever the number of ids (keep it to a few
    thousand: each id is a bound parameter); reads in ``session``'s transaction."""
    return related_of(session, rows_of(session, ids), lang).published()


@dataclasses.dataclass(frozen=True)
class Related:
    """Events as plain values, ready to become :class:`Published` anywhere (in another
    process too: everything in it pickles): ``rows``, each the values of an ``events``
    row in the order of :data:`COLUMNS` (times UTC-aware); by event id, the labels of
    its tags and the ``(canonical name, name shown)`` of its organizations in their
    positions, and its translations sorted by language tag."""

    rows: list[tuple[Any, ...]]
    tags: dict[str, list[str]]
    organizations: dict[str, list[tuple[str, str]]]
    translations: dict[str, list[Translation]]

    def published(self) -> list[Published]:
        """The :class:`Published` of each row, in order (see :func:`published_row`)."""
        tags, organizations, translations = self.tags, self.organizations, self.translations
        return [
            published_row(
                row,
                tags.get(row[0], ()),
                organizations.get(row[0], ()),
                translations.get(row[0], ()),
            )
            for row in self.rows
        ]


def related_of(session: orm.Session, rows: Sequence[Any], lang: str | None = None) -> Related:
    """Return ``rows`` (read with :data:`COLUMNS`, perhaps followed by others) as a
    :class:`Related`, their tags, translations and organizations (named in ``lang``,
    BCP 47; None: canonical names) read in ``session``'s transaction: three or four
    queries (keep it to a few thousand rows)."""
    if not rows:
        return Related([], {}, {}, {})
    conn = session.connection()
    ids = [row[0] for row in rows]
    tags: defaultdict[str, list[str]] = defaultdict(list)
    for event_id, label in conn.execute(
        sa.select(EventTag.event_id, EventTag.label)
        .where(EventTag.event_id.in_(ids))
        .order_by(EventTag.event_id, EventTag.position)
    ):
        tags[event_id].append(label)
    translations: defaultdict[str, list[Translation]] = defaultdict(list)
    for event_id, language, title, description in conn.execute(
        sa.select(
            EventTranslation.event_id,
            EventTranslation.language,
            EventTranslation.title,
            EventTranslation.description,
        )
        .where(EventTranslation.event_id.in_(ids))
        .order_by(EventTranslation.event_id, EventTranslation.language)
    ):
        translations[event_id].append(Translation(language, title, description))
    return Related(
        [tuple(row[:_WIDTH]) for row in rows],
        dict(tags),
        _organizations(conn, ids, lang),
        dict(translations),
    )


def related_of_added(added: Sequence[Added]) -> Related:
    """The events just added by :func:`timeline.store.bulk.add_events` as a
    :class:`Related`, from what it stored rather than read back (an organization shown
    by its canonical name)."""
    return Related(
        [tuple(a.row[key] for key in _KEYS) for a in added],
        {a.row["id"]: list(a.tags) for a in added if a.tags},
        {a.row["id"]: [(name, name) for name in a.organizations] for a in added if a.organizations},
        {a.row["id"]: list(a.translations) for a in added if a.translations},
    )


def rows_of(session: orm.Session, ids: Sequence[str]) -> list[sa.Row[Any]]:
    """The ``events`` rows (:data:`COLUMNS`) of the events ``ids`` that exist, in no set
    order, read in ``session``'s transaction (each id a bound parameter: keep it to a
    few thousand)."""
    if not ids:
        return []
    return list(session.connection().execute(sa.select(*COLUMNS).where(_EVENTS.c.id.in_(ids))))


def published_row(
    row: Sequence[Any],
    tags: Sequence[str],
    organizations: Sequence[tuple[str, str]],
    translations: Sequence[Translation],
) -> Published:
    """Return the :class:`Published` of an event from the values of its ``events`` row
    in the order of :data:`COLUMNS` (``row``, perhaps followed by others; as the
    database hands them back: UTC-aware times), its tags' labels and ``(canonical name,
    name shown)`` of its organizations in their positions, and its translations by
    language tag. The one place where a row becomes a Published: :func:`load_published`
    and an import's new events go through it."""
    # Unpacked by position: a Row's attribute look-up costs a microsecond each.
    (
        event_id,
        title,
        description,
        language,
        when_text,
        start,
        end,
        all_day,
        zone,
        wall_start,
        wall_end,
        precision,
        approximate,
        location,
        url,
        source_name,
        source_published,
        source_locator,
        created,
        updated,
        sequence,
        deleted,
        status,
        rrule,
        rdate,
        exdate,
        recurrence_of,
        recurrence_id,
    ) = row[:_WIDTH]
    data = EventData(
        id=event_id,
        title=title,
        start=time_value(start, wall_start, zone, all_day),
        end=None if end is None else time_value(end, wall_end, zone, all_day),
        all_day=all_day,
        precision=precision,
        approximate=approximate,
        description=description,
        timezone=zone,
        location=location,
        url=url,
        tags=tuple(tags),
        organizations=tuple(name for name, _ in organizations),
        source_name=source_name,
        source_published=source_published,
        source_locator=source_locator,
        language=language,
        translations=tuple(translations),
        when=when_text,
        status=status,
        rrule=rrule,
        rdate=split_values(rdate),
        exdate=split_values(exdate),
        recurrence_of=recurrence_of,
        recurrence_id=recurrence_id,
    )
    return Published(
        data=data,
        organizations=tuple(shown for _, shown in organizations),
        created=created,
        updated=updated,
        sequence=sequence,
        deleted=deleted,
    )


def _organizations(
    conn: sa.Connection, ids: Sequence[str], lang: str | None
) -> dict[str, list[tuple[str, str]]]:
    """The organizations of the events ``ids`` in order, by event id: ``(canonical name,
    name in lang)`` (the canonical name when ``lang`` is None or has none)."""
    by_event: defaultdict[str, list[tuple[int, str]]] = defaultdict(list)
    for event_id, org_id, name in conn.execute(
        sa.select(EventOrganization.event_id, Organization.id, Organization.name)
        .join(Organization, Organization.id == EventOrganization.organization_id)
        .where(EventOrganization.event_id.in_(ids))
        .order_by(EventOrganization.event_id, EventOrganization.position)
    ):
        by_event[event_id].append((org_id, name))
    names: defaultdict[int, dict[str, str]] = defaultdict(dict)
    if lang is not None and by_event:
        org_ids = sorted({org_id for orgs in by_event.values() for org_id, _ in orgs})
        for org_id, language, name in conn.execute(
            sa.select(
                OrganizationName.organization_id, OrganizationName.language, OrganizationName.name
            )
            .where(OrganizationName.organization_id.in_(org_ids))
            .order_by(OrganizationName.organization_id, OrganizationName.language)
        ):
            names[org_id][language] = name
    return {
        event_id: [(name, name_in(name, names.get(org_id, {}), lang)) for org_id, name in orgs]
        for event_id, orgs in by_event.items()
    }
