"""The page's own words in the reader's language: the catalogs (Flask-Babel), the choice
by ?lang= or Accept-Language, <html lang>, Vary, and the language switch."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from lxml import html as lxml_html

from tests.conftest import AppFactory
from timeline.web.i18n import TRANSLATIONS

MONTH_EVENT = "2024-12-eu-ai-factories"
GROK = "2025-02-17-xai-grok-3"


@pytest.fixture
def seeded(seeded_app: Flask) -> FlaskClient:
    return seeded_app.test_client()


def _page(
    client: FlaskClient, url: str, headers: dict[str, str] | None = None
) -> tuple[lxml_html.HtmlElement, dict[str, str]]:
    response = client.get(url, headers=headers or {})
    assert response.status_code == 200
    return lxml_html.fromstring(response.get_data(as_text=True)), dict(response.headers)


def _date(page: lxml_html.HtmlElement, event_id: str) -> str:
    (time,) = page.xpath(f'//article[@id="event-{event_id}"]//time')
    return str(time.text_content())


def _buttons(page: lxml_html.HtmlElement) -> list[str]:
    return [a.text_content() for a in page.xpath('//nav[@class="subscribe"]/a')][:3]


def test_the_page_in_chinese(seeded: FlaskClient) -> None:
    page, headers = _page(seeded, "/?lang=zh")
    assert page.xpath("/html/@lang") == ["zh"]
    headings = [h.text_content() for h in page.xpath("//section/h2")]
    assert headings == ["2025年2月", "2025年1月", "2025年", "2024年12月", "2024年8月"]
    assert _date(page, GROK) == "2025年2月17日"
    assert _date(page, MONTH_EVENT) == "2024年12月（日期未报道）"
    assert _date(page, "2025-eu-apply-ai") == "2025年（具体日期未报道）"
    assert _date(page, "2025-02-09-ai-action-summit") == "2025年2月9日至10日"
    assert _date(page, "2025-01-22-musk-doubts-stargate") == "约2025年1月22日"
    assert _buttons(page) == ["订阅（Apple、Outlook）", "添加到 Google 日历", "下载 .ics"]
    assert page.xpath('//span[@class="when"]/text()')[0] == "原文："
    # The picture of wide screens labels each month; that of phones, fewer.
    ticks = page.xpath("//svg[@class='axis wide']//g[@class='labels']/text")
    assert [t.text for t in ticks][:4] == ["2024年", "2025年", "8月", "10月"]
    assert page.xpath("//svg/title/text()") == ["下列 21 个事件的时间轴"] * 2
    # ?lang= chose the language: the answer does not vary by Accept-Language.
    assert "Accept-Language" not in headers.get("Vary", "")


def test_the_filter_line_in_chinese(seeded: FlaskClient) -> None:
    page, _ = _page(seeded, "/?tag=summit&lang=zh")
    (line,) = page.xpath('//p[@class="filter"]')
    assert line.text_content() == "3 个事件，标签 #summit。 显示全部"
    assert line.xpath("a/@href") == ["/?lang=zh"]
    empty, _ = _page(seeded, "/?org=Nobody&lang=zh")
    assert empty.xpath('//p[@class="empty"]/text()') == ["没有机构“Nobody”的事件。"]


def test_the_page_in_english(seeded: FlaskClient) -> None:
    page, _ = _page(seeded, "/?lang=en")
    assert page.xpath("/html/@lang") == ["en"]
    assert page.xpath("//section/h2/text()")[0] == "February 2025"
    assert _date(page, GROK) == "17 Feb 2025"
    assert _date(page, MONTH_EVENT) == "December 2024 (day not reported)"
    assert _buttons(page) == [
        "Subscribe (Apple, Outlook)",
        "Add to Google Calendar",
        "Download .ics",
    ]
    ticks = page.xpath("//svg[@class='axis wide']//g[@class='labels']/text")
    assert [t.text for t in ticks][:4] == ["2024", "2025", "Aug", "Oct"]


def test_accept_language_chooses_without_lang(seeded: FlaskClient) -> None:
    page, headers = _page(seeded, "/", {"Accept-Language": "zh-CN,zh;q=0.9"})
    assert page.xpath("/html/@lang") == ["zh"]
    assert page.xpath("//section/h2/text()")[0] == "2025年2月"
    assert _buttons(page)[0] == "订阅（Apple、Outlook）"
    assert headers["Vary"] == "Accept-Encoding, Accept-Language"
    # ?lang= wins over Accept-Language.
    page, headers = _page(seeded, "/?lang=en", {"Accept-Language": "zh"})
    assert page.xpath("/html/@lang") == ["en"]
    assert page.xpath("//section/h2/text()")[0] == "February 2025"
    # Neither: LANGUAGE, English.
    page, headers = _page(seeded, "/")
    assert page.xpath("/html/@lang") == ["en"]
    assert headers["Vary"] == "Accept-Encoding, Accept-Language"


def test_the_event_and_error_pages(seeded: FlaskClient) -> None:
    page, headers = _page(seeded, f"/events/{GROK}", {"Accept-Language": "zh"})
    assert page.xpath("/html/@lang") == ["zh"]
    assert page.xpath("//dl/dt/text()")[-1] == "日历"
    assert headers["Vary"] == "Accept-Language"
    missing = seeded.get("/events/nope?lang=zh", headers={"Accept": "text/html"})
    assert missing.status_code == 404
    error = lxml_html.fromstring(missing.get_data(as_text=True))
    assert error.xpath("/html/@lang") == ["zh"]
    assert error.xpath('//section[@class="error"]//a/text()') == ["返回时间线"]
    assert missing.headers["Vary"] == "Accept"
    # A bad ?lang= is refused; its error page follows Accept-Language, and says so.
    bad = seeded.get("/?lang=xx", headers={"Accept": "text/html", "Accept-Language": "zh"})
    assert bad.status_code == 400
    assert lxml_html.fromstring(bad.get_data(as_text=True)).xpath("/html/@lang") == ["zh"]
    assert bad.headers["Vary"] == "Accept-Language, Accept"


def test_the_language_switch_keeps_the_filters(seeded: FlaskClient) -> None:
    page, _ = _page(seeded, "/?tag=summit&lang=zh")
    links = [
        (a.text_content(), a.get("hreflang"), a.get("href"), a.get("aria-current"))
        for a in page.xpath('//nav[@class="languages"]/a')
    ]
    assert links == [
        ("English", "en", "/?tag=summit&lang=en", None),
        ("中文", "zh", "/?tag=summit&lang=zh", "true"),
    ]
    event, _ = _page(seeded, f"/events/{GROK}")
    hrefs = event.xpath('//nav[@class="languages"]/a/@href')
    assert hrefs == [f"/events/{GROK}?lang=en", f"/events/{GROK}?lang=zh"]


def test_the_committed_catalog_is_the_compiled_po(tmp_path: Path) -> None:
    """The .mo served is what the .po compiles to, so that the two cannot drift."""
    folder = TRANSLATIONS / "zh" / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as po:
        catalog = read_po(po, locale="zh")
    with (tmp_path / "messages.mo").open("wb") as mo:
        write_mo(mo, catalog)
    with (
        (tmp_path / "messages.mo").open("rb") as fresh,
        (folder / "messages.mo").open("rb") as kept,
    ):
        compiled = gettext.GNUTranslations(fresh)
        committed = gettext.GNUTranslations(kept)
    assert committed._catalog == compiled._catalog  # type: ignore[attr-defined]
    assert len(compiled._catalog) > 30  # type: ignore[attr-defined]


def test_a_language_with_a_region_or_script(make_app: AppFactory) -> None:
    """Tags that Babel writes with ``_`` (zh_Hant) still name the page's language."""
    client = make_app(LANGUAGES=["en", "zh", "zh-Hant"]).test_client()
    page, _ = _page(client, "/?lang=zh-Hant")
    assert page.xpath("/html/@lang") == ["zh-Hant"]
    links = page.xpath('//nav[@class="languages"]/a')
    assert [(a.get("hreflang"), a.get("aria-current")) for a in links] == [
        ("en", None),
        ("zh", None),
        ("zh-Hant", "true"),
    ]
    assert links[2].text_content() == "中文 (繁體)"
