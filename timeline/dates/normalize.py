"""Read one date expression (the API's ``when``, a draft's date as written) as a calendar
span: the case of :func:`timeline.dates.scan.scan` where one expression fills the text,
read by the same grammar and the same rules (see :mod:`timeline.dates.frames`)."""

import datetime
import re
import unicodedata
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from timeline.dates import frames
from timeline.dates.grammar import load
from timeline.dates.matcher import Match
from timeline.dates.periods import Precision, When

__all__ = ["FORMS", "MAX_LENGTH", "Precision", "When", "WhenError", "parse_when"]

MAX_LENGTH = 200
#: What an error about an unreadable form says this module reads.
FORMS = (
    "it reads dates (2025-02-17, Feb 17 2025, 17 February, 2月17日, 二〇二五年三月三日), "
    "ranges (Feb 9-10, 2月9日至10日), months and years (March 2025, 去年12月, Q1 2025, "
    "2025年上半年), relative days and weeks (yesterday, 昨天, last Tuesday, 上周二, next week), "
    "parts (early March, 2月中旬, 年底) and offsets (3 days ago, 三个月前)"
)
# A preposition before a date (on Monday, in March, 在3月) that the expression does not need.
_PREPOSITION = re.compile(r"(?:on|at|in|during|from)\s+(?=\S)|[在于]\s*", re.IGNORECASE)


class WhenError(ValueError):
    """Raised for impossible or unparseable date text; the message quotes the input."""


class _UnknownFormError(ValueError):
    """Text that is none of the forms read; the message then lists them (FORMS)."""


def parse_when(text: str, *, reference: datetime.date, tz: str | None = None) -> When:
    """Read the date, day range, month, year or moment that ``text`` names.

    ``text`` is one expression of the grammar of :mod:`timeline.dates.grammar` filling
    the whole text, in any of its forms: ISO 8601 (``2025-02-17``, ``2025-02``, ``2025``,
    ``2025-02-17T09:30+08:00``), ``2025/2/17``, English (``Feb 17, 2025``, ``17 February
    2025``, ``Dec 2024``, ``Feb 9-10, 2025``, ``the 15th``, ``last Tuesday``, ``early
    March``, ``Q1 2025``, ``3 days ago``, ``the first Monday of October``) or Chinese
    (``2025年2月9日``, ``去年12月``, ``二月十七日``, ``2月9日至10日``, ``2月9日，为期两天``,
    ``昨天``, ``上周二``, ``下个月20号``, ``2月中旬``, ``年底``, ``三个月前``), with
    full-width characters, traditional characters, Chinese numerals and stray spaces
    allowed, and a leading preposition (on, in, 在) left out. Relative text counts from
    ``reference`` by the rules of :mod:`timeline.dates.frames`; an expression counted from
    another date (次日, the next day, 两天后) counts from ``reference`` here.

    A time of day gives precision ``datetime``: an aware start in the text's own offset
    (``+08:00``, ``Z``, ``UTC+8``, ``北京时间``) or else in the IANA zone ``tz``. A wall time
    repeated by a DST change means its first occurrence (fold=0).

    Raises WhenError, whose message quotes ``text``, for text longer than MAX_LENGTH, text
    that is not one expression of these forms (the message then lists them: FORMS), a
    vague expression (几天后, a few weeks ago, 近日), day and month in an order that cannot
    be told, a weekday that contradicts the date, impossible dates, ranges that end before
    they start, a time of day with neither an offset nor ``tz``, a wall time skipped by a
    DST change, and an unknown ``tz``.
    """
    try:
        if len(text) > MAX_LENGTH:
            raise ValueError(f"longer than {MAX_LENGTH} characters")
        zone = _zone(tz)
        if isinstance(reference, datetime.datetime):
            reference = reference.date()
        clean = unicodedata.normalize("NFKC", text).strip()
        if not clean:
            raise ValueError("no text")
        return _read(clean, reference, zone)
    except (ValueError, OverflowError) as error:
        shown = text if len(text) <= MAX_LENGTH else text[:40] + "…"
        hint = f"; {FORMS}" if isinstance(error, _UnknownFormError) else ""
        raise WhenError(f"cannot read a date in {shown!r}: {error}{hint}") from error


def _whole(text: str) -> Match | None:
    """Return the one match of the grammar that fills ``text``, or None."""
    found = list(load().matches(text))
    if len(found) == 1 and (found[0].start, found[0].end) == (0, len(text)):
        return found[0]
    return None


def _read(clean: str, reference: datetime.date, zone: ZoneInfo | None) -> When:
    match = _whole(clean)
    if match is None and (preposition := _PREPOSITION.match(clean)) is not None:
        match = _whole(clean[preposition.end() :])
    if match is None or match.rule.refuse is not None:
        raise _UnknownFormError("not a date form this module can read")
    reading = frames.read(match, load(), reference)
    if reading.flag is not None:
        raise ValueError(reading.flag)
    if reading.event is not None:
        raise ValueError(f"it counts from the {reading.event}, whose date it does not give")
    if reading.when is None:
        raise ValueError(f"it names no calendar date ({reading.value or 'unresolved'})")
    if reading.clock is None:
        return reading.when
    assert isinstance(reading.when.start, datetime.date)
    moment = datetime.datetime.combine(reading.when.start, reading.clock)
    return When(_localize(moment, reading.zone or zone), None, "datetime")


def _zone(tz: str | None) -> ZoneInfo | None:
    if tz is None:
        return None
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise ValueError(f"unknown time zone {tz!r}") from error


def _localize(naive: datetime.datetime, zone: datetime.tzinfo | None) -> datetime.datetime:
    """Attach zone to a wall time; fold=0 picks the first of two repeated wall times."""
    if zone is None:
        raise ValueError("a time of day needs a UTC offset in the text or a tz")
    aware = naive.replace(tzinfo=zone)
    # A wall time skipped by a DST change does not survive a round trip through UTC.
    if aware.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise ValueError(f"{naive:%Y-%m-%d %H:%M} does not exist in {zone}")
    return aware
