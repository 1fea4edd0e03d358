"""The one place where stored events become the renderers' values (feeds.Entry)."""

from __future__ import annotations

from typing import Any

from feeds import Channel, Entry
from timeline.store.models import Event
from timeline.store.version import StoreVersion


def event_uid(event_id: str, config: dict[str, Any]) -> str:
    """Return the iCalendar UID of an event: ``<id>@<ID_DOMAIN>``, a pure function of the
    event id, so it never changes across renders, edits, restarts or databases
    (RFC 5545 §3.8.4.7)."""
    return f"{event_id}@{config['ID_DOMAIN']}"


def event_guid(event_id: str, config: dict[str, Any]) -> str:
    """Return the feed item id of an event: a ``tag:`` URI (RFC 4151) built from
    ``ID_DOMAIN``, ``ID_DATE`` and the event id; not a permalink."""
    return f"tag:{config['ID_DOMAIN']},{config['ID_DATE']}:event:{event_id}"


def event_page(event_id: str, config: dict[str, Any]) -> str:
    """Return the absolute URL of the event's own page."""
    return f"{config['BASE_URL']}/events/{event_id}"


def to_entry(event: Event, config: dict[str, Any]) -> Entry:
    """Return the renderers' view of ``event`` (see :class:`feeds.Entry`)."""
    return Entry(
        id=event.id,
        uid=event_uid(event.id, config),
        guid=event_guid(event.id, config),
        title=event.title,
        start=event.start_value,
        end=event.end_value,
        all_day=event.all_day,
        link=event_page(event.id, config),
        created=event.created,
        updated=event.updated,
        sequence=event.sequence,
        description=event.description,
        timezone=event.timezone,
        precision=event.precision,  # type: ignore[arg-type]
        approximate=event.approximate,
        location=event.location,
        url=event.url,
        tags=tuple(event.tag_names),
        organizations=tuple(event.organization_names),
        source_name=event.source_name,
        source_published=event.source_published,
        source_locator=event.source_locator,
    )


def to_channel(
    config: dict[str, Any], version: StoreVersion, *, self_path: str, title_suffix: str = ""
) -> Channel:
    """Return a feed's metadata from configuration; ``updated`` is the store version's
    newest change, so the output depends on the data only, never on the clock."""
    base = config["BASE_URL"]
    title = config["CALENDAR_NAME"] + title_suffix
    return Channel(
        id=f"tag:{config['ID_DOMAIN']},{config['ID_DATE']}:feed{self_path}",
        title=title,
        description=config["CALENDAR_DESCRIPTION"] or title,
        link=f"{base}/",
        self_url=f"{base}{self_path}",
        updated=version.updated,
        language=config["LANGUAGE"],
        refresh_interval=int(config["REFRESH_INTERVAL"]),
    )
