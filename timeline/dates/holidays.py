"""Dates of named days: holidays and festivals as the grammar's word tables describe them,
fixed (``12-25``), the n-th weekday of a month (``11-w4#4``, the fourth Thursday of
November; ``#-1`` the last), Easter (``easter``, ``easter-2``, by dateutil's Western
reckoning), a day of the Chinese lunar calendar (``lunar:01-01``, ``lunar:12-last`` the
last day of the lunar year, 除夕) or one of the 24 solar terms (``term:清明``, the day in
China's time it begins). The Chinese calendar is lunar-python's (寿星天文历), read for the
years 1900-2099."""

from __future__ import annotations

import datetime
import functools
import re
from typing import Any

from dateutil.easter import easter
from lunar_python import Lunar, LunarMonth, Solar

from timeline.dates import periods

_FIXED = re.compile(r"(\d{2})-(\d{2})")
_NTH = re.compile(r"(\d{2})-w([1-7])#(-?[1-5])")
_EASTER = re.compile(r"easter([+-]\d+)?")
_SHIFTED = re.compile(r"(\d{2}-w[1-7]#-?[1-5]|lunar:\d{2}-(?:\d{2}|last)|\d{2}-\d{2})([+-]\d+)")
_LUNAR = re.compile(r"lunar:(\d{2})-(\d{2}|last)")
_TERM = re.compile(r"term:(\w{2})")
#: The solar terms in the order of a Gregorian year, 小寒 (early January) to 冬至.
SOLAR_TERMS = tuple(
    """小寒 大寒 立春 雨水 惊蛰 春分 清明 谷雨 立夏 小满 芒种 夏至
    小暑 大暑 立秋 处暑 白露 秋分 寒露 霜降 立冬 小雪 大雪 冬至""".split()
)


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
    if (match := _TERM.fullmatch(spec)) is not None:
        return solar_term(year, match[1])
    raise ValueError(f"unknown holiday {spec!r}")


def lunar(year: int, month: int, day: int | None, leap: bool = False) -> datetime.date:
    """Return the Gregorian day of lunar ``year``-``month``-``day`` (``day`` None: the
    month's last day; ``leap``: the leap month of that number). Raises ValueError out of
    1900-2099 or for a day or leap month the lunar year does not have."""
    _check(year)
    held = _lunar_year(year).get(-month if leap else month)
    if held is None:
        raise ValueError(f"the lunar year {year} has no leap month {month}")
    first, count = held
    if day is not None and not 1 <= day <= count:
        raise ValueError(f"the lunar month {year}-{month} has no day {day}")
    return first + ((count if day is None else day) - 1) * periods.DAY


def lunar_month(year: int, month: int, leap: bool = False) -> periods.When:
    """Return the Gregorian days of a lunar month (precision ``day``, approximate: the
    event is somewhere in it). Raises ValueError as :func:`lunar`."""
    first = lunar(year, month, 1, leap)
    last = lunar(year, month, None, leap)
    return periods.When(first, last + periods.DAY, "day", True)


def solar_term(year: int, name: str) -> datetime.date:
    """Return the day, in China's time (UTC+8), the solar term ``name`` (one of
    :data:`SOLAR_TERMS`) begins in Gregorian ``year``. Raises ValueError out of 1900-2099
    or for a name that is not a solar term."""
    if name not in SOLAR_TERMS:
        raise ValueError(f"{name!r} is not a solar term")
    _check(year)
    return _solar_terms(year)[name]


@functools.cache
def _lunar_year(year: int) -> dict[int, tuple[datetime.date, int]]:
    """The months of a lunar year (a leap month as its negative number): first day, length."""
    months = {}
    for number in range(-12, 13):
        held = LunarMonth.fromYm(year, number) if number else None
        if held is not None:
            first = _solar(Solar.fromJulianDay(held.getFirstJulianDay()))
            months[number] = (first, int(held.getDayCount()))
    return months


@functools.cache
def _solar_terms(year: int) -> dict[str, datetime.date]:
    # The table of lunar year Y runs from the 大雪 of Y-1 to the 惊蛰 of Y+1; its
    # Chinese names are those of Y but 冬至, whose day in Y is named DONG_ZHI.
    table = Lunar.fromYmd(year, 1, 1).getJieQiTable()
    days = {name: _solar(table["DONG_ZHI" if name == "冬至" else name]) for name in SOLAR_TERMS}
    assert all(day.year == year for day in days.values()), (year, days)
    return days


def _check(year: int) -> None:
    if not 1900 <= year <= 2099:
        raise ValueError(f"the lunar year {year} is out of range (1900-2099)")


def _solar(solar: Any) -> datetime.date:
    return datetime.date(solar.getYear(), solar.getMonth(), solar.getDay())
