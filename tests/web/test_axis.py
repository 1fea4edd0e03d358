"""The picture of the timeline: the layout over plain values, and the SVG on the page."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import html as lxml_html

from feeds import Entry
from timeline.web.axis import (
    MIN_SPAN_PX,
    NARROW_PX,
    POINT_RADIUS,
    WIDE_PX,
    Item,
    assign_lanes,
    axis_label,
    item_of,
    layout,
)
from timeline.web.axisscale import MAX_LABELS, make_scale, text_px

D = dt.datetime
UPDATED = D(2025, 3, 1, tzinfo=dt.UTC)


def _item(
    event_id: str, start: dt.datetime, end: dt.datetime, precision: str = "day", **kw: bool
) -> Item:
    return Item(event_id, event_id, start, end, precision, **kw)


def test_a_small_timeline_exactly() -> None:
    items = [
        _item("day", D(2025, 2, 8), D(2025, 2, 9)),
        _item("two-days", D(2025, 2, 15), D(2025, 2, 17)),
        _item("month", D(2025, 2, 1), D(2025, 3, 1), "month"),
    ]
    axis = layout(items)
    assert axis is not None
    assert (axis.start, axis.end) == (dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    day, two_days, month = axis.marks
    # Knots at 1, 8, 9, 15, 17 February and 1 March: five gaps between 4 and 96 percent.
    assert (month.shape, month.x, month.width) == ("span", 4.0, 92.0)
    assert day.shape == "point" and two_days.shape == "span"
    assert month.x < day.x < two_days.x < two_days.x + two_days.width < 96.0
    # The month's bar lies under both others, which share the next lane.
    assert [(m.lane, m.lane_wide) for m in axis.marks] == [(1, 1), (1, 1), (0, 0)]
    assert [m.y for m in axis.marks] == [58.5, 58.5, 43.5]
    assert (axis.lanes, axis.height, axis.lanes_wide, axis.height_wide) == (2, 72.0, 2, 72.0)
    assert [(label.text, label.row) for label in axis.labels][:1] == [("2025", 0)]
    assert axis.labels[0].x == 4.0
    assert axis.breaks == ()
    assert all(label.text.endswith("Feb") for label in axis.labels if label.row == 1)


def test_spans_are_as_long_as_what_is_known() -> None:
    axis = layout(
        [
            _item("year", D(2025, 1, 1), D(2026, 1, 1), "year"),
            _item("march", D(2025, 3, 1), D(2025, 4, 1), "month"),
            _item("two-days", D(2025, 3, 1), D(2025, 3, 3)),
            _item("day", D(2025, 3, 1), D(2025, 3, 2)),
            _item("instant", D(2025, 3, 1, 18, 0), D(2025, 3, 1, 18, 0)),
        ]
    )
    assert axis is not None
    assert (axis.start, axis.end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    shapes = {m.id: m for m in axis.marks}
    assert (shapes["year"].x, shapes["year"].width) == (4.0, 92.0)
    march, two = shapes["march"], shapes["two-days"]
    assert march.x == two.x and two.width < march.width
    assert march.x < shapes["day"].x < shapes["instant"].x < march.x + march.width
    assert (shapes["day"].shape, shapes["instant"].shape) == ("point", "point")
    # The month of March is no longer squeezed by the year around it: wider than a day's
    # circle on a phone.
    assert march.width / 100 * NARROW_PX > 2 * POINT_RADIUS


def test_lanes_keep_overlapping_marks_apart() -> None:
    assert assign_lanes([(0, 10), (5, 15), (12, 20), (21, 30)], gap=1) == [0, 1, 0, 0]
    assert assign_lanes([(0, 10), (0, 10), (0, 10)], gap=1) == [0, 1, 2]
    # A longer extent starting at the same place goes first, to the lower lane.
    assert assign_lanes([(0, 5), (0, 50), (6, 9)], gap=1) == [1, 0, 1]
    assert assign_lanes([(0, 10), (10.5, 12)], gap=1) == [0, 1]


class Counted(float):
    """A float that counts the comparisons and additions made with it (in ``OPS``)."""

    OPS = [0]

    def _count(self) -> None:
        Counted.OPS[0] += 1

    def __add__(self, other: object) -> Counted:
        self._count()
        return Counted(float(self) + float(other))  # type: ignore[arg-type]

    def __neg__(self) -> Counted:
        return Counted(-float(self))

    def __lt__(self, other: object) -> bool:
        self._count()
        return float(self) < float(other)  # type: ignore[arg-type]

    def __le__(self, other: object) -> bool:
        self._count()
        return float(self) <= float(other)  # type: ignore[arg-type]

    def __gt__(self, other: object) -> bool:
        self._count()
        return float(self) > float(other)  # type: ignore[arg-type]

    def __ge__(self, other: object) -> bool:
        self._count()
        return float(self) >= float(other)  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        self._count()
        return float(self) == other

    __hash__ = float.__hash__


@pytest.mark.parametrize("overlapping", [True, False])
def test_lanes_take_n_log_n_steps(overlapping: bool) -> None:
    # Every mark was compared with every lane before it: 100,000 events on one day took
    # 351 s. 4,096 extents now take fewer than 20 n log2 n steps (the old way, n²/2).
    n = 4096
    extents = [
        (Counted(0.0), Counted(1.0)) if overlapping else (Counted(2.0 * i), Counted(2.0 * i + 1))
        for i in range(n)
    ]
    Counted.OPS[0] = 0
    lanes = assign_lanes(extents, gap=Counted(0.5))
    assert lanes == (list(range(n)) if overlapping else [0] * n)
    assert Counted.OPS[0] < 20 * n * 12


def test_a_day_of_many_events_is_laid_out_in_as_many_lanes() -> None:
    many = [_item(f"e{i}", D(2025, 2, 17), D(2025, 2, 18)) for i in range(20_000)]
    axis = layout(many)
    assert axis is not None
    assert (axis.lanes, axis.lanes_wide) == (20_000, 20_000)
    assert [m.lane for m in axis.marks[:3]] == [0, 1, 2]


def test_approximate_marks_are_flagged() -> None:
    axis = layout(
        [
            _item("around", D(2025, 1, 22), D(2025, 1, 23), approximate=True),
            _item("exact", D(2025, 1, 20), D(2025, 1, 21)),
            _item("around-month", D(2025, 1, 1), D(2025, 2, 1), "month", approximate=True),
        ]
    )
    assert axis is not None
    assert [(m.id, m.approximate, m.precision) for m in axis.marks] == [
        ("around", True, "day"),
        ("exact", False, "day"),
        ("around-month", True, "month"),
    ]


def test_one_outlier_never_squeezes_the_rest() -> None:
    # Twenty days of February 2025 and one day 300 years before: on a linear scale the
    # twenty would share 0.02 % of the width; here they keep more than a third of it.
    items = [_item(f"d{n}", D(2025, 2, n), D(2025, 2, n + 1)) for n in range(1, 21)]
    axis = layout([_item("old", D(1725, 2, 1), D(1725, 2, 2)), *items])
    assert axis is not None
    xs = sorted(m.x for m in axis.marks if m.id != "old")
    assert xs[-1] - xs[0] > 35
    steps = [b - a for a, b in zip(xs, xs[1:], strict=False)]
    # Each day 7 px from the next on a phone: alternate lanes keep their circles apart.
    assert min(steps) * NARROW_PX / 100 > 7
    assert axis.lanes == 2
    # The three centuries between are shortened, and marked so on the axis line.
    (mark,) = axis.breaks
    old = next(m.x for m in axis.marks if m.id == "old")
    assert old < mark < xs[0]


def test_a_long_span_never_squeezes_the_rest() -> None:
    # The seeds' case: a year-long plan beside eighteen days of February.
    items = [_item(f"d{n}", D(2025, 2, n), D(2025, 2, n + 1)) for n in range(1, 19)]
    axis = layout([_item("year", D(2025, 1, 1), D(2026, 1, 1), "year"), *items])
    assert axis is not None
    xs = sorted(m.x for m in axis.marks if m.id != "year")
    assert (xs[-1] - xs[0]) * NARROW_PX / 100 > 150


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (D(2025, 2, 17), D(2025, 2, 17)),
        (D(2025, 2, 1), D(2025, 3, 20)),
        (D(2015, 5, 1), D(2025, 5, 1)),
        (D(1725, 3, 1), D(2025, 2, 1)),
        (D(1, 1, 1), D(2025, 2, 1)),
        (D(1, 1, 1), D(9999, 12, 30)),
    ],
)
def test_at_most_sixteen_labels_that_never_overlap(first: dt.datetime, last: dt.datetime) -> None:
    items = [_item("a", first, first + dt.timedelta(days=1)), _item("b", last, last)]
    axis = layout(items)
    assert axis is not None
    assert 1 <= len(axis.labels) <= MAX_LABELS
    for px, shown in ((NARROW_PX, ("always",)), (WIDE_PX, ("always", "wide"))):
        for row in (0, 1):
            placed = sorted(
                (label.x * px / 100, text_px(label.text))
                for label in axis.labels
                if label.row == row and label.show in shown
            )
            for (x, width), (x2, _) in zip(placed, placed[1:], strict=False):
                assert x + width <= x2
            assert all(x + width <= px for x, width in placed)
    assert axis.labels[0].text == str(first.year)


def test_short_spans_stay_visible() -> None:
    axis = layout(
        [
            _item("long", D(1900, 1, 1), D(2025, 1, 1), "year"),
            _item("two-hours", D(2025, 1, 1, 10), D(2025, 1, 1, 12)),
            _item("two-days", D(1950, 1, 1), D(1950, 1, 3)),
        ]
    )
    assert axis is not None
    for mark in axis.marks:
        drawn = 2 * POINT_RADIUS if mark.shape == "point" else mark.width * NARROW_PX / 100
        assert drawn >= MIN_SPAN_PX - 0.01, mark


def test_marks_carry_their_names_for_hover_and_focus() -> None:
    long = "A title of more than forty characters, cut with an ellipsis"
    axis = layout([_item("a", D(2025, 1, 1), D(2025, 1, 2)), Item("b", long, D(2025, 3, 1),
                                                              D(2025, 3, 2))])  # fmt: skip
    assert axis is not None
    first, second = axis.marks
    assert (first.name, first.name_anchor) == ("a", "start")
    assert (second.name, second.name_anchor) == (long[:39] + "…", "end")


def test_labels_are_worded_in_one_place() -> None:
    assert [axis_label(2025, month) for month in (1, 5, 12)] == ["Jan", "May", "Dec"]
    assert axis_label(2025) == "2025"
    assert axis_label(2025, 2, 17) == "17 Feb"


def test_nothing_to_draw() -> None:
    assert layout([]) is None
    with pytest.raises(ValueError, match="no items"):
        make_scale([])


def test_items_take_the_events_own_days_and_zone() -> None:
    all_day = Entry(
        id="summit",
        uid="u",
        guid="g",
        title="t",
        link="l",
        start=dt.date(2025, 2, 9),
        end=dt.date(2025, 2, 11),
        all_day=True,
        created=UPDATED,
        updated=UPDATED,
    )
    assert item_of(all_day, "label") == Item(
        "summit", "label", D(2025, 2, 9), D(2025, 2, 11), "day", False
    )
    timed = Entry(
        id="talk",
        uid="u",
        guid="g",
        title="t",
        link="l",
        start=D(2025, 8, 20, 14, 0, tzinfo=dt.UTC),
        end=None,
        all_day=False,
        timezone="Europe/Madrid",
        created=UPDATED,
        updated=UPDATED,
    )
    item = item_of(timed, "label")
    assert (item.start, item.end) == (D(2025, 8, 20, 16, 0), D(2025, 8, 20, 16, 0))


# The SVG on the page, on the seeded store.


@pytest.fixture
def seeded(seeded_app: Flask) -> FlaskClient:
    return seeded_app.test_client()


def _page(client: FlaskClient, url: str) -> lxml_html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200
    return lxml_html.fromstring(response.get_data(as_text=True))


@pytest.mark.parametrize(
    "query", ["", "?tag=summit", "?org=OpenAI", "?from=2025-02-01&to=2025-02-09"]
)
def test_the_picture_shows_exactly_the_listed_events(seeded: FlaskClient, query: str) -> None:
    page = _page(seeded, "/" + query)
    listed = [a.get("id").removeprefix("event-") for a in page.xpath("//article")]
    # Drawn twice: with the lanes of phones and of wide screens.
    for width, prefix in (("narrow", "mark-"), ("wide", "wide-mark-")):
        marks = page.xpath(f"//svg[@class='axis {width}']//a")
        assert sorted(mark.get("data-event") for mark in marks) == sorted(listed)
        for mark in marks:
            event_id = mark.get("data-event")
            assert mark.get("id") == f"{prefix}{event_id}"
            assert mark.get("href") == f"/events/{event_id}"


def test_marks_say_their_event_and_show_their_precision(seeded: FlaskClient) -> None:
    page = _page(seeded, "/")
    assert len(page.xpath("//svg[@class='axis narrow']//a")) == 21

    def mark(event_id: str) -> lxml_html.HtmlElement:
        (found,) = page.xpath(f"//a[@id='mark-{event_id}']")
        return found

    grok = mark("2025-02-17-xai-grok-3")
    assert grok.get("class") == "mark point day"
    assert grok.xpath("title")[0].text == "17 Feb 2025: xAI releases Grok 3 and Grok 3 mini"
    assert grok.xpath("circle")
    microsoft = mark("2025-01-microsoft-80-billion")
    assert microsoft.get("class") == "mark span month"
    assert microsoft.xpath("title")[0].text == (
        "January 2025 (day not reported): Microsoft plans about USD 80 billion for AI data centers"
    )
    assert microsoft.xpath("rect")
    assert mark("2025-eu-apply-ai").get("class") == "mark span year"
    assert mark("2025-01-meta-capex-65-billion").get("class") == "mark span month approximate"
    assert mark("2025-01-22-musk-doubts-stargate").get("class") == "mark point day approximate"
    assert mark("2025-02-09-ai-action-summit").get("class") == "mark span day"
    legend = " ".join(page.xpath("//figcaption")[0].text_content().split())
    assert legend == "a day several days, a month or a year approximate date"


def test_no_picture_without_events(seeded: FlaskClient) -> None:
    page = _page(seeded, "/?org=Nobody")
    assert page.xpath("//svg") == []
