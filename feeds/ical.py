"""iCalendar rendering (RFC 5545, RFC 7986): one VEVENT per Entry, streamed into a VCALENDAR."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

import icalendar

from feeds.contentlines import (
    component,
    date_value,
    datetime_property,
    escape_icalendar,
    escape_text,
    language_param,
    text_list,
    utc_value,
)
from feeds.icalrecur import recurrence_lines
from feeds.model import Channel, Entry
from feeds.text import (
    body_text,
    channel_description,
    clean_channel,
    clean_entry,
    clean_line,
    display_title,
)
from feeds.times import all_day_span, timed_span, to_utc, zone
from feeds.vtimezone import render_vtimezone


class _Text(icalendar.vText):
    """A TEXT value escaped as RFC 5545 §3.3.11 has it: backslash, semicolon, comma and
    line break. (icalendar's own escaping first turns a literal backslash-N of the text
    into a line break, so ``C:\\New`` would come back as two lines.)"""

    def to_ical(self) -> bytes:
        return escape_text(str(self)).encode("utf-8")


DEFAULT_SPAN = (dt.date(1970, 1, 1), dt.date(2038, 1, 1))
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_NO_SPAN: tuple[dt.datetime, dt.datetime | None] = (_EPOCH, None)
_END = b"END:VCALENDAR\r\n"


def vevent_tzid(entry: Entry) -> str | None:
    """Return the TZID that ``render_vevent(entry)`` refers to, or None (UTC or all-day).

    Raises ValueError when the entry's time zone is unknown.
    """
    if entry.all_day or entry.timezone is None:
        return None
    tz = zone(clean_line(entry.timezone))
    return None if tz is None else tz.key


def render_vevent(entry: Entry) -> bytes:
    """Render one event as a VEVENT component (RFC 5545 §3.6.1), CRLF lines folded at 75 octets.

    The bytes run from ``BEGIN:VEVENT\\r\\n`` to ``END:VEVENT\\r\\n``, exactly as they appear
    inside the calendar of :func:`iter_ical`, so they can be cached per event revision.

    - All-day: ``DTSTART;VALUE=DATE`` and an exclusive ``DTEND;VALUE=DATE`` (§3.8.2.2).
    - Timed: ``DTSTART;TZID=<entry.timezone>:<local time>`` (needs the VTIMEZONE named by
      :func:`vevent_tzid`), or UTC ``...Z`` when the zone is None or UTC; never floating.
      No ``DTEND`` for an instant.
    - ``DTSTAMP`` and ``LAST-MODIFIED`` are ``entry.updated``, ``CREATED`` is
      ``entry.created``, all in UTC; ``SEQUENCE`` is ``entry.sequence``.
    - ``SUMMARY`` is the title with the precision marker; ``DESCRIPTION`` the body of
      :func:`feeds.text.body_text`; each with ``LANGUAGE=<tag>`` (§3.2.10) when the
      entry's ``language`` / ``description_language`` is set; ``URL`` the external url,
      else the event's page; one ``CATEGORIES`` value per tag; ``LOCATION`` when known.
    - STATUS, RECURRENCE-ID, RRULE, RDATE and EXDATE as
      :func:`feeds.icalrecur.add_recurrence` writes them; an overridden instance
      (``recurrence_id``) says its own id in ``X-TIMELINE-ID``.
    - Year or month precision adds ``TRANSP:TRANSPARENT``.
    - So that an import can give back exactly what was exported, every event carries
      ``X-TIMELINE-PRECISION`` (``year``, ``month``, ``day`` or ``datetime``), an
      approximate date ``X-TIMELINE-APPROXIMATE:TRUE``; ``X-TIMELINE-TIMEZONE`` holds a
      zone that no TZID carries (all-day events, or UTC); ``X-TIMELINE-ORGANIZATIONS``
      the organizations (a comma list escaped as CATEGORIES, §3.8.1.2), and
      ``X-TIMELINE-SOURCE-NAME``, ``-PUBLISHED`` and ``-LOCATOR`` the source, each when
      set (TEXT, §3.3.11).

    Text is escaped per §3.3.11 and control characters are removed. Raises ValueError
    when the dates do not match ``all_day``, a datetime is naive, or the zone is unknown.
    """
    return _render(clean_entry(entry))[0]


def _render(entry: Entry) -> tuple[bytes, str | None, tuple[dt.datetime, dt.datetime | None]]:
    """The VEVENT of the clean ``entry``, the TZID it refers to (as :func:`vevent_tzid`),
    and its local start and end when timed (else a token span)."""
    updated = utc_value(entry.updated)
    tzid = None
    # One line per property, in this order; a new property is one more line here, its
    # value written by a function of feeds.contentlines (text, date, list, raw).
    lines = ["BEGIN:VEVENT", "UID:" + escape_icalendar(entry.uid), "DTSTAMP:" + updated]
    if entry.all_day:
        start_day, end_day = all_day_span(entry)
        lines.append("DTSTART;VALUE=DATE:" + date_value(start_day))
        lines.append("DTEND;VALUE=DATE:" + date_value(end_day))
    else:
        start, end = timed_span(entry)
        tz = zone(entry.timezone)
        tzid = None if tz is None else tz.key
        lines.append(datetime_property("DTSTART", _unambiguous(start)))
        if end is not None:
            lines.append(datetime_property("DTEND", _unambiguous(end)))
    summary = escape_text(display_title(entry))
    lines.append("SUMMARY" + language_param(entry.language) + ":" + summary)
    body = body_text(entry)
    if body:
        language = language_param(entry.description_language)
        lines.append("DESCRIPTION" + language + ":" + escape_text(body))
    if entry.location:
        lines.append("LOCATION:" + escape_text(entry.location))
    lines.append("URL:" + (entry.url or entry.link))
    if entry.tags:
        lines.append("CATEGORIES:" + text_list(entry.tags))
    lines.append("CREATED:" + utc_value(entry.created))
    lines.append("LAST-MODIFIED:" + updated)
    lines.append("SEQUENCE:" + str(entry.sequence))
    lines.extend(recurrence_lines(entry))
    if entry.precision in ("month", "year"):
        lines.append("TRANSP:TRANSPARENT")
    lines.append("X-TIMELINE-PRECISION:" + entry.precision)
    if entry.approximate:
        lines.append("X-TIMELINE-APPROXIMATE:TRUE")
    if entry.timezone is not None and (tzid is None or start.fold or (end and end.fold)):
        lines.append("X-TIMELINE-TIMEZONE:" + escape_text(entry.timezone))
    if entry.recurrence_id is not None:
        lines.append("X-TIMELINE-ID:" + escape_text(entry.id))
    if entry.organizations:
        lines.append("X-TIMELINE-ORGANIZATIONS:" + text_list(entry.organizations))
    if entry.source_name is not None:
        lines.append("X-TIMELINE-SOURCE-NAME:" + escape_text(entry.source_name))
    if entry.source_published is not None:
        lines.append("X-TIMELINE-SOURCE-PUBLISHED:" + escape_text(entry.source_published))
    if entry.source_locator is not None:
        lines.append("X-TIMELINE-SOURCE-LOCATOR:" + escape_text(entry.source_locator))
    lines.append("END:VEVENT")
    return component(lines), tzid, (start, end) if tzid is not None else _NO_SPAN


def _unambiguous(value: dt.datetime) -> dt.datetime:
    """The value to write: local time with its TZID, except the second of a wall time that
    a DST change repeats, which RFC 5545 §3.3.5 would read as the first: that goes in UTC."""
    return to_utc(value) if value.fold else value


def _header(channel: Channel) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", channel.prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # No calendar-level UID (RFC 7986 §5.3 allows one): vdirsyncer, and so khal, key each
    # split-out event by the first UID line of its text, which would be the calendar's,
    # so every event of the calendar would collapse into one.
    # icalendar escapes TEXT only for properties it knows; NAME and X-WR-* need vText.
    calendar.add("name", _Text(channel.title))
    calendar.add("x-wr-calname", _Text(channel.title))
    description = channel_description(channel)
    calendar.add("description", _Text(description))
    calendar.add("x-wr-caldesc", _Text(description))
    calendar.add("url", channel.link)
    calendar.add("source", channel.self_url, parameters={"VALUE": "URI"})
    refresh = dt.timedelta(seconds=channel.refresh_interval)
    calendar.add("refresh-interval", icalendar.vDuration(refresh), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(refresh))
    ical: bytes = calendar.to_ical(sorted=False)
    return ical.removesuffix(_END)


def iter_ical(
    channel: Channel,
    parts: Iterable[bytes],
    tzids: Iterable[str],
    *,
    span: tuple[dt.date, dt.date] = DEFAULT_SPAN,
) -> Iterator[bytes]:
    """Yield a VCALENDAR (RFC 5545 §3.4, RFC 7986 §5) in pieces, without holding ``parts``.

    First the header: PRODID, VERSION:2.0, CALSCALE:GREGORIAN, no UID (vdirsyncer would
    give every event the calendar's), NAME/X-WR-CALNAME, DESCRIPTION/X-WR-CALDESC (the
    title when blank), URL, SOURCE, REFRESH-INTERVAL and X-PUBLISHED-TTL from
    ``channel.refresh_interval`` seconds, no METHOD, then one VTIMEZONE per distinct
    non-UTC TZID, sorted, valid over ``span`` (first day, last day; see
    :func:`feeds.vtimezone.render_vtimezone`). Then each of
    ``parts`` (from :func:`render_vevent`) as given, then ``END:VCALENDAR\\r\\n``.
    Raises ValueError for an unknown TZID.
    """
    wanted = sorted({tzid for tzid in tzids if zone(tzid) is not None})
    header = _header(clean_channel(channel))
    yield header + b"".join(render_vtimezone(tzid, *span) for tzid in wanted)
    yield from parts
    yield _END


def render_ical(channel: Channel, entries: Iterable[Entry]) -> bytes:
    """Render a whole calendar of ``entries`` (RFC 5545), as :func:`iter_ical` joined.

    The VTIMEZONEs cover the local years of the timed entries. Raises ValueError
    as :func:`render_vevent` does.
    """
    parts: list[bytes] = []
    tzids: set[str] = set()
    years: list[int] = []
    for entry in entries:
        part, tzid, (start, end) = _render(clean_entry(entry))
        parts.append(part)
        if tzid is not None:
            tzids.add(tzid)
            years.append(start.year)
            if end is not None:
                years.append(end.year)
    span = (dt.date(min(years), 1, 1), dt.date(max(years) + 1, 1, 1)) if years else DEFAULT_SPAN
    return b"".join(iter_ical(channel, parts, tzids, span=span))
