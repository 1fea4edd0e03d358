"""The time axis's scale and ticks: a scale that follows where the events are (so that
one long span or one outlier never squeezes the rest), the gaps it shortens, and at most
:data:`MAX_LABELS` tick labels that never overlap, whatever the span (a day to
millennia)."""

from __future__ import annotations

import bisect
import datetime as dt
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

#: Most tick labels on the axis, at any width and span.
MAX_LABELS = 16
#: The share of the width spread evenly over the gaps between the events' dates; the rest
#: follows the square root of each gap's length, so a long gap gets more room than a
#: short one but never all of it.
EVEN_SHARE = 0.5
#: Room kept at each end of the axis, as a share of the width.
MARGIN = 0.04
#: A gap of more days than this, drawn at less than half of its linear share, is marked
#: as shortened (a break on the axis line).
BREAK_DAYS = 366

#: Least width (px) of a year for its months to be labelled, of a month for its days.
PERIOD_PX = 80

Show = Literal["always", "wide"]


def day_number(moment: dt.datetime) -> float:
    """``moment`` (naive) as days since 0001-01-01 (day 1), with the time of day as a
    fraction."""
    seconds = moment.hour * 3600 + moment.minute * 60 + moment.second + moment.microsecond / 1e6
    return moment.toordinal() + seconds / 86400


@dataclass(frozen=True)
class Scale:
    """A monotone piecewise-linear map from days (:func:`day_number`) to percentages of
    the width: ``knots`` are the events' distinct start and end days, ``places`` where
    each falls (from :data:`MARGIN` to 100 minus it)."""

    knots: tuple[float, ...]
    places: tuple[float, ...]

    def position(self, day: float) -> float:
        """Where ``day`` falls, in percent, rounded to 3 decimals (before the first knot
        or after the last, the margin's ends)."""
        knots, places = self.knots, self.places
        if day <= knots[0]:
            return round(places[0], 3)
        if day >= knots[-1]:
            return round(places[-1], 3)
        i = bisect.bisect_right(knots, day) - 1
        share = (day - knots[i]) / (knots[i + 1] - knots[i])
        return round(places[i] + share * (places[i + 1] - places[i]), 3)

    def breaks(self) -> list[float]:
        """The middles (percent) of the gaps the scale shortens: longer than
        :data:`BREAK_DAYS` and drawn at less than half of what a linear scale gives."""
        whole = self.knots[-1] - self.knots[0]
        room = self.places[-1] - self.places[0]
        found = []
        for i in range(len(self.knots) - 1):
            days = self.knots[i + 1] - self.knots[i]
            drawn = self.places[i + 1] - self.places[i]
            if days > BREAK_DAYS and drawn < days / whole * room / 2:
                found.append(round((self.places[i] + self.places[i + 1]) / 2, 3))
        return found


def make_scale(extents: Sequence[tuple[float, float]]) -> Scale:
    """Return the scale of the events whose ``(start, end)`` days are ``extents``: each
    gap between consecutive distinct days gets :data:`EVEN_SHARE` of the width evenly,
    and the rest by the square root of its length. A single day is padded to three.
    Raises ValueError when ``extents`` is empty."""
    if not extents:
        raise ValueError("no items to lay out")
    knots = sorted({day for extent in extents for day in extent})
    if len(knots) == 1:
        knots = [knots[0] - 1, knots[0], knots[0] + 1]
    gaps = [b - a for a, b in zip(knots, knots[1:], strict=False)]
    roots = [gap**0.5 for gap in gaps]
    total = sum(roots)
    room = 100 * (1 - 2 * MARGIN)
    places = [100 * MARGIN]
    for root in roots:
        share = EVEN_SHARE / len(gaps) + (1 - EVEN_SHARE) * root / total
        places.append(places[-1] + share * room)
    places[-1] = 100 * (1 - MARGIN)
    return Scale(tuple(knots), tuple(places))


@dataclass(frozen=True)
class Label:
    """A tick and its text at ``x`` (percent), the text starting there, on ``row`` 0
    (years) or 1 (months and days); ``show`` says whether it shows on every screen or
    only on wide ones."""

    x: float
    text: str
    row: int
    show: Show


Candidate = tuple[dt.date, int, str]  # (day, row, kind: year | month | day)


def _candidates(first: dt.date, last: dt.date) -> Iterator[Candidate]:
    """Tick days from ``first`` to ``last`` (inclusive), coarsest first: years by 1,000
    down to each; then quarters, months, and days (the 1st, 11th and 21st, then each)."""
    y0, y1 = first.year, last.year
    for step in (1000, 500, 100, 50, 10, 5, 2, 1):
        if (y1 - y0) // step > 5000:
            continue
        for year in range(-(-y0 // step) * step, y1 + 1, step):
            day = dt.date(year, 1, 1)
            if first <= day <= last:
                yield day, 0, "year"
    if y1 - y0 > 1000:
        return
    for months in ((4, 7, 10), (2, 3, 5, 6, 8, 9, 11, 12)):
        for year in range(y0, y1 + 1):
            for month in months:
                day = dt.date(year, month, 1)
                if first <= day <= last:
                    yield day, 1, "month"
    if (last - first).days > 400:
        return
    for days in ((11, 21), tuple(d for d in range(2, 32) if d not in (11, 21))):
        day = dt.date(first.year, first.month, 1)
        while day <= last:
            for number in days:
                try:
                    tick = day.replace(day=number)
                except ValueError:
                    continue
                if first <= tick <= last:
                    yield tick, 1, "day"
            day = (day + dt.timedelta(days=32)).replace(day=1)


def text_px(text: str) -> float:
    """The width of ``text`` at the axis's 12 px font, estimated (px): a wide (CJK)
    character 12, another 7, and 6 of room after it."""
    return sum(12 if unicodedata.east_asian_width(c) in "WF" else 7 for c in text) + 6


@dataclass
class _Placed:
    x: float
    width: float
    row: int


def _fits(x_px: float, width: float, row: int, placed: list[_Placed], px: float) -> bool:
    if x_px + width > px:
        return False
    return all(
        p.row != row or x_px + width <= p.x * px / 100 or p.x * px / 100 + p.width <= x_px
        for p in placed
    )


def _room(scale: Scale, day: dt.date, kind: str) -> float:
    """The width (percent) of the period a month or day tick divides: its year, or its
    month; 100 for a year tick."""
    if kind == "year":
        return 100.0
    if kind == "month":
        first, after = dt.date(day.year, 1, 1), dt.date(day.year + 1, 1, 1)
    else:
        first = day.replace(day=1)
        after = (first + dt.timedelta(days=32)).replace(day=1)
    left = scale.position(day_number(dt.datetime(first.year, first.month, first.day)))
    right = scale.position(day_number(dt.datetime(after.year, after.month, after.day)))
    return right - left


def labels(
    scale: Scale,
    first: dt.date,
    last: dt.date,
    word: dict[str, object],
    narrow_px: float,
    wide_px: float,
) -> list[Label]:
    """Pick the ticks of ``scale`` from ``first`` to ``last``, coarsest first, each
    labelled where its text has room on its row: on every screen when it fits at
    ``narrow_px`` among the labels shown there, else on wide screens when it fits at
    ``wide_px``; months only in a year drawn :data:`PERIOD_PX` wide or more, days in
    such a month; at most :data:`MAX_LABELS`. The first day's year is labelled at the
    first knot; then the years the events lie in, then round years. ``word`` holds the
    functions that word a year, a month and a day (``year``, ``month``, ``day``: date ->
    text)."""
    chosen: list[Label] = []
    narrow: list[_Placed] = []
    wide: list[_Placed] = []

    def place(x: float, text: str, row: int, room: float = 100.0) -> None:
        width = text_px(text)
        on_wide = room * wide_px / 100 >= PERIOD_PX and _fits(
            x * wide_px / 100, width, row, wide, wide_px
        )
        if not on_wide:
            return
        show: Show = "wide"
        if room * narrow_px / 100 >= PERIOD_PX and _fits(
            x * narrow_px / 100, width, row, narrow, narrow_px
        ):
            show = "always"
            narrow.append(_Placed(x, width, row))
        wide.append(_Placed(x, width, row))
        chosen.append(Label(x, text, row, show))

    start = scale.position(scale.knots[0])
    place(start, word["year"](first), 0)  # type: ignore[operator]
    # The years the events lie in come before round ones: 2025 beats 2000.
    years = sorted({dt.date.fromordinal(int(knot)).year for knot in scale.knots})
    event_years = [(dt.date(y, 1, 1), 0, "year") for y in years if y > first.year]
    seen: set[dt.date] = set()
    rooms: dict[tuple[str, int, int], float] = {}
    for day, row, kind in [*event_years, *_candidates(first, last)]:
        if len(chosen) >= MAX_LABELS:
            break
        if (kind == "year" and day.year == first.year) or (row == 0 and day in seen):
            continue
        seen.add(day)
        period = (kind, day.year, day.month if kind == "day" else 0)
        room = (
            rooms[period] if period in rooms else rooms.setdefault(period, _room(scale, day, kind))
        )
        # Cheap refusals before the wording (Babel's): no room, or a label too near.
        if room * wide_px / 100 < PERIOD_PX:
            continue
        x = scale.position(day_number(dt.datetime(day.year, day.month, day.day)))
        if not _fits(x * wide_px / 100, 20, row, wide, wide_px):
            continue
        place(x, word[kind](day), row, room)  # type: ignore[operator]
    return sorted(chosen, key=lambda label: (label.row, label.x))
