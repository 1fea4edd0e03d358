"""Timelines: made, read, changed and deleted, and the events each holds (added, taken
away). Writes never commit. An event added or taken away moves the version of its
timeline only (:func:`timeline.store.version.record_timeline_change`); a timeline made,
changed or deleted moves every timeline's, since every page lists them all."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from timeline.store import writes
from timeline.store.models import (
    DEFAULT_TIMELINE_ID,
    Event,
    Timeline,
    TimelineEvent,
    TimelineText,
    utcnow,
)
from timeline.store.version import record_timeline_change

#: A timeline's slug: 1 to 100 of lowercase letters, digits and inner hyphens.
SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?")


class TimelineError(ValueError):
    """A timeline operation that cannot be done: a bad or taken slug (``status`` 409 for
    a taken one, 422 for a bad one), the default timeline deleted (409)."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


class TimelineNotFoundError(LookupError):
    """No timeline has that slug."""


@dataclass(frozen=True)
class Heading:
    """Whose documents these are, when not the site's: a timeline's ``prefix`` of every
    path (``/t/fed``), its ``names`` and ``descriptions`` by language (BCP 47 tag), and
    its default ``language``. The default (empty) heading is the site's: the configured
    ``CALENDAR_NAME``, ``CALENDAR_DESCRIPTION`` and ``LANGUAGE``, at the root."""

    prefix: str = ""
    names: Mapping[str, str] | None = None
    descriptions: Mapping[str, str] | None = None
    language: str | None = None


SITE = Heading()


def heading_of(timeline: Timeline) -> Heading:
    """The heading of ``timeline``'s documents under ``/t/<slug>/``: its texts, or the
    site's name where it has none."""
    if not timeline.texts:
        return Heading(prefix=f"/t/{timeline.slug}", language=timeline.language)
    return Heading(
        prefix=f"/t/{timeline.slug}",
        names={t.language: t.title for t in timeline.texts},
        descriptions={t.language: t.description for t in timeline.texts},
        language=timeline.language,
    )


def by_slug(session: orm.Session, slug: str) -> Timeline:
    """Return the timeline ``slug``. Raises TimelineNotFoundError."""
    found = session.scalar(sa.select(Timeline).where(Timeline.slug == slug))
    if found is None:
        raise TimelineNotFoundError(f"no timeline {slug!r}")
    return found


def default_timeline(session: orm.Session) -> Timeline:
    """Return the default timeline (:data:`DEFAULT_TIMELINE_ID`)."""
    found = session.get(Timeline, DEFAULT_TIMELINE_ID)
    assert found is not None, "migration 0007 makes the default timeline"
    return found


def list_timelines(session: orm.Session) -> list[Timeline]:
    """Return every timeline, the default first, then by slug."""
    order = (sa.case((Timeline.id == DEFAULT_TIMELINE_ID, 0), else_=1), Timeline.slug)
    return list(session.scalars(sa.select(Timeline).order_by(*order)))


def _check_slug(session: orm.Session, slug: str, timeline: Timeline | None = None) -> None:
    if not SLUG.fullmatch(slug):
        raise TimelineError(
            f"a slug has 1 to 100 of a-z 0-9 and inner hyphens (got {slug!r})", status=422
        )
    taken = session.scalar(sa.select(Timeline).where(Timeline.slug == slug))
    if taken is not None and taken is not timeline:
        raise TimelineError(f"a timeline {slug!r} exists already", status=409)


def _set_texts(timeline: Timeline, texts: Mapping[str, tuple[str, str]]) -> None:
    timeline.texts = [
        TimelineText(language=tag, title=title, description=description)
        for tag, (title, description) in sorted(texts.items())
    ]


def create_timeline(
    session: orm.Session,
    slug: str,
    texts: Mapping[str, tuple[str, str]],
    *,
    language: str,
    timezone: str | None = None,
) -> Timeline:
    """Make the timeline ``slug`` with its ``texts`` (``(title, description)`` by BCP 47
    tag), default ``language`` (BCP 47) and ``timezone`` (IANA name; None: UTC), empty,
    at the current store version. Raises TimelineError for a bad or taken slug. Does not
    commit."""
    _check_slug(session, slug)
    timeline = Timeline(
        slug=slug, language=language, timezone=timezone, version=0, updated=utcnow()
    )
    _set_texts(timeline, texts)
    session.add(timeline)
    session.flush()
    record_timeline_change(session, None)  # every page lists the timelines
    session.refresh(timeline)
    return timeline


def update_timeline(
    session: orm.Session,
    timeline: Timeline,
    *,
    slug: str | None = None,
    texts: Mapping[str, tuple[str, str]] | None = None,
    language: str | None = None,
    timezone: str | None = None,
    clear_timezone: bool = False,
) -> None:
    """Change what is given of ``timeline`` (a new ``slug`` moves its URLs; ``texts``
    replace all of them; ``clear_timezone`` makes its zone UTC). Raises TimelineError
    as :func:`create_timeline`, and TimelineNotFoundError when ``timeline`` was deleted
    by a write that committed while this one waited for the store version. Does not
    commit."""
    was = timeline.slug
    if slug is not None:
        _check_slug(session, slug, timeline)
    # The store version first, then the timelines' rows: the order every write locks them
    # in (PostgreSQL), so that no two writers wait for each other. Every page lists the
    # timelines (their slugs and titles): each timeline's version moves.
    record_timeline_change(session, None)
    try:
        session.refresh(timeline)  # as the writes before this one left it
    except sa.exc.InvalidRequestError:  # its row is gone
        raise TimelineNotFoundError(was) from None
    if slug is not None:
        timeline.slug = slug
    if texts is not None:
        _set_texts(timeline, texts)
    if language is not None:
        timeline.language = language
    if timezone is not None or clear_timezone:
        timeline.timezone = timezone
    session.flush()


def delete_timeline(session: orm.Session, timeline: Timeline) -> None:
    """Delete ``timeline`` and its places of events (the events stay, in their other
    timelines or in none). Raises TimelineError (409) for the default timeline. Does not
    commit."""
    if timeline.id == DEFAULT_TIMELINE_ID:
        raise TimelineError("the default timeline cannot be deleted", status=409)
    record_timeline_change(session, None)  # the other pages list it no more
    session.execute(sa.delete(TimelineEvent).where(TimelineEvent.timeline_id == timeline.id))
    session.delete(timeline)
    session.flush()


def timeline_ids(session: orm.Session, event_id: str) -> list[int]:
    """Return the ids of the timelines that hold the event ``event_id``, ascending."""
    stmt = sa.select(TimelineEvent.timeline_id).where(TimelineEvent.event_id == event_id)
    return list(session.scalars(stmt.order_by(TimelineEvent.timeline_id)))


def slugs_of(session: orm.Session, event_id: str) -> list[str]:
    """Return the slugs of the timelines that hold the event ``event_id``, by id."""
    stmt = (
        sa.select(Timeline.slug)
        .join(TimelineEvent, TimelineEvent.timeline_id == Timeline.id)
        .where(TimelineEvent.event_id == event_id)
        .order_by(Timeline.id)
    )
    return list(session.scalars(stmt))


def add_event(session: orm.Session, timeline: Timeline, event: Event) -> bool:
    """Put ``event`` in ``timeline`` (the same event, the same UID); return False when it
    is there already (nothing changes then). Does not commit.

    The event's row, the store version and the timeline's row are locked before the
    place is written, the order every write takes them in (PostgreSQL): the place's
    foreign key would lock the timeline's row first, and a deletion or rename of the
    timeline at once (store version first) would deadlock with it. Looked for once the
    event is locked, a place that a concurrent request has just added is found."""
    writes.lock_events(session, [event.id])
    if session.get(TimelineEvent, (timeline.id, event.id)) is not None:
        return False
    version = record_timeline_change(session, [timeline.id])
    session.add(TimelineEvent(timeline_id=timeline.id, event_id=event.id))
    session.flush()
    _mark_changed(session, event, version)
    return True


def remove_event(session: orm.Session, timeline: Timeline, event: Event) -> bool:
    """Take ``event`` out of ``timeline`` (it stays in the others); return False when it
    was not there. Does not commit. Locks as :func:`add_event` does, for the same
    reason (a deletion of the timeline deletes its places after the store version)."""
    writes.lock_events(session, [event.id])
    place = session.get(TimelineEvent, (timeline.id, event.id), populate_existing=True)
    if place is None:
        return False
    version = record_timeline_change(session, [timeline.id])
    session.delete(place)
    session.flush()
    _mark_changed(session, event, version)
    return True


def _mark_changed(session: orm.Session, event: Event, version: int) -> None:
    """Give ``event`` the change ``version`` of one of its timelines only: the calendars
    kept in memory patch it in or out (:class:`timeline.publish.assembly.Assembler`
    reads the events with a newer ``change_version``)."""
    session.execute(
        sa.update(Event).where(Event.id == event.id).values(change_version=version),
        execution_options={"synchronize_session": False},
    )
    event.change_version = version


def place_events(session: orm.Session, timeline_id: int, event_ids: Collection[str]) -> int:
    """Put the events ``event_ids`` that the timeline ``timeline_id`` does not hold yet
    in it, with one change of that timeline (and of those events, so that kept
    calendars patch them in); return how many were added. Does not commit."""
    ids = sorted(set(event_ids))
    held: set[str] = set()
    for at in range(0, len(ids), 500):
        stmt = sa.select(TimelineEvent.event_id).where(
            TimelineEvent.timeline_id == timeline_id,
            TimelineEvent.event_id.in_(ids[at : at + 500]),
        )
        held |= set(session.scalars(stmt))
    missing = [i for i in ids if i not in held]
    if not missing:
        return 0
    session.execute(
        sa.insert(TimelineEvent), [{"timeline_id": timeline_id, "event_id": i} for i in missing]
    )
    writes.lock_events(session, missing)
    version = record_timeline_change(session, [timeline_id])
    for at in range(0, len(missing), 500):
        session.execute(
            sa.update(Event)
            .where(Event.id.in_(missing[at : at + 500]))
            .values(change_version=version),
            execution_options={"synchronize_session": False},
        )
    return len(missing)
