"""Drafts of `timeline extract` carry the language of their texts, and `timeline seed`
keeps it: a Chinese article's events load as Chinese."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from flask import Flask

ARTICLES = {
    "zh": "美国谷歌公司2025年2月5日宣布推出多个模型的优化版本。",
    "en": "Google said on February 5, 2025 that it released new versions of its models.",
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_drafts_carry_the_language_and_seed_keeps_it(app: Flask, tmp_path: Path, lang: str) -> None:
    runner = app.test_cli_runner()
    common = ["extract", "-", "--published", "2025-02-18"]
    as_json = runner.invoke(args=[*common, "--format", "json"], input=ARTICLES[lang])
    assert as_json.exit_code == 0, as_json.output
    (candidate,) = json.loads(as_json.stdout)["candidates"]
    assert candidate["language"] == lang
    draft = tmp_path / "draft.toml"
    result = runner.invoke(args=[*common, "-o", str(draft)], input=ARTICLES[lang])
    assert result.exit_code == 0, result.output
    (entry,) = tomllib.loads(draft.read_text(encoding="utf-8"))["event"]
    assert entry["language"] == lang
    draft.write_text(
        draft.read_text(encoding="utf-8").replace('review = "pending"', 'review = "accepted"'),
        encoding="utf-8",
    )
    assert runner.invoke(args=["seed", str(draft)]).output == "added 1\n"
    event = app.test_client().get(f"/api/events/{entry['id']}").get_json()
    assert (event["language"], list(event["titles"])) == (lang, [lang])


def test_the_api_candidates_carry_the_language(app: Flask, auth_headers: dict[str, str]) -> None:
    response = app.test_client().post(
        "/api/extract",
        json={"text": ARTICLES["zh"], "published": "2025-02-18"},
        headers=auth_headers,
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert [c["language"] for c in response.get_json()["candidates"]] == ["zh"]
