"""Tests for timeline.dates.normalize: reading dates of news text."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline.dates.normalize import MAX_LENGTH, When, WhenError, parse_when

D = datetime.date
REFERENCE = D(2025, 2, 18)
UTC = datetime.UTC
SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def day(year: int, month: int, first: int, last: int | None = None) -> When:
    """The When of the days first..last (inclusive) of one month."""
    start = D(year, month, first)
    return When(start, D(year, month, last or first) + datetime.timedelta(days=1), "day")


def offset(hours: float) -> datetime.timezone:
    return datetime.timezone(datetime.timedelta(hours=hours))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ISO 8601 and other year-first numbers
        ("2025-02-17", day(2025, 2, 17)),
        ("2025-02", When(D(2025, 2, 1), D(2025, 3, 1), "month")),
        ("2024-12", When(D(2024, 12, 1), D(2025, 1, 1), "month")),
        ("2025", When(D(2025, 1, 1), D(2026, 1, 1), "year")),
        ("2025/2/17", day(2025, 2, 17)),
        ("2025.02.17", day(2025, 2, 17)),
        (" 2025-02-17\n", day(2025, 2, 17)),
        ("２０２５－０２－１７", day(2025, 2, 17)),
        ("2024-02-29", day(2024, 2, 29)),
        # English
        ("Feb 17, 2025", day(2025, 2, 17)),
        ("Feb. 17, 2025", day(2025, 2, 17)),
        ("February 17th, 2025", day(2025, 2, 17)),
        ("17 February 2025", day(2025, 2, 17)),
        ("17-Feb-2025", day(2025, 2, 17)),
        ("2025-Feb-17", day(2025, 2, 17)),
        ("Monday, Feb 17, 2025", day(2025, 2, 17)),
        ("February 2025", When(D(2025, 2, 1), D(2025, 3, 1), "month")),
        ("Dec 2024", When(D(2024, 12, 1), D(2025, 1, 1), "month")),
        ("Jan 31", day(2025, 1, 31)),
        ("Feb 9-10, 2025", day(2025, 2, 9, 10)),
        ("Feb 9 - 10, 2025", day(2025, 2, 9, 10)),
        ("Feb 9–10, 2025", day(2025, 2, 9, 10)),
        ("Feb 9 to 10, 2025", day(2025, 2, 9, 10)),
        ("9-10 February 2025", day(2025, 2, 9, 10)),
        ("Feb 9-9, 2025", day(2025, 2, 9)),
        ("Jan 31 - Feb 2, 2025", When(D(2025, 1, 31), D(2025, 2, 3), "day")),
        ("Feb 17 through Feb 20, 2025", day(2025, 2, 17, 20)),
        ("Dec 30, 2024 - Jan 2, 2025", When(D(2024, 12, 30), D(2025, 1, 3), "day")),
        # Chinese
        ("2月17日", day(2025, 2, 17)),
        ("2月17号", day(2025, 2, 17)),
        ("1月 31日", day(2025, 1, 31)),
        (" 2025 年 2 月 9 日 ", day(2025, 2, 9)),
        ("2025年2月9日", day(2025, 2, 9)),
        ("2024年2月29日", day(2024, 2, 29)),
        ("去年8月1日", day(2024, 8, 1)),
        ("今年2月4日", day(2025, 2, 4)),
        ("去年12月", When(D(2024, 12, 1), D(2025, 1, 1), "month")),
        ("今年1月", When(D(2025, 1, 1), D(2025, 2, 1), "month")),
        ("明年3月", When(D(2026, 3, 1), D(2026, 4, 1), "month")),
        ("2025年2月", When(D(2025, 2, 1), D(2025, 3, 1), "month")),
        ("2025年", When(D(2025, 1, 1), D(2026, 1, 1), "year")),
        ("今年", When(D(2025, 1, 1), D(2026, 1, 1), "year")),
        ("去年", When(D(2024, 1, 1), D(2025, 1, 1), "year")),
        ("前年", When(D(2023, 1, 1), D(2024, 1, 1), "year")),
        ("明年", When(D(2026, 1, 1), D(2027, 1, 1), "year")),
        ("后年", When(D(2027, 1, 1), D(2028, 1, 1), "year")),
        ("2月9日至10日", day(2025, 2, 9, 10)),
        ("2月 9日，为期两天", day(2025, 2, 9, 10)),
        ("2025年2月9日为期十天", day(2025, 2, 9, 18)),
        ("2月9日-10日", day(2025, 2, 9, 10)),
        ("2月9日到10日", day(2025, 2, 9, 10)),
        ("2月9日~10日", day(2025, 2, 9, 10)),
        ("2月9—10日", day(2025, 2, 9, 10)),
        ("2月9日－10日", day(2025, 2, 9, 10)),
        ("2月28日至3月2日", When(D(2025, 2, 28), D(2025, 3, 3), "day")),
        ("2025年2月28日至3月2日", When(D(2025, 2, 28), D(2025, 3, 3), "day")),
        ("2024年12月30日至2025年1月2日", When(D(2024, 12, 30), D(2025, 1, 3), "day")),
        ("去年12月30日至2025年1月2日", When(D(2024, 12, 30), D(2025, 1, 3), "day")),
        ("２月１７日", day(2025, 2, 17)),
        ("２０２５年２月１７日", day(2025, 2, 17)),
        # Chinese numerals
        ("二月十七日", day(2025, 2, 17)),
        ("二月十日", day(2025, 2, 10)),
        ("二月二十日", day(2025, 2, 20)),
        ("一月三十一日", day(2025, 1, 31)),
        ("十二月三十一日", day(2024, 12, 31)),
        ("十一月十一号", day(2024, 11, 11)),
        ("二〇二五年二月", When(D(2025, 2, 1), D(2025, 3, 1), "month")),
        ("二零二四年十月一日", day(2024, 10, 1)),
        ("二月九日至十日", day(2025, 2, 9, 10)),
        # Read by the one grammar since the scanner (issue 18): a day of the reference's
        # nearest month, a lunar date, a range whose year is written at its end only.
        ("17日", day(2025, 2, 17)),
        ("农历正月初一", day(2025, 1, 29)),
        ("2月9日至2025年2月10日", day(2025, 2, 9, 10)),
    ],
)
def test_dates(text: str, expected: When) -> None:
    assert parse_when(text, reference=REFERENCE) == expected


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("Dec 28", D(2025, 1, 5), day(2024, 12, 28)),
        ("Jan 3", D(2024, 12, 30), day(2025, 1, 3)),
        ("Feb 17", D(2025, 2, 18), day(2025, 2, 17)),
        ("Feb 17", D(2025, 2, 16), day(2025, 2, 17)),
        ("Jul 1", D(2025, 2, 18), day(2025, 7, 1)),
        ("Sep 1", D(2025, 2, 18), day(2024, 9, 1)),
        ("12月28日", D(2025, 1, 5), day(2024, 12, 28)),
        ("1月3日", D(2024, 12, 30), day(2025, 1, 3)),
        ("2月17日", D(2025, 2, 18), day(2025, 2, 17)),
        ("2月17日", D(2025, 2, 16), day(2025, 2, 17)),
        ("2月17日", D(2025, 2, 17), day(2025, 2, 17)),
        ("十二月三十一日", D(2025, 1, 1), day(2024, 12, 31)),
        ("十二月三十一日", D(2025, 12, 1), day(2025, 12, 31)),
        # 29 February lands in the nearest leap year.
        ("Feb 29", D(2025, 2, 18), day(2024, 2, 29)),
        ("2月29日", D(2027, 6, 1), day(2028, 2, 29)),
        ("2月29日", D(2097, 1, 1), day(2096, 2, 29)),
        # Months without a year
        ("12月", D(2025, 1, 5), When(D(2024, 12, 1), D(2025, 1, 1), "month")),
        ("1月", D(2024, 12, 30), When(D(2025, 1, 1), D(2025, 2, 1), "month")),
        ("May", D(2025, 2, 18), When(D(2025, 5, 1), D(2025, 6, 1), "month")),
        # Ranges without a year, across New Year
        ("12月30日至1月2日", D(2025, 1, 5), When(D(2024, 12, 30), D(2025, 1, 3), "day")),
        ("Dec 30 - Jan 2", D(2024, 12, 20), When(D(2024, 12, 30), D(2025, 1, 3), "day")),
        ("2月9日至10日", D(2024, 12, 30), day(2025, 2, 9, 10)),
        # Relative years count from the reference's year.
        ("去年12月", D(2025, 12, 31), When(D(2024, 12, 1), D(2025, 1, 1), "month")),
        ("今年", D(2030, 6, 1), When(D(2030, 1, 1), D(2031, 1, 1), "year")),
        # A datetime reference counts as its date.
        ("1月3日", datetime.datetime(2024, 12, 30, 23, 59), day(2025, 1, 3)),
    ],
)
def test_year_from_reference(text: str, reference: datetime.date, expected: When) -> None:
    assert parse_when(text, reference=reference) == expected


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        (
            "2025-02-17T09:30:00+08:00",
            None,
            datetime.datetime(2025, 2, 17, 9, 30, tzinfo=offset(8)),
        ),
        ("2025-02-17T09:30+05:30", None, datetime.datetime(2025, 2, 17, 9, 30, tzinfo=offset(5.5))),
        ("2025-02-17T01:30:00Z", None, datetime.datetime(2025, 2, 17, 1, 30, tzinfo=UTC)),
        (
            "2025-02-17 09:30:00-05:00",
            None,
            datetime.datetime(2025, 2, 17, 9, 30, tzinfo=offset(-5)),
        ),
        # The text's own offset wins over tz.
        ("2025-02-17T01:30Z", "Asia/Shanghai", datetime.datetime(2025, 2, 17, 1, 30, tzinfo=UTC)),
        (
            "2025-02-17T09:30",
            "Asia/Shanghai",
            datetime.datetime(2025, 2, 17, 9, 30, tzinfo=SHANGHAI),
        ),
        ("2025-07-01T09:00", "Europe/Berlin", datetime.datetime(2025, 7, 1, 9, tzinfo=offset(2))),
        ("2025-01-01T09:00", "Europe/Berlin", datetime.datetime(2025, 1, 1, 9, tzinfo=offset(1))),
        (
            "2月17日上午9时30分",
            "Asia/Shanghai",
            datetime.datetime(2025, 2, 17, 9, 30, tzinfo=offset(8)),
        ),
        ("2月17日 14:00", "Asia/Shanghai", datetime.datetime(2025, 2, 17, 14, tzinfo=offset(8))),
        (
            "2月17日14:05:09",
            "Asia/Shanghai",
            datetime.datetime(2025, 2, 17, 14, 5, 9, tzinfo=offset(8)),
        ),
        (
            "2月17日 １４：００",
            "Asia/Shanghai",
            datetime.datetime(2025, 2, 17, 14, tzinfo=offset(8)),
        ),
        ("2月17日下午3点", "Asia/Shanghai", datetime.datetime(2025, 2, 17, 15, tzinfo=offset(8))),
        # A 24-hour hour that agrees with its period, as news writes it.
        ("2月17日下午13点", "Asia/Shanghai", datetime.datetime(2025, 2, 17, 13, tzinfo=offset(8))),
        (
            "2月17日下午3点半",
            "Asia/Shanghai",
            datetime.datetime(2025, 2, 17, 15, 30, tzinfo=offset(8)),
        ),
        ("2月17日晚上8点整", "Asia/Shanghai", datetime.datetime(2025, 2, 17, 20, tzinfo=offset(8))),
        ("2月17日中午12点", "Asia/Shanghai", datetime.datetime(2025, 2, 17, 12, tzinfo=offset(8))),
        ("2月17日中午1点", "Asia/Shanghai", datetime.datetime(2025, 2, 17, 13, tzinfo=offset(8))),
        ("2月17日凌晨12点", "Asia/Shanghai", datetime.datetime(2025, 2, 17, 0, tzinfo=offset(8))),
        ("2月17日9点5分", "Asia/Shanghai", datetime.datetime(2025, 2, 17, 9, 5, tzinfo=offset(8))),
        (
            "二月十七日下午三点三十分",
            "Europe/Berlin",
            datetime.datetime(2025, 2, 17, 15, 30, tzinfo=offset(1)),
        ),
        ("北京时间2月17日9时", None, datetime.datetime(2025, 2, 17, 9, tzinfo=offset(8))),
        ("北京时间2月17日9时", "UTC", datetime.datetime(2025, 2, 17, 9, tzinfo=offset(8))),
        ("12月31日23:00", "Asia/Shanghai", datetime.datetime(2024, 12, 31, 23, tzinfo=offset(8))),
        (
            "Feb 17, 2025 9:30 AM",
            "America/New_York",
            datetime.datetime(2025, 2, 17, 9, 30, tzinfo=NEW_YORK),
        ),
        (
            "Feb 17, 2025 9 PM",
            "America/New_York",
            datetime.datetime(2025, 2, 17, 21, tzinfo=offset(-5)),
        ),
        ("Feb 17, 2025 21:30 UTC", None, datetime.datetime(2025, 2, 17, 21, 30, tzinfo=UTC)),
        ("Feb 17, 2025 9:30 UTC+8", None, datetime.datetime(2025, 2, 17, 9, 30, tzinfo=offset(8))),
        ("Feb 17, 2025 9:30 GMT-5", None, datetime.datetime(2025, 2, 17, 9, 30, tzinfo=offset(-5))),
        (
            "Feb 17, 2025 9:30 +05:30",
            None,
            datetime.datetime(2025, 2, 17, 9, 30, tzinfo=offset(5.5)),
        ),
        (
            "Jul 4 at 10:00",
            "America/New_York",
            datetime.datetime(2025, 7, 4, 10, tzinfo=offset(-4)),
        ),
    ],
)
def test_datetimes(text: str, tz: str | None, expected: datetime.datetime) -> None:
    when = parse_when(text, reference=REFERENCE, tz=tz)
    assert when == When(expected, None, "datetime")
    assert isinstance(when.start, datetime.datetime)
    # Equality of aware datetimes compares instants; check the wall time and offset too.
    assert when.start.replace(tzinfo=None) == expected.replace(tzinfo=None)
    assert when.start.utcoffset() == expected.utcoffset()
    assert when.start.fold == 0


@pytest.mark.parametrize(
    ("text", "tz", "reason"),
    [
        ("2月30日", None, "day 30 is out of range"),
        ("2025年2月29日", None, "day 29 is out of range for 2025-02"),
        ("十三月", None, "month 13 is out of range"),
        ("13月", None, "month 13 is out of range"),
        ("4月31日", None, "day 31 is out of range"),
        ("2月0日", None, "day 0 is out of range"),
        ("2025-02-30", None, "day 30 is out of range"),
        ("2025-13", None, "month 13 is out of range"),
        ("2025-00", None, "month 0 is out of range"),
        ("0000", None, "not a date form"),
        ("Feb 30, 2025", None, "day 30 is out of range for 2025-02"),
        ("", None, "no text"),
        ("   ", None, "no text"),
        ("\u3000", None, "no text"),
        ("hello world", None, "not a date form"),
        ("下午3点", "Asia/Shanghai", "not a date form"),
        ("2025年2月 14:00", "Asia/Shanghai", "not a date form"),
        ("农历正月三十一", None, "the lunar month 2024-1 has no day 31"),
        ("02/03/2025", None, "is ambiguous: 2025-03-02 (day first) or 2025-02-03"),
        ("二十十日", None, "cannot read the Chinese number"),
        ("17th", None, "not a date form"),
        ("2月10日至9日", None, "the range ends on 2025-02-09 before it starts on 2025-02-10"),
        ("2025年3月5日至2月1日", None, "ends on 2025-02-01 before"),
        ("2025年12月30日至1月2日", None, "ends on 2025-01-02 before"),
        ("Feb 10-9, 2025", None, "ends on 2025-02-09 before"),
        ("Feb 17, 25", None, "four digits"),
        ("2月17日9点", None, "needs a UTC offset in the text or a tz"),
        ("2025-02-17T09:30", None, "needs a UTC offset"),
        ("Feb 17, 2025 9:30", None, "needs a UTC offset"),
        ("2025-03-30T02:30", "Europe/Berlin", "2025-03-30 02:30 does not exist in Europe/Berlin"),
        ("3月30日2点30分", "Europe/Berlin", "does not exist"),
        ("2025-02-17T25:00+08:00", None, "hour must be in 0..23"),
        ("2月17日25点", "Asia/Shanghai", "hour must be in 0..23"),
        ("2月17日9点60分", "Asia/Shanghai", "minute must be in 0..59"),
        ("2月17日上午13点", "Asia/Shanghai", "hour 13 does not go with 上午"),
        ("2月17日晚上12点", "Asia/Shanghai", "hour 12 does not go with 晚上"),
        ("2月17日", "Mars/Olympus", "unknown time zone 'Mars/Olympus'"),
        ("2月17日", "America", "unknown time zone"),
        ("2月17日", "../../etc/passwd", "unknown time zone"),
        ("2月17日", "", "unknown time zone"),
        ("Feb 17, 2025 9:30 EST", None, "unknown time zone abbreviation 'EST'"),
        ("Feb 17, 2025 9:30-10:30", "UTC", "not a date form"),
        ("Feb 17, 2025 9 AM-5 PM", "UTC", "not a date form"),
        ("Feb 17, 2025 9-10 AM", "UTC", "not a date form"),
        ("2月9日至10日9点", "Asia/Shanghai", "not a date form"),
        ("2月，为期两天", None, "not a date form"),
        ("2月9日，为期零天", None, "0 days is out of range"),
        ("9999", None, "not a date form"),
    ],
)
def test_errors(text: str, tz: str | None, reason: str) -> None:
    with pytest.raises(WhenError, match=re.escape(f"cannot read a date in {text!r}: ")) as info:
        parse_when(text, reference=REFERENCE, tz=tz)
    assert reason in str(info.value)


def test_repeated_wall_time_is_its_first_occurrence() -> None:
    # At the end of summer time Berlin goes through 02:30 twice, first at +02:00.
    when = parse_when("2025-10-26T02:30", reference=REFERENCE, tz="Europe/Berlin")
    assert isinstance(when.start, datetime.datetime)
    assert when.start.utcoffset() == datetime.timedelta(hours=2)
    assert when.start.astimezone(UTC) == datetime.datetime(2025, 10, 26, 0, 30, tzinfo=UTC)


def test_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="'2月30日'"):
        parse_when("2月30日", reference=REFERENCE)


def test_long_text_is_refused_and_quoted_short() -> None:
    text = "2025-02-17" + " " * MAX_LENGTH
    with pytest.raises(WhenError, match=f"longer than {MAX_LENGTH} characters") as info:
        parse_when(text, reference=REFERENCE)
    assert len(str(info.value)) < 120
    assert parse_when(text[:MAX_LENGTH], reference=REFERENCE) == day(2025, 2, 17)


def test_when_is_frozen() -> None:
    when = parse_when("2025", reference=REFERENCE)
    with pytest.raises(AttributeError):
        when.precision = "day"  # type: ignore[misc]


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31)))
def test_full_dates_read_back(d: datetime.date) -> None:
    expected = When(d, d + datetime.timedelta(days=1), "day")
    assert parse_when(d.isoformat(), reference=REFERENCE) == expected
    assert parse_when(f"{d.year}年{d.month}月{d.day}日", reference=REFERENCE) == expected
    assert parse_when(f"{MONTHS[d.month - 1]} {d.day}, {d.year}", reference=REFERENCE) == expected


@given(
    st.dates(min_value=D(1901, 1, 1), max_value=D(2099, 12, 31)),
    st.integers(min_value=-182, max_value=182),
)
def test_year_less_dates_are_nearest(reference: datetime.date, days: int) -> None:
    # Within half a year of the reference, the date itself is nearer than any other year's.
    d = reference + datetime.timedelta(days=days)
    if (d.month, d.day) == (2, 29):
        return
    expected = When(d, d + datetime.timedelta(days=1), "day")
    assert parse_when(f"{d.month}月{d.day}日", reference=reference) == expected
    assert parse_when(f"{MONTHS[d.month - 1]} {d.day}", reference=reference) == expected
