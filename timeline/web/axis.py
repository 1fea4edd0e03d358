"""The picture of the timeline: events laid out on a time axis as plain values, drawn as an
inline SVG by ``templates/_axis.html``.

Horizontal positions are percentages of the SVG's width (the SVG is as wide as the page's
column, 100%, without a viewBox), so that the marks follow the width while the lanes, the
marks' sizes and the labels stay in pixels (SVG user units = CSS pixels) and legible at
any width. The lanes are laid out twice: for the narrowest column (:data:`NARROW_PX`), in
the SVG's attributes, and for the column of wide screens (:data:`WIDE_PX`), which
style.css applies from its ``48rem`` breakpoint up; at either, no mark hides another.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from feeds import Entry
from feeds.times import all_day_span, timed_span
from timeline.web import i18n

#: The SVG's width (px) on the narrowest screen served: a 360 px phone less the padding.
NARROW_PX = 328
#: The SVG's width (px) at style.css's ``48rem`` breakpoint (768 px less the padding).
WIDE_PX = 736
#: Least distance (px) between the starts of two labels on one row.
LABEL_PX = 34
POINT_RADIUS = 5.0
SPAN_HEIGHT = 10.0
#: Least free space (px) between two marks in one lane.
GAP_PX = 3.0
LANE_PX = 15.0
#: Where the axis line is drawn (px from the top), under a row of years and one of
#: months; the lanes follow below it, lane 0 first.
BASELINE_PX = 34.0
#: Above this many months the axis is ticked by year rather than by month.
MAX_MONTHS = 36

Unit = Literal["month", "year"]
Show = Literal["always", "wide"]


@dataclass(frozen=True)
class Item:
    """What the axis needs of one event: ``start`` and ``end`` are naive local
    date-times in the event's own zone (an all-day event's days at midnight), ``end``
    exclusive and equal to ``start`` for an instant; ``label`` is the mark's text for
    hover and screen readers (title and date)."""

    id: str
    label: str
    start: dt.datetime
    end: dt.datetime
    precision: str = "day"
    approximate: bool = False


@dataclass(frozen=True)
class Mark:
    """One event's mark. ``shape`` is ``point`` (a day or less: a circle of
    :data:`POINT_RADIUS` px centred on ``x``) or ``span`` (a bar from ``x`` over
    ``width``); ``x`` and ``width`` are percentages of the SVG's width. ``lane`` (0 next
    to the axis) and ``y`` (its centre line, px from the SVG's top) are those of narrow
    screens, ``lane_wide`` and ``y_wide`` those of wide ones."""

    id: str
    label: str
    shape: Literal["point", "span"]
    x: float
    width: float
    lane: int
    y: float
    lane_wide: int
    y_wide: float
    precision: str
    approximate: bool


@dataclass(frozen=True)
class Label:
    """A tick's text at ``x`` (percentage of the width), anchored ``start`` or
    ``middle``, on ``row`` 0 (the years) or 1 (the months); ``show`` says whether it
    shows on every screen or only on wide ones."""

    x: float
    text: str
    anchor: Literal["start", "middle"]
    row: int
    show: Show


@dataclass(frozen=True)
class Axis:
    """The laid-out picture: ``start`` and ``end`` (exclusive) the days the axis covers,
    ticked by ``unit``; ``ticks`` the tick lines' x (percentages); the ``labels``; the
    ``marks`` in the order of the items given; the number of lanes and the SVG's height
    in px on narrow screens (``lanes``, ``height``) and on wide ones."""

    start: dt.date
    end: dt.date
    unit: Unit
    ticks: tuple[float, ...]
    labels: tuple[Label, ...]
    marks: tuple[Mark, ...]
    lanes: int
    height: float
    lanes_wide: int
    height_wide: float


def axis_label(year: int, month: int | None = None) -> str:
    """Return a tick's text in the page's language: the month's abbreviation (``Jan``,
    ``1月``) when ``month`` (1-12) is given, else the year (``2025``, ``2025年``). The one
    place that words the axis."""
    if month is None:
        return i18n.year_text(year)
    pattern = i18n.pgettext("LDML date pattern: a month on the time axis", "MMM")
    return i18n.format_pattern(dt.date(year, month, 1), pattern)


def item_of(entry: Entry, label: str) -> Item:
    """Return the axis item of ``entry``, its days or times in its own zone (all-day:
    ``[first day, day after the last)``; timed: start to end, an instant without one)."""
    if entry.all_day:
        first, after = all_day_span(entry)
        start = dt.datetime(first.year, first.month, first.day)
        end = dt.datetime(after.year, after.month, after.day)
    else:
        began, ended = timed_span(entry)
        start = began.replace(tzinfo=None)
        end = start if ended is None else ended.replace(tzinfo=None)
    return Item(entry.id, label, start, end, entry.precision, entry.approximate)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _next_year(day: dt.date) -> dt.date:
    return dt.date(day.year + 1, 1, 1)


def domain(items: Iterable[Item]) -> tuple[dt.date, dt.date, Unit]:
    """Return ``(start, end, unit)``: the whole months (or, beyond :data:`MAX_MONTHS`,
    the whole years) that hold every item, ``end`` exclusive. Raises ValueError when
    ``items`` is empty."""
    items = list(items)
    if not items:
        raise ValueError("no items to lay out")
    first = min(item.start for item in items)
    last = max(
        item.end - dt.timedelta(microseconds=1) if item.end > item.start else item.start
        for item in items
    )
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months <= MAX_MONTHS:
        return dt.date(first.year, first.month, 1), _next_month(last.date()), "month"
    return dt.date(first.year, 1, 1), dt.date(last.year + 1, 1, 1), "year"


def position(moment: dt.datetime | dt.date, start: dt.date, end: dt.date) -> float:
    """Return where ``moment`` falls between midnight of ``start`` (0) and of ``end``
    (100), as a percentage rounded to 3 decimals, proportional to time."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime(moment.year, moment.month, moment.day)
    origin = dt.datetime(start.year, start.month, start.day)
    whole = dt.datetime(end.year, end.month, end.day) - origin
    return round((moment - origin) / whole * 100, 3)


def assign_lanes(extents: Sequence[tuple[float, float]], gap: float) -> list[int]:
    """Return the lane (0, 1, ...) of each ``(left, right)`` extent, in the order given,
    so that two extents in one lane are at least ``gap`` apart: the extents are taken by
    their left edge (the longer first on a tie) and each goes to the lowest free lane,
    which uses no more lanes than the most extents overlapping at one place. O(n log n):
    the lanes in use wait in a heap by where they come free, the free ones in a heap by
    number."""
    order = sorted(range(len(extents)), key=lambda i: (extents[i][0], -extents[i][1], i))
    busy: list[tuple[float, int]] = []  # (where the lane comes free, lane)
    free: list[int] = []
    lanes = [0] * len(extents)
    for i in order:
        left, right = extents[i]
        while busy and busy[0][0] <= left:
            heapq.heappush(free, heapq.heappop(busy)[1])
        lane = heapq.heappop(free) if free else len(busy)
        heapq.heappush(busy, (right + gap, lane))
        lanes[i] = lane
    return lanes


def _extents(
    shapes: Sequence[tuple[str, float, float]], width_px: float
) -> list[tuple[float, float]]:
    """The marks' ``(left, right)`` in percent at ``width_px``: a point's circle, a span's bar."""
    radius = POINT_RADIUS * 100 / width_px
    return [
        (x - radius, x + radius) if shape == "point" else (x, x + width)
        for shape, x, width in shapes
    ]


def _periods(start: dt.date, end: dt.date, unit: Unit) -> list[dt.date]:
    """The first days of the periods from ``start`` to ``end``, both included."""
    step = _next_month if unit == "month" else _next_year
    days = [start]
    while days[-1] < end:
        days.append(step(days[-1]))
    return days


def _show(narrow: bool, wide: bool) -> Show | None:
    """Where a label shows: on every screen when it fits at :data:`NARROW_PX`, on wide
    ones when it fits at :data:`WIDE_PX` only, else nowhere."""
    return "always" if narrow else "wide" if wide else None


def _labels(start: dt.date, end: dt.date, unit: Unit) -> list[Label]:
    """The periods' labels, each centred on its period: every ``step``-th, the least
    step that puts labels :data:`LABEL_PX` apart at the width; under month labels, the
    years at each January, and at the first tick when there is room before the next
    January."""
    bounds = _periods(start, end, unit)
    steps = (1, 2, 3, 6, 12) if unit == "month" else (1, 2, 5, 10, 20, 50, 100, 200, 500)
    each = [
        next((s for s in steps if s * width_px / (len(bounds) - 1) >= LABEL_PX), 0)
        for width_px in (NARROW_PX, WIDE_PX)
    ]
    labels: list[Label] = []
    for first, after in zip(bounds, bounds[1:], strict=False):
        number = first.month - 1 if unit == "month" else first.year
        show = _show(*(step > 0 and number % step == 0 for step in each))
        if show is None:
            continue
        middle = round((position(first, start, end) + position(after, start, end)) / 2, 3)
        month = first.month if unit == "month" else None
        row = 1 if unit == "month" else 0
        labels.append(Label(middle, axis_label(first.year, month), "middle", row, show))
    if unit == "month":
        for first in bounds[:-1]:
            x = position(first, start, end)
            room = position(_next_year(first), start, end) - x
            fits = (room * px / 100 >= LABEL_PX + 4 for px in (NARROW_PX, WIDE_PX))
            show = "always" if first.month == 1 else _show(*fits)
            if (first.month == 1 or first == start) and show is not None:
                labels.append(Label(x, axis_label(first.year), "start", 0, show))
    return labels


def layout(items: Sequence[Item]) -> Axis | None:
    """Return the picture of ``items`` (None when there are none): each item a point
    when it lasts a day or less (centred on its middle: noon of a one-day event) or a
    span from its start to its exclusive end; in lanes so that no mark comes within
    :data:`GAP_PX` of another, at :data:`NARROW_PX` and at :data:`WIDE_PX` wide; ticks at
    each month (each year beyond :data:`MAX_MONTHS` months), labelled by
    :func:`axis_label`."""
    if not items:
        return None
    start, end, unit = domain(items)
    shapes: list[tuple[Literal["point", "span"], float, float]] = []
    for item in items:
        if item.end - item.start <= dt.timedelta(days=1):
            x = position(item.start + (item.end - item.start) / 2, start, end)
            shapes.append(("point", x, 0.0))
        else:
            x = position(item.start, start, end)
            width = round((item.end - item.start) / (end - start) * 100, 3)
            shapes.append(("span", x, width))
    narrow = assign_lanes(_extents(shapes, NARROW_PX), GAP_PX * 100 / NARROW_PX)
    wide = assign_lanes(_extents(shapes, WIDE_PX), GAP_PX * 100 / WIDE_PX)

    def centre(lane: int) -> float:
        return BASELINE_PX + (lane + 0.5) * LANE_PX + 2

    marks = tuple(
        Mark(
            id=item.id,
            label=item.label,
            shape=shape,
            x=x,
            width=width,
            lane=lane,
            y=centre(lane),
            lane_wide=lane_wide,
            y_wide=centre(lane_wide),
            precision=item.precision,
            approximate=item.approximate,
        )
        for item, (shape, x, width), lane, lane_wide in zip(
            items, shapes, narrow, wide, strict=True
        )
    )
    lanes, lanes_wide = max(narrow) + 1, max(wide) + 1
    return Axis(
        start=start,
        end=end,
        unit=unit,
        ticks=tuple(position(day, start, end) for day in _periods(start, end, unit)),
        labels=tuple(_labels(start, end, unit)),
        marks=marks,
        lanes=lanes,
        height=BASELINE_PX + lanes * LANE_PX + 8,
        lanes_wide=lanes_wide,
        height_wide=BASELINE_PX + lanes_wide * LANE_PX + 8,
    )
