"""The picture of the timeline: events laid out on a time axis as plain values, drawn as an
inline SVG by ``templates/_axis.html``.

Horizontal positions are percentages of the SVG's width (the SVG is as wide as the page's
column, 100%, without a viewBox), so that the marks follow the width while the lanes, the
marks' sizes and the labels stay in pixels (SVG user units = CSS pixels) and legible at
any width. The scale follows where the events are (:mod:`timeline.web.axisscale`): one
long span or one outlier never squeezes the rest, and gaps it shortens are marked. The
lanes are laid out twice: for the narrowest column (:data:`NARROW_PX`), in the SVG's
attributes, and for the column of wide screens (:data:`WIDE_PX`), which style.css applies
from its ``48rem`` breakpoint up; at either, no mark hides another.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from feeds import Entry
from feeds.times import all_day_span, timed_span
from timeline.web import i18n
from timeline.web.axisscale import Label, Scale, day_number, labels, make_scale

#: The SVG's width (px) on the narrowest screen served: a 360 px phone less the padding.
NARROW_PX = 328
#: The SVG's width (px) at style.css's ``48rem`` breakpoint (768 px less the padding).
WIDE_PX = 736
POINT_RADIUS = 5.0
SPAN_HEIGHT = 10.0
#: Least width (px at :data:`NARROW_PX`) of a span's bar: a short span stays visible.
MIN_SPAN_PX = 6.0
#: Least free space (px) between two marks in one lane.
GAP_PX = 3.0
LANE_PX = 15.0
#: Where the axis line is drawn (px from the top), under a row of years and one of
#: months; the lanes follow below it, lane 0 first.
BASELINE_PX = 34.0
#: Characters of an event's title shown beside its mark on hover and keyboard focus.
NAME_CHARS = 40


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
    ``width``, at least :data:`MIN_SPAN_PX` at the narrowest); ``x`` and ``width`` are
    percentages of the SVG's width. ``lane`` (0 next to the axis) and ``y`` (its centre
    line, px from the SVG's top) are those of narrow screens, ``lane_wide`` and
    ``y_wide`` those of wide ones. ``name`` is the text shown beside it on hover and
    focus (the label, cut at :data:`NAME_CHARS`), anchored ``end`` on the right half."""

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
    name: str = ""
    name_anchor: Literal["start", "end"] = "start"


@dataclass(frozen=True)
class Axis:
    """The laid-out picture: ``start`` and ``end`` the first and last day it shows;
    ``labels`` its ticks (each drawn as a line and its text); ``breaks`` where the scale
    shortens a long gap (percent); the ``marks`` in the order of the items given; the
    number of lanes and the SVG's height in px on narrow screens (``lanes``,
    ``height``) and on wide ones."""

    start: dt.date
    end: dt.date
    labels: tuple[Label, ...]
    breaks: tuple[float, ...]
    marks: tuple[Mark, ...]
    lanes: int
    height: float
    lanes_wide: int
    height_wide: float


def axis_label(year: int, month: int | None = None, day: int | None = None) -> str:
    """Return a tick's text in the page's language: the day and month (``17 Feb``,
    ``2月17日``) when ``day`` is given, the month's abbreviation (``Jan``, ``1月``) when
    ``month`` (1-12) is, else the year (``2025``, ``2025年``). The one place that words
    the axis."""
    if month is None:
        return i18n.year_text(year)
    if day is not None:
        pattern = i18n.pgettext("LDML date pattern: a day on the time axis", "d MMM")
        return i18n.format_pattern(dt.date(year, month, day), pattern)
    pattern = i18n.pgettext("LDML date pattern: a month on the time axis", "MMM")
    return i18n.format_pattern(dt.date(year, month, 1), pattern)


_WORDS: dict[str, object] = {
    "year": lambda day: axis_label(day.year),
    "month": lambda day: axis_label(day.year, day.month),
    "day": lambda day: axis_label(day.year, day.month, day.day),
}


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


def _shapes(
    items: Sequence[Item], scale: Scale
) -> list[tuple[Literal["point", "span"], float, float]]:
    """Each item's shape, x and width (percent): a point at the middle of a day or less,
    else a bar from its start to its end, at least :data:`MIN_SPAN_PX` wide."""
    least = round(MIN_SPAN_PX * 100 / NARROW_PX, 3)
    shapes: list[tuple[Literal["point", "span"], float, float]] = []
    for item in items:
        if item.end - item.start <= dt.timedelta(days=1):
            middle = item.start + (item.end - item.start) / 2
            shapes.append(("point", scale.position(day_number(middle)), 0.0))
        else:
            x = scale.position(day_number(item.start))
            width = round(scale.position(day_number(item.end)) - x, 3)
            shapes.append(("span", min(x, 100 - least), max(width, least)))
    return shapes


def layout(items: Sequence[Item]) -> Axis | None:
    """Return the picture of ``items`` (None when there are none): each item a point
    when it lasts a day or less (centred on its middle: noon of a one-day event) or a
    span from its start to its exclusive end, on the scale of
    :func:`timeline.web.axisscale.make_scale`; in lanes so that no mark comes within
    :data:`GAP_PX` of another, at :data:`NARROW_PX` and at :data:`WIDE_PX` wide; at most
    :data:`timeline.web.axisscale.MAX_LABELS` tick labels, worded by :func:`axis_label`."""
    if not items:
        return None
    scale = make_scale([(day_number(i.start), day_number(i.end)) for i in items])
    shapes = _shapes(items, scale)
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
            name=item.label
            if len(item.label) <= NAME_CHARS
            else item.label[: NAME_CHARS - 1] + "…",
            name_anchor="start" if x < 50 else "end",
        )
        for item, (shape, x, width), lane, lane_wide in zip(
            items, shapes, narrow, wide, strict=True
        )
    )
    first = min(item.start for item in items).date()
    last_day = max(
        item.end - dt.timedelta(microseconds=1) if item.end > item.start else item.start
        for item in items
    ).date()
    lanes, lanes_wide = max(narrow) + 1, max(wide) + 1
    return Axis(
        start=first,
        end=last_day,
        labels=tuple(labels(scale, first, last_day, _WORDS, NARROW_PX, WIDE_PX)),
        breaks=tuple(scale.breaks()),
        marks=marks,
        lanes=lanes,
        height=BASELINE_PX + lanes * LANE_PX + 8,
        lanes_wide=lanes_wide,
        height_wide=BASELINE_PX + lanes_wide * LANE_PX + 8,
    )
