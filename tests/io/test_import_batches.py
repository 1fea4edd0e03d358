"""``timeline import`` in batches: the same outcomes, rejections and stored events as
one event at a time (``import_item``), with nothing of a rejected event stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.conftest import ApiClient, AppFactory
from tests.io.test_import import all_ids, run, write_json
from timeline.io import importer

ITEMS: list[Any] = [
    {"id": "a", "title": "A", "start": "2025-02-17", "tags": ["AI", "Chips"]},
    {"id": "b", "title": "B", "start": "2025-02-30"},  # not a real date
    {
        "id": "c",
        "title": "C",
        "start": "2025-02-18T09:00:00",
        "timezone": "Europe/Berlin",
        "organizations": ["OpenAI", "DeepSeek"],
    },
    {"id": "d", "title": "D", "start": "2025-02-19", "tags": ["!!!"]},
    {"id": "a", "title": "A, again", "start": "2025-02-17"},  # same id: an update
    {
        "id": "c",
        "title": "C",
        "start": "2025-02-18T09:00:00",
        "timezone": "Europe/Berlin",
        "organizations": ["OpenAI", "DeepSeek"],
    },  # same id, same content
    {"title": "No id", "start": "2025-02-20", "organizations": ["Mistral AI"]},
    {"id": "e", "title": "E", "start": "2025"},
]
REPORT = [
    "added a",
    "rejected #2: /start: 2025-02-30 is not a real date",
    "added c",
    "rejected #4: /tags/0: a tag needs a letter or a digit",
    "updated a",
    "unchanged c",
    "added 2025-02-20-no-id-",
    "added e",
]


def one_by_one(
    session: Any,
    items: Any,
    today: dt.date,
    language: str = "en",
    timeline_id: int = 1,
    *,
    parts: Any = None,
    datas: Any = None,
) -> list[tuple[str, str]]:
    """The import as it was before batches: each item in a savepoint of its own (the
    calendar parts all stored at the end, ``parts`` unused), validated again (``datas``
    unused)."""
    return [importer.import_item(session, item, today, language, timeline_id) for item in items]


def store(app: Flask) -> list[Any]:
    """Every event and its revisions, as the API shows them, without the clock."""
    client = app.test_client()
    shown = []
    for event_id in sorted(all_ids(client)):
        event = client.get(f"/api/events/{event_id}").get_json()
        revisions = client.get(f"/api/events/{event_id}/revisions").get_json()["revisions"]
        for value in (event, *revisions):
            for key in ("created", "updated", "at"):
                value.pop(key, None)
        shown.append((event, revisions))
    return shown


@pytest.mark.parametrize("batch", [500, 3])
def test_batches_do_what_one_event_at_a_time_did(
    api: ApiClient,
    make_app: AppFactory,
    other_database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    batch: int,
) -> None:
    monkeypatch.setattr(importer, "BATCH", batch)
    path = write_json(tmp_path, ITEMS)
    result = run(api.app, "import", path)
    lines = result.output.splitlines()
    assert result.exit_code == 1
    assert [line[: len(want)] for line, want in zip(lines, REPORT, strict=False)] == REPORT
    assert lines[-1] == "added 4, updated 1, unchanged 1, rejected 2"
    assert sorted(all_ids(api.client))[:3] == ["2025-02-20-no-id-" + lines[6][-8:], "a", "c"]
    assert api.counts() == (4, 5)
    again = run(api.app, "import", path)
    # "a" comes twice with two contents: each import updates it twice, as before.
    assert again.output.splitlines()[-1] == "added 0, updated 2, unchanged 4, rejected 2"

    monkeypatch.setattr(importer, "import_batch", one_by_one)
    target = make_app(DATABASE_URL=other_database_url)
    assert run(target, "import", path).output == result.output
    assert run(target, "import", path).output == again.output
    assert store(target) == store(api.app)


def test_a_rejected_event_leaves_the_rest_of_its_batch_stored(
    api: ApiClient, tmp_path: Path
) -> None:
    items = [{"id": f"e{n}", "title": f"E{n}", "start": "2025-03-01"} for n in range(10)]
    items[4] = {"id": "e4", "title": "", "start": "2025-03-01"}
    result = run(api.app, "import", write_json(tmp_path, items))
    assert (
        result.output.splitlines()[4]
        == "rejected #5: /title: String should have at least 1 character"
    )
    assert sorted(all_ids(api.client)) == sorted(f"e{n}" for n in range(10) if n != 4)
    assert api.counts() == (9, 9)


def test_a_database_refusal_falls_back_to_one_event_at_a_time(
    api: ApiClient, tmp_path: Path
) -> None:
    """An id deleted before the import: the batch's insert would conflict; each event
    is then stored on its own and only that one is refused."""
    api.created({"id": "gone", "title": "Gone", "start": "2025-02-17"})
    assert api.delete("gone").status_code == 204
    items = [{"id": i, "title": i, "start": "2025-02-17"} for i in ("x", "gone", "y")]
    result = run(api.app, "import", write_json(tmp_path, items))
    assert result.output.splitlines() == [
        "added x",
        "rejected #2: /id: the event 'gone' was deleted (ids are never reused)",
        "added y",
        "added 2, updated 0, unchanged 0, rejected 1",
    ]


def test_a_batch_keeps_every_language_and_the_date_as_written(
    api: ApiClient,
    make_app: AppFactory,
    other_database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """New events added together keep their translations, original language and ``when``
    as written, exactly as events stored one at a time do."""
    items = [
        {
            "id": f"zh-{n}",
            "title": {"zh": f"发布会{n}", "en": f"Launch {n}"},
            "description": {"zh": "两天的活动。", "en": "Two days."},
            "language": "zh",
            "start": "2025-02-17",
            "source": {"name": "新闻", "when": "2月17日"},
        }
        for n in range(3)
    ]
    path = write_json(tmp_path, items)
    assert run(api.app, "import", path).output.splitlines()[-1] == (
        "added 3, updated 0, unchanged 0, rejected 0"
    )
    event = api.client.get("/api/events/zh-1").get_json()
    assert (event["language"], event["title"], event["titles"], event["source"]["when"]) == (
        "zh",
        "发布会1",
        {"zh": "发布会1", "en": "Launch 1"},
        "2月17日",
    )
    assert api.client.get("/api/events/zh-1?lang=en").get_json()["description"] == "Two days."
    assert run(api.app, "import", path).output.splitlines()[-1] == (
        "added 0, updated 0, unchanged 3, rejected 0"
    )
    monkeypatch.setattr(importer, "import_batch", one_by_one)
    target = make_app(DATABASE_URL=other_database_url)
    run(target, "import", path)
    assert store(target) == store(api.app)
