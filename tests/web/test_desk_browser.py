"""The editor's desk and the time axis in a real headless Chromium, against a real
``timeline serve`` on a loopback port (as tests/web/test_browser.py)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import feedparser
import icalendar
import pytest

from tests.live import LiveServer, create_account, create_token, live_server
from tests.web.desk import PASSWORD
from tests.web.test_browser import ARGS, CHROMIUM, _refusals

from playwright.sync_api import Browser, Dialog, Page, ViewportSize, sync_playwright  # isort: skip

ARTICLE = Path(__file__).resolve().parents[1] / "data" / "metro-line-6.txt"
PHONE: ViewportSize = {"width": 390, "height": 844}
#: A test's own key: the server makes none in the project's instance folder.
SECRET = {"TIMELINE_SECRET_KEY": "a test key of the desk's browser tests, 48 characters"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def _send(url: str, token: str, body: object) -> int:
    """POST ``body`` as JSON to ``url`` with the bearer ``token``; return the status."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        status: int = response.status
        return status


@pytest.fixture
def server(database_url: str) -> Iterator[LiveServer]:
    """The seeded service (its events in ``main``), an empty timeline ``metro`` made
    through the API, and the account ``editor``, editor of ``metro`` only."""
    token = create_token(database_url, "root", "--admin")
    with live_server(database_url, env=SECRET) as running:
        assert _send(running.url + "/api/timelines", token, {"slug": "metro"}) == 201
        create_account(database_url, "editor", PASSWORD, "--timeline", "metro")
        yield running


def _sign_in_by_keyboard(page: Page, server: LiveServer, password: str = PASSWORD) -> int:
    """Sign in with the keyboard alone: type the name, Tab, the password, Enter. Returns
    the status of the answer to the form."""
    page.goto(server.url + "/desk/sign-in")
    page.focus("#name")
    page.keyboard.type("editor")
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    with (
        page.expect_navigation(),
        page.expect_response(lambda r: r.request.method == "POST") as answer,
    ):
        page.keyboard.press("Enter")
    return answer.value.status


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        body: bytes = response.read()
        return body


def test_review_an_article_on_a_phone(browser: Browser, server: LiveServer) -> None:
    page = browser.new_page(viewport=PHONE)
    refused = _refusals(page)
    try:
        assert _sign_in_by_keyboard(page, server) == 303
        assert page.url == server.url + "/desk/"
        page.click("text=Review an article")
        page.select_option("#timeline", "metro")
        page.fill("#text", ARTICLE.read_text(encoding="utf-8"))
        page.fill("#published", "2025-09-26")
        page.fill("#source", "Riverside Daily")
        page.click("button:has-text('Propose events')")
        page.wait_for_selector("ol.candidates")
        assert page.locator("li.candidate").count() >= 12
        marks = page.locator("#article-text mark.when").all_inner_texts()
        assert "9月25日上午" in marks
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        for n in range(3):
            candidate = page.locator("li.candidate:not(:has(.accepted))").first
            if n == 1:  # edit the second before accepting it
                candidate.locator("summary").click()
                candidate.locator("input[name=title_en]").fill("Line 6 edited in the browser")
                candidate.locator("input[name=tags]").fill("metro, desk")
            candidate.locator("button[value=accept]").click()
            page.wait_for_selector("#done")
            assert page.locator("li.candidate .accepted").count() == n + 1
        assert page.locator("#done").inner_text().startswith("Added: ")
        assert refused == []
    finally:
        page.close()
    # In the metro timeline's feed and calendar, and in no other timeline's.
    rss = feedparser.parse(_get(server.url + "/t/metro/feed.rss?lang=en"))
    titles = [entry.title for entry in rss.entries]
    assert "Line 6 edited in the browser" in titles
    assert len(titles) == 3
    calendar = icalendar.Calendar.from_ical(_get(server.url + "/t/metro/calendar.ics"))
    sources = [str(e.get("DESCRIPTION", "")) for e in calendar.walk("VEVENT")]
    assert sum("Riverside Daily" in text for text in sources) == 3
    assert len(calendar.walk("VEVENT")) == 3
    for main in ("/t/main", ""):
        rss = feedparser.parse(_get(server.url + main + "/feed.rss?lang=en"))
        assert len(rss.entries) == 21
        assert "Line 6 edited in the browser" not in [entry.title for entry in rss.entries]
        calendar = icalendar.Calendar.from_ical(_get(server.url + main + "/calendar.ics"))
        assert len(calendar.walk("VEVENT")) == 21
        assert not any(
            "Riverside Daily" in str(e.get("DESCRIPTION", "")) for e in calendar.walk("VEVENT")
        )


def test_an_editor_of_one_timeline_gets_403_on_another(
    browser: Browser, server: LiveServer
) -> None:
    before = _get(server.url + "/api/events?limit=200")
    seeded = json.loads(before)["events"][0]["id"]
    page = browser.new_page(viewport=PHONE)
    try:
        _sign_in_by_keyboard(page, server)
        answer = page.goto(f"{server.url}/desk/events/{seeded}/edit")
        assert answer is not None and answer.status == 403
        assert "You may not write to this timeline." in page.inner_text("main")
        # A new event's form, its timeline changed to one the editor may not write to.
        page.goto(server.url + "/desk/events/new")
        assert page.locator("#timeline option").all_inner_texts() == ["metro"]
        page.locator("#timeline option").evaluate("o => { o.value = 'main'; }")
        page.fill("#title_en", "Never stored")
        page.fill("#start", "2025-03-01")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.click("form.event-form button[type=submit]")
        assert posted.value.status == 403
    finally:
        page.close()
    assert _get(server.url + "/api/events?limit=200") == before
    assert feedparser.parse(_get(server.url + "/t/metro/feed.rss")).entries == []


def test_a_form_without_its_csrf_token_gets_400_and_changes_nothing(
    browser: Browser, server: LiveServer
) -> None:
    before = _get(server.url + "/api/events?limit=200")
    page = browser.new_page(viewport=PHONE)
    try:
        _sign_in_by_keyboard(page, server)
        page.goto(server.url + "/desk/events/new")
        page.fill("#title_en", "Never stored")
        page.fill("#start", "2025-03-01")
        page.locator("form.event-form input[name=csrf_token]").evaluate("e => e.remove()")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.click("form.event-form button[type=submit]")
        assert answer.value.status == 400
        assert "CSRF" in page.inner_text("main")
    finally:
        page.close()
    assert _get(server.url + "/api/events?limit=200") == before


def test_the_sixth_wrong_password_gets_429(browser: Browser, server: LiveServer) -> None:
    page = browser.new_page(viewport=PHONE)
    try:
        statuses = [_sign_in_by_keyboard(page, server, "not the password") for _ in range(6)]
        assert statuses == [200] * 5 + [429]
        assert "Too many failed sign-ins in a row" in page.inner_text("#sign-in-error")
    finally:
        page.close()


def test_an_article_with_a_script_runs_no_script(browser: Browser, server: LiveServer) -> None:
    page = browser.new_page(viewport=PHONE)
    dialogs: list[str] = []

    def refuse(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    article = (
        "<script>alert('article')</script><img src=x onerror=\"alert('img')\">\n"
        "美国亚马逊公司2月6日表示，该公司今年的资本支出将提高至1000亿美元。"
    )
    try:
        _sign_in_by_keyboard(page, server)
        page.goto(server.url + "/desk/review/")
        page.fill("#text", article)
        page.fill("#published", "2025-02-18")
        page.click("button:has-text('Propose events')")
        page.wait_for_selector("#article-text")
        assert page.inner_text("#article-text").startswith("<script>alert('article')</script>")
        assert page.locator("#article-text script, #article-text img").count() == 0
        assert dialogs == []
    finally:
        page.close()


def _store(database_url: str, days: list[str]) -> None:
    """Events on ``days`` (API date forms) in an empty store, through the API."""
    token = create_token(database_url, "axis")
    with live_server(database_url, env=SECRET | {"TIMELINE_SEED_ON_START": "false"}) as running:
        for n, day in enumerate(days):
            body = {"id": f"e{n}", "title": f"Event {n} of {day}", "start": day}
            assert _send(running.url + "/api/events", token, body) == 201


STORES = {
    "seeded": None,
    "300 years": ["1900-01-01", "2199-12-31", *(f"2025-02-{d:02d}" for d in range(1, 15))],
    "10 years": [f"{2015 + n}-0{1 + n % 9}-1{n % 10}" for n in range(11)],
}


@pytest.mark.parametrize("store", list(STORES))
def test_the_axis_on_a_phone(browser: Browser, database_url: str, store: str) -> None:
    days = STORES[store]
    if days is not None:
        _store(database_url, days)
    env = SECRET | ({"TIMELINE_SEED_ON_START": "false"} if days is not None else {})
    page = browser.new_page(viewport=PHONE)
    refused = _refusals(page)
    try:
        with live_server(database_url, env=env) as running:
            page.goto(running.url + "/")
        svg = "svg.axis.narrow"
        labels = page.locator(f"{svg} g.labels text")
        assert 1 <= labels.count() <= 16
        widths = page.eval_on_selector_all(
            f"{svg} a.mark > circle, {svg} a.mark > rect",
            "shapes => shapes.map(s => s.getBoundingClientRect().width)",
        )
        assert len(widths) == page.locator("article.event").count() == (len(days or []) or 21)
        assert min(widths) >= 4
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # A mark names its event on keyboard focus, and links to it.
        first = page.locator(f"{svg} a.mark").first
        first.focus()
        assert first.locator("text.name").is_visible()
        assert first.get_attribute("href", timeout=1000) == "/events/" + str(
            first.get_attribute("data-event")
        )
        assert refused == []
    finally:
        page.close()
