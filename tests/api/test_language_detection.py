"""A text's language, when not given, comes from its script: Han is zh, Latin is en, and
anything else is the configured LANGUAGE, which the answer says."""

from __future__ import annotations

import pytest

from tests.conftest import ApiClient, AppFactory, create_token
from timeline.store.languages import script_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("测试上周二", "zh"),
        ("OpenAI发布GPT-4.5模型", "zh"),
        ("OpenAI发布GPT-4.5", None),
        ("Meeting with 李明 about the budget", "en"),
        ("Trade fair 🚀 展会", None),
        ("歐盟《人工智能法案》生效", "zh"),
        ("Trade fair", "en"),
        ("Fête de la musique", "en"),
        ("2025", None),
        ("🎉", None),
        ("東京で会議", None),
        ("서울 회의", None),
        ("Встреча", None),
        ("Meeting Встреча", None),
    ],
)
def test_script_language(text: str, language: str | None) -> None:
    assert script_language(text) == language


def test_chinese_is_stored_as_chinese(api: ApiClient) -> None:
    event = api.created({"title": "测试上周二", "when": "上周二", "reference": "2025-02-18"})
    assert (event["language"], event["titles"]) == ("zh", {"zh": "测试上周二"})
    assert "notes" not in event
    rss = api.client.get("/feed.rss?lang=zh").get_data(as_text=True)
    assert "<title>测试上周二</title>" in rss
    assert "[English]" not in rss
    english = api.client.get("/feed.rss?lang=en").get_data(as_text=True)
    assert "<title>测试上周二 [中文]</title>" in english


def test_latin_is_english_and_a_given_language_is_kept(api: ApiClient) -> None:
    fair = api.created({"title": "Trade fair", "start": "2025-03-04"})
    assert (fair["language"], "notes" in fair) == ("en", False)
    fete = api.created({"title": "Fête", "start": "2025-06-21", "language": "fr"})
    assert fete["language"] == "fr"


@pytest.mark.parametrize("title", ["2025", "東京で会議"])
def test_unsure_is_the_configured_language_and_the_answer_says_so(
    make_app: AppFactory, title: str
) -> None:
    app = make_app(LANGUAGE="zh")
    token = create_token(app)
    client = app.test_client()
    response = client.post(
        "/api/events",
        json={"title": title, "start": "2025-03-04"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201
    event = response.get_json()
    assert event["language"] == "zh"
    assert event["notes"] == [
        "language: the script of the title does not tell its language; taken as zh, "
        "the configured LANGUAGE (give language to say which it is)"
    ]
    assert "notes" not in client.get(f"/api/events/{event['id']}").get_json()
