"""The reader's language everywhere: /timeline.json follows ?lang=, and a Chinese output
has no English where a Chinese form exists (the calendar's name and description, the
precision and source wording, organizations' names)."""

from __future__ import annotations

import json
import re

import pytest
from flask import Flask

from tests.conftest import ApiClient, AppFactory

SOURCE = "Chinese news article on AI models, investment and regulation (February 2025)"
CHINESE = [
    "/feed.rss?lang=zh",
    "/feed.atom?lang=zh",
    "/feed.json?lang=zh",
    "/calendar.ics?lang=zh",
    "/calendar-google.ics?lang=zh",
    "/timeline.json?lang=zh",
    "/events/2025-01-microsoft-80-billion.ics?lang=zh",
]
ENGLISH_WORDS = [
    "AI timeline",
    "Dated events of",
    "not reported",
    "pproximate date",
    "Date known",
    "Source:",
    "published 2",
    "around",
    "most recent",
    "events.",
    "French Government",
    "European Commission",
    "Microsoft",
    *"January February March April May June July".split(),
    *"August September October November December".split(),
]


def _text(body: bytes) -> str:
    """A document's text, lines unfolded (RFC 5545 §3.1), the seeds' English source name
    and locators (data, not wording) left out."""
    text = body.decode().replace("\r\n ", "").replace("\\,", ",")
    return re.sub(r"paragraphs? [\d-]+", "", text.replace(SOURCE, ""))


def test_timeline_json_follows_lang(seeded_app: Flask) -> None:
    client = seeded_app.test_client()
    english = json.loads(client.get("/timeline.json").data)
    chinese = json.loads(client.get("/timeline.json?lang=zh").data)
    assert english["title"]["text"]["headline"] == "AI timeline"
    assert chinese["title"]["text"]["headline"] == "人工智能时间线"
    heads = {e["unique_id"]: e["text"]["headline"] for e in chinese["events"]}
    assert heads["2024-08-01-eu-ai-act-in-force"] == "欧盟《人工智能法案》生效"
    dates = {e["unique_id"]: e.get("display_date") for e in chinese["events"]}
    assert dates["2025-01-22-musk-doubts-stargate"] == "约2025年1月22日"
    assert dates["2025-02-09-eu-cut-ai-red-tape"] == "约2025年2月9日至10日"
    refused = client.get("/timeline.json?lang=fr")
    assert refused.status_code == 400
    assert [e["parameter"] for e in refused.get_json()["errors"]] == ["lang"]


@pytest.mark.parametrize("path", CHINESE)
def test_chinese_outputs_have_no_english_wording(seeded_app: Flask, path: str) -> None:
    response = seeded_app.test_client().get(path)
    assert response.status_code == 200
    text = _text(response.data)
    assert [word for word in ENGLISH_WORDS if word in text] == []
    if "microsoft" in path:
        assert "（2025年1月，日期未报道）" in text and "日期仅知到月份：2025年1月。" in text
        assert "微软" in text
        return
    assert "人工智能时间线" in text
    if "timeline.json" not in path:
        assert "（2025年1月，日期未报道）" in text  # Microsoft's month
        assert "（约2025年1月，日期未报道）" in text  # Meta's approximate month
        assert "（2025年，具体日期未报道）" in text  # the Apply AI plan's year
        assert "（大致日期）" in text


def test_the_feeds_words_in_chinese(seeded_app: Flask) -> None:
    client = seeded_app.test_client()
    feed = json.loads(client.get("/feed.json?lang=zh").data)
    items = {item["id"].rsplit(":", 1)[1]: item for item in feed["items"]}
    meta = items["2025-01-meta-capex-65-billion"]
    assert meta["content_text"].startswith("大致日期，仅知到月份：2025年1月。")
    assert "来源：" in meta["content_text"] and "，2025-02发布" in meta["content_text"]
    summit = items["2025-02-09-ai-action-summit"]
    assert summit["_timeline"]["organizations"] == ["法国政府", "印度政府"]
    google = client.get("/calendar-google.ics?lang=zh").data.decode().replace("\r\n ", "")
    assert "X-WR-CALDESC:人工智能模型、投资与监管的大事记。 共 21 个事件。" in google
    page = client.get("/?lang=zh").get_data(as_text=True)
    assert (
        '<h1><a href="/?lang=zh">人工智能时间线</a></h1>' in page
        or "人工智能时间线</a></h1>" in page
    )
    assert ">法国政府</a>" in page and ">French Government</a>" not in page
    english = client.get("/feed.json").get_data(as_text=True)
    assert "French Government" in english and "Date known to the month only" in english


def test_the_calendar_name_per_language_or_one_for_all(make_app: AppFactory) -> None:
    app = make_app(CALENDAR_NAME={"en": "City events", "zh": "城市活动"}, CALENDAR_DESCRIPTION="")
    client = app.test_client()
    assert "X-WR-CALNAME:城市活动" in client.get("/calendar.ics?lang=zh").get_data(as_text=True)
    assert "<title>City events</title>" in client.get("/feed.rss").get_data(as_text=True)
    one = make_app(CALENDAR_NAME="Events")
    assert "<title>Events</title>" in one.test_client().get("/feed.rss?lang=zh").get_data(
        as_text=True
    )


def test_the_api_takes_an_organization_name_by_language(api: ApiClient) -> None:
    french = {"zh": "法国政府", "en": "French Government"}
    event = api.created(
        {"id": "summit", "title": "Summit", "start": "2025-02-10", "organizations": [french]}
    )
    assert event["organizations"] == ["French Government"]
    chinese = api.client.get("/api/events/summit?lang=zh").get_json()
    assert chinese["organizations"] == ["法国政府"]
    assert "法国政府" in api.client.get("/calendar.ics?lang=zh").get_data(as_text=True)
    for org in ("法国政府", "French Government"):
        listed = api.client.get(f"/api/events?org={org}").get_json()["events"]
        assert [e["id"] for e in listed] == ["summit"]
    # Another event naming it in Chinese only is the same organization.
    api.created(
        {"id": "visit", "title": "Visit", "start": "2025-03-01", "organizations": ["法国政府"]}
    )
    assert api.client.get("/api/events/visit").get_json()["organizations"] == ["French Government"]
    # A new Chinese name shows at once in every document already cached.
    api.created(
        {
            "id": "talks",
            "title": "Talks",
            "start": "2025-03-02",
            "organizations": [{"zh": "法兰西政府", "en": "French Government"}],
        }
    )
    calendar = api.client.get("/calendar.ics?lang=zh").get_data(as_text=True)
    assert "法国政府" not in calendar and calendar.count("法兰西政府") == 3
    bad = api.post({"title": "x", "start": "2025-01-01", "organizations": [{"zh": ""}]})
    assert bad.status_code == 422
    assert [e["pointer"] for e in bad.get_json()["errors"]] == ["/organizations/0/zh"]
