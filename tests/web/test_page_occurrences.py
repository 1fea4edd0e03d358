"""The timeline page shows each occurrence of a recurring event on its window's days, at
its own date: overridden instances in the place of theirs, cancelled ones marked, and
the windows one after the other share the days out, so that each shows once."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import html as lxml_html

from tests.conftest import ApiClient, AppFactory, create_token

DAY = {"title": "Club", "start": "2025-03-03"}


def _listed(client: FlaskClient, url: str) -> tuple[list[tuple[str, str, str]], Any]:
    """The articles of the page at ``url`` as (day shown, title, link), newest first,
    and the page's tree."""
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    tree = lxml_html.fromstring(response.get_data(as_text=True))
    found = [
        (
            article.xpath(".//time/@datetime")[0],
            article.xpath(".//h3/a")[0].text_content(),
            article.xpath(".//h3/a/@href")[0],
        )
        for article in tree.xpath("//article")
    ]
    return found, tree


def _post(api: ApiClient, body: dict[str, Any]) -> None:
    response = api.post(body)
    assert response.status_code == 201, response.get_json()


def test_the_page_shows_each_occurrence_under_its_month(api: ApiClient) -> None:
    _post(api, DAY | {"id": "club", "rrule": "FREQ=WEEKLY;COUNT=5", "exdate": ["2025-03-17"]})
    moved = {"recurrence_of": "club", "recurrence_id": "2025-03-10"}
    _post(api, DAY | moved | {"id": "club-moved", "title": "Club (moved)", "start": "2025-03-11"})
    off = {"recurrence_of": "club", "recurrence_id": "2025-03-24", "status": "cancelled"}
    _post(api, DAY | off | {"id": "club-off", "start": "2025-03-24"})
    _post(api, {"id": "launch", "title": "Launch", "start": "2025-03-12"})
    talks = {"id": "talks", "title": "Talks", "start": "2025-04-01", "status": "cancelled"}
    _post(api, talks | {"rrule": "FREQ=DAILY;COUNT=2"})
    listed, tree = _listed(api.client, "/")
    assert listed == [
        ("2025-04-02", "Cancelled: Talks", "/events/talks"),
        ("2025-04-01", "Cancelled: Talks", "/events/talks"),
        ("2025-03-31", "Club", "/events/club"),
        ("2025-03-24", "Cancelled: Club", "/events/club-off"),
        ("2025-03-12", "Launch", "/events/launch"),
        ("2025-03-11", "Club (moved)", "/events/club-moved"),
        ("2025-03-03", "Club", "/events/club"),
    ]
    headings = [h.text_content() for h in tree.xpath("//section[@class='month']/h2")]
    assert headings == ["April 2025", "March 2025"]
    march = tree.xpath("//section[@class='month'][2]//article//time/@datetime")
    assert march == ["2025-03-31", "2025-03-24", "2025-03-12", "2025-03-11", "2025-03-03"]
    assert tree.xpath("//article/@id") == [
        "event-talks.20250402",
        "event-talks.20250401",
        "event-club.20250331",
        "event-club-off",
        "event-launch",
        "event-club-moved",
        "event-club.20250303",
    ]
    marks = tree.xpath("//svg[@class='axis narrow']//a")
    assert len(marks) == 7
    assert sorted(m.get("href") for m in marks) == sorted(href for _, _, href in listed)
    zh = _listed(api.client, "/?lang=zh")[0]
    assert [title for _, title, _ in zh[:2]] == ["【已取消】Talks [English]"] * 2


@pytest.fixture
def small(make_app: AppFactory) -> ApiClient:
    """The API of an app whose page holds 2 events."""
    app: Flask = make_app(PAGE_MAX_EVENTS=2)
    headers = {"Authorization": f"Bearer {create_token(app)}"}
    return ApiClient(app, app.test_client(), headers)


def test_windows_share_out_the_occurrences_each_once(small: ApiClient) -> None:
    weekly = {"id": "weekly", "title": "Weekly", "start": "2025-01-06"}
    _post(small, weekly | {"rrule": "FREQ=WEEKLY;COUNT=10"})
    for day in ("2025-03-01", "2025-02-20", "2025-02-01", "2025-01-15"):
        _post(small, {"id": f"s{day}", "title": "Single", "start": day})
    pages: list[list[tuple[str, str]]] = []
    url: str | None = "/"
    while url is not None:
        assert len(pages) < 10
        listed, tree = _listed(small.client, url)
        pages.append([(day, href.removeprefix("/events/")) for day, _, href in listed])
        older = tree.xpath("//nav[@class='pager']/a[@rel='next']/@href")
        url = older[0] if older else None
    assert pages == [
        [
            ("2025-03-10", "weekly"),
            ("2025-03-03", "weekly"),
            ("2025-03-01", "s2025-03-01"),
            ("2025-02-24", "weekly"),
            ("2025-02-20", "s2025-02-20"),
            ("2025-02-17", "weekly"),
            ("2025-02-10", "weekly"),
            ("2025-02-03", "weekly"),
        ],
        [
            ("2025-02-01", "s2025-02-01"),
            ("2025-01-27", "weekly"),
            ("2025-01-20", "weekly"),
            ("2025-01-15", "s2025-01-15"),
            ("2025-01-13", "weekly"),
        ],
        [("2025-01-06", "weekly")],
    ]
    shown = [day for page in pages for day, event in page if event == "weekly"]
    assert len(shown) == len(set(shown)) == 10


def test_a_timed_occurrence_shows_its_local_time_and_its_utc_anchor(api: ApiClient) -> None:
    talk = {"id": "talk", "title": "Talk", "start": "2025-03-28T18:00:00"}
    _post(api, talk | {"timezone": "Europe/Berlin", "rrule": "FREQ=WEEKLY;COUNT=2"})
    _, tree = _listed(api.client, "/")
    shown = [
        (article.get("id"), article.xpath(".//time")[0].text_content())
        for article in tree.xpath("//article")
    ]
    assert shown == [  # summer time began on 30 March: 18:00 is 16:00Z, not 17:00Z
        ("event-talk.20250404T160000Z", "4 Apr 2025, 18:00 (Europe/Berlin)"),
        ("event-talk.20250328T170000Z", "28 Mar 2025, 18:00 (Europe/Berlin)"),
    ]
