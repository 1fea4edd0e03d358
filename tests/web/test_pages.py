"""The timeline page: events under their month or year, the precision said once beside the
title, and the active filter named."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import html as lxml_html

YEAR_EVENT = "2025-eu-apply-ai"
MONTH_EVENT = "2024-12-eu-ai-factories"


@pytest.fixture
def seeded(seeded_app: Flask) -> FlaskClient:
    return seeded_app.test_client()


def _page(client: FlaskClient, url: str) -> lxml_html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200
    return lxml_html.fromstring(response.get_data(as_text=True))


def _article(page: lxml_html.HtmlElement, event_id: str) -> tuple[str, str, str]:
    """The heading an event is listed under, its title and its date, as shown."""
    (article,) = page.xpath(f'//article[@id="event-{event_id}"]')
    heading = article.xpath("ancestor::section/h2")[0].text_content()
    return heading, article.xpath(".//h3")[0].text_content(), article.xpath(".//time")[0].text


def test_headings_are_months_and_a_year_for_year_only_events(seeded: FlaskClient) -> None:
    page = _page(seeded, "/")
    headings = [h.text_content() for h in page.xpath("//section/h2")]
    assert headings == ["February 2025", "January 2025", "2025", "December 2024", "August 2024"]
    assert [a.get("id") for a in page.xpath("//section[h2='2025']/article")] == [
        f"event-{YEAR_EVENT}"
    ]
    assert _article(page, YEAR_EVENT) == (
        "2025",
        "European Commission plans an Apply AI initiative",
        "2025 (date not reported)",
    )
    assert _article(page, MONTH_EVENT) == (
        "December 2024",
        "European Commission selects the first 7 AI factories",
        "December 2024 (day not reported)",
    )


def test_the_precision_is_said_once_on_the_page_and_kept_in_the_calendar(
    seeded: FlaskClient,
) -> None:
    page = _page(seeded, "/")
    # The three month-precision events say it once each in the list, in their dates (and
    # once more each in the picture's marks, for hover and screen readers).
    text = "".join(article.text_content() for article in page.xpath("//article"))
    assert text.count("day not reported") == 3
    marks = page.xpath("//svg[@class='axis narrow']//a/title/text()")
    assert "".join(marks).count("day not reported") == 3
    assert text.count("2024 (day not reported)") == 1
    assert text.count("January 2025 (day not reported)") == 2
    calendar = seeded.get(f"/events/{MONTH_EVENT}.ics").get_data(as_text=True)
    assert "SUMMARY:European Commission selects the first 7 AI factories (December 2024\\; da" in (
        calendar.replace("\r\n ", "")
    )


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("/?org=Nobody", "No events of “Nobody”."),
        ("/?tag=nothing-here&from=2025-01-01", "No events tagged #nothing-here, from 2025-01-01."),
    ],
)
def test_an_empty_filter_is_named(seeded: FlaskClient, url: str, said: str) -> None:
    page = _page(seeded, url)
    assert [p.text_content() for p in page.xpath('//p[@class="empty"]')] == [said]
    assert page.xpath('//p[@class="filter"]/a/@href') == ["/"]


def test_a_filter_that_matches_is_named_with_the_count(seeded: FlaskClient) -> None:
    page = _page(seeded, "/?tag=eu&to=2024-12-31")
    (line,) = page.xpath('//p[@class="filter"]')
    assert line.text_content() == "2 events tagged #eu, until 2024-12-31. Show all"
    assert [a.get("id") for a in page.xpath("//article")] == [
        f"event-{MONTH_EVENT}",
        "event-2024-08-01-eu-ai-act-in-force",
    ]
    single = _page(seeded, "/?org=European+Commission&from=2025-02-05")
    assert single.xpath('//p[@class="filter"]')[0].text_content() == (
        "3 events of “European Commission”, from 2025-02-05. Show all"
    )


def test_no_filter_says_nothing_about_one(seeded: FlaskClient) -> None:
    assert _page(seeded, "/").xpath('//p[@class="filter"]') == []
