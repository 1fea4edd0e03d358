"""The examples of docs/api.md do what it says."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from flask.testing import FlaskClient

API_DOC = (Path(__file__).resolve().parents[1] / "docs/api.md").read_text(encoding="utf-8")


def _curl_example() -> tuple[dict[str, str], dict[str, object]]:
    """The headers and JSON body of docs/api.md's ``curl -X POST`` example."""
    (command,) = re.findall(r"^curl -i -X POST .*?(?=\n```)", API_DOC, flags=re.M | re.S)
    words = shlex.split(command.replace("\\\n", " "))
    headers = dict(words[i + 1].split(": ", 1) for i, word in enumerate(words) if word == "-H")
    body = json.loads(words[words.index("-d") + 1])
    return headers, body


def test_the_post_example_run_twice_stores_one_event(client: FlaskClient, token: str) -> None:
    headers, body = _curl_example()
    assert headers["Authorization"] == "Bearer $TOKEN"
    headers["Authorization"] = f"Bearer {token}"
    first = client.post("/api/events", json=body, headers=headers)
    again = client.post("/api/events", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.headers["Location"] == "/api/events/2025-02-09-paris-ai-summit-follow-up"
    assert first.json == again.json
    assert first.json is not None and (first.json["start"], first.json["end"]) == (
        "2025-02-09",
        "2025-02-10",
    )
    listed = client.get("/api/events").json
    assert listed is not None
    assert [event["id"] for event in listed["events"]] == ["2025-02-09-paris-ai-summit-follow-up"]
