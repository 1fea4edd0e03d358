"""Events in several languages through the API: input forms, output, ?lang=, errors,
patches, revisions, ETags, and the date as the source writes it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ApiClient, AppFactory

SUMMIT_TITLES = {"zh": "人工智能行动峰会在巴黎举行", "en": "AI Action Summit held in Paris"}
SUMMIT: dict[str, object] = {
    "id": "summit",
    "title": SUMMIT_TITLES,
    "description": {"zh": "为期两天的峰会在大皇宫开幕。"},
    "start": "2025-02-09",
    "end": "2025-02-10",
    "language": "zh",
}


def post(api: ApiClient, body: dict[str, Any]) -> Any:
    """POST ``body`` with its keys in the order given (Flask's test client sorts them)."""
    headers = api.headers | {"Content-Type": "application/json"}
    return api.client.post("/api/events", data=json.dumps(body), headers=headers)


def test_texts_by_language_the_first_the_original(api: ApiClient) -> None:
    response = post(api, SUMMIT)
    assert response.status_code == 201
    event = response.get_json()
    assert event["language"] == "zh"
    assert event["title"] == "人工智能行动峰会在巴黎举行"
    assert event["titles"] == {
        "zh": "人工智能行动峰会在巴黎举行",
        "en": "AI Action Summit held in Paris",
    }
    assert event["descriptions"] == {"zh": "为期两天的峰会在大皇宫开幕。"}
    english = api.client.get("/api/events/summit?lang=en").get_json()
    assert english["title"] == "AI Action Summit held in Paris"
    # No English description: the original's.
    assert english["description"] == "为期两天的峰会在大皇宫开幕。"
    assert english["titles"] == event["titles"]
    # BCP 47 Lookup: en-GB and EN are answered in en.
    assert api.client.get("/api/events/summit?lang=en-GB").get_json()["title"] == (
        "AI Action Summit held in Paris"
    )
    listing = api.client.get("/api/events?lang=EN").get_json()
    assert listing["events"][0]["title"] == "AI Action Summit held in Paris"


def test_a_plain_string_is_in_language_or_the_configured_one(api: ApiClient) -> None:
    plain = api.created({"title": "Trade fair", "start": "2025-03-01", "description": "Big."})
    assert (plain["language"], plain["titles"], plain["descriptions"]) == (
        "en",
        {"en": "Trade fair"},
        {"en": "Big."},
    )
    chinese = api.created({"title": "展会", "language": "ZH-hans", "start": "2025-03-02"})
    assert (chinese["language"], chinese["titles"], chinese["descriptions"]) == (
        "zh-Hans",
        {"zh-Hans": "展会"},
        {},
    )
    named = api.created({"title": {"en": "Fair", "zh": "展会"}, "language": "zh", "start": "2025"})
    assert named["language"] == "zh"
    assert named["title"] == "展会"


def test_the_configured_language_reads_plain_strings(
    make_app: AppFactory, auth_headers: dict[str, str]
) -> None:
    app = make_app(LANGUAGE="zh")  # the same database as the token's
    event = ApiClient(app, app.test_client(), auth_headers).created(
        {"title": "展会", "start": "2025-03-02"}
    )
    assert event["language"] == "zh"


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"title": {"en_GB": "Fair"}}, "/title/en_GB"),
        ({"title": {"zh": " "}}, "/title/zh"),
        ({"title": {"zh": "展会", "en": "Fair\n"}}, "/title/en"),
        ({"title": {}}, "/title"),
        ({"title": 5}, "/title"),
        ({"title": {"zh": "展会"}, "description": {"en": "Big."}}, "/description/en"),
        ({"title": {"zh": "展会"}, "description": {"zh": "\u0007"}}, "/description/zh"),
        ({"title": {"zh": "展会"}, "description": {"zh": "x" * 8001}}, "/description/zh"),
        ({"title": {"zh": "展会"}, "language": "en"}, "/language"),
        ({"title": "Fair", "language": "english!"}, "/language"),
        ({"title": {"zh": "展会", "ZH": "展会"}}, "/title/ZH"),
        ({"title": "Fair", "titles": {"en": "Other"}}, "/title"),
    ],
)
def test_bad_texts_are_422_naming_the_language(
    api: ApiClient, body: dict[str, Any], pointer: str
) -> None:
    response = post(api, {"start": "2025-03-01"} | body)
    assert response.status_code == 422, response.get_json()
    assert [e["pointer"] for e in response.get_json()["errors"]] == [pointer]
    assert api.counts() == (0, 0)


@pytest.mark.parametrize("value", ["xx_1", "fr", "en&lang=zh"])
def test_an_unknown_lang_is_400_naming_the_parameter(api: ApiClient, value: str) -> None:
    api.created(SUMMIT)
    for path in ("/api/events", "/api/events/summit"):
        response = api.client.get(path, query_string={"lang": value})
        assert response.status_code == 400, path
        assert [e["parameter"] for e in response.get_json()["errors"]] == ["lang"]
    twice = api.client.get("/api/events?lang=en&lang=zh")
    assert twice.status_code == 400


def test_a_patch_changes_one_language_and_keeps_the_others(api: ApiClient) -> None:
    api.created(SUMMIT)
    added = api.patch("summit", {"title": {"fr": "Sommet pour l'action sur l'IA"}})
    assert added.status_code == 200, added.get_json()
    assert list(added.get_json()["titles"]) == ["zh", "en", "fr"]
    removed = api.patch("summit", {"title": {"en": None, "fr": None}}).get_json()
    assert removed["titles"] == {"zh": "人工智能行动峰会在巴黎举行"}
    english = api.patch("summit", {"description": {"en": "Two days."}})
    assert english.status_code == 422  # no English title any more
    assert [e["pointer"] for e in english.get_json()["errors"]] == ["/description/en"]
    moved = api.patch(
        "summit", {"title": {"en": "Summit"}, "description": {"en": "Two days."}, "language": "en"}
    ).get_json()
    assert (moved["language"], moved["title"], moved["description"]) == (
        "en",
        "Summit",
        "Two days.",
    )
    history = api.client.get("/api/events/summit/revisions").get_json()["revisions"]
    assert [r["data"]["titles"] for r in history] == [
        SUMMIT_TITLES,
        SUMMIT_TITLES | {"fr": "Sommet pour l'action sur l'IA"},
        {"zh": "人工智能行动峰会在巴黎举行"},
        {"en": "Summit", "zh": "人工智能行动峰会在巴黎举行"},
    ]
    assert history[-1]["data"]["language"] == "en"


def test_etags_are_per_language_and_if_match_takes_any(api: ApiClient) -> None:
    api.created(SUMMIT)
    plain = api.client.get("/api/events/summit")
    chinese = api.client.get("/api/events/summit?lang=zh")
    english = api.client.get("/api/events/summit?lang=en")
    assert plain.headers["ETag"] == chinese.headers["ETag"] != english.headers["ETag"]
    again = api.client.get(
        "/api/events/summit?lang=en", headers={"If-None-Match": english.headers["ETag"]}
    )
    assert again.status_code == 304
    patched = api.patch("summit", {"location": "Paris"}, {"If-Match": english.headers["ETag"]})
    assert patched.status_code == 200


def test_a_get_body_posts_back_with_every_language(api: ApiClient) -> None:
    event = api.created(SUMMIT)
    shown = api.client.get("/api/events/summit?lang=en").get_json()
    read_only = ("precision", "created", "updated", "sequence", "links", "occurrences")
    body = {k: v for k, v in shown.items() if k not in read_only} | {"id": "copy"}
    copy = api.created(body)
    for key in ("titles", "descriptions", "language", "start", "end"):
        assert copy[key] == event[key]


def test_the_date_as_written_is_kept_with_the_source(api: ApiClient) -> None:
    event = api.created(
        {"title": "欧盟AI法案生效", "when": "去年8月1日", "reference": "2025-02-18"}
    )
    assert event["start"] == "2024-08-01"
    assert event["source"] == {
        "name": None,
        "published": None,
        "locator": None,
        "when": "去年8月1日",
    }
    renamed = api.patch(event["id"], {"title": "欧盟《人工智能法案》生效"}).get_json()
    assert renamed["source"]["when"] == "去年8月1日"
    moved = api.patch(event["id"], {"start": "2024-08-02", "end": None}).get_json()
    assert moved["source"] is None
    given = api.created(
        {"title": "x", "start": "2025-02-17", "source": {"name": "Paper", "when": "2月17日"}}
    )
    assert given["source"]["when"] == "2月17日"


def test_json_import_of_the_api_output_keeps_every_language(
    api: ApiClient, make_app: AppFactory, other_database_url: str, tmp_path: Path
) -> None:
    api.created(SUMMIT)
    page = api.client.get("/api/events?lang=en").get_json()
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page, ensure_ascii=False))
    target = make_app(DATABASE_URL=other_database_url)
    result = target.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    copied = target.test_client().get("/api/events/summit").get_json()
    original = api.client.get("/api/events/summit").get_json()
    for key in ("title", "titles", "description", "descriptions", "language"):
        assert copied[key] == original[key]


def test_an_empty_source_name_or_locator_is_no_source(api: ApiClient) -> None:
    # Found by the ICS round-trip property test: {"name": ""} was stored as a source that
    # the API showed and the calendar could not carry.
    event = api.created({"title": "x", "start": "1900", "source": {"name": "", "locator": ""}})
    assert event["source"] is None
    dated = api.created(
        {"title": "y", "start": "1900", "source": {"name": "", "published": "2025"}}
    )
    assert dated["source"] == {"name": None, "published": "2025", "locator": None, "when": None}
