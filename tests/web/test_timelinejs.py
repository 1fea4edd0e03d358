"""/timeline.json: the timeline in TimelineJS3's JSON format, on the seeded store, and the
renderer over plain values."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import html as lxml_html

from feeds import Entry
from feeds.timelinejs import render_timelinejs_event
from tests.conftest import ApiClient

UPDATED = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)


@pytest.fixture
def seeded(seeded_app: Flask) -> FlaskClient:
    return seeded_app.test_client()


def _timeline(client: FlaskClient, url: str = "/timeline.json") -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    data: dict[str, Any] = json.loads(response.data)
    return data


def _events(client: FlaskClient, url: str = "/timeline.json") -> dict[str, dict[str, Any]]:
    return {event["unique_id"]: event for event in _timeline(client, url)["events"]}


def test_the_document_holds_every_event_oldest_first(seeded: FlaskClient) -> None:
    timeline = _timeline(seeded)
    assert timeline["title"] == {
        "text": {
            "headline": "AI timeline",
            "text": "Dated events of AI models, investment and regulation.",
        }
    }
    assert timeline["scale"] == "human"
    ids = [event["unique_id"] for event in timeline["events"]]
    assert len(ids) == 21
    assert ids[0] == "2024-08-01-eu-ai-act-in-force"
    assert ids[-1] == "2025-02-17-xai-grok-3"


def test_a_day_event(seeded: FlaskClient) -> None:
    assert _events(seeded)["2025-02-17-xai-grok-3"] == {
        "start_date": {"year": 2025, "month": 2, "day": 17},
        "text": {
            "headline": "xAI releases Grok 3 and Grok 3 mini",
            "text": "Elon Musk&#x27;s xAI launched Grok 3, adding image analysis and question "
            "answering and powering features on X. Musk said it was trained in a data center "
            "with about 200,000 GPUs, using 10 times the compute of Grok 2; in the demo Grok 3 "
            "and Grok 3 mini beat leading models on math, science and coding benchmarks.",
        },
        "group": "models",
        "unique_id": "2025-02-17-xai-grok-3",
    }


def test_a_multi_day_event_ends_on_its_last_day(seeded: FlaskClient) -> None:
    summit = _events(seeded)["2025-02-09-ai-action-summit"]
    assert summit["start_date"] == {"year": 2025, "month": 2, "day": 9}
    assert summit["end_date"] == {"year": 2025, "month": 2, "day": 10}
    assert "display_date" not in summit
    assert summit["text"]["headline"] == "AI Action Summit held in Paris"
    assert summit["group"] == "summit"


def test_month_and_year_events_have_the_parts_known(seeded: FlaskClient) -> None:
    events = _events(seeded)
    microsoft = events["2025-01-microsoft-80-billion"]
    assert {k: v for k, v in microsoft.items() if k != "text"} == {
        "start_date": {"year": 2025, "month": 1},
        "group": "investment",
        "unique_id": "2025-01-microsoft-80-billion",
    }
    apply_ai = events["2025-eu-apply-ai"]
    assert {k: v for k, v in apply_ai.items() if k != "text"} == {
        "start_date": {"year": 2025},
        "group": "policy",
        "unique_id": "2025-eu-apply-ai",
    }
    assert apply_ai["text"]["headline"] == "European Commission plans an Apply AI initiative"


def test_approximate_dates_are_worded(seeded: FlaskClient) -> None:
    events = _events(seeded)
    assert events["2025-01-meta-capex-65-billion"]["display_date"] == "around January 2025"
    assert events["2025-01-22-musk-doubts-stargate"]["display_date"] == "around 22 January 2025"
    assert events["2025-02-09-eu-cut-ai-red-tape"]["display_date"] == "around 9–10 February 2025"


def test_the_feeds_filters_apply(seeded: FlaskClient) -> None:
    assert list(_events(seeded, "/timeline.json?tag=summit")) == [
        "2025-02-09-ai-action-summit",
        "2025-02-09-eu-cut-ai-red-tape",
        "2025-02-10-summit-declaration",
    ]
    assert list(_events(seeded, "/timeline.json?org=xAI")) == ["2025-02-17-xai-grok-3"]
    dated = _events(seeded, "/timeline.json?from=2025-02-10&to=2025-02-10")
    assert sorted(dated) == [
        "2025-02-09-ai-action-summit",
        "2025-02-09-eu-cut-ai-red-tape",
        "2025-02-10-eu-investai",
        "2025-02-10-summit-declaration",
        "2025-eu-apply-ai",
    ]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("?bad=1", "bad"),
        ("?from=2025-13-01", "from"),
        ("?tag=%21", "tag"),
        ("?to=2025-01-01&to=2025-01-02", "to"),
    ],
)
def test_a_bad_filter_is_a_problem(seeded: FlaskClient, query: str, parameter: str) -> None:
    response = seeded.get("/timeline.json" + query)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == 400
    assert [error["parameter"] for error in problem["errors"]] == [parameter]


def test_cached_and_revalidated_like_the_feeds(seeded: FlaskClient) -> None:
    first = seeded.get("/timeline.json?tag=summit")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    # The second poll is answered by the fast path, with the same headers.
    again = seeded.get("/timeline.json?tag=summit", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["ETag"] == etag
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    body = seeded.get("/timeline.json?tag=summit")
    assert body.data == first.data and body.headers["Access-Control-Allow-Origin"] == "*"
    other = seeded.get("/timeline.json?tag=policy")
    assert other.headers["ETag"] != etag


def test_a_timed_event_in_its_zone_with_escaped_text() -> None:
    entry = Entry(
        id="talk",
        uid="talk@example.org",
        guid="tag:example.org,2025:event:talk",
        title="Bring <laptop> & co",
        start=dt.datetime(2025, 8, 20, 14, 0, tzinfo=dt.UTC),
        end=dt.datetime(2025, 8, 20, 16, 0, 30, tzinfo=dt.UTC),
        all_day=False,
        link="https://example.org/events/talk",
        created=UPDATED,
        updated=UPDATED,
        description="Line one\nLine <two>",
        timezone="Europe/Madrid",
        precision="datetime",
    )
    assert render_timelinejs_event(entry) == {
        "start_date": {"year": 2025, "month": 8, "day": 20, "hour": 16, "minute": 0},
        "end_date": {"year": 2025, "month": 8, "day": 20, "hour": 18, "minute": 0, "second": 30},
        "display_date": "20 August 2025, 16:00–18:00 (Europe/Madrid)",
        "text": {
            "headline": "Bring &lt;laptop&gt; &amp; co",
            "text": "Line one<br>Line &lt;two&gt;",
        },
        "unique_id": "talk",
    }


def test_spans_of_months_and_years_end_on_their_last() -> None:
    def entry(start: dt.date, end: dt.date, precision: str) -> Entry:
        return Entry(
            id="span",
            uid="u",
            guid="g",
            title="t",
            start=start,
            end=end,
            all_day=True,
            link="l",
            created=UPDATED,
            updated=UPDATED,
            precision=precision,  # type: ignore[arg-type]
            tags=("R&D",),
        )

    quarter = render_timelinejs_event(entry(dt.date(2025, 1, 1), dt.date(2025, 4, 1), "month"))
    assert (quarter["start_date"], quarter["end_date"]) == (
        {"year": 2025, "month": 1},
        {"year": 2025, "month": 3},
    )
    assert quarter["group"] == "R&amp;D"
    years = render_timelinejs_event(entry(dt.date(2024, 1, 1), dt.date(2026, 1, 1), "year"))
    assert (years["start_date"], years["end_date"]) == ({"year": 2024}, {"year": 2025})


def test_occurrences_have_ids_no_event_can_have(api: ApiClient) -> None:
    """A weekly event and a second one of the same title and day, whose id the store
    makes ``<id>-2``: the occurrences' ids (``<id>.<day>``, the page's anchors) are not
    the second event's, as ``<id>-<n>`` was."""
    first = {"title": "Weekly sync", "start": "2025-03-03"}
    assert api.post(first | {"rrule": "FREQ=WEEKLY;COUNT=3"}).status_code == 201
    assert api.post(first | {"end": "2025-03-05"}).status_code == 201
    ids = [event["unique_id"] for event in _timeline(api.client)["events"]]
    assert ids == [
        "2025-03-03-weekly-sync.20250303",
        "2025-03-03-weekly-sync-2",
        "2025-03-03-weekly-sync.20250310",
        "2025-03-03-weekly-sync.20250317",
    ]
    page = lxml_html.fromstring(api.client.get("/").get_data(as_text=True))
    anchors = page.xpath("//article/@id")  # the page's ids say "event-" first
    assert sorted(anchors) == sorted(f"event-{i}" for i in ids)
