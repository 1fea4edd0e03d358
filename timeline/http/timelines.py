"""The timeline a request is about: the default one at today's URLs, the one ``slug``
names under ``/t/<slug>/`` (404 when there is none); the same views serve both."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Blueprint, Flask, g

from timeline.events.problems import ProblemError
from timeline.http import db
from timeline.store import timelines
from timeline.store.models import DEFAULT_TIMELINE_ID, Event, Timeline, TimelineEvent
from timeline.store.queries import EventFilter
from timeline.store.timelines import SITE, Heading, heading_of
from timeline.store.version import StoreVersion

#: The URL prefix of a timeline's documents, and the prefix of its blueprints' names.
PREFIX = "/t/<slug>"
NAME_PREFIX = "t_"


@dataclass(frozen=True)
class Shown:
    """The timeline a request shows: ``id``, ``slug``, and the ``heading`` of its
    documents (the site's at today's URLs, the timeline's own under ``/t/<slug>/``)."""

    id: int
    slug: str | None
    heading: Heading


_DEFAULT = Shown(DEFAULT_TIMELINE_ID, None, SITE)


def find(slug: str) -> Timeline:
    """Return the timeline ``slug`` through the request's session. Raises ProblemError
    (404) when there is none."""
    try:
        return timelines.by_slug(db.get_session(), slug)
    except timelines.TimelineNotFoundError:
        raise not_found(slug) from None


def find_before_write(slug: str) -> tuple[int, str]:
    """Return the id and slug of the timeline ``slug`` for a request that writes next,
    read before its write transaction begins (:func:`timeline.http.db.read_before_write`:
    on SQLite a read in that transaction would have its write refused as "database is
    locked" when another one committed first). Raises ProblemError (404) when there is
    none."""
    query = sa.select(Timeline.id, Timeline.slug).where(Timeline.slug == slug)
    with db.read_before_write() as connection:
        row = connection.execute(query).first()
    if row is None:
        raise not_found(slug)
    return int(row.id), str(row.slug)


def not_found(slug: str) -> ProblemError:
    """The 404 of a timeline ``slug`` that does not exist (its slug cut to 100 characters)."""
    shown = slug if len(slug) <= 100 else slug[:97] + "..."
    return ProblemError(404, f"There is no timeline {shown!r}.")


def shown() -> Shown:
    """The timeline the current request is about."""
    current: Shown = g.get("timeline", _DEFAULT)
    return current


def shown_filter(flt: EventFilter) -> EventFilter:
    """``flt`` restricted to the events of the timeline the request is about."""
    return dataclasses.replace(flt, timeline=shown().id)


def shown_event(event: Event) -> Event:
    """``event`` when the timeline the request is about holds it (any event at today's
    URLs, as before). Raises ProblemError (404) otherwise."""
    current = shown()
    if current.slug is None:
        return event
    if db.get_session().get(TimelineEvent, (current.id, event.id)) is None:
        raise ProblemError(404, f"The timeline {current.slug!r} has no event {event.id!r}.")
    return event


def shown_version() -> StoreVersion:
    """The version of the timeline the request is about (one primary-key read); 404
    when it was deleted meanwhile."""
    version = db.timeline_version(shown().id)
    if version is None:
        raise ProblemError(404, "That timeline was deleted.")
    return version


def per_timeline(bp: Blueprint) -> None:
    """Make ``bp`` serve the timeline its URL names (see :func:`register_per_timeline`):
    the slug is taken from the URL's values, and a URL built inside a timeline's
    documents keeps its slug. Call once, where ``bp`` is made."""

    @bp.url_value_preprocessor
    def take_slug(endpoint: str | None, values: dict[str, object] | None) -> None:
        if values is None or "slug" not in values:
            return
        timeline = find(str(values.pop("slug")))
        g.timeline = Shown(timeline.id, timeline.slug, heading_of(timeline))

    @bp.url_defaults
    def keep_slug(endpoint: str, values: dict[str, object]) -> None:
        current = g.get("timeline")
        if endpoint.startswith(NAME_PREFIX) and "slug" not in values and current is not None:
            values["slug"] = current.slug


def register_per_timeline(app: Flask, bp: Blueprint) -> None:
    """Register ``bp`` at today's URLs (the default timeline) and once more under
    ``/t/<slug>`` (named ``t_`` + its name) for every timeline."""
    app.register_blueprint(bp)
    app.register_blueprint(bp, name=NAME_PREFIX + bp.name, url_prefix=PREFIX)
