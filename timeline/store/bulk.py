"""Adding many new events in a few statements (an import's batches): the same rows, the
same revisions and the same store versions as :func:`timeline.store.writes.create_event`
writes one event at a time. Never commits, never imports Flask."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.dialects import postgresql, sqlite

from timeline.store.manyrows import execute_many
from timeline.store.models import (
    DEFAULT_TIMELINE_ID,
    Event,
    EventOrganization,
    EventPart,
    EventTag,
    EventTranslation,
    Organization,
    OrganizationAlias,
    OrganizationName,
    Revision,
    StoreState,
    Tag,
    TimelineEvent,
    UtcDateTime,
    utcnow,
)
from timeline.store.values import EventData, Translation, slugify
from timeline.store.version import touch_timelines
from timeline.store.writes import (
    as_utc,
    check_slugs,
    content_columns,
    name_organizations,
    organization_for,
)

#: The tables that an import fills, from ``events`` to the calendar parts stored for them.
FILLED_BY_IMPORT = tuple(
    model.__tablename__
    for model in (
        Event,
        TimelineEvent,
        Tag,
        EventTag,
        Organization,
        OrganizationName,
        OrganizationAlias,
        EventOrganization,
        EventTranslation,
        Revision,
        EventPart,
    )
)


def analyze_filled(session: orm.Session, changed: int) -> bool:
    """After a bulk write (an import) that added or updated ``changed`` events, refresh
    PostgreSQL's planner statistics of the tables it fills (:data:`FILLED_BY_IMPORT`)
    with ``ANALYZE``, as PostgreSQL's manual advises after loading data ("Populating a
    Database": Run ANALYZE Afterwards); return whether it did.

    Without them, until autovacuum gets to it (never, where it is off), the planner
    takes ``events`` and ``timeline_events`` for the nearly empty tables they were: the
    first page of ``GET /api/events`` read every event of the timeline (20,000 events
    imported: 53 ms, 18 ms once analyzed). Done when autovacuum would analyze
    ``events`` (its defaults: more than 50 + 10% of the rows its statistics count
    changed), or when it never was. ``SKIP_LOCKED``: a table that another session
    holds (its VACUUM, its ANALYZE) is left to it rather than waited for. ANALYZE
    reads a sample of at most 30,000 rows of each table (``default_statistics_target``
    100), however large; only the tables' owner may run it (PostgreSQL skips them with
    a warning for another role). Nothing on SQLite: its planner chose worse plans for
    those pages with ``sqlite_stat1`` (20 ms against 31 ms). Runs in the session's
    transaction; does not commit. Raises what the database raises (a lock or
    statement timeout, a cancel)."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    counted = session.scalar(
        sa.text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:name)"),
        {"name": Event.__tablename__},
    )
    if counted is not None and counted >= 0 and changed <= 50 + 0.1 * counted:
        return False
    session.execute(sa.text("ANALYZE (SKIP_LOCKED) " + ", ".join(FILLED_BY_IMPORT)))
    return True


def _organizations(session: orm.Session, datas: Sequence[EventData]) -> dict[str, tuple[int, str]]:
    """The organization (id, canonical name) of every name of ``datas`` by its slug,
    created as :func:`timeline.store.writes.organization_for` does when there is none."""
    slugs = {slugify(name): name for data in datas for name in data.organizations}
    found: dict[str, tuple[int, str]] = {}
    for chunk in _chunks(sorted(slugs), 500):
        stmt = (
            sa.select(OrganizationAlias.slug, Organization.id, Organization.name)
            .join(Organization, OrganizationAlias.organization_id == Organization.id)
            .where(OrganizationAlias.slug.in_(chunk))
        )
        found |= {slug: (org_id, name) for slug, org_id, name in session.execute(stmt)}
    for slug, name in slugs.items():
        if slug not in found:
            org = organization_for(session, name)
            found[slug] = (org.id, org.name)
    return found


def _chunks(values: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    return (values[i : i + size] for i in range(0, len(values), size))


@dataclasses.dataclass(frozen=True)
class Added:
    """A new event as :func:`add_events` stored it: its ``events`` row (column key to
    value, times UTC-aware), its tags' labels and its organizations' canonical names in
    their positions, and its translations sorted by language tag."""

    row: dict[str, Any]
    tags: tuple[str, ...]
    organizations: tuple[str, ...]
    translations: tuple[Translation, ...]


def add_events(
    session: orm.Session,
    datas: Sequence[EventData],
    *,
    author: str,
    timelines: Collection[int] = (DEFAULT_TIMELINE_ID,),
) -> list[Added]:
    """Add new events, each as :func:`timeline.store.writes.create_event` would (sequence
        0, a ``create`` revision, the store version raised once per event, in order), in a few
        statements for the whole sequence rather than several flushes per event.

        The ids must be distinct and not in the store (a taken id raises IntegrityError from
        the database); call :func:`timeline.store.writes.check_slugs` on each first
        (StoreError otherwise, before anything is written). The events go into the timelines
    ``timelines`` (ids), whose version follows. Does not commit; a caller wanting
        all or nothing wraps it in a savepoint. Returns what was stored of each event, in
        the order of ``datas``.
    """
    if not datas:
        return []
    for data in datas:
        check_slugs(data)
    for data in datas:  # first: one of an organization's names may be an alias already
        name_organizations(session, data)
    orgs = _organizations(session, datas)
    tag_slugs = sorted({slugify(label) for data in datas for label in data.tags})
    if tag_slugs:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(
            insert(Tag).on_conflict_do_nothing(index_elements=["slug"]),
            [{"slug": slug} for slug in tag_slugs],
        )
    now = utcnow()
    starts = [as_utc(data.start) for data in datas]
    ends = [None if data.end is None else as_utc(data.end) for data in datas]
    longest = max(
        (0 if end is None else int((end - start).total_seconds()) + 1)
        for start, end in zip(starts, ends, strict=True)
    )
    when = sa.literal(now, UtcDateTime())
    last = session.execute(
        sa.update(StoreState)
        .where(StoreState.id == 1)
        .values(
            version=StoreState.version + len(datas),
            updated=sa.case((StoreState.updated < when, when), else_=StoreState.updated),
            longest=sa.case((StoreState.longest < longest, longest), else_=StoreState.longest),
        )
        .returning(StoreState.version),
        execution_options={"synchronize_session": False},
    ).scalar_one()
    events, tags, links, revisions, translations = [], [], [], [], []
    added = []
    for n, (data, start, end) in enumerate(zip(datas, starts, ends, strict=True)):
        labels: dict[str, str] = {}
        for label in data.tags:
            labels.setdefault(slugify(label), label)
        chosen: dict[int, str] = {}
        for name in data.organizations:
            org_id, canonical = orgs[slugify(name)]
            chosen.setdefault(org_id, canonical)
        row = content_columns(data) | {
            "id": data.id,
            "start": start,
            "end": end,
            "created": now,
            "updated": now,
            "sequence": 0,
            "deleted": False,
            "change_version": last - len(datas) + 1 + n,
        }
        events.append(row)
        translations += [
            {
                "event_id": data.id,
                "language": text.language,
                "title": text.title,
                "description": text.description,
            }
            for text in data.translations
        ]
        tags += [
            {"event_id": data.id, "tag_slug": slug, "label": label, "position": i}
            for i, (slug, label) in enumerate(labels.items())
        ]
        links += [
            {"event_id": data.id, "organization_id": org_id, "position": i}
            for i, org_id in enumerate(chosen)
        ]
        # What the store holds, as event_data() would read it back (most often the
        # same: then its JSON is the one its content hash was computed from).
        stored_tags, stored_orgs = tuple(labels.values()), tuple(chosen.values())
        stored = data
        if stored_tags != data.tags or stored_orgs != data.organizations:
            stored = dataclasses.replace(data, tags=stored_tags, organizations=stored_orgs)
        revisions.append(
            {
                "event_id": data.id,
                "sequence": 0,
                "action": "create",
                "author": author,
                "at": now,
                "data": stored.to_json() | {"deleted": False},
            }
        )
        added.append(
            Added(
                row,
                stored_tags,
                stored_orgs,
                tuple(sorted(data.translations, key=lambda t: t.language)),
            )
        )
    # Core inserts of the tables (one executemany each), not ORM bulk inserts, which
    # fetch each new row's defaults and send one statement per row.
    conn = session.connection()
    for model, rows in (
        (Event, events),
        (EventTranslation, translations),
        (EventTag, tags),
        (EventOrganization, links),
        (Revision, revisions),
        (TimelineEvent, [{"timeline_id": t, "event_id": d.id} for t in timelines for d in datas]),
    ):
        execute_many(conn, sa.insert(Event.metadata.tables[model.__tablename__]), rows)
    touch_timelines(session, last, now, timelines=timelines)
    return added
