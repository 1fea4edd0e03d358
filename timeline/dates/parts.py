"""Parts and lengths of a span: early, mid and late (上旬, 年底), halves (上半月), the first
or last units (前五个月, the last 3 weeks of this year), a weekend, the week of a day, and
a length in days (为期两天); see :mod:`timeline.dates.frames` for the rules of reading."""

from __future__ import annotations

import datetime
from dataclasses import replace
from typing import Any

from dateutil.relativedelta import relativedelta

from timeline.dates import periods, timex
from timeline.dates.periods import DAY, When
from timeline.dates.points import Point

_PARTS = {"early": "START", "mid": "MID", "late": "END", "end": "END"}


def modified(point: Point, frame: dict[str, Any], reference: datetime.date) -> Point:
    """Apply the slots' part (early, 年底, weekend, earlier or later than ``reference``),
    the first or last units (前五个月), the week of a day, and a length (为期两天) to
    ``point``. Raises ValueError for a part the span does not have."""
    part = frame.get("part")
    if part in _PARTS:
        return _part(point, part)
    if part == "weekend":
        if point.grain != "week":
            raise ValueError("a weekend goes with a week")
        start = point.when.start
        assert isinstance(start, datetime.date)
        weekend = When(start + 5 * DAY, start + 7 * DAY, "day", True)
        return Point(weekend, point.value + "-WE", "weekend")
    if part == "earlier" and point.grain == "month":
        # Earlier this month: the month, approximate (news says it of any day before the
        # reference, even in the weeks before; later this month is the days after it).
        return replace(point, when=replace(point.when, approximate=True))
    if part in ("earlier", "later"):
        start, end = point.when.start, point.when.end
        assert isinstance(start, datetime.date) and isinstance(end, datetime.date)
        if part == "earlier":
            end = min(end, max(reference, start + DAY))
        else:
            start = max(start, min(reference, end - DAY))
        return replace(
            point, when=When(start, end, "day" if point.grain != "year" else "month", True)
        )
    if "week_of" in frame:  # the week of April 10th
        start = point.when.start
        assert isinstance(start, datetime.date)
        week = periods.week_of(start)
        return Point(week, timex.week(start), "week")
    if "edge" in frame and "head" not in frame:  # 上半月, 下半周: a half
        return _half(point, int(frame["edge"]))
    if "head" in frame:
        count = int(frame["head"]) * int(frame.get("edge", 1))
        return _head(point, count, str(frame.get("unit", "day")))
    if frame.get("span") == "lasting":
        return _lasting(point, int(frame["count"]))
    return point


def _part(point: Point, part: str) -> Point:
    grain, when = point.grain, point.when
    assert isinstance(when.start, datetime.date)
    # The end of a year is December (年底); of anything else, as its late part.
    third = "late" if part == "end" else part
    if grain == "year":
        span = periods.part_of_year(when.start.year, *periods.YEAR_PARTS[part])
    elif grain == "month":
        span = periods.part_of_month(when.start.year, when.start.month, third)
    elif grain == "week":
        span = periods.part_of_week(when, third)
    elif grain in ("quarter", "half", "season", "decade", "century"):
        span = periods.thirds(when, third)
    else:
        raise ValueError(f"a part ({part}) of a {grain} is not read")
    return Point(span, point.value, grain, _PARTS[part])


def _head(point: Point, count: int, unit: str) -> Point:
    """The first ``count`` units of a span (the last ones when negative): 前五个月, the
    last 3 weeks of this year."""
    start, end = point.when.start, point.when.end
    assert isinstance(start, datetime.date) and isinstance(end, datetime.date)
    if count == 0 or abs(count) > 400:
        raise ValueError(f"{count} {unit}s is out of range")
    precision: periods.Precision = "day"
    if unit == "week":
        first = periods.monday(start + 3 * DAY)
        last = periods.monday(end - DAY - 3 * DAY) + 7 * DAY
        span = (first, first + count * 7 * DAY) if count > 0 else (last + count * 7 * DAY, last)
    elif unit in ("month", "quarter"):
        months = count * (3 if unit == "quarter" else 1)
        step = relativedelta(months=months)
        span = (start, start + step) if count > 0 else (end + step, end)
        precision = "month"
    else:
        span = (start, start + count * DAY) if count > 0 else (end + count * DAY, end)
    if span[0] < start or span[1] > end:
        raise ValueError(f"the {unit}s counted do not fit in {point.value}")
    value = timex.interval(*_values(span[0], span[1], precision))
    return Point(When(span[0], span[1], precision), value, "range")


def _half(point: Point, edge: int) -> Point:
    """The first (``edge`` 1) or second half of a month (days 1-15, 16 to the end) or a
    week (Monday to Wednesday, Thursday to Sunday)."""
    start, end = point.when.start, point.when.end
    assert isinstance(start, datetime.date) and isinstance(end, datetime.date)
    cut = start + (3 if point.grain == "week" else 15) * DAY
    first, after = (start, cut) if edge > 0 else (cut, end)
    value = timex.interval(timex.day(first), timex.day(after - DAY))
    return Point(When(first, after, "day", True), value, "range")


def _values(start: datetime.date, end: datetime.date, precision: str) -> tuple[str, str]:
    last = end - DAY
    if precision == "month":
        return timex.month(start.year, start.month), timex.month(last.year, last.month)
    return timex.day(start), timex.day(last)


def _lasting(point: Point, days: int) -> Point:
    """Stretch a single day to ``days`` days (为期两天: two days from it)."""
    when = point.when
    if when.precision != "day" or when.end != when.start + DAY:
        raise ValueError("a length in days needs a single first day")
    if not 1 <= days <= 366:
        raise ValueError(f"a length of {days} days is out of range")
    assert isinstance(when.start, datetime.date)
    last = when.start + (days - 1) * DAY
    value = point.value if days == 1 else timex.interval(point.value, timex.day(last))
    return Point(When(when.start, last + DAY, "day"), value, "range")
