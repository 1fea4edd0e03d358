"""What extraction reads from the store: the organizations it can name, and the events
already there, so that a candidate reporting one of them names it instead of proposing
it again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy import orm

from timeline.extract.merge import SIMILAR, words
from timeline.extract.model import Candidate
from timeline.extract.names import Gazetteer
from timeline.store.models import Event, Organization, TimelineEvent

#: Candidates' start days are looked up in windows of at most this many days.
WINDOW_DAYS = 31


def _first_day(candidate: Candidate) -> dt.date:
    parts = [int(p) for p in candidate.start.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def mark_existing(
    session: orm.Session, candidates: Sequence[Candidate], *, timeline: int | None = None
) -> None:
    """Set ``existing`` on each candidate that reports an event already in the store (not
    deleted), or in the timeline of id ``timeline`` when given: one starting the same
    day (month, year) at the same precision, sharing an organization or SIMILAR of its
    title's words (in any of its languages)."""
    days = sorted({_first_day(c) for c in candidates})
    stored: dict[dt.date, list[Event]] = {}
    index = 0
    while index < len(days):
        first = days[index]
        last = first
        while index < len(days) and (days[index] - first).days < WINDOW_DAYS:
            last = days[index]
            index += 1
        low = dt.datetime.combine(first, dt.time(), dt.UTC) - dt.timedelta(days=1)
        high = dt.datetime.combine(last, dt.time(), dt.UTC) + dt.timedelta(days=2)
        query = sa.select(Event).where(~Event.deleted, Event.start >= low, Event.start < high)
        if timeline is not None:
            held = sa.select(TimelineEvent.event_id).where(TimelineEvent.timeline_id == timeline)
            query = query.where(Event.id.in_(held))
        for event in session.scalars(query):
            stored.setdefault(event.start.date(), []).append(event)
    for candidate in candidates:
        for event in stored.get(_first_day(candidate), []):
            if _same(candidate, event):
                candidate.existing = event.id
                break


def _same(candidate: Candidate, event: Event) -> bool:
    precision = "day" if event.precision == "datetime" else event.precision
    if precision != candidate.precision:
        return False
    if set(candidate.organizations) & set(event.organization_names):
        return True
    ours = words(candidate.title)
    for title in [event.title, *(t.title for t in event.translations)]:
        theirs = words(title)
        if ours and theirs and len(ours & theirs) / min(len(ours), len(theirs)) >= SIMILAR:
            return True
    return False


def store_gazetteer(session: orm.Session) -> Gazetteer:
    """Return a Gazetteer of the store's organizations, each with its aliases (the names
    they were defined with, Chinese ones included)."""
    orgs = session.scalars(sa.select(Organization).order_by(Organization.name)).all()
    return Gazetteer((o.name, [a.name for a in o.aliases if a.name != o.name]) for o in orgs)
