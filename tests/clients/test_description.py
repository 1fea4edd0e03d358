"""Descriptions are limited to a length that every client keeps (8,000 characters)."""

from __future__ import annotations

import json
from typing import Any

import feedparser
import icalendar
import pytest
from werkzeug.test import TestResponse

from tests.conftest import ApiClient

EVENT = {"title": "Long read", "start": "2025-02-17", "all_day": True}


@pytest.mark.parametrize("char", ["a", "é", "🙂"])
def test_a_description_of_8000_characters_is_stored_and_published_whole(
    api: ApiClient, char: str
) -> None:
    text = char * 8000
    created = api.created(EVENT | {"description": text})
    assert created["description"] == text
    published = api.feeds()
    (event,) = published.calendar.walk("VEVENT")
    assert str(event["DESCRIPTION"]).startswith(text)
    assert published.json["items"][0]["content_text"].startswith(text)
    assert published.atom.entries[0].content[0].value.startswith(text)


def test_a_description_of_8000_astral_characters_fits_in_ascii_escaped_json(
    api: ApiClient,
) -> None:
    """Clients that escape JSON to ASCII (Python's json and requests by default) send
    twelve bytes per character outside the Basic Multilingual Plane: 96,000 bytes."""
    body = json.dumps(EVENT | {"description": "🙂" * 8000})
    assert len(body.encode()) > 96_000
    response = api.client.post(
        "/api/events",
        data=body,
        headers=api.headers | {"Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.get_data(as_text=True)[:300]
    assert response.get_json()["description"] == "🙂" * 8000


def _refused(response: TestResponse) -> None:
    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    problem = response.get_json()
    assert [error["pointer"] for error in problem["errors"]] == ["/description"]
    assert problem["errors"][0]["detail"] == "String should have at most 8000 characters"
    assert "8000" in problem["detail"]


def test_a_description_of_8001_characters_is_refused_naming_the_field_and_limit(
    api: ApiClient,
) -> None:
    _refused(api.post(EVENT | {"description": "a" * 8001}))
    assert api.counts() == (0, 0)


def test_a_patch_to_8001_characters_is_refused_and_changes_nothing(api: ApiClient) -> None:
    created = api.created(EVENT | {"description": "short"})
    _refused(api.patch(created["id"], {"description": "🙂" * 8001}))
    response = api.client.get(f"/api/events/{created['id']}")
    assert response.get_json()["description"] == "short"
    assert feedparser.parse(api.client.get("/feed.atom").data).entries[0].content[0].value == (
        "short"
    )
    calendar = icalendar.Calendar.from_ical(api.client.get("/calendar.ics").data)
    assert str(calendar.walk("VEVENT")[0]["DESCRIPTION"]).startswith("short")


def test_the_openapi_document_states_the_limit(api: ApiClient) -> None:
    schemas = api.client.get("/api/openapi.json").get_json()["components"]["schemas"]
    limits = {
        name: schema["properties"]["description"]
        for name, schema in schemas.items()
        if "description" in schema.get("properties", {})
        and name.startswith(("EventInput", "EventPatch"))
    }
    assert limits, sorted(schemas)

    def lengths(schema: dict[str, Any]) -> list[int]:
        """The maxLength of every string the schema allows, by language too."""
        found = [schema["maxLength"]] if schema.get("type") == "string" else []
        for option in (*schema.get("anyOf", ()), *schema.get("oneOf", ())):
            found += lengths(option)
        for value in schema.get("patternProperties", {}).values():
            found += lengths(value)
        return found

    for name, prop in limits.items():
        # A string, and a string in each language.
        assert lengths(prop) == [8000, 8000], name
