"""Today's URLs (before many timelines) answer with the same bytes on the seeded store:
golden files captured from the code before timelines, compared whole."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path

import pytest
from flask import Flask

from timeline.store.models import utcnow

GOLDEN = Path(__file__).parent / "golden_today"

#: Every document of today, with each kind of filter, on the seeded store.
URLS = [
    "/",
    "/?lang=zh",
    "/?tag=models",
    "/?around=2024-09-01",
    "/calendar.ics",
    "/calendar.ics?lang=zh",
    "/calendar.ics?tag=models&tag=us",
    "/calendar.ics?org=openai",
    "/calendar.ics?from=2025-01-01&to=2025-01-31",
    "/calendar-google.ics",
    "/calendar-google.ics?tag=regulation",
    "/feed.rss",
    "/feed.rss?lang=zh",
    "/feed.rss?org=deepseek",
    "/feed.atom",
    "/feed.atom?tag=models",
    "/feed.json",
    "/feed.json?from=2025-02-01",
    "/timeline.json",
    "/timeline.json?lang=zh",
    "/events/2025-02-17-xai-grok-3",
    "/events/2025-02-17-xai-grok-3.ics",
    "/api/events?limit=200",
    "/api/events?tag=us&limit=5",
    "/api/events/2025-01-31-openai-o3-mini",
    "/api/events/2025-01-31-openai-o3-mini/revisions",
]


def _name(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def _masked(body: bytes, now: dt.datetime) -> bytes:
    """The body with the times of this run (the seeding's second, in each form the
    documents write it) replaced by a mark: everything else is compared byte for byte."""
    text = body.decode()
    day = now.strftime("%Y-%m-%d")
    forms = [
        rf"{day}T\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)?",
        rf"{now:%Y%m%d}T\d{{6}}Z",
        rf"\w{{3}}, {now:%d} {now:%b} {now:%Y} \d\d:\d\d:\d\d (\+0000|GMT)",
    ]
    for form in forms:
        text = re.sub(form, "<now>", text)
    return text.encode()


@pytest.mark.parametrize("url", URLS)
def test_todays_urls_answer_as_before(seeded_app: Flask, url: str) -> None:
    now = utcnow()
    response = seeded_app.test_client().get(url)
    assert response.status_code == 200, url
    body = _masked(response.data, now)
    path = GOLDEN / f"{_name(url)}.txt"
    if os.environ.get("TIMELINE_WRITE_GOLDEN"):
        path.write_bytes(url.encode() + b"\n" + body)
    assert path.read_bytes() == url.encode() + b"\n" + body
