"""Recurring events (RFC 5545 §3.8.5): the forms the API takes RRULE, RDATE, EXDATE and
RECURRENCE-ID in, their checks, and their occurrences by python-dateutil's rrule."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator, Sequence
from typing import Any

import icalendar
from dateutil import rrule
from pydantic import TypeAdapter, ValidationError

#: The most occurrences a rule may have in the year from its start: a rule past it
#: (``FREQ=MINUTELY``, ``FREQ=HOURLY``) is refused, so that no listing window expands
#: more than this many occurrences of one event per year it covers.
MAX_PER_YEAR = 1000
#: The most occurrences of one event that an API answer lists (``occurrences``).
MAX_LISTED = 50
#: The most RDATE or EXDATE values of one event.
MAX_DATES = 1000
STATUSES = ("confirmed", "tentative", "cancelled")
_YEAR = dt.timedelta(days=366)
_RECUR = re.compile(r"[A-Z0-9=;,:+-]+")
_DURATION = re.compile(r"[+-]?P(?:\d+W|(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?)")
#: Reads and writes ISO 8601 durations (``PT2H``).
DURATION = TypeAdapter(dt.timedelta)

#: A value of RDATE, EXDATE or RECURRENCE-ID: a date (all-day events), an aware
#: datetime, or (RDATE of timed events only) a period: its start and its end or duration.
Value = dt.date | dt.datetime | tuple[dt.datetime, dt.datetime | dt.timedelta]


class RecurrenceError(ValueError):
    """A recurrence value the API refuses; the message says why."""


def _moment(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise RecurrenceError(f"{text!r} is not an RFC 3339 date-time") from None
    if moment.tzinfo is None or "T" not in text:
        raise RecurrenceError(f"{text!r} needs a UTC offset (2025-01-05T10:00:00+01:00)")
    return moment


def _duration(text: str) -> dt.timedelta:
    """An RFC 5545 §3.3.6 dur-value (a subset of ISO 8601 durations, which pydantic reads:
    no years or months)."""
    try:
        if not _DURATION.fullmatch(text):
            raise ValueError(text)
        duration = DURATION.validate_python(text)
    except (ValueError, ValidationError):
        raise RecurrenceError(f"{text!r} is not a duration (RFC 5545 §3.3.6, PT2H)") from None
    if duration <= dt.timedelta(0):
        raise RecurrenceError(f"{text!r} is not a positive duration")
    return duration


def parse_value(text: str, *, all_day: bool, period: bool = False) -> Value:
    """Read one RDATE, EXDATE or RECURRENCE-ID value as the API gives it: for an all-day
    event a date ``YYYY-MM-DD``; for a timed one an RFC 3339 date-time with its offset,
    or with ``period`` (RDATE) also ``<start>/<end>`` or ``<start>/<duration>`` (RFC
    5545 §3.3.9 PERIOD, the duration as §3.3.6: ``PT2H``). Raises RecurrenceError."""
    if all_day:
        day = None
        if len(text) == 10:
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                day = None
        if day is None:
            raise RecurrenceError(f"{text!r} is not a date (YYYY-MM-DD): the event is all-day")
        return day
    first, slash, second = text.partition("/")
    start = _moment(first)
    if not slash:
        return start
    if not period:
        raise RecurrenceError(f"{text!r}: only RDATE takes periods")
    if second.startswith(("P", "+P")):
        return start, _duration(second)
    end = _moment(second)
    if end <= start:
        raise RecurrenceError(f"{text!r}: the period ends before it starts")
    return start, end


def _rule_start(start: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(start, dt.datetime):
        return start
    return dt.datetime(start.year, start.month, start.day)


def parse_rule(text: str, start: dt.date | dt.datetime) -> rrule.rrule:
    """Return the dateutil rule of the RECUR value ``text`` (RFC 5545 §3.3.10, without
    ``RRULE:``) from ``start`` (DTSTART: a date, or an aware datetime). Raises
    RecurrenceError when icalendar or dateutil cannot read it, or when it has more than
    :data:`MAX_PER_YEAR` occurrences in the year from ``start``."""
    if not _RECUR.fullmatch(text):
        raise RecurrenceError(
            f"{text!r} is not an RFC 5545 RECUR value: only A-Z, 0-9 and =;,:+- "
            "(FREQ=WEEKLY;COUNT=4)"
        )
    try:
        icalendar.vRecur.from_ical(text)
        rule = rrule.rrulestr(f"RRULE:{text}", dtstart=_rule_start(start))
    except (ValueError, TypeError) as error:
        raise RecurrenceError(f"{text!r} is not an RFC 5545 RECUR value: {error}") from None
    if not isinstance(rule, rrule.rrule):
        raise RecurrenceError(f"{text!r} is not one RECUR value")
    first = _rule_start(start)
    try:
        within = itertools.takewhile(lambda at: at < first + _YEAR, rule)
        count = sum(1 for _ in itertools.islice(within, MAX_PER_YEAR + 1))
    except (ValueError, TypeError) as error:  # UNTIL of another kind than DTSTART
        raise RecurrenceError(f"{text!r} cannot be expanded from the start: {error}") from None
    if count > MAX_PER_YEAR:
        raise RecurrenceError(
            f"{text!r} has more than {MAX_PER_YEAR} occurrences in a year (the limit)"
        )
    return rule


def check_recurrence(body: dict[str, Any], start: Any, all_day: bool) -> list[tuple[str, str]]:
    """Check the recurrence members of an event body (``status``, ``rrule``, ``rdate``,
    ``exdate``, ``recurrence_of``, ``recurrence_id``) against its resolved ``start`` and
    ``all_day``; return ``(pointer, detail)`` for each error (JSON Pointers, RFC 6901)."""
    errors: list[tuple[str, str]] = []
    text = body.get("rrule")
    if isinstance(text, str):
        try:
            parse_rule(text, start)
        except RecurrenceError as error:
            errors.append(("/rrule", str(error)))
    for name in ("rdate", "exdate"):
        values = body.get(name)
        for n, value in enumerate(values if isinstance(values, list) else []):
            try:
                parse_value(value, all_day=all_day, period=name == "rdate")
            except RecurrenceError as error:
                errors.append((f"/{name}/{n}", str(error)))
    rid = body.get("recurrence_id")
    if isinstance(rid, str):
        try:
            parse_value(rid, all_day=all_day)
        except RecurrenceError as error:
            errors.append(("/recurrence_id", str(error)))
    if (body.get("recurrence_of") is None) != (rid is None):
        errors.append(("/recurrence_id", "recurrence_of and recurrence_id go together"))
    elif rid is not None and (text is not None or body.get("rdate")):
        errors.append(("/rrule", "an overridden instance cannot recur itself"))
    return errors


def occurrences(
    start: dt.date | dt.datetime,
    rule: str | None,
    rdate: Sequence[str],
    exdate: Sequence[str],
    *,
    until: dt.datetime,
) -> Iterator[dt.date | dt.datetime]:
    """Yield the starts of the occurrences of a recurring event before ``until`` (aware):
    DTSTART, the rule's, the RDATEs' (a period's start), less the EXDATEs (RFC 5545
    §3.8.5.3), in order; dates for an all-day event, aware datetimes otherwise."""
    all_day = not isinstance(start, dt.datetime)
    rules = rrule.rruleset()
    rules.rdate(_rule_start(start))
    if rule:
        rules.rrule(parse_rule(rule, start))
    for text in rdate:
        value = parse_value(text, all_day=all_day, period=True)
        rules.rdate(_rule_start(value[0] if isinstance(value, tuple) else value))
    for text in exdate:
        value = parse_value(text, all_day=all_day)
        assert not isinstance(value, tuple)
        rules.exdate(_rule_start(value))
    limit = until.replace(tzinfo=None) if all_day else until
    for at in rules:
        if at >= limit:
            return
        yield at.date() if all_day else at
