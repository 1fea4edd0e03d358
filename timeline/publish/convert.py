"""The one place where stored events become the renderers' values (feeds.Entry)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from feeds import Channel, Entry
from timeline.dates.recurrence import parse_value
from timeline.publish.wording import wording
from timeline.store.languages import autonym, text_in
from timeline.store.models import Event
from timeline.store.timelines import SITE, Heading
from timeline.store.values import EventData
from timeline.store.version import StoreVersion
from timeline.store.writes import event_data


@dataclass(frozen=True, slots=True)
class Published:
    """An event as the publishers read it, in plain values: its content (``data``), the
    names of its organizations in the language asked for (in order: see
    :meth:`timeline.store.models.Organization.name_in`), and the store's bookkeeping
    (``created`` and ``updated`` UTC-aware, ``sequence`` the RFC 5545 SEQUENCE,
    ``deleted`` true for a tombstone). Built from the ORM by :func:`published` or from
    plain rows by :func:`timeline.publish.rows.load_published`."""

    data: EventData
    organizations: tuple[str, ...]
    created: dt.datetime
    updated: dt.datetime
    sequence: int
    deleted: bool


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


def texts(data: EventData, config: dict[str, Any], lang: str | None) -> dict[str, Any]:
    """Return the ``title``, ``description``, ``language`` and ``description_language``
    of the entry of the event ``data`` asked for in ``lang`` (a BCP 47 tag, or None for each
    event's original language).

    A title missing in ``lang`` is the original's followed by the language's own name
    in brackets (``Grok 3 released [English]``); a missing description is the
    original's. ``language``/``description_language`` (the ICS ``LANGUAGE``, RFC 5545
    §3.2.10) name the text's language whenever ``lang`` is given, and otherwise only
    when it is not the configured ``LANGUAGE``.
    """
    title_language, title, description_language, description = data.in_language(lang)
    if lang is not None and title_language != lang:
        title = f"{title} [{autonym(title_language)}]"
    implied = lang or config["LANGUAGE"]
    return {
        "title": title,
        "description": description,
        "language": None if lang is None and title_language == implied else title_language,
        "description_language": (
            None if lang is None and description_language == implied else description_language
        ),
    }


def to_entry(event: Event, config: dict[str, Any], lang: str | None = None) -> Entry:
    """Return the renderers' view of ``event`` (see :class:`feeds.Entry`), its texts in
    ``lang`` as :func:`texts` says, and the words the renderers add in ``lang`` (else the
    configured ``LANGUAGE``: :func:`timeline.publish.wording.wording`):
    :func:`entry_of` of :func:`published`."""
    return entry_of(published(event, lang), config, lang)


def published(event: Event, lang: str | None = None) -> Published:
    """Return the plain values of the loaded ``event``, its organizations named in
    ``lang`` (BCP 47; None: their canonical names)."""
    return Published(
        data=event_data(event),
        organizations=tuple(event.organization_names_in(lang)),
        created=event.created,
        updated=event.updated,
        sequence=event.sequence,
        deleted=event.deleted,
    )


def entry_of(event: Published, config: dict[str, Any], lang: str | None = None) -> Entry:
    """Return the renderers' view (:class:`feeds.Entry`) of ``event``, its texts in
    ``lang`` (BCP 47; None: each event's original language) as :func:`texts` says; the
    one converter behind :func:`to_entry` and the calendar parts' loader."""
    data = event.data
    return Entry(
        id=data.id,
        uid=event_uid(data.recurrence_of or data.id, config),
        guid=event_guid(data.id, config),
        start=data.start,
        end=data.end,
        all_day=data.all_day,
        link=event_page(data.id, config),
        created=event.created,
        updated=event.updated,
        sequence=event.sequence,
        timezone=data.timezone,
        precision=data.precision,  # type: ignore[arg-type]
        approximate=data.approximate,
        location=data.location,
        url=data.url,
        tags=data.tags,
        organizations=event.organizations,
        source_name=data.source_name,
        source_published=data.source_published,
        source_locator=data.source_locator,
        wording=wording(lang or config["LANGUAGE"]),
        **texts(data, config, lang),
        **recurrence(data, event.deleted),
    )


def recurrence(data: EventData, deleted: bool) -> dict[str, Any]:
    """Return the ``status``, ``rrule``, ``rdate``, ``exdate`` and ``recurrence_id`` of
    the entry of the event ``data`` (see :class:`feeds.Entry`): the stored values, read;
    the status of a deleted event (``deleted``: a tombstone) is ``cancelled``."""
    all_day = data.all_day
    rdate = tuple(parse_value(v, all_day=all_day, period=True) for v in data.rdate)
    exdate = tuple(parse_value(v, all_day=all_day) for v in data.exdate)
    rid = None if data.recurrence_id is None else parse_value(data.recurrence_id, all_day=all_day)
    return {
        # A deleted event still in the calendars is a tombstone: cancelled.
        "status": "cancelled" if deleted else data.status,
        "rrule": data.rrule,
        "rdate": rdate,
        "exdate": exdate,
        "recurrence_id": rid,
    }


def to_channel(
    config: dict[str, Any],
    version: StoreVersion,
    *,
    self_path: str,
    title_suffix: str = "",
    lang: str | None = None,
    heading: Heading = SITE,
) -> Channel:
    """Return a feed's metadata from configuration; ``updated`` is the store version's
    newest change, so the output depends on the data only, never on the clock. The
    language is ``lang`` (BCP 47), else the configured ``LANGUAGE``, and so are the
    name and description (``CALENDAR_NAME``, ``CALENDAR_DESCRIPTION``: see
    :func:`timeline.store.languages.text_in`), unless ``heading`` gives a timeline's
    (its names, descriptions and language, its page as the link)."""
    base = config["BASE_URL"]
    default = heading.language or config["LANGUAGE"]
    names = heading.names or config["CALENDAR_NAME"]
    descriptions = heading.descriptions if heading.names else config["CALENDAR_DESCRIPTION"]
    title = text_in(names, lang, default) + title_suffix
    description = text_in(descriptions or "", lang, default)
    return Channel(
        id=f"tag:{config['ID_DOMAIN']},{config['ID_DATE']}:feed{self_path}",
        title=title,
        description=description or title,
        link=f"{base}{heading.prefix}/",
        self_url=f"{base}{self_path}",
        updated=version.updated,
        language=lang or default,
        refresh_interval=int(config["REFRESH_INTERVAL"]),
    )
