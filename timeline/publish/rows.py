"""Events loaded for publishing as plain rows (SQLAlchemy Core, a few set-based queries),
not as ORM objects: what rendering a calendar's missing parts reads, at a fraction of
the ORM's cost per event."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from timeline.publish.convert import Published
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
_COLUMNS = [
    _EVENTS.c[name]
    for name in (
        "id title description language when_text start end all_day timezone wall_start "
        "wall_end precision approximate location url source_name source_published "
        "source_locator created updated sequence deleted status rrule rdate exdate "
        "recurrence_of recurrence_id"
    ).split()
]


def load_published(
    session: orm.Session, ids: Sequence[str], lang: str | None = None
) -> list[Published]:
    """Return the events ``ids`` (those that exist, in no set order) as :class:`Published`
    values, their organizations named in ``lang`` (BCP 47; None: canonical names), equal
    to what :func:`timeline.publish.convert.published` gives for the same events loaded
    through the ORM. Four or five queries whatever the number of ids (keep it to a few
    thousand: each id is a bound parameter); reads in ``session``'s transaction."""
    if not ids:
        return []
    conn = session.connection()
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
    organizations = _organizations(conn, ids, lang)
    return [
        published_row(
            row,
            tags.get(row.id, ()),
            organizations.get(row.id, ()),
            translations.get(row.id, ()),
        )
        for row in conn.execute(sa.select(*_COLUMNS).where(_EVENTS.c.id.in_(ids)))
    ]


def published_row(
    row: Any,
    tags: Sequence[str],
    organizations: Sequence[tuple[str, str]],
    translations: Sequence[Translation],
) -> Published:
    """Return the :class:`Published` of an event from its ``events`` row (``row``: the
    columns' values by attribute, as the database hands them back: UTC-aware times), its
    tags' labels and ``(canonical name, name shown)`` of its organizations in their
    positions, and its translations by language tag. The one place where a row becomes
    a Published: :func:`load_published` and an import's new events go through it."""
    all_day, zone = row.all_day, row.timezone
    end = row.end
    data = EventData(
        id=row.id,
        title=row.title,
        start=time_value(row.start, row.wall_start, zone, all_day),
        end=None if end is None else time_value(end, row.wall_end, zone, all_day),
        all_day=all_day,
        precision=row.precision,
        approximate=row.approximate,
        description=row.description,
        timezone=zone,
        location=row.location,
        url=row.url,
        tags=tuple(tags),
        organizations=tuple(name for name, _ in organizations),
        source_name=row.source_name,
        source_published=row.source_published,
        source_locator=row.source_locator,
        language=row.language,
        translations=tuple(translations),
        when=row.when_text,
        status=row.status,
        rrule=row.rrule,
        rdate=split_values(row.rdate),
        exdate=split_values(row.exdate),
        recurrence_of=row.recurrence_of,
        recurrence_id=row.recurrence_id,
    )
    return Published(
        data=data,
        organizations=tuple(shown for _, shown in organizations),
        created=row.created,
        updated=row.updated,
        sequence=row.sequence,
        deleted=row.deleted,
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
