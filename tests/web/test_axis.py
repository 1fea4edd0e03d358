"""The picture of the timeline: the layout over plain values, and the SVG on the page."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import html as lxml_html

from feeds import Entry
from timeline.web.axis import (
    GAP_PX,
    NARROW_PX,
    POINT_RADIUS,
    WIDE_PX,
    Item,
    Label,
    assign_lanes,
    axis_label,
    domain,
    item_of,
    layout,
    position,
)

D = dt.datetime
UPDATED = D(2025, 3, 1, tzinfo=dt.UTC)


def _item(
    event_id: str, start: dt.datetime, end: dt.datetime, precision: str = "day", **kw: bool
) -> Item:
    return Item(event_id, event_id, start, end, precision, **kw)


def test_positions_are_proportional_to_time() -> None:
    start, end = dt.date(2025, 1, 1), dt.date(2025, 1, 21)
    assert position(dt.date(2025, 1, 1), start, end) == 0.0
    assert position(dt.date(2025, 1, 11), start, end) == 50.0
    assert position(D(2025, 1, 1, 12), start, end) == 2.5
    assert position(dt.date(2025, 1, 21), start, end) == 100.0
    assert position(dt.date(2025, 1, 4), start, end) == 15.0


def test_a_small_timeline_exactly() -> None:
    items = [
        _item("day", D(2025, 2, 8), D(2025, 2, 9)),
        _item("two-days", D(2025, 2, 15), D(2025, 2, 17)),
        _item("month", D(2025, 2, 1), D(2025, 3, 1), "month"),
    ]
    axis = layout(items)
    assert axis is not None
    assert (axis.start, axis.end, axis.unit) == (dt.date(2025, 2, 1), dt.date(2025, 3, 1), "month")
    assert axis.ticks == (0.0, 100.0)
    day, two_days, month = axis.marks
    # Noon of 8 February is 7.5 days into a month of 28.
    assert (day.shape, day.x, day.width) == ("point", 26.786, 0.0)
    assert (two_days.shape, two_days.x, two_days.width) == ("span", 50.0, 7.143)
    assert (month.shape, month.x, month.width) == ("span", 0.0, 100.0)
    # The month's bar lies under both others, which share the next lane.
    assert [(m.lane, m.lane_wide) for m in axis.marks] == [(1, 1), (1, 1), (0, 0)]
    assert [m.y for m in axis.marks] == [58.5, 58.5, 43.5]
    assert (axis.lanes, axis.height, axis.lanes_wide, axis.height_wide) == (2, 72.0, 2, 72.0)
    assert axis.labels == (
        Label(50.0, "Feb", "middle", 1, "always"),
        Label(0.0, "2025", "start", 0, "always"),
    )


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
    assert (axis.start, axis.end) == (dt.date(2025, 1, 1), dt.date(2026, 1, 1))
    shapes = {m.id: (m.shape, m.x, m.width) for m in axis.marks}
    assert shapes == {
        "year": ("span", 0.0, 100.0),
        "march": ("span", 16.164, 8.493),  # 59 and 31 days of 365
        "two-days": ("span", 16.164, 0.548),
        "day": ("point", 16.301, 0.0),  # its noon
        "instant": ("point", 16.370, 0.0),  # 18:00
    }
    # Wider spans than day points, whose circles are POINT_RADIUS px at any width.
    assert 8.493 / 100 * NARROW_PX > 2 * POINT_RADIUS


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


def test_day_points_share_a_lane_when_wide_screens_have_room() -> None:
    # Two days 10 apart in a year: 10 / 365 of 328 px is 9 px, less than a circle and
    # the gap (13 px) on a phone; of 736 px, 20 px, enough on a wide screen.
    axis = layout(
        [
            _item("a", D(2025, 1, 10), D(2025, 1, 11)),
            _item("b", D(2025, 1, 20), D(2025, 1, 21)),
            _item("c", D(2025, 12, 1), D(2025, 12, 2)),
        ]
    )
    assert axis is not None
    assert [(m.lane, m.lane_wide) for m in axis.marks] == [(0, 0), (1, 0), (0, 0)]
    assert (axis.lanes, axis.lanes_wide) == (2, 1)
    assert 2 * POINT_RADIUS + GAP_PX > 10 / 365 * NARROW_PX
    assert 2 * POINT_RADIUS + GAP_PX < 10 / 365 * WIDE_PX


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


def test_many_years_are_ticked_by_year() -> None:
    items = [_item("a", D(2001, 5, 1), D(2001, 5, 2)), _item("b", D(2010, 5, 1), D(2010, 5, 2))]
    assert domain(items) == (dt.date(2001, 1, 1), dt.date(2011, 1, 1), "year")
    axis = layout(items)
    assert axis is not None
    assert (len(axis.ticks), axis.ticks[0], axis.ticks[-1]) == (11, 0.0, 100.0)
    # 32.8 px a year on a phone: every other year; 73.6 px on a wide screen: each.
    assert [(label.text, label.show) for label in axis.labels] == [
        (str(year), "always" if year % 2 == 0 else "wide") for year in range(2001, 2011)
    ]


def test_thirty_six_months_are_still_ticked_by_month() -> None:
    items = [_item("a", D(2023, 1, 1), D(2023, 1, 2)), _item("b", D(2025, 12, 1), D(2025, 12, 2))]
    assert domain(items) == (dt.date(2023, 1, 1), dt.date(2026, 1, 1), "month")
    axis = layout(items)
    assert axis is not None
    years = [label.text for label in axis.labels if label.row == 0]
    assert years == ["2023", "2024", "2025"]
    # 9 px a month on a phone: a label each half year; 20 px on wide screens: every other.
    months = {label.text: label.show for label in axis.labels if label.row == 1}
    assert months == {"Jan": "always", "Jul": "always"} | dict.fromkeys(
        ["Mar", "May", "Sep", "Nov"], "wide"
    )


def test_labels_are_worded_in_one_place() -> None:
    assert [axis_label(2025, month) for month in (1, 5, 12)] == ["Jan", "May", "Dec"]
    assert axis_label(2025) == "2025"


def test_nothing_to_draw() -> None:
    assert layout([]) is None
    with pytest.raises(ValueError, match="no items"):
        domain([])


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
