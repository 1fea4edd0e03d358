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
- Parts of a month are days 1-10, 11-20 and 21 to the end (上旬/中旬/下旬, early/mid/late,
  月初, 月底, the end of March); parts of a year
  January-March, May-August and October-December (early/mid/late 2024), the end of a
  year (年底, 年末, the end of 2024) December, as Chinese news uses 年底; of a week Monday
  to Wednesday, Tuesday to Thursday and Thursday to Sunday (its end too); of a quarter,
  season or decade its thirds. Halves, quarters and seasons are their months (winter: December to
  February). All of these are approximate: the event is somewhere inside.
- Earlier or later this week or year, and later this month, are the part of it before
  or after the reference; earlier this month is the month, approximate.
- Offsets: 三天前, 3 days ago are that day; a count of weeks the day counted,
  approximate; months the month reached; years the year.
- What would be a guess is not read: a vague count (几天后, a few days later), day and
  month that could be swapped (3/4/2025), a weekday that disagrees with its date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Literal

from timeline.dates import parts, ranges, timex
from timeline.dates.clock import clock_of
from timeline.dates.grammar import normalize
from timeline.dates.matcher import Grammar, Match
from timeline.dates.periods import DAY, When
from timeline.dates.reader import PointReader

Kind = Literal["absolute", "relative", "anaphoric"]
#: Slots that make an expression relative to the reference.
_RELATIVE = frozenset(
    """yy year_shift month_shift day_shift week_shift quarter_shift half_shift season_shift
    count span decade_yy""".split()
)
_ABSOLUTE = frozenset({"year", "decade", "century", "era"})
_DATED = frozenset({"day_shift", "count", "year_shift", "month_shift", "vague", "unit"})
_DAYS = frozenset({"day_shift", "count", "vague", "event"})
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
    if base is None:  # an anaphoric one anchored in the text reads without a reference
        return Reading(None, "", kind, mod, offset=offset, event=event)
    try:
        reader = PointReader(frame, reference or base, base, future)
        point = ranges.read_range(frame, reader) if ranges.is_range(frame) else reader.point(after)
        point = parts.modified(point, frame, reference or base)
        clock, zone = clock_of(frame, match.slots)
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
