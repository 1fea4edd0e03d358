"""The VEVENT as icalendar's object model renders it: feeds.render_vevent before it wrote
its text directly (5f8bf99). The oracle of tests/feeds/test_ical_text.py."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import icalendar

from feeds import Entry, vevent_tzid
from feeds.icalrecur import add_recurrence
from feeds.text import body_text, clean_entry, display_title
from feeds.times import all_day_span, timed_span, to_utc


class _Text(icalendar.vText):
    """TEXT escaped per RFC 5545 §3.3.11 without icalendar's backslash-N quirk."""

    def to_ical(self) -> bytes:
        text = str(self).replace("\r\n", "\n").replace("\r", "\n")
        for plain, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
            text = text.replace(plain, escaped)
        return text.encode("utf-8")


def _categories(values: Iterable[str]) -> icalendar.vCategory:
    categories = icalendar.vCategory([])
    categories.cats = [_Text(value) for value in values]
    return categories


def _language(tag: str | None) -> dict[str, str]:
    return {} if tag is None else {"LANGUAGE": tag}


def _unambiguous(value: Any) -> Any:
    return to_utc(value) if value.fold else value


def _second_of_two(entry: Entry) -> bool:
    if entry.all_day:
        return False
    return any(value is not None and value.fold for value in timed_span(entry))


def reference_vevent(entry: Entry) -> bytes:
    """Render ``entry`` as a VEVENT through icalendar.Event, as feeds did up to 5f8bf99
    (with the recurrence and status properties of issue 22)."""
    entry = clean_entry(entry)
    event = icalendar.Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", to_utc(entry.updated))
    if entry.all_day:
        start_day, end_day = all_day_span(entry)
        event.add("dtstart", start_day)
        event.add("dtend", end_day)
    else:
        start, end = timed_span(entry)
        event.add("dtstart", _unambiguous(start))
        if end is not None:
            event.add("dtend", _unambiguous(end))
    event.add("summary", _Text(display_title(entry)), parameters=_language(entry.language))
    body = body_text(entry)
    if body:
        event.add("description", _Text(body), parameters=_language(entry.description_language))
    if entry.location:
        event.add("location", _Text(entry.location))
    event.add("url", entry.url or entry.link)
    if entry.tags:
        event.add("categories", _categories(entry.tags))
    event.add("created", to_utc(entry.created))
    event.add("last-modified", to_utc(entry.updated))
    event.add("sequence", entry.sequence)
    add_recurrence(event, entry)
    if entry.precision in ("month", "year"):
        event.add("transp", "TRANSPARENT")
    event.add("x-timeline-precision", entry.precision)
    if entry.approximate:
        event.add("x-timeline-approximate", "TRUE")
    if entry.timezone is not None and (vevent_tzid(entry) is None or _second_of_two(entry)):
        event.add("x-timeline-timezone", _Text(entry.timezone))
    if entry.recurrence_id is not None:
        event.add("x-timeline-id", _Text(entry.id))
    if entry.organizations:
        event.add("x-timeline-organizations", _categories(entry.organizations))
    for name, value in (
        ("name", entry.source_name),
        ("published", entry.source_published),
        ("locator", entry.source_locator),
    ):
        if value is not None:
            event.add(f"x-timeline-source-{name}", _Text(value))
    ical: bytes = event.to_ical(sorted=False)
    return ical
