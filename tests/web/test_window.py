"""The timeline page as a window of events: the newest, around a day, before and after a
position, with links to move; cached and revalidated as the feeds are."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import html as lxml_html

from tests.conftest import AppFactory, delete_event
from timeline.http import db
from timeline.store import bulk
from timeline.store.engine import begin_write
from timeline.store.values import EventData

SIZE = 50


def _add(app: Flask, days: list[dt.date], prefix: str = "e") -> list[str]:
    """Add one-day events on ``days`` (ids ``<prefix>000``...); return their ids newest
    first, as the page lists them (by start, then id, descending)."""
    datas = [
        EventData(
            id=f"{prefix}{n:03d}",
            title=f"Event {n}",
            start=day,
            end=day + dt.timedelta(days=1),
            all_day=True,
            tags=("even",) if n % 2 == 0 else ("odd",),
        )
        for n, day in enumerate(days)
    ]
    with app.app_context():
        session = db.get_session()
        begin_write(session)
        bulk.add_events(session, datas, author="test")
        session.commit()
    return [d.id for d in sorted(datas, key=lambda d: (d.start, d.id), reverse=True)]


def _days(count: int, first: dt.date = dt.date(2024, 1, 1)) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range(count)]


class Page:
    """A page of the timeline as a reader sees it: the events listed, the marks drawn,
    and where the newer and older links lead."""

    def __init__(self, client: FlaskClient, url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, response.get_data(as_text=True)
        self.response = response
        self.tree = lxml_html.fromstring(response.get_data(as_text=True))
        self.ids = [a.get("id").removeprefix("event-") for a in self.tree.xpath("//article")]
        self.marks = self.tree.xpath("//svg[@class='axis narrow']//a/@data-event")

    def link(self, rel: str) -> str | None:
        hrefs = {a.get("href") for a in self.tree.xpath(f"//nav[@class='pager']/a[@rel='{rel}']")}
        assert len(hrefs) <= 1  # above and below the list, the same
        return hrefs.pop() if hrefs else None


@pytest.fixture
def app(make_app: AppFactory) -> Flask:
    return make_app()


def test_the_page_holds_a_window_and_links_move_through_every_event(app: Flask) -> None:
    # 10,000 events (2015-2025) made one GET / take 3.4 s and 6 MB: every one was listed.
    ids = _add(app, _days(120))
    client = app.test_client()
    first = Page(client, "/")
    assert first.ids == ids[:SIZE] and sorted(first.marks) == sorted(first.ids)
    assert first.link("prev") is None
    older = first.link("next")
    assert older is not None
    second = Page(client, older)
    assert second.ids == ids[SIZE : 2 * SIZE]
    third_url = second.link("next")
    assert third_url is not None
    third = Page(client, third_url)
    assert third.ids == ids[2 * SIZE :]  # the last window holds what is left
    assert third.link("next") is None
    # Back up again, window by window.
    newer = third.link("prev")
    assert newer is not None and Page(client, newer).ids == second.ids
    newest = second.link("prev")
    assert newest is not None
    back = Page(client, newest)
    assert back.ids == first.ids and back.link("prev") is None


def test_many_events_on_one_day_are_all_reached(app: Flask) -> None:
    # 100,000 events on one day: one GET / took 351 s. Windows move through ties by id.
    ids = _add(app, [dt.date(2025, 2, 17)] * 130)
    client = app.test_client()
    seen: list[str] = []
    url: str | None = "/"
    while url is not None:
        page = Page(client, url)
        assert len(page.ids) <= SIZE and len(page.marks) == len(page.ids)
        seen += page.ids
        url = page.link("next")
    assert seen == ids


def test_a_window_beyond_either_end_shows_the_nearest_events(app: Flask) -> None:
    ids = _add(app, _days(80))
    client = app.test_client()
    last = Page(client, "/?before=" + _cursor("2024-01-01T00:00:00+00:00", "e000"))
    assert last.ids == ids[-SIZE:] and last.link("next") is None and last.link("prev")
    first = Page(client, "/?after=" + _cursor("2030-01-01T00:00:00+00:00", "x"))
    assert first.ids == ids[:SIZE] and first.link("prev") is None and first.link("next")


def _cursor(start: str, event_id: str) -> str:
    import base64
    import json

    raw = json.dumps([start, event_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_around_a_day_half_after_it_and_half_on_and_before_it(app: Flask) -> None:
    ids = _add(app, _days(200))  # 2024-01-01 to 2024-07-18, one a day
    client = app.test_client()
    page = Page(client, "/?around=2024-03-01")
    at = ids.index("e060")  # the event of 1 March
    assert page.ids == ids[at - SIZE // 2 : at + SIZE // 2]
    assert page.link("prev") and page.link("next")
    # Near either end the window is completed from the other side.
    assert Page(client, "/?around=2030-01-01").ids == ids[:SIZE]
    assert Page(client, "/?around=2024-01-02").ids == ids[-SIZE:]
    oldest = Page(client, "/?around=1990-05-05")
    assert oldest.ids == ids[-SIZE:] and oldest.link("next") is None


def test_windows_keep_the_filter_and_the_language(app: Flask) -> None:
    ids = _add(app, _days(150))
    client = app.test_client()
    page = Page(client, "/?tag=even&lang=zh")
    assert page.ids == [i for i in ids if int(i[1:]) % 2 == 0][:SIZE]
    older = page.link("next")
    assert older is not None
    query = parse_qsl(urlsplit(older).query)
    assert [name for name, _value in query] == ["tag", "lang", "before"]
    second = Page(client, older)
    assert second.ids == [i for i in ids if int(i[1:]) % 2 == 0][SIZE:]
    # The subscribe links are the filter's, without the window.
    assert second.tree.xpath("//a[@id='download-ics']/@href") == [
        "https://example.org/calendar.ics?tag=even&lang=zh"
    ]
    # The language switch keeps the window.
    english = second.tree.xpath("//nav[@class='languages']/a[@hreflang='en']/@href")[0]
    assert Page(client, english).ids == second.ids
    # The filter line counts the events only when the window holds them all.
    assert page.tree.xpath("//p[@class='filter']")[0].text_content().startswith("事件，")
    whole = Page(client, "/?tag=even&from=2024-05-01&lang=en")
    assert whole.tree.xpath("//p[@class='filter']")[0].text_content() == (
        "14 events tagged #even, from 2024-05-01. Show all"
    )


@pytest.mark.parametrize(
    ("query", "parameter", "detail"),
    [
        ("around=2024-02-30", "around", "around='2024-02-30' is not a date of the form YYYY-MM-DD"),
        (
            "before=bm90IGEgY3Vyc29y",
            "before",
            "before is not a position the timeline links to; start from its newest events",
        ),
        ("after=" + "W" * 5000, "after", None),
        ("around=2024-02-01&before=x", "before", "give one of around, before and after, not "),
        ("before=a&before=b", "before", "'before' may be given once"),
        ("around=9999-12-31", None, None),
        ("around=0001-01-01", None, None),
        ("before=" + _cursor("0001-01-01T00:00:00+14:00", "x"), "before", None),
        ("after=" + _cursor("9999-12-31T23:00:00-14:00", "x"), "after", None),
        ("after=" + _cursor("0001-01-01T00:00:00+00:00", "x"), None, None),
    ],
)
def test_a_bad_window_is_400_naming_the_parameter(
    app: Flask, query: str, parameter: str | None, detail: str | None
) -> None:
    _add(app, _days(3))
    response = app.test_client().get(f"/?{query}", headers={"Accept": "application/json"})
    if parameter is None:
        assert response.status_code == 200
        return
    assert response.status_code == 400
    (error,) = response.get_json()["errors"]
    assert error["parameter"] == parameter
    if detail is not None:
        assert error["detail"].startswith(detail)


@pytest.mark.usefixtures("settled")
def test_the_page_is_cached_and_revalidated_as_the_feeds_are(app: Flask) -> None:
    _add(app, _days(60))
    renders: list[str] = []

    @app.before_request
    def count() -> None:
        from flask import request

        renders.append(request.full_path)

    client = app.test_client()
    first = client.get("/?tag=odd")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert first.headers["Vary"] == "Accept-Encoding, Accept-Language"
    assert "Last-Modified" in first.headers
    again = client.get("/?tag=odd", headers={"If-None-Match": etag})
    assert (again.status_code, again.data) == (304, b"")
    # Each language is its own document, with its own ETag.
    chinese = client.get("/?tag=odd", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert chinese.headers["ETag"] != etag and '<html lang="zh">' in chinese.text
    # A page whose language ?lang= names is answered in front of Flask the second time.
    client.get("/?lang=en")
    before = len(renders)
    assert client.get("/?lang=en").status_code == 200
    assert len(renders) == before
    # A change shows at once: a new ETag, the event gone.
    delete_event(app, "e059")
    changed = client.get("/?tag=odd", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert 'id="event-e059"' not in changed.text and 'id="event-e057"' in changed.text


def test_one_render_for_a_burst_of_the_same_page() -> None:
    import threading

    from timeline.publish.caching import RenderCache

    cache = RenderCache(1000)
    inside: list[int] = []
    entered = threading.Event()
    release = threading.Event()

    def render(n: int, key: str = "page") -> None:
        with cache.one_render(key):
            inside.append(n)
            if n == 0:
                entered.set()
                release.wait(10)

    first = threading.Thread(target=render, args=(0,))
    first.start()
    assert entered.wait(10)
    waiting = [threading.Thread(target=render, args=(n,)) for n in range(1, 8)]
    for thread in waiting:
        thread.start()
    other = threading.Thread(target=render, args=(99, "another page"))
    other.start()
    other.join(10)
    assert inside == [0, 99]  # the others wait for the first; another key does not
    release.set()
    for thread in [first, *waiting]:
        thread.join(10)
    assert sorted(inside) == [*range(8), 99]
    assert cache._flights == {}
