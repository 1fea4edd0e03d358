"""What the words around expressions make of them: two expressions that make one range
(from May to Oct 2020, 2014 through May 2018, 上周三到这周二, 三月和九月之间; Duckling's
interval rules, <date> - <date>), the next day of a list (9月10日、11日), and the words
that bound a date or make it approximate (since 2018, 截至2024年底, 2015年以前, 2020年3月
左右: its TIMEX3 mod), as the ``[[joins]]``, ``[[lists]]`` and ``[[mods]]`` of the grammar
files describe them."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import regex as re

from timeline.dates import timex
from timeline.dates.frames import Kind, Reading
from timeline.dates.matcher import Grammar, Match
from timeline.dates.periods import DAY, Precision, When

_RANGE_KINDS = {"absolute", "relative"}
#: The present, as the end of a range (between Jan 2019 and now, 去年到现在).
_PRESENT = "PRESENT_REF"


@dataclass
class Item:
    """An expression being read: ``text[start:end]``, its match (None for one joined from
    two), its reading, and where its opening and closing words reach."""

    start: int
    end: int
    match: Match | None
    reading: Reading
    rule: str


@dataclass(frozen=True)
class Joint:
    """How two expressions make a range: the words between them, those that may (or must)
    come before the first (from, between, 从) and after the second (之间, 止)."""

    between: re.Pattern[str]
    opening: re.Pattern[str] | None
    closing: re.Pattern[str] | None
    required: bool


@dataclass(frozen=True)
class Bound:
    """Words before (``before``, matched up to the date) or after (``after``) a date that
    give it the TIMEX3 ``mod``."""

    before: re.Pattern[str] | None
    after: re.Pattern[str] | None
    mod: str


_COMPILED: dict[int, Any] = {}


def bounds(grammar: Grammar) -> tuple[Bound, ...]:
    """Return the words that bound a date, from the ``[[mods]]`` of ``grammar``'s files
    (compiled once per grammar)."""
    key = id(grammar.mods)
    if key not in _COMPILED:
        _COMPILED[key] = _bounds(grammar)
    known: tuple[Bound, ...] = _COMPILED[key]
    return known


def _bounds(grammar: Grammar) -> tuple[Bound, ...]:
    found = []
    for spec in grammar.mods:
        before, after = spec.get("before"), spec.get("after")
        found.append(
            Bound(
                re.compile(f"(?<![a-z0-9])(?:{before})") if before else None,
                re.compile(after) if after else None,
                str(spec["mod"]),
            )
        )
    return tuple(found)


def bound(items: Sequence[Item], folded: str, grammar: Grammar) -> list[Item]:
    """Give each date the mod of the words around it (a part's mod gives way: before the
    end of December is BEFORE the end of December)."""
    found = bounds(grammar)
    out = []
    # Words after a date first: year 2016 and greater, not (how) about 2016.
    ordered = [b for b in found if b.after is not None] + [b for b in found if b.after is None]
    for item in items:
        reading = item.reading
        if reading.flag is None and reading.mod in (None, "START", "MID", "END"):
            for spec in ordered:
                if spec.before is not None:
                    if spec.before.search(folded, max(0, item.start - 24), item.start) is None:
                        continue
                elif spec.after is None or spec.after.match(folded, item.end) is None:
                    continue
                item = replace(item, reading=replace(reading, mod=spec.mod))
                break
        out.append(item)
    return out


def joints(grammar: Grammar) -> tuple[tuple[Joint, ...], tuple[re.Pattern[str], ...]]:
    """Return the joints and the list separators of ``grammar``'s files (compiled once
    per grammar)."""
    key = id(grammar.joins)
    if key not in _COMPILED:
        _COMPILED[key] = _joints(grammar)
    known: tuple[tuple[Joint, ...], tuple[re.Pattern[str], ...]] = _COMPILED[key]
    return known


def _joints(grammar: Grammar) -> tuple[tuple[Joint, ...], tuple[re.Pattern[str], ...]]:
    found: list[Joint] = []
    lists: list[re.Pattern[str]] = []
    for spec in grammar.joins:
        opening, closing = spec.get("opening"), spec.get("closing")
        found.append(
            Joint(
                re.compile(spec["between"]),
                re.compile(f"(?:{opening})$") if opening else None,
                re.compile(closing) if closing else None,
                bool(spec.get("required", False)),
            )
        )
    for spec in grammar.lists:
        lists.append(re.compile(spec["between"]))
    return tuple(found), tuple(lists)


Reread = Callable[[Item, dict[str, Any]], Reading]


def join(
    items: Sequence[Item],
    folded: str,
    grammar: Grammar,
    reference: datetime.date | None,
    reread: Reread,
) -> list[Item]:
    """Return ``items`` with every two that make a range joined into one, and the days of
    a list read in the month of the day before them. ``reread(item, extra)`` reads an
    item again with slots filled in (``after``: a day it must not begin before)."""
    found, lists = joints(grammar)
    out: list[Item] = []
    index = 0
    while index < len(items):
        item = items[index]
        if index + 1 < len(items):
            following = items[index + 1]
            joined = _range(item, following, folded, found, reference, reread)
            joined = joined or _counted(item, following, folded, reread)
            if joined is not None:
                out.append(joined)
                index += 2
                continue
        if out and lists:
            item = _listed(out[-1], item, folded, lists, reread)
        if item.match is not None and item.match.rule.unjoined is not None:
            # 16 days from ... with no date read after it: nothing to count from.
            flagged = replace(item.reading, when=None, value="", flag=item.match.rule.unjoined)
            item = replace(item, reading=flagged)
        out.append(item)
        index += 1
    return out


def _counted(a: Item, b: Item, folded: str, reread: Reread) -> Item | None:
    """An offset right before a date counts from it (2 weeks before Christmas, 3 days
    after January 12th)."""
    offset = a.reading.offset
    if a.match is None or a.reading.kind != "anaphoric" or a.reading.event is not None:
        return None
    if offset is None or "X" in offset or offset.endswith("P0D") or folded[a.end : b.start].strip():
        return None
    when = b.reading.when
    if b.reading.kind == "anaphoric" or b.reading.flag is not None or when is None:
        return None
    if not isinstance(when.start, datetime.date) or isinstance(when.start, datetime.datetime):
        return None
    reading = reread(a, {"anchor": when.start})
    return Item(
        a.start, b.end, None, replace(reading, kind=b.reading.kind), "a date counted from another"
    )


def _nearest_start(a: Item, b: Item, reference: datetime.date, reread: Reread) -> Reading | None:
    """Read ``a`` in the year that puts the range of ``a`` and ``b`` nearest the
    reference (holding it, if one does)."""
    best: tuple[int, Reading] | None = None
    for year in (reference.year - 1, reference.year, reference.year + 1):
        ra = reread(a, {"year": year})
        if ra.when is None or not isinstance(ra.when.start, datetime.date):
            continue
        rb = reread(b, {"after": ra.when.start})
        if rb.when is None or not isinstance(rb.when.end, datetime.date):
            continue
        start, end = ra.when.start, rb.when.end
        distance = max((start - reference).days, (reference - end).days + 1, 0)
        if best is None or distance < best[0]:
            best = (distance, ra)
    return best[1] if best is not None else None


def _same_grain(a: Reading, b: Reading) -> bool:
    if a.when is None or b.when is None:
        return False
    return a.when.precision == b.when.precision and ("-" in a.value) == ("-" in b.value)


def _usable(reading: Reading, reference: datetime.date | None) -> When | None:
    if reading.flag is not None or reading.kind not in _RANGE_KINDS:
        return None
    if reading.when is None and reading.value == _PRESENT and reference is not None:
        return When(reference, reference + DAY, "day")
    if reading.mod in ("BEFORE", "AFTER"):
        return None
    return reading.when


def _range(
    a: Item,
    b: Item,
    folded: str,
    found: Sequence[Joint],
    reference: datetime.date | None,
    reread: Reread,
) -> Item | None:
    for joint in found:
        between = joint.between.fullmatch(folded, a.end, b.start)
        if between is None:
            continue
        tight = between.group() in ("-", "–", "—", "~", "～")
        if tight and not _same_grain(a.reading, b.reading):
            continue  # 2020-September, 23-2020: a dash between unlike dates is no range
        opening = (
            joint.opening.search(folded, max(0, a.start - 12), a.start) if joint.opening else None
        )
        closing = joint.closing.match(folded, b.end) if joint.closing else None
        if joint.required and opening is None and closing is None:
            continue
        joined = _joined(a, b, reference, reread)
        if joined is None:
            return None
        start = opening.start() if opening is not None else a.start
        end = closing.end() if closing is not None else b.end
        return Item(start, end, None, joined, "a range of two dates")
    return None


def _joined(a: Item, b: Item, reference: datetime.date | None, reread: Reread) -> Reading | None:
    first, last = _usable(a.reading, reference), _usable(b.reading, reference)
    if first is None or last is None or isinstance(first.start, datetime.datetime):
        return None
    if isinstance(last.start, datetime.datetime):
        return None
    ra, rb = a.reading, b.reading
    if ra.tense_sensitive and rb.tense_sensitive and a.match is not None and reference:
        # 三月和九月之间, no year at all: the placement nearest the reference
        ra = _nearest_start(a, b, reference, reread) or ra
        first = _usable(ra, reference) or first
    if rb.tense_sensitive and b.match is not None:  # 春节到元宵节: the first one after
        rb = reread(b, {"after": first.start})
        last = _usable(rb, reference) or last
    if ra.tense_sensitive and a.match is not None and rb.kind == "absolute":
        assert isinstance(last.start, datetime.date)
        ra = reread(a, {"year": last.start.year})
        moved = _usable(ra, reference)
        if moved is not None and moved.start > last.start:
            ra = reread(a, {"year": last.start.year - 1})
        first = _usable(ra, reference) or first
    assert isinstance(first.start, datetime.date) and isinstance(last.end, datetime.date)
    if last.start < first.start and ra.tense_sensitive and a.match is not None:
        # from March to date: the March before the end
        ra = reread(a, {"future": False})
        first = _usable(ra, reference) or first
        assert isinstance(first.start, datetime.date)
    if last.end <= first.start or last.start < first.start:
        return None
    precision: Precision = first.precision if first.precision == last.precision else "day"
    when = When(first.start, last.end, precision)
    values = [
        ra.value if ra.when is not None else timex.day(first.start),
        rb.value if rb.when is not None else timex.day(last.end - DAY),
    ]
    value = values[0] if values[0] == values[1] else timex.interval(*values)
    kind: Kind = "absolute" if ra.kind == rb.kind == "absolute" else "relative"
    return Reading(when, value, kind)


def _listed(
    before: Item, item: Item, folded: str, lists: Sequence[re.Pattern[str]], reread: Reread
) -> Item:
    """The day of a list read in the month of the day before it (9月10日、11日)."""
    if item.match is None or item.rule != "day of the month" or before.reading.when is None:
        return item
    if not any(p.fullmatch(folded, before.end, item.start) for p in lists):
        return item
    start = before.reading.when.start
    if before.reading.when.precision != "day" or not isinstance(start, datetime.date):
        return item
    last = before.reading.when.end
    assert isinstance(last, datetime.date)
    held = last - DAY
    reading = reread(item, {"year": held.year, "month": held.month})
    return replace(item, reading=reading)
