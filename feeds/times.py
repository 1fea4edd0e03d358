"""Dates and times of an Entry, checked and converted for the renderers."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

from feeds.model import Entry

UTC_NAMES = frozenset({"UTC", "Etc/UTC"})
ONE_DAY = dt.timedelta(days=1)


@functools.lru_cache(maxsize=256)
def zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    """Return the IANA zone called ``name``, or None for UTC (None, ``UTC``, ``Etc/UTC``).

    Raises ValueError when the name is not in the zoneinfo database.
    """
    if name is None or name in UTC_NAMES:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError) as error:  # OSError: "Europe"
        raise ValueError(f"unknown time zone {name!r}") from error


def to_utc(value: dt.datetime) -> dt.datetime:
    """Return the aware datetime ``value`` in UTC; raise ValueError if it is naive."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value.isoformat()}: a time zone is required")
    return value.astimezone(dt.UTC)


def is_datetime(value: dt.date | dt.datetime | None) -> bool:
    """Return whether ``value`` is a datetime (``datetime`` is a subclass of ``date``)."""
    return isinstance(value, dt.datetime)


def all_day_span(entry: Entry) -> tuple[dt.date, dt.date]:
    """Return ``(start, end)`` of an all-day entry as dates, ``end`` exclusive.

    A missing end, or one not after the start, gives a one-day event. Raises ValueError
    when the entry is not all-day or its dates are datetimes.
    """
    start, end = entry.start, entry.end
    if not entry.all_day or is_datetime(start) or is_datetime(end):
        raise ValueError(f"entry {entry.id!r}: an all-day event needs date start and end")
    if end is None or end <= start:
        end = start + ONE_DAY
    return start, end


def timed_span(entry: Entry) -> tuple[dt.datetime, dt.datetime | None]:
    """Return ``(start, end)`` of a timed entry, in its display zone (UTC when None).

    ``end`` is None for an instant, or when it is before the start. Raises ValueError
    when the entry is all-day, a value is a date or naive, or the zone is unknown.
    """
    start, end = entry.start, entry.end
    if entry.all_day or not isinstance(start, dt.datetime):
        raise ValueError(f"entry {entry.id!r}: a timed event needs datetime start and end")
    if end is not None and not isinstance(end, dt.datetime):
        raise ValueError(f"entry {entry.id!r}: a timed event needs datetime start and end")
    tz = zone(entry.timezone)
    start = to_utc(start) if tz is None else to_utc(start).astimezone(tz)
    if end is None or to_utc(end) < to_utc(start):
        return start, None
    return start, to_utc(end) if tz is None else to_utc(end).astimezone(tz)


def start_instant(entry: Entry) -> dt.datetime:
    """Return the start as a UTC datetime: midnight UTC of the first day when all-day."""
    if entry.all_day:
        day = all_day_span(entry)[0]
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return to_utc(timed_span(entry)[0])


#: The UTC time of day at which feeds date an all-day event: the instant that falls on
#: the event's day for the widest range of readers' offsets, UTC-10:00 (Hawaii) to
#: UTC+13:59 (New Zealand's summer, Tonga, Samoa). Feed readers convert an item's date to
#: the reader's own zone and do not keep the feed's offset, so midnight UTC would show
#: the day before everywhere west of Greenwich, and noon UTC the day after from UTC+12
#: (New Zealand, Fiji). Outside the range: UTC-11 (Niue, American Samoa) sees the day
#: before, UTC+14 (Kiritimati) the day after; 24 hours of offsets is all one instant spans.
ALL_DAY_HOUR = 10


def item_instant(entry: Entry) -> dt.datetime:
    """Return the UTC datetime that feeds (RSS pubDate, Atom published, JSON Feed
    date_published) give the entry: a timed entry's start; for an all-day entry, its
    first day at :data:`ALL_DAY_HOUR`:00 UTC, which readers from UTC-10:00 to UTC+13:59
    show on that day. Raises ValueError as :func:`start_instant`."""
    if entry.all_day:
        day = all_day_span(entry)[0]
        return dt.datetime(day.year, day.month, day.day, ALL_DAY_HOUR, tzinfo=dt.UTC)
    return start_instant(entry)


def local_date(entry: Entry) -> dt.date:
    """Return the first day of the entry, in its display zone for timed events."""
    if entry.all_day:
        return all_day_span(entry)[0]
    return timed_span(entry)[0].date()


def whole_seconds(value: dt.datetime) -> dt.datetime:
    """Return the aware ``value`` in UTC without its fraction of a second: the form of
    every date a feed carries (ROME, behind many Java readers, reads no fraction)."""
    return to_utc(value).replace(microsecond=0)


def iso_utc(value: dt.datetime) -> str:
    """Return the aware ``value`` as RFC 3339 in UTC with a ``Z``, in whole seconds (the
    fraction dropped, :func:`whole_seconds`): ``2025-01-02T03:04:05Z``."""
    return whole_seconds(value).replace(tzinfo=None).isoformat() + "Z"
