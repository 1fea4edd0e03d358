"""Organizations' names by language: kept, made aliases, and every document that shows
the organization dropped when one changes."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import orm

from timeline.store.models import (
    Event,
    EventOrganization,
    EventPart,
    Organization,
    OrganizationAlias,
    OrganizationName,
    StoreState,
    UtcDateTime,
    utcnow,
)
from timeline.store.values import slugify
from timeline.store.version import touch_timelines


def name_organization(
    session: orm.Session, org: Organization, names: Iterable[tuple[str, str]]
) -> bool:
    """Give ``org`` its ``names`` as ``(language, name)`` pairs (BCP 47 tags), each also
    an alias of it unless another organization goes by it already. Returns whether a
    name was added or changed; then the stored VEVENTs of its events are dropped and
    those events get a change of their own (``change_version``, the store version and
    its ``updated`` raised), so that no cached document shows the old name. Does not
    commit."""
    have = {n.language: n for n in org.names}
    changed = False
    for language, name in names:
        row = have.get(language)
        if row is None:
            org.names.append(OrganizationName(language=language, name=name))
        elif row.name != name:
            row.name = name
        else:
            continue
        changed = True
        slug = slugify(name)
        if slug and session.get(OrganizationAlias, slug) is None:
            org.aliases.append(OrganizationAlias(slug=slug, name=name))
    if changed:
        session.flush()
        _touch_events(session, org.id)
    return changed


def _touch_events(session: orm.Session, organization_id: int) -> None:
    """Drop the stored parts of the events of an organization and give them a change."""
    events = sa.select(EventOrganization.event_id).where(
        EventOrganization.organization_id == organization_id
    )
    session.execute(
        sa.delete(EventPart).where(EventPart.event_id.in_(events)),
        execution_options={"synchronize_session": False},
    )
    now = sa.literal(utcnow(), UtcDateTime())
    version = session.execute(
        sa.update(StoreState)
        .where(StoreState.id == 1)
        .values(
            version=StoreState.version + 1,
            updated=sa.case((StoreState.updated < now, now), else_=StoreState.updated),
        )
        .returning(StoreState.version),
        execution_options={"synchronize_session": False},
    ).scalar_one()
    session.execute(
        sa.update(Event).where(Event.id.in_(events)).values(change_version=version),
        execution_options={"synchronize_session": "fetch"},
    )
    touch_timelines(session, version, utcnow(), events)
