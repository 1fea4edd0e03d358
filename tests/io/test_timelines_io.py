"""Seeds, drafts, imports, exports and tokens name their timeline (the CLI)."""

from __future__ import annotations

import json
from pathlib import Path

import icalendar
import pytest
from click.testing import Result
from flask import Flask

from tests.conftest import AppFactory

DATA = Path(__file__).parents[1] / "data"
METRO = DATA / "metro-line-6.toml"
METRO_IDS = 12


def run(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(args=list(args))


def _ids(app: Flask, path: str) -> set[str]:
    response = app.test_client().get(path)
    assert response.status_code == 200, path
    calendar = icalendar.Calendar.from_ical(response.data)
    return {str(v["UID"]).split("@")[0] for v in calendar.walk("VEVENT")}


@pytest.fixture
def two(make_app: AppFactory) -> Flask:
    """The seeded store (the source article's events, in the default timeline) and the
    metro article's events seeded into the timeline ``metro``, made by seeding."""
    app = make_app(SEED_ON_START=True)
    result = run(app, "seed", str(METRO), "--timeline", "metro")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"added {METRO_IDS}",
        "metro: timeline made (give it a title through the API)",
    ]
    return app


def test_seeding_into_a_timeline_keeps_the_others_apart(two: Flask) -> None:
    metro = _ids(two, "/t/metro/calendar.ics")
    assert len(metro) == METRO_IDS and "2025-09-25-line-6-opens" in metro
    article = _ids(two, "/calendar.ics")
    assert len(article) == 21 and not metro & article
    assert _ids(two, "/t/main/calendar.ics") == article
    again = run(two, "seed", str(METRO), "--timeline", "metro")
    assert again.output.splitlines() == [f"unchanged {METRO_IDS}"]
    # The same file into another timeline: the same events (and UIDs), in both.
    both = run(two, "seed", str(METRO), "--timeline", "metro-copy")
    assert both.exit_code == 0, both.output
    assert _ids(two, "/t/metro-copy/calendar.ics") == metro
    assert _ids(two, "/t/metro/calendar.ics") == metro
    bad = run(two, "seed", str(METRO), "--timeline", "Not A Slug")
    assert bad.exit_code == 2 and "no slug" in bad.output


def test_a_seed_files_timeline_key_names_its_timeline(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app()
    keyed = tmp_path / "metro.toml"
    keyed.write_text('timeline = "metro"\n' + METRO.read_text(encoding="utf-8"), encoding="utf-8")
    result = run(app, "seed", str(keyed))
    assert result.exit_code == 0, result.output
    assert len(_ids(app, "/t/metro/calendar.ics")) == METRO_IDS
    assert _ids(app, "/calendar.ics") == set()
    wrong = tmp_path / "wrong.toml"
    wrong.write_text("timeline = 7\n" + METRO.read_text(encoding="utf-8"), encoding="utf-8")
    refused = run(app, "seed", str(wrong))
    assert refused.exit_code == 1 and "wrong.toml: timeline: 7 is no slug" in refused.output


@pytest.mark.parametrize("fmt", ["ics", "rss", "atom", "json"])
def test_export_of_a_timeline_equals_what_is_served(two: Flask, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"metro.{fmt}"
    result = run(two, "export", "--timeline", "metro", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    path = {"ics": "/calendar.ics", "rss": "/feed.rss", "atom": "/feed.atom", "json": "/feed.json"}
    assert out.read_bytes() == two.test_client().get("/t/metro" + path[fmt]).data
    default = tmp_path / f"main.{fmt}"
    assert run(two, "export", "--format", fmt, "-o", str(default)).exit_code == 0
    assert default.read_bytes() == two.test_client().get(path[fmt]).data
    unknown = run(two, "export", "--timeline", "nope")
    assert unknown.exit_code == 2 and "no timeline 'nope'" in unknown.output


def test_import_into_a_timeline(two: Flask, tmp_path: Path) -> None:
    file = tmp_path / "in.json"
    events = [
        {"id": "fomc-march", "title": "FOMC", "start": "2025-03-19"},
        {"id": "2025-09-25-line-6-opens", "title": "Metro line 6 opens", "start": "2025-09-25"},
    ]
    file.write_text(json.dumps(events))
    result = run(two, "import", str(file), "--timeline", "fed")
    assert result.exit_code == 2 and "no timeline 'fed'" in result.output
    result = run(two, "import", str(file), "--timeline", "metro-line")
    assert result.exit_code == 2
    assert run(two, "seed", str(METRO), "--timeline", "fed").exit_code == 0
    result = run(two, "import", str(file), "--timeline", "fed")
    assert result.exit_code == 0, result.output
    fed = _ids(two, "/t/fed/calendar.ics")
    assert "fomc-march" in fed and "2025-09-25-line-6-opens" in fed
    assert "fomc-march" not in _ids(two, "/calendar.ics")
    assert "fomc-march" not in _ids(two, "/t/metro/calendar.ics")


def test_tokens_name_their_timelines(two: Flask) -> None:
    scoped = run(two, "token", "create", "metro-desk", "--timeline", "metro")
    assert scoped.exit_code == 0, scoped.output
    admin = run(two, "token", "create", "root", "--admin")
    assert admin.exit_code == 0, admin.output
    unknown = run(two, "token", "create", "x", "--timeline", "nope")
    assert unknown.exit_code == 1 and "there is no timeline 'nope'" in unknown.output
    listed = [line.split("\t") for line in run(two, "token", "list").output.splitlines()]
    assert [(row[0], row[2], row[3]) for row in listed] == [
        ("metro-desk", "active", "metro"),
        ("root", "active", "admin"),
    ]
    client = two.test_client()
    desk = {"Authorization": "Bearer " + scoped.stdout.strip()}
    body = {"title": "Line 7 approved", "start": "2025-10-01"}
    assert client.post("/api/timelines/metro/events", json=body, headers=desk).status_code == 201
    assert client.post("/api/events", json=body, headers=desk).status_code == 403
    root = {"Authorization": "Bearer " + admin.stdout.strip()}
    assert client.post("/api/timelines", json={"slug": "fed"}, headers=root).status_code == 201


def test_a_draft_names_its_timeline(app: Flask, tmp_path: Path) -> None:
    draft = tmp_path / "draft.toml"
    args = ["extract", str(DATA / "metro-line-6.txt"), "--published", "2025-09-26"]
    result = run(app, *args, "--timeline", "metro", "-o", str(draft))
    assert result.exit_code == 0, result.output
    lines = draft.read_text(encoding="utf-8").splitlines()
    assert 'timeline = "metro"' in lines
    assert lines.index('timeline = "metro"') < lines.index("[source]")
