"""vdirsyncer (and so khal) reads every event of the calendar as an item of its own."""

from __future__ import annotations

import asyncio
from pathlib import Path

import icalendar
import pytest
from flask import Flask
from vdirsyncer.storage.singlefile import SingleFileStorage
from vdirsyncer.vobject import Item, split_collection

from tests.conftest import ApiClient


def _calendar(app: Flask, query: str) -> str:
    response = app.test_client().get(f"/calendar.ics{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _uids(text: str) -> list[str]:
    return [str(e["UID"]) for e in icalendar.Calendar.from_ical(text).walk("VEVENT")]


async def _single_file_hrefs(path: Path) -> list[str]:
    storage = SingleFileStorage(path=str(path))
    return [href async for href, _etag in storage.list()]


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("", 21),
        ("?tag=models", 6),
        ("?tag=investment", 8),
        ("?org=OpenAI", 4),
        ("?org=EU", 2),  # an alias of European Union
        ("?tag=policy&org=European+Union", 1),
    ],
)
def test_vdirsyncer_splits_one_item_per_event(
    seeded_app: Flask, tmp_path: Path, query: str, count: int
) -> None:
    text = _calendar(seeded_app, query)
    uids = _uids(text)
    assert len(uids) == count == len(set(uids))
    items = [Item(raw) for raw in split_collection(text)]
    # vdirsyncer's storages key items by ``ident``: the first UID line of the item's text.
    assert sorted(item.ident for item in items) == sorted(uids)
    path = tmp_path / "calendar.ics"
    path.write_text(text, encoding="utf-8")
    assert sorted(asyncio.run(_single_file_hrefs(path))) == sorted(uids)


def test_split_items_keep_their_time_zones(api: ApiClient) -> None:
    """Each item is a calendar of one VEVENT with the VTIMEZONEs it may need, as khal
    stores it in a vdir."""
    for day, zone in [("05", "Europe/Berlin"), ("06", "America/New_York"), ("07", "Europe/Berlin")]:
        api.created(
            {
                "title": f"Talk in {zone}",
                "start": f"2025-11-{day}T18:00:00",
                "end": f"2025-11-{day}T19:00:00",
                "timezone": zone,
            }
        )
    api.created({"title": "Quiet day", "start": "2025-11-08", "all_day": True})
    text = _calendar(api.app, "")
    raws = list(split_collection(text))
    assert sorted(Item(raw).ident for raw in raws) == sorted(_uids(text))
    assert len(raws) == 4
    zones: list[str] = []
    for raw in raws:
        calendar = icalendar.Calendar.from_ical(raw)
        assert len(calendar.walk("VEVENT")) == 1
        assert "UID" not in calendar
        tzids = {
            str(prop.params["TZID"])
            for event in calendar.walk("VEVENT")
            for name in ("DTSTART", "DTEND")
            if (prop := event.get(name)) is not None and "TZID" in prop.params
        }
        assert tzids <= {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
        zones.extend(tzids)
    assert sorted(zones) == ["America/New_York", "Europe/Berlin", "Europe/Berlin"]
