"""The API's date forms: reading start, end and when into a span, and writing a span back."""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from timeline.dates.normalize import When, WhenError, parse_when
from timeline.store.values import EventData

Precision = Literal["year", "month", "day", "datetime"]

#: The forms of ``start`` and ``end`` (ECMA-262 and Python alike): ``YYYY``, ``YYYY-MM``,
#: ``YYYY-MM-DD``, or an RFC 3339 date-time whose offset may be left out (then
#: ``timezone`` says where the wall time is).
_YEAR = "([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
_MONTH = "-(0[1-9]|1[0-2])"
_DAY = "-(0[1-9]|[12][0-9]|3[01])"
_TIME = "T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,6})?"
_OFFSET = "(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"
DATE_FORMS = f"^{_YEAR}({_MONTH}({_DAY}({_TIME}{_OFFSET}?)?)?)?$"
DAY_FORM = f"^{_YEAR}{_MONTH}{_DAY}$"
PUBLISHED_FORMS = f"^{_YEAR}({_MONTH}({_DAY})?)?$"
_DATE_FORMS = re.compile(DATE_FORMS)
_ONE_DAY = dt.timedelta(days=1)
_UTC_NAMES = frozenset({"UTC", "Etc/UTC"})


class DateFormError(ValueError):
    """A value that is not one of the API's date forms, or not a real date or time."""


@dataclass(frozen=True)
class Span:
    """Validated dates of an event: dates with an exclusive ``end`` (RFC 5545 DTEND) for
    all-day events, aware datetimes (``end`` None for an instant) for timed ones.
    ``approximate`` when ``when`` places the event somewhere in the span (上周, early March)."""

    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None
    all_day: bool
    precision: Precision
    approximate: bool = False


@functools.cache
def known_timezones() -> frozenset[str]:
    """Return the IANA time zone names this installation knows (``tzdata``), less the
    files that are not zones of a place: ``localtime`` (the server's own zone, never to be
    guessed), ``Factory``, ``posixrules`` and the ``posix/`` and ``right/`` copies."""
    return frozenset(
        name
        for name in zoneinfo.available_timezones()
        if name not in ("localtime", "Factory", "posixrules")
        and not name.startswith(("posix/", "right/"))
    )


def parse_form(text: str) -> tuple[Precision, dt.date | dt.datetime]:
    """Read one ``start``/``end`` value: ``("year"|"month"|"day", first day)`` or
    ``("datetime", datetime)``, naive when the text has no offset. Years run from 0001
    to 9999. Raises DateFormError saying what is wrong."""
    if text[:4] == "0000":
        raise DateFormError("year 0000 is out of range: years run from 0001 to 9999")
    text = text[:10] + text[10:].upper()  # RFC 3339 §5.6 allows "t" and "z" too
    if not _DATE_FORMS.fullmatch(text):
        raise DateFormError(
            "must be YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 date-time such as "
            "2025-02-17T09:30:00+08:00, with months 01-12, days 01-31, hours 00-23"
        )
    year = int(text[:4])
    try:
        if len(text) == 4:
            return "year", dt.date(year, 1, 1)
        if len(text) == 7:
            return "month", dt.date(year, int(text[5:7]), 1)
        if len(text) == 10:
            return "day", dt.date.fromisoformat(text)
        return "datetime", dt.datetime.fromisoformat(text)
    except ValueError as error:
        raise DateFormError(f"{text} is not a real date or time: {error}") from None


def parse_published(text: str) -> str:
    """Check a source's publication date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) and
    return it unchanged. Raises DateFormError."""
    precision, _ = parse_form(text)
    if precision == "datetime":
        raise DateFormError("must be YYYY, YYYY-MM or YYYY-MM-DD")
    return text


def _exists(local: dt.datetime, zone: dt.tzinfo) -> bool:
    # A wall time skipped by a DST change does not survive a round trip through UTC.
    return local.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) == local.replace(
        tzinfo=None
    )


def localize(value: dt.datetime, zone_name: str | None) -> dt.datetime:
    """Return the instant of ``value`` as an aware datetime in ``zone_name`` (IANA).

    A naive ``value`` is a wall time in the zone: a time repeated by a DST change means
    its first occurrence (fold=0); one skipped by a change is an error. An aware
    ``value`` must carry the offset the zone has at that wall time (either occurrence of
    a repeated time). Without a zone, ``value`` must be aware. Raises DateFormError.
    """
    if zone_name is None:
        if value.tzinfo is None:
            raise DateFormError(
                "a date-time needs a UTC offset (such as +02:00 or Z) or a timezone; "
                "the server's zone is never guessed"
            )
        return value
    zone = zoneinfo.ZoneInfo(zone_name)
    wall = value.replace(tzinfo=None)
    if value.tzinfo is None:
        local = wall.replace(tzinfo=zone, fold=0)
        if not _exists(local, zone):
            raise DateFormError(
                f"{wall.isoformat()} does not exist in {zone_name}: the clocks skip it "
                "for daylight saving time"
            )
        return local
    for fold in (0, 1):
        local = wall.replace(tzinfo=zone, fold=fold)
        if local.utcoffset() == value.utcoffset() and _exists(local, zone):
            return local
    raise DateFormError(
        f"the offset {_offset_text(value)} contradicts the timezone {zone_name}, "
        f"whose offset at {wall.isoformat()} is {_offset_text(wall.replace(tzinfo=zone))}"
    )


#: The years of the dates every output carries validly, events lie in them (first and
#: last day, or instants in UTC). 1900: an RSS date is an RFC 5322 date, whose year "is
#: any numeric year 1900 or later" (§3.3); before it, many zones kept local mean time,
#: whose offsets have seconds that RFC 3339 (Atom, JSON Feed, the API) cannot write.
#: 2199: the page's time axis ticks every year between its events, and three centuries
#: is the most it draws legibly; ICS, RFC 3339 and Outlook (to 4500) carry all of them.
FIRST_YEAR = 1900
LAST_YEAR = 2199
_FIRST_DAY = dt.date(FIRST_YEAR, 1, 1)
_AFTER_LAST_DAY = dt.date(LAST_YEAR + 1, 1, 1)
_FIRST_INSTANT = dt.datetime(FIRST_YEAR, 1, 1, tzinfo=dt.UTC)
_AFTER_LAST_INSTANT = dt.datetime(LAST_YEAR + 1, 1, 1, tzinfo=dt.UTC)
#: What an error says of a date outside :data:`FIRST_YEAR` to :data:`LAST_YEAR`.
OUT_OF_RANGE = (
    f"dates must lie in the years {FIRST_YEAR} to {LAST_YEAR}, which every output "
    "(iCalendar, RSS, Atom, JSON Feed, the API and the page's time axis) carries"
)


def check_instant(value: dt.datetime) -> dt.datetime:
    """Return aware ``value`` if it lies in the years :data:`FIRST_YEAR` to
    :data:`LAST_YEAR` (UTC) and its UTC offset is a whole number of minutes (RFC 3339
    §5.6). Raises DateFormError otherwise."""
    try:
        instant = value.astimezone(dt.UTC)
    except OverflowError:
        instant = _AFTER_LAST_INSTANT if value.year > 5000 else _FIRST_INSTANT - _ONE_DAY
    if not _FIRST_INSTANT <= instant < _AFTER_LAST_INSTANT:
        raise DateFormError(OUT_OF_RANGE)
    offset = value.utcoffset() or dt.timedelta()
    if offset.seconds % 60 or offset.microseconds:
        raise DateFormError(f"the zone's offset then, {offset}, is not a whole number of minutes")
    return value


def _offset_text(value: dt.datetime) -> str:
    minutes = int((value.utcoffset() or dt.timedelta()).total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _exclusive_end(precision: Precision, last: dt.date) -> dt.date:
    try:
        if precision == "year":
            return dt.date(last.year + 1, 1, 1)
        if precision == "month":
            return (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return last + _ONE_DAY
    except (ValueError, OverflowError):
        raise DateFormError("the event must end before 9999-12-31") from None


#: The ``reference`` that says the relative text counts from today (UTC).
TODAY = "today"


class RelativeWhenError(ValueError):
    """A ``when`` whose day depends on the day it counts from, given without
    ``reference``; the message quotes it."""


def depends_on_reference(text: str, reference: dt.date, tz: str | None = None) -> bool:
    """Return whether ``text`` (a ``when``) names another span when read from another
    day: relative days and weeks (昨天, 上周二, last Tuesday, 3 days ago), this or last
    year, and dates without a year, which take the year nearest the reference. Read from
    ``reference`` and from 400 days later (another year, month, week and weekday); text
    that neither reading understands is not relative (its error is another)."""
    readings: list[When | None] = []
    for day in (reference, reference + dt.timedelta(days=400)):
        try:
            readings.append(parse_when(text, reference=day, tz=tz))
        except WhenError:
            readings.append(None)
    return readings[0] != readings[1]


def _from_when(fields: Mapping[str, Any], today: dt.date) -> Span:
    reference = fields.get("reference")
    tz = fields.get("timezone")
    if reference is None and depends_on_reference(fields["when"], today, tz):
        raise RelativeWhenError(
            f"{fields['when']!r} is relative: its date depends on the day it counts from; "
            f"give reference, that day (YYYY-MM-DD, such as the article's publication "
            f'date), or "{TODAY}"'
        )
    ref_day = today if reference in (None, TODAY) else dt.date.fromisoformat(reference)
    when = parse_when(fields["when"], reference=ref_day, tz=tz)
    if isinstance(when.start, dt.datetime):
        start = localize(when.start, tz) if tz else when.start
        return Span(check_instant(start), None, False, "datetime")
    assert isinstance(when.end, dt.date)
    return Span(when.start, when.end, True, when.precision, when.approximate)


def resolve_span(
    fields: Mapping[str, Any], bad: Collection[str], today: dt.date
) -> tuple[Span | None, list[tuple[str, str]]]:
    """Resolve the date fields of an event body (``start``, ``end``, ``when``,
    ``reference``, ``all_day``, ``timezone``; absent or None when not given) into a Span.

    ``bad`` names fields already reported invalid: checks that need them are skipped.
    ``reference`` is a day or :data:`TODAY` (``today``, a UTC date); a ``when`` that
    depends on it (:func:`depends_on_reference`) without one is an error at
    ``reference`` saying it is relative. Dates lie in :data:`FIRST_YEAR` to
    :data:`LAST_YEAR` (:data:`OUT_OF_RANGE` otherwise). All-day ``end`` is the last day
    (month, year) inclusive, as schema.org ``endDate``; a timed ``end`` is an instant
    after ``start``. Returns the span (None when it cannot be built) and the errors as
    ``(field, message)`` pairs; never raises for bad input.
    """
    errors: list[tuple[str, str]] = []
    if set(bad) & {"start", "end", "when", "reference", "all_day", "timezone"}:
        return None, errors
    span: Span | None = None
    if fields.get("reference") is not None and fields.get("when") is None:
        errors.append(("reference", "reference is only used with when"))
    if fields.get("when") is not None:
        if fields.get("start") is not None:
            errors.append(("when", "give either when or start, not both"))
        if fields.get("end") is not None:
            errors.append(("end", "end cannot be combined with when; write the range in when"))
        try:
            span = _from_when(fields, today)
        except RelativeWhenError as error:
            errors.append(("reference", str(error)))
        except WhenError as error:
            errors.append(("when", f"{error}; or give the date as start (YYYY-MM-DD)"))
        except DateFormError as error:
            errors.append(("when", str(error)))
    elif fields.get("start") is None:
        errors.append(("start", "start is required (or when)"))
    else:
        try:
            span = _from_start(fields, errors)
        except DateFormError as error:
            errors.append(("start", str(error)))
    if span is not None and span.all_day and not _carried(span):
        field = "when" if fields.get("when") is not None else "start"
        if field == "start" and fields.get("end") is not None and span.start >= _FIRST_DAY:
            field = "end"
        errors.append((field, OUT_OF_RANGE))
    all_day = fields.get("all_day")
    if span is not None and all_day is not None and all_day != span.all_day:
        form = "a date" if span.all_day else "a date-time"
        errors.append(("all_day", f"all_day is {str(all_day).lower()} but the start is {form}"))
    return (None if errors else span), errors


def _carried(span: Span) -> bool:
    """Whether the days of an all-day span lie in :data:`FIRST_YEAR` to :data:`LAST_YEAR`."""
    assert isinstance(span.end, dt.date)
    return _FIRST_DAY <= span.start and span.end <= _AFTER_LAST_DAY


def _from_start(fields: Mapping[str, Any], errors: list[tuple[str, str]]) -> Span | None:
    tz = fields.get("timezone")
    precision, start = parse_form(fields["start"])
    end_text = fields.get("end")
    if isinstance(start, dt.datetime):
        try:
            start = check_instant(localize(start, tz))
        except DateFormError as error:
            errors.append(("start", str(error)))
            return None
        if end_text is None:
            return Span(start, None, False, "datetime")
        parsed = _parse_end(end_text, errors)
        if parsed is None:
            return None
        end = parsed[1]
        if not isinstance(end, dt.datetime):
            errors.append(("end", "the end of a timed event must be a date-time too"))
            return None
        try:
            end = check_instant(localize(end, tz))
        except DateFormError as error:
            errors.append(("end", str(error)))
            return None
        if end <= start:
            errors.append(("end", "end must be after start"))
            return None
        return Span(start, end, False, "datetime")
    last = start
    if end_text is not None:
        parsed = _parse_end(end_text, errors)
        if parsed is None:
            return None
        end_precision, last = parsed
        if end_precision != precision:
            errors.append(("end", f"end must have the same form as start ({_FORM[precision]})"))
            return None
        if last < start:
            errors.append(("end", "end (the last day, inclusive) must not be before start"))
            return None
    try:
        return Span(start, _exclusive_end(precision, last), True, precision)
    except DateFormError as error:
        errors.append(("end" if end_text is not None else "start", str(error)))
        return None


def _parse_end(
    text: str, errors: list[tuple[str, str]]
) -> tuple[Precision, dt.date | dt.datetime] | None:
    try:
        return parse_form(text)
    except DateFormError as error:
        errors.append(("end", str(error)))
        return None


_FORM = {"year": "YYYY", "month": "YYYY-MM", "day": "YYYY-MM-DD", "datetime": "a date-time"}


def _timed_text(value: dt.datetime, tz: str | None) -> str:
    if tz is None or tz in _UTC_NAMES:
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return value.astimezone(zoneinfo.ZoneInfo(tz)).isoformat()


def span_text(data: EventData) -> tuple[str, str | None]:
    """Return ``(start, end)`` of stored content in the API's forms: ``YYYY``, ``YYYY-MM``
    or ``YYYY-MM-DD`` with ``end`` the last year, month or day inclusive for all-day
    events; RFC 3339 in the event's time zone (``Z`` without one) for timed events, with
    ``end`` None for an instant."""
    if isinstance(data.start, dt.datetime):
        end = data.end if isinstance(data.end, dt.datetime) else None
        return _timed_text(data.start, data.timezone), (
            None if end is None else _timed_text(end, data.timezone)
        )
    last = data.start if data.end is None else data.end - _ONE_DAY
    if data.precision == "year":
        return f"{data.start.year:04d}", f"{last.year:04d}"
    if data.precision == "month":
        return data.start.isoformat()[:7], last.isoformat()[:7]
    return data.start.isoformat(), last.isoformat()


def id_date(data: EventData) -> str:
    """Return the date part of a generated event id: the start as ``YYYY``, ``YYYY-MM``
    or ``YYYY-MM-DD`` (the local day in the event's zone for timed events)."""
    start, _ = span_text(data)
    return start[:10]
