"""The one place where stored events become the renderers' values (feeds.Entry)."""

from __future__ import annotations

from typing import Any

from feeds import Channel, Entry
from timeline.dates.recurrence import parse_value
from timeline.publish.wording import wording
from timeline.store.languages import autonym, text_in
from timeline.store.models import Event
from timeline.store.timelines import SITE, Heading
from timeline.store.version import StoreVersion
from timeline.store.writes import event_data, split_values


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


def texts(event: Event, config: dict[str, Any], lang: str | None) -> dict[str, Any]:
    """Return the ``title``, ``description``, ``language`` and ``description_language``
    of the entry of ``event`` asked for in ``lang`` (a BCP 47 tag, or None for each
    event's original language).

    A title missing in ``lang`` is the original's followed by the language's own name
    in brackets (``Grok 3 released [English]``); a missing description is the
    original's. ``language``/``description_language`` (the ICS ``LANGUAGE``, RFC 5545
    §3.2.10) name the text's language whenever ``lang`` is given, and otherwise only
    when it is not the configured ``LANGUAGE``.
    """
    title_language, title, description_language, description = event_data(event).in_language(lang)
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
    configured ``LANGUAGE``: :func:`timeline.publish.wording.wording`)."""
    return Entry(
        id=event.id,
        uid=event_uid(event.recurrence_of or event.id, config),
        guid=event_guid(event.id, config),
        start=event.start_value,
        end=event.end_value,
        all_day=event.all_day,
        link=event_page(event.id, config),
        created=event.created,
        updated=event.updated,
        sequence=event.sequence,
        timezone=event.timezone,
        precision=event.precision,  # type: ignore[arg-type]
        approximate=event.approximate,
        location=event.location,
        url=event.url,
        tags=tuple(event.tag_names),
        organizations=tuple(event.organization_names_in(lang)),
        source_name=event.source_name,
        source_published=event.source_published,
        source_locator=event.source_locator,
        wording=wording(lang or config["LANGUAGE"]),
        **texts(event, config, lang),
        **recurrence(event),
    )


def recurrence(event: Event) -> dict[str, Any]:
    """Return the ``status``, ``rrule``, ``rdate``, ``exdate`` and ``recurrence_id`` of
    the entry of ``event`` (see :class:`feeds.Entry`): the stored values, read; the
    status of a deleted event (a tombstone) is ``cancelled``."""
    all_day = event.all_day
    rdate = tuple(parse_value(v, all_day=all_day, period=True) for v in split_values(event.rdate))
    exdate = tuple(parse_value(v, all_day=all_day) for v in split_values(event.exdate))
    rid = None if event.recurrence_id is None else parse_value(event.recurrence_id, all_day=all_day)
    return {
        # A deleted event still in the calendars is a tombstone: cancelled.
        "status": "cancelled" if event.deleted else event.status,
        "rrule": event.rrule,
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
