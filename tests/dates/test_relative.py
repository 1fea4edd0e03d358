"""Tests for timeline.dates.normalize: relative and vague dates, counted from the article's date."""

import datetime
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline.dates.normalize import FORMS, When, WhenError, parse_when

D = datetime.date
# The source article's publication date, a Tuesday.
REFERENCE = D(2025, 2, 18)


def day(
    year: int, month: int, first: int, last: int | None = None, *, approx: bool = False
) -> When:
    """The When of the days first..last (inclusive) of one month."""
    end = D(year, month, last or first) + datetime.timedelta(days=1)
    return When(D(year, month, first), end, "day", approx)


def days(start: D, end: D) -> When:
    """An approximate span of days, ``end`` exclusive: somewhere in a week or part of a month."""
    return When(start, end, "day", True)


def month(year: int, number: int) -> When:
    start = D(year, number, 1)
    return When(start, (start + datetime.timedelta(days=31)).replace(day=1), "month")


def months(start: D, end: D) -> When:
    """An approximate span of months, ``end`` exclusive: a half, quarter or part of a year."""
    return When(start, end, "month", True)


def year(number: int) -> When:
    return When(D(number, 1, 1), D(number + 1, 1, 1), "year")


LAST_WEEK = days(D(2025, 2, 10), D(2025, 2, 17))
THIS_WEEK = days(D(2025, 2, 17), D(2025, 2, 24))
NEXT_WEEK = days(D(2025, 2, 24), D(2025, 3, 3))

CHINESE = [
    # Relative days
    ("今天", day(2025, 2, 18)),
    ("今日", day(2025, 2, 18)),
    ("昨天", day(2025, 2, 17)),
    ("昨日", day(2025, 2, 17)),
    ("前天", day(2025, 2, 16)),
    ("大前天", day(2025, 2, 15)),
    ("明天", day(2025, 2, 19)),
    ("后天", day(2025, 2, 20)),
    ("後天", day(2025, 2, 20)),
    # Weekdays: a bare one is in the reference's ISO week (Monday 17 to Sunday 23 February).
    ("周二", day(2025, 2, 18)),
    ("星期二", day(2025, 2, 18)),
    ("礼拜二", day(2025, 2, 18)),
    ("週二", day(2025, 2, 18)),
    ("禮拜二", day(2025, 2, 18)),
    ("周一", day(2025, 2, 17)),
    ("周五", day(2025, 2, 21)),
    ("星期天", day(2025, 2, 23)),
    ("星期日", day(2025, 2, 23)),
    ("周日", day(2025, 2, 23)),
    ("礼拜天", day(2025, 2, 23)),
    ("上周二", day(2025, 2, 11)),
    ("上週二", day(2025, 2, 11)),
    ("下周三", day(2025, 2, 26)),
    ("本周五", day(2025, 2, 21)),
    ("这个星期一", day(2025, 2, 17)),
    ("這個星期一", day(2025, 2, 17)),
    ("上个礼拜天", day(2025, 2, 16)),
    ("下星期一", day(2025, 2, 24)),
    # A weekday beside an explicit date must agree with it.
    ("2月18日(周二)", day(2025, 2, 18)),
    ("2月18日（星期二）", day(2025, 2, 18)),
    ("2025年2月17日 星期一", day(2025, 2, 17)),
    # Weeks: Monday to Sunday, approximate.
    ("上周", LAST_WEEK),
    ("本周", THIS_WEEK),
    ("这周", THIS_WEEK),
    ("这个星期", THIS_WEEK),
    ("下周", NEXT_WEEK),
    ("上個禮拜", LAST_WEEK),
    # Months
    ("本月", month(2025, 2)),
    ("这个月", month(2025, 2)),
    ("上个月", month(2025, 1)),
    ("上月", month(2025, 1)),
    ("下个月", month(2025, 3)),
    ("下月", month(2025, 3)),
    ("3月份", month(2025, 3)),
    ("2024年12月份", month(2024, 12)),
    # Years
    ("去年", year(2024)),
    ("今年", year(2025)),
    ("明年", year(2026)),
    ("前年", year(2023)),
    ("后年", year(2027)),
    # Halves and quarters: approximate spans of months.
    ("上半年", months(D(2025, 1, 1), D(2025, 7, 1))),
    ("下半年", months(D(2025, 7, 1), D(2026, 1, 1))),
    ("2025年上半年", months(D(2025, 1, 1), D(2025, 7, 1))),
    ("去年下半年", months(D(2024, 7, 1), D(2025, 1, 1))),
    ("第一季度", months(D(2025, 1, 1), D(2025, 4, 1))),
    ("一季度", months(D(2025, 1, 1), D(2025, 4, 1))),
    ("2025年第一季度", months(D(2025, 1, 1), D(2025, 4, 1))),
    ("2024年第四季度", months(D(2024, 10, 1), D(2025, 1, 1))),
    ("去年三季度", months(D(2024, 7, 1), D(2024, 10, 1))),
    ("2025年Q2", months(D(2025, 4, 1), D(2025, 7, 1))),
    # Parts of months: 1-10, 11-20, 21 to the end; approximate spans of days.
    ("2月上旬", days(D(2025, 2, 1), D(2025, 2, 11))),
    ("2月中旬", days(D(2025, 2, 11), D(2025, 2, 21))),
    ("2月下旬", days(D(2025, 2, 21), D(2025, 3, 1))),
    ("2月初", days(D(2025, 2, 1), D(2025, 2, 11))),
    ("2月中", days(D(2025, 2, 11), D(2025, 2, 21))),
    ("2月底", days(D(2025, 2, 21), D(2025, 3, 1))),
    ("2月末", days(D(2025, 2, 21), D(2025, 3, 1))),
    ("2024年2月底", days(D(2024, 2, 21), D(2024, 3, 1))),
    ("12月下旬", days(D(2024, 12, 21), D(2025, 1, 1))),
    ("3月份上旬", days(D(2025, 3, 1), D(2025, 3, 11))),
    ("月初", days(D(2025, 2, 1), D(2025, 2, 11))),
    ("月中", days(D(2025, 2, 11), D(2025, 2, 21))),
    ("月底", days(D(2025, 2, 21), D(2025, 3, 1))),
    ("月末", days(D(2025, 2, 21), D(2025, 3, 1))),
    ("上月底", days(D(2025, 1, 21), D(2025, 2, 1))),
    ("上个月中旬", days(D(2025, 1, 11), D(2025, 1, 21))),
    ("下月初", days(D(2025, 3, 1), D(2025, 3, 11))),
    # Parts of years: the first quarter, May to August; 年底 and 年末 are December.
    ("年初", months(D(2025, 1, 1), D(2025, 4, 1))),
    ("年中", months(D(2025, 5, 1), D(2025, 9, 1))),
    ("年底", months(D(2025, 12, 1), D(2026, 1, 1))),
    ("年末", months(D(2025, 12, 1), D(2026, 1, 1))),
    ("2024年底", months(D(2024, 12, 1), D(2025, 1, 1))),
    ("2024年年底", months(D(2024, 12, 1), D(2025, 1, 1))),
    ("去年年底", months(D(2024, 12, 1), D(2025, 1, 1))),
    ("今年年初", months(D(2025, 1, 1), D(2025, 4, 1))),
    ("明年年中", months(D(2026, 5, 1), D(2026, 9, 1))),
    # Offsets: days exact, weeks approximate, months and years at their precision.
    ("三天前", day(2025, 2, 15)),
    ("3天前", day(2025, 2, 15)),
    ("三天后", day(2025, 2, 21)),
    ("三日前", day(2025, 2, 15)),
    ("十天之前", day(2025, 2, 8)),
    ("两周后", day(2025, 3, 4, approx=True)),
    ("一周前", day(2025, 2, 11, approx=True)),
    ("两个星期前", day(2025, 2, 4, approx=True)),
    ("三个月前", month(2024, 11)),
    ("三個月後", month(2025, 5)),
    ("两年前", year(2023)),
    ("一百天前", day(2024, 11, 10)),
    # Numerals and traditional characters
    ("2015年3月3號", day(2015, 3, 3)),
    ("二零一五年三月三日", day(2015, 3, 3)),
    ("二〇二五年", year(2025)),
    ("二月十五号", day(2025, 2, 15)),
    ("二月十五號", day(2025, 2, 15)),
    ("十二月二十一日", day(2024, 12, 21)),
    # Ranges
    ("2月9日至10日", day(2025, 2, 9, 10)),
    ("7月13日到15日", day(2025, 7, 13, 15)),
    ("2月9日-10日", day(2025, 2, 9, 10)),
]

ENGLISH = [
    # Relative days
    ("today", day(2025, 2, 18)),
    ("Today", day(2025, 2, 18)),
    ("yesterday", day(2025, 2, 17)),
    ("tomorrow", day(2025, 2, 19)),
    ("the day before yesterday", day(2025, 2, 16)),
    ("the day after tomorrow", day(2025, 2, 20)),
    # Weekdays: in the reference's ISO week, as in Chinese.
    ("Tuesday", day(2025, 2, 18)),
    ("on Tuesday", day(2025, 2, 18)),
    ("Monday", day(2025, 2, 17)),
    ("Sunday", day(2025, 2, 23)),
    ("Fri", day(2025, 2, 21)),
    ("last Tuesday", day(2025, 2, 11)),
    ("next Wednesday", day(2025, 2, 26)),
    ("this Friday", day(2025, 2, 21)),
    ("Tuesday of this week", day(2025, 2, 18)),
    ("Wednesday of next week", day(2025, 2, 26)),
    ("Thursday of last week", day(2025, 2, 13)),
    ("Monday next week", day(2025, 2, 24)),
    ("Monday, Feb 17", day(2025, 2, 17)),
    ("Tuesday, Feb 18, 2025", day(2025, 2, 18)),
    ("Sunday 23 February 2025", day(2025, 2, 23)),
    # Weeks, months, years
    ("last week", LAST_WEEK),
    ("this week", THIS_WEEK),
    ("next week", NEXT_WEEK),
    ("this month", month(2025, 2)),
    ("last month", month(2025, 1)),
    ("next month", month(2025, 3)),
    ("in March", month(2025, 3)),
    ("in December", month(2024, 12)),
    ("in 2024", year(2024)),
    ("last year", year(2024)),
    ("this year", year(2025)),
    ("next year", year(2026)),
    # Halves and quarters
    ("the first half of 2025", months(D(2025, 1, 1), D(2025, 7, 1))),
    ("the second half of last year", months(D(2024, 7, 1), D(2025, 1, 1))),
    ("the second quarter of 2024", months(D(2024, 4, 1), D(2024, 7, 1))),
    ("the fourth quarter", months(D(2025, 10, 1), D(2026, 1, 1))),
    ("Q1 2025", months(D(2025, 1, 1), D(2025, 4, 1))),
    ("2025 Q3", months(D(2025, 7, 1), D(2025, 10, 1))),
    ("Q4", months(D(2025, 10, 1), D(2026, 1, 1))),
    ("H2 2024", months(D(2024, 7, 1), D(2025, 1, 1))),
    # Parts of months and years
    ("early March", days(D(2025, 3, 1), D(2025, 3, 11))),
    ("mid-March", days(D(2025, 3, 11), D(2025, 3, 21))),
    ("late March", days(D(2025, 3, 21), D(2025, 4, 1))),
    ("late March 2024", days(D(2024, 3, 21), D(2024, 4, 1))),
    ("in early February", days(D(2025, 2, 1), D(2025, 2, 11))),
    ("the beginning of April", days(D(2025, 4, 1), D(2025, 4, 11))),
    ("late 2012", months(D(2012, 10, 1), D(2013, 1, 1))),
    ("the end of April", days(D(2025, 4, 21), D(2025, 5, 1))),
    ("at the end of last month", days(D(2025, 1, 21), D(2025, 2, 1))),
    ("the end of 2012", months(D(2012, 12, 1), D(2013, 1, 1))),
    ("the end of the year", months(D(2025, 12, 1), D(2026, 1, 1))),
    ("the beginning of next year", months(D(2026, 1, 1), D(2026, 4, 1))),
    ("early 2025", months(D(2025, 1, 1), D(2025, 4, 1))),
    ("mid-2025", months(D(2025, 5, 1), D(2025, 9, 1))),
    ("late 2024", months(D(2024, 10, 1), D(2025, 1, 1))),
    # Offsets
    ("3 days ago", day(2025, 2, 15)),
    ("three days ago", day(2025, 2, 15)),
    ("a day ago", day(2025, 2, 17)),
    ("in 3 days", day(2025, 2, 21)),
    ("a week ago", day(2025, 2, 11, approx=True)),
    ("three weeks ago", day(2025, 1, 28, approx=True)),
    ("in two weeks", day(2025, 3, 4, approx=True)),
    ("two weeks later", day(2025, 3, 4, approx=True)),
    ("three months later", month(2025, 5)),
    ("three months ago", month(2024, 11)),
    ("a month ago", month(2025, 1)),
    ("two years ago", year(2023)),
    ("a year earlier", year(2024)),
    # Ordinals and word order
    ("the 15th of February", day(2025, 2, 15)),
    ("February the 15th", day(2025, 2, 15)),
    ("15th February", day(2025, 2, 15)),
    ("February 15th", day(2025, 2, 15)),
    ("march third 2015", day(2015, 3, 3)),
    ("March the twenty-first, 2025", day(2025, 3, 21)),
    ("4th of July", day(2025, 7, 4)),
    ("the 4th of July, 2024", day(2024, 7, 4)),
    # Ranges
    ("July 13-15", day(2025, 7, 13, 15)),
    ("from 13 to 15 July", day(2025, 7, 13, 15)),
    ("August 27th - 29th", day(2024, 8, 27, 29)),
    ("August 27th - 29th, 2025", day(2025, 8, 27, 29)),
    ("23rd to 26th Oct", day(2024, 10, 23, 26)),
    ("1-8 September", day(2024, 9, 1, 8)),
    ("1-8 September 2025", day(2025, 9, 1, 8)),
    ("July 13 thru 15", day(2025, 7, 13, 15)),
    ("from March 3 to March 5, 2025", day(2025, 3, 3, 5)),
    # Numeric dates that are not a guess
    ("31/10/1974", day(1974, 10, 31)),
    ("10/31/1974", day(1974, 10, 31)),
    ("31.10.1974", day(1974, 10, 31)),
    ("3/3/2025", day(2025, 3, 3)),
]


@pytest.mark.parametrize(("text", "expected"), CHINESE)
def test_chinese(text: str, expected: When) -> None:
    assert parse_when(text, reference=REFERENCE) == expected


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_english(text: str, expected: When) -> None:
    assert parse_when(text, reference=REFERENCE) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("昨天下午3点", datetime.datetime(2025, 2, 17, 15)),
        ("上周二 14:00", datetime.datetime(2025, 2, 11, 14)),
        ("周五上午9点半", datetime.datetime(2025, 2, 21, 9, 30)),
        ("明天9:30", datetime.datetime(2025, 2, 19, 9, 30)),
        ("2月18日(周二)下午3点", datetime.datetime(2025, 2, 18, 15)),
        ("yesterday at 3 pm", datetime.datetime(2025, 2, 17, 15)),
        ("last Tuesday 9:30 am", datetime.datetime(2025, 2, 11, 9, 30)),
        ("Friday at 10:00", datetime.datetime(2025, 2, 21, 10)),
        ("Monday, Feb 17, 2025 9:30 AM", datetime.datetime(2025, 2, 17, 9, 30)),
    ],
)
def test_relative_day_and_time(text: str, expected: datetime.datetime) -> None:
    when = parse_when(text, reference=REFERENCE, tz="Asia/Shanghai")
    assert when == When(
        expected.replace(tzinfo=datetime.timezone(datetime.timedelta(hours=8))), None, "datetime"
    )


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        # On a Sunday the bare weekday stays in the week that ends that day.
        ("周一", D(2025, 2, 23), day(2025, 2, 17)),
        ("Monday", D(2025, 2, 23), day(2025, 2, 17)),
        ("下周一", D(2025, 2, 23), day(2025, 2, 24)),
        ("上周", D(2025, 1, 1), days(D(2024, 12, 23), D(2024, 12, 30))),
        ("上个月", D(2025, 1, 31), month(2024, 12)),
        ("下个月", D(2024, 12, 15), month(2025, 1)),
        ("三个月前", D(2025, 5, 31), month(2025, 2)),
        ("one month ago", D(2025, 3, 31), month(2025, 2)),
        # Without a year, a part of a month is in the year nearest the reference.
        ("12月底", D(2025, 1, 5), days(D(2024, 12, 21), D(2025, 1, 1))),
        ("early January", D(2024, 12, 20), days(D(2025, 1, 1), D(2025, 1, 11))),
        ("2月底", D(2024, 2, 1), days(D(2024, 2, 21), D(2024, 3, 1))),
        ("12月份", D(2025, 1, 5), month(2024, 12)),
    ],
)
def test_relative_to_other_references(text: str, reference: D, expected: When) -> None:
    assert parse_when(text, reference=reference) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # Numeric day and month in an order that cannot be told
        ("3/4/2025", "3/4/2025 is ambiguous: 2025-04-03 (day first) or 2025-03-04 (month first)"),
        ("03.04.2025", "is ambiguous"),
        ("13/14/2025", "neither 13 nor 14 can be a month"),
        ("3/4/25", "could be read in more than one order"),
        # A weekday that contradicts its date
        ("Monday, Feb 18", "2025-02-18 is a Tuesday, not a Monday"),
        ("Monday, Feb 18, 2025", "2025-02-18 is a Tuesday, not a Monday"),
        ("2月18日星期一", "2025-02-18 is a Tuesday, not a Monday"),
        ("2月18日(周三)下午3点", "2025-02-18 is a Tuesday, not a Wednesday"),
        ("Monday, Feb 17-18, 2025", "not a date form"),
        # Vague counts and words: never a guess
        ("两三天前", "a vague count (两三)"),
        ("几天后", "a vague count (几)"),
        ("a few days ago", "a vague count (a few)"),
        ("2015年前", "not a date form"),
        ("上旬", "not a date form"),
        ("底", "not a date form"),
        ("今天上午", "not a date form"),
        ("someday", "not a date form"),
        ("周八", "not a date form"),
        ("9999 years later", "year 12024 is out of range"),
        ("2月30日至3月1日", "day 30 is out of range"),
    ],
)
def test_refusals(text: str, reason: str) -> None:
    with pytest.raises(WhenError, match=re.escape(f"cannot read a date in {text!r}: ")) as info:
        parse_when(text, reference=REFERENCE, tz="Asia/Shanghai")
    assert reason in str(info.value)


@pytest.mark.parametrize("text", ["someday", "next blue moon", "半个月", "下午3点"])
def test_unreadable_form_lists_the_forms_read(text: str) -> None:
    with pytest.raises(WhenError) as info:
        parse_when(text, reference=REFERENCE)
    assert str(info.value).startswith(f"cannot read a date in {text!r}: ")
    assert str(info.value).endswith(f"; {FORMS}")


def test_impossible_values_do_not_list_the_forms() -> None:
    with pytest.raises(WhenError) as info:
        parse_when("2月30日", reference=REFERENCE)
    assert FORMS not in str(info.value)


@given(st.dates(min_value=D(1901, 1, 1), max_value=D(2099, 12, 31)), st.integers(1, 7))
def test_weekdays_are_in_the_reference_week(reference: D, number: int) -> None:
    names = "一二三四五六日"
    when = parse_when(f"周{names[number - 1]}", reference=reference)
    assert isinstance(when.start, D)
    assert when.start.isocalendar()[:2] == reference.isocalendar()[:2]
    assert when.start.isoweekday() == number
    assert parse_when(f"上周{names[number - 1]}", reference=reference).start == (
        when.start - datetime.timedelta(days=7)
    )
    english = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()[number - 1]
    assert parse_when(english, reference=reference) == when
    assert parse_when(f"next {english}", reference=reference) == parse_when(
        f"下周{names[number - 1]}", reference=reference
    )


@given(st.dates(min_value=D(1901, 1, 1), max_value=D(2099, 12, 31)))
def test_weeks_hold_their_reference(reference: D) -> None:
    when = parse_when("本周", reference=reference)
    assert isinstance(when.start, D) and isinstance(when.end, D)
    assert when.start <= reference < when.end
    assert (when.end - when.start).days == 7 and when.start.isoweekday() == 1
    assert when.approximate and parse_when("this week", reference=reference) == when


@given(st.dates(min_value=D(1901, 1, 1), max_value=D(2099, 12, 31)))
def test_parts_of_a_month_tile_it(reference: D) -> None:
    text = f"{reference.year}年{reference.month}月"
    parts = [parse_when(text + part, reference=REFERENCE) for part in ("上旬", "中旬", "下旬")]
    whole = parse_when(text, reference=REFERENCE)
    assert parts[0].start == whole.start and parts[-1].end == whole.end
    assert parts[0].end == parts[1].start and parts[1].end == parts[2].start
    assert all(part.approximate and part.precision == "day" for part in parts)
