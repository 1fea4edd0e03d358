"""Dates the API takes: a relative ``when`` needs the day it counts from, and only the
years every output carries (1900 to 2199) are taken."""

from __future__ import annotations

import datetime as dt
from typing import Any

import feedparser
import pytest

from tests.conftest import ApiClient

RELATIVE = ["昨天", "上周二", "last Tuesday", "3 days ago", "2月17日", "今年"]


@pytest.mark.parametrize("when", RELATIVE)
def test_a_relative_when_without_reference_is_422_at_reference(api: ApiClient, when: str) -> None:
    before = api.counts()
    response = api.post({"title": "测试上周二", "when": when})
    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert error["pointer"] == "/reference"
    assert error["detail"].startswith(f"{when!r} is relative")
    assert '"today"' in error["detail"]
    assert api.counts() == before


def test_reference_today_means_today_and_a_day_means_that_day(api: ApiClient) -> None:
    today = dt.datetime.now(dt.UTC).date()
    yesterday = api.created({"title": "Yesterday", "when": "昨天", "reference": "today"})
    # Read as today by UTC, which may have turned since `today` was read: one day apart.
    assert dt.date.fromisoformat(yesterday["start"]) in (
        today - dt.timedelta(days=1),
        today,
    )
    tuesday = api.created({"title": "Tuesday", "when": "上周二", "reference": "2025-02-18"})
    assert tuesday["start"] == "2025-02-11"
    for bad in ("yesterday", "2025-02-30", "TODAY"):
        response = api.post({"title": "x", "when": "昨天", "reference": bad})
        assert response.status_code == 422
        assert [e["pointer"] for e in response.get_json()["errors"]] == ["/reference"]


@pytest.mark.parametrize("when", ["2025年2月17日", "Feb 9-10, 2025", "2025-02", "Q1 2025"])
def test_an_absolute_when_needs_no_reference(api: ApiClient, when: str) -> None:
    assert api.post({"title": "Dated", "when": when}).status_code == 201


OUTSIDE: list[tuple[dict[str, Any], str]] = [
    ({"start": "0001-01-01"}, "/start"),
    ({"start": "1899-12-31"}, "/start"),
    ({"start": "1899"}, "/start"),
    ({"start": "2200"}, "/start"),
    ({"start": "2200-01"}, "/start"),
    ({"start": "2199-12-31", "end": "2200-01-01"}, "/end"),
    ({"start": "1899-12", "end": "1900-02"}, "/start"),
    ({"start": "2200-01-01T00:00:00Z"}, "/start"),
    ({"start": "1899-12-31T23:00:00Z"}, "/start"),
    ({"start": "2199-12-31T23:00:00-02:00"}, "/start"),
    ({"start": "2199-06-01T10:00:00Z", "end": "2200-06-01T10:00:00Z"}, "/end"),
    ({"when": "1066年10月14日"}, "/when"),
    ({"when": "October 14, 1066"}, "/when"),
    ({"when": "2200年1月"}, "/when"),
]


@pytest.mark.parametrize(("dates", "pointer"), OUTSIDE)
def test_dates_outside_the_years_every_output_carries_are_422(
    api: ApiClient, dates: dict[str, Any], pointer: str
) -> None:
    before = api.counts()
    response = api.post({"title": "Out of range"} | dates)
    assert response.status_code == 422, response.get_data(as_text=True)
    errors = response.get_json()["errors"]
    assert [e["pointer"] for e in errors] == [pointer]
    assert "the years 1900 to 2199" in errors[0]["detail"]
    assert api.counts() == before


@pytest.mark.parametrize(
    "dates",
    [
        {"start": "1900-01-01"},
        {"start": "1900"},
        {"start": "2199-12-31"},
        {"start": "2199"},
        {"start": "1900-01-01T00:00:00Z"},
        {"start": "2199-12-31T23:59:59Z"},
    ],
)
def test_the_first_and_last_days_carried_are_published(
    api: ApiClient, dates: dict[str, Any]
) -> None:
    api.created({"title": "Edge"} | dates)
    feeds = api.feeds()
    (item,) = feeds.rss.entries
    year = item.published_parsed.tm_year
    assert year in (1900, 2199)
    assert feedparser.parse(api.client.get("/feed.atom").data).bozo == 0
    assert len(feeds.json["items"]) == 1
    assert api.client.get("/").status_code == 200
