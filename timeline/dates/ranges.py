"""Ranges: two dates joined (Feb 9-10, 2025; 2月9日至10日; Dec 30 - Jan 2), each end taking
from the other what it leaves out, read into one span from the first day of the start to
the last of the end (see :mod:`timeline.dates.frames` for the rules of reading)."""

from __future__ import annotations

import datetime
from dataclasses import replace
from typing import Any

from timeline.dates import timex
from timeline.dates.periods import DAY, When
from timeline.dates.points import Point
from timeline.dates.reader import PointReader


def is_range(frame: dict[str, Any]) -> bool:
    """Whether the slots hold a second date (``month2``, ``day2``...): a range."""
    return any(k.endswith("2") for k in frame)


def read_range(frame: dict[str, Any], reader: PointReader) -> Point:
    """Read a range: its end takes the year (and month) its start gives, and the other
    way round (Feb 9-10, 2025; 9-10 February; 2月9日至10日); without any year, the range is
    placed nearest the reference, crossing New Year when its end month comes before its
    start month (Dec 30 - Jan 2). Raises ValueError for a range that ends before it starts."""
    first = {k: v for k, v in frame.items() if not k.endswith("2")}
    last = {k[:-1]: v for k, v in frame.items() if k.endswith("2")}
    years = ("year", "yy", "year_shift")
    months = ("month", "month_shift")
    yearless = not any(k in first or k in last for k in years)
    if "yy" in last and "year" in first:  # 1957-58: the end's century is the start's
        year = int(first["year"]) // 100 * 100 + int(last.pop("yy"))
        last["year"] = year + 100 if year < int(first["year"]) else year
        if last["year"] != int(first["year"]) + 1:
            raise ValueError(f"{first['year']}/{last['year'] % 100:02d} is not a year and the next")
    if not any(k in last for k in years):
        last |= {k: first[k] for k in years if k in first}
    if not any(k in first for k in years):
        first |= {k: last[k] for k in years if k in last}
    if "day" in last and not any(k in last for k in months):
        last |= {k: first[k] for k in months if k in first}
    if "day" in first and not any(k in first for k in months):
        first |= {k: last[k] for k in months if k in last}
    if yearless and "month" in first and "month" in last:
        start, end = _nearest_range(first, last, reader)
    elif yearless and "day" in first and "month" not in first and "day" in last:
        start = reader.with_frame(first).point()
        assert isinstance(start.when.start, datetime.date)
        held = start.when.start
        end = reader.with_frame(last | {"year": held.year, "month": held.month}).point()
    else:
        start, end = reader.with_frame(first).point(), reader.with_frame(last).point()
    return _joined(start, end)


def _nearest_range(
    first: dict[str, Any], last: dict[str, Any], reader: PointReader
) -> tuple[Point, Point]:
    reference = reader.reference
    found: list[tuple[int, Point, Point]] = []
    error: ValueError | None = None
    for year in range(reference.year - 1, reference.year + 2):
        after = year + (1 if int(last["month"]) < int(first["month"]) else 0)
        try:
            start = reader.with_frame(first | {"year": year}).point()
            end = reader.with_frame(last | {"year": after}).point()
        except ValueError as problem:
            error = error or problem
            continue
        begin, stop = start.when.start, end.when.end
        assert isinstance(begin, datetime.date) and isinstance(stop, datetime.date)
        distance = max((begin - reference).days, (reference - stop).days + 1, 0)
        found.append((distance, start, end))
    if not found:
        assert error is not None
        raise error
    _, start, end = min(found, key=lambda f: (f[0], f[1].when.start))
    return start, end


def _joined(start: Point, end: Point) -> Point:
    assert isinstance(end.when.end, datetime.date) and isinstance(start.when.start, datetime.date)
    if end.when.end <= start.when.start or end.when.start < start.when.start:
        raise ValueError(
            f"the range ends on {_last(end.when)} before it starts on {start.when.start}"
        )
    precision = start.when.precision if start.when.precision == end.when.precision else "day"
    when = When(start.when.start, end.when.end, precision)
    if start.value == end.value:
        return replace(start, when=when, mod=None)
    return Point(when, timex.interval(start.value, end.value), "range")


def _last(when: When) -> datetime.date:
    assert isinstance(when.end, datetime.date)
    return when.end - DAY
