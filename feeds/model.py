"""Input values of the renderers: one feed's metadata (Channel) and its events (Entry)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Precision = Literal["year", "month", "day", "datetime"]
Status = Literal["confirmed", "tentative", "cancelled"]
#: An RDATE value: a date, an aware datetime, or a period (its start and its end or
#: duration), RFC 5545 §3.8.5.2.
DateValue = dt.date | dt.datetime | tuple[dt.datetime, dt.datetime | dt.timedelta]

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Wording:
    """The words the renderers add to an event's own texts, in one language: English by
    default. Each is a ``%``-format with named fields (``%(date)s``); ``months`` are the
    names of the months, January first. ISO dates (``2025-01-15``) stay as they are.

    - dates known to the month or year, and spans of days: ``month`` (``January
      2025``), ``months_in_year`` (``January–March 2025``), ``months_across_years``
      (``November 2024–February 2025``), ``year`` (``2025``), ``years``
      (``2024–2025``), ``days`` (``2025-02-11 to 2025-02-20``);
    - the title's suffix (:func:`feeds.text.precision_marker`): ``month_marker``,
      ``month_marker_approximate``, ``year_marker``, ``year_marker_approximate``,
      ``approximate_marker``;
    - the description's first sentence (:func:`feeds.text.precision_note`):
      ``month_note``, ``month_note_approximate``, ``year_note``,
      ``year_note_approximate``, ``approximate_note``;
    - the source line (:func:`feeds.text.source_line`): ``source``, ``published``, and
      ``separator`` between its parts;
    - TimelineJS's display dates: ``day`` (``9 February 2025``), ``days_in_month``
      (``9–10 February 2025``), ``days_in_year`` (``30 January – 2 February 2025``),
      ``days_across`` (``30 December 2024 – 2 January 2025``), ``moment`` (``20
      August 2025, 16:00``), ``in_zone`` (``… (Europe/Madrid)``), ``around``;
    - ``untitled``, the title of an event without one; ``cancelled``, the title of a
      cancelled event in the feeds (``Cancelled: %(title)s``).
    """

    months: tuple[str, ...] = MONTHS
    month: str = "%(month)s %(year)s"
    months_in_year: str = "%(first)s–%(last)s %(year)s"
    months_across_years: str = "%(first)s %(first_year)s–%(last)s %(last_year)s"
    year: str = "%(year)s"
    years: str = "%(first)s–%(last)s"
    days: str = "%(first)s to %(last)s"
    month_marker: str = " (%(date)s; day not reported)"
    month_marker_approximate: str = " (around %(date)s; day not reported)"
    year_marker: str = " (%(date)s; date not reported)"
    year_marker_approximate: str = " (around %(date)s; date not reported)"
    approximate_marker: str = " (approximate date)"
    month_note: str = "Date known to the month only: %(date)s."
    month_note_approximate: str = "Approximate date, known to the month only: %(date)s."
    year_note: str = "Date known to the year only: %(date)s."
    year_note_approximate: str = "Approximate date, known to the year only: %(date)s."
    approximate_note: str = "Approximate date: %(date)s."
    source: str = "Source: %(source)s"
    published: str = "published %(date)s"
    separator: str = ", "
    day: str = "%(day)s %(month)s %(year)s"
    days_in_month: str = "%(first)s–%(last)s %(month)s %(year)s"
    days_in_year: str = "%(first_day)s %(first_month)s – %(last_day)s %(last_month)s %(year)s"
    days_across: str = "%(first)s – %(last)s"
    moment: str = "%(day)s, %(time)s"
    in_zone: str = "%(date)s (%(zone)s)"
    around: str = "around %(date)s"
    untitled: str = "(untitled)"
    cancelled: str = "Cancelled: %(title)s"


ENGLISH = Wording()


@dataclass(frozen=True)
class Entry:
    """One event, as every renderer sees it.

    Dates and times:
    - ``all_day`` events have ``start`` and ``end`` as ``datetime.date`` values, floating
      (no time zone); ``end`` is exclusive, as RFC 5545 DTEND (a one-day event on
      2025-02-17 has ``end == date(2025, 2, 18)``) and is never None.
    - timed events have ``start`` (and ``end``, or None for an instant) as timezone-aware
      ``datetime.datetime`` values; ``timezone`` is the IANA name they are shown in
      (None means UTC).
    - ``precision`` says what is known: ``year`` and ``month`` events span the whole
      year or month (``start`` its first day, ``end`` the first day after it);
      ``approximate`` marks a date that the source gives only roughly.

    Identity: ``id`` is the event's slug; ``uid`` its iCalendar UID (RFC 5545 §3.8.4.7)
    and ``guid`` its feed item id (RSS guid, Atom id, JSON Feed id), both a pure function
    of ``id``. ``link`` is the event's own page (absolute URL); ``url`` its external link,
    if any. ``created`` and ``updated`` are UTC-aware datetimes; ``sequence`` the revision
    number (RFC 5545 §3.8.7.4). Text is plain text, never HTML. ``source_published`` is
    what is known of the source's publication date: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    Languages: ``language`` is the BCP 47 tag of ``title`` and ``description_language``
    that of ``description``, when the calendar should say it (the ``LANGUAGE`` parameter
    of SUMMARY and DESCRIPTION, RFC 5545 §3.2.10); None says nothing. Feeds state one
    language per document (``Channel.language``). ``wording`` holds the words the
    renderers add (precision, source, dates): :class:`Wording`, English by default.

    Status and recurrence (RFC 5545 §3.8.1.11, §3.8.5): ``status`` is ``confirmed``,
    ``tentative`` or ``cancelled``; ``rrule`` an RFC 5545 RECUR value as given
    (``FREQ=WEEKLY;COUNT=4``); ``rdate`` more occurrences: dates (all-day), aware
    datetimes, or periods ``(start, end or duration)``; ``exdate`` occurrences left
    out; ``recurrence_id`` the occurrence an overridden instance replaces (then ``uid``
    is its recurring event's). Dates for all-day entries, aware datetimes otherwise.
    """

    id: str
    uid: str
    guid: str
    title: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None
    all_day: bool
    link: str
    created: dt.datetime
    updated: dt.datetime
    sequence: int = 0
    description: str = ""
    timezone: str | None = None
    precision: Precision = "day"
    approximate: bool = False
    location: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    source_name: str | None = None
    source_published: str | None = None
    source_locator: str | None = None
    language: str | None = None
    description_language: str | None = None
    wording: Wording = ENGLISH
    status: Status = "confirmed"
    rrule: str | None = None
    rdate: tuple[DateValue, ...] = ()
    exdate: tuple[dt.date | dt.datetime, ...] = ()
    recurrence_id: dt.date | dt.datetime | None = None


@dataclass(frozen=True)
class Channel:
    """One feed or calendar's metadata.

    ``link`` is the human page (absolute URL), ``self_url`` the URL this document is served
    at (Atom ``rel="self"``, JSON Feed ``feed_url``). ``id`` is the feed's stable id (Atom
    feed id). ``updated`` is the newest change among its entries (UTC-aware; the epoch
    when there is none): it is the RSS lastBuildDate and Atom updated, so that output is
    a pure function of the data. ``refresh_interval`` is the polling hint in seconds
    (RFC 7986 REFRESH-INTERVAL, X-PUBLISHED-TTL, RSS ttl in minutes). ``language`` is
    the document's BCP 47 tag (RSS ``<language>``, Atom ``xml:lang``, RFC 4287 §2, JSON
    Feed ``language``).
    """

    id: str
    title: str
    description: str
    link: str
    self_url: str
    updated: dt.datetime
    language: str = "en"
    refresh_interval: int = 3600
    prodid: str = "-//timeline//timeline 0.1//EN"
