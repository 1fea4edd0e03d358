"""The recurrence and status properties of a VEVENT (RFC 5545 §3.8.1.11, §3.8.4.4,
§3.8.5): STATUS, RRULE, RDATE, EXDATE and RECURRENCE-ID, written as given for clients to
expand."""

from __future__ import annotations

import datetime as dt

import icalendar

from feeds.model import Entry
from feeds.times import to_utc, zone


class _Recur(icalendar.vText):
    """An RRULE value written as given (checked by the caller: RFC 5545 §3.3.10)."""

    def to_ical(self) -> bytes:
        return str(self).encode("ascii")


def _local(value: dt.date | dt.datetime, tz: dt.tzinfo | None) -> dt.date | dt.datetime:
    """A date as it is; a datetime in the event's zone (TZID), else in UTC."""
    if not isinstance(value, dt.datetime):
        return value
    return value.astimezone(tz) if tz is not None else to_utc(value)


def add_recurrence(event: icalendar.Event, entry: Entry) -> None:
    """Add to ``event`` (the VEVENT of ``entry``) its STATUS when not ``confirmed``
    (``TENTATIVE``, ``CANCELLED``), RECURRENCE-ID, RRULE, RDATE and EXDATE.

    Dates are ``VALUE=DATE``; date-times are in the entry's zone with its TZID (the
    calendar's VTIMEZONE covers it), else in UTC. Periods are written in UTC as their own
    ``RDATE;VALUE=PERIOD`` (icalendar 7 leaves the VALUE parameter out, and a client may
    then read them as date-times).
    """
    if entry.status != "confirmed":
        event.add("status", entry.status.upper())
    tz = None if entry.all_day or entry.timezone is None else zone(entry.timezone)
    if entry.recurrence_id is not None:
        event.add("recurrence-id", _local(entry.recurrence_id, tz))
    if entry.rrule:
        event.add("rrule", _Recur(entry.rrule))
    periods = [value for value in entry.rdate if isinstance(value, tuple)]
    dates = [_local(value, tz) for value in entry.rdate if not isinstance(value, tuple)]
    if dates:
        event.add("rdate", dates)
    if periods:
        utc = [
            (to_utc(start), end if isinstance(end, dt.timedelta) else to_utc(end))
            for start, end in periods
        ]
        event.add("rdate", utc, parameters={"VALUE": "PERIOD"})
    if entry.exdate:
        event.add("exdate", [_local(value, tz) for value in entry.exdate])


def recurrence_lines(entry: Entry) -> list[str]:
    """The content lines (unfolded, without CRLF) that :func:`add_recurrence` adds to the
    VEVENT of ``entry``, as icalendar writes them: none for a confirmed event that neither
    recurs nor overrides an occurrence (most events, so the direct writer of
    :mod:`feeds.ical` pays nothing for them)."""
    if (
        entry.status == "confirmed"
        and entry.recurrence_id is None
        and not entry.rrule
        and not entry.rdate
        and not entry.exdate
    ):
        return []
    event = icalendar.Event()
    add_recurrence(event, entry)
    text: str = event.to_ical(sorted=False).decode()
    # Between BEGIN:VEVENT and END:VEVENT; feeds.contentlines folds them again alike.
    return text.replace("\r\n ", "").split("\r\n")[1:-2]
