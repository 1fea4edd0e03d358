"""The span one date expression names, read from its slots: a day, week, month, quarter,
half, season, year, decade or century, counted from the reference where the text does
not say it all (see :mod:`timeline.dates.frames` for the rules of reading)."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta

from timeline.dates import holidays, periods, timex
from timeline.dates.periods import DAY, When

#: Two-digit years: the year in the century that puts it at most this many years after
#: the reference, else in the century before (08年 in 2017 is 2008, 33年 in 2021 1933).
YY_AHEAD = 10


@dataclass(frozen=True)
class Point:
    """A span with its TIMEX3 value, its grain (day, week, month, quarter, half, season,
    year, decade, century, range) and the TIMEX3 mod of a part (START, MID, END)."""

    when: When
    value: str
    grain: str
    mod: str | None = None


def _day(date: datetime.date, approximate: bool = False) -> Point:
    return Point(periods.day(date, approximate=approximate), timex.day(date), "day")


def _month(when: When) -> Point:
    start = when.start
    assert isinstance(start, datetime.date)
    return Point(when, timex.month(start.year, start.month), "month")


def _week(when: When) -> Point:
    assert isinstance(when.start, datetime.date)
    return Point(when, timex.week(when.start), "week")


def _on(month: int, day: int, year: int) -> Point:
    return _day(date(year, month, day))


def _end(when: When) -> datetime.date:
    end = when.end
    assert isinstance(end, datetime.date)
    return end


def _nearest_point(
    reference: datetime.date, make: Callable[[int], Point], future: bool | None = None
) -> Point:
    """Return ``make(y)`` for the year y whose span lies nearest ``reference`` (ties go to
    the earlier): the year before, of or after the reference, else (29 February) among
    the eight years around it. With ``future`` False, the last span begun by the
    reference; True, the first one not over before it."""
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

    if future is False and (begun := [p for p in found if p.when.start <= reference]):
        return max(begun, key=lambda p: p.when.start)
    if future and (ahead := [p for p in found if _end(p.when) > reference]):
        return min(ahead, key=lambda p: p.when.start)
    return min(found, key=distance)


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


class PointReader:
    """Reads the slots of one expression (not a range) against a reference day and a
    base day (the reference, or the date an anaphoric expression refers to)."""

    def __init__(
        self,
        frame: dict[str, Any],
        reference: datetime.date,
        base: datetime.date,
        future: bool | None = None,
    ) -> None:
        self.frame, self.reference, self.base, self.future = frame, reference, base, future
        self.tense_sensitive = False

    def with_frame(self, frame: dict[str, Any]) -> PointReader:
        """Return a reader of other slots with the same days and tense."""
        return PointReader(frame, self.reference, self.base, self.future)

    def year(self) -> int | None:
        """The year the text gives (2025, 08年, 去年), or None."""
        frame = self.frame
        if "year" in frame:
            return int(frame["year"])
        if "yy" in frame:
            yy = int(frame["yy"])
            if yy >= 100:
                return yy
            year = self.reference.year // 100 * 100 + yy
            return year if year <= self.reference.year + YY_AHEAD else year - 100
        if "year_shift" in frame:  # 去年; 次年 counts from the date it refers to
            return self.base.year + int(frame["year_shift"])
        if "era" in frame:  # 民国三年: the third year of the era that began in 1912
            return int(frame["era"]) + int(frame["era_year"]) - 1
        return None

    def point(self, after: datetime.date | None = None) -> Point:
        """Return the span of the slots; ``after``: a year-less date must fall after it
        (the end of a range). Raises ValueError for what cannot be a date."""
        f = self.frame
        year = self.year()
        if "lead" in f:
            return self._either(int(f["lead"]), int(f["trail"]), year)
        if "lunar" in f:
            return self._lunar(year)
        if "holiday" in f:
            return self._holiday(str(f["holiday"]), year, after)
        if "day_shift" in f and "count" in f:  # three weeks from tomorrow
            shifted = self.base + int(f["day_shift"]) * DAY
            moved = PointReader(
                {k: v for k, v in f.items() if k != "day_shift"}, self.reference, shifted
            )
            return moved.point()
        if "day_shift" in f:
            return _day(self.base + int(f["day_shift"]) * DAY)
        if "count" in f and "unit" in f and f.get("span") not in ("lasting",):
            return self._offset(int(f["count"]), str(f["unit"]), int(f.get("sign", -1)))
        if "weekday" in f:
            return self._weekday(int(f["weekday"]), year, after)
        if "weeknum" in f:
            return _week(periods.iso_week(year or self.reference.year, int(f["weeknum"])))
        if f.get("unit") == "week" and "nth" in f:
            held = self._month(year, after)
            assert isinstance(held.when.start, datetime.date)
            first = held.when.start
            if held.grain == "year":
                number = int(f["nth"])
                if number == -1:
                    number = datetime.date(first.year, 12, 28).isocalendar().week
                return _week(periods.iso_week(first.year, number))
            weeks = str(f.get("weeks", "iso"))
            return _week(periods.week_of_month(first.year, first.month, int(f["nth"]), weeks))
        if f.get("unit") == "month" and "nth" in f:
            return _month(periods.months(year or self.reference.year, int(f["nth"])))
        if f.get("unit") == "day" and "nth" in f:
            start = datetime.date(year or self.reference.year, 1, 1)
            return _day(start + (int(f["nth"]) - 1) * DAY)
        if "day" in f:
            return self._date(int(f["day"]), year, after)
        if "month" in f or "month_shift" in f:
            return self._month(year, after)
        if "week_shift" in f:
            return _week(periods.week(self.reference, int(f["week_shift"])))
        if "quarter" in f or "quarter_shift" in f:
            return self._quarter(year)
        if "half" in f or "half_shift" in f:
            return self._half(year)
        if "season" in f:
            return self._season(str(f["season"]), year)
        if "decade" in f or "decade_yy" in f:
            return self._decade()
        if "century" in f:
            hundreds = (int(f["century"]) - 1) * 100
            return Point(periods.years(max(hundreds, 1), 100), timex.century(hundreds), "century")
        if year is not None:
            return Point(periods.year(year), timex.year(year), "year")
        unit = f.get("unit")
        base = self.base  # the reference, or the date an anaphoric expression counts from
        if unit == "week" and "head" not in f:
            return _week(periods.week(base))
        if unit == "month" and "head" not in f:
            return _month(periods.month_offset(base, 0))
        if unit == "year" or "head" in f:
            return Point(periods.year(base.year), timex.year(base.year), "year")
        raise ValueError("no year or month found")

    def _offset(self, count: int, unit: str, sign: int) -> Point:
        """Three days ago is that day; weeks the day counted, approximate; months and
        quarters the month reached; years the year; a span (the past 3 days, 前两天) the
        days between it and the base."""
        span = self.frame.get("span")
        if unit in ("quarter", "decade") and span in ("past", "next"):
            return self._whole(count, unit, span)
        if unit == "fortnight":
            unit, count = "week", 2 * count
        if unit == "quarter":
            unit, count = "month", 3 * count
        if unit == "halfyear":  # 半年后
            unit, count = "month", 6 * count
        if unit == "yearhalf":  # 一年半后: a year and a half
            unit, count = "month", 12 * count + 6
        if span in ("past", "next", "within"):
            return self._stretch(count, unit, span)
        if unit == "day":
            return _day(self.base + sign * count * DAY)
        if unit == "week":
            return _day(self.base + sign * count * 7 * DAY, approximate=True)
        if unit == "month":
            return _month(periods.month_offset(self.base, sign * count))
        if unit == "decade":
            unit, count = "year", 10 * count
        year = self.base.year + sign * count
        return Point(periods.year(year), timex.year(year), "year")

    def _stretch(self, count: int, unit: str, span: str) -> Point:
        """The past ``count`` units up to the base (excluded), the next ones after it, or
        those from it (``within``: 17天内): a period, whose TIMEX3 value is its duration
        (P3D, the past 3 days), not a date."""
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
            start, end = self.base - step, self.base
        elif span == "within":
            start, end = self.base, self.base + step
        else:
            start, end = self.base + DAY, self.base + DAY + step
        return Point(When(start, end, "day", True), f"P{amount}{steps[unit]}", "period")

    def _whole(self, count: int, unit: str, span: str) -> Point:
        """The last or next ``count`` whole quarters or decades (the last 2 quarters: the
        two before the one holding the base), as a period."""
        if unit == "quarter":
            current = datetime.date(self.base.year, 3 * ((self.base.month - 1) // 3) + 1, 1)
            step = relativedelta(months=3)
            value = f"P{3 * count}M"
        else:
            current = datetime.date(self.base.year // 10 * 10, 1, 1)
            step = relativedelta(years=10)
            value = f"P{10 * count}Y"
        if span == "past":
            start, end = current - count * step, current
        else:
            start, end = current + step, current + (count + 1) * step
        return Point(When(start, end, "day", True), value, "period")

    def _weekday(self, number: int, year: int | None, after: datetime.date | None) -> Point:
        f = self.frame
        if "nth" in f:
            month = self._month(year, after)
            assert isinstance(month.when.start, datetime.date)
            first = month.when.start
            if "year" not in f and "year_shift" not in f and "month_shift" not in f:
                self.tense_sensitive = True
                return _nearest_point(
                    self.reference,
                    lambda y: _day(periods.nth_weekday(y, first.month, number, int(f["nth"]))),
                    self.future,
                )
            return _day(periods.nth_weekday(first.year, first.month, number, int(f["nth"])))
        if "day" in f:
            found = self._date(int(f["day"]), year, after)
            periods.check_weekday(found.when, number)
            return found
        if "week_shift" in f:
            shifted = periods.weekday(self.reference, number, int(f["week_shift"])).start
            assert isinstance(shifted, datetime.date)
            return _day(shifted)
        if "sign" in f:
            gap = (number - self.reference.isoweekday()) % 7 or 7
            if int(f["sign"]) < 0:
                gap = gap - 7
            return _day(self.reference + gap * DAY)
        self.tense_sensitive = True
        if after is not None:  # from next Monday to Friday: the first Friday after
            return _day(after + ((number - after.isoweekday()) % 7) * DAY)
        if self.future is None:
            return _day(periods.monday(self.reference) + (number - 1) * DAY)
        gap = (number - self.reference.isoweekday()) % 7
        if not self.future:
            gap = -((self.reference.isoweekday() - number) % 7)
        return _day(self.reference + gap * DAY)

    def _date(self, day: int, year: int | None, after: datetime.date | None) -> Point:
        f = self.frame
        if "month_shift" in f:
            shifted = periods.month_offset(self.reference, int(f["month_shift"])).start
            assert isinstance(shifted, datetime.date)
            return _day(date(shifted.year, shifted.month, day))
        if "month" not in f:
            return self._day_of_month(day, after)
        month = int(f["month"])
        if not 1 <= month <= 12:
            raise ValueError(f"month {month} is out of range")
        if year is not None:
            return _day(date(year, month, day))
        return self._yearless(lambda y: _day(date(y, month, day)), after)

    def _yearless(self, make: Callable[[int], Point], after: datetime.date | None) -> Point:
        """``make(year)`` in the year the text does not give: with last or next (``sign``:
        last August, next Easter, next 6th of April) the last one over before the
        reference or the first one after it; at the end of a range the first one after
        its start; else the nearest (or as the tense says)."""
        if "sign" in self.frame:
            sign, ref, found = int(self.frame["sign"]), self.reference, []
            for year in range(ref.year - 1, ref.year + 2):
                try:
                    found.append(make(year))
                except ValueError:
                    continue
            if sign < 0:
                return max((p for p in found if _end(p.when) <= ref), key=lambda p: _end(p.when))
            return min((p for p in found if p.when.start > ref), key=lambda p: _end(p.when))
        if after is not None:
            return self._after(make, after)
        self.tense_sensitive = True
        return _nearest_point(self.reference, make, self.future)

    def _after(self, make: Callable[[int], Point], after: datetime.date) -> Point:
        for year in range(after.year, after.year + 9):
            try:
                point = make(year)
            except ValueError:
                continue
            if point.when.start >= after:
                return point
        return make(after.year)

    def _day_of_month(self, day: int, after: datetime.date | None) -> Point:
        """The 15th: in the month that puts it nearest the reference (after ``after``)."""
        if not 1 <= day <= 31:
            raise ValueError(f"day {day} is out of range")
        found = []
        for shift in (-1, 0, 1) if after is None else (0, 1, 2):
            month = periods.month_offset(after or self.reference, shift).start
            assert isinstance(month, datetime.date)
            try:
                candidate = date(month.year, month.month, day)
            except ValueError:
                continue
            if after is None or candidate >= after:
                found.append(candidate)
        if not found:
            raise ValueError(f"day {day} is out of range")
        self.tense_sensitive = after is None
        ref = self.reference
        if after is None and self.future is False and (begun := [d for d in found if d <= ref]):
            return _day(max(begun))
        if after is None and self.future and (ahead := [d for d in found if d >= ref]):
            return _day(min(ahead))
        return _day(min(found, key=lambda d: (abs((d - ref).days), d)))

    def _month(self, year: int | None, after: datetime.date | None) -> Point:
        f = self.frame
        if "month_shift" in f:
            return _month(periods.month_offset(self.base, int(f["month_shift"])))
        if "month" not in f:
            if year is None:
                raise ValueError("no year or month found")
            return Point(periods.year(year), timex.year(year), "year")
        month = int(f["month"])
        if year is not None:
            return _month(periods.months(year, month))
        return self._yearless(lambda y: _month(periods.months(y, month)), after)

    def _quarter(self, year: int | None) -> Point:
        f = self.frame
        if "quarter_shift" in f:
            index = (self.reference.year * 12 + self.reference.month - 1) // 3
            index += int(f["quarter_shift"])
            year, quarter = divmod(index, 4)
            quarter += 1
        else:
            quarter = int(f["quarter"])
            if not 1 <= quarter <= 4:
                raise ValueError(f"quarter {quarter} is out of range")
            year = year if year is not None else self.reference.year
        when = periods.part_of_year(year, 3 * quarter - 2, 3)
        return Point(when, timex.quarter(year, quarter), "quarter")

    def _half(self, year: int | None) -> Point:
        f = self.frame
        if "half_shift" in f:
            index = self.reference.year * 2 + (self.reference.month - 1) // 6
            year, half = divmod(index + int(f["half_shift"]), 2)
            half += 1
        else:
            half = int(f["half"])
            year = year if year is not None else self.reference.year
        when = periods.part_of_year(year, 1 if half == 1 else 7, 6)
        return Point(when, timex.half(year, half), "half")

    def _season(self, code: str, year: int | None) -> Point:
        """A season of a year; without one, this summer is the one holding the reference
        or else of its year, last summer the last one over before the reference, next
        summer the first one to begin after it."""
        if year is None and "season_shift" not in self.frame:
            self.tense_sensitive = True
            return _nearest_point(
                self.reference,
                lambda y: Point(periods.season(y, code), timex.season(y, code), "season"),
                self.future,
            )
        if year is None:
            shift = int(self.frame.get("season_shift", 0))
            years = range(self.reference.year - 3, self.reference.year + 3)
            spans = {y: periods.season(y, code) for y in years}
            ref = self.reference
            if shift < 0:
                over = [
                    y for y, s in spans.items() if isinstance(s.end, datetime.date) and s.end <= ref
                ]
                year = over[shift]
            elif shift > 0:
                ahead = [y for y, s in spans.items() if s.start > ref]
                year = ahead[shift - 1]
            else:
                holding = [y for y, s in spans.items() if s.start <= ref < _end(s)]
                year = holding[0] if holding else ref.year
        return Point(periods.season(year, code), timex.season(year, code), "season")

    def _decade(self) -> Point:
        f = self.frame
        if "decade" in f:
            first = int(f["decade"])
        else:
            yy = int(f["decade_yy"]) % 100
            if "century" in f:
                first = (int(f["century"]) - 1) * 100 + yy
            elif "century_shift" in f:
                first = (self.reference.year // 100 + int(f["century_shift"])) * 100 + yy
            else:
                first = self.reference.year // 100 * 100 + yy
                if first > self.reference.year:
                    first -= 100
        if first % 10:
            raise ValueError(f"{first} does not begin a decade")
        return Point(periods.years(first, 10), timex.decade(first), "decade")

    def _lunar(self, year: int | None) -> Point:
        """A day or month of the Chinese lunar calendar, in the lunar year nearest the
        reference when the text gives none."""
        f = self.frame
        month, leap = int(f["month"]), "leap" in f
        day = int(f["day"]) if "day" in f else None

        def make(lunar_year: int) -> Point:
            if day is None:
                when = holidays.lunar_month(lunar_year, month, leap)
                start, end = when.start, when.end
                assert isinstance(start, datetime.date) and isinstance(end, datetime.date)
                value = timex.interval(timex.day(start), timex.day(end - DAY))
                return Point(when, value, "range")
            return _day(holidays.lunar(lunar_year, month, day, leap))

        if year is not None:
            return make(year)
        self.tense_sensitive = True
        return _nearest_point(self.reference, make, self.future)

    def _either(self, a: int, b: int, year: int | None) -> Point:
        """Day and month in either order (3/4/2025, Friday 7/6): the reading that the
        numbers allow (one above 12), or the only one on the weekday written beside them;
        refused when both stand."""
        f = self.frame
        if year is not None and "weekday" not in f:
            year, month, day = periods.day_month(a, b, str(year))
            return _day(date(year, month, day))
        found: dict[datetime.date, Point] = {}
        for month, day in ((a, b), (b, a)):
            if not 1 <= month <= 12:
                continue
            try:
                if year is not None:
                    point = _day(date(year, month, day))
                else:
                    point = _nearest_point(self.reference, functools.partial(_on, month, day))
            except ValueError:
                continue
            start = point.when.start
            assert isinstance(start, datetime.date)
            if "weekday" not in f or start.isoweekday() == int(f["weekday"]):
                found[start] = point
        if len(found) != 1:
            raise ValueError(f"{a}/{b} could be read in more than one order, or none")
        return next(iter(found.values()))

    def _holiday(self, name: str, year: int | None, after: datetime.date | None) -> Point:
        if year is not None:
            return _day(holidays.date_of(name, year))
        return self._yearless(lambda y: _day(holidays.date_of(name, y)), after)
