"""A cancelled event reaches every output, as each output's clients read it: STATUS in the
calendars (icalendar, recurring-ical-events), the title marked in the reader's language
in RSS and Atom (feedparser), JSON Feed, TimelineJS and the page, and ``status`` in the
API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import feedparser
import icalendar
import pytest
import recurring_ical_events

from tests.conftest import ApiClient, AppFactory
from tests.io.test_import import run
from timeline.io.jsonfeedread import unmarked_cancelled

SUMMIT = {"id": "summit", "title": "Summit", "start": "2025-06-02", "end": "2025-06-03"}
MARKED = {"en": "Cancelled: Summit", "zh": "【已取消】Summit [English]"}


@pytest.fixture
def cancelled(api: ApiClient) -> ApiClient:
    assert api.post(SUMMIT).status_code == 201
    assert api.patch("summit", {"status": "cancelled"}).status_code == 200
    return api


def _vevent(body: bytes) -> Any:
    (vevent,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    return vevent


@pytest.mark.parametrize("path", ["/calendar.ics", "/calendar-google.ics", "/events/summit.ics"])
def test_the_calendars_say_status_cancelled(cancelled: ApiClient, path: str) -> None:
    body = cancelled.client.get(path).data
    vevent = _vevent(body)
    assert (str(vevent["STATUS"]), str(vevent["SUMMARY"]), vevent["SEQUENCE"]) == (
        "CANCELLED",
        "Summit",
        1,
    )
    calendar = icalendar.Calendar.from_ical(body)
    (occurrence,) = recurring_ical_events.of(calendar).at((2025, 6))
    assert str(occurrence["STATUS"]) == "CANCELLED"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_feeds_mark_the_title_in_the_readers_language(cancelled: ApiClient, lang: str) -> None:
    client = cancelled.client
    for path in ("/feed.rss", "/feed.atom"):
        parsed = feedparser.parse(client.get(f"{path}?lang={lang}").data)
        assert parsed.bozo == 0
        assert [entry.title for entry in parsed.entries] == [MARKED[lang]], path
    feed = json.loads(client.get(f"/feed.json?lang={lang}").data)
    assert [item["title"] for item in feed["items"]] == [MARKED[lang]]
    timeline = json.loads(client.get(f"/timeline.json?lang={lang}").data)
    assert [e["text"]["headline"] for e in timeline["events"]] == [MARKED[lang]]
    page = client.get(f"/?lang={lang}").get_data(as_text=True)
    assert MARKED[lang] in page


def test_the_api_says_cancelled_and_takes_it_back(cancelled: ApiClient) -> None:
    client = cancelled.client
    assert client.get("/api/events/summit").get_json()["status"] == "cancelled"
    listed = client.get("/api/events").get_json()["events"]
    assert [(e["id"], e["status"]) for e in listed] == [("summit", "cancelled")]
    assert cancelled.patch("summit", {"status": None}).get_json()["status"] == "confirmed"
    assert "STATUS" not in _vevent(client.get("/events/summit.ics").data)


@pytest.mark.parametrize(
    ("status", "detail"),
    [("postponed", "/status"), ("CANCELLED", "/status")],
)
def test_an_unknown_status_is_refused(api: ApiClient, status: str, detail: str) -> None:
    response = api.post(SUMMIT | {"status": status})
    assert response.status_code == 422
    assert [e["pointer"] for e in response.get_json()["errors"]] == [detail]


@pytest.mark.parametrize(("fmt", "lang"), [("ics", "en"), ("json", "en")])
def test_a_cancelled_event_exported_imports_back_cancelled(
    cancelled: ApiClient,
    make_app: AppFactory,
    other_database_url: str,
    tmp_path: Path,
    fmt: str,
    lang: str,
) -> None:
    """Our ICS (STATUS:CANCELLED) and our JSON Feed (``_timeline.status``, the title's
    mark in any language taken off) import back into an empty store cancelled."""
    path = tmp_path / f"out.{fmt}"
    exported = run(cancelled.app, "export", "--format", fmt, "--lang", lang, "-o", str(path))
    assert exported.exit_code == 0, exported.output
    app = make_app(DATABASE_URL=other_database_url)
    result = run(app, "import", str(path))
    assert result.exit_code == 0, result.output
    event = app.test_client().get("/api/events/summit").get_json()
    assert (event["title"], event["status"]) == ("Summit", "cancelled")


def test_the_mark_is_taken_off_in_every_language() -> None:
    assert unmarked_cancelled("【已取消】峰会") == "峰会"
    assert unmarked_cancelled("Cancelled: Summit") == "Summit"
    assert unmarked_cancelled("Summit: Cancelled") == "Summit: Cancelled"
