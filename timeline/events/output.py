"""Stored events and revisions as the API shows them (the output models of
:mod:`timeline.events.schemas`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from timeline.dates.recurrence import MAX_LISTED, occurrences
from timeline.dates.spans import span_text
from timeline.events import schemas
from timeline.store.models import Event, Revision
from timeline.store.values import EventData, Translation
from timeline.store.writes import event_data


def rfc3339(value: dt.datetime) -> str:
    """Return an aware datetime as RFC 3339 in UTC with ``Z``, to the microsecond."""
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def content_fields(data: EventData, lang: str | None = None) -> dict[str, Any]:
    """Return the fields of :class:`timeline.events.schemas.EventContent` for ``data``,
    ``title`` and ``description`` in ``lang`` (see :meth:`EventData.in_language`)."""
    _, title, _, description = data.in_language(lang)
    start, end = span_text(data)
    source = {
        "name": data.source_name,
        "published": data.source_published,
        "locator": data.source_locator,
        "when": data.when,
    }
    return {
        "id": data.id,
        "title": title,
        "titles": data.titles(),
        "language": data.language,
        "start": start,
        "end": end,
        "all_day": data.all_day,
        "timezone": data.timezone,
        "precision": data.precision,
        "approximate": data.approximate,
        "description": description,
        "descriptions": data.descriptions(),
        "url": data.url,
        "location": data.location,
        "tags": list(data.tags),
        "organizations": list(data.organizations),
        "source": source if any(v is not None for v in source.values()) else None,
        "status": data.status,
        "rrule": data.rrule,
        "rdate": list(data.rdate),
        "exdate": list(data.exdate),
        "recurrence_of": data.recurrence_of,
        "recurrence_id": data.recurrence_id,
    }


def links(event_id: str, config: Mapping[str, Any]) -> schemas.Links:
    """Return where an event is published (``self`` root-relative, others absolute)."""
    base = config["BASE_URL"]
    quoted = quote(event_id, safe="")
    return schemas.Links.model_validate(
        {
            "self": f"/api/events/{quoted}",
            "ics": f"{base}/events/{quoted}.ics",
            "page": f"{base}/events/{quoted}",
            "calendar": f"{base}/calendar.ics",
            "rss": f"{base}/feed.rss",
            "atom": f"{base}/feed.atom",
            "json": f"{base}/feed.json",
        }
    )


def occurrence_starts(
    data: EventData, first: dt.date | None = None, last: dt.date | None = None
) -> list[str] | None:
    """Return the starts of the occurrences of a recurring event (RRULE, RDATE less
    EXDATE: dateutil's rrule) that begin on the days ``first`` to ``last`` (inclusive,
    UTC days; None: unbounded), at most :data:`MAX_LISTED`, in the forms of ``start``;
    None for an event that does not recur. An overridden occurrence is listed at its
    RECURRENCE-ID (its instance is an event of its own, ``recurrence_of`` this one)."""
    if not (data.rrule or data.rdate):
        return None
    far = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
    end = far if last is None or last >= far.date() else _midnight(last + dt.timedelta(days=1))
    found = occurrences(data.start, data.rrule, data.rdate, data.exdate, until=end)
    if first is not None:
        found = (at for at in found if _midnight(at) >= _midnight(first))
    starts = list(itertools.islice(found, MAX_LISTED))
    if data.all_day or data.timezone is None:
        return [at.isoformat().replace("+00:00", "Z") for at in starts]
    return [at.isoformat() for at in starts]


def _midnight(value: dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC)
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


def event_output(
    event: Event,
    config: Mapping[str, Any],
    lang: str | None = None,
    window: tuple[dt.date | None, dt.date | None] = (None, None),
) -> schemas.Event:
    """Return a stored event as the API shows it, its ``title`` and ``description`` in
    ``lang`` (a BCP 47 tag) when it has them, else in the original language, and its
    organizations by their names in ``lang`` where they have one (else canonical); a
    recurring one with its ``occurrences`` on the days of ``window`` (first, last
    inclusive: the listing's ``from`` and ``to``; see :func:`occurrence_starts`)."""
    data = event_data(event)
    fields = content_fields(data, lang)
    fields["occurrences"] = occurrence_starts(data, *window)
    if lang is not None:
        fields["organizations"] = event.organization_names_in(lang)
    return schemas.Event(
        **fields,
        created=rfc3339(event.created),
        updated=rfc3339(event.updated),
        sequence=event.sequence,
        links=links(event.id, config),
    )


def _data_from_json(raw: Mapping[str, Any], language: str) -> EventData:
    names = {f.name for f in dataclasses.fields(EventData)}
    values = {k: v for k, v in raw.items() if k in names}
    # Revisions written before events had languages are in the configured LANGUAGE.
    values.setdefault("language", language)
    values["translations"] = tuple(Translation(**t) for t in raw.get("translations", ()))
    read = dt.date.fromisoformat if raw.get("all_day") else dt.datetime.fromisoformat
    values["start"] = read(raw["start"])
    values["end"] = None if raw.get("end") is None else read(raw["end"])
    values["tags"] = tuple(raw.get("tags", ()))
    values["organizations"] = tuple(raw.get("organizations", ()))
    values["rdate"] = tuple(raw.get("rdate", ()))
    values["exdate"] = tuple(raw.get("exdate", ()))
    return EventData(**values)


def revision_output(revision: Revision, language: str = "en") -> schemas.Revision:
    """Return one stored revision as the API shows it (the content in output form, every
    language); one written before events had languages is in ``language``."""
    content = content_fields(_data_from_json(revision.data, language))
    return schemas.Revision(
        sequence=revision.sequence,
        action=revision.action,  # type: ignore[arg-type]
        author=revision.author,
        at=rfc3339(revision.at),
        data=schemas.RevisionData(**content, deleted=bool(revision.data.get("deleted"))),
    )
