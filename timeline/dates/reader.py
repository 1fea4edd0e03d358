"""Reading the slots of one date expression (not a range) into the span it names,
counting from the reference day where the text does not say it all (see
:mod:`timeline.dates.frames` for the rules of reading, :mod:`timeline.dates.points` for
the spans)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from timeline.dates import holidays, periods, points, timex
from timeline.dates.periods import DAY
from timeline.dates.points import (
    Point,
    date,
    day_point,
    end_of,
    month_point,
    nearest,
    week_point,
)

#: Two-digit years: the year in the century that puts it at most this many years after
#: the reference, else in the century before (08年 in 2017 is 2008, 33年 in 2021 1933).
YY_AHEAD = 10


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
            weekday = int(f["weekday"]) if "weekday" in f else None
            return points.either(int(f["lead"]), int(f["trail"]), year, weekday, self.reference)
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
            return day_point(self.base + int(f["day_shift"]) * DAY)
        if "count" in f and "unit" in f and f.get("span") not in ("lasting",):
            count, sign = int(f["count"]), int(f.get("sign", -1))
            return points.offset(self.base, count, str(f["unit"]), sign, f.get("span"))
        if "weekday" in f:
            return self._weekday(int(f["weekday"]), year, after)
        if "weeknum" in f:
            return week_point(periods.iso_week(year or self.reference.year, int(f["weeknum"])))
        if f.get("unit") == "week" and "nth" in f:
            held = self._month(year, after)
            assert isinstance(held.when.start, datetime.date)
            first = held.when.start
            if held.grain == "year":
                number = int(f["nth"])
                if number == -1:
                    number = datetime.date(first.year, 12, 28).isocalendar().week
                return week_point(periods.iso_week(first.year, number))
            weeks = str(f.get("weeks", "iso"))
            return week_point(periods.week_of_month(first.year, first.month, int(f["nth"]), weeks))
        if f.get("unit") == "month" and "nth" in f:
            return month_point(periods.months(year or self.reference.year, int(f["nth"])))
        if f.get("unit") == "day" and "nth" in f:
            start = datetime.date(year or self.reference.year, 1, 1)
            return day_point(start + (int(f["nth"]) - 1) * DAY)
        if "day" in f:
            return self._date(int(f["day"]), year, after)
        if "month" in f or "month_shift" in f:
            return self._month(year, after)
        if "week_shift" in f:
            return week_point(periods.week(self.reference, int(f["week_shift"])))
        if "quarter" in f or "quarter_shift" in f:
            return points.quarter(f, self.reference, year)
        if "half" in f or "half_shift" in f:
            return points.half(f, self.reference, year)
        if "season" in f:
            return self._season(str(f["season"]), year)
        if "decade" in f or "decade_yy" in f:
            return points.decade(f, self.reference)
        if "century" in f:
            hundreds = (int(f["century"]) - 1) * 100
            return Point(periods.years(max(hundreds, 1), 100), timex.century(hundreds), "century")
        if year is not None:
            return Point(periods.year(year), timex.year(year), "year")
        unit = f.get("unit")
        base = self.base  # the reference, or the date an anaphoric expression counts from
        if unit == "week" and "head" not in f:
            return week_point(periods.week(base))
        if unit == "month" and "head" not in f:
            return month_point(periods.month_offset(base, 0))
        if unit == "year" or "head" in f:
            return Point(periods.year(base.year), timex.year(base.year), "year")
        raise ValueError("no year or month found")

    def _weekday(self, number: int, year: int | None, after: datetime.date | None) -> Point:
        f = self.frame
        if "nth" in f:
            month = self._month(year, after)
            assert isinstance(month.when.start, datetime.date)
            first = month.when.start
            if "year" not in f and "year_shift" not in f and "month_shift" not in f:
                self.tense_sensitive = True
                return nearest(
                    self.reference,
                    lambda y: day_point(periods.nth_weekday(y, first.month, number, int(f["nth"]))),
                    self.future,
                )
            return day_point(periods.nth_weekday(first.year, first.month, number, int(f["nth"])))
        if "day" in f:
            found = self._date(int(f["day"]), year, after)
            periods.check_weekday(found.when, number)
            return found
        if "week_shift" in f:
            shifted = periods.weekday(self.reference, number, int(f["week_shift"])).start
            assert isinstance(shifted, datetime.date)
            return day_point(shifted)
        if "sign" in f:
            gap = (number - self.reference.isoweekday()) % 7 or 7
            if int(f["sign"]) < 0:
                gap = gap - 7
            return day_point(self.reference + gap * DAY)
        self.tense_sensitive = True
        if after is not None:  # from next Monday to Friday: the first Friday after
            return day_point(after + ((number - after.isoweekday()) % 7) * DAY)
        if self.future is None:
            return day_point(periods.monday(self.reference) + (number - 1) * DAY)
        gap = (number - self.reference.isoweekday()) % 7
        if not self.future:
            gap = -((self.reference.isoweekday() - number) % 7)
        return day_point(self.reference + gap * DAY)

    def _date(self, day: int, year: int | None, after: datetime.date | None) -> Point:
        f = self.frame
        if "month_shift" in f:
            shifted = periods.month_offset(self.reference, int(f["month_shift"])).start
            assert isinstance(shifted, datetime.date)
            return day_point(date(shifted.year, shifted.month, day))
        if "month" not in f:
            return self._day_of_month(day, after)
        month = int(f["month"])
        if not 1 <= month <= 12:
            raise ValueError(f"month {month} is out of range")
        if year is not None:
            return day_point(date(year, month, day))
        return self._yearless(lambda y: day_point(date(y, month, day)), after)

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
                over = (p for p in found if end_of(p.when) <= ref)
                return max(over, key=lambda p: end_of(p.when))
            return min((p for p in found if p.when.start > ref), key=lambda p: end_of(p.when))
        if after is not None:
            return self._after(make, after)
        self.tense_sensitive = True
        return nearest(self.reference, make, self.future)

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
            return day_point(max(begun))
        if after is None and self.future and (ahead := [d for d in found if d >= ref]):
            return day_point(min(ahead))
        return day_point(min(found, key=lambda d: (abs((d - ref).days), d)))

    def _month(self, year: int | None, after: datetime.date | None) -> Point:
        f = self.frame
        if "month_shift" in f:
            return month_point(periods.month_offset(self.base, int(f["month_shift"])))
        if "month" not in f:
            if year is None:
                raise ValueError("no year or month found")
            return Point(periods.year(year), timex.year(year), "year")
        month = int(f["month"])
        if year is not None:
            return month_point(periods.months(year, month))
        return self._yearless(lambda y: month_point(periods.months(y, month)), after)

    def _season(self, code: str, year: int | None) -> Point:
        """A season of a year; without one, this summer is the one holding the reference
        or else of its year, last summer the last one over before the reference, next
        summer the first one to begin after it."""
        if year is None and "season_shift" not in self.frame:
            self.tense_sensitive = True
            return nearest(
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
                holding = [y for y, s in spans.items() if s.start <= ref < end_of(s)]
                year = holding[0] if holding else ref.year
        return Point(periods.season(year, code), timex.season(year, code), "season")

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
            return day_point(holidays.lunar(lunar_year, month, day, leap))

        if year is not None:
            return make(year)
        self.tense_sensitive = True
        return nearest(self.reference, make, self.future)

    def _holiday(self, name: str, year: int | None, after: datetime.date | None) -> Point:
        if year is not None:
            return day_point(holidays.date_of(name, year))
        return self._yearless(lambda y: day_point(holidays.date_of(name, y)), after)
