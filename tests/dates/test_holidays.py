"""Days of the Chinese calendar: lunar days and the 24 solar terms (timeline.dates.holidays),
checked against the days the Hong Kong Observatory's calendar tables give."""

from __future__ import annotations

import datetime
import re

import pytest

from timeline.dates import holidays


@pytest.mark.parametrize(
    ("year", "name", "day"),
    [
        (2021, "芒种", datetime.date(2021, 6, 5)),
        (2023, "立春", datetime.date(2023, 2, 4)),
        (2024, "清明", datetime.date(2024, 4, 4)),
        (2024, "冬至", datetime.date(2024, 12, 21)),
        (2025, "小寒", datetime.date(2025, 1, 5)),
        (2025, "雨水", datetime.date(2025, 2, 18)),
        (2025, "大雪", datetime.date(2025, 12, 7)),
        (2025, "冬至", datetime.date(2025, 12, 21)),
    ],
)
def test_solar_term(year: int, name: str, day: datetime.date) -> None:
    assert holidays.solar_term(year, name) == day
    assert holidays.date_of(f"term:{name}", year) == day


def test_every_solar_term_in_order_within_its_year() -> None:
    days = [holidays.solar_term(2026, name) for name in holidays.SOLAR_TERMS]
    assert days == sorted(days)
    assert days[0] == datetime.date(2026, 1, 5) and days[-1] == datetime.date(2026, 12, 22)


@pytest.mark.parametrize(
    ("year", "name", "message"),
    [
        (1899, "清明", "the lunar year 1899 is out of range (1900-2099)"),
        (2025, "春节", "'春节' is not a solar term"),
    ],
)
def test_solar_term_refused(year: int, name: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        holidays.solar_term(year, name)


@pytest.mark.parametrize(
    ("year", "month", "day", "leap", "solar"),
    [
        (2025, 1, 1, False, datetime.date(2025, 1, 29)),  # 春节 2025
        (2025, 6, 1, True, datetime.date(2025, 7, 25)),  # 闰六月初一
        (2024, 12, None, False, datetime.date(2025, 1, 28)),  # 除夕 of lunar 2024
        (1978, 8, 15, False, datetime.date(1978, 9, 17)),  # 中秋 1978
        (1954, 11, 1, False, datetime.date(1954, 11, 25)),
    ],
)
def test_lunar(year: int, month: int, day: int | None, leap: bool, solar: datetime.date) -> None:
    assert holidays.lunar(year, month, day, leap) == solar


@pytest.mark.parametrize(
    ("year", "month", "day", "leap", "message"),
    [
        (2024, 1, 31, False, "the lunar month 2024-1 has no day 31"),
        (2025, 7, 1, True, "the lunar year 2025 has no leap month 7"),
        (2100, 1, 1, False, "the lunar year 2100 is out of range"),
    ],
)
def test_lunar_refused(year: int, month: int, day: int, leap: bool, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        holidays.lunar(year, month, day, leap)


def test_lunar_month() -> None:
    month = holidays.lunar_month(2025, 6, leap=True)
    assert (month.start, month.end) == (datetime.date(2025, 7, 25), datetime.date(2025, 8, 23))
    assert month.approximate
