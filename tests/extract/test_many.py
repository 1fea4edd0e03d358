"""Many articles at once: ``timeline extract a.txt b.txt`` and a folder, and the API with
several texts; candidates of one event merge across articles (and languages, through a
shared actor) with every source, ranked by how much the articles make of them; the
language stays on each candidate, the draft and the stored event."""

from __future__ import annotations

import datetime as dt
import json
import sys
import tomllib
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import AppFactory
from timeline.extract import command
from timeline.extract.names import Gazetteer
from timeline.extract.pipeline import Article, extract_many
from timeline.http import db
from timeline.store.models import Event

FOLDER = Path(__file__).resolve().parents[1] / "data" / "extract"
FILES = sorted(FOLDER.glob("*.txt"))
NAMES = Gazetteer([("Northport", ["北港市"])])


def _articles() -> list[Article]:
    return [
        Article(
            p.read_text(encoding="utf-8"), p.name, dt.date(2024, 3, 14) if "-c" in p.name else None
        )
        for p in FILES
    ]


def test_one_event_of_three_articles_merges_and_ranks_first() -> None:
    extractions, merged = extract_many(_articles(), names=NAMES)
    assert [
        (e.source, e.published.isoformat(), e.published_from, e.language) for e in extractions
    ] == [
        ("harbour-a.txt", "2024-03-14", "dateline", "en"),
        ("harbour-b.txt", "2024-03-15", "dateline", "en"),
        ("harbour-c.txt", "2024-03-14", "given", "zh"),
    ]
    top = merged[0]
    assert (top.start, top.sources, top.organizations) == (
        "2024-03-13",
        ["harbour-a.txt", "harbour-b.txt", "harbour-c.txt"],
        ["Northport"],
    )
    assert (top.title, top.language, top.id) == (
        "The Northport harbour bridge opened to traffic",
        "en",
        "2024-03-13-northport",
    )
    # The opening planned for December, and the tolls, each reported twice in English.
    assert [(c.start, c.sources, c.title) for c in merged[1:3]] == [
        ("2023-12", ["harbour-a.txt", "harbour-b.txt"], "The bridge had been due to open"),
        ("2024-04-01", ["harbour-a.txt", "harbour-b.txt"], "Tolls will start"),
    ]
    assert [c.weight for c in merged] == sorted((c.weight for c in merged), reverse=True)
    chinese = [c for c in merged if c.language == "zh"]
    assert {c.title for c in chinese} == {"大桥原定通车", "因钢铁工人罢工而推迟", "大桥收取通行费"}
    assert len({c.id for c in merged}) == len(merged)


def test_the_command_reads_files_and_folders_quietly(app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    out = tmp_path / "draft.json"
    args = ["extract", str(FILES[0]), str(FILES[1]), "--format", "json", "-o", str(out)]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    # Left out: a dateline, a byline, and "four years after" (work began: no date given).
    assert result.output == "5 candidates, 3 left out\n"  # no progress bar off a terminal
    body = json.loads(out.read_text(encoding="utf-8"))
    assert [a["source"] for a in body["articles"]] == ["harbour-a.txt", "harbour-b.txt"]
    assert body["candidates"][0]["sources"] == ["harbour-a.txt", "harbour-b.txt"]
    # A folder: its .txt files; the Chinese one has no year in its dateline.
    result = runner.invoke(args=["extract", str(FOLDER)])
    assert result.exit_code == 1
    assert result.output.endswith(
        "harbour-c.txt: no dateline found; give the publication date with --published YYYY-MM-DD\n"
    )
    result = runner.invoke(args=["extract", str(tmp_path)])
    assert result.output == f"Error: {tmp_path}: no .txt file in this folder\n"


def test_a_progress_bar_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert list(command._progress(["a", "b"])) == ["a", "b"]
    assert "extracting" in capsys.readouterr().err
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert list(command._progress(["a", "b"])) == ["a", "b"]
    assert capsys.readouterr().err == ""


def test_the_draft_and_the_stored_event_keep_the_language(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    runner = app.test_cli_runner()
    draft = tmp_path / "draft.toml"
    result = runner.invoke(
        args=["extract", str(FILES[2]), "--published", "2024-03-14", "-o", str(draft)]
    )
    assert result.exit_code == 0, result.output
    entries = tomllib.loads(draft.read_text(encoding="utf-8"))["event"]
    assert {e["language"] for e in entries} == {"zh"}
    draft.write_text(
        draft.read_text(encoding="utf-8").replace('"pending"', '"accepted"'), encoding="utf-8"
    )
    assert runner.invoke(args=["seed", str(draft)]).exit_code == 0
    with app.app_context():
        languages = set(db.get_session().scalars(sa.select(Event.language)))
    assert languages == {"zh"}


def test_the_api_takes_several_articles(client: FlaskClient, auth_headers: dict[str, str]) -> None:
    articles = [
        {"text": p.read_text(encoding="utf-8"), "source": p.name}
        | ({"published": "2024-03-14"} if "-c" in p.name else {})
        for p in FILES
    ]
    response = client.post("/api/extract", json={"articles": articles}, headers=auth_headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert [a["language"] for a in body["articles"]] == ["en", "en", "zh"]
    assert body["candidates"][0]["start"] == "2024-03-13"
    assert len(body["candidates"][0]["sources"]) >= 2
    bad = client.post(
        "/api/extract", json={"articles": [{"text": "2月17日"}]}, headers=auth_headers
    )
    assert bad.status_code == 422
    assert [e["pointer"] for e in bad.get_json()["errors"]] == ["/articles/0/published"]
    both = client.post(
        "/api/extract", json={"text": "x", "articles": articles}, headers=auth_headers
    )
    assert [e["pointer"] for e in both.get_json()["errors"]] == ["/articles"]
