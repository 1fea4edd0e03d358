"""Every output in the language ?lang= asks for: the calendar's SUMMARY and DESCRIPTION
with their LANGUAGE (RFC 5545 §3.2.10), RSS <language>, Atom xml:lang, JSON Feed
language, the page; missing translations marked; caches and stored parts per language."""

from __future__ import annotations

import json
from typing import Any

import feedparser
import icalendar
import pytest
import sqlalchemy as sa
from lxml import etree

from tests.conftest import ApiClient
from timeline.http import db
from timeline.store.models import EventPart

SUMMIT = {
    "id": "summit",
    "language": "zh",
    "title": {"zh": "人工智能行动峰会在巴黎举行", "en": "AI Action Summit held in Paris"},
    "description": {"zh": "为期两天的峰会在大皇宫开幕。"},
    "start": "2025-02-09",
    "end": "2025-02-10",
}
FAIR = {"id": "fair", "title": "Trade fair", "description": "Three days.", "start": "2025-02-01"}


@pytest.fixture
def events(api: ApiClient) -> ApiClient:
    api.created(SUMMIT)
    api.created(FAIR)
    return api


def vevents(api: ApiClient, path: str) -> dict[str, icalendar.Component]:
    response = api.client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    calendar = icalendar.Calendar.from_ical(response.data)
    return {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}


def said(vevent: icalendar.Component, name: str) -> tuple[str, str | None]:
    """A property's text and its LANGUAGE parameter."""
    return str(vevent[name]), vevent[name].params.get("LANGUAGE")


def test_the_calendar_in_each_language(events: ApiClient) -> None:
    chinese = vevents(events, "/calendar.ics?lang=zh")
    assert said(chinese["summit"], "SUMMARY") == ("人工智能行动峰会在巴黎举行", "zh")
    assert said(chinese["summit"], "DESCRIPTION") == ("为期两天的峰会在大皇宫开幕。", "zh")
    # No Chinese: the original, marked, with its own LANGUAGE.
    assert said(chinese["fair"], "SUMMARY") == ("Trade fair [English]", "en")
    assert said(chinese["fair"], "DESCRIPTION") == ("Three days.", "en")
    english = vevents(events, "/calendar.ics?lang=en")
    assert said(english["summit"], "SUMMARY") == ("AI Action Summit held in Paris", "en")
    # The description was not translated: the original's, in its language.
    assert said(english["summit"], "DESCRIPTION") == ("为期两天的峰会在大皇宫开幕。", "zh")
    assert said(english["fair"], "SUMMARY") == ("Trade fair", "en")
    # Without lang: each event's original; LANGUAGE only where it is not LANGUAGE (en).
    plain = vevents(events, "/calendar.ics")
    assert said(plain["summit"], "SUMMARY") == ("人工智能行动峰会在巴黎举行", "zh")
    assert said(plain["fair"], "SUMMARY") == ("Trade fair", None)
    google = vevents(events, "/calendar-google.ics?lang=en")
    assert said(google["summit"], "SUMMARY") == ("AI Action Summit held in Paris", "en")
    one = vevents(events, "/events/fair.ics?lang=zh")
    assert said(one["fair"], "SUMMARY") == ("Trade fair [English]", "en")


def test_the_feeds_in_each_language(events: ApiClient) -> None:
    for lang, summit, fair in (
        ("zh", "人工智能行动峰会在巴黎举行", "Trade fair [English]"),
        ("en", "AI Action Summit held in Paris", "Trade fair"),
    ):
        rss = feedparser.parse(events.client.get(f"/feed.rss?lang={lang}").data)
        assert rss.feed.language == lang
        assert [e.title for e in rss.entries] == [summit, fair]
        atom_body = events.client.get(f"/feed.atom?lang={lang}").data
        root = etree.fromstring(atom_body)
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
        atom = feedparser.parse(atom_body)
        assert [e.title for e in atom.entries] == [summit, fair]
        document = json.loads(events.client.get(f"/feed.json?lang={lang}").data)
        assert document["language"] == lang
        assert [i["title"] for i in document["items"]] == [summit, fair]
        assert document["feed_url"].endswith(f"/feed.json?lang={lang}")
    # The description falls back to the original's.
    english = json.loads(events.client.get("/feed.json?lang=en").data)
    assert english["items"][0]["content_text"] == "为期两天的峰会在大皇宫开幕。"


@pytest.mark.parametrize(
    "path",
    [
        "/calendar.ics",
        "/calendar-google.ics",
        "/feed.rss",
        "/feed.atom",
        "/feed.json",
        "/events/fair.ics",
        "/",
        "/events/fair",
    ],
)
@pytest.mark.parametrize("value", ["fr", "zh_CN", ""])
def test_an_unknown_lang_is_a_400_naming_it(events: ApiClient, path: str, value: str) -> None:
    response = events.client.get(path, query_string={"lang": value})
    assert response.status_code == 400
    assert [e["parameter"] for e in response.get_json()["errors"]] == ["lang"]
    # A more specific tag of an offered language is that language.
    assert events.client.get(path, query_string={"lang": "zh-Hans-CN"}).status_code == 200


def test_etags_and_stored_parts_are_per_language(events: ApiClient) -> None:
    etags: dict[str, Any] = {}
    for lang in ("", "?lang=zh", "?lang=en"):
        first = events.client.get(f"/calendar.ics{lang}")
        etags[lang] = first.headers["ETag"]
        again = events.client.get(f"/calendar.ics{lang}", headers={"If-None-Match": etags[lang]})
        assert again.status_code == 304
    assert len(set(etags.values())) == 3
    with events.app.app_context():
        rows = db.get_session().execute(sa.select(EventPart.event_id, EventPart.kind)).all()
    assert sorted(rows) == sorted(
        (event, kind) for event in ("fair", "summit") for kind in ("ics", "ics:en", "ics:zh")
    )
    # A change re-renders the part of every language.
    events.patch("summit", {"title": {"en": "Paris summit"}})
    english = vevents(events, "/calendar.ics?lang=en")
    assert said(english["summit"], "SUMMARY") == ("Paris summit", "en")
    assert (
        vevents(events, "/calendar.ics?lang=zh")["summit"]["SUMMARY"]
        == "人工智能行动峰会在巴黎举行"
    )


def test_the_page_shows_titles_in_the_language_and_links_carry_it(events: ApiClient) -> None:
    page = events.client.get("/?lang=en").get_data(as_text=True)
    assert '<h3 lang="en"><a href="/events/summit">AI Action Summit held in Paris</a></h3>' in page
    assert "https://example.org/calendar.ics?lang=en" in page
    assert "https://example.org/feed.rss?lang=en" in page
    chinese = events.client.get("/events/fair?lang=zh").get_data(as_text=True)
    assert "Trade fair [English]" in chinese
    assert "https://example.org/feed.atom?lang=zh" in chinese


def test_export_takes_the_language(events: ApiClient) -> None:
    result = events.app.test_cli_runner().invoke(
        args=["export", "--format", "json", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["language"] == "en"
    assert document["items"][0]["title"] == "AI Action Summit held in Paris"
    bad = events.app.test_cli_runner().invoke(args=["export", "--lang", "fr"])
    assert bad.exit_code == 2
