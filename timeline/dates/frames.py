"""Readings of matched expressions: a rule's slots (see :data:`timeline.dates.grammar.SLOTS`)
resolved into a calendar span and a TIMEX3 value, counting from the reference day (or,
for an anaphoric expression, from the date it refers to).

Rules of reading, the same in every language:

- A date without a year takes the year that puts it nearest the reference (ties go to
  the earlier); a day without a month (the 15th, 29日) the nearest month; a range without
  any year whose end comes before its start crosses New Year.
- A bare weekday (周二, Tuesday) is the day of that name in the ISO week of the reference
  (Monday first), unless the caller says the clause is in the past tense (the last such
  day up to the reference) or the future (the next one from it); 上周二 and last
  Tuesday are in the previous ISO week, 下周三 and next Wednesday in the next one; this
  past Wednesday is the last one before the reference, this coming Friday the next after.
- A week is Monday to Sunday (ISO 8601); week 1 of a month is the one holding its 4th.
- Parts of a month are days 1-10, 11-20 and 21 to the end (上旬/中旬/下旬, early/mid/late);
  parts of a year January-March, May-August and October-December; of a week Monday to
  Wednesday, Tuesday to Thursday and Thursday to Sunday; of a quarter, season or decade
  its thirds. Halves, quarters and seasons are their months (winter: December to
  February). All of these are approximate: the event is somewhere inside.
- Offsets: 三天前, 3 days ago are that day; a count of weeks the day counted,
  approximate; months the month reached; years the year.
- What would be a guess is not read: a vague count (几天后, a few days later), day and
  month that could be swapped (3/4/2025), a weekday that disagrees with its date.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace
from typing import Any, Literal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from timeline.dates import periods, timex
from timeline.dates.grammar import Grammar, Match, normalize
from timeline.dates.periods import DAY, When
from timeline.dates.points import Point, PointReader

Kind = Literal["absolute", "relative", "anaphoric"]
#: Slots that make an expression relative to the reference.
_RELATIVE = frozenset(
    """yy year_shift month_shift day_shift week_shift quarter_shift half_shift season_shift
    count span decade_yy""".split()
)
_ABSOLUTE = frozenset({"year", "decade", "century", "era"})
_DATED = frozenset({"day_shift", "count", "year_shift", "month_shift", "vague", "unit"})
_DAYS = frozenset({"day_shift", "count", "vague", "event"})
_PARTS = {"early": "START", "mid": "MID", "late": "END"}
_ANY_DAY = datetime.date(2000, 1, 1)
_UNITS = {"day": "D", "week": "W", "month": "M", "year": "Y", "quarter": "Q", "fortnight": "W"}


@dataclass(frozen=True)
class Reading:
    """What an expression says: its span (None when it cannot be resolved) and TIMEX3
    value ("" then), its kind, TIMEX3 ``mod`` (START, MID, END, APPROX, BEFORE, AFTER,
    ON_OR_BEFORE, ON_OR_AFTER), why it is doubtful (``flag``), whether a tense could turn
    it (a bare weekday), for an anaphoric one its ``offset`` from the date it refers to
    (a signed ISO 8601 duration: ``+P1D``, ``-P2D``, ``+P0D``; ``+PXD`` when vague), the
    event it names (峰会闭幕 of 峰会闭幕当天), a time of day with its zone, and whether an
    anaphoric expression counts in years, months or weeks (同年5月, that year: from any
    date before it, not only a day)."""

    when: When | None
    value: str
    kind: Kind
    mod: str | None = None
    flag: str | None = None
    tense_sensitive: bool = False
    offset: str | None = None
    event: str | None = None
    clock: datetime.time | None = None
    zone: datetime.tzinfo | None = None
    coarse: bool = False


def slots(match: Match, grammar: Grammar) -> dict[str, Any]:
    """Return the values of a match's slots: the rule's fixed ones, then those read from
    the text through their normalizers. Raises ValueError for text that cannot be read."""
    frame: dict[str, Any] = dict(match.rule.fixed)
    for slot, text in match.slots.items():
        frame[slot] = normalize(match.rule, slot, text, grammar)
    return frame


def kind_of(match: Match, frame: dict[str, Any]) -> Kind:
    """Return the kind of an expression from its rule and slots."""
    if match.rule.anaphoric:
        return "anaphoric"
    names = {k.rstrip("2") for k in frame}
    if names & _RELATIVE or not names & (_ABSOLUTE | {"holiday"}):
        return "relative"
    if "holiday" in names and "year" not in names:
        return "relative"
    if "weekday" in names and not names & {"day", "nth"}:
        return "relative"
    if names & {"day", "nth", "weeknum"} and "year" not in names:
        return "relative"
    return "absolute"


def read(
    match: Match,
    grammar: Grammar,
    reference: datetime.date | None,
    *,
    anchor: datetime.date | None = None,
    future: bool | None = None,
    after: datetime.date | None = None,
    extra: dict[str, Any] | None = None,
) -> Reading:
    """Read ``match`` counting from ``reference`` (None: relative expressions stay
    unresolved) and, for an anaphoric rule, from ``anchor`` (None: from the reference).
    ``future`` is the tense of the clause for a bare weekday or a date without a year
    (None: the ISO-week and nearest rules); ``after``: such a date must not begin before
    it (the end of a range); ``extra`` fills slots the text leaves out (the month of 11日
    in 10日、11日). Never raises: what cannot be read comes back with ``when`` None and a
    ``flag``."""
    try:
        frame = slots(match, grammar)
    except ValueError as error:
        return Reading(None, "", "relative", flag=str(error))
    for slot, value in (extra or {}).items():
        frame.setdefault(slot, value)
    kind = kind_of(match, frame)
    mod = frame.get("mod")
    if "approx" in frame:
        mod = mod or "APPROX"
    event = frame.get("event")
    offset = _offset(frame) if kind == "anaphoric" else None
    if "ref" in frame:
        return Reading(None, str(frame["ref"]), kind, mod, event=event)
    if match.rule.flag is not None:
        return Reading(None, "", kind, mod, match.rule.flag, offset=offset, event=event)
    if "vague" in frame:
        said = match.slots.get("vague", "")
        flag = f"a vague count ({said.strip() or 'a few'}): its date would be a guess"
        return Reading(None, "", kind, mod, flag, offset=offset, event=event)
    if kind == "anaphoric" and not frame.keys() & _DATED:
        frame["day_shift"] = 0  # 会议期间, during the talks: the day of the date before
    if reference is None and kind == "absolute":
        reference = _ANY_DAY  # the text gives the year: no day to count from is needed
    base = anchor if kind == "anaphoric" and anchor is not None else reference
    if base is None or reference is None:
        return Reading(None, "", kind, mod, offset=offset, event=event)
    try:
        reader = PointReader(frame, reference or base, base, future)
        point = _range(frame, reader) if _is_range(frame) else reader.point(after)
        point = _modified(point, frame, reference or base)
        clock, zone = _clock(frame, match.slots)
    except (ValueError, OverflowError, KeyError) as error:
        return Reading(None, "", kind, mod, str(error).strip("'"), offset=offset, event=event)
    if clock is not None and (
        point.when.precision != "day" or point.when.end != point.when.start + DAY
    ):
        return Reading(None, "", kind, mod, "a time of day needs a single day", offset=offset)
    value = point.value
    if clock is not None:
        assert isinstance(point.when.start, datetime.date)
        value = timex.moment(datetime.datetime.combine(point.when.start, clock))
    mod = mod or point.mod
    sensitive = reader.tense_sensitive
    coarse = kind == "anaphoric" and not frame.keys() & _DAYS
    return Reading(
        point.when, value, kind, mod, None, sensitive, offset, event, clock, zone, coarse
    )


def _offset(frame: dict[str, Any]) -> str:
    if "vague" in frame:
        return "+PXD" if frame.get("sign", 1) > 0 else "-PXD"
    if "day_shift" in frame:
        shift = int(frame["day_shift"])
        return f"{'-' if shift < 0 else '+'}P{abs(shift)}D"
    if "count" in frame and "unit" in frame:
        count = int(frame["count"]) * (2 if frame["unit"] == "fortnight" else 1)
        sign = "-" if frame.get("sign", 1) < 0 else "+"
        return f"{sign}P{count}{_UNITS.get(frame['unit'], 'D')}"
    return "+P0D"


def _is_range(frame: dict[str, Any]) -> bool:
    return any(k.endswith("2") for k in frame)


def _range(frame: dict[str, Any], reader: PointReader) -> Point:
    """Read a range: its end takes the year (and month) its start gives, and the other
    way round (Feb 9-10, 2025; 9-10 February; 2月9日至10日); without any year, the range is
    placed nearest the reference, crossing New Year when its end month comes before its
    start month (Dec 30 - Jan 2)."""
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


def _modified(point: Point, frame: dict[str, Any], reference: datetime.date) -> Point:
    """Apply a part (early, 年底), the first or last units (前五个月), and a length (为期两天)."""
    part = frame.get("part")
    if part in _PARTS:
        return _part(point, part)
    if part == "weekend":
        if point.grain != "week":
            raise ValueError("a weekend goes with a week")
        start = point.when.start
        assert isinstance(start, datetime.date)
        weekend = When(start + 5 * DAY, start + 7 * DAY, "day", True)
        return Point(weekend, point.value + "-WE", "weekend")
    if part in ("earlier", "later"):
        start, end = point.when.start, point.when.end
        assert isinstance(start, datetime.date) and isinstance(end, datetime.date)
        if part == "earlier":
            end = min(end, max(reference, start + DAY))
        else:
            start = max(start, min(reference, end - DAY))
        return replace(
            point, when=When(start, end, "day" if point.grain != "year" else "month", True)
        )
    if "week_of" in frame:  # the week of April 10th
        start = point.when.start
        assert isinstance(start, datetime.date)
        week = periods.week_of(start)
        return Point(week, timex.week(start), "week")
    if "edge" in frame and "head" not in frame:  # 上半月, 下半周: a half
        return _half(point, int(frame["edge"]))
    if "head" in frame:
        count = int(frame["head"]) * int(frame.get("edge", 1))
        return _head(point, count, str(frame.get("unit", "day")))
    if frame.get("span") == "lasting":
        return _lasting(point, int(frame["count"]))
    return point


def _part(point: Point, part: str) -> Point:
    grain, when = point.grain, point.when
    assert isinstance(when.start, datetime.date)
    if grain == "year":
        span = periods.part_of_year(when.start.year, *periods.YEAR_PARTS[part])
    elif grain == "month":
        span = periods.part_of_month(when.start.year, when.start.month, part)
    elif grain == "week":
        span = periods.part_of_week(when, part)
    elif grain in ("quarter", "half", "season", "decade", "century"):
        span = periods.thirds(when, part)
    else:
        raise ValueError(f"a part ({part}) of a {grain} is not read")
    return Point(span, point.value, grain, _PARTS[part])


def _head(point: Point, count: int, unit: str) -> Point:
    """The first ``count`` units of a span (the last ones when negative): 前五个月, the
    last 3 weeks of this year."""
    start, end = point.when.start, point.when.end
    assert isinstance(start, datetime.date) and isinstance(end, datetime.date)
    if count == 0 or abs(count) > 400:
        raise ValueError(f"{count} {unit}s is out of range")
    precision: periods.Precision = "day"
    if unit == "week":
        first = periods.monday(start + 3 * DAY)
        last = periods.monday(end - DAY - 3 * DAY) + 7 * DAY
        span = (first, first + count * 7 * DAY) if count > 0 else (last + count * 7 * DAY, last)
    elif unit in ("month", "quarter"):
        months = count * (3 if unit == "quarter" else 1)
        step = relativedelta(months=months)
        span = (start, start + step) if count > 0 else (end + step, end)
        precision = "month"
    else:
        span = (start, start + count * DAY) if count > 0 else (end + count * DAY, end)
    if span[0] < start or span[1] > end:
        raise ValueError(f"the {unit}s counted do not fit in {point.value}")
    value = timex.interval(*_values(span[0], span[1], precision))
    return Point(When(span[0], span[1], precision), value, "range")


def _half(point: Point, edge: int) -> Point:
    """The first (``edge`` 1) or second half of a month (days 1-15, 16 to the end) or a
    week (Monday to Wednesday, Thursday to Sunday)."""
    start, end = point.when.start, point.when.end
    assert isinstance(start, datetime.date) and isinstance(end, datetime.date)
    cut = start + (3 if point.grain == "week" else 15) * DAY
    first, after = (start, cut) if edge > 0 else (cut, end)
    value = timex.interval(timex.day(first), timex.day(after - DAY))
    return Point(When(first, after, "day", True), value, "range")


def _values(start: datetime.date, end: datetime.date, precision: str) -> tuple[str, str]:
    last = end - DAY
    if precision == "month":
        return timex.month(start.year, start.month), timex.month(last.year, last.month)
    return timex.day(start), timex.day(last)


def _lasting(point: Point, days: int) -> Point:
    """Stretch a single day to ``days`` days (为期两天: two days from it)."""
    when = point.when
    if when.precision != "day" or when.end != when.start + DAY:
        raise ValueError("a length in days needs a single first day")
    if not 1 <= days <= 366:
        raise ValueError(f"a length of {days} days is out of range")
    assert isinstance(when.start, datetime.date)
    last = when.start + (days - 1) * DAY
    value = point.value if days == 1 else timex.interval(point.value, timex.day(last))
    return Point(When(when.start, last + DAY, "day"), value, "range")


_OFFSET = re.compile(r"(?:utc|gmt)?\s*(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?")


def _clock(
    frame: dict[str, Any], said: dict[str, str]
) -> tuple[datetime.time | None, datetime.tzinfo | None]:
    """Return the time of day of the slots (None: none written) and the zone the text
    gives (an offset, UTC, 北京时间), or None."""
    zone = _zone(frame)
    if "hour" not in frame:
        return None, zone
    hour = int(frame["hour"])
    minute = int(frame.get("minute", 0))
    if "half_hour" in frame:
        minute = 30
    if "quarter_hour" in frame:
        minute = 15 * int(frame["quarter_hour"])
    period = frame.get("period")
    if period is not None:
        hour = _twelve(str(period), hour, said.get("period", str(period)))
    return datetime.time(hour, minute, int(frame.get("second", 0))), zone


def _zone(frame: dict[str, Any]) -> datetime.tzinfo | None:
    if "beijing" in frame:
        return ZoneInfo("Asia/Shanghai")
    if "tz" not in frame:
        return None
    text = str(frame["tz"]).strip()
    if text in ("z", "utc", "gmt"):
        return datetime.UTC
    match = _OFFSET.fullmatch(text)
    if match is None:
        raise ValueError(f"unknown time zone abbreviation {text.upper()!r}; give an offset or tz")
    minutes = int(match["h"]) * 60 + int(match["m"] or 0)
    if minutes > 18 * 60:
        raise ValueError(f"the offset {text} is out of range")
    sign = -1 if match["sign"] == "-" else 1
    return datetime.timezone(datetime.timedelta(minutes=sign * minutes))


def _twelve(period: str, hour: int, word: str) -> int:
    """Turn a 12-hour ``hour`` with its period (am, pm; Chinese night 凌晨, morning 上午,
    noon 中午, pm 下午, evening 晚上) into 0-23."""
    if not 1 <= hour <= 12 or (period == "evening" and hour == 12):
        raise ValueError(f"hour {hour} does not go with {word}")
    if hour == 12:
        return 0 if period in ("am", "night") else 12
    if period in ("am", "night", "morning") or (period == "noon" and hour == 11):
        return hour
    return hour + 12
