"""Dates of named days: holidays and festivals as the grammar's word tables describe them,
fixed (``12-25``), the n-th weekday of a month (``11-w4#4``, the fourth Thursday of
November; ``#-1`` the last), Easter (``easter``, ``easter-2``, by dateutil's Western
reckoning) or a day of the Chinese lunar calendar (``lunar:01-01``, ``lunar:12-last``
the last day of the lunar year, 除夕; read with lunardate, 1900-2099)."""

from __future__ import annotations

import datetime
import re

from dateutil.easter import easter
from lunardate import LunarDate

from timeline.dates import periods

_FIXED = re.compile(r"(\d{2})-(\d{2})")
_NTH = re.compile(r"(\d{2})-w([1-7])#(-?[1-5])")
_EASTER = re.compile(r"easter([+-]\d+)?")
_SHIFTED = re.compile(r"(\d{2}-w[1-7]#-?[1-5]|lunar:\d{2}-(?:\d{2}|last)|\d{2}-\d{2})([+-]\d+)")
_LUNAR = re.compile(r"lunar:(\d{2})-(\d{2}|last)")


def date_of(spec: str, year: int) -> datetime.date:
    """Return the day ``spec`` names in ``year`` (the lunar year for a lunar day; its
    last day, 除夕, falls in January or February of the next Gregorian year); a spec may
    end with a count of days (``11-w4#4+1``, the day after Thanksgiving). Raises
    ValueError for a year out of range or a spec none of these forms."""
    if (shifted := _SHIFTED.fullmatch(spec)) is not None:
        return date_of(shifted[1], year) + int(shifted[2]) * periods.DAY
    if (match := _FIXED.fullmatch(spec)) is not None:
        return datetime.date(year, int(match[1]), int(match[2]))
    if (match := _NTH.fullmatch(spec)) is not None:
        return periods.nth_weekday(year, int(match[1]), int(match[2]), int(match[3]))
    if (match := _EASTER.fullmatch(spec)) is not None:
        if not 1583 <= year <= 4099:
            raise ValueError(f"Easter of {year} is not reckoned")
        return easter(year) + int(match[1] or 0) * periods.DAY
    if (match := _LUNAR.fullmatch(spec)) is not None:
        return lunar(year, int(match[1]), None if match[2] == "last" else int(match[2]))
    raise ValueError(f"unknown holiday {spec!r}")


def lunar(year: int, month: int, day: int | None, leap: bool = False) -> datetime.date:
    """Return the Gregorian day of lunar ``year``-``month``-``day`` (``day`` None: the
    month's last day; ``leap``: the leap month of that number). Raises ValueError out of
    1900-2099 or for a day the lunar month does not have."""
    if not 1900 <= year <= 2099:
        raise ValueError(f"the lunar year {year} is out of range (1900-2099)")
    try:
        if day is None:
            following = LunarDate(year + 1, 1, 1) if month == 12 else LunarDate(year, month + 1, 1)
            last: datetime.date = following.to_solar_date() - periods.DAY
            return last
        solar: datetime.date = LunarDate(year, month, day, leap).to_solar_date()
        return solar
    except ValueError:
        raise ValueError(f"the lunar month {year}-{month} has no day {day}") from None


def lunar_month(year: int, month: int, leap: bool = False) -> periods.When:
    """Return the Gregorian days of a lunar month (precision ``day``, approximate: the
    event is somewhere in it). Raises ValueError as :func:`lunar`."""
    first = lunar(year, month, 1, leap)
    end = first + 29 * periods.DAY
    if LunarDate.from_solar_date(end.year, end.month, end.day).day != 1:
        end += periods.DAY
    return periods.When(first, end, "day", True)
