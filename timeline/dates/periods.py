"""Calendar spans for dates read from text: days, ISO weeks, months, parts and offsets."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from dateutil.relativedelta import relativedelta

Precision = Literal["year", "month", "day", "datetime"]

DAY = datetime.timedelta(days=1)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: Parts of a month as (first day, first day after) with None for the month's end: early
#: (上旬, 月初, the beginning of) days 1-10, mid (中旬, 月中) 11-20, late (下旬, 月底, 月末,
#: the end of) 21 to the last day, as the Chinese 旬 divide a month.
MONTH_PARTS: dict[str, tuple[int, int | None]] = {
    "early": (1, 11),
    "mid": (11, 21),
    "late": (21, None),
}
#: Parts of a year as (first month, number of months): early (年初, the beginning of) the
#: first quarter, mid (年中) May to August around 1 July, late (年底, 年末, the end of) the
#: fourth quarter.
YEAR_PARTS: dict[str, tuple[int, int]] = {"early": (1, 3), "mid": (5, 4), "late": (10, 3)}


@dataclass(frozen=True)
class When:
    """A span of time read from text.

    For precisions ``year``, ``month`` and ``day``, ``start`` and ``end`` are
    ``datetime.date`` values and ``end`` is exclusive, as DTEND of an all-day event
    (RFC 5545 §3.8.2.2): the day after the last day, the first of the next month, or
    1 January of the next year. For precision ``datetime``, ``start`` is a timezone-aware
    ``datetime.datetime`` and ``end`` is None.

    ``approximate`` is True when the text places the event somewhere inside the span
    rather than over all of it (last week, 2月中旬, Q1 2025): the span's bounds are exact,
    the day (or month) of the event within them is not known.
    """

    start: datetime.date | datetime.datetime
    end: datetime.date | datetime.datetime | None
    precision: Precision
    approximate: bool = False


def day(date: datetime.date, *, approximate: bool = False) -> When:
    """Return the single day ``date`` (end exclusive, the next day)."""
    return When(date, date + DAY, "day", approximate)


def monday(reference: datetime.date, weeks: int = 0) -> datetime.date:
    """Return the Monday of the ISO week of ``reference``, moved by ``weeks`` weeks."""
    return reference - reference.weekday() * DAY + datetime.timedelta(weeks=weeks)


def week(reference: datetime.date, weeks: int = 0) -> When:
    """Return Monday to Sunday of the ISO week ``weeks`` weeks from that of ``reference``:
    seven days of precision ``day``, approximate (the day within the week is unknown)."""
    first = monday(reference, weeks)
    return When(first, first + 7 * DAY, "day", True)


def weekday(reference: datetime.date, number: int, weeks: int = 0) -> When:
    """Return the day ``number`` (ISO: 1 Monday .. 7 Sunday) of the ISO week ``weeks``
    weeks from that of ``reference``. Raises ValueError for a number outside 1..7."""
    if not 1 <= number <= 7:
        raise ValueError(f"weekday {number} is out of range")
    return day(monday(reference, weeks) + (number - 1) * DAY)


def months(year: int, month: int, count: int = 1, *, approximate: bool = False) -> When:
    """Return ``count`` months from ``month`` of ``year`` (precision ``month``, end the first
    day of the month after). Raises ValueError for a month or year out of range."""
    start = first_of(year, month)
    return When(start, start + relativedelta(months=count), "month", approximate)


def year(number: int) -> When:
    """Return the calendar year ``number`` (precision ``year``). Raises ValueError out of
    range 1..9998 (the end, 1 January of the next year, must exist)."""
    if not 1 <= number < datetime.MAXYEAR:
        raise ValueError(f"year {number} is out of range")
    return When(datetime.date(number, 1, 1), datetime.date(number + 1, 1, 1), "year")


def first_of(year: int, month: int) -> datetime.date:
    """Return the first day of a month, saying which field is out of range (ValueError)."""
    if not 1 <= year < datetime.MAXYEAR:
        raise ValueError(f"year {year} is out of range")
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is out of range")
    return datetime.date(year, month, 1)


def month_offset(reference: datetime.date, count: int) -> When:
    """Return the month ``count`` months from that of ``reference`` (negative: before)."""
    start = reference.replace(day=1) + relativedelta(months=count)
    return months(start.year, start.month)


def part_of_month(year: int, month: int, part: str) -> When:
    """Return the days of ``part`` (a key of MONTH_PARTS) of a month: precision ``day``,
    approximate. Raises ValueError for a month or year out of range."""
    first, after = MONTH_PARTS[part]
    start = first_of(year, month)
    end = start + relativedelta(months=1) if after is None else start.replace(day=after)
    return When(start.replace(day=first), end, "day", True)


def part_of_year(year: int, first_month: int, count: int) -> When:
    """Return ``count`` months of ``year`` from ``first_month`` (a half, quarter or a key
    of YEAR_PARTS): precision ``month``, approximate."""
    return months(year, first_month, count, approximate=True)


def nearest(reference: datetime.date, span: Callable[[int], When]) -> When:
    """Return ``span(y)`` for the year y (reference's, the one before or after) whose span
    lies nearest ``reference``; ties go to the earlier. Used for text that gives no year."""

    def distance(when: When) -> tuple[int, datetime.date]:
        start, end = when.start, when.end
        assert not isinstance(start, datetime.datetime) and isinstance(end, datetime.date)
        return max((start - reference).days, (reference - end).days + 1, 0), start

    candidates = []
    for candidate in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidates.append(span(candidate))
        except ValueError:
            continue
    if not candidates:
        return span(reference.year)
    return min(candidates, key=distance)


def offset(reference: datetime.date, count: int, unit: str, sign: int) -> When:
    """Return the span ``count`` ``unit`` s (day, week, month or year) from ``reference``,
    before it if ``sign`` is -1: three days ago is that day; three weeks ago the day 21
    days before, approximate (a count of weeks is seldom meant to the day); three months
    ago the month reached (precision ``month``); three years ago the year (``year``).
    Raises ValueError or OverflowError out of range."""
    if unit == "day":
        return day(reference + sign * count * DAY)
    if unit == "week":
        return day(reference + sign * count * 7 * DAY, approximate=True)
    if unit == "month":
        return month_offset(reference, sign * count)
    return year(reference.year + sign * count)


def day_month(a: int, b: int, year: str) -> tuple[int, int, int]:
    """Return (year, month, day) of a numeric date written a/b/year (3/4/2025, 31.10.1974)
    in either order: a reading is taken only when one of a and b cannot be a month or both
    are the same. Raises ValueError naming both readings when it would be a guess."""
    if len(year) != 4:
        raise ValueError("write the year with four digits")
    if a == b or a <= 12 < b:
        return int(year), a, b
    if b <= 12 < a:
        return int(year), b, a
    if a > 12:
        raise ValueError(f"neither {a} nor {b} can be a month")
    raise ValueError(
        f"{a}/{b}/{year} is ambiguous: {year}-{b:02d}-{a:02d} (day first) or "
        f"{year}-{a:02d}-{b:02d} (month first); write it as YYYY-MM-DD"
    )


def check_weekday(when: When, number: int) -> None:
    """Check that the single day of ``when`` is the weekday ``number`` (ISO 1..7); raise
    ValueError naming both when it is not, or when ``when`` is not a single day."""
    start = when.start
    if isinstance(start, datetime.datetime):
        start = start.date()
    elif when.precision != "day" or when.end != start + DAY:
        raise ValueError(f"a weekday ({WEEKDAYS[number - 1]}) goes with a single day")
    if start.isoweekday() != number:
        actual, named = WEEKDAYS[start.isoweekday() - 1], WEEKDAYS[number - 1]
        raise ValueError(f"{start.isoformat()} is a {actual}, not a {named}")
