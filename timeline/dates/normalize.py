"""Read the dates of Chinese and English news text as calendar spans.

Relative text counts from ``reference``, the article's publication date, by these rules
(the same in both languages):

- A bare weekday (周二, 星期二, Tuesday) is the day of that name in the ISO week of the
  reference (Monday first), even when that day is still to come; 上周二 and last Tuesday
  are in the previous ISO week, 下周三 and next Wednesday in the next one.
- A week (上周, this week) is Monday to Sunday: seven days, precision ``day``, approximate.
- Parts of a month are days 1-10 (上旬, 月初, early, the beginning of), 11-20 (中旬, 月中,
  mid) and 21 to the last day (下旬, 月底, 月末, late, the end of): precision ``day``,
  approximate. Parts of a year are January-March (年初, early), May-August (年中, mid) and
  October-December (年底, 年末, late, the end of); halves and quarters are their months:
  precision ``month``, approximate.
- Offsets: 三天前, 3 days ago give that day; a count of weeks gives the day counted,
  approximate; 三个月前 gives the month reached (precision ``month``: the day is not said);
  两年前 the year.
- ``approximate`` marks a span that holds the event somewhere inside it, never a range
  the event fills; a vague count (几天后, 两三天前, a few weeks ago) is refused.
- Numeric dates whose day and month could be swapped (3/4/2025) are refused; 31/10/1974
  and 3/3/2025 are read. A weekday written beside a date (Monday, Feb 17) must agree with it.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateutil_parser

from timeline.dates import chinese, english
from timeline.dates.periods import Precision, When, check_weekday, day_month

__all__ = ["FORMS", "MAX_LENGTH", "Precision", "When", "WhenError", "parse_when"]

MAX_LENGTH = 200
#: What an error about an unreadable form says this module reads.
FORMS = (
    "it reads dates (2025-02-17, Feb 17 2025, 17 February, 2月17日, 二〇二五年三月三日), "
    "ranges (Feb 9-10, 2月9日至10日), months and years (March 2025, 去年12月, Q1 2025, "
    "2025年上半年), relative days and weeks (yesterday, 昨天, last Tuesday, 上周二, next week), "
    "parts (early March, 2月中旬, 年底) and offsets (3 days ago, 三个月前)"
)

_DAY = datetime.timedelta(days=1)
_RELATIVE_YEARS = {"前": -2, "去": -1, "今": 0, "明": 1, "后": 2}
# 2月9日，为期两天: a first day and a length in days (NFKC has made the comma ASCII).
_ZH_DURATION = re.compile(r"(?P<date>.+?)[,、]?为期(?P<days>\d+)天", re.ASCII)
_HAN = re.compile(r"[\u3007\u4e00-\u9fff]")
_ZH_DATE = re.compile(
    r"""
    (?P<beijing>北京时间)?
    (?: (?P<year>\d{4})年 | (?P<relative>[前去今明后])年 )?
    (?: (?P<month>\d{1,2})月
        (?: (?P<day>\d{1,2})
            (?: [日号]? [至到~\-–—]
                (?: (?: (?P<year2>\d{4})年 )? (?P<month2>\d{1,2})月 )?
                (?P<day2>\d{1,2}) [日号]
              | [日号]
                (?: (?P<period>凌晨|早上|上午|中午|下午|傍晚|晚上)? (?P<hour>\d{1,2})
                    (?: :(?P<minute>\d{2}) (?: :(?P<second>\d{2}) )?
                      | [时点] (?: (?P<zh_minute>\d{1,2})分 | (?P<half>半) | 整 )? )
                )?
            )
        )?
    )?
    """,
    re.VERBOSE | re.ASCII,
)
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*", re.ASCII | re.IGNORECASE)
_NUMERIC_DATE = re.compile(
    r"(?P<year>\d{4})(?:(?P<sep>[-/.])(?P<month>\d{1,2})(?:(?P=sep)(?P<day>\d{1,2}))?)?", re.ASCII
)
_EN_RANGE = re.compile(
    r"(?P<first>[^:]*?\d)\s*(?:[-–—]|\bto\b|\bthrough\b|\buntil\b)\s*(?P<last>\S.*)",
    re.IGNORECASE,
)
_EN_TIME_RANGE = re.compile(
    r"(?:\d:\d{2}|\d\s*[ap]\.?m\.?)\s*(?:[-–—]|\bto\b|\buntil\b)\s*\d", re.IGNORECASE
)
# 3/4/2025 and 31.10.1974: day and month in either order.
_DAY_MONTH = re.compile(
    r"(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d+)", re.ASCII
)
_BARE_DAY = re.compile(r"(?P<day>\d{1,2})(?:,?\s*(?P<year>\d{4}))?", re.ASCII)
# News writes UTC+8 for +08:00, but dateutil follows POSIX and would read it as -08:00.
_UTC_PREFIX = re.compile(r"\b(?:UTC|GMT)\s*(?=[+-]\d)", re.IGNORECASE)
# Two defaults differing in every field reveal which fields dateutil filled in itself;
# both are leap years so that a year-less 29 February parses.
_DATEUTIL_DEFAULTS = (datetime.datetime(2000, 1, 1), datetime.datetime(2004, 2, 2, 1, 1, 1))


class WhenError(ValueError):
    """Raised for impossible or unparseable date text; the message quotes the input."""


class _UnknownFormError(ValueError):
    """Text that is none of the forms read; the message then lists them (FORMS)."""


@dataclass(frozen=True)
class _Fields:
    """What the text gives; ``last`` is a range's last day as (year, month, day)."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    last: tuple[int | None, int | None, int] | None = None
    time: datetime.time | None = None
    tzinfo: datetime.tzinfo | None = None


def parse_when(text: str, *, reference: datetime.date, tz: str | None = None) -> When:
    """Read the date, day range, month, year or moment that ``text`` names.

    ``text`` is ISO 8601 (``2025-02-17``, ``2025-02``, ``2025``, ``2025-02-17T09:30+08:00``),
    ``2025/2/17``, English (``Feb 17, 2025``, ``17 February 2025``, ``Dec 2024``, ``Jan 31``,
    ``Feb 9-10, 2025``, ``Jan 31 - Feb 2, 2025``, ``Feb 17, 2025 9:30 AM``) or Chinese
    (``2025年2月9日``, ``去年12月``, ``二月十七日``, ``2月9日至10日``, ``2月17日下午3点``,
    ``2月9日，为期两天``: a first day and a length in days),
    with full-width characters, traditional characters (號, 週, 禮拜, 個, 後), Chinese
    numerals and stray spaces allowed; also the relative and vague forms of
    :func:`timeline.chinese.read_relative` and :func:`timeline.english.read_relative`
    (昨天, 上周二, 2月中旬, 年底, 三个月前, last Tuesday, early March, Q1 2025, 3 days ago),
    a relative day with a time (昨天下午3点, yesterday at 3 pm), English ordinals and ranges
    (the 15th of February, 4th of July, from 13 to 15 July, July 13 thru 15) and numeric
    dates whose day and month cannot be swapped (31/10/1974), by the rules of the module's
    docstring. ``今年``, ``去年``, ``明年``, ``前年`` and ``后年`` count from
    ``reference.year``. A date without a year takes the
    year that puts it nearest to ``reference`` (ties go to the earlier); a range without
    any year whose end month comes before its start month crosses New Year.

    A time of day gives precision ``datetime``: an aware start in the text's own offset
    (``+08:00``, ``Z``, ``UTC+8``, ``北京时间``) or else in the IANA zone ``tz``. A wall time
    repeated by a DST change means its first occurrence (fold=0).

    Raises WhenError, whose message quotes ``text``, for text longer than MAX_LENGTH, text
    that is not one of these forms (the message then lists them: FORMS), day and month in
    an order that cannot be told, a weekday that contradicts the date, impossible dates,
    ranges that end before they start, a time of day with neither an offset nor ``tz``, a
    wall time skipped by a DST change, and an unknown ``tz``.
    """
    try:
        if len(text) > MAX_LENGTH:
            raise ValueError(f"longer than {MAX_LENGTH} characters")
        zone = _zone(tz)
        if isinstance(reference, datetime.datetime):
            reference = reference.date()
        clean = unicodedata.normalize("NFKC", text).strip()
        if not clean:
            raise ValueError("no text")
        return _read(clean, reference, zone)
    except (ValueError, OverflowError) as error:
        shown = text if len(text) <= MAX_LENGTH else text[:40] + "…"
        hint = f"; {FORMS}" if isinstance(error, _UnknownFormError) else ""
        raise WhenError(f"cannot read a date in {shown!r}: {error}{hint}") from error


def _read(clean: str, reference: datetime.date, zone: ZoneInfo | None) -> When:
    """Read NFKC-normalized, stripped text: relative and vague forms, then dates."""
    weekday, when = None, None
    if _HAN.search(clean):
        clean = re.sub(r"\s+", "", chinese.simplify(clean))
        clean, weekday = chinese.split_weekday(chinese.arabic(clean).replace("月份", "月"))
        if (timed := chinese.anchor(clean, reference)) is not None:
            clean = timed
        else:
            when = chinese.read_relative(clean, reference)
    elif re.search(r"[A-Za-z]", clean):
        clean = english.words(clean)
        if (timed := english.anchor(clean, reference)) is not None:
            clean = timed
        else:
            clean, weekday = english.split_weekday(clean)
            when = english.read_relative(clean, reference)
        clean = english.absolute(clean)
    if when is None:
        duration = _ZH_DURATION.fullmatch(clean)
        if duration is None:
            when = _resolve(_fields(clean, reference), reference, zone)
        else:
            first = _resolve(_fields(duration["date"], reference), reference, zone)
            when = _lasting(first, int(duration["days"]))
    if weekday is not None:
        check_weekday(when, weekday)
    return when


def _lasting(first: When, days: int) -> When:
    """Stretch a single day to ``days`` days (为期两天: two days from it)."""
    if first.precision != "day" or first.end != first.start + _DAY:
        raise ValueError("a length in days needs a single first day")
    if not 1 <= days <= 366:
        raise ValueError(f"a length of {days} days is out of range")
    assert isinstance(first.start, datetime.date)
    return When(first.start, first.start + days * _DAY, "day")


def _zone(tz: str | None) -> ZoneInfo | None:
    if tz is None:
        return None
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise ValueError(f"unknown time zone {tz!r}") from error


def _fields(text: str, reference: datetime.date) -> _Fields:
    """Pick the reader for text already NFKC-normalized and stripped."""
    if _ISO_DATETIME.fullmatch(text):
        moment = datetime.datetime.fromisoformat(text)
        return _Fields(moment.year, moment.month, moment.day, None, moment.time(), moment.tzinfo)
    if (match := _NUMERIC_DATE.fullmatch(text)) is not None:
        month, day = (int(g) if g else None for g in (match["month"], match["day"]))
        return _Fields(int(match["year"]), month, day)
    if _HAN.search(text):
        return _chinese(text, reference)
    if re.search(r"[A-Za-z]", text):
        return _english(text)
    if (match := _DAY_MONTH.fullmatch(text)) is not None:
        return _Fields(*day_month(int(match["a"]), int(match["b"]), match["year"]))
    raise _UnknownFormError("not a date form this module can read")


def _chinese(text: str, reference: datetime.date) -> _Fields:
    match = _ZH_DATE.fullmatch(text)
    if match is None:
        raise _UnknownFormError("not a date form this module can read")
    number = {k: int(v) for k, v in match.groupdict().items() if v is not None and v.isdigit()}
    year = number.get("year")
    if match["relative"] is not None:
        year = reference.year + _RELATIVE_YEARS[match["relative"]]
    if year is None and "year2" in number:
        raise ValueError("the range gives a year only at its end")
    time = None
    if "hour" in number:
        minute = number.get("minute", number.get("zh_minute", 30 if match["half"] else 0))
        hour = _hour(match["period"], number["hour"])
        time = datetime.time(hour, minute, number.get("second", 0))
    last = (number.get("year2"), number.get("month2"), number["day2"]) if "day2" in number else None
    tzinfo = ZoneInfo("Asia/Shanghai") if match["beijing"] else None
    return _Fields(year, number.get("month"), number.get("day"), last, time, tzinfo)


def _hour(period: str | None, hour: int) -> int:
    """Turn the hour of a Chinese 12-hour time such as 下午3点 into 0-23."""
    if period is None:
        return hour
    # 晚上12点 is midnight at the end of the day, which would need the next date.
    if not 1 <= hour <= 12 or (period == "晚上" and hour == 12):
        raise ValueError(f"hour {hour} does not go with {period}")
    if hour == 12:
        return 0 if period == "凌晨" else 12
    if period in ("凌晨", "早上", "上午") or (period == "中午" and hour == 11):
        return hour
    return hour + 12


def _english(text: str) -> _Fields:
    if _EN_TIME_RANGE.search(text):
        raise ValueError("time ranges are not supported")
    text = _UTC_PREFIX.sub("", text)
    if (match := _EN_RANGE.fullmatch(text)) is not None:
        try:
            first, last = _english_end(match["first"]), _english_end(match["last"])
        except ValueError:
            first = last = _Fields()
        if last.time is not None:
            raise ValueError("time ranges are not supported")
        # Otherwise the dash is part of a single date, as in 17-Feb-2025.
        if first.day is not None and last.day is not None:
            return _english_range(first, last)
    return _dateutil_fields(text)


def _english_end(text: str) -> _Fields:
    """Read one end of a range: a full date, or a bare day as in the 10 of Feb 9-10, 2025."""
    if (match := _BARE_DAY.fullmatch(text)) is not None:
        year = int(match["year"]) if match["year"] else None
        return _Fields(year=year, day=int(match["day"]))
    return _dateutil_fields(text)


def _english_range(first: _Fields, last: _Fields) -> _Fields:
    month = first.month or last.month
    if first.day is None or last.day is None or month is None or first.time is not None:
        raise ValueError("a range needs a month and a day at each end and no time")
    year = first.year if first.year is not None else last.year
    return _Fields(year, month, first.day, (last.year, last.month or month, last.day))


def _dateutil_fields(text: str) -> _Fields:
    """Read English text with dateutil, keeping only the fields that the text gives."""
    try:
        a, b = (
            dateutil_parser.parse(text, default=default, tzinfos=_fixed_zone)
            for default in _DATEUTIL_DEFAULTS
        )
    except dateutil_parser.ParserError as error:
        # Its message would echo the text as rewritten here (two days: 2 days), not as given.
        if str(error.args[0]).startswith(("Unknown string format", "String does not contain")):
            raise _UnknownFormError("Unknown string format") from None
        raise

    def given(field: str) -> int | None:
        value: int = getattr(a, field)
        return value if value == getattr(b, field) else None

    year = given("year")
    # dateutil expands two-digit years relative to today's date.
    if year is not None and not re.search(r"\d{4}", text):
        raise ValueError("write the year with four digits")
    time = a.time() if given("hour") is not None else None
    return _Fields(year, given("month"), given("day"), None, time, a.tzinfo)


def _fixed_zone(name: str | None, offset: int | None) -> datetime.tzinfo | None:
    """Accept numeric offsets and UTC only: abbreviations such as EST or CST are ambiguous."""
    if name is not None and name.upper() not in ("UTC", "GMT", "Z"):
        raise ValueError(f"unknown time zone abbreviation {name!r}; give an offset or tz")
    if name is None and offset is None:
        return None
    return datetime.timezone(datetime.timedelta(seconds=offset or 0))


def _resolve(fields: _Fields, reference: datetime.date, zone: ZoneInfo | None) -> When:
    if fields.month is None and (fields.year is None or fields.day is not None):
        raise ValueError("no year or month found")
    start, end, precision = _nearest(fields, reference)
    if fields.time is None:
        return When(start, end, precision)
    if precision != "day" or fields.last is not None:
        raise ValueError("a time of day needs a single day")
    moment = datetime.datetime.combine(start, fields.time)
    tzinfo = zone if fields.tzinfo is None else fields.tzinfo
    return When(_localize(moment, tzinfo), None, "datetime")


def _nearest(
    fields: _Fields, reference: datetime.date
) -> tuple[datetime.date, datetime.date, Precision]:
    """Return the span of fields, in the year nearest reference if the text gives none."""
    if fields.year is not None:
        return _span(fields.year, fields)
    spans, errors = [], []
    # The neighbouring years suffice except for 29 February: leap years can be 8 years apart.
    for year in sorted(
        range(reference.year - 8, reference.year + 9), key=lambda y: abs(y - reference.year)
    ):
        try:
            spans.append(_span(year, fields))
        except (ValueError, OverflowError) as error:
            errors.append(error)
    if not spans:
        raise errors[0]

    def distance(span: tuple[datetime.date, datetime.date, Precision]) -> int:
        return max((span[0] - reference).days, (reference - span[1]).days + 1, 0)

    return min(spans, key=lambda span: (distance(span), span[0]))


def _span(year: int, fields: _Fields) -> tuple[datetime.date, datetime.date, Precision]:
    """Return start, exclusive end and precision of fields read in year."""
    month, day = fields.month, fields.day
    if month is None:
        return _date(year, 1, 1), _date(year + 1, 1, 1), "year"
    if day is None:
        return _date(year, month, 1), _date(year + month // 12, month % 12 + 1, 1), "month"
    start = _date(year, month, day)
    if fields.last is None:
        return start, start + _DAY, "day"
    last_year, last_month, last_day = fields.last
    last_month = last_month or month
    if last_year is None:
        # With no year anywhere, 12月30日至1月2日 crosses New Year rather than running backwards.
        last_year = year + 1 if fields.year is None and last_month < month else year
    end = _date(last_year, last_month, last_day)
    if end < start:
        raise ValueError(f"the range ends on {end} before it starts on {start}")
    return start, end + _DAY, "day"


def _date(year: int, month: int, day: int) -> datetime.date:
    """Build a date, saying which field is out of range."""
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise ValueError(f"year {year} is out of range")
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is out of range")
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"day {day} is out of range for {year:04d}-{month:02d}") from None


def _localize(naive: datetime.datetime, zone: datetime.tzinfo | None) -> datetime.datetime:
    """Attach zone to a wall time; fold=0 picks the first of two repeated wall times."""
    if zone is None:
        raise ValueError("a time of day needs a UTC offset in the text or a tz")
    aware = naive.replace(tzinfo=zone)
    # A wall time skipped by a DST change does not survive a round trip through UTC.
    if aware.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise ValueError(f"{naive:%Y-%m-%d %H:%M} does not exist in {zone}")
    return aware
