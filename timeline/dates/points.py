"""Spans one date expression names, with their TIMEX3 values: a day, week, month, quarter,
half, year or decade, a count of units from a day (三天前, the past 3 days), and the
helpers that place a date without a year (see :mod:`timeline.dates.reader`, which reads
the slots of an expression, and :mod:`timeline.dates.frames` for the rules of reading)."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta

from timeline.dates import periods, timex
from timeline.dates.periods import DAY, When


@dataclass(frozen=True)
class Point:
    """A span with its TIMEX3 value, its grain (day, week, month, quarter, half, season,
    year, decade, century, range) and the TIMEX3 mod of a part (START, MID, END)."""

    when: When
    value: str
    grain: str
    mod: str | None = None


def day_point(date: datetime.date, approximate: bool = False) -> Point:
    """The day ``date`` (approximate: somewhere around it, a count of weeks)."""
    return Point(periods.day(date, approximate=approximate), timex.day(date), "day")


def month_point(when: When) -> Point:
    """The month ``when`` (a span of month precision)."""
    start = when.start
    assert isinstance(start, datetime.date)
    return Point(when, timex.month(start.year, start.month), "month")


def week_point(when: When) -> Point:
    """The ISO week ``when`` (Monday to Sunday)."""
    assert isinstance(when.start, datetime.date)
    return Point(when, timex.week(when.start), "week")


def end_of(when: When) -> datetime.date:
    """The exclusive end of a span of dates."""
    end = when.end
    assert isinstance(end, datetime.date)
    return end


#: A date without a year that the tense puts on one side of the reference is still the
#: nearest one when it lies this close on the other side: news says "had targeted October
#: 23" a month before it, and a dispatch is printed days after the events it dates.
TENSE_SLACK = datetime.timedelta(days=60)


def nearest(
    reference: datetime.date, make: Callable[[int], Point], future: bool | None = None
) -> Point:
    """Return ``make(y)`` for the year y whose span lies nearest ``reference`` (ties go to
    the earlier): the year before, of or after the reference, else (29 February) among
    the eight years around it. With ``future`` False, the last span begun by the
    reference; True, the first one not over before it; either way the nearest when it
    lies within TENSE_SLACK of the reference (had targeted October 23, read on 30
    September: this October)."""
    found: list[Point] = []
    error: ValueError | None = None
    for years in ((-1, 0, 1), range(-8, 9)):
        for shift in years:
            try:
                found.append(make(reference.year + shift))
            except ValueError as problem:
                error = error or problem
        if found:
            break
    if not found:
        assert error is not None
        raise error

    def distance(point: Point) -> tuple[int, datetime.date]:
        start, end = point.when.start, point.when.end
        assert isinstance(start, datetime.date) and isinstance(end, datetime.date)
        return max((start - reference).days, (reference - end).days + 1, 0), start

    closest = min(found, key=distance)
    if distance(closest)[0] <= TENSE_SLACK.days:
        return closest
    if future is False and (begun := [p for p in found if p.when.start <= reference]):
        return max(begun, key=lambda p: p.when.start)
    if future and (ahead := [p for p in found if end_of(p.when) > reference]):
        return min(ahead, key=lambda p: p.when.start)
    return closest


def date(year: int, month: int, day: int) -> datetime.date:
    """Build a date, saying which field is out of range (ValueError)."""
    if not 1 <= year <= 9998:
        raise ValueError(f"year {year} is out of range")
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is out of range")
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"day {day} is out of range for {year:04d}-{month:02d}") from None


def offset(base: datetime.date, count: int, unit: str, sign: int, span: str | None) -> Point:
    """``count`` units (day, week, fortnight, month, quarter, halfyear, yearhalf, year,
    decade) before (``sign`` -1) or after ``base``: three days ago is that day; weeks the
    day counted, approximate; months and quarters the month reached; years the year. With
    ``span`` (past, next, within: the past 3 days, 前两天, 17天内) the days between it and
    the base, as a period. Raises ValueError for a span of units not read."""
    if unit in ("quarter", "decade") and span in ("past", "next"):
        return whole(base, count, unit, span)
    if unit == "fortnight":
        unit, count = "week", 2 * count
    if unit == "quarter":
        unit, count = "month", 3 * count
    if unit == "halfyear":  # 半年后
        unit, count = "month", 6 * count
    if unit == "yearhalf":  # 一年半后: a year and a half
        unit, count = "month", 12 * count + 6
    if span in ("past", "next", "within"):
        return stretch(base, count, unit, span)
    if unit == "day":
        return day_point(base + sign * count * DAY)
    if unit == "week":
        return day_point(base + sign * count * 7 * DAY, approximate=True)
    if unit == "month":
        return month_point(periods.month_offset(base, sign * count))
    if unit == "decade":
        unit, count = "year", 10 * count
    year = base.year + sign * count
    return Point(periods.year(year), timex.year(year), "year")


def stretch(base: datetime.date, count: int, unit: str, span: str) -> Point:
    """The past ``count`` units up to ``base`` (excluded), the next ones after it, or
    those from it (``within``: 17天内): a period, whose TIMEX3 value is its duration
    (P3D, the past 3 days), not a date. Raises ValueError for a unit not read."""
    steps = {"day": "D", "week": "W", "month": "M", "year": "Y", "decade": "Y"}
    if unit not in steps:
        raise ValueError(f"a span of {unit}s is not read")
    amount = 10 * count if unit == "decade" else count
    step = {
        "day": relativedelta(days=amount),
        "week": relativedelta(weeks=amount),
        "month": relativedelta(months=amount),
    }.get(unit, relativedelta(years=amount))
    if span == "past":
        start, end = base - step, base
    elif span == "within":
        start, end = base, base + step
    else:
        start, end = base + DAY, base + DAY + step
    return Point(When(start, end, "day", True), f"P{amount}{steps[unit]}", "period")


def whole(base: datetime.date, count: int, unit: str, span: str) -> Point:
    """The last (``span`` past) or next ``count`` whole quarters or decades (the last 2
    quarters: the two before the one holding ``base``), as a period."""
    if unit == "quarter":
        current = datetime.date(base.year, 3 * ((base.month - 1) // 3) + 1, 1)
        step = relativedelta(months=3)
        value = f"P{3 * count}M"
    else:
        current = datetime.date(base.year // 10 * 10, 1, 1)
        step = relativedelta(years=10)
        value = f"P{10 * count}Y"
    if span == "past":
        start, end = current - count * step, current
    else:
        start, end = current + step, current + (count + 1) * step
    return Point(When(start, end, "day", True), value, "period")


def quarter(frame: dict[str, Any], reference: datetime.date, year: int | None) -> Point:
    """The quarter of the slots (``quarter``, or ``quarter_shift`` from the one holding
    ``reference``), in ``year`` or the reference's. Raises ValueError past 1-4."""
    if "quarter_shift" in frame:
        index = (reference.year * 12 + reference.month - 1) // 3 + int(frame["quarter_shift"])
        year, number = divmod(index, 4)
        number += 1
    else:
        number = int(frame["quarter"])
        if not 1 <= number <= 4:
            raise ValueError(f"quarter {number} is out of range")
        year = year if year is not None else reference.year
    when = periods.part_of_year(year, 3 * number - 2, 3)
    return Point(when, timex.quarter(year, number), "quarter")


def half(frame: dict[str, Any], reference: datetime.date, year: int | None) -> Point:
    """The half year of the slots (``half``, or ``half_shift`` from the one holding
    ``reference``), in ``year`` or the reference's."""
    if "half_shift" in frame:
        index = reference.year * 2 + (reference.month - 1) // 6
        year, number = divmod(index + int(frame["half_shift"]), 2)
        number += 1
    else:
        number = int(frame["half"])
        year = year if year is not None else reference.year
    when = periods.part_of_year(year, 1 if number == 1 else 7, 6)
    return Point(when, timex.half(year, number), "half")


def decade(frame: dict[str, Any], reference: datetime.date) -> Point:
    """The decade of the slots: its first year, or its two digits (the 90s, 上世纪90年代)
    in the century given, shifted, or the last one begun by ``reference``. Raises
    ValueError for a year that does not begin a decade."""
    if "decade" in frame:
        first = int(frame["decade"])
    else:
        yy = int(frame["decade_yy"]) % 100
        if "century" in frame:
            first = (int(frame["century"]) - 1) * 100 + yy
        elif "century_shift" in frame:
            first = (reference.year // 100 + int(frame["century_shift"])) * 100 + yy
        else:
            first = reference.year // 100 * 100 + yy
            if first > reference.year:
                first -= 100
    if first % 10:
        raise ValueError(f"{first} does not begin a decade")
    return Point(periods.years(first, 10), timex.decade(first), "decade")


def either(
    a: int, b: int, year: int | None, weekday: int | None, reference: datetime.date
) -> Point:
    """Day and month in either order (3/4/2025, Friday 7/6): the reading that the numbers
    allow (one above 12), or the only one on the ISO ``weekday`` written beside them; a
    date without a year is the one nearest ``reference``. Raises ValueError when both
    readings stand, or none."""
    if year is not None and weekday is None:
        year, month, day = periods.day_month(a, b, str(year))
        return day_point(date(year, month, day))
    found: dict[datetime.date, Point] = {}
    for month, day in ((a, b), (b, a)):
        if not 1 <= month <= 12:
            continue
        try:
            if year is not None:
                point = day_point(date(year, month, day))
            else:
                point = nearest(reference, functools.partial(_on, month, day))
        except ValueError:
            continue
        start = point.when.start
        assert isinstance(start, datetime.date)
        if weekday is None or start.isoweekday() == weekday:
            found[start] = point
    if len(found) != 1:
        raise ValueError(f"{a}/{b} could be read in more than one order, or none")
    return next(iter(found.values()))


def _on(month: int, day: int, year: int) -> Point:
    return day_point(date(year, month, day))
