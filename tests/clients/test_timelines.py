"""Two timelines served by a real ``timeline serve``, with disjoint and shared events:
each calendar and feed holds exactly its timeline's events, as every client library we
test reads them (icalendar, vobject, recurring-ical-events, vdirsyncer, feedparser for
RSS and Atom, JSON Feed as JSON), and a shared event has one UID everywhere."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

import feedparser
import icalendar
import recurring_ical_events
import vobject
from vdirsyncer.vobject import Item, split_collection

from tests.live import cli_environment, live_server, timeline_command

METRO = Path(__file__).parents[1] / "data" / "metro-line-6.toml"
DOMAIN = "@timeline.example.org"
TAG = "tag:timeline.example.org,2025:event:"


def _cli(database_url: str, *args: str) -> str:
    done = subprocess.run(
        [*timeline_command(), *args],
        env=cli_environment(database_url),
        capture_output=True,
        check=True,
        text=True,
    )
    return done.stdout


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        body: bytes = response.read()
        return body


def _send(url: str, method: str, token: str, body: Any = None) -> int:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        status: int = response.status
        return status


def _api_ids(url: str) -> set[str]:
    return {e["id"] for e in json.loads(_get(url + "?limit=200"))["events"]}


def _calendar_ids(text: bytes) -> dict[str, set[str]]:
    """The event ids (UID less the domain) each calendar library reads in ``text``."""
    decoded = text.decode()
    by_icalendar = icalendar.Calendar.from_ical(text).walk("VEVENT")
    by_vobject = vobject.readOne(decoded).vevent_list
    window = recurring_ical_events.of(icalendar.Calendar.from_ical(text)).between(
        dt.date(1900, 1, 1), dt.date(2100, 1, 1)
    )
    read = {
        "icalendar": [str(e["UID"]) for e in by_icalendar],
        "vobject": [e.uid.value for e in by_vobject],
        "recurring-ical-events": [str(e["UID"]) for e in window],
        "vdirsyncer": [Item(raw).ident for raw in split_collection(decoded)],
    }
    for library, uids in read.items():
        assert len(uids) == len(set(uids)), library
        assert all(uid.endswith(DOMAIN) for uid in uids), library
    return {library: {u.removesuffix(DOMAIN) for u in uids} for library, uids in read.items()}


def _feed_ids(base: str) -> dict[str, set[str]]:
    rss = feedparser.parse(_get(f"{base}/feed.rss"))
    atom = feedparser.parse(_get(f"{base}/feed.atom"))
    assert rss.bozo == 0 and atom.bozo == 0
    items = json.loads(_get(f"{base}/feed.json"))["items"]
    read = {
        "feedparser rss": [e.id for e in rss.entries],
        "feedparser atom": [e.id for e in atom.entries],
        "json feed": [i["id"] for i in items],
    }
    return {name: {i.removeprefix(TAG) for i in ids} for name, ids in read.items()}


def test_each_timeline_holds_exactly_its_events_in_every_client(database_url: str) -> None:
    _cli(database_url, "seed")  # the source article's events: the first timeline
    made = _cli(database_url, "seed", str(METRO), "--timeline", "metro")
    assert made.splitlines()[0] == "added 12"
    admin = _cli(database_url, "token", "create", "root", "--admin").strip()
    with live_server(database_url) as server:
        url = server.url
        shared = {"id": "shared-budget", "title": "City budget", "start": "2025-09-30"}
        assert _send(f"{url}/api/events", "POST", admin, shared) == 201
        assert _send(f"{url}/api/timelines/metro/events/shared-budget", "PUT", admin) == 201
        expected = {
            "": _api_ids(f"{url}/api/events"),
            "/t/metro": _api_ids(f"{url}/api/timelines/metro/events"),
        }
        assert len(expected[""]) == 22 and len(expected["/t/metro"]) == 13
        assert expected[""] & expected["/t/metro"] == {"shared-budget"}
        assert _api_ids(f"{url}/api/timelines/main/events") == expected[""]
        for prefix, ids in expected.items():
            for path in ("/calendar.ics", "/calendar-google.ics"):
                for library, read in _calendar_ids(_get(f"{url}{prefix}{path}")).items():
                    assert read == ids, (prefix, path, library)
            for library, read in _feed_ids(f"{url}{prefix}").items():
                assert read == ids, (prefix, library)
            timelinejs = json.loads(_get(f"{url}{prefix}/timeline.json"))
            assert len(timelinejs["events"]) == len(ids), prefix
