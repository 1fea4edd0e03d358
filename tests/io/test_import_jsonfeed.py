"""``timeline import`` of our own JSON Feed: ``timeline export --format json`` reads back
into the same events; another program's feed is refused item by item, with one line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Flask

from tests.conftest import ApiClient, AppFactory
from tests.io.test_import import TRICKY, all_ids, as_exported, content, run


def test_export_json_then_import_gives_the_same_events(
    seeded_app: Flask,
    api: ApiClient,
    make_app: AppFactory,
    other_database_url: str,
    tmp_path: Path,
) -> None:
    target = make_app(DATABASE_URL=other_database_url)
    for body in TRICKY:
        api.created(body)
    exported = tmp_path / "feed.json"
    assert run(seeded_app, "export", "--format", "json", "-o", str(exported)).exit_code == 0
    ends = {
        item["url"].rsplit("/", 1)[1]: item["_timeline"]
        for item in json.loads(exported.read_text())["items"]
    }
    result = run(target, "import", str(exported))
    ids = all_ids(api.client)
    assert len(ids) == len(ends) == 21 + len(TRICKY)
    assert result.exit_code == 0, result.output
    assert sorted(result.output.splitlines()) == sorted(
        [f"added {i}" for i in ids] + [f"added {len(ids)}, updated 0, unchanged 0, rejected 0"]
    )
    assert sorted(all_ids(target.test_client())) == sorted(ids)
    for event_id in ids:
        imported = content(target.test_client(), event_id)
        original = as_exported(content(api.client, event_id))
        if original["all_day"]:
            # The reader takes _timeline.end as the API's end, the last day inclusive, as
            # feeds/jsonfeed.py writes it once JSON Feed's end is inclusive (commit
            # 30b7db0 of the feeds branch); before that merge the feed writes the
            # exclusive end, so only the reading is checked here.
            last = ends[event_id]["end"][: len(original.pop("end"))]
            assert imported.pop("end") == last
        assert imported == original, event_id
    again = run(target, "import", str(exported))
    assert again.output.splitlines()[-1] == f"added 0, updated 0, unchanged {len(ids)}, rejected 0"


def feed(*items: dict[str, Any]) -> str:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": items})


def timeline(**fields: Any) -> dict[str, Any]:
    """An item's ``_timeline`` as feeds/jsonfeed.py writes it, with ``fields`` changed."""
    base: dict[str, Any] = {"all_day": True, "timezone": None, "precision": "day"}
    base |= {"approximate": False, "sequence": 3, "organizations": [], "location": None}
    base |= {"source": None}
    return base | fields


def test_all_day_end_is_read_as_the_last_day(app: Flask, tmp_path: Path) -> None:
    """JSON Feed's all-day ``end`` is the API's, inclusive (as the feeds branch writes it)."""
    cases = [
        ("day", "2025-02-17", "2025-02-17", "Day", "2025-02-17", "2025-02-17"),
        ("day", "2025-02-17", "2025-02-19", "Days", "2025-02-17", "2025-02-19"),
        (
            "month",
            "2025-01-01",
            "2025-01-31",
            "Month (January 2025; day not reported)",
            "2025-01",
            "2025-01",
        ),
        (
            "year",
            "2023-01-01",
            "2024-12-31",
            "Years (2023–2024; date not reported)",
            "2023",
            "2024",
        ),
    ]
    items = [
        {
            "id": f"tag:example.org,2025:event:e{n}",
            "url": f"https://example.org/events/e{n}",
            "title": title,
            "content_text": "",
            "_timeline": timeline(precision=precision, start=start, end=end),
        }
        for n, (precision, start, end, title, _, _) in enumerate(cases)
    ]
    path = tmp_path / "feed.json"
    path.write_text(feed(*items))
    result = run(app, "import", str(path))
    assert result.exit_code == 0, result.output
    for n, (_, _, _, _, start, end) in enumerate(cases):
        event = content(app.test_client(), f"e{n}")
        assert (event["start"], event["end"]) == (start, end)
    assert [content(app.test_client(), f"e{n}")["title"] for n in (2, 3)] == ["Month", "Years"]


def test_another_programs_feed_is_refused_item_by_item(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "blog.json"
    path.write_text(feed({"id": "1", "title": "Hello", "date_published": "2025-02-17T09:00:00Z"}))
    result = run(app, "import", str(path))
    assert (result.exit_code, result.output.splitlines()) == (
        1,
        [
            "rejected #1: /_timeline: missing: only timeline's own JSON Feed can be read "
            "back; import the calendar instead (timeline export --format ics)",
            "added 0, updated 0, unchanged 0, rejected 1",
        ],
    )
