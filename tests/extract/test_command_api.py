"""``timeline extract`` and ``POST /api/extract``: candidates out, nothing stored; a draft
seed file refused while pending and loaded once accepted."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema_rs
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import AppFactory
from timeline.api.openapi import REF
from timeline.http import db
from timeline.store.models import Event

DATA = Path(__file__).resolve().parents[1] / "data"
ARTICLE = DATA / "metro-line-6.txt"


def _event_ids(app: Flask) -> list[str]:
    with app.app_context():
        return sorted(db.get_session().scalars(sa.select(Event.id)))


def test_without_published_nor_dateline_one_line_and_exit_1(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["extract", str(ARTICLE)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {ARTICLE}: no dateline found; give the publication date with "
        "--published YYYY-MM-DD\n"
    )


def test_bad_input_is_one_line(app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    for args, message in (
        ([str(tmp_path / "missing.txt")], "cannot read"),
        ([str(tmp_path / "latin1.txt")], "is not UTF-8 text (byte 3)"),
        (["-", "--published", "2025-02-18"], "the text is empty"),
    ):
        result = runner.invoke(args=["extract", *args], input="")
        assert result.exit_code == 1 and len(result.output.splitlines()) == 1, result.output
        assert message in result.output
    result = runner.invoke(args=["extract", str(ARTICLE), "--published", "2025-13-01"])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_json_from_stdin(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["extract", "-", "--published", "2025-02-18", "--format", "json"],
        input="美国谷歌公司2月5日宣布推出多个模型的优化版本。",
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["published"] == "2025-02-18" and body["lang"] == "zh"
    (candidate,) = body["candidates"]
    assert candidate["when"] == "2月5日" and candidate["when_offsets"] == [6, 10]
    assert candidate["start"] == "2025-02-05" and candidate["precision"] == "day"
    assert candidate["title"] == "美国谷歌公司宣布推出多个模型的优化版本"
    assert _event_ids(app) == []


def test_review_workflow_extract_accept_seed(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app()
    runner = app.test_cli_runner()
    draft = tmp_path / "draft.toml"
    args = ["extract", str(ARTICLE), "--published", "2025-09-26", "-o", str(draft)]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    text = draft.read_text(encoding="utf-8")
    assert text.count('review = "pending"') == 14
    refused = runner.invoke(args=["seed", str(draft)])
    assert refused.exit_code == 1
    assert refused.output == (
        'Error: seeds: draft.toml: entry 1 (2025-09-26-0703397d) is still review = "pending"; '
        'set it to "accepted" or remove it\n'
    )
    assert _event_ids(app) == []
    # The editor accepts every entry but the ridership figure (当日客流) and the headline's
    # 今日 (the paper's day, not the opening's), which go.
    entries = text.split("\n[[event]]\n")
    kept = [e for e in entries[1:] if 'when = "当日"' not in e and 'when = "今日"' not in e]
    reviewed = "\n[[event]]\n".join([entries[0], *kept]).replace(
        'review = "pending"', 'review = "accepted"'
    )
    draft.write_text(reviewed, encoding="utf-8")
    loaded = runner.invoke(args=["seed", str(draft)])
    assert loaded.exit_code == 0, loaded.output
    assert loaded.output == "added 12\n"
    ids = _event_ids(app)
    assert len(ids) == 12 and "2025-09-23-87481de3" in ids and "2025-08-21-bbf07b4b" in ids
    with app.app_context():
        summit = db.get_session().get(Event, "2025-09-20-21554e43")
        assert summit is not None
        assert (summit.start_value.isoformat(), summit.end_value.isoformat()) == (  # type: ignore[union-attr]
            "2025-09-20",
            "2025-09-23",
        )
        assert summit.source_locator == "paragraph 5"
    assert runner.invoke(args=["seed", str(draft)]).output == "unchanged 12\n"


def test_seed_files_without_review_load_and_others_are_refused(app: Flask, tmp_path: Path) -> None:
    draft = tmp_path / "x.toml"
    draft.write_text(
        '[[event]]\nid = "a"\ndate = "2025-01-01"\ntitle = "A"\n\n'
        '[[event]]\nid = "b"\nreview = "maybe"\ndate = "2025-01-02"\ntitle = "B"\n',
        encoding="utf-8",
    )
    result = app.test_cli_runner().invoke(args=["seed", str(draft)])
    assert result.output == (
        "Error: seeds: x.toml: entry 2 (b) has review = 'maybe'; "
        'it must be "accepted" or "pending"\n'
    )


def _post(client: FlaskClient, body: Any, headers: dict[str, str]) -> Any:
    return client.post("/api/extract", json=body, headers=headers)


def test_the_api_answers_candidates_and_stores_nothing(
    seeded_app: Flask, auth_headers: dict[str, str]
) -> None:
    client = seeded_app.test_client()
    before = _event_ids(seeded_app)
    text = "美国亚马逊公司2月6日表示，该公司今年的资本支出将提高至1000亿美元。"
    response = _post(client, {"text": text, "published": "2025-02-18"}, auth_headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    candidate, year = body["candidates"]
    assert candidate["organizations"] == ["Amazon"]
    assert candidate["id"] == "2025-02-06-amazon"
    # The seeds already hold it: the candidate names that event instead of proposing it.
    assert (candidate["language"], candidate["existing"]) == (
        "zh",
        "2025-02-06-amazon-capex-100-billion",
    )
    # 今年 is the year of the spending, in a clause of its own (the seed file lists it).
    assert (year["when"], year["start"], year["precision"]) == ("今年", "2025", "year")
    assert body["skipped"] == []
    document = client.get("/api/openapi.json").get_json()
    root = {"$ref": REF.format(model="ExtractResult"), "components": document["components"]}
    assert list(jsonschema_rs.Draft202012Validator(root).iter_errors(body)) == []
    assert _event_ids(seeded_app) == before


def test_the_api_refuses_bad_input_with_pointers(
    client: FlaskClient, auth_headers: dict[str, str]
) -> None:
    assert _post(client, {"text": "x", "published": "2025-02-18"}, {}).status_code == 401
    cases = [
        ({"text": "2月17日，xAI发布Grok 3。"}, 422, "/published"),
        ({"text": "2月17日", "published": "2025-02-30"}, 422, "/published"),
        ({"text": "  ", "published": "2025-02-18"}, 422, "/text"),
        ({"text": 5, "published": "2025-02-18"}, 422, "/text"),
        ({"published": "2025-02-18"}, 422, "/text"),
        ({"text": "2月17日", "lang": "fr", "published": "2025-02-18"}, 422, "/lang"),
        ({"text": "2月17日", "store": True}, 400, "/store"),
    ]
    for body, status, pointer in cases:
        response = _post(client, body, auth_headers)
        assert response.status_code == status, (body, response.get_data(as_text=True))
        assert response.headers["Content-Type"] == "application/problem+json"
        assert pointer in [e["pointer"] for e in response.get_json()["errors"]], body


def test_the_api_body_limit(make_app: AppFactory, auth_headers: dict[str, str]) -> None:
    client = make_app(MAX_CONTENT_LENGTH=1000).test_client()
    response = _post(client, {"text": "新闻" * 1000, "published": "2025-02-18"}, auth_headers)
    assert response.status_code == 413
    assert re.search(r"limit of 1000 bytes", response.get_json()["detail"])
