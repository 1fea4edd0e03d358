"""The timeline page in a real headless Chromium, against a real ``timeline serve``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live import LiveServer, live_server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]

if not CHROMIUM.exists():
    if os.environ.get("TIMELINE_REQUIRE_BROWSER"):
        raise RuntimeError("TIMELINE_REQUIRE_BROWSER is set but /usr/bin/chromium is missing")
    pytest.skip(
        "Chromium is not installed (apt-get install chromium); .ci/run installs it",
        allow_module_level=True,
    )

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def _refusals(page: Page) -> list[str]:
    """The messages the page's console gets, as they come, of what its
    Content-Security-Policy refused (an inline style, a script, another site's asset)."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


@pytest.fixture
def server(database_url: str) -> Iterator[LiveServer]:
    with live_server(database_url) as running:
        yield running


@pytest.mark.parametrize(("size", "width", "height"), [("phone", 390, 844), ("desktop", 1366, 900)])
def test_timeline_page(
    browser: Browser, server: LiveServer, tmp_path: Path, size: str, width: int, height: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": height})
    refused = _refusals(page)
    try:
        response = page.goto(server.url + "/")
        assert response is not None and response.status == 200
        months = page.locator("section.month h2").all_inner_texts()
        assert months[:4] == ["February 2025", "January 2025", "2025", "December 2024"]
        assert page.locator("article.event").count() == 21
        grok = page.locator("#event-2025-02-17-xai-grok-3")
        assert grok.locator("h3").inner_text() == "xAI releases Grok 3 and Grok 3 mini"
        assert grok.locator("time").inner_text() == "17 Feb 2025"
        host = server.url.removeprefix("http://")
        webcal = page.locator("#subscribe-webcal").get_attribute("href")
        assert webcal == f"webcal://{host}/calendar.ics"
        google = page.locator("#subscribe-google").get_attribute("href")
        assert google is not None
        assert google.startswith("https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F")
        assert page.locator("#download-ics").get_attribute("href") == f"{server.url}/calendar.ics"
        for feed in ("rss", "atom", "json"):
            href = page.locator(f"#feed-{feed}").get_attribute("href")
            assert href == f"{server.url}/feed.{feed}"
        alternates = page.locator("link[rel=alternate]").count()
        assert alternates == 4
        # Nothing wider than the window: readable without sideways scrolling.
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width
        page.screenshot(path=str(tmp_path / f"timeline-{size}.png"), full_page=True)
        assert (tmp_path / f"timeline-{size}.png").stat().st_size > 10_000

        page.locator("#event-2025-02-09-ai-action-summit h3 a").click()
        page.wait_for_url("**/events/2025-02-09-ai-action-summit")
        assert "Paris, Grand Palais" in page.inner_text("main")

        page.goto(server.url + "/?tag=summit")
        assert page.locator("article.event").count() == 3
        assert page.locator("p.filter").inner_text() == "3 events tagged #summit. Show all"

        missing = page.goto(server.url + "/events/nope")
        assert missing is not None and missing.status == 404
        assert page.locator("section.error h2").inner_text() == "Not Found (404)"
        assert page.locator("p.detail").inner_text() == "There is no event with id 'nope'."
        page.locator("section.error a").click()
        page.wait_for_url(server.url + "/")
        assert refused == []
    finally:
        page.close()


@pytest.mark.parametrize(
    ("size", "width", "height", "shown", "hidden"),
    [("phone", 390, 844, "narrow", "wide"), ("desktop", 1280, 900, "wide", "narrow")],
)
def test_the_picture_of_the_timeline(
    browser: Browser,
    server: LiveServer,
    tmp_path: Path,
    size: str,
    width: int,
    height: int,
    shown: str,
    hidden: str,
) -> None:
    page = browser.new_page(viewport={"width": width, "height": height})
    refused = _refusals(page)
    try:
        page.goto(server.url + "/")
        # Drawn with the lanes of phones and of wide screens; the stylesheet shows one.
        assert page.locator(f"svg.axis.{hidden}").is_hidden()
        picture = f"svg.axis.{shown}"
        marks = page.locator(f"{picture} a.mark")
        assert marks.count() == page.locator("article.event").count() == 21
        for event_id, href in page.eval_on_selector_all(
            f"{picture} a.mark",
            "marks => marks.map(m => [m.dataset.event, m.getAttribute('href')])",
        ):
            assert href == f"/events/{event_id}"
        grok = page.locator(f"{picture} a.mark[data-event='2025-02-17-xai-grok-3']")
        assert grok.locator("circle").count() == 1
        point = grok.locator("circle").bounding_box()
        month = page.locator(
            f"{picture} a.mark[data-event='2025-01-microsoft-80-billion'] rect"
        ).bounding_box()
        assert point is not None and month is not None
        assert month["width"] > point["width"] >= 10
        svg = page.locator(picture).bounding_box()
        assert svg is not None
        assert 0 <= svg["x"] and svg["x"] + svg["width"] <= width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # No mark hides another: their boxes do not meet.
        boxes = page.eval_on_selector_all(
            f"{picture} a.mark > circle, {picture} a.mark > rect",
            "shapes => shapes.map(s => { const b = s.getBoundingClientRect();"
            " return [s.parentNode.dataset.event, b.left, b.right, b.top, b.bottom]; })",
        )
        assert len(boxes) == 21
        for i, (one, left, right, top, bottom) in enumerate(boxes):
            for other, left2, right2, top2, bottom2 in boxes[i + 1 :]:
                apart = right <= left2 or right2 <= left or bottom <= top2 or bottom2 <= top
                assert apart, (one, other)
        # The lowest lane ends the picture: the SVG is as tall as its lanes need.
        lowest = max(bottom for *_rest, bottom in boxes)
        assert svg["y"] + svg["height"] - 12 <= lowest <= svg["y"] + svg["height"]
        shot = tmp_path / f"picture-{size}.png"
        page.locator("figure.picture").screenshot(path=str(shot))
        assert shot.stat().st_size > 5_000

        page.goto(server.url + "/?tag=summit")
        shown_ids = page.eval_on_selector_all(
            f"{picture} a.mark", "ms => ms.map(m => m.dataset.event)"
        )
        listed = page.eval_on_selector_all(
            "article.event", "as => as.map(a => a.id.replace('event-', ''))"
        )
        assert sorted(shown_ids) == sorted(listed) and len(shown_ids) == 3
        assert refused == []
    finally:
        page.close()


def test_the_page_in_each_language(browser: Browser, server: LiveServer) -> None:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    try:
        # Chromium asks for zh-CN: the page is Chinese without ?lang=.
        page.goto(server.url + "/")
        assert page.locator("html").get_attribute("lang") == "zh"
        months = page.locator("section.month h2").all_inner_texts()
        assert months[:2] == ["2025年2月", "2025年1月"]
        act = page.locator("#event-2024-08-01-eu-ai-act-in-force")
        assert act.locator("h3").inner_text() == "欧盟《人工智能法案》生效"
        assert act.locator("time").inner_text() == "2024年8月1日"
        assert page.locator("#subscribe-webcal").inner_text() == "订阅（Apple、Outlook）"

        page.goto(server.url + "/?tag=summit&lang=zh")
        page.locator('nav.languages a[hreflang="en"]').click()
        page.wait_for_url(server.url + "/?tag=summit&lang=en")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("p.filter").inner_text() == "3 events tagged #summit. Show all"
        assert page.locator("section.month h2").first.inner_text() == "February 2025"

        page.locator('nav.languages a[hreflang="zh"]').click()
        page.wait_for_url(server.url + "/?tag=summit&lang=zh")
        assert page.locator("html").get_attribute("lang") == "zh"
        assert page.locator("p.filter").inner_text() == "3 个事件，标签 #summit。 显示全部"
    finally:
        context.close()
