"""Wall-clock truth: a meeting entered as 10:00 Europe/Berlin stays at 10:00 in every
output when the tz database changes (a Berlin without summer time, compiled with zic and
served from PYTHONTZPATH), and no document keeps text made under the old rules."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.live import create_token, live_server
from timeline.store.engine import make_engine

MEETING = {
    "id": "meeting",
    "title": "Board meeting",
    "start": "2026-07-01T10:00:00",
    "end": "2026-07-01T11:00:00",
    "timezone": "Europe/Berlin",
}
NO_SEEDS = {"TIMELINE_SEED_ON_START": "false"}
ZIC = shutil.which("zic") or ("/usr/sbin/zic" if os.path.exists("/usr/sbin/zic") else None)


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        body: bytes = response.read()
        return body


def _post(url: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{url}/api/events",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
        created: dict[str, Any] = json.load(response)
        return created


def _outputs(url: str) -> dict[str, str]:
    paths = [
        "/api/events/meeting",
        "/calendar.ics",
        "/calendar.ics?lang=zh",
        "/calendar-google.ics",
        "/events/meeting.ics",
        "/feed.rss",
        "/feed.atom",
        "/feed.json",
        "/timeline.json",
        "/",
        "/events/meeting",
    ]
    return {path: _get(url + path).decode() for path in paths}


def _vtimezone_offsets(ics: str) -> set[str]:
    block = ics.split("BEGIN:VTIMEZONE", 1)[1].split("END:VTIMEZONE", 1)[0]
    return set(re.findall(r"TZOFFSET(?:FROM|TO):([+-]\d{4})", block))


def _check(outputs: dict[str, str], offset: str, utc_hour: int) -> None:
    """Every output shows the meeting at 10:00-11:00 in Berlin, whose offset is
    ``offset`` (+02:00 in summer time, +01:00 without), which is ``utc_hour`` in UTC."""
    event = json.loads(outputs["/api/events/meeting"])
    assert (event["start"], event["end"]) == (
        f"2026-07-01T10:00:00{offset}",
        f"2026-07-01T11:00:00{offset}",
    )
    for path in ("/calendar.ics", "/calendar.ics?lang=zh", "/calendar-google.ics"):
        ics = outputs[path]
        assert "DTSTART;TZID=Europe/Berlin:20260701T100000\r\n" in ics, path
        assert "DTEND;TZID=Europe/Berlin:20260701T110000\r\n" in ics, path
        assert offset.replace(":", "") in _vtimezone_offsets(ics), path
    one = outputs["/events/meeting.ics"]
    assert "DTSTART;TZID=Europe/Berlin:20260701T100000\r\n" in one
    assert offset.replace(":", "") in _vtimezone_offsets(one)
    assert f"<pubDate>Wed, 01 Jul 2026 {utc_hour:02d}:00:00 +0000</pubDate>" in outputs["/feed.rss"]
    assert f"<published>2026-07-01T{utc_hour:02d}:00:00+00:00</published>" in outputs["/feed.atom"]
    (item,) = json.loads(outputs["/feed.json"])["items"]
    assert item["date_published"] == f"2026-07-01T{utc_hour:02d}:00:00Z"
    assert item["_timeline"]["start"] == f"2026-07-01T10:00:00{offset}"
    (slide,) = json.loads(outputs["/timeline.json"])["events"]
    assert (slide["start_date"]["hour"], slide["start_date"]["minute"]) == (10, 0)
    for page in ("/", "/events/meeting"):
        assert "1 Jul 2026, 10:00 (Europe/Berlin)" in outputs[page], page


@pytest.mark.skipif(ZIC is None and not os.environ.get("CI"), reason="no zic (libc-bin)")
def test_the_10_oclock_meeting_stays_at_10_when_the_rules_change(
    database_url: str, tmp_path: Path
) -> None:
    assert ZIC is not None
    source = tmp_path / "berlin.zi"
    source.write_text("Zone\tEurope/Berlin\t1:00\t-\tCET\n", encoding="utf-8")
    zones = tmp_path / "zoneinfo"
    subprocess.run([ZIC, "-d", str(zones), str(source)], check=True)
    token = create_token(database_url, "editor")
    with live_server(database_url, env=NO_SEEDS) as old:
        created = _post(old.url, token, MEETING)
        assert created["start"] == "2026-07-01T10:00:00+02:00"
        _check(_outputs(old.url), "+02:00", 8)
    with live_server(database_url, env=NO_SEEDS | {"PYTHONTZPATH": str(zones)}) as new:
        outputs = _outputs(new.url)
        _check(outputs, "+01:00", 9)
        assert "+0200" not in outputs["/calendar.ics"]
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            start = connection.execute(sa.text("SELECT start FROM events")).scalar_one()
    finally:
        engine.dispose()
    assert str(start).startswith("2026-07-01 09:00:00")  # the instant derived anew, in UTC
    # Back on the machine's rules, the meeting is at 10:00 summer time again.
    with live_server(database_url, env=NO_SEEDS) as back:
        _check(_outputs(back.url), "+02:00", 8)
