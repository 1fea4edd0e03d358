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
#: (上旬, 月初, the beginning of) days 1-10, mid (中旬, 月中) 11-20, late and the end (下旬,
#: 月底, 月末, the end of) 21 to the last day, as the Chinese 旬 divide a month.
MONTH_PARTS: dict[str, tuple[int, int | None]] = {
    "early": (1, 11),
    "mid": (11, 21),
    "late": (21, None),
}
#: Parts of a year as (first month, number of months): early (年初, the beginning of) the
#: first quarter, mid (年中) May to August around 1 July, late (late 2024) the fourth
#: quarter, the end (年底, 年末, the end of 2024) December, as Chinese news uses 年底.
YEAR_PARTS: dict[str, tuple[int, int]] = {
    "early": (1, 3),
    "mid": (5, 4),
    "late": (10, 3),
    "end": (12, 1),
}


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


#: Seasons as TIMEX3 writes them (SP, SU, FA, WI) and their months in the northern
#: hemisphere (meteorological): (first month, number of months); winter runs into the next
#: year (2024-WI is December 2024 to February 2025).
SEASONS: dict[str, tuple[int, int]] = {"SP": (3, 3), "SU": (6, 3), "FA": (9, 3), "WI": (12, 3)}


def iso_week(year: int, number: int) -> When:
    """Return ISO 8601 week ``number`` of ``year`` (Monday to Sunday, approximate).
    Raises ValueError for a week the year does not have."""
    try:
        first = datetime.date.fromisocalendar(year, number, 1)
    except ValueError:
        raise ValueError(f"{year} has no week {number}") from None
    return When(first, first + 7 * DAY, "day", True)


def week_of(date: datetime.date) -> When:
    """Return the ISO week (Monday to Sunday, approximate) that holds ``date``."""
    first = monday(date)
    return When(first, first + 7 * DAY, "day", True)


def week_of_month(year: int, month: int, number: int, first_week: str = "iso") -> When:
    """Return week ``number`` of a month (-1: the last), weeks running Monday to Sunday.
    ``first_week`` ``iso`` counts them as ISO 8601 counts a year's (the first is the one
    holding the 4th, the last the one holding the month's last Thursday), as English
    speakers do; ``monday`` from the first Monday of the month (the last: the one of its
    last Monday), as Chinese ones do (本月第2周). Raises ValueError for a week the month
    lacks."""
    start = first_of(year, month)
    end = start + relativedelta(months=1) - DAY
    if number == -1:
        if first_week == "monday":
            return week_of(end - end.weekday() * DAY)
        return week_of(end - ((end.weekday() - 3) % 7) * DAY)
    first = monday(start.replace(day=4))
    if first_week == "monday":
        first = start + ((7 - start.weekday()) % 7) * DAY
    week = first + (number - 1) * 7 * DAY
    held = week if first_week == "monday" else week + 3 * DAY
    if not 1 <= number <= 5 or held.month != month:
        raise ValueError(f"{start:%Y-%m} has no week {number}")
    return When(week, week + 7 * DAY, "day", True)


def nth_weekday(year: int, month: int, weekday: int, number: int) -> datetime.date:
    """Return the ``number``-th (1..5, or -1 for the last) weekday ``weekday`` (ISO 1..7) of
    a month: the third Tuesday of September 2014 is 2014-09-16. Raises ValueError when the
    month has no such day."""
    start = first_of(year, month)
    if number == -1:
        last = start + relativedelta(months=1) - DAY
        return last - ((last.isoweekday() - weekday) % 7) * DAY
    first = start + ((weekday - start.isoweekday()) % 7) * DAY
    found = first + (number - 1) * 7 * DAY
    if not 1 <= number <= 5 or found.month != month:
        raise ValueError(f"{start:%Y-%m} has no weekday {WEEKDAYS[weekday - 1]} number {number}")
    return found


def season(year: int, code: str) -> When:
    """Return the months of season ``code`` (a key of SEASONS) of ``year``: precision
    ``month``, approximate."""
    first, count = SEASONS[code]
    return months(year, first, count, approximate=True)


def years(first: int, count: int, *, approximate: bool = True) -> When:
    """Return ``count`` calendar years from ``first`` (a decade, a century): precision
    ``year``. Raises ValueError out of range."""
    start = year(first).start
    return When(start, year(first + count - 1).end, "year", approximate)


def part_of_week(week: When, part: str) -> When:
    """Return a part of a week (Monday to Sunday): early Monday to Wednesday, mid Tuesday
    to Thursday, late Thursday to Sunday (the end of the week); precision ``day``,
    approximate."""
    first = week.start
    assert isinstance(first, datetime.date)
    start, count = {"early": (0, 3), "mid": (1, 3), "late": (3, 4)}[part]
    return When(first + start * DAY, first + (start + count) * DAY, "day", True)


def thirds(span: When, part: str) -> When:
    """Return the first, middle or last third (``part`` early, mid, late) of a span of
    whole months or years (a quarter: its months; a decade: 1990-1993, 1994-1996,
    1997-1999), approximate and of the span's precision."""
    start, end = span.start, span.end
    assert isinstance(start, datetime.date) and isinstance(end, datetime.date)
    if span.precision == "year":
        total = end.year - start.year
        size = round(total * 0.4) if total >= 10 else max(total // 3, 1)
        first, last = {
            "early": (start.year, start.year + size),
            "mid": (start.year + size, end.year - size + (1 if total >= 10 else 0)),
            "late": (end.year - size + (1 if total >= 10 else 0), end.year),
        }[part]
        return When(datetime.date(first, 1, 1), datetime.date(last, 1, 1), "year", True)
    total = (end.year - start.year) * 12 + end.month - start.month
    size = max(total // 3, 1)
    offsets = {"early": (0, size), "mid": (size, total - size), "late": (total - size, total)}
    a, b = offsets[part]
    return When(start + relativedelta(months=a), start + relativedelta(months=b), "month", True)
