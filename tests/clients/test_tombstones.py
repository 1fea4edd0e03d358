"""A deleted event's tombstone: the calendars publish it as STATUS:CANCELLED (a higher
SEQUENCE) so that clients which copied it drop it, the feeds and listings drop it at
once, and after TOMBSTONE_DAYS it is gone from the calendars too."""

from __future__ import annotations

import datetime as dt

import icalendar
import recurring_ical_events
import sqlalchemy as sa
from vdirsyncer.vobject import Item, split_collection

from tests.conftest import ApiClient
from tests.io.test_import import run
from timeline.http import db
from timeline.store import writes
from timeline.store.engine import begin_write
from timeline.store.models import Event

SUMMIT = {"id": "summit", "title": "Summit", "start": "2025-06-02"}
KEPT = {"id": "kept", "title": "Kept", "start": "2025-06-05"}


def _statuses(api: ApiClient, path: str = "/calendar.ics") -> dict[str, tuple[str, int]]:
    calendar = icalendar.Calendar.from_ical(api.client.get(path).data)
    return {
        str(e["UID"]).split("@")[0]: (str(e.get("STATUS", "CONFIRMED")), int(str(e["SEQUENCE"])))
        for e in calendar.walk("VEVENT")
    }


def _expire(api: ApiClient, now: dt.datetime) -> list[str]:
    with api.app.app_context():
        session = db.get_session()
        begin_write(session)
        expired = writes.expire_tombstones(session, now, api.app.config["TOMBSTONE_DAYS"])
        session.commit()
    return expired


def test_a_deleted_event_is_cancelled_in_the_calendars_then_gone(api: ApiClient) -> None:
    for body in (SUMMIT, KEPT):
        assert api.post(body).status_code == 201
    _statuses(api)  # the calendar assembled and cached before the deletion
    assert api.client.delete("/api/events/summit", headers=api.headers).status_code == 204
    assert _statuses(api) == {"summit": ("CANCELLED", 1), "kept": ("CONFIRMED", 0)}
    assert _statuses(api, "/calendar-google.ics")["summit"] == ("CANCELLED", 1)
    body = api.client.get("/calendar.ics").data
    june = recurring_ical_events.of(icalendar.Calendar.from_ical(body)).at((2025, 6))
    assert sorted(str(e["STATUS"]) for e in june if "STATUS" in e) == ["CANCELLED"]
    assert sorted(Item(raw).ident.split("@")[0] for raw in split_collection(body.decode())) == [
        "kept",
        "summit",
    ]
    feed = api.client.get("/feed.json").get_json()
    assert [item["id"].rsplit(":", 1)[1] for item in feed["items"]] == ["kept"]
    assert [e["id"] for e in api.client.get("/api/events").get_json()["events"]] == ["kept"]
    assert api.client.get("/events/summit.ics").status_code == 410

    revisions = api.client.get("/api/events/summit/revisions").get_json()["revisions"]
    deleted = revisions[-1]["at"]
    at = dt.datetime.fromisoformat(deleted)
    days = api.app.config["TOMBSTONE_DAYS"]
    assert _expire(api, at + dt.timedelta(days=days) - dt.timedelta(seconds=1)) == []
    assert _expire(api, at + dt.timedelta(days=days, seconds=1)) == ["summit"]
    assert _statuses(api) == {"kept": ("CONFIRMED", 0)}
    assert "summit" not in _statuses(api, "/calendar-google.ics")


def test_expire_tombstones_from_the_command_line(api: ApiClient) -> None:
    assert api.post(SUMMIT).status_code == 201
    assert api.client.delete("/api/events/summit", headers=api.headers).status_code == 204
    result = run(api.app, "expire-tombstones")
    assert result.output.splitlines() == ["0 tombstones expired"]
    with api.app.app_context():  # deleted 31 days ago
        session = db.get_session()
        begin_write(session)
        long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=31)
        session.execute(sa.update(Event).where(Event.id == "summit").values(updated=long_ago))
        session.commit()
    result = run(api.app, "expire-tombstones")
    assert result.output.splitlines() == ["expired summit", "1 tombstones expired"]
    assert "summit" not in _statuses(api)
