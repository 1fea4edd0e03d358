"""Chinese date words: traditional characters, numerals, relative days, weeks and parts."""

import datetime
import re

from timeline.dates import periods as cal
from timeline.dates.periods import When

_TRADITIONAL = str.maketrans("號週禮個後兩這點時間來", "号周礼个后两这点时间来")
_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_NUMBER = re.compile(r"[〇零一二两三四五六七八九十百]+")
_TENS = re.compile(
    r"(?:(?P<h>[一二两三四五六七八九])百零?)?(?:(?P<t>[一二两三四五六七八九])?(?P<ten>十))?"
    r"(?P<u>[一二三四五六七八九])?"
)
_WEEKDAY_NAMES = {str(i): i for i in range(1, 8)} | {"日": 7, "天": 7}
_WEEKDAY = r"(?:周|星期|礼拜)(?P<wd>[1-7日天])"
# A weekday written beside an explicit day, as in 2月18日(周二) or 2月18日星期二.
_DATED_WEEKDAY = re.compile(r"(?<=[日号])\(?(?:周|星期|礼拜)([1-7日天])\)?")
# 昨天下午3点, 周二9:30: a relative day and then a time of day.
_TIMED = re.compile(
    r"(?P<day>(?:大前|前|昨|今|明|后|大后)[天日]|(?:[上下本这]个?)?(?:周|星期|礼拜)[1-7日天])"
    r"(?P<time>(?:凌晨|早上|上午|中午|下午|傍晚|晚上)?\d.*)"
)
_YEAR = re.compile(r"(?:(?P<year>\d{4})|(?P<relative>[前去今明后]))年")
_RELATIVE_YEARS = {"前": -2, "去": -1, "今": 0, "明": 1, "后": 2}
_DAYS = {"大前": -3, "前": -2, "昨": -1, "今": 0, "明": 1, "后": 2, "大后": 3}
_STEPS = {"上": -1, "下": 1, "本": 0, "这": 0}
_PARTS = {"上旬": "early", "初": "early", "中旬": "mid", "中": "mid"}
_PARTS |= {"下旬": "late", "底": "late", "末": "late"}
_PART = "(?P<part>上旬|中旬|下旬|初|中|底|末)"
_UNITS = {"天": "day", "日": "day", "周": "week", "星期": "week", "礼拜": "week"}
_UNITS |= {"月": "month", "年": "year"}

_RELATIVE_DAY = re.compile(r"(?P<day>大前|前|昨|今|明|后|大后)[天日]")
# 三个月前, 两周后; 年 only after at most three digits, since 2015年前 means before 2015.
_OFFSET = re.compile(
    r"(?P<n>\d{1,4})(?:(?P<unit>天|日|周)|个?(?P<unit2>星期|礼拜)|个(?P<unit3>月))"
    r"[之以]?(?P<dir>[前后])|(?P<years>\d{1,3})年[之以]?(?P<ydir>[前后])"
)
_WEEK = re.compile(r"(?P<step>[上下本这])个?(?:周|星期|礼拜)(?:(?P<wd>[1-7日天]))?")
_BARE_WEEKDAY = re.compile(_WEEKDAY)
_RELATIVE_MONTH = re.compile(rf"(?P<step>[上下本这])个?月{_PART}?")
_BARE_MONTH_PART = re.compile(r"月(?P<part>初|中|底|末)")
_MONTH_PART = re.compile(rf"(?P<month>\d{{1,2}})月{_PART}")
_YEAR_PART = re.compile(r"(?P<nian>年)?(?P<part>初|中|底|末)")
_HALF = re.compile(r"(?P<half>[上下])半年")
_QUARTER = re.compile(r"第?(?P<q>[1-4])季度|[Qq](?P<q2>[1-4])")


def simplify(text: str) -> str:
    """Return ``text`` with the traditional characters of dates in simplified form
    (號 号, 週 周, 禮拜 礼拜, 個 个, 後 后, 兩 两, 這 这, 點 点, 時間 时间)."""
    return text.translate(_TRADITIONAL)


def arabic(text: str) -> str:
    """Return ``text`` with its Chinese numerals in ASCII digits: single digits (三),
    numbers with 十 and 百 (十五, 二十一, 一百零五) and four-digit years written digit by
    digit (二〇二五, 二零一五). Raises ValueError for a run that is none of these, such as
    两三 (two or three), which read digit by digit would be a wrong 23."""
    return _NUMBER.sub(_number, text)


def _number(match: re.Match[str]) -> str:
    run = match.group()
    if "十" not in run and "百" not in run:
        if len(run) in (1, 4):
            return "".join(str(_DIGITS[c]) for c in run)
        raise ValueError(f"cannot read the Chinese number {run!r}")
    parts = _TENS.fullmatch(run)
    if parts is None or not run:
        raise ValueError(f"cannot read the Chinese number {run!r}")
    hundreds = _DIGITS[parts["h"]] if parts["h"] else 0
    tens = (_DIGITS[parts["t"]] if parts["t"] else 1) if parts["ten"] else 0
    units = _DIGITS[parts["u"]] if parts["u"] else 0
    return str(hundreds * 100 + tens * 10 + units)


def split_weekday(text: str) -> tuple[str, int | None]:
    """Take a weekday written beside an explicit day (2月18日(周二), 2月18日星期二) out of
    simplified ``text`` with ASCII digits; return the rest and the weekday (ISO 1..7) or
    None."""
    match = _DATED_WEEKDAY.search(text)
    if match is None:
        return text, None
    return text[: match.start()] + text[match.end() :], _WEEKDAY_NAMES[match[1]]


def anchor(text: str, reference: datetime.date) -> str | None:
    """Return simplified ``text`` with ASCII digits whose leading relative day is followed
    by a time of day with the day written as a date (昨天下午3点: 2025年2月17日下午3点), or
    None for text that does not start so."""
    match = _TIMED.fullmatch(text)
    if match is None:
        return None
    when = _relative(match["day"], reference)
    assert when is not None and isinstance(when.start, datetime.date)
    start = when.start
    return f"{start.year}年{start.month}月{start.day}日{match['time']}"


def read_relative(text: str, reference: datetime.date) -> When | None:
    """Read the relative and vague forms of simplified ``text`` with ASCII digits and no
    spaces, counting from ``reference``; return None for text that is none of them.

    Days: 今天, 昨天, 前天, 大前天, 明天, 后天, 大后天 (今日, 昨日...). Weekdays: 周二,
    星期二, 礼拜天 (in the ISO week of ``reference``, Monday first), 上周二, 下周三,
    本周五, 这个星期一. Weeks: 上周, 本周, 下周 (Monday to Sunday, approximate). Months:
    本月, 上个月, 下月, with a part (上月底). Years with a part: 年底, 2024年底, 去年年初,
    上半年, 2025年下半年, 一季度, 2025年第一季度 (approximate months). Months with a part:
    2月中旬, 3月初, 月底. Offsets: 三天前, 两周后, 三个月前, 两年前 (see
    :func:`timeline.dates.periods.offset`). Raises ValueError for impossible values.
    """
    year_match = _YEAR.match(text)
    year: int | None = None
    rest = text
    if year_match is not None:
        if year_match["year"]:
            year = int(year_match["year"])
        else:
            year = reference.year + _RELATIVE_YEARS[year_match["relative"]]
        rest = text[year_match.end() :]
    if (match := _YEAR_PART.fullmatch(rest)) is not None:
        if year is None and not match["nian"]:
            return None
        return cal.part_of_year(year or reference.year, *cal.YEAR_PARTS[_PARTS[match["part"]]])
    if (match := _HALF.fullmatch(rest)) is not None:
        first = 1 if match["half"] == "上" else 7
        return cal.part_of_year(year or reference.year, first, 6)
    if (match := _QUARTER.fullmatch(rest)) is not None:
        quarter = int(match["q"] or match["q2"])
        return cal.part_of_year(year or reference.year, 3 * quarter - 2, 3)
    if (match := _MONTH_PART.fullmatch(rest)) is not None:
        month, part = int(match["month"]), _PARTS[match["part"]]
        if year is not None:
            return cal.part_of_month(year, month, part)
        return cal.nearest(reference, lambda y: cal.part_of_month(y, month, part))
    if year is not None:
        return None
    return _relative(text, reference)


def _relative(text: str, reference: datetime.date) -> When | None:
    """Read the forms of :func:`read_relative` that take no year."""
    if (match := _RELATIVE_DAY.fullmatch(text)) is not None:
        return cal.day(reference + _DAYS[match["day"]] * cal.DAY)
    if (match := _OFFSET.fullmatch(text)) is not None:
        sign = -1 if (match["dir"] or match["ydir"]) == "前" else 1
        if match["years"]:
            return cal.offset(reference, int(match["years"]), "year", sign)
        unit = _UNITS[match["unit"] or match["unit2"] or match["unit3"]]
        return cal.offset(reference, int(match["n"]), unit, sign)
    if (match := _WEEK.fullmatch(text)) is not None:
        step = _STEPS[match["step"]]
        if match["wd"] is None:
            return cal.week(reference, step)
        return cal.weekday(reference, _WEEKDAY_NAMES[match["wd"]], step)
    if (match := _BARE_WEEKDAY.fullmatch(text)) is not None:
        return cal.weekday(reference, _WEEKDAY_NAMES[match["wd"]])
    month: When | None = None
    part: str | None = None
    if (match := _RELATIVE_MONTH.fullmatch(text)) is not None:
        month, part = cal.month_offset(reference, _STEPS[match["step"]]), match["part"]
    elif (match := _BARE_MONTH_PART.fullmatch(text)) is not None:
        month, part = cal.month_offset(reference, 0), match["part"]
    if month is None or part is None:
        return month
    assert isinstance(month.start, datetime.date)
    return cal.part_of_month(month.start.year, month.start.month, _PARTS[part])
